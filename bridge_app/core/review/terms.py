"""The terms each contract type needs, their status in a meeting, and typed reviewer input.

The list of required terms is read from the templates' clause ``needs`` (defined once, there);
this module adds how each term is entered (money with currency, a date, a number of days, a
party with its role, a list of deliverables, a law) and which ``Item.values`` key holds it.
A value a reviewer enters without selecting a transcript line is *reviewer-entered*: it has no
evidence, and everything that shows it says so with :data:`REVIEWER_ENTERED`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from bridge_app.core.drafting.draft import make_draft
from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.drafting.terms import (
    SCALAR_SLOTS,
    deliverable_entries,
    fmt_value,
    resolve_scalar,
    usable_items,
)
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import CONTRACT_TYPES

REVIEWER_ENTERED = "entered by reviewer, no transcript support"
# Item ids of reviewer-entered terms start with this, so they never clash with extracted ones.
REVIEWER_ITEM_PREFIX = "reviewer-"

FieldKind = Literal["money", "date", "days", "duration", "party", "list", "law"]
TermStatus = Literal["found", "missing", "not_agreed"]
STATUS_LABELS: dict[str, str] = {
    "found": "found",
    "missing": "missing",
    "not_agreed": "not agreed",
}

CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "INR")
DURATION_UNITS: dict[str, int] = {"days": 1, "weeks": 7, "months": 30, "years": 365}
MAX_AMOUNT = Decimal("1000000000000")
MAX_DAYS = 3650
MAX_TEXT = 300
MAX_DELIVERABLES = 50


@dataclass(frozen=True, slots=True)
class TermSpec:
    """How one required term is entered and stored."""

    term: str  # the template slot: price, start_date, party_1, deliverables …
    label: str
    kind: FieldKind
    value_key: str  # the Item.values key a reviewer's value is written to


_SPECS: dict[str, TermSpec] = {
    s.term: s
    for s in (
        TermSpec("effective_date", "Effective date", "date", "effective_date"),
        TermSpec("start_date", "Start date", "date", "start_date"),
        TermSpec("end_date", "End date", "date", "end_date"),
        TermSpec("price", "Fee", "money", "price"),
        TermSpec("payment_terms", "Payment terms (days)", "days", "payment_terms"),
        TermSpec("term", "Term", "duration", "term"),
        TermSpec(
            "confidentiality_period", "Confidentiality period", "duration", "confidentiality_period"
        ),
        TermSpec("governing_law", "Governing law", "law", "governing_law"),
        TermSpec("deliverables", "Deliverables", "list", "deliverable"),
        TermSpec("party_1", "First party", "party", "party"),
        TermSpec("party_2", "Second party", "party", "party"),
    )
}
# An amendment needs "amended terms": any of these, so they are what the reviewer fills.
_AMENDABLE = ("price", "payment_terms", "end_date", "start_date")


class TermInputError(ValueError):
    """Typed input that cannot be a value of the term (the message is for people)."""


def required_terms(contract_type: str) -> list[TermSpec]:
    """The terms a contract of this type needs, in the order its clauses ask for them."""
    if contract_type not in TEMPLATES:
        raise TermInputError(
            f"unknown contract type '{contract_type}'; use one of {', '.join(CONTRACT_TYPES)}"
        )
    out: list[str] = []
    for clause in TEMPLATES[contract_type].clauses:
        for need in clause.needs:
            names = _AMENDABLE if need == "amended_terms" else (need,)
            out += [n for n in names if n not in out]
    specs = [spec(n, contract_type) for n in out]
    return specs


def spec(term: str, contract_type: str | None = None) -> TermSpec:
    """The spec of one term; party labels use the contract type's role names."""
    if term not in _SPECS:
        raise TermInputError(f"'{term}' is not a term a reviewer can set")
    base = _SPECS[term]
    if base.kind == "party" and contract_type in TEMPLATES:
        roles = TEMPLATES[contract_type].roles
        role = roles[0] if term == "party_1" else roles[1]
        if role != "Party":
            return TermSpec(base.term, role, base.kind, base.value_key)
    return base


