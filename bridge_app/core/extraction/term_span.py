"""The contract's duration from its agreed dates: "the 8th of June through to the 18th of
December" fixes the term as much as "six months" would, so when dates are agreed and no length
is, the length is the span between them (both days counted, as contracts count them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bridge_app.core.extraction.grounding import merge_evidence
from bridge_app.core.extraction.model import Item

_LENGTH_KEYS = ("duration", "term")


def _live(items: Sequence[Item], key: str) -> Item | None:
    """The settled item of a term: not superseded, the latest confirmed."""
    found = [
        it
        for it in items
        if it.kind == "agreed_term" and key in it.values and it.superseded_by is None
    ]
    return max(found, key=lambda it: max(e.start for e in it.evidence), default=None)


def span_terms(items: Sequence[Item]) -> list[Item]:
    """A ``duration`` item from the agreed start and end dates, when no length was agreed."""
    if any(_live(items, k) for k in _LENGTH_KEYS):
        return []
    start_item, end_item = _live(items, "start_date"), _live(items, "end_date")
    if start_item is None or end_item is None:
        return []
    try:
        start = date.fromisoformat(str(start_item.values["start_date"]))
        end = date.fromisoformat(str(end_item.values["end_date"]))
    except ValueError:
        return []
    if end <= start:
        return []
    days = (end - start).days + 1
    said = f"{start.isoformat()} to {end.isoformat()}"
    return [
        Item(
            id=f"term-duration-span-{start_item.evidence[0].segment_id}",
            kind="agreed_term",
            statement=f"Duration: {days} days, {said} (from the agreed start and end dates).",
            confidence=round(min(start_item.confidence, end_item.confidence) - 0.05, 3),
            evidence=merge_evidence(start_item.evidence[:1], end_item.evidence),
            values={"duration": {"days": days, "text": said}},
        )
    ]
