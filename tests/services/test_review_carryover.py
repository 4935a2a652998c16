"""What "unchanged" means when reviews carry over to a corrected transcript's items."""

from __future__ import annotations

from typing import Any

from bridge_app.services.review_carryover import fingerprint, pair_unchanged

PRICE: dict[str, Any] = {
    "statement": "Agreed price: 38,000 USD.",
    "values": {"price": {"amount": 38000.0, "currency": "USD"}},
    "evidence": [
        {"segment_id": "c9", "start": 74.5, "end": 79.0, "quote": "Okay, $38,000.", "speaker": "S1"}
    ],
    "owner": "Speaker 1",
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**PRICE, **changes}


def test_same_kind_statement_values_and_quotes_is_unchanged() -> None:
    same = fingerprint("agreed_term", PRICE)
    # Key order of the values, and the quotes' speakers, times and segments do not count;
    # nor do owner and party (naming a speaker keeps the reviews of what they said).
    reordered = _with(values={"price": {"currency": "USD", "amount": 38000.0}})
    renamed = _with(
        evidence=[{**PRICE["evidence"][0], "speaker": "Bob Fischer", "start": 1.0}],
        owner="Bob Fischer",
    )
    assert fingerprint("agreed_term", reordered) == same
    assert fingerprint("agreed_term", renamed) == same


def test_any_change_of_kind_statement_values_or_quote_text_is_a_change() -> None:
    same = fingerprint("agreed_term", PRICE)
    assert fingerprint("decision", PRICE) != same
    assert fingerprint("agreed_term", _with(statement="Agreed price: 39,000 USD.")) != same
    assert fingerprint("agreed_term", _with(values={"price": {"amount": 39000.0}})) != same
    reworded = _with(evidence=[{**PRICE["evidence"][0], "quote": "Okay, $39,000."}])
    assert fingerprint("agreed_term", reworded) != same
    more = _with(evidence=[*PRICE["evidence"], {"quote": "Agreed."}])
    assert fingerprint("agreed_term", more) != same


def test_equal_fingerprints_pair_one_to_one_in_order() -> None:
    a, b = fingerprint("decision", PRICE), fingerprint("agreed_term", PRICE)
    pairs = pair_unchanged([("old1", a), ("old2", a), ("old3", b)], [("new1", a), ("new2", b)])
    assert pairs == [("old1", "new1"), ("old3", "new2")]
    assert pair_unchanged([], [("new", a)]) == []
