"""Agreed contract terms beyond money: parties, dates, durations, law, deliverables."""

from pathlib import Path

from bridge_app.core.extraction import extract_items
from bridge_app.core.extraction.model import Item
from bridge_app.core.transcript import parse_transcript

from .helpers import segs

SAMPLES = Path(__file__).parent / "samples"


def _items(name: str) -> list[Item]:
    path = SAMPLES / name
    return extract_items(parse_transcript(path.read_bytes(), filename=path.name).segments)


def _terms(items: list[Item], key: str) -> list[Item]:
    return [it for it in items if it.kind == "agreed_term" and key in it.values]


def _live(items: list[Item], key: str) -> list[Item]:
    return [it for it in _terms(items, key) if it.superseded_by is None]


def _ev(item: Item) -> list[str]:
    return [e.segment_id for e in item.evidence]


def test_nda_call_parties_sides_dates_periods_and_law():
    items = _items("nda_call.vtt")
    parties = {p.values["party"]["name"]: p for p in _terms(items, "party")}
    assert {n: p.values["party"]["role"] for n, p in parties.items()} == {
        "Tidewater Robotics": "disclosing",
        "Kestrel Analytics GmbH": "receiving",
    }
    assert all(p.superseded_by is None and not p.conflicts_with for p in parties.values())
    assert _ev(parties["Tidewater Robotics"])[0] == "n1"
    [conf] = _terms(items, "confidentiality_period")
    assert conf.values["confidentiality_period"] == {"days": 1095, "text": "three years"}
    assert _ev(conf) == ["n5", "n6"] and conf.confidence >= 0.8
    [eff] = _terms(items, "effective_date")
    assert eff.values["effective_date"] == "2026-01-15" and _ev(eff) == ["n7", "n8"]
    [term] = _terms(items, "term")
    assert term.values["term"] == {"days": 730, "text": "two years"}
    # Delaware was countered, German law refused: New York, proposed in n11 and accepted in n12.
    [law] = _terms(items, "governing_law")
    assert law.values["governing_law"] == {"text": "New York"}
    assert _ev(law)[:2] == ["n11", "n12"]


def test_order_form_call_both_dates_from_one_sentence_and_legal_names():
    items = _items("order_form_call.vtt")
    roles = {p.values["party"]["name"]: p.values["party"]["role"] for p in _terms(items, "party")}
    # The legal names said later replace the short forms of the introductions.
    assert roles == {"Lakeshore Cold Storage LLC": "buyer", "Fenwick Sensor Systems Inc.": "seller"}
    [start] = _terms(items, "start_date")
    [end] = _terms(items, "end_date")
    assert (start.values["start_date"], end.values["end_date"]) == ("2026-04-01", "2027-03-31")
    assert _ev(start) == _ev(end) == ["o7", "o8"]
    [qty] = _terms(items, "quantity")
    assert qty.values["quantity"] == {"value": 120.0, "unit": "units"}
    [pay] = _terms(items, "payment_terms")
    assert pay.values["payment_terms"]["days"] == 15 and _ev(pay)[:2] == ["o5", "o6"]
    [price] = _terms(items, "price")
    assert price.values["price"] == {"amount": 9500.0, "currency": "USD"}


def test_msa_amendment_deliverables_change_and_open_term():
    items = _items("msa_amendment_call.vtt")
    roles = {p.values["party"]["name"]: p.values["party"]["role"] for p in _terms(items, "party")}
    assert roles == {"Northwind Freight Inc.": "client", "Quayside Software GmbH": "provider"}
    deliverables = [d.values["deliverable"]["text"] for d in _live(items, "deliverable")]
    assert deliverables == ["runbook", "cutover plan"]
    ends = _terms(items, "end_date")
    assert [e.values["end_date"] for e in ends] == ["2026-05-29", "2026-06-30"]
    assert ends[0].superseded_by == ends[1].id and ends[1].supersedes == [ends[0].id]
    # "Maybe we could extend the term by another six months" was parked, not agreed.
    assert _terms(items, "term") == [] and _terms(items, "duration") == []


def test_two_parties_coexist_and_a_later_client_entity_supersedes_only_the_client():
    items = extract_items(
        segs(
            ("A", "The contract is between Orbital Dairy Inc. as client and Vela Systems Ltd."),
            ("B", "Agreed, Vela Systems Ltd. is the provider."),
            ("A", "Actually, the client entity is Orbital Dairy Holdings LLC, not the Inc."),
            ("B", "Okay, that's fine."),
        )
    )
    parties = _terms(items, "party")
    live = {
        p.values["party"]["name"]: p.values["party"]["role"]
        for p in parties
        if p.superseded_by is None
    }
    assert live == {"Orbital Dairy Holdings LLC": "client", "Vela Systems Ltd.": "provider"}
    old = next(p for p in parties if p.values["party"]["name"] == "Orbital Dairy Inc.")
    assert old.superseded_by is not None


def test_same_role_restated_differently_by_one_person_is_a_conflict():
    items = extract_items(
        segs(
            ("A", "We agreed that Pinecrest Foods Inc. is the customer."),
            ("C", "Let me check the calendar for next week."),
            ("A", "We agreed that Pinecrest Grocers Ltd. is the customer."),
        )
    )
    a, b = _terms(items, "party")
    assert a.conflicts_with == [b.id] and b.conflicts_with == [a.id]


def test_hedged_or_undecided_dates_and_law_are_not_agreed():
    items = extract_items(
        segs(
            ("A", "Maybe we could start on May 4, 2026, I don't know."),
            ("B", "Hmm."),
            ("A", "Governing law is still TBD, maybe Ontario."),
            ("B", "Let's revisit that."),
        )
    )
    assert _terms(items, "start_date") == [] and _terms(items, "governing_law") == []


def test_every_term_has_grounded_evidence_and_calibrated_confidence():
    for name in ("nda_call.vtt", "order_form_call.vtt", "msa_amendment_call.vtt"):
        text = (SAMPLES / name).read_text()
        for it in extract_items(
            parse_transcript((SAMPLES / name).read_bytes(), filename=name).segments
        ):
            assert 1 <= len(it.evidence) <= 3
            assert all(e.quote in text for e in it.evidence)
            assert 0.5 <= it.confidence <= 0.95 if it.kind == "agreed_term" else True