def party_role_value(term: str, contract_type: str) -> str:
    """The role written into a reviewer-entered party, so drafting puts it on its side."""
    roles = TEMPLATES[contract_type].roles
    role = roles[0] if term == "party_1" else roles[1]
    return (
        role.lower()
        if role != "Party"
        else ("first party" if term == "party_1" else "second party")
    )


# ---------------------------------------------------------------- status of each term


@dataclass(frozen=True, slots=True)
class TermRow:
    """One line of the checklist: a required term, its status and what fills it."""

    term: str
    label: str
    kind: FieldKind
    status: TermStatus
    display: str
    item_ids: tuple[str, ...]
    reviewer_entered: bool  # filled only by reviewer values with no transcript line


def is_reviewer_entered(item: Item) -> bool:
    """A reviewer's value with no transcript line behind it."""
    return item.id.startswith(REVIEWER_ITEM_PREFIX) and not item.evidence


def checklist(
    items: Sequence[Item], contract_type: str, *, meeting_title: str, meeting_date: date
) -> list[TermRow]:
    """Every required term of the contract type: found, missing or not agreed, from the items
    as reviewed now (the same rules the draft uses)."""
    usable = usable_items(items)
    by_id = {i.id: i for i in items}
    doc = make_draft(
        items,
        contract_type=contract_type,  # type: ignore[arg-type]
        meeting_title=meeting_title,
        meeting_date=meeting_date,
        today=meeting_date,
    )
    parties = list(doc.parties)
    party_clause = next((c for c in doc.clauses if c.key == "parties"), None)
    rows: list[TermRow] = []
    for s in required_terms(contract_type):
        status: TermStatus
        display = ""
        ids: tuple[str, ...] = ()
        if s.kind == "party":
            index = 0 if s.term == "party_1" else 1
            if index < len(parties):
                status, display, ids = "found", parties[index].name, parties[index].item_ids
            else:
                status = "missing"
            if party_clause is not None and s.term in party_clause.conflicts:
                status = "not_agreed"
        elif s.term == "deliverables":
            entries = deliverable_entries(usable)
            status = "found" if entries else "missing"
            display = "; ".join(e.display for e in entries)
            ids = tuple(dict.fromkeys(i.id for e in entries for i in e.sources))
        elif s.term in SCALAR_SLOTS:
            res = resolve_scalar(s.term, usable)
            status = {"settled": "found", "missing": "missing", "conflict": "not_agreed"}[
                res.status
            ]  # type: ignore[assignment]
            display = res.display
            chosen = res.sources if res.status == "settled" else res.candidates
            ids = tuple(i.id for i in chosen)
            if res.status == "conflict" and res.key is not None:
                display = " / ".join(
                    dict.fromkeys(fmt_value(res.key, i.values[res.key]) for i in chosen)
                )
        else:  # pragma: no cover - every spec is one of the above
            continue
        reviewer = bool(ids) and all(is_reviewer_entered(by_id[i]) for i in ids if i in by_id)
        rows.append(TermRow(s.term, s.label, s.kind, status, display, tuple(ids), reviewer))
    return rows


def missing_term_of(placeholder_label: str, contract_type: str) -> str | None:
    """The term a ``[[MISSING: label]]`` placeholder stands for (None if no field fills it)."""
    label = placeholder_label.strip().lower()
    aliases = {
        "first party": "party_1",
        "second party": "party_2",
        "amended terms": "price",
        "currency": "price",
        "price": "price",
        "deliverables": "deliverables",
    }
    if label in aliases:
        return aliases[label]
    for s in required_terms(contract_type):
        if label in (s.label.lower(), s.term.replace("_", " ")):
            return s.term
    for name in _SPECS:
        if label == name.replace("_", " "):
            return name
    return None


# ---------------------------------------------------------------- typed input → value


def _text(fields: Mapping[str, Any], name: str, what: str) -> str:
    value = str(fields.get(name) or "").strip()
    if not value:
        raise TermInputError(f"enter the {what}")
    if len(value) > MAX_TEXT:
        raise TermInputError(f"the {what} is longer than {MAX_TEXT} characters")
    return value


