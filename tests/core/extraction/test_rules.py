from datetime import date

from bridge_app.core.extraction import extract_items, supersede_across
from bridge_app.core.extraction.model import Item

from .helpers import segs


def _terms(items: list[Item], key: str = "price") -> list[Item]:
    return [it for it in items if it.kind == "agreed_term" and key in it.values]


def test_offer_then_acceptance_is_an_agreed_price_with_evidence():
    items = extract_items(
        segs(
            ("Seller", "Hi, the lamp is in great shape."),
            ("Buyer", "Would you take $13 for it?"),
            ("Seller", "Sure, that works."),
        )
    )
    [term] = _terms(items)
    assert term.values["price"] == {"amount": 13.0, "currency": "USD"}
    assert [e.segment_id for e in term.evidence] == ["c2", "c3"]
    assert term.evidence[0].quote == "Would you take $13 for it?"
    assert term.evidence[0].start == 5.0


def test_later_change_supersedes_earlier_price():
    items = extract_items(
        segs(
            ("A", "The fee is $40k for the pilot."),
            ("B", "Agreed."),
            ("A", "Actually, let's make it $45k instead of $40k, the scope grew."),
            ("B", "Okay, that's fine."),
        )
    )
    # The tracker keeps one money term, ``price``, however it is called ("fee", "price").
    terms = _terms(items, "price")
    assert [t.values["price"]["amount"] for t in terms] == [40000.0, 45000.0]
    assert terms[0].superseded_by == terms[1].id
    assert terms[1].supersedes == [terms[0].id]


def test_unresolved_conflict_is_flagged():
    items = extract_items(
        segs(
            ("A", "We agreed on payment net 30 for the invoices."),
            ("C", "Let me check the calendar."),
            ("B", "We agreed the payment is net 60 for invoices, I think."),
        )
    )
    terms = _terms(items, "payment_terms")
    assert len(terms) == 2
    assert terms[0].superseded_by is None
    assert terms[0].conflicts_with == [terms[1].id] and terms[1].conflicts_with == [terms[0].id]


def test_hedged_suggestion_is_not_an_agreed_term():
    items = extract_items(
        segs(
            ("A", "Maybe we could do payment net 45 or so, I don't know."),
            ("B", "Hmm, let me think about it."),
        )
    )
    assert _terms(items, "payment_terms") == []


def test_action_item_owner_and_due_date():
    lines = [("A", "Let us look at the agenda for today and the numbers.")] * 3 + [
        ("B", "I'll send the revised statement of work by next Friday."),
        ("A", "Great, thanks."),
    ]
    items = extract_items(segs(*lines), meeting_date=date(2026, 3, 4))
    [act] = [it for it in items if it.kind == "action_item"]
    assert act.owner == "B"
    assert act.due == "2026-03-13"  # the Friday of the week after the Wednesday meeting
    assert "c4" in [e.segment_id for e in act.evidence]


def test_every_item_has_evidence_and_confidence_in_range():
    lines = [
        ("A", "So we definitely want a power button and the scroll wheel on the remote."),
        ("B", "Yeah."),
        ("C", "Should we skip the LCD screen, it costs too much for the remote?"),
        ("A", "Let's skip the LCD screen then, we keep the remote simple."),
        ("B", "Okay."),
    ] * 4
    items = extract_items(segs(*lines))
    assert items
    for it in items:
        assert it.evidence and 1 <= len(it.evidence) <= 3
        assert 0.0 <= it.confidence <= 1.0


def test_deterministic_and_empty_input():
    lines = segs(("A", "Let's go with the twelve month term, agreed by everyone."), ("B", "Yes."))
    first = [i.to_dict() for i in extract_items(lines)]
    assert first == [i.to_dict() for i in extract_items(lines)]
    assert extract_items([]) == []


def test_supersede_across_meetings():
    first = extract_items(
        segs(("A", "The price is $40,000 for the year."), ("B", "Deal, that works for us."))
    )
    second = extract_items(
        segs(("A", "The new price is $42,000 after the scope change."), ("B", "Agreed."))
    )
    merged = supersede_across(first, second)
    old = _terms(merged[: len(first)])[0]
    new = _terms(merged[len(first) :])[0]
    assert old.superseded_by == new.id and new.supersedes == [old.id]
    assert _terms(first)[0].superseded_by is None  # inputs are not mutated


def test_the_demo_names_each_open_question_once() -> None:
    from pathlib import Path

    from bridge_app.core.transcript import parse_transcript

    demo = Path(__file__).resolve().parents[3] / "bridge_app" / "demo" / "sow_kickoff.vtt"
    segments = parse_transcript(demo.read_bytes(), filename=demo.name).segments
    items = extract_items(segments, meeting_date=date(2026, 11, 26))
    questions = [i.statement for i in items if i.kind == "open_question"]
    assert questions and len(questions) == len(set(questions))
