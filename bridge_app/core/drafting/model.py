"""Data shapes of drafting and QA: drafts, clauses, provenance, findings.

Everything here is plain data with an exact JSON round trip (``to_dict`` / ``from_dict``),
because the database stores drafts and QA reports as JSON and a version, once stored, must
read back identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bridge_app.core.vocabulary import ContractType, Severity

# A term the meeting did not settle is shown as [[MISSING: label]], a contested one as
# [[CONFLICT: label]] (terms.missing / terms.conflict write them).
PLACEHOLDER_RE = re.compile(r"\[\[(MISSING|CONFLICT): ([^\]]+)\]\]")


def find_placeholders(text: str) -> list[str]:
    """Every ``[[MISSING: …]]`` / ``[[CONFLICT: …]]`` in a text, in order."""
    return [m.group(0) for m in PLACEHOLDER_RE.finditer(text)]


# Bumped when the stored shape changes, so readers can migrate old versions.
DRAFT_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Quote:
    """The transcript moment behind a value: segment, time span, speaker and words."""

    segment_id: str
    start: float
    end: float
    speaker: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "segment_id": self.segment_id,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "quote": self.quote,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        """Inverse of :meth:`to_dict`."""
        return cls(
            segment_id=str(data["segment_id"]),
            start=float(data["start"]),
            end=float(data["end"]),
            speaker=str(data.get("speaker", "")),
            quote=str(data["quote"]),
        )


@dataclass(frozen=True, slots=True)
class Provenance:
    """One filled value of a clause and where it came from.

    ``term`` is the key of ``Item.values`` the value was read from (``price``, ``fee``,
    ``party`` …), or ``obligation`` / ``decision`` for action items and decisions, whose
    statement is used. ``value`` is the raw value as the item held it when the draft was made;
    ``display`` is the text written into the clause.
    """

    item_id: str
    term: str
    value: Any
    display: str
    segment_ids: tuple[str, ...]
    quotes: tuple[Quote, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "item_id": self.item_id,
            "term": self.term,
            "value": self.value,
            "display": self.display,
            "segment_ids": list(self.segment_ids),
            "quotes": [q.to_dict() for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provenance:
        """Inverse of :meth:`to_dict`."""
        return cls(
            item_id=str(data["item_id"]),
            term=str(data["term"]),
            value=data["value"],
            display=str(data["display"]),
            segment_ids=tuple(data.get("segment_ids", ())),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", ())),
        )


@dataclass(frozen=True, slots=True)
class Clause:
    """One numbered clause of a draft.

    ``needs`` are the term slots the clause cannot do without; ``missing`` those of them the
    meeting did not settle (each shown as a ``[[MISSING: …]]`` placeholder) and ``conflicts``
    those with competing unresolved values (shown as ``[[CONFLICT: …]]``).
    """

    number: str
    key: str
    heading: str
    text: str
    provenance: tuple[Provenance, ...] = ()
    placeholders: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    # A legal user's direct edit kept over regeneration: who, when, why (None: generated text).
    override: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {
            "number": self.number,
            "key": self.key,
            "heading": self.heading,
            "text": self.text,
            "provenance": [p.to_dict() for p in self.provenance],
            "placeholders": list(self.placeholders),
            "needs": list(self.needs),
            "missing": list(self.missing),
            "conflicts": list(self.conflicts),
        }
        if self.override is not None:
            out["override"] = dict(self.override)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clause:
        """Inverse of :meth:`to_dict`."""
        return cls(
            number=str(data["number"]),
            key=str(data["key"]),
            heading=str(data["heading"]),
            text=str(data["text"]),
            provenance=tuple(Provenance.from_dict(p) for p in data.get("provenance", ())),
            placeholders=tuple(data.get("placeholders", ())),
            needs=tuple(data.get("needs", ())),
            missing=tuple(data.get("missing", ())),
            conflicts=tuple(data.get("conflicts", ())),
            override=dict(data["override"]) if data.get("override") else None,
        )


@dataclass(frozen=True, slots=True)
class Party:
    """A contracting party: its name, its role in the meeting, and its defined term."""

    name: str
    role: str
    defined_as: str
    item_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "role": self.role,
            "defined_as": self.defined_as,
            "item_ids": list(self.item_ids),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Party:
        """Inverse of :meth:`to_dict`."""
        return cls(
            name=str(data["name"]),
            role=str(data.get("role", "")),
            defined_as=str(data.get("defined_as", "")),
            item_ids=tuple(data.get("item_ids", ())),
        )


@dataclass(frozen=True, slots=True)
class TypePick:
    """Which contract type a meeting calls for, why, and how sure the rules are (0–1)."""

    type: ContractType
    reason: str
    confidence: float
    scores: tuple[tuple[str, float], ...] = ()
    chosen_by: Literal["auto", "user"] = "auto"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "type": self.type,
            "reason": self.reason,
            "confidence": self.confidence,
            "scores": [[name, score] for name, score in self.scores],
            "chosen_by": self.chosen_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TypePick:
        """Inverse of :meth:`to_dict`."""
        return cls(
            type=data["type"],
            reason=str(data["reason"]),
            confidence=float(data["confidence"]),
            scores=tuple((str(n), float(s)) for n, s in data.get("scores", ())),
            chosen_by=data.get("chosen_by", "auto"),
        )


@dataclass(frozen=True, slots=True)
class Draft:
    """One immutable version of a contract drafted from a meeting.

    A new version (regenerated or edited) is a new ``Draft`` with ``version`` one higher and
    ``parent_version`` pointing at the version it came from; the old one is never changed.
    """

    contract_type: ContractType
    title: str
    meeting_title: str
    meeting_date: str  # ISO date
    prepared_on: str  # ISO date
    clauses: tuple[Clause, ...]
    parties: tuple[Party, ...]
    defined_terms: tuple[tuple[str, str], ...]  # (term, clause key where it is defined)
    type_pick: TypePick
    version: int = 1
    parent_version: int | None = None
    origin: Literal["generated", "edited", "imported"] = "generated"
    schema_version: int = DRAFT_SCHEMA_VERSION
    # Set only on the copy an export renders from an approved version ("approved by … on …");
    # a stored version is never approved in itself, so this stays empty there.
    approval: str = ""
    playbook_version: int = 0  # the organization's playbook version used (0: built-in)
    # For an imported counterparty DOCX: what they changed against the version sent
    # (kind changed/deleted/added, clause key, heading, old/new text, provenance, tracked, author).
    counterparty_changes: tuple[dict[str, Any], ...] = ()

    def clause(self, key: str) -> Clause:
        """The clause with this key (KeyError if the contract type has none)."""
        for clause in self.clauses:
            if clause.key == key:
                return clause
        raise KeyError(key)

    def placeholders(self) -> list[str]:
        """Every placeholder still in the draft, in clause order."""
        return [p for c in self.clauses for p in c.placeholders]

    def body_text(self) -> str:
        """Plain text of the whole contract: title, then numbered clauses, blank-line separated."""
        parts = [self.title]
        for clause in self.clauses:
            parts.append(f"{clause.number}. {clause.heading}")
            parts.append(clause.text)
        return "\n\n".join(parts) + "\n"

    def with_clause_text(self, key: str, text: str) -> Draft:
        """A new version in which one clause's text is replaced by a person's edit.

        Provenance stays as it was: QA then checks that the edited text still shows the values
        it claims to come from, and flags the clause where it no longer does.
        """
        self.clause(key)  # KeyError for an unknown clause, before anything is built
        clauses = tuple(
            replace(c, text=text, placeholders=tuple(find_placeholders(text)))
            if c.key == key
            else c
            for c in self.clauses
        )
        return replace(
            self,
            clauses=clauses,
            version=self.version + 1,
            parent_version=self.version,
            origin="edited",
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``Draft.from_dict(d.to_dict()) == d`` holds exactly."""
        return {
            "schema_version": self.schema_version,
            "contract_type": self.contract_type,
            "title": self.title,
            "meeting_title": self.meeting_title,
            "meeting_date": self.meeting_date,
            "prepared_on": self.prepared_on,
            "version": self.version,
            "parent_version": self.parent_version,
            "origin": self.origin,
            "type_pick": self.type_pick.to_dict(),
            "parties": [p.to_dict() for p in self.parties],
            "defined_terms": [[term, where] for term, where in self.defined_terms],
            "clauses": [c.to_dict() for c in self.clauses],
            **({"approval": self.approval} if self.approval else {}),
            "playbook_version": self.playbook_version,
            "counterparty_changes": [dict(c) for c in self.counterparty_changes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """Inverse of :meth:`to_dict`."""
        parent = data.get("parent_version")
        return cls(
            contract_type=data["contract_type"],
            title=str(data["title"]),
            meeting_title=str(data["meeting_title"]),
            meeting_date=str(data["meeting_date"]),
            prepared_on=str(data["prepared_on"]),
            clauses=tuple(Clause.from_dict(c) for c in data["clauses"]),
            parties=tuple(Party.from_dict(p) for p in data.get("parties", ())),
            defined_terms=tuple((str(t), str(w)) for t, w in data.get("defined_terms", ())),
            type_pick=TypePick.from_dict(data["type_pick"]),
            version=int(data.get("version", 1)),
            parent_version=None if parent is None else int(parent),
            origin=data.get("origin", "generated"),
            schema_version=int(data.get("schema_version", DRAFT_SCHEMA_VERSION)),
            approval=str(data.get("approval") or ""),
            playbook_version=int(data.get("playbook_version", 0)),
            counterparty_changes=tuple(dict(c) for c in data.get("counterparty_changes", ())),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One QA finding: what is wrong, how bad, where, and the items/segments that show it."""

    code: str
    severity: Severity
    clause: str | None  # clause key, None for draft-wide findings
    message: str
    evidence: tuple[str, ...] = ()  # item ids, then segment ids
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "severity": self.severity,
            "clause": self.clause,
            "message": self.message,
            "evidence": list(self.evidence),
            "data": dict(self.data),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict`."""
        return cls(
            code=str(data["code"]),
            severity=data["severity"],
            clause=data.get("clause"),
            message=str(data["message"]),
            evidence=tuple(data.get("evidence", ())),
            data=dict(data.get("data") or {}),
        )
