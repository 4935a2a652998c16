"""Picking a contract type and drafting it from a meeting's items (pure, deterministic)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from bridge_app.core.drafting.language import Side, obligation_sentence, pronouns, speaker_sides
from bridge_app.core.drafting.model import (
    Clause,
    ContractType,
    Draft,
    Party,
    Provenance,
    TypePick,
    find_placeholders,
)
from bridge_app.core.drafting.payments import find_schedule, schedule_lines
from bridge_app.core.drafting.playbook import DEFAULT, Playbook
from bridge_app.core.drafting.templates import (
    COMPILED,
    SHORT_NAMES,
    TEMPLATES,
    compile_clause,
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
    usable_items,
)
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import CONTRACT_TYPES

# ---------------------------------------------------------------- contract type

# (pattern, weight) per type, matched on item statements and quotes. Value keys count more
# than words, since the extractor only sets them when a term was actually stated.
_KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "nda": (
        (r"\bnda\b", 3.0),
        (r"\bnon-?disclosure\b", 3.0),
        (r"\bconfidential(ity)?\b", 1.0),
    ),
    "sow": (
        (r"\bstatement of work\b", 3.0),
        (r"\bsow\b", 3.0),
        (r"\bdeliverables?\b", 1.0),
        (r"\bmilestones?\b", 1.0),
        (r"\b(consulting|implementation|professional services|migration)\b", 1.0),
    ),
    "msa-amendment": (
        (r"\bamend(ment|ed|ing)?\b", 2.0),
        (r"\bmsa\b", 3.0),
        (r"\bmaster (services )?agreement\b", 3.0),
        (r"\b(existing|current) (contract|agreement)\b", 1.5),
        (r"\b(renewal|renew|extend the (term|contract|agreement))\b", 1.0),
    ),
    "term-sheet": (
        (r"\bterm sheet\b", 3.0),
        (r"\b(letter of intent|loi)\b", 3.0),
        (r"\b(investment|valuation|equity|financing|shares)\b", 1.5),
        (r"\bnon-?binding\b", 1.0),
    ),
    "order-form": (
        (r"\border form\b", 3.0),
        (r"(?<!in )\b(purchase order|purchase|order)\b", 1.0),
        (r"\b(licen[cs]es|seats|subscriptions?|units)\b", 1.0),
        (r"\b(buy|sell|sold|bought)\b", 0.5),
    ),
}
_COMPILED_KEYWORDS = {
    t: tuple((re.compile(p, re.IGNORECASE), w) for p, w in pats) for t, pats in _KEYWORDS.items()
}
_VALUE_SIGNALS: dict[str, tuple[tuple[str, float], ...]] = {
    "nda": (("confidentiality_period", 3.0),),
    "sow": (("deliverable", 2.0), ("fee", 1.0)),
    "msa-amendment": (),
    "term-sheet": (),
    "order-form": (("quantity", 2.0), ("price", 1.0)),
}


def pick_contract_type(items: Sequence[Item]) -> TypePick:
    """The contract type the meeting's usable items call for, with a reason and a confidence.

    Rules, not a model: each type scores the value keys and words that point to it. The
    confidence is the winner's share of all scores, damped when there is little evidence. With
    no signal at all, a term sheet (a plain summary of what was agreed) is the safe default.
    """
    usable = usable_items(items)
    scores: dict[str, float] = dict.fromkeys(CONTRACT_TYPES, 0.0)
    signals: dict[str, dict[str, float]] = {t: {} for t in CONTRACT_TYPES}

    def add(ctype: str, label: str, weight: float) -> None:
        # A signal counts at most twice: a word repeated all meeting long is one topic, not
        # growing evidence for a contract type.
        seen = signals[ctype].get(label, 0.0)
        if seen < 2 * weight:
            signals[ctype][label] = seen + weight
            scores[ctype] += weight

    for item in usable:
        text = " ".join([item.statement, *(e.quote for e in item.evidence)])
        for ctype, pats in _COMPILED_KEYWORDS.items():
            for pat, weight in pats:
                for m in pat.finditer(text):
                    add(ctype, f'"{m.group(0).lower()}"', weight)
        for ctype, keys in _VALUE_SIGNALS.items():
            for key, weight in keys:
                if key in item.values:
                    add(ctype, f"{key.replace('_', ' ')} agreed", weight)
    commercial = any(
        k in item.values
        for item in usable
        for k in ("price", "fee", "party", "deliverable", "confidentiality_period")
    )
    total = sum(scores.values())
    ranked = tuple(sorted(scores.items(), key=lambda kv: (-kv[1], CONTRACT_TYPES.index(kv[0]))))
    if total <= 0:
        return TypePick(
            type="term-sheet",
            reason="No contract-type signal in the meeting; a term sheet summarises what was "
            "agreed without committing to a contract form.",
            confidence=0.2,
            scores=tuple((t, 0.0) for t, _ in ranked),
        )
    best, best_score = ranked[0]
    share = best_score / total
    confidence = share * min(1.0, best_score / 6.0)
    if not commercial:
        # No price, party, deliverable or confidentiality term: hardly a contract yet.
        confidence *= 0.5
    confidence = round(confidence, 2)
    top = sorted(signals[best].items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    reason = f"{best}: " + ", ".join(f"{name} ({weight:g})" for name, weight in top)
    if len(ranked) > 1 and ranked[1][1] > 0:
        reason += f"; runner-up {ranked[1][0]} ({ranked[1][1]:g} vs {best_score:g})"
    if not commercial:
        reason += "; no price, party or deliverable agreed, so confidence is halved"
    return TypePick(
        type=best,  # type: ignore[arg-type]
        reason=reason,
        confidence=max(0.05, confidence),
        scores=tuple((t, round(s, 2)) for t, s in ranked),
    )


# ---------------------------------------------------------------- filling

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


class _Recorder:
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


class _Has:
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
_MONEY: dict[str, tuple[str, str, str, str]] = {
    "sow": ("Client", "Provider", "Fees", "as they fall due"),
    "msa-amendment": ("Customer", "Provider", "fees", "as they fall due"),
    "order-form": ("Customer", "Vendor", "Price", "on the Effective Date"),
    "term-sheet": ("Buyer", "Seller", "price", "as agreed"),
    "nda": ("Party", "Party", "fees", "as agreed"),
}


def _fills(
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


class _Positions:
    """``pb`` in templates: the playbook's positions in contract words."""

    def __init__(self, playbook: Playbook, contract_type: str):
        self._pb = playbook
        self._fees = _MONEY[contract_type][2]
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


