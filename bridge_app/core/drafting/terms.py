"""From reviewed items to the terms a draft may use: filtering, resolution and formatting.

Rules (from the drafting issue):

* rejected items are never used; accepted and still-proposed ones are; edited ones are used
  with the person's edit (which is what their ``values`` hold);
* superseded items are never used;
* a term the meeting did not settle becomes a visible placeholder, never an invented value;
* two usable items that give one term different values conflict. A person's review settles it
  (an accepted/edited value beats proposed ones); otherwise the term stays unsettled.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from bridge_app.core.drafting.model import Provenance, Quote
from bridge_app.core.drafting.playbook import liability_multiple
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_names import party_key

# A slot is a term a template asks for; it is read from the first of its value keys that any
# usable item carries (so an SOW's fee can come from "price" or "fee", and an effective date
# falls back to the agreed start date).
SCALAR_SLOTS: dict[str, tuple[str, ...]] = {
    "effective_date": ("effective_date", "start_date"),
    "start_date": ("start_date", "effective_date"),
    "end_date": ("end_date",),
    "price": ("price", "fee"),
    "quantity": ("quantity",),
    "payment_terms": ("payment_terms",),
    "term": ("term", "duration"),
    "governing_law": ("governing_law",),
    "confidentiality_period": ("confidentiality_period",),
    "liability_cap": ("liability_cap",),
    "notice_period": ("notice_period",),
    "renewal_period": ("renewal_period", "renewal_term"),
}
LIST_SLOTS: tuple[str, ...] = ("parties", "deliverables", "obligations", "decisions")

SLOT_LABELS: dict[str, str] = {
    "effective_date": "effective date",
    "start_date": "start date",
    "end_date": "end date",
    "price": "price",
    "quantity": "quantity",
    "payment_terms": "payment terms",
    "term": "term",
    "governing_law": "governing law",
    "confidentiality_period": "confidentiality period",
    "liability_cap": "liability cap",
    "notice_period": "notice period",
    "renewal_period": "renewal period",
    "parties": "parties",
    "deliverables": "deliverables",
    "obligations": "obligations",
    "decisions": "decisions",
}

_REVIEWED = frozenset({"accepted", "edited"})


def missing(label: str) -> str:
    """The visible placeholder for a term the meeting did not settle."""
    return f"[[MISSING: {label}]]"


def conflict(label: str) -> str:
    """The visible placeholder for a term with competing unresolved values."""
    return f"[[CONFLICT: {label}]]"


# ---------------------------------------------------------------- which items may be used


def superseded_ids(items: Sequence[Item]) -> set[str]:
    """Ids of items replaced by a later item that still stands.

    A replacement that a person rejected does not count: the value it would have replaced is
    then still the meeting's latest word.
    """
    by_id = {i.id: i for i in items}
    out: set[str] = set()
    for item in items:
        if item.superseded_by is not None:
            newer = by_id.get(item.superseded_by)
            if newer is None or newer.review_status != "rejected":
                out.add(item.id)
        if item.review_status != "rejected":
            out.update(item.supersedes)
    return out


def usable_items(items: Sequence[Item]) -> list[Item]:
    """The items a draft may use, in their original order."""
    gone = superseded_ids(items)
    return [i for i in items if i.review_status != "rejected" and i.id not in gone]


def is_reviewed(item: Item) -> bool:
    """Whether a person accepted or edited the item."""
    return item.review_status in _REVIEWED


# ---------------------------------------------------------------- formatting


def fmt_date(value: Any) -> str:
    """``2026-03-01`` → ``1 March 2026``; anything unparsable is shown as given."""
    d = parse_date(value)
    if d is None:
        return str(value)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def parse_date(value: Any) -> date | None:
    """An ISO date string as a date, or None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def fmt_amount(value: Any) -> str:
    """``{"amount": 45000, "currency": "USD"}`` → ``USD 45,000.00``.

    An amount without a currency keeps a currency placeholder: guessing one would invent a term.
    """
    if not isinstance(value, dict):
        return str(value)
    amount: Any = value.get("amount")
    currency = (value.get("currency") or "").strip().upper()
    try:
        shown = f"{float(amount):,.2f}"
    except (TypeError, ValueError):
        shown = str(amount)
    # A recurring or unit amount ("per": "seat/month") is never shown as a one-off total.
    per = str(value.get("per") or "").strip()
    shown = f"{shown} per {per.replace('/', ' per ')}" if per else shown
    return f"{currency} {shown}" if currency else f"{missing('currency')} {shown}"


def fmt_quantity(value: Any) -> str:
    """``{"value": 20, "unit": "licenses"}`` → ``20 licenses``."""
    if not isinstance(value, dict):
        return str(value)
    try:
        number = _num(float(value["value"]))
    except (KeyError, TypeError, ValueError):
        number = str(value.get("value"))
    unit = str(value.get("unit") or "").strip()
    return f"{number} {unit}".strip()


