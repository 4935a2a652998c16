"""Hand-made items for drafting tests: a negotiated SOW between two invented companies."""

from __future__ import annotations

from typing import Any

from bridge_app.core.extraction.model import Evidence, Item


def item(
    item_id: str,
    values: dict[str, Any] | None = None,
    *,
    kind: str = "agreed_term",
    statement: str | None = None,
    quote: str | None = None,
    speaker: str = "Maya Chen",
    seg: str | None = None,
    at: float = 60.0,
    **extra: Any,
) -> Item:
    """One item with one evidence segment (``seg`` defaults to ``s-<id>``)."""
    text = quote or statement or f"quote for {item_id}"
    return Item(
        id=item_id,
        kind=kind,  # type: ignore[arg-type]
        statement=statement or f"Agreed {', '.join(values or {})}",
        confidence=0.9,
        evidence=[Evidence(seg or f"s-{item_id}", at, at + 4.5, text, speaker)],
        values=dict(values or {}),
        **extra,
    )


def sow_items() -> list[Item]:
    """Everything a statement of work needs, settled, plus one rejected counter-offer."""
    return [
        item(
            "p1",
            {"party": {"name": "Northwind Analytics Inc.", "role": "client"}},
            quote="Northwind Analytics Inc. is the client",
            at=16.5,
        ),
        item(
            "p2",
            {"party": {"name": "Brightpath Consulting LLC", "role": "contractor"}},
            quote="This is Tom from Brightpath Consulting LLC; we would be the contractor",
            speaker="Tom Okafor",
            at=9.5,
        ),
        item(
            "fee",
            {"fee": {"amount": 48000.0, "currency": "USD"}},
            quote="Okay, $48,000 works for us. Deal.",
            at=45.5,
            review_status="accepted",
        ),
        item(
            "fee-old",
            {"fee": {"amount": 52000.0, "currency": "USD"}},
            quote="Our proposal was $52,000",
            speaker="Tom Okafor",
            at=22.5,
            review_status="rejected",
        ),
        item(
            "pay",
            {"payment_terms": {"text": "net 30", "days": 30}},
            quote="Payment terms are net 30 from each invoice.",
            speaker="Tom Okafor",
            at=51.5,
        ),
        item(
            "dates",
            {"start_date": "2026-03-02", "end_date": "2026-06-30"},
            quote="We can start on March 2, 2026 and the project will be complete by June 30",
            speaker="Tom Okafor",
            at=76.5,
        ),
        item(
            "deliv",
            {"deliverable": [{"text": "migration runbook"}, {"text": "cutover plan"}]},
            quote="We will deliver the migration runbook and the cutover plan",
            speaker="Tom Okafor",
            at=63.5,
        ),
        item(
            "law",
            {"governing_law": {"text": "New York"}},
            quote="The agreement will be governed by the laws of New York.",
            at=87.5,
        ),
        item(
            "act1",
            kind="action_item",
            statement="Send the signed statement of work",
            quote="I'll send the signed statement of work by February 20, 2026.",
            speaker="Tom Okafor",
            owner="Tom Okafor",
            due="2026-02-20",
            at=98.5,
        ),
    ]
