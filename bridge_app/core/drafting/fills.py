"""Filling a template's slots from the meeting's items: each slot's value in words, recorded as
the clause reads it (so provenance is exactly what the text shows), the parties' sides,
deliverables, obligations, other agreed terms, the payment schedule, and the playbook's
positions in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bridge_app.core.drafting.language import Side, obligation_sentence, pronouns, speaker_sides
from bridge_app.core.drafting.model import (
    Party,
    Provenance,
)
from bridge_app.core.drafting.payments import find_schedule, schedule_lines
from bridge_app.core.drafting.playbook import Playbook
from bridge_app.core.drafting.templates import (
    SHORT_NAMES,
)
from bridge_app.core.drafting.terms import (
    ALL_VALUE_KEYS,
    BOOKKEEPING_KEYS,
    SLOT_LABELS,
    Entry,
    cap_words,
    conflict,
    decision_entries,
    deliverable_entries,
    fmt_amount,
    fmt_date,
    fmt_generic,
    missing,
    obligation_value,
    party_entries,
    party_role,
    provenance,
    resolve_all,
)
from bridge_app.core.extraction.model import Item

_BUYER_ROLES = frozenset(
    {"client", "customer", "buyer", "purchaser", "licensee", "investor", "recipient"}
)
_SELLER_ROLES = frozenset(
    {
        "provider",
        "service provider",
        "vendor",
        "supplier",
        "seller",
        "contractor",
        "consultant",
        "licensor",
        "company",
        "agency",
    }
)


@dataclass(slots=True)
class _Filled:
    value: str | list[str]
    status: Literal["settled", "missing", "conflict"]
    provenance: list[Provenance] = field(default_factory=list)
    item_ids: list[str] = field(default_factory=list)


class Recorder:
    """``t`` in templates: hands out filled values and remembers which ones the text used."""

    def __init__(self, fills: dict[str, _Filled]):
        self._fills = fills
        self.used: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        filled = self._fills[name]  # KeyError: a template asked for a slot that doesn't exist
        if name not in self.used:
            self.used.append(name)
        return filled.value


class Has:
    """``has`` in templates: whether the meeting said anything about a slot."""

    def __init__(self, fills: dict[str, _Filled]):
        self._fills = fills

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._fills[name].status != "missing"


def _list_fill(entries: list[Entry], label: str) -> _Filled:
    if not entries:
        return _Filled([missing(label)], "missing")
    prov = [p for e in entries for p in e.provenance()]
    return _Filled([e.display for e in entries], "settled", prov, [p.item_id for p in prov])


def _assign_parties(entries: list[Entry]) -> tuple[Entry | None, Entry | None]:
    """Buyer-side roles go first, seller-side second, the rest fill the gaps in meeting order."""
    first = next((e for e in entries if party_role(e) in _BUYER_ROLES), None)
    second = next((e for e in entries if party_role(e) in _SELLER_ROLES and e is not first), None)
    rest = [e for e in entries if e is not first and e is not second]
    if first is None and rest:
        first = rest.pop(0)
    if second is None and rest:
        second = rest.pop(0)
    return first, second


# Value keys that are not terms "Additional Agreed Terms" states (the schedule has its clause).
_NOT_TERMS = BOOKKEEPING_KEYS | {"payment_schedule"}
# Per contract type: the buyer, the seller, the word for the money, and the default invoicing.
MONEY_SLOTS: dict[str, tuple[str, str, str, str]] = {
    "sow": ("Client", "Provider", "Fees", "as they fall due"),
    "msa-amendment": ("Customer", "Provider", "fees", "as they fall due"),
    "order-form": ("Customer", "Vendor", "Price", "on the Effective Date"),
    "term-sheet": ("Buyer", "Seller", "price", "as agreed"),
    "nda": ("Party", "Party", "fees", "as agreed"),
}


def fill_slots(
    usable: list[Item], contract_type: str, roles: tuple[str, str]
) -> tuple[dict[str, _Filled], list[Party]]:
    fills: dict[str, _Filled] = {}
    resolved = resolve_all(usable)
    for slot, res in resolved.items():
        label = SLOT_LABELS[slot]
        if res.status == "settled":
            prov = res.provenance()
            fills[slot] = _Filled(res.display, "settled", prov, [p.item_id for p in prov])
        elif res.status == "conflict":
            fills[slot] = _Filled(
                conflict(label), "conflict", item_ids=[i.id for i in res.candidates]
            )
        else:
            fills[slot] = _Filled(missing(label), "missing")

    parties: list[Party] = []
    slot_labels = (
        ("first party", "second party")
        if contract_type == "nda"
        else tuple(r.lower() for r in roles)
    )
    for slot, entry, role, label in zip(
        ("party_1", "party_2"),
        _assign_parties(party_entries(usable)),
        roles,
        slot_labels,
        strict=True,
    ):
        if entry is None:
            fills[slot] = _Filled(missing(label), "missing")
            continue
        prov = entry.provenance()
        fills[slot] = _Filled(entry.display, "settled", prov, [p.item_id for p in prov])
        parties.append(
            Party(
                name=entry.display,
                role=party_role(entry),
                defined_as=role,
                item_ids=tuple(dict.fromkeys(i.id for i in entry.sources)),
            )
        )
    # In a mutual NDA both parties are "a Party": obligations then name the company.
    named = [(p.name, p.name if p.defined_as == "Party" else p.defined_as) for p in parties]
    sides = speaker_sides(usable, named)
    terms = [term for _, term in named]

    fills["deliverables"] = _list_fill(_deliverables(usable, sides), "deliverables")
    fills["obligations"] = _list_fill(_obligations(usable, sides, terms), "obligations")
    fills["decisions"] = _list_fill(decision_entries(usable), "decisions")
    fills["other_terms"] = _list_fill(_other_terms(usable), "other terms")
    _schedule_fill(fills, usable, contract_type, resolved["price"].value)

    amended = ("price", "payment_terms", "end_date", "term", "start_date", "deliverables")
    any_amended = any(fills[s].status != "missing" for s in amended)
    fills["amended_terms"] = _Filled(
        "" if any_amended else missing("amended terms"),
        "settled" if any_amended else "missing",
    )
    return fills, parties


def _deliverables(usable: list[Item], sides: dict[str, Side]) -> list[Entry]:
    """Deliverables in the contract's voice: "for your analysts" said by the provider's people
    becomes "for the Client's analysts"."""
    terms = sorted({s.defined_as for s in sides.values()})
    out = []
    for entry in deliverable_entries(usable):
        speaker = entry.sources[0].owner or next((e.speaker for e in entry.sources[0].evidence), "")
        side = sides.get((speaker or "").strip())
        if side is not None:
            others = [t for t in terms if t != side.defined_as]
            entry.display = pronouns(
                entry.display, side.defined_as, others[0] if len(others) == 1 else None
            )
        out.append(entry)
    return out


def _obligations(usable: list[Item], sides: dict[str, Side], terms: list[str]) -> list[Entry]:
    """Action items as third-person obligations of the owner's party (see language.py)."""
    out = []
    for item in usable:
        if item.kind != "action_item":
            continue
        owner = (item.owner or "").strip() or None
        sentence = obligation_sentence(
            item.statement,
            speaker=owner,
            sides=sides,
            due_display=fmt_date(item.due) if item.due else None,
            due_text=str(item.values.get("due_text") or "") or None,
            parties=terms,
        )
        out.append(
            Entry(
                display=sentence.text,
                sources=[item],
                term="obligation",
                values=[obligation_value(item)],
                owner=owner,
                due=item.due,
            )
        )
    return out


