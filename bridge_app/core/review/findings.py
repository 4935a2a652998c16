"""QA findings as a lawyer reads them: one finding per problem, in plain words, each with
where to fix it; and the template's default terms that nobody discussed.

QA (core/drafting/qa.py) stays a list of checks with codes for the API; this module only
presents them. Codes and item ids never reach the sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from bridge_app.core.drafting.model import PLACEHOLDER_RE, Draft, Finding
from bridge_app.core.drafting.terms import SCALAR_SLOTS
from bridge_app.core.extraction.model import Item
from bridge_app.core.review.terms import missing_term_of, required_terms, spec, value_display

FixKind = Literal["term", "item", "clause", "regenerate", "none"]

# Shown next to each severity instead of the API's words.
SEVERITY_LABELS = {"blocker": "Must fix", "warning": "Check", "info": "Note"}


@dataclass(frozen=True, slots=True)
class PlainFinding:
    """One problem: how bad, in words, and what to open to fix it."""

    severity: str
    sentence: str
    fix: FixKind
    target: str  # a term, an item id or a clause key (empty for regenerate / none)
    fix_label: str
    clause: str | None
    codes: tuple[str, ...]  # the QA codes merged into this finding (for the API)


@dataclass(frozen=True, slots=True)
class TemplateDefault:
    """A term the template writes in by default, and words that show the meeting discussed it."""

    pattern: str
    sentence: str
    discussed_if: tuple[str, ...]


TEMPLATE_DEFAULTS: tuple[TemplateDefault, ...] = (
    TemplateDefault(
        r"review each Deliverable within (\S+) business days",
        "Deliverables count as accepted if the Client raises no written objection within {} "
        "business days.",
        ("acceptance", "accept the deliverable", "sign-off", "sign off"),
    ),
    TemplateDefault(
        r"exclusive jurisdiction",
        "Only the courts of the governing-law place may hear disputes (exclusive courts).",
        ("court", "jurisdiction", "arbitration", "dispute"),
    ),
    TemplateDefault(
        r"exclusive of\s+applicable taxes",
        "Fees are exclusive of taxes (tax is charged on top).",
        ("tax", "vat", "gst"),
    ),
    TemplateDefault(
        r"return or destroy",
        "The receiving party must return or destroy confidential information on request.",
        ("return or destroy", "destroy", "return the information"),
    ),
    TemplateDefault(
        r"Electronic signatures are binding",
        "Electronic signatures are binding.",
        ("signature", "e-sign", "docusign"),
    ),
)


def _label(term: str, contract_type: str) -> str:
    try:
        label = spec(term, contract_type).label.lower()
    except ValueError:
        label = term.replace("_", " ")
    return label.split(" (")[0]  # "payment terms (days)" → "payment terms"


def _is(label: str) -> str:
    return "are" if label.endswith("s") else "is"


def _clause_name(draft: Draft, key: str | None) -> str:
    for clause in draft.clauses:
        if clause.key == key:
            return f"clause {clause.number} ({clause.heading})"
    return "the draft"


def _checklist_terms(contract_type: str) -> set[str]:
    return {s.term for s in required_terms(contract_type)}


def _term_fix(term: str | None, contract_type: str) -> tuple[FixKind, str, str]:
    if term and term in _checklist_terms(contract_type):
        return "term", term, f"Set the {_label(term, contract_type)}"
    return "none", "", ""


_SLOT_OF_VALUE_KEY = {
    "fee": "price",
    "duration": "term",
    "party": "party_1",
    "deliverable": "deliverables",
}


def _term_of(finding: Finding) -> str | None:
    term = str(finding.data.get("term") or "") or None
    return _SLOT_OF_VALUE_KEY.get(term or "", term)


def _placeholder(finding: Finding) -> tuple[str, str]:
    m = PLACEHOLDER_RE.search(str(finding.data.get("placeholder") or ""))
    return (m.group(1), m.group(2)) if m else ("MISSING", "a term")


def problem_key(finding: Finding, contract_type: str) -> tuple[str, ...]:
    """Findings with the same key are one problem (a missing fee is one problem, however many
    checks see it)."""
    code, term = finding.code, _term_of(finding)
    if code == "missing_required_term" and term:
        return ("term", term)
    if code == "placeholder_left":
        kind, label = _placeholder(finding)
        slot = missing_term_of(label, contract_type) or label
        return ("conflict" if kind == "CONFLICT" else "term", slot)
    if code == "conflicting_items":
        return ("conflict", term or "+".join(sorted(finding.evidence)))
    if code in ("value_mismatch", "source_missing"):
        return ("stale", finding.clause or "")
    if code == "party_name_inconsistent":
        return ("party-name", finding.clause or "")
    if code == "unreviewed_items":
        return ("unreviewed",)
    if code in ("amount_without_currency", "currency_mismatch"):
        return (code, finding.clause or "")
    if code == "end_before_start":
        return (code,)
    if code == "extra_party":
        return (code, finding.message)
    return (code, finding.clause or "", finding.message)


def problem_count(findings: Sequence[Finding], contract_type: str, severity: str) -> int:
    """How many distinct problems of this severity (after merging) the findings describe."""
    return len({problem_key(f, contract_type) for f in findings if f.severity == severity})


@dataclass(frozen=True, slots=True)
class _Seen:
    """What a sentence may use: the finding, its clause in words, its term and first item."""

    finding: Finding
    draft: Draft
    items: dict[str, Item]
    where: str
    term: str | None

    @property
    def ctype(self) -> str:
        return self.draft.contract_type

    def label(self, default: str = "value") -> str:
        return _label(self.term, self.ctype) if self.term else default


# A sentence and where to fix it, or None for a finding that is not a real problem.
Said = tuple[str, tuple[FixKind, str, str]] | None
_NO_FIX: tuple[FixKind, str, str] = ("none", "", "")
_REGENERATE: tuple[FixKind, str, str] = ("regenerate", "", "Regenerate the draft")


def _as_written(seen: _Seen) -> Said:
    """The check's own message: plain words that name no code and no id."""
    return seen.finding.message, _term_fix(seen.term, seen.ctype)