def fmt_payment_terms(value: Any) -> str:
    """``{"text": "net 30", "days": 30}`` → ``within 30 days of the date of invoice (net 30)``."""
    if not isinstance(value, dict):
        return str(value)
    text = str(value.get("text") or "").strip()
    days = value.get("days")
    if isinstance(days, int | float) and not isinstance(days, bool):
        base = f"within {_num(float(days))} days of the date of invoice"
        return f"{base} ({text})" if text and text.lower() not in base else base
    return text


def fmt_duration(value: Any) -> str:
    """``{"days": 365, "text": "12 months"}`` → ``12 months``."""
    if not isinstance(value, dict):
        return str(value)
    text = str(value.get("text") or "").strip()
    if text:
        return text
    days = value.get("days")
    return f"{_num(float(days))} days" if isinstance(days, int | float) else ""


def fmt_text(value: Any) -> str:
    """``{"text": "New York"}`` → ``New York``."""
    if isinstance(value, dict):
        return str(value.get("text") or value.get("name") or "").strip()
    return str(value)


def fmt_liability_cap(value: Any) -> str:
    """``{"multiple": 2}`` / "2x the fees" → ``2 times the fees paid and payable``; an amount as
    an amount."""
    if isinstance(value, dict) and "amount" in value:
        return fmt_amount(value)
    multiple = liability_multiple(value)
    if multiple is not None:
        return cap_words(multiple, "fees")
    return fmt_text(value)


def cap_words(multiple: float, fees: str) -> str:
    """A cap as a multiple of the fees, in words a contract uses."""
    if float(multiple) == 1.0:
        return f"an amount equal to the {fees} paid and payable"
    return f"an amount equal to {_num(float(multiple))} times the {fees} paid and payable"


def fmt_generic(value: Any) -> str:
    """Any agreed value, for a term no clause knows by name (amounts, durations, texts …)."""
    if isinstance(value, dict):
        if "amount" in value:
            return fmt_amount(value)
        if "value" in value and "unit" in value:
            return fmt_quantity(value)
        if "days" in value or "text" in value or "name" in value:
            return fmt_duration(value) if "days" in value else fmt_text(value)
        return ", ".join(f"{k.replace('_', ' ')} {fmt_generic(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(fmt_generic(v) for v in value)
    if isinstance(value, int | float):
        return _num(float(value))
    d = parse_date(value)
    return fmt_date(value) if d is not None and len(str(value)) == 10 else str(value)


FORMATTERS = {
    "effective_date": fmt_date,
    "start_date": fmt_date,
    "end_date": fmt_date,
    "price": fmt_amount,
    "fee": fmt_amount,
    "quantity": fmt_quantity,
    "payment_terms": fmt_payment_terms,
    "term": fmt_duration,
    "duration": fmt_duration,
    "confidentiality_period": fmt_duration,
    "governing_law": fmt_text,
    "deliverable": fmt_text,
    "liability_cap": fmt_liability_cap,
    "notice_period": fmt_duration,
    "renewal_period": fmt_duration,
    "renewal_term": fmt_duration,
    "unit_price": fmt_amount,
    "rate": fmt_amount,
    "cure_period": fmt_duration,
    "non_solicit_period": fmt_duration,
    "return_period": fmt_duration,
    "territory": fmt_text,
    "exclusivity": fmt_text,
}


def fmt_value(key: str, value: Any) -> str:
    """Format one ``Item.values`` entry for a clause."""
    return FORMATTERS.get(key, fmt_text)(value)


def value_identity(key: str, value: Any) -> str:
    """A canonical form used to decide whether two items give the same value."""
    if key in ("price", "fee") and isinstance(value, dict):
        amount: Any = value.get("amount")
        with contextlib.suppress(TypeError, ValueError):
            amount = round(float(amount), 2)
        return json.dumps([amount, (value.get("currency") or "").upper()])
    if key in FORMATTERS and FORMATTERS[key] is fmt_date:
        d = parse_date(value)
        return d.isoformat() if d else json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, dict) and set(value) <= {"text", "days"} and "days" in value:
        return json.dumps(value.get("days"))
    if isinstance(value, dict):
        return json.dumps(
            {k: (v.strip().lower() if isinstance(v, str) else v) for k, v in value.items()},
            sort_keys=True,
            default=str,
        )
    return json.dumps(value, sort_keys=True, default=str).lower()


def quotes_of(item: Item) -> tuple[Quote, ...]:
    """The item's evidence as provenance quotes."""
    return tuple(Quote(e.segment_id, e.start, e.end, e.speaker, e.quote) for e in item.evidence)


def provenance(item: Item, term: str, value: Any, display: str) -> Provenance:
    """A provenance record of one value taken from one item."""
    quotes = quotes_of(item)
    return Provenance(
        item_id=item.id,
        term=term,
        value=value,
        display=display,
        segment_ids=tuple(q.segment_id for q in quotes),
        quotes=quotes,
    )


# ---------------------------------------------------------------- resolution


