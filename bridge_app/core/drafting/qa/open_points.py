"""QA of what the meeting left open: unreviewed sources, open questions, parties left out, and
obligations with nobody (or no known party) responsible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bridge_app.core.drafting.language import speaker_sides
from bridge_app.core.drafting.model import Draft, Finding
from bridge_app.core.drafting.qa.base import QAContext, evidence_of, finding, provenance_evidence
from bridge_app.core.drafting.terms import (
    party_entries,
    party_key,
)
from bridge_app.core.extraction.model import Item


def check_info(ctx: QAContext) -> list[Finding]:
    """Unreviewed sources, open questions, parties left out."""
    return _info_findings(ctx.draft, ctx.usable)


def check_unassigned(ctx: QAContext) -> list[Finding]:
    """Obligations with nobody responsible."""
    out = []
    in_draft = {p.item_id: c.key for c in ctx.draft.clauses for p in c.provenance}
    for item in ctx.usable:
        if item.kind == "action_item" and not (item.owner or "").strip():
            used = item.id in in_draft
            out.append(
                finding(
                    "obligation_unassigned",
                    "warning" if used else "info",
                    in_draft.get(item.id),
                    f'Nobody is responsible for "{item.statement}".',
                    evidence_of([item]),
                )
            )
    return out


def _sides(ctx: QAContext) -> dict[str, Any]:
    return speaker_sides(
        ctx.usable,
        [(p.name, p.name if p.defined_as == "Party" else p.defined_as) for p in ctx.draft.parties],
    )


def check_obligation_parties(ctx: QAContext) -> list[Finding]:
    """Obligations whose owner speaks for no known party bind a person, not a Party."""
    sides = _sides(ctx)
    out = []
    for clause in ctx.draft.clauses:
        for prov in clause.provenance:
            if prov.term != "obligation" or not isinstance(prov.value, dict):
                continue
            owner = str(prov.value.get("owner") or "").strip()
            if owner and owner not in sides:
                out.append(
                    finding(
                        "obligation_party_unknown",
                        "warning",
                        clause.key,
                        f"{owner} is not known to speak for either party, so clause "
                        f'{clause.number} binds them by name: "{prov.display}". Say which '
                        "party they are with (edit the item's party) and regenerate.",
                        provenance_evidence(prov),
                        data={"owner": owner},
                    )
                )
    return out


def _info_findings(draft: Draft, usable: Sequence[Item]) -> list[Finding]:
    out: list[Finding] = []
    by_id = {i.id: i for i in usable}
    used_ids = list(dict.fromkeys(p.item_id for c in draft.clauses for p in c.provenance))
    proposed = [by_id[i] for i in used_ids if i in by_id and by_id[i].review_status == "proposed"]
    if proposed:
        out.append(
            finding(
                "unreviewed_items",
                "info",
                None,
                f"{len(proposed)} value(s) come from items nobody has reviewed yet: "
                + ", ".join(i.id for i in proposed)
                + ".",
                evidence_of(proposed),
            )
        )
    for item in usable:
        if item.kind == "open_question":
            out.append(
                finding(
                    "open_question",
                    "info",
                    None,
                    f'The meeting left a question open: "{item.statement}".',
                    evidence_of([item]),
                )
            )
    in_draft = {party_key(p.name) for p in draft.parties}
    for entry in party_entries(usable):
        if party_key(entry.display) not in in_draft:
            out.append(
                finding(
                    "extra_party",
                    "info",
                    "parties",
                    f"{entry.display} was named in the meeting but is not a party to this draft.",
                    evidence_of(entry.sources),
                )
            )
    return out