def _missing_term(seen: _Seen) -> Said:
    label = seen.label("term")
    return (
        f"The {label} {_is(label)} missing: the meeting did not settle it, so the draft has a "
        "blank.",
        _term_fix(seen.term, seen.ctype),
    )


def _placeholder_left(seen: _Seen) -> Said:
    kind, label = _placeholder(seen.finding)
    slot = missing_term_of(label, seen.ctype)
    label = _label(slot, seen.ctype) if slot else label
    if kind == "CONFLICT":
        return (
            f"The meeting gave different values for the {label}; pick one.",
            _term_fix(slot, seen.ctype),
        )
    return (
        f"The {label} {_is(label)} missing: {seen.where} still has a blank for it.",
        _term_fix(slot, seen.ctype),
    )


def _said_value(item: Item, slot: str | None) -> str:
    """What one competing item says for the slot: its value in words, else its statement."""
    for key in SCALAR_SLOTS.get(slot or "", ()):
        if item.values.get(key) not in (None, "", {}, []):
            return value_display(key, item.values[key])
    return f'"{item.statement.strip().rstrip(".")}"'


def _conflicting(seen: _Seen) -> Said:
    items = seen.items
    values = sorted({_said_value(items[i], seen.term) for i in seen.finding.evidence if i in items})
    said = (": " + " or ".join(values[:3])) if values else ""
    return (
        f"The meeting gave different values for the {seen.label('same point')}{said}. Pick one.",
        _term_fix(seen.term, seen.ctype),
    )


def _stale_value(seen: _Seen) -> Said:
    return (
        f"{seen.where[:1].upper()}{seen.where[1:]} no longer matches the reviewed "
        f"{seen.label()}; regenerate the draft.",
        _REGENERATE,
    )


def _source_gone(seen: _Seen) -> Said:
    return (
        f"A value in {seen.where} comes from an item that no longer exists; regenerate the draft.",
        _REGENERATE,
    )


def _party_name(seen: _Seen) -> Said:
    # "Clause N calls X "v1", "v2"; the party is defined as "X" (the "Role")": a variant
    # inside the quoted meeting title is the title, not a second name for the party.
    finding = seen.finding
    variants = re.findall(r'"([^"]+)"', finding.message)[:-2]
    if (
        finding.clause != "parties"
        and variants
        and all(v in seen.draft.meeting_title for v in variants)
    ):
        return None
    return finding.message.replace("One party", "A party"), _term_fix("party_1", seen.ctype)


def _unreviewed(seen: _Seen) -> Said:
    count = len([e for e in seen.finding.evidence if e in seen.items])
    return (
        f"{count or 'Some'} value(s) in the draft come from items nobody has reviewed yet.",
        ("item", _first_item(seen), "Review the items") if count > 1 else _NO_FIX,
    )


def _first_item(seen: _Seen) -> str:
    return next((e for e in seen.finding.evidence if e in seen.items), "")


def _money(seen: _Seen) -> Said:
    return seen.finding.message, _term_fix("price", seen.ctype)


def _extra_party(seen: _Seen) -> Said:
    return seen.finding.message, _term_fix("party_2", seen.ctype)


