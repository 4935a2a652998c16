"""QA against the organization's positions and the other side: playbook deviations, forbidden
phrases, and a counterparty's changes to what the meeting agreed.
"""

from __future__ import annotations

import re

from bridge_app.core.drafting.model import Finding, Provenance
from bridge_app.core.drafting.playbook import deviations, forbidden_phrases
from bridge_app.core.drafting.qa.base import (
    AMOUNT_TERMS,
    QAContext,
    evidence_of,
    finding,
    norm_ws,
    provenance_evidence,
)
from bridge_app.core.extraction.model import Item


def check_playbook(ctx: QAContext) -> list[Finding]:
    """Meeting terms outside the organization's playbook."""
    if not any(p.house for p in ctx.playbook.positions.values()):
        return []
    out = []
    where = {p.term: c.key for c in ctx.draft.clauses for p in c.provenance}
    for dev in deviations(ctx.usable, ctx.playbook):
        item = ctx.by_id[dev.item_ids[0]]
        out.append(
            finding(
                "playbook_deviation",
                "blocker",
                where.get(dev.key),
                f"{dev.message[:1].upper()}{dev.message[1:]}"
                + (f" (agreed{_moment(item)})" if item.evidence else "")
                + ". A legal user may accept it with a reason.",
                evidence_of([item]),
                data={"variable": dev.variable, "value": dev.value, "verdict": dev.verdict},
            )
        )
    return out


def check_forbidden_text(ctx: QAContext) -> list[Finding]:
    """Phrases the playbook forbids, wherever they came from (an edit, a counterparty)."""
    out = []
    for clause in ctx.draft.clauses:
        for phrase in forbidden_phrases(clause.key, clause.text, ctx.playbook):
            out.append(
                finding(
                    "playbook_forbidden_text",
                    "blocker",
                    clause.key,
                    f'Clause {clause.number} ({clause.heading}) says "{phrase}", which the '
                    "playbook forbids.",
                    data={"phrase": phrase},
                )
            )
    return out


def _moment(item: Item) -> str:
    """ " at 01:14, accepted by Priya Natarajan": when the meeting settled an item, and who."""
    if not item.evidence:
        return ""
    last = item.evidence[-1]
    first = item.evidence[0]
    hours, rest = divmod(int(last.start), 3600)  # the moment it was settled
    minutes, seconds = divmod(rest, 60)
    said = (
        f" at {hours}:{minutes:02d}:{seconds:02d}" if hours else f" at {minutes:02d}:{seconds:02d}"
    )
    if last.speaker and last.speaker != first.speaker:
        said += f", accepted by {last.speaker}"
    elif first.speaker:
        said += f", said by {first.speaker}"
    return said


def check_counterparty_changes(ctx: QAContext) -> list[Finding]:
    """What a counterparty changed in an imported DOCX, against what the meeting agreed."""
    out: list[Finding] = []
    for change in ctx.draft.counterparty_changes:
        key = change.get("clause")
        heading = change.get("heading") or key
        provs = [Provenance.from_dict(p) for p in change.get("provenance", ())]
        new_text = norm_ws(str(change.get("new") or ""))
        departed = [p for p in provs if norm_ws(p.display) not in new_text]
        how = "tracked change" if change.get("tracked") else "edit"
        who = f" ({change['author']})" if change.get("author") else ""
        if departed:
            for prov in departed:
                item = ctx.by_id.get(prov.item_id)
                moment = _moment(item) if item is not None else ""
                label = prov.term.replace("_", " ")
                if change.get("kind") == "deleted":
                    what = f'deleted clause "{heading}", which states the {label}'
                else:
                    now = _changed_to(prov, new_text)
                    what = f"changed the {label}" + (f" to {now}" if now else "")
                out.append(
                    finding(
                        "counterparty_change",
                        "blocker",
                        key,
                        f"Counterparty {what}; agreed {prov.display}{moment} ({how}{who}).",
                        provenance_evidence(prov),
                        data={"kind": change.get("kind"), "term": prov.term},
                    )
                )
        else:
            kind = change.get("kind")
            excerpt = norm_ws(str(change.get("new") or change.get("old") or ""))[:160]
            if kind == "deleted":
                what = f'deleted clause "{heading}"'
            elif kind == "added":
                what = f'added clause "{heading}", which the meeting did not discuss'
            else:
                what = f'changed "{heading}" in words the meeting did not discuss'
            out.append(
                finding(
                    "counterparty_change",
                    "warning",
                    key,
                    f'Counterparty {what}: "{excerpt}" ({how}{who}).',
                    data={"kind": kind},
                )
            )
    return out


_AMOUNT_IN_TEXT = re.compile(
    r"(?:USD|EUR|GBP|CHF|CAD|AUD|\$|€|£)\s?\d[\d,]*(?:\.\d{2})?|\d[\d,]*(?:\.\d{2})?\s?(?:USD|EUR|GBP)"
)


def _changed_to(prov: Provenance, new_text: str) -> str:
    """What the counterparty wrote instead, for amounts and day counts (best effort)."""
    if prov.term in AMOUNT_TERMS:
        found = _AMOUNT_IN_TEXT.findall(new_text)
        return found[0] if found else ""
    if prov.term == "payment_terms":
        m = re.search(r"within (\d+) days|net (\d+)", new_text)
        return f"net {m.group(1) or m.group(2)}" if m else ""
    return ""
