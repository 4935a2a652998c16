"""QA of the terms: what a clause still lacks, values against their items, conflicting
items, and agreed terms no clause uses.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bridge_app.core.drafting.model import PLACEHOLDER_RE, Draft, Finding
from bridge_app.core.drafting.qa.base import (
    QAContext,
    evidence_of,
    finding,
    norm_ws,
    provenance_evidence,
)
from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.drafting.terms import (
    BOOKKEEPING_KEYS,
    SCALAR_SLOTS,
    SLOT_LABELS,
    is_reviewed,
    missing,
    obligation_value,
    resolve_all,
    value_identity,
)
from bridge_app.core.extraction.model import Item


def _slot_label(draft: Draft, slot: str) -> str:
    if slot in ("party_1", "party_2"):
        if draft.contract_type == "nda":
            return "first party" if slot == "party_1" else "second party"
        roles = TEMPLATES[draft.contract_type].roles
        return roles[0 if slot == "party_1" else 1].lower()
    if slot == "amended_terms":
        return "amended terms"
    return SLOT_LABELS.get(slot, slot.replace("_", " "))


def _current_value(item: Item, term: str) -> Any:
    if term == "obligation":
        return obligation_value(item)
    if term == "decision":
        return item.statement
    if term == "payment_schedule" and "payment_schedule" not in item.values:
        # Read from the item's words: it still stands while they still say it.
        return [item.statement, *(e.quote for e in item.evidence)]
    return item.values.get(term)


def _same_value(term: str, old: Any, new: Any) -> bool:
    if term == "payment_schedule" and isinstance(new, list):
        return any(isinstance(t, str) and str(old) in t for t in new)
    if isinstance(new, list) and not isinstance(old, list):
        # List-valued terms (several deliverables or parties in one item): the draft took one.
        return any(_same_value(term, old, v) for v in new)
    if term in ("obligation", "decision"):
        return bool(old == new)
    return value_identity(term, old) == value_identity(term, new)


def check_missing_terms(ctx: QAContext) -> list[Finding]:
    """Terms a clause needs that the meeting (and the playbook) did not settle."""
    out = []
    for clause in ctx.draft.clauses:
        for slot in clause.missing:
            label = _slot_label(ctx.draft, slot)
            if missing(label) not in clause.text:
                continue  # a person, or the playbook, filled it in
            out.append(
                finding(
                    "missing_required_term",
                    "blocker",
                    clause.key,
                    f"The meeting did not settle the {label}, which clause {clause.number} "
                    f"({clause.heading}) requires.",
                    data={"term": slot},
                )
            )
    return out


def check_placeholders(ctx: QAContext) -> list[Finding]:
    """Every placeholder left in the text: each one blocks approval until it is filled."""
    out = []
    for clause in ctx.draft.clauses:
        left = Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(clause.text))
        for placeholder, count in left.items():
            times = f" ({count} times)" if count > 1 else ""
            out.append(
                finding(
                    "placeholder_left",
                    "blocker",
                    clause.key,
                    f"Placeholder {placeholder} is still in clause {clause.number} "
                    f"({clause.heading}){times}; it blocks approval until it is filled.",
                    data={"placeholder": placeholder, "count": count, "blocks_approval": True},
                )
            )
    return out


def check_values(ctx: QAContext) -> list[Finding]:
    """Values against their items, and the text against its values."""
    out = []
    for clause in ctx.draft.clauses:
        text = norm_ws(clause.text)
        for prov in clause.provenance:
            item = ctx.by_id.get(prov.item_id)
            if item is None:
                out.append(
                    finding(
                        "source_missing",
                        "warning",
                        clause.key,
                        f"Item {prov.item_id}, the source of the {prov.term} "
                        f'"{prov.display}", no longer exists.',
                        provenance_evidence(prov),
                    )
                )
                continue
            problem = None
            if item.review_status == "rejected":
                problem = f'the {prov.term} "{prov.display}" comes from an item that was rejected'
            elif item.id in ctx.gone:
                problem = f'the {prov.term} "{prov.display}" comes from an item that was superseded'
            elif not _same_value(prov.term, prov.value, _current_value(item, prov.term)):
                problem = (
                    f'the {prov.term} in the draft ("{prov.display}") differs from item '
                    f"{item.id}, which now says {_current_value(item, prov.term)!r}"
                )
            elif norm_ws(prov.display) not in text:
                problem = (
                    f'the text no longer shows the {prov.term} "{prov.display}" from item {item.id}'
                )
            if problem:
                out.append(
                    finding(
                        "value_mismatch",
                        "blocker",
                        clause.key,
                        f"Clause {clause.number} ({clause.heading}): {problem}.",
                        provenance_evidence(prov),
                        data={"term": prov.term, "item_id": item.id},
                    )
                )
    return out


def check_conflicts(ctx: QAContext) -> list[Finding]:
    """Unresolved items that give one term different values."""
    draft, usable, by_id = ctx.draft, ctx.usable, ctx.by_id
    out: list[Finding] = []
    used_terms = {p.term for c in draft.clauses for p in c.provenance}
    needed = {s for c in draft.clauses for s in (*c.needs, *c.conflicts)}
    reported: set[frozenset[str]] = set()
    for slot, res in resolve_all(usable).items():
        if res.status != "conflict":
            continue
        uses = slot in needed or bool(used_terms & set(SCALAR_SLOTS[slot]))
        where = next(
            (
                c.key
                for c in draft.clauses
                if slot in c.needs
                or slot in c.conflicts
                or any(p.term in SCALAR_SLOTS[slot] for p in c.provenance)
            ),
            None,
        )
        values = "; ".join(
            f"{i.id}: {i.values[res.key]!r}" for i in res.candidates if res.key is not None
        )
        label = (res.key or slot).replace("_", " ")
        group = frozenset(i.id for i in res.candidates)
        if group in reported:
            continue  # the same items seen through another slot (start date as effective date)
        reported.add(group)
        out.append(
            finding(
                "conflicting_items",
                "blocker" if uses else "warning",
                where,
                f"Unresolved items give different values for the {label} "
                f"({values}). Accept one and reject or supersede the others.",
                evidence_of(res.candidates),
                data={"term": slot},
            )
        )
    for item in usable:
        for other_id in item.conflicts_with:
            other = by_id.get(other_id)
            if other is None or other not in usable or item.id > other_id:
                continue
            if is_reviewed(item) != is_reviewed(other):
                continue  # a person has settled it in favour of one side
            pair = frozenset({item.id, other.id})
            if any(pair <= r for r in reported):
                continue
            reported.add(pair)
            out.append(
                finding(
                    "conflicting_items",
                    "warning",
                    None,
                    f"Items {item.id} and {other.id} were found to conflict and neither has been "
                    f'resolved: "{item.statement}" / "{other.statement}".',
                    evidence_of([item, other]),
                )
            )
    return out


# Not terms a clause states; a party left out of the draft is reported as extra_party.
_BOOKKEEPING_KEYS = BOOKKEEPING_KEYS | {"party"}


def check_unused_terms(ctx: QAContext) -> list[Finding]:
    """An agreed term that no clause uses: nothing said is silently dropped."""
    used = {(p.item_id, p.term) for c in ctx.draft.clauses for p in c.provenance}
    used_items = {i for i, _ in used}
    out = []
    for item in ctx.usable:
        if item.kind not in ("agreed_term", "decision"):
            continue
        for key, value in item.values.items():
            if key in _BOOKKEEPING_KEYS or value in (None, "", {}, []):
                continue
            if (item.id, key) in used or (key == "payment_schedule" and item.id in used_items):
                continue
            if _covered_elsewhere(ctx, item, key):
                continue
            out.append(
                finding(
                    "term_not_in_contract",
                    "warning",
                    None,
                    f"The meeting agreed the {key.replace('_', ' ')} ({value!r}, item "
                    f"{item.id}), but no clause of this {ctx.draft.title} uses it.",
                    evidence_of([item]),
                    data={"term": key, "item_id": item.id, "value": value},
                )
            )
    return out


def _covered_elsewhere(ctx: QAContext, item: Item, key: str) -> bool:
    """The same value reached the draft through another item (one term said twice)."""
    for clause in ctx.draft.clauses:
        for prov in clause.provenance:
            if prov.term == key and _same_value(key, prov.value, item.values[key]):
                return True
    return False
