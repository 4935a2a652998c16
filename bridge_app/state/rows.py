"""Typed rows the pages render (dataclasses, so `rx.foreach` knows each field's type)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Step:
    label: str = ""
    state: str = "pending"
    key: str = ""


@dataclass
class MeetingRow:
    id: str = ""
    title: str = ""
    matter: str = ""
    status: str = ""
    date: str = ""
    created: str = ""
    format: str = ""
    failure: str = ""
    review: str = ""
    review_tone: str = "gray"
    steps: list[Step] = field(default_factory=list)


@dataclass
class Segment:
    key: str = ""
    anchor: str = ""
    speaker: str = ""
    time: str = ""
    text: str = ""
    start: float = 0.0
    track: int = 0


@dataclass
class Evidence:
    key: str = ""
    anchor: str = ""
    time: str = ""
    speaker: str = ""
    quote: str = ""
    start: float = 0.0
    track: int = 0


@dataclass
class ItemRow:
    id: str = ""
    key: str = ""
    kind: str = ""
    kind_label: str = ""
    statement: str = ""
    confidence: float = 0.0
    confidence_pct: str = ""
    status: str = ""
    values_text: str = ""
    reviewer_entered: bool = False
    name: str = ""  # the item in a few words, for the accessible names of its buttons
    owner: str = ""
    due: str = ""
    superseded: bool = False
    conflicting: bool = False
    flags: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ItemGroup:
    kind: str = ""
    label: str = ""
    rows: list[ItemRow] = field(default_factory=list)


@dataclass
class Source:
    item: str = ""
    term: str = ""
    display: str = ""
    segment: str = ""
    anchor: str = ""
    time: str = ""
    speaker: str = ""
    quote: str = ""
    reviewer_entered: bool = False


@dataclass
class FindingRow:
    severity: str = ""
    severity_label: str = ""
    clause: str = ""
    message: str = ""
    fix_kind: str = ""
    fix_label: str = ""
    fix_href: str = ""
    codes: str = ""


@dataclass
class PlaceholderRow:
    text: str = ""
    label: str = ""
    href: str = ""


@dataclass
class TermLine:
    term: str = ""
    label: str = ""
    kind: str = ""
    status: str = ""
    status_label: str = ""
    display: str = ""
    reviewer_entered: bool = False


@dataclass
class WarningRow:
    id: str = ""
    sentence: str = ""


@dataclass
class DefaultRow:
    clause: str = ""
    sentence: str = ""


@dataclass
class ClauseRow:
    key: str = ""
    number: str = ""
    heading: str = ""
    text: str = ""
    placeholders: list[PlaceholderRow] = field(default_factory=list)
    has_placeholders: bool = False
    sources: list[Source] = field(default_factory=list)
    source_count: int = 0
    findings: list[FindingRow] = field(default_factory=list)


@dataclass
class ExportRow:
    id: str = ""
    format: str = ""
    label: str = ""
    status: str = ""
    filename: str = ""
    approved: bool = False
    size: str = ""
    error: str = ""


@dataclass
class DependencyRow:
    name: str = ""
    status: str = ""
    latency: str = ""
    detail: str = ""


@dataclass
class QueueRow:
    name: str = ""
    depth: int = 0


@dataclass
class SloRow:
    name: str = ""
    label: str = ""
    target: str = ""
    compliance: str = ""
    p95: str = ""
    budget: str = ""
    counts: str = ""
    ok: bool = True


@dataclass
class FailureRow:
    meeting_id: str = ""
    title: str = ""
    stage: str = ""
    reason: str = ""
    when: str = ""
    retryable: bool = False


@dataclass
class AuditRow:
    id: str = ""
    when: str = ""
    actor: str = ""
    action: str = ""
    object: str = ""
    ip: str = ""
    detail: str = ""
    who: str = ""
    what: str = ""
    change: str = ""
    reason: str = ""
    extra: str = ""


def meeting_row(d: dict[str, Any]) -> MeetingRow:
    return MeetingRow(**{**d, "steps": [Step(**s) for s in d["steps"]]})


def item_row(d: dict[str, Any]) -> ItemRow:
    return ItemRow(**{**d, "evidence": [Evidence(**e) for e in d["evidence"]]})


def clause_row(d: dict[str, Any]) -> ClauseRow:
    return ClauseRow(
        **{
            **d,
            "sources": [Source(**s) for s in d["sources"]],
            "findings": [FindingRow(**f) for f in d["findings"]],
            "placeholders": [PlaceholderRow(**p) for p in d["placeholders"]],
        }
    )
