from bridge_app.core.extraction.money_amounts import find_money


def test_money_with_currency_and_multiplier():
    m = find_money("let's make it $45k instead of $40k")
    assert [(x.amount, x.currency) for x in m] == [(45000.0, "USD"), (40000.0, "USD")]
    assert find_money("twelve euros")[0:0] == []
    assert find_money("EUR 1.200,50")[0].amount == 1200.5


def test_bare_numbers_skip_years_units_and_times():
    found = find_money("the 2015 car has 32k miles, 85 and it's a deal", bare=True)
    assert [x.amount for x in found] == [85.0]