@dataclass(slots=True)
class Resolved:
    """What the meeting settled for one scalar slot."""

    slot: str
    status: Literal["settled", "missing", "conflict"]
    key: str | None = None
    value: Any = None
    display: str = ""
    sources: list[Item] = field(default_factory=list)
    candidates: list[Item] = field(default_factory=list)  # all competing items on a conflict

    def provenance(self) -> list[Provenance]:
        """One provenance record per item that gave the settled value."""
        if self.status != "settled" or self.key is None:
            return []
        return [provenance(i, self.key, i.values[self.key], self.display) for i in self.sources]


def resolve_scalar(slot: str, usable: Sequence[Item]) -> Resolved:
    """Settle one scalar slot from the usable items (see the module rules)."""
    for key in SCALAR_SLOTS[slot]:
        carriers = [i for i in usable if key in i.values and i.values[key] not in (None, "", {})]
        if not carriers:
            continue
        groups: dict[str, list[Item]] = {}
        for item in carriers:
            groups.setdefault(value_identity(key, item.values[key]), []).append(item)
        if len(groups) > 1:
            reviewed = [g for g in groups.values() if any(is_reviewed(i) for i in g)]
            if len(reviewed) != 1:
                return Resolved(slot, "conflict", key=key, candidates=carriers)
            chosen = reviewed[0]
        else:
            chosen = next(iter(groups.values()))
        # The person-reviewed item's own words win, and lead the provenance.
        chosen = sorted(chosen, key=lambda i: (not is_reviewed(i), carriers.index(i)))
        value = chosen[0].values[key]
        return Resolved(
            slot, "settled", key=key, value=value, display=fmt_value(key, value), sources=chosen
        )
    return Resolved(slot, "missing")


def resolve_all(usable: Sequence[Item]) -> dict[str, Resolved]:
    """Every scalar slot, resolved."""
    return {slot: resolve_scalar(slot, usable) for slot in SCALAR_SLOTS}


@dataclass(slots=True)
class Entry:
    """One element of a list slot (a party, a deliverable, an obligation, a decision)."""

    display: str
    sources: list[Item]
    term: str
    values: list[Any]
    owner: str | None = None
    due: str | None = None

    def provenance(self) -> list[Provenance]:
        """One provenance record per item behind this element."""
        return [
            provenance(i, self.term, v, self.display)
            for i, v in zip(self.sources, self.values, strict=True)
        ]


def party_entries(usable: Sequence[Item]) -> list[Entry]:
    """Distinct parties named in ``values["party"]``, merged by normalized name."""
    out: dict[str, Entry] = {}
    for item in usable:
        value = item.values.get("party")
        values = value if isinstance(value, list) else [value] if value else []
        for v in values:
            name = fmt_text(v if isinstance(v, dict) else {"name": v})
            if not name:
                continue
            key = party_key(name)
            if key in out:
                out[key].sources.append(item)
                out[key].values.append(v)
                if is_reviewed(item) and not any(is_reviewed(s) for s in out[key].sources[:-1]):
                    out[key].display = name  # a person's spelling wins
            else:
                out[key] = Entry(display=name, sources=[item], term="party", values=[v])
    return list(out.values())


def party_role(entry: Entry) -> str:
    """The role given for a party (from its first item that names one)."""
    for v in entry.values:
        if isinstance(v, dict) and v.get("role"):
            return str(v["role"]).strip().lower()
    return ""


def deliverable_entries(usable: Sequence[Item]) -> list[Entry]:
    """Distinct deliverables, in meeting order."""
    out: dict[str, Entry] = {}
    for item in usable:
        value = item.values.get("deliverable")
        values = value if isinstance(value, list) else [value] if value else []
        for v in values:
            text = fmt_text(v)
            if not text:
                continue
            key = text.lower().rstrip(".")
            if key in out:
                out[key].sources.append(item)
                out[key].values.append(v)
            else:
                out[key] = Entry(display=text, sources=[item], term="deliverable", values=[v])
    return list(out.values())


def obligation_value(item: Item) -> dict[str, Any]:
    """What an action item contributes to a draft: its statement, owner and due date."""
    return {"text": item.statement, "owner": item.owner, "due": item.due}


def decision_entries(usable: Iterable[Item]) -> list[Entry]:
    """Decisions without term values, as agreed points in their own words."""
    return [
        Entry(
            display=item.statement.strip().rstrip(".") + ".",
            sources=[item],
            term="decision",
            values=[item.statement],
        )
        for item in usable
        if item.kind == "decision" and not item.values
    ]


# Value keys that are bookkeeping, never a term a contract states: "negotiation" is the history
# of every value said for a term (most never agreed), "due_text" the words of a due date.
BOOKKEEPING_KEYS = frozenset({"due_text", "negotiation"})

# Every value key some clause asks for by name; any other agreed key goes to the clause
# "Additional Agreed Terms" (a new extractor key needs a slot here only to get its own wording).
ALL_VALUE_KEYS = frozenset(k for keys in SCALAR_SLOTS.values() for k in keys) | {
    "party",
    "deliverable",
}