_DEFINED_RE = re.compile(
    r"(?:\(|\b(?:each|together|collectively)\s)(?:(?:each|together)\s+)?(?:a |an |the |this )?"
    r'"([A-Z][^"\n]{0,60})"'
    r'|^"([A-Z][^"\n]{0,60})" means',
    re.MULTILINE,
)


def defined_terms_in(text: str) -> list[str]:
    """Terms a text defines: ``(the "Client")``, ``each a "Party"``, ``"X" means``."""
    return [m.group(1) or m.group(2) for m in _DEFINED_RE.finditer(text)]


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    # Lists are rendered with ";" after each entry; the last one of a clause ends the sentence.
    if lines and lines[-1].endswith(";"):
        lines[-1] = lines[-1][:-1] + "."
    return "\n".join(lines)


def make_draft(
    items: Sequence[Item],
    *,
    contract_type: ContractType | Literal["auto"] = "auto",
    meeting_title: str,
    meeting_date: date,
    today: date | None = None,
    playbook: Playbook | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Draft:
    """Draft a contract of one type from a meeting's items (version 1).

    Only usable items feed it (no rejected, no superseded ones); each filled value carries its
    provenance, and every term the meeting did not settle is a visible placeholder. ``today``
    is the preparation date written into the draft (the meeting date when not given); the
    core never reads the clock. ``playbook`` gives the organization's house positions (the
    built-in ones when None) and may replace a clause's wording; ``overrides`` are legal
    users' direct clause edits (clause key → ``{"text", "by", "at", "reason"}``), which replace
    the generated text and are marked in the clause.
    """
    playbook = playbook or DEFAULT
    overrides = overrides or {}
    if contract_type == "auto":
        pick = pick_contract_type(items)
    elif contract_type in TEMPLATES:
        pick = TypePick(
            type=contract_type, reason="chosen by the user", confidence=1.0, chosen_by="user"
        )
    else:
        raise ValueError(f"unknown contract type {contract_type!r}")
    template = TEMPLATES[pick.type]
    usable = usable_items(items)
    fills, parties = _fills(usable, template.type, template.roles)

    context_base = {
        "title": template.title,
        "short": SHORT_NAMES[template.type],
        "meeting_title": meeting_title,
        "meeting_date": fmt_date(meeting_date.isoformat()),
        "role_1": template.roles[0],
        "role_2": template.roles[1],
        "has": _Has(fills),
        "pb": _Positions(playbook, template.type),
        "buyer": _MONEY[template.type][0],
        "seller": _MONEY[template.type][1],
        "fees": _MONEY[template.type][2],
        "default_invoicing": _MONEY[template.type][3],
    }
    clauses: list[Clause] = []
    defined: dict[str, str] = {}
    for spec in template.clauses:
        recorder = _Recorder(fills)
        house = playbook.clause_texts.get(spec.key)
        compiled = compile_clause(house) if house else COMPILED[(template.type, spec.key)]
        text = _tidy(compiled.render(t=recorder, **context_base))
        if spec.optional and not text and spec.key not in overrides:
            continue
        prov = [p for name in recorder.used for p in fills[name].provenance]
        override = overrides.get(spec.key)
        if override is not None:
            text = str(override["text"]).strip()
        for term in defined_terms_in(text):
            defined.setdefault(term, spec.key)
        clauses.append(
            Clause(
                number=str(len(clauses) + 1),
                key=spec.key,
                heading=spec.heading,
                text=text,
                provenance=tuple(prov),
                placeholders=tuple(find_placeholders(text)),
                needs=spec.needs,
                missing=tuple(n for n in spec.needs if fills[n].status == "missing"),
                conflicts=tuple(n for n in recorder.used if fills[n].status == "conflict"),
                override=(
                    None if override is None else {k: v for k, v in override.items() if k != "text"}
                ),
            )
        )
    return Draft(
        contract_type=template.type,
        title=template.title,
        meeting_title=meeting_title,
        meeting_date=meeting_date.isoformat(),
        prepared_on=(today or meeting_date).isoformat(),
        clauses=tuple(clauses),
        parties=tuple(parties),
        defined_terms=tuple(defined.items()),
        type_pick=pick,
        playbook_version=playbook.version,
    )


def regenerate(
    previous: Draft,
    items: Sequence[Item],
    *,
    contract_type: ContractType | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Draft:
    """A new version of a draft made again from the (re-reviewed) items; the old one stays.

    Legal users' clause overrides are passed again, so they survive regeneration."""
    ctype: ContractType = contract_type or previous.contract_type
    fresh = make_draft(
        items,
        contract_type=ctype,
        meeting_title=previous.meeting_title,
        meeting_date=date.fromisoformat(previous.meeting_date),
        today=today,
        playbook=playbook,
        overrides=overrides,
    )
    pick = previous.type_pick if contract_type is None else fresh.type_pick
    return replace(
        fresh, type_pick=pick, version=previous.version + 1, parent_version=previous.version
    )
