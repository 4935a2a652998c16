"""The terms checklist of a meeting and typed reviewer input, shared by the API and the UI.

`set_term` writes a reviewer's value as a new accepted item whose evidence is exactly the
transcript lines the reviewer selected (none → reviewer-entered, shown as such everywhere);
items that gave the old value stop giving it, so provenance never cites a superseded quote.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from bridge_app.core.drafting.terms import SCALAR_SLOTS, usable_items
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_names import party_key
from bridge_app.core.review.terms import (
    REVIEWER_ITEM_PREFIX,
    TermInputError,
    TermRow,
    checklist,
    parse_term_input,
    spec,
)
from bridge_app.core.vocabulary import CONTRACT_TYPES
from bridge_app.models import Decision, Draft, Meeting
from bridge_app.services import approval, audit, audit_view, crypto
from bridge_app.services.db import get_owned
from bridge_app.services.errors import Invalid, NotFound
from bridge_app.services.meeting_data import (
    audit_label,
    data_key,
    load_items,
    load_segments,
    title_of,
)
from bridge_app.services.principal import Principal, require

MAX_REASON = 2000
MAX_EVIDENCE = 20


def contract_type_of(session: Session, meeting: Meeting) -> str:
    """The contract type the checklist is for: the meeting's draft, else the one asked for
    at upload, else a statement of work."""
    draft = session.exec(
        select(Draft).where(Draft.meeting_id == meeting.id).order_by(Draft.created_at)  # type: ignore[arg-type]
    ).first()
    if draft is not None:
        return draft.contract_type
    return meeting.intended_contract_type or "sow"


def meeting_checklist(session: Session, meeting: Meeting) -> tuple[str, list[TermRow]]:
    """(contract type, one row per required term) from the items as reviewed now."""
    ctype = contract_type_of(session, meeting)
    items = load_items(session, meeting)
    rows = checklist(
        items,
        ctype,
        meeting_title=title_of(meeting),
        meeting_date=meeting.meeting_date or meeting.created_at.date(),
    )
    return ctype, rows


@dataclass(frozen=True)
class TermSet:
    """The outcome of `set_term`: the new item, and the items that stopped giving the value."""

    decision: Decision
    display: str
    replaced: list[str]


def _rows(session: Session, meeting: Meeting) -> list[Decision]:
    return list(
        session.exec(
            select(Decision).where(
                Decision.meeting_id == meeting.id,
                Decision.input_version == meeting.input_version,
            )
        ).all()
    )


def _old_carriers(
    term: str, items: list[Item], value_key: str, slot_row: TermRow | None
) -> list[str]:
    """Ids of the usable items that give the term now (the value a reviewer replaces)."""
    usable = usable_items(items)
    if term in ("party_1", "party_2"):
        return list(slot_row.item_ids) if slot_row else []
    keys = SCALAR_SLOTS.get(term, (value_key,))
    return [i.id for i in usable if any(i.values.get(k) not in (None, "", {}, []) for k in keys)]


def _strip(
    values: dict[str, Any], term: str, keys: tuple[str, ...], party_name: str
) -> dict[str, Any]:
    """An item's values without the ones the reviewer replaced."""
    out = dict(values)
    if term in ("party_1", "party_2"):
        parties = out.get("party")
        listed = parties if isinstance(parties, list) else [parties] if parties else []
        kept = [
            p
            for p in listed
            if party_key(str(p.get("name") if isinstance(p, dict) else p)) != party_key(party_name)
        ]
        if kept:
            out["party"] = kept if isinstance(parties, list) else kept[0]
        else:
            out.pop("party", None)
        return out
    for k in keys:
        out.pop(k, None)
    return out


