"""QA of a draft version against the meeting's current items (pure; the clock is passed in).

Finding codes and severities:

=========================  ========  ==========================================================
code                       severity  when
=========================  ========  ==========================================================
missing_required_term      blocker   a clause needs a term the meeting did not settle
placeholder_left           blocker   a ``[[MISSING: …]]`` / ``[[CONFLICT: …]]`` is in the text
value_mismatch             blocker   a filled value differs from its item now (edited, rejected,
                                     superseded) or the clause text no longer shows it
source_missing             warning   an item a value came from no longer exists
conflicting_items          blocker   two unresolved items give a term the draft uses different
                                     values (warning when the draft does not use the term)
end_before_start           blocker   the end date is before the start date
date_in_past               warning   an effective/start/end or due date is before ``today``
amount_without_currency    blocker   an amount has no currency (warning when only in edited text)
currency_mismatch          warning   an amount's currency differs from the meeting's
party_name_inconsistent    warning   one party under several spellings, or the text names a
                                     party differently from its definition
defined_term_inconsistent  warning   a role term used but not defined, or a defined term written
                                     in lower case
obligation_unassigned      warning   an obligation in the draft has nobody responsible (info
                                     when the draft does not include it)
unreviewed_items           info      values come from items nobody has reviewed yet
open_question              info      the meeting left a question open
extra_party                info      a party named in the meeting is not a party to the draft
obligation_party_unknown   warning   an obligation's owner speaks for no known party, so it
                                     binds the person by name
first_person_text          warning   the contract text says "I", "we", "our" … outside quotes
term_not_in_contract       warning   an agreed term no clause of the draft uses
playbook_deviation         blocker   a meeting term falls outside the organization's playbook
                                     ("net 90 agreed; playbook allows up to net 45")
playbook_forbidden_text    blocker   a clause contains a phrase the playbook forbids
counterparty_change        blocker   an imported counterparty DOCX changes or deletes a value
                                     agreed in the meeting (warning for other edits)
clause_edited              info      a legal user's direct edit replaces the generated clause
=========================  ========  ==========================================================

Each check is a function of a :class:`QAContext` (``CHECKS`` lists them in order); ``run_qa``
runs them all. A blocker of an acceptable kind (``ACCEPTABLE``) that a legal user accepted with
a reason is kept, as a warning that names the acceptance. A draft with a blocker cannot be
approved (:func:`can_approve`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bridge_app.core.drafting.language import first_person_words, speaker_sides
from bridge_app.core.drafting.model import PLACEHOLDER_RE, Draft, Finding, Provenance, Severity
from bridge_app.core.drafting.playbook import DEFAULT, Playbook, deviations, forbidden_phrases
from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.drafting.terms import (
    BOOKKEEPING_KEYS,
    SCALAR_SLOTS,
    SLOT_LABELS,
    fmt_date,
    is_reviewed,
    missing,
    obligation_value,
    parse_date,
    party_entries,
    party_key,
    resolve_all,
    superseded_ids,
    usable_items,
    value_identity,
)
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import CURRENCY_CODES, CURRENCY_SYMBOLS, SEVERITIES

_DATE_TERMS = frozenset({"effective_date", "start_date", "end_date"})
_AMOUNT_TERMS = frozenset({"price", "fee"})
_ROLE_WORDS = (
    "Client",
    "Customer",
    "Provider",
    "Supplier",
    "Vendor",
    "Buyer",
    "Seller",
    "Contractor",
    "Consultant",
    "Licensee",
    "Licensor",
    "Investor",
)
_CURRENCY_CODE_RE = re.compile(r"\b(" + "|".join(CURRENCY_CODES) + r")\b")
_AMOUNT_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*\.\d{2}\b|(?<![\w.,])\d{4,}\.\d{2}\b")
_NAME_STOP = frozenset({"the", "and", "of", "for", "a", "an"})


def _evidence(items: Iterable[Item]) -> tuple[str, ...]:
    items = list(items)
    ids = list(dict.fromkeys(i.id for i in items))
    segs = list(dict.fromkeys(e.segment_id for i in items for e in i.evidence))
    return tuple(ids + segs)


def _prov_evidence(prov: Provenance) -> tuple[str, ...]:
    return (prov.item_id, *prov.segment_ids)


def _slot_label(draft: Draft, slot: str) -> str:
    if slot in ("party_1", "party_2"):
        if draft.contract_type == "nda":
            return "first party" if slot == "party_1" else "second party"
        roles = TEMPLATES[draft.contract_type].roles
        return roles[0 if slot == "party_1" else 1].lower()
    if slot == "amended_terms":
        return "amended terms"
    return SLOT_LABELS.get(slot, slot.replace("_", " "))


def _norm_ws(text: str) -> str:
    return " ".join(text.split())


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


def check_missing_terms(ctx: QAContext) -> list[Finding]:
    """Terms a clause needs that the meeting (and the playbook) did not settle."""
    out = []
    for clause in ctx.draft.clauses:
        for slot in clause.missing:
            label = _slot_label(ctx.draft, slot)
            if missing(label) not in clause.text:
                continue  # a person, or the playbook, filled it in
            out.append(
                Finding(
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
                Finding(
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
        text = _norm_ws(clause.text)
        for prov in clause.provenance:
            item = ctx.by_id.get(prov.item_id)
            if item is None:
                out.append(
                    Finding(
                        "source_missing",
                        "warning",
                        clause.key,
                        f"Item {prov.item_id}, the source of the {prov.term} "
                        f'"{prov.display}", no longer exists.',
                        _prov_evidence(prov),
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
            elif _norm_ws(prov.display) not in text:
                problem = (
                    f'the text no longer shows the {prov.term} "{prov.display}" from item {item.id}'
                )
            if problem:
                out.append(
                    Finding(
                        "value_mismatch",
                        "blocker",
                        clause.key,
                        f"Clause {clause.number} ({clause.heading}): {problem}.",
                        _prov_evidence(prov),
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
            Finding(
                "conflicting_items",
                "blocker" if uses else "warning",
                where,
                f"Unresolved items give different values for the {label} "
                f"({values}). Accept one and reject or supersede the others.",
                _evidence(res.candidates),
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
                Finding(
                    "conflicting_items",
                    "warning",
                    None,
                    f"Items {item.id} and {other.id} were found to conflict and neither has been "
                    f'resolved: "{item.statement}" / "{other.statement}".',
                    _evidence([item, other]),
                )
            )
    return out


def check_dates(ctx: QAContext) -> list[Finding]:
    """Dates in the past, and an end before the start."""
    return _date_findings(ctx.draft, ctx.today)


def check_currency(ctx: QAContext) -> list[Finding]:
    """Amounts without a currency, and currencies the meeting did not use."""
    return _currency_findings(ctx.draft, ctx.items)


def check_names(ctx: QAContext) -> list[Finding]:
    """Party names and defined terms used consistently."""
    return _name_findings(ctx.draft, ctx.usable)


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
                Finding(
                    "obligation_unassigned",
                    "warning" if used else "info",
                    in_draft.get(item.id),
                    f'Nobody is responsible for "{item.statement}".',
                    _evidence([item]),
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
                    Finding(
                        "obligation_party_unknown",
                        "warning",
                        clause.key,
                        f"{owner} is not known to speak for either party, so clause "
                        f'{clause.number} binds them by name: "{prov.display}". Say which '
                        "party they are with (edit the item's party) and regenerate.",
                        _prov_evidence(prov),
                        data={"owner": owner},
                    )
                )
    return out


def check_first_person(ctx: QAContext) -> list[Finding]:
    """A contract speaks of the Parties in the third person."""
    out = []
    for clause in ctx.draft.clauses:
        words = first_person_words(clause.text)
        if words:
            shown = ", ".join(f'"{w}"' for w in dict.fromkeys(words))
            out.append(
                Finding(
                    "first_person_text",
                    "warning",
                    clause.key,
                    f"Clause {clause.number} ({clause.heading}) speaks in the first person "
                    f"({shown}); a contract names the Parties.",
                    data={"words": list(dict.fromkeys(words))},
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
                Finding(
                    "term_not_in_contract",
                    "warning",
                    None,
                    f"The meeting agreed the {key.replace('_', ' ')} ({value!r}, item "
                    f"{item.id}), but no clause of this {ctx.draft.title} uses it.",
                    _evidence([item]),
                    data={"term": key, "item_id": item.id},
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


def check_playbook(ctx: QAContext) -> list[Finding]:
    """Meeting terms outside the organization's playbook."""
    if not any(p.house for p in ctx.playbook.positions.values()):
        return []
    out = []
    where = {p.term: c.key for c in ctx.draft.clauses for p in c.provenance}
    for dev in deviations(ctx.usable, ctx.playbook):
        item = ctx.by_id[dev.item_ids[0]]
        out.append(
            Finding(
                "playbook_deviation",
                "blocker",
                where.get(dev.key),
                f"{dev.message[:1].upper()}{dev.message[1:]}"
                + (f" (agreed{_moment(item)})" if item.evidence else "")
                + ". A legal user may accept it with a reason.",
                _evidence([item]),
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
                Finding(
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
        new_text = _norm_ws(str(change.get("new") or ""))
        departed = [p for p in provs if _norm_ws(p.display) not in new_text]
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
                    Finding(
                        "counterparty_change",
                        "blocker",
                        key,
                        f"Counterparty {what}; agreed {prov.display}{moment} ({how}{who}).",
                        _prov_evidence(prov),
                        data={"kind": change.get("kind"), "term": prov.term},
                    )
                )
        else:
            kind = change.get("kind")
            excerpt = _norm_ws(str(change.get("new") or change.get("old") or ""))[:160]
            if kind == "deleted":
                what = f'deleted clause "{heading}"'
            elif kind == "added":
                what = f'added clause "{heading}", which the meeting did not discuss'
            else:
                what = f'changed "{heading}" in words the meeting did not discuss'
            out.append(
                Finding(
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
    if prov.term in _AMOUNT_TERMS:
        found = _AMOUNT_IN_TEXT.findall(new_text)
        return found[0] if found else ""
    if prov.term == "payment_terms":
        m = re.search(r"within (\d+) days|net (\d+)", new_text)
        return f"net {m.group(1) or m.group(2)}" if m else ""
    return ""


def check_overrides(ctx: QAContext) -> list[Finding]:
    """Clauses a legal user rewrote by hand (their values are still checked above)."""
    out = []
    for clause in ctx.draft.clauses:
        if clause.override:
            by = clause.override.get("by") or "a legal user"
            reason = clause.override.get("reason")
            out.append(
                Finding(
                    "clause_edited",
                    "info",
                    clause.key,
                    f"Clause {clause.number} ({clause.heading}) is {by}'s edit, kept over "
                    "regeneration" + (f": {reason}" if reason else "") + ".",
                    data={"by": by},
                )
            )
    return out


CHECKS: tuple[Check, ...] = (
    check_missing_terms,
    check_placeholders,
    check_values,
    check_conflicts,
    check_dates,
    check_currency,
    check_names,
    check_info,
    check_unassigned,
    check_obligation_parties,
    check_first_person,
    check_unused_terms,
    check_playbook,
    check_forbidden_text,
    check_counterparty_changes,
    check_overrides,
)

# Blockers a legal user may accept with a reason (the others must be fixed in the text).
ACCEPTABLE = frozenset({"playbook_deviation", "playbook_forbidden_text", "counterparty_change"})


def finding_key(finding: Finding) -> str:
    """A finding's identity across QA runs and versions, for acceptances."""
    detail = (
        finding.data.get("variable") or finding.data.get("phrase") or finding.data.get("term") or ""
    )
    return f"{finding.code}:{finding.clause or ''}:{detail}"


def _accept(findings: list[Finding], accepted: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    out = []
    for f in findings:
        acceptance = accepted.get(finding_key(f))
        if acceptance is not None and f.code in ACCEPTABLE and f.severity == "blocker":
            by = acceptance.get("by") or "a legal user"
            f = replace(
                f,
                severity="warning",
                message=f"{f.message} Accepted by {by}: {acceptance.get('reason', '')}",
                data={**f.data, "accepted": dict(acceptance)},
            )
        out.append(f)
    return out


def run_qa(
    draft: Draft,
    items: Sequence[Item],
    *,
    today: date,
    playbook: Playbook | None = None,
    accepted: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Finding]:
    """Check one draft version against the meeting's current items. Sorted blockers first.

    ``playbook`` is the organization's (the built-in positions when None); ``accepted`` maps
    :func:`finding_key` to a legal user's acceptance (``{"by", "reason", "at"}``).
    """
    ctx = QAContext(
        draft=draft,
        items=items,
        usable=usable_items(items),
        by_id={i.id: i for i in items},
        gone=superseded_ids(items),
        today=today,
        playbook=playbook or DEFAULT,
    )
    out = _accept([f for check in CHECKS for f in check(ctx)], accepted or {})
    order = {c.key: n for n, c in enumerate(draft.clauses)}
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    out.sort(key=lambda f: (rank[f.severity], order.get(f.clause or "", len(order)), f.code))
    return out


def _date_findings(draft: Draft, today: date) -> list[Finding]:
    out: list[Finding] = []
    dates: dict[str, tuple[date, str, Provenance]] = {}
    for clause in draft.clauses:
        for prov in clause.provenance:
            if prov.term in _DATE_TERMS:
                d = parse_date(prov.value)
                if d is not None:
                    dates.setdefault(prov.term, (d, clause.key, prov))
            elif prov.term == "obligation" and isinstance(prov.value, dict):
                due = parse_date(prov.value.get("due"))
                if due is not None and due < today:
                    out.append(
                        Finding(
                            "date_in_past",
                            "warning",
                            clause.key,
                            f"The due date {fmt_date(prov.value['due'])} of "
                            f'"{prov.value.get("text")}" is in the past.',
                            _prov_evidence(prov),
                        )
                    )
    for term, (d, key, prov) in dates.items():
        if d < today:
            out.append(
                Finding(
                    "date_in_past",
                    "warning",
                    key,
                    f"The {term.replace('_', ' ')} {fmt_date(d.isoformat())} is in the past "
                    f"(today is {fmt_date(today.isoformat())}).",
                    _prov_evidence(prov),
                )
            )
    start = dates.get("start_date") or dates.get("effective_date")
    end = dates.get("end_date")
    if start and end and end[0] < start[0]:
        out.append(
            Finding(
                "end_before_start",
                "blocker",
                end[1],
                f"The end date {fmt_date(end[0].isoformat())} is before the start date "
                f"{fmt_date(start[0].isoformat())}.",
                (*_prov_evidence(start[2]), *_prov_evidence(end[2])),
            )
        )
    return out


def _meeting_currency(items: Sequence[Item]) -> str | None:
    """The currency the meeting talked in: the most frequent one over all its amounts, rejected
    and superseded offers included, since they too show how the parties count money."""
    counts: Counter[str] = Counter()
    for item in items:
        for key in _AMOUNT_TERMS:
            value = item.values.get(key)
            if isinstance(value, dict) and value.get("currency"):
                counts[str(value["currency"]).upper()] += 1
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _currency_findings(draft: Draft, items: Sequence[Item]) -> list[Finding]:
    out: list[Finding] = []
    meeting = _meeting_currency(items)
    for clause in draft.clauses:
        for prov in clause.provenance:
            if prov.term not in _AMOUNT_TERMS or not isinstance(prov.value, dict):
                continue
            currency = str(prov.value.get("currency") or "").upper()
            if not currency:
                out.append(
                    Finding(
                        "amount_without_currency",
                        "blocker",
                        clause.key,
                        f"The amount {prov.value.get('amount')} in clause {clause.number} has "
                        "no currency.",
                        _prov_evidence(prov),
                    )
                )
            elif meeting and currency != meeting:
                out.append(
                    Finding(
                        "currency_mismatch",
                        "warning",
                        clause.key,
                        f"The amount {prov.display} is in {currency}, but the meeting's "
                        f"amounts are in {meeting}.",
                        _prov_evidence(prov),
                    )
                )
        # Edited text can bring amounts and currencies no item backs.
        text = clause.text
        if meeting:
            seen = {c for c in _CURRENCY_CODE_RE.findall(text)} | {
                code for sym, code in CURRENCY_SYMBOLS.items() if sym in text
            }
            for code in sorted(seen - {meeting}):
                if any(
                    str((p.value or {}).get("currency", "")).upper() == code
                    for p in clause.provenance
                    if isinstance(p.value, dict)
                ):
                    continue  # already reported from its item
                out.append(
                    Finding(
                        "currency_mismatch",
                        "warning",
                        clause.key,
                        f"Clause {clause.number} mentions {code}, but the meeting's amounts are "
                        f"in {meeting}.",
                    )
                )
        for m in _AMOUNT_RE.finditer(text):
            before = text[max(0, m.start() - 6) : m.start()]
            if (
                _CURRENCY_CODE_RE.search(before)
                or any(s in before for s in CURRENCY_SYMBOLS)
                or before.rstrip().endswith("]]")
            ):
                continue
            out.append(
                Finding(
                    "amount_without_currency",
                    "warning",
                    clause.key,
                    f"The amount {m.group(0)} in clause {clause.number} has no currency.",
                )
            )
    return out


def _name_findings(draft: Draft, usable: Sequence[Item]) -> list[Finding]:
    out: list[Finding] = []
    # One party under several spellings in the meeting's items.
    spellings: dict[str, dict[str, list[Item]]] = {}
    for item in usable:
        value = item.values.get("party")
        values = value if isinstance(value, list) else [value] if value else []
        for v in values:
            name = str(v.get("name") if isinstance(v, dict) else v).strip()
            if name:
                spellings.setdefault(party_key(name), {}).setdefault(name, []).append(item)
    for names in spellings.values():
        if len(names) > 1:
            out.append(
                Finding(
                    "party_name_inconsistent",
                    "warning",
                    "parties",
                    "One party is named in several ways: "
                    + ", ".join(f'"{n}"' for n in names)
                    + ". Use one legal name.",
                    _evidence(i for group in names.values() for i in group),
                )
            )

    body = "\n".join(c.text for c in draft.clauses)
    # The text names a party differently from its definition ("Acme Corporation" for "Acme Corp").
    for party in draft.parties:
        words = [w for w in re.findall(r"[\w&'-]+", party.name) if w.lower() not in _NAME_STOP]
        if not words:
            continue
        anchor = words[0]
        variants: set[str] = set()
        for m in re.finditer(rf"\b{re.escape(anchor)}\b", body):
            if body.startswith(party.name, m.start()):
                continue
            tail = re.match(r"[\w&'.-]+(?:\s+[A-Z][\w&'.-]*)*", body[m.start() :])
            variants.add(tail.group(0).rstrip(".,") if tail else anchor)
        for clause in draft.clauses:
            found = sorted(v for v in variants if v in clause.text)
            if found:
                out.append(
                    Finding(
                        "party_name_inconsistent",
                        "warning",
                        clause.key,
                        f"Clause {clause.number} calls {party.name} "
                        + ", ".join(f'"{v}"' for v in found)
                        + f'; the party is defined as "{party.name}" '
                        f'(the "{party.defined_as}").',
                        party.item_ids,
                    )
                )
                variants -= set(found)

    defined = {term for term, _ in draft.defined_terms}
    for clause in draft.clauses:
        for role in _ROLE_WORDS:
            if role not in defined and re.search(rf"\b{role}s?\b", clause.text):
                out.append(
                    Finding(
                        "defined_term_inconsistent",
                        "warning",
                        clause.key,
                        f'Clause {clause.number} uses "{role}", which this contract does not '
                        "define" + _defined_hint(draft) + ".",
                    )
                )
        for term in defined:
            if " " in term or term in {p.defined_as for p in draft.parties}:
                lower = term.lower()
                if re.search(rf"\b{re.escape(lower)}\b", clause.text):
                    out.append(
                        Finding(
                            "defined_term_inconsistent",
                            "warning",
                            clause.key,
                            f'Clause {clause.number} writes "{lower}" where the defined term is '
                            f'"{term}".',
                        )
                    )
    return out


def _defined_hint(draft: Draft) -> str:
    roles = [p.defined_as for p in draft.parties if p.defined_as != "Party"]
    return f" (the parties are the {' and the '.join(roles)})" if roles else ""


def _info_findings(draft: Draft, usable: Sequence[Item]) -> list[Finding]:
    out: list[Finding] = []
    by_id = {i.id: i for i in usable}
    used_ids = list(dict.fromkeys(p.item_id for c in draft.clauses for p in c.provenance))
    proposed = [by_id[i] for i in used_ids if i in by_id and by_id[i].review_status == "proposed"]
    if proposed:
        out.append(
            Finding(
                "unreviewed_items",
                "info",
                None,
                f"{len(proposed)} value(s) come from items nobody has reviewed yet: "
                + ", ".join(i.id for i in proposed)
                + ".",
                _evidence(proposed),
            )
        )
    for item in usable:
        if item.kind == "open_question":
            out.append(
                Finding(
                    "open_question",
                    "info",
                    None,
                    f'The meeting left a question open: "{item.statement}".',
                    _evidence([item]),
                )
            )
    in_draft = {party_key(p.name) for p in draft.parties}
    for entry in party_entries(usable):
        if party_key(entry.display) not in in_draft:
            out.append(
                Finding(
                    "extra_party",
                    "info",
                    "parties",
                    f"{entry.display} was named in the meeting but is not a party to this draft.",
                    _evidence(entry.sources),
                )
            )
    return out


def can_approve(findings: Iterable[Finding]) -> bool:
    """A draft can be approved only when QA found no blocker."""
    return not any(f.severity == "blocker" for f in findings)


def qa_report(draft: Draft, findings: Sequence[Finding]) -> dict[str, Any]:
    """The stored QA report: verdict, counts by severity, and the findings."""
    counts: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return {
        "contract_type": draft.contract_type,
        "version": draft.version,
        "can_approve": can_approve(findings),
        "counts": counts,
        "findings": [f.to_dict() for f in findings],
    }
