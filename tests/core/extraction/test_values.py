from datetime import date

from bridge_app.core.extraction.values import (
    find_due_date,
    find_money,
    find_payment_terms,
    find_quantity,
    term_values,
)


def test_money_with_currency_and_multiplier():
    m = find_money("let's make it $45k instead of $40k")
    assert [(x.amount, x.currency) for x in m] == [(45000.0, "USD"), (40000.0, "USD")]
    assert find_money("twelve euros")[0:0] == []
    assert find_money("EUR 1.200,50")[0].amount == 1200.5


def test_bare_numbers_skip_years_units_and_times():
    found = find_money("the 2015 car has 32k miles, 85 and it's a deal", bare=True)
    assert [x.amount for x in found] == [85.0]


def test_due_dates_resolve_against_meeting_date_only():
    meeting = date(2026, 3, 4)  # a Wednesday
    assert find_due_date("send it by next Friday", meeting) == ("2026-03-06", "next Friday")
    assert find_due_date("done by end of Q2", meeting) == ("2026-06-30", "end of Q2")
    assert find_due_date("by March 20, 2026", None) == ("2026-03-20", "March 20, 2026")
    assert find_due_date("send it by next Friday", None) is None


def test_terms():
    assert find_payment_terms("payment is net 30") == {"text": "net 30", "days": 30}
    assert find_quantity("we need 20 licenses") == {"value": 20.0, "unit": "licenses"}
    v = term_values("This agreement is governed by the laws of New York with Acme Corp as client")
    assert v["governing_law"] == {"text": "New York"}
    assert v["party"] == {"name": "Acme Corp", "role": "client"}
