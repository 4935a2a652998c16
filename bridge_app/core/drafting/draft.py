"""Drafting a contract from a meeting's items (pure, deterministic): ``make_draft`` renders the
chosen type's clauses from the filled slots (``fills``), ``regenerate`` redrafts a version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from bridge_app.core.drafting.contract_type import pick_contract_type
from bridge_app.core.drafting.fills import MONEY_SLOTS, Has, Positions, Recorder, fill_slots
from bridge_app.core.drafting.model import (
    Clause,
    ContractType,
    Draft,
    TypePick,
    find_placeholders,
)
from bridge_app.core.drafting.playbook import DEFAULT, Playbook
from bridge_app.core.drafting.templates import (
    COMPILED,
    SHORT_NAMES,
    TEMPLATES,
    compile_clause,
)
from bridge_app.core.drafting.terms import (
    fmt_date,
    usable_items,
)
from bridge_app.core.extraction.model import Item

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
    fills, parties = fill_slots(usable, template.type, template.roles)

    context_base = {
        "title": template.title,
        "short": SHORT_NAMES[template.type],
        "meeting_title": meeting_title,
        "meeting_date": fmt_date(meeting_date.isoformat()),
        "role_1": template.roles[0],
        "role_2": template.roles[1],
        "has": Has(fills),
        "pb": Positions(playbook, template.type),
        "buyer": MONEY_SLOTS[template.type][0],
        "seller": MONEY_SLOTS[template.type][1],
        "fees": MONEY_SLOTS[template.type][2],
        "default_invoicing": MONEY_SLOTS[template.type][3],
    }
    clauses: list[Clause] = []
    defined: dict[str, str] = {}
    for spec in template.clauses:
        recorder = Recorder(fills)
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
