"""The skeleton every QA check shares: what a check sees (:class:`QAContext`), what it returns
(findings made with :func:`finding`, whose code mypy checks against the vocabulary), and the
helpers several groups of checks use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bridge_app.core.drafting.model import Draft, Finding, Provenance
from bridge_app.core.drafting.playbook import Playbook
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import QACode, Severity

AMOUNT_TERMS = frozenset({"price", "fee"})


@dataclass(frozen=True, slots=True)
class QAContext:
    """Everything a check may look at: the draft, the meeting's items, the clock, the playbook."""

    draft: Draft
    items: Sequence[Item]
    usable: list[Item]
    by_id: dict[str, Item]
    gone: set[str]
    today: date
    playbook: Playbook


Check = Callable[[QAContext], list[Finding]]


def finding(
    code: QACode,
    severity: Severity,
    clause: str | None,
    message: str,
    evidence: tuple[str, ...] = (),
    data: dict[str, Any] | None = None,
) -> Finding:
    """One finding of a check (its code one of the vocabulary's ``QA_CODES``)."""
    return Finding(code, severity, clause, message, evidence, dict(data or {}))


def evidence_of(items: Iterable[Item]) -> tuple[str, ...]:
    """The items' ids, then their segments' ids (what a finding points at)."""
    items = list(items)
    ids = list(dict.fromkeys(i.id for i in items))
    segs = list(dict.fromkeys(e.segment_id for i in items for e in i.evidence))
    return tuple(ids + segs)


def provenance_evidence(prov: Provenance) -> tuple[str, ...]:
    """A filled value's item id, then its segments."""
    return (prov.item_id, *prov.segment_ids)


def norm_ws(text: str) -> str:
    return " ".join(text.split())
