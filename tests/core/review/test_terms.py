"""The terms checklist and typed reviewer input (pure core)."""

from __future__ import annotations

from datetime import date

import pytest

from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.extraction.model import Item
from bridge_app.core.review.terms import (
    REVIEWER_ITEM_PREFIX,
    TermInputError,
    checklist,
    missing_term_of,
    parse_term_input,
    required_terms,
    value_display,
)
from tests.core.drafting.factory import item, sow_items

MEETING = date(2026, 2, 10)


def rows(items: list[Item], ctype: str = "sow") -> dict[str, object]:
    out = checklist(items, ctype, meeting_title="SOW close", meeting_date=MEETING)
    return {r.term: r for r in out}


def test_required_terms_come_from_the_templates_needs() -> None:
    for ctype, template in TEMPLATES.items():
        needs = {n for c in template.clauses for n in c.needs} - {"amended_terms"}
        assert needs <= {s.term for s in required_terms(ctype)}, ctype
    assert [s.term for s in required_terms("sow")][:2] == ["party_1", "party_2"]
    assert required_terms("sow")[0].label == "Client"
    with pytest.raises(TermInputError, match="unknown contract type"):
        required_terms("lease")


def test_checklist_found_missing_and_not_agreed() -> None:
    items = [i for i in sow_items() if i.id != "pay"]
    by_term = rows(items)
    assert by_term["payment_terms"].status == "missing"  # type: ignore[attr-defined]
    assert by_term["price"].status == "found"  # type: ignore[attr-defined]
    assert by_term["price"].display == "USD 48,000.00"  # type: ignore[attr-defined]
    assert by_term["price"].item_ids == ("fee",)  # type: ignore[attr-defined]
    rival = item("fee-2", {"fee": {"amount": 50000.0, "currency": "USD"}})
    proposed = [i for i in items if i.id != "fee"] + [
        item("fee-1", {"fee": {"amount": 48000.0, "currency": "USD"}}),
        rival,
    ]
    assert rows(proposed)["price"].status == "not_agreed"  # type: ignore[attr-defined]


def test_reviewer_entered_only_without_evidence() -> None:
    law = item(f"{REVIEWER_ITEM_PREFIX}governing_law-1", {"governing_law": {"text": "Ontario"}})
    law.evidence = []
    items = [i for i in sow_items() if "governing_law" not in i.values] + [law]
    row = rows(items)["governing_law"]
    assert row.status == "found" and row.reviewer_entered  # type: ignore[attr-defined]
    assert not rows(sow_items())["governing_law"].reviewer_entered  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("term", "fields", "expected"),
    [
        (
            "price",
            {"amount": "42,000.50", "currency": "eur"},
            {"amount": 42000.5, "currency": "EUR"},
        ),
        ("start_date", {"date": "2026-04-06"}, "2026-04-06"),
        ("payment_terms", {"days": "30"}, {"text": "net 30", "days": 30}),
        ("term", {"number": "12", "unit": "months"}, {"days": 360, "text": "12 months"}),
        ("party_2", {"name": " Brightline Data "}, {"name": "Brightline Data", "role": "provider"}),
        (
            "deliverables",
            {"items": "- Route model\n\nPlanner"},
            [{"text": "Route model"}, {"text": "Planner"}],
        ),
        ("governing_law", {"law": "the Netherlands"}, {"text": "the Netherlands"}),
    ],
)
def test_typed_input_becomes_the_extraction_value_shape(term, fields, expected) -> None:
    _key, value, display = parse_term_input(term, fields, "sow")
    assert value == expected and display and "{" not in display and "[" not in display


@pytest.mark.parametrize(
    ("term", "fields", "words"),
    [
        ("price", {"amount": "forty", "currency": "USD"}, "number"),
        ("price", {"amount": "0", "currency": "USD"}, "more than 0"),
        ("price", {"amount": "1.234", "currency": "USD"}, "two decimals"),
        ("price", {"amount": "10", "currency": "ZZZ"}, "currency"),
        ("start_date", {"date": "22026-01-15"}, "date like"),
        ("start_date", {"date": "2026-02-30"}, "not a real calendar date"),
        ("start_date", {"date": "1066-10-14"}, "not plausible"),
        ("payment_terms", {"days": "9999"}, "between"),
        ("term", {"number": "3", "unit": "fortnights"}, "unit"),
        ("party_1", {"name": "  "}, "name"),
        ("deliverables", {"items": "\n \n"}, "at least one"),
        ("governing_law", {"law": ""}, "governing law"),
        ("colour", {}, "not a term"),
    ],
)
def test_impossible_input_is_refused_with_a_message(term, fields, words) -> None:
    with pytest.raises(TermInputError, match=words):
        parse_term_input(term, fields, "sow")


def test_placeholders_map_to_the_field_that_fills_them() -> None:
    assert missing_term_of("price", "sow") == "price"
    assert missing_term_of("client", "sow") == "party_1"
    assert missing_term_of("second party", "nda") == "party_2"
    assert missing_term_of("payment terms", "sow") == "payment_terms"
    assert missing_term_of("responsible party", "sow") is None


def test_values_are_shown_in_words() -> None:
    assert value_display("price", {"amount": 42000, "currency": "EUR"}) == "EUR 42,000.00"
    assert value_display("deliverable", [{"text": "A"}, {"text": "B"}]) == "A; B"
    assert value_display("party", {"name": "Acme", "role": "client"}) == "Acme (client)"
    assert value_display("start_date", "2026-04-06") == "6 April 2026"