def set_term(
    session: Session,
    *,
    principal: Principal,
    meeting_id: uuid.UUID | str,
    term: str,
    fields: dict[str, Any],
    segment_keys: list[str],
    reason: str,
    ip: str | None = None,
) -> TermSet:
    """Add or correct one required term from typed fields, with the selected transcript lines
    as its evidence. 422 with a message for input that is not a value of the term."""
    require(principal, "review")
    meeting = get_owned(session, Meeting, meeting_id, principal.organization_id)
    if meeting is None:
        raise NotFound("no such meeting")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("give a reason (it is kept in the audit log)")
    if len(reason) > MAX_REASON:
        raise Invalid(f"the reason is longer than {MAX_REASON} characters")
    ctype = contract_type_of(session, meeting)
    if ctype not in CONTRACT_TYPES:
        raise Invalid(f"unknown contract type '{ctype}'")
    try:
        s = spec(term, ctype)
        value_key, value, display = parse_term_input(term, fields, ctype)
    except TermInputError as exc:
        raise Invalid(str(exc)) from None
    if len(segment_keys) > MAX_EVIDENCE:
        raise Invalid(f"select at most {MAX_EVIDENCE} transcript lines")
    key = data_key(session, meeting)
    segments = {str(seg.external_id): seg for seg in load_segments(session, meeting, key)}
    unknown = [k for k in segment_keys if k not in segments]
    if unknown:
        raise Invalid(f"the selected transcript line {unknown[0]!r} is not in this meeting")
    chosen = [segments[k] for k in dict.fromkeys(segment_keys)]

    items = load_items(session, meeting, key)
    ctype_rows = checklist(
        items,
        ctype,
        meeting_title=title_of(meeting),
        meeting_date=meeting.meeting_date or meeting.created_at.date(),
    )
    row = next((r for r in ctype_rows if r.term == term), None)
    old_display = row.display if row else ""
    carriers = set(_old_carriers(term, items, value_key, row))
    keys = SCALAR_SLOTS.get(term, (value_key,))
    now = datetime.now(UTC)
    replaced: list[str] = []
    for decision in _rows(session, meeting):
        if decision.item_key not in carriers:
            continue
        current = dict(
            decision.edited_values if decision.edited_values is not None else decision.values
        )
        remaining = _strip(current, term, keys, old_display)
        previous = decision.review_status
        decision.edited_values = remaining
        # An item left with nothing but its statement would turn into a clause of its own.
        decision.review_status = "edited" if remaining else "rejected"
        decision.review_reason = f"replaced by the reviewer's {s.label.lower()}: {reason}"
        decision.reviewed_by = principal.user_id
        decision.reviewed_at = now
        session.add(decision)
        replaced.append(decision.item_key)
        audit.append_for(
            session,
            principal,
            action=f"decision.{'edit' if decision.review_status == 'edited' else 'reject'}",
            ip=ip,
            object_type="decision",
            object_id=decision.id,
            detail={
                "meeting_id": str(meeting.id),
                "object_name": f"{audit_label(meeting)} · {s.label} ({decision.item_key})",
                "from": previous,
                "to": decision.review_status,
                "reason": decision.review_reason,
                **audit_view.seal_change(
                    key, {s.label: old_display}, {s.label: f"{display} (now a separate item)"}
                ),
            },
        )

    existing = {d.item_key for d in _rows(session, meeting)}
    n = 1
    while f"{REVIEWER_ITEM_PREFIX}{term}-{n}" in existing:
        n += 1
    item_key = f"{REVIEWER_ITEM_PREFIX}{term}-{n}"
    evidence = [
        {
            "segment_id": seg.external_id,
            "start": seg.start,
            "end": seg.end,
            "quote": seg.text,
            "speaker": seg.speaker,
        }
        for seg in chosen
    ]
    statement = f"{s.label}: {display}"
    content = {"statement": statement, "evidence": evidence}
    decision = Decision(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        input_version=meeting.input_version,
        item_key=item_key,
        kind="agreed_term",
        content_ciphertext=crypto.encrypt(key, json.dumps(content).encode()),
        party=value["name"] if s.kind == "party" else None,
        values={value_key: value},
        confidence=1.0,
        evidence_segment_keys=[str(seg.external_id) for seg in chosen],
        review_status="accepted",
        review_reason=reason,
        reviewed_by=principal.user_id,
        reviewed_at=now,
    )
    session.add(decision)
    session.flush()
    audit.append_for(
        session,
        principal,
        action="term.set",
        ip=ip,
        object_type="decision",
        object_id=decision.id,
        detail={
            "meeting_id": str(meeting.id),
            "object_name": f"{audit_label(meeting)} · {s.label}",
            "term": term,
            **audit_view.seal_change(
                key, {s.label: old_display or "(missing)"}, {s.label: display}
            ),
            "reason": reason,
            "evidence": [str(seg.external_id) for seg in chosen] or "none (entered by reviewer)",
            "replaced_items": replaced,
        },
    )
    approval.mark_outdated(
        session, principal, meeting_id=meeting.id, what=f"The {s.label.lower()}", ip=ip
    )
    session.flush()
    return TermSet(decision, display, replaced)