def _other_terms(usable: list[Item]) -> list[Entry]:
    """Agreed values that no clause asks for by name (territory, exclusivity …): each one is
    stated in "Additional Agreed Terms", so no said term is silently dropped."""
    out: dict[str, Entry] = {}
    for item in usable:
        if item.kind not in ("agreed_term", "decision"):
            continue
        for key, value in item.values.items():
            if key in ALL_VALUE_KEYS or key in _NOT_TERMS or value in (None, "", {}, []):
                continue
            display = f"{key.replace('_', ' ').capitalize()}: {fmt_generic(value)}"
            if display in out:
                out[display].sources.append(item)
                out[display].values.append(value)
            else:
                out[display] = Entry(display=display, sources=[item], term=key, values=[value])
    return list(out.values())


def _schedule_fill(
    fills: dict[str, _Filled], usable: list[Item], contract_type: str, price: Any
) -> None:
    schedule = find_schedule(usable, short=SHORT_NAMES[contract_type])
    if schedule is None:
        fills["payment_schedule"] = _Filled([], "missing")
        fills["payment_schedule_intro"] = _Filled("", "missing")
        return
    n = len(schedule.instalments)
    if schedule.period and not n:
        when = {True: " in arrears", False: " in advance", None: ""}[schedule.in_arrears]
        intro = f"{schedule.period}{when}"
        lines = [
            f"one invoice per {schedule.period.removesuffix('ly').replace('annual', 'year')} "
            f"period{when}"
        ]
    else:
        kind = "milestones" if "milestone" in schedule.said.lower() else "instalments"
        intro = f"in {_count_word(n)} {kind}"
        lines = schedule_lines(schedule, price if isinstance(price, dict) else None, fmt_amount)
    by_id = {i.id: i for i in usable}
    prov = [
        provenance(by_id[i], "payment_schedule", schedule.said, intro)
        for i in schedule.item_ids
        if i in by_id
    ]
    fills["payment_schedule"] = _Filled(lines, "settled", prov, list(schedule.item_ids))
    fills["payment_schedule_intro"] = _Filled(intro, "settled")


def _count_word(n: int) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 12: "twelve"}
    return words.get(n, str(n))


def _months(months: Any) -> str:
    m = int(months)
    if m % 12 == 0:
        years = m // 12
        return f"{_count_word(years) if years > 1 else 'one'} year{'s' if years > 1 else ''}"
    return f"{m} months"


class Positions:
    """``pb`` in templates: the playbook's positions in contract words."""

    def __init__(self, playbook: Playbook, contract_type: str):
        self._pb = playbook
        self._fees = MONEY_SLOTS[contract_type][2]
        self._short = SHORT_NAMES[contract_type]

    def _std(self, key: str) -> Any:
        return self._pb.standard(key)

    @property
    def payment(self) -> str:
        days = self._std("payment_days")
        if days is None:
            return missing("payment terms")
        return f"within {int(days)} days of the date of invoice"

    @property
    def liability_cap(self) -> str:
        multiple = self._std("liability_cap_multiple")
        return f"{cap_words(float(multiple), self._fees)} under this {self._short}"

    @property
    def confidentiality(self) -> str:
        months = self._std("confidentiality_months")
        return missing("confidentiality period") if months is None else _months(months)

    @property
    def governing_law(self) -> str:
        law = self._std("governing_law")
        return missing("governing law") if not law else str(law)

    @property
    def acceptance_days(self) -> str:
        return str(int(self._std("acceptance_days")))

    @property
    def notice_days(self) -> str:
        return str(int(self._std("notice_days")))

    @property
    def renewal(self) -> str:
        return _months(self._std("renewal_months"))

    @property
    def order_terms(self) -> str:
        terms = self._std("order_terms")
        return missing("governing terms") if not terms else str(terms)