def parse_date_field(raw: str, what: str = "date") -> str:
    """A ``YYYY-MM-DD`` date of a real calendar day in 1900–2199, or a clear message."""
    raw = (raw or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise TermInputError(f"the {what} must be a date like 2026-03-02 (got '{raw[:40]}')")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise TermInputError(f"{raw} is not a real calendar date") from None
    if not 1900 <= day.year < 2200:
        raise TermInputError(f"the year {day.year} is not plausible for a {what}")
    return day.isoformat()


def _whole_number(raw: Any, what: str, low: int, high: int) -> int:
    text = str(raw or "").strip()
    if not re.fullmatch(r"\d{1,6}", text):
        raise TermInputError(f"the {what} must be a whole number")
    number = int(text)
    if not low <= number <= high:
        raise TermInputError(f"the {what} must be between {low} and {high}")
    return number


def parse_term_input(
    term: str, fields: Mapping[str, Any], contract_type: str
) -> tuple[str, Any, str]:
    """Typed fields → ``(value key, value, display)`` in the item value shapes of extraction.

    Fields by kind: money ``amount``, ``currency``; date ``date``; days ``days``; duration
    ``number``, ``unit``; party ``name`` (the role comes from the term); list ``items``
    (a list, or one per line); law ``law``.
    """
    s = spec(term, contract_type)
    value: Any
    if s.kind == "money":
        raw = str(fields.get("amount") or "").strip().replace(",", "")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise TermInputError("the amount must be a number, like 42000 or 42000.50") from None
        if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
            raise TermInputError("the amount must be more than 0")
        if amount != amount.quantize(Decimal("0.01")):
            raise TermInputError("the amount can have at most two decimals")
        currency = str(fields.get("currency") or "").strip().upper()
        if currency not in CURRENCIES:
            raise TermInputError("choose a currency: " + ", ".join(CURRENCIES))
        value = {"amount": float(amount), "currency": currency}
    elif s.kind == "date":
        value = parse_date_field(str(fields.get("date") or ""), s.label.lower())
    elif s.kind == "days":
        days = _whole_number(fields.get("days"), "number of days", 0, MAX_DAYS)
        value = {"text": f"net {days}", "days": days}
    elif s.kind == "duration":
        number = _whole_number(fields.get("number"), s.label.lower(), 1, 10_000)
        unit = str(fields.get("unit") or "").strip().lower()
        if unit not in DURATION_UNITS:
            raise TermInputError("choose a unit: " + ", ".join(DURATION_UNITS))
        days = number * DURATION_UNITS[unit]
        if days > 100 * 365:
            raise TermInputError(f"the {s.label.lower()} is longer than 100 years")
        shown = unit[:-1] if number == 1 else unit
        value = {"days": days, "text": f"{number} {shown}"}
    elif s.kind == "party":
        name = _text(fields, "name", "party's name")
        value = {"name": name, "role": party_role_value(term, contract_type)}
    elif s.kind == "list":
        raw_items = fields.get("items")
        lines = raw_items if isinstance(raw_items, list) else str(raw_items or "").splitlines()
        texts = [str(x).strip().lstrip("-•* ").strip() for x in lines]
        texts = [t for t in texts if t]
        if not texts:
            raise TermInputError("enter at least one deliverable (one per line)")
        if len(texts) > MAX_DELIVERABLES:
            raise TermInputError(f"at most {MAX_DELIVERABLES} deliverables")
        if any(len(t) > MAX_TEXT for t in texts):
            raise TermInputError(f"each deliverable must be under {MAX_TEXT} characters")
        value = [{"text": t} for t in texts]
    else:  # law
        value = {"text": _text(fields, "law", "governing law (a country or state)")}
    if s.kind == "list":
        display = "; ".join(v["text"] for v in value)
    elif s.kind == "party":
        display = value["name"]
    else:
        display = fmt_value(s.value_key, value)
    return s.value_key, value, display


def value_display(value_key: str, value: Any) -> str:
    """One stored value in words (never a Python or JSON literal)."""
    if isinstance(value, list):
        return "; ".join(value_display(value_key, v) for v in value)
    if value_key == "party" and isinstance(value, dict):
        role = str(value.get("role") or "").strip()
        name = str(value.get("name") or "").strip()
        return f"{name} ({role})" if role else name
    return fmt_value(value_key, value)