def _unused_term(seen: _Seen) -> Said:
    key = str(seen.finding.data.get("term") or "")
    value = seen.finding.data.get("value")
    shown = value_display(key, value) if value not in (None, "", {}, []) else ""
    return (
        f"The meeting agreed the {seen.label('term')}" + (f" ({shown})" if shown else "") + ", "
        "but no clause of the draft uses it.",
        _term_fix(seen.term, seen.ctype),
    )


# Every QA code (vocabulary QA_CODES) and how a lawyer reads it; a test keeps them the same set.
PLAIN_TEXT: dict[str, Callable[[_Seen], Said]] = {
    "missing_required_term": _missing_term,
    "placeholder_left": _placeholder_left,
    "value_mismatch": _stale_value,
    "source_missing": _source_gone,
    "conflicting_items": _conflicting,
    "end_before_start": _as_written,
    "date_in_past": _as_written,
    "amount_without_currency": _money,
    "currency_mismatch": _money,
    "party_name_inconsistent": _party_name,
    "defined_term_inconsistent": _as_written,
    "obligation_unassigned": _as_written,
    "unreviewed_items": _unreviewed,
    "open_question": _as_written,
    "extra_party": _extra_party,
    "obligation_party_unknown": _as_written,
    "first_person_text": _as_written,
    "term_not_in_contract": _unused_term,
    "playbook_deviation": _as_written,
    "playbook_forbidden_text": _as_written,
    "counterparty_change": _as_written,
    "clause_edited": _as_written,
}


def _plain(
    finding: Finding, draft: Draft, items: dict[str, Item]
) -> tuple[tuple[str, ...], PlainFinding] | None:
    """(merge key, finding in words) — or None for a finding that is not a real problem."""
    seen = _Seen(finding, draft, items, _clause_name(draft, finding.clause), _term_of(finding))
    said = PLAIN_TEXT.get(finding.code, _as_written)(seen)
    if said is None:
        return None
    sentence, (kind, target, label) = said
    # Nothing to set: open the item the finding points at, else its clause.
    first_item = next((e for e in finding.evidence if e in items), "")
    if kind == "none" and first_item:
        kind, target, label = "item", first_item, "Review the item"
    if kind == "none" and finding.clause:
        kind, target, label = "clause", finding.clause, "Go to the clause"
    return problem_key(finding, draft.contract_type), PlainFinding(
        finding.severity, sentence, kind, target, label, finding.clause, (finding.code,)
    )


def plain_findings(
    findings: Sequence[Finding], draft: Draft, items: Sequence[Item]
) -> list[PlainFinding]:
    """One finding per problem, worst first: findings about the same term, conflict or stale
    clause are merged (keeping the worst severity and every code)."""
    by_id = {i.id: i for i in items}
    merged: dict[tuple[str, ...], PlainFinding] = {}
    rank = {"blocker": 0, "warning": 1, "info": 2}
    ctype = draft.contract_type
    contested = {problem_key(f, ctype) for f in findings if f.code == "conflicting_items"}
    for finding in findings:
        if finding.code == "term_not_in_contract" and ("conflict", _term_of(finding)) in contested:
            continue  # competing values no clause took: the conflict is the one problem
        out = _plain(finding, draft, by_id)
        if out is None:
            continue
        key, plain = out
        if key in merged:
            old = merged[key]
            best = old if rank[old.severity] <= rank[plain.severity] else plain
            codes = tuple(dict.fromkeys((*old.codes, *plain.codes)))
            merged[key] = PlainFinding(
                best.severity,
                old.sentence if old.fix != "none" or plain.fix == "none" else plain.sentence,
                old.fix if old.fix != "none" else plain.fix,
                old.target if old.fix != "none" else plain.target,
                old.fix_label if old.fix != "none" else plain.fix_label,
                old.clause or plain.clause,
                codes,
            )
        else:
            merged[key] = plain
    return sorted(merged.values(), key=lambda f: rank.get(f.severity, 3))


def template_defaults(draft: Draft, items: Sequence[Item]) -> list[tuple[str, str]]:
    """(clause key, sentence) for each default term the template wrote that no item mentions."""
    said = " ".join(i.statement.lower() for i in items if i.review_status != "rejected")
    out = []
    for default in TEMPLATE_DEFAULTS:
        if any(word in said for word in default.discussed_if):
            continue
        for clause in draft.clauses:
            found = re.search(default.pattern, clause.text)
            if found:
                out.append((clause.key, default.sentence.format(*found.groups())))
                break
    return out


def blocker_count(plain: Sequence[PlainFinding]) -> int:
    """Problems that must be fixed before approval (after merging)."""
    return sum(1 for f in plain if f.severity == "blocker")
