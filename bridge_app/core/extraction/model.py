"""Extracted items: what a meeting decided and committed, each grounded in segments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bridge_app.core.vocabulary import ITEM_KINDS, TERM_KEYS, ItemKind, ReviewStatus

__all__ = ["ITEM_KINDS", "TERM_KEYS", "Evidence", "Item", "ItemKind", "ReviewStatus"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A transcript moment that supports an item."""

    segment_id: str
    start: float
    end: float
    quote: str
    speaker: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment_id": self.segment_id,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "speaker": self.speaker,
        }


@dataclass(slots=True)
class Item:
    """One decision, action item, agreed term or open question."""

    id: str
    kind: ItemKind
    statement: str
    confidence: float
    evidence: list[Evidence]
    owner: str | None = None
    party: str | None = None
    due: str | None = None  # ISO date
    values: dict[str, Any] = field(default_factory=dict)
    supersedes: list[str] = field(default_factory=list)
    superseded_by: str | None = None
    conflicts_with: list[str] = field(default_factory=list)
    review_status: ReviewStatus = "proposed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "statement": self.statement,
            "owner": self.owner,
            "party": self.party,
            "due": self.due,
            "values": self.values,
            "confidence": self.confidence,
            "evidence": [e.to_dict() for e in self.evidence],
            "supersedes": list(self.supersedes),
            "superseded_by": self.superseded_by,
            "conflicts_with": list(self.conflicts_with),
            "review_status": self.review_status,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(
            id=data["id"],
            kind=data["kind"],
            statement=data["statement"],
            confidence=float(data["confidence"]),
            evidence=[Evidence(**e) for e in data.get("evidence", [])],
            owner=data.get("owner"),
            party=data.get("party"),
            due=data.get("due"),
            values=dict(data.get("values") or {}),
            supersedes=list(data.get("supersedes") or []),
            superseded_by=data.get("superseded_by"),
            conflicts_with=list(data.get("conflicts_with") or []),
            review_status=data.get("review_status", "proposed"),
        )
