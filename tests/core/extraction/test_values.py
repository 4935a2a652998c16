from datetime import date

from bridge_app.core.extraction.count_values import find_payment_terms, find_quantity
from bridge_app.core.extraction.date_values import find_due_date
from bridge_app.core.extraction.money_amounts import find_money
from bridge_app.core.extraction.values import term_values


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
    # "next Friday" is the Friday of the following week; "Friday" / "this Friday" the coming one
    assert find_due_date("send it by next Friday", meeting) == ("2026-03-13", "next Friday")
    assert find_due_date("send it by Friday", meeting) == ("2026-03-06", "by Friday")
    assert find_due_date("done by end of Q2", meeting) == ("2026-06-30", "end of Q2")
    assert find_due_date("by March 20, 2026", None) == ("2026-03-20", "March 20, 2026")
    assert find_due_date("send it by next Friday", None) is None


def test_terms():
    assert find_payment_terms("payment is net 30") == {"text": "net 30", "days": 30}
    assert find_quantity("we need 20 licenses") == {"value": 20.0, "unit": "licenses"}
    v = term_values("This agreement is governed by the laws of New York with Acme Corp as client")
    assert v["governing_law"] == {"text": "New York"}
    assert v["party"] == {"name": "Acme Corp", "role": "client"}


def test_contract_values():
    from bridge_app.core.extraction.count_values import find_contract_durations
    from bridge_app.core.extraction.date_values import find_dates
    from bridge_app.core.extraction.deliverable_values import find_deliverables
    from bridge_app.core.extraction.law_values import find_governing_law
    from bridge_app.core.extraction.party_names import find_parties

    meeting = date(2026, 2, 10)
    found = find_dates("We start on March 2, 2026 and finish by 29 May 2026.", meeting)
    assert [(f.key, f.value) for f in found] == [
        ("start_date", "2026-03-02"),
        ("end_date", "2026-05-29"),
    ]
    assert [f.key for f in find_dates("effective as of 1 April 2026", None)] == ["effective_date"]
    durations = find_contract_durations("The engagement runs for twelve weeks.")
    assert [(d.key, d.value["days"]) for d in durations] == [("duration", 84)]
    assert find_contract_durations("Keep it confidential for 3 years.")[0].key == (
        "confidentiality_period"
    )
    assert find_contract_durations("An initial 12 months term.")[0].value["days"] == 360
    assert find_contract_durations("Send it in two weeks, the contract can wait.") == []
    law = find_governing_law("for governing law we usually use the State of New York")
    assert law == {"text": "New York"}
    assert find_governing_law("English law is fine") == {"text": "England and Wales"}
    assert find_governing_law("we use New York") is None  # no law context
    names = [p.name for p in find_parties("Between Northwind Inc. and Quayside Software Ltd.")]
    assert names == ["Northwind Inc.", "Quayside Software Ltd."]
    assert [p.name for p in find_parties("And Quayside Software GmbH signs.")] == [
        "Quayside Software GmbH"
    ]
    intro = find_parties("Hi, Priya here from Harborview Logistics.", people=frozenset({"priya"}))
    assert [p.name for p in intro] == ["Harborview Logistics"]
    assert find_parties("I'll share it with Priya Natarajan", people=frozenset({"priya"})) == []
    assert find_parties("I'm calling from New York today.") == []
    items = find_deliverables("We will deliver the runbook and the cutover plan by Friday.")
    assert [d.value["text"] for d in items] == ["runbook", "cutover plan"]
    items = find_deliverables("The scope includes a sales and marketing dashboard, and training.")
    assert [d.value["text"] for d in items] == ["sales and marketing dashboard", "training"]


def test_next_friday_said_on_a_thursday_is_the_week_after():
    thursday = date(2026, 11, 26)
    assert find_due_date("I'll send it by next Friday", thursday) == ("2026-12-04", "next Friday")
    assert find_due_date("I'll send it this Friday", thursday) == ("2026-11-27", "this Friday")
    assert find_due_date("see you next Monday", thursday) == ("2026-11-30", "next Monday")
    assert find_due_date("by next Thursday", thursday) == ("2026-12-03", "next Thursday")
