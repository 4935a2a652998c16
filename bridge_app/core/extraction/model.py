"""Extracted items: what a meeting decided and committed, each grounded in segments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ItemKind = Literal["decision", "action_item", "agreed_term", "open_question"]
ITEM_KINDS: tuple[ItemKind, ...] = ("decision", "action_item", "agreed_term", "open_question")

ReviewStatus = Literal["proposed", "accepted", "rejected", "edited"]

# Keys of Item.values, and the shape of each value. Drafting fills clauses from these.
#   price / fee:            {"amount": 45000.0, "currency": "USD"}
#   quantity:               {"value": 20.0, "unit": "licenses"}
#   payment_terms:          {"text": "net 30", "days": 30}
#   start_date / end_date / effective_date: "2026-03-01" (ISO date)
#   duration / term / confidentiality_period: {"days": 365, "text": "12 months"}
#   deliverable:            {"text": "migration plan"}
#   governing_law:          {"text": "New York"}
#   party:                  {"name": "Acme Corp", "role": "client"}
#   unit_price:             {"amount": 38.0, "currency": "USD", "per": "seat/month"}
#   price may carry "per" too ("month", "year", "seat/month") for a recurring amount
#   rate:                   {"amount": 850.0, "currency": "GBP"} (a day or hourly rate)
#   renewal_period / notice_period / cure_period / non_solicit_period / return_period:
#                           {"days": 60, "text": "sixty days"}
#   liability_cap:          {"amount": 1e6, "currency": "USD"} or {"multiple_of_fees": 2.0, "text"}
#   territory:              {"text": "Sweden, Norway", "places": ["Sweden", "Norway"]}
#   exclusivity:            {"exclusive": true, "text": "exclusive"}
# Every negotiated term also carries values["negotiation"]: each value said for it, with its
# state (proposed, countered, accepted, withdrawn, parked) and who said it.
TERM_KEYS: tuple[str, ...] = (
    "party",
    "effective_date",
    "start_date",
    "end_date",
    "price",
    "fee",
    "quantity",
    "payment_terms",
    "duration",
    "term",
    "deliverable",
    "governing_law",
    "confidentiality_period",
    "unit_price",
    "rate",
    "renewal_period",
    "notice_period",
    "cure_period",
    "non_solicit_period",
    "return_period",
    "liability_cap",
    "territory",
    "exclusivity",
)


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
