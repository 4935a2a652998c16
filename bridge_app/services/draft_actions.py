"""People's actions on drafts, shared by the API routes and the Reflex UI handlers: new draft,
regenerate, approve (with the warnings approval asks to acknowledge).

Framework-free and keyword-only like ``actions``: permission checked, objects loaded only
inside the principal's organization, the change and its audit event written to the caller's
session, and the job to enqueue after the commit returned.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from bridge_app.core.stages import MeetingStatus, Stage, reached
from bridge_app.core.vocabulary import CONTRACT_TYPES
from bridge_app.models import ClauseProvenance, Decision, Draft, DraftVersion, Meeting
from bridge_app.services import approval, audit, queries
from bridge_app.services.actions import owned_meeting
from bridge_app.services.errors import Conflict, Invalid
from bridge_app.services.meeting_data import data_key, load_items, load_version_doc
from bridge_app.services.principal import Principal, require
from bridge_app.services.queries import owned
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.transaction import request_new_draft_version


def owned_draft(session: Session, principal: Principal, draft_id: uuid.UUID | str) -> Draft:
    return owned(session, Draft, draft_id, principal.organization_id)


def create_draft(
    session: Session,
    *,
    principal: Principal,
    meeting_id: uuid.UUID | str,
    contract_type: str,
    ip: str | None = None,
) -> tuple[Draft, NextJob]:
    """A new draft of another contract type for a meeting whose decisions are extracted."""
    require(principal, "review")
    meeting = owned_meeting(session, principal, meeting_id)
    if contract_type not in CONTRACT_TYPES:
        raise Invalid(
            f"unknown contract type '{contract_type}'; use one of " + ", ".join(CONTRACT_TYPES)
        )
    if meeting.status not in (*reached(Stage.decision), MeetingStatus.failed) or (
        meeting.status == MeetingStatus.failed
        and meeting.failed_stage in (Stage.transcript, Stage.decision)
    ):
        raise Conflict("the meeting's decisions are not extracted yet")
    draft = Draft(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        contract_type=contract_type,
        type_reason="chosen by a reviewer",
        type_confidence=1.0,
        created_by=principal.user_id,
    )
    session.add(draft)
    session.flush()
    audit.append_for(
        session,
        principal,
        action="draft.generate",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={"meeting_id": str(meeting.id), "contract_type": contract_type, "version": 1},
    )
    return draft, NextJob(Stage.draft, draft.id, draft.requested_version)


def request_regeneration(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    ip: str | None = None,
) -> tuple[Draft, NextJob]:
    """Ask for a new version of a draft (after decision edits)."""
    require(principal, "review")
    draft = owned_draft(session, principal, draft_id)
    session.refresh(draft, with_for_update=True)
    job = request_new_draft_version(session, draft)
    audit.append_for(
        session,
        principal,
        action="draft.generate",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={"meeting_id": str(draft.meeting_id), "version": job.version},
    )
    session.flush()
    return draft, job


def draft_version(session: Session, draft: Draft, number: int | None) -> DraftVersion:
    return queries.version(session, draft, number if number is not None else draft.current_version)


# Items the LLM backend extracted carry ids starting with this (core/extraction/llm.py).
MODEL_ITEM_PREFIX = "llm-"


def unreviewed_model_items(session: Session, draft: Draft, version: DraftVersion) -> list[str]:
    """Item keys feeding this version's clauses that the model proposed and no person has
    reviewed: a model's value must not reach an approved contract unseen (injected text in a
    transcript can steer it)."""
    meeting = session.get(Meeting, draft.meeting_id)
    if meeting is None:
        return []
    used = select(ClauseProvenance.item_key).where(ClauseProvenance.draft_version_id == version.id)
    rows = session.exec(
        select(Decision.item_key)
        .where(
            Decision.meeting_id == meeting.id,
            Decision.input_version == meeting.input_version,
            Decision.review_status == "proposed",
            col(Decision.item_key).startswith(MODEL_ITEM_PREFIX),
            col(Decision.item_key).in_(used),
        )
        .order_by(col(Decision.item_key))
    ).all()
    return list(dict.fromkeys(rows))


def approve_draft(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    version: int | None = None,
    comment: str | None = None,
    acknowledged: list[str] | None = None,
    ip: str | None = None,
) -> Draft:
    """Approve the current version; refused while QA is pending or reports blockers, and
    until every open warning is acknowledged (ids from `approval_warnings`)."""
    require(principal, "approve")
    draft = owned_draft(session, principal, draft_id)
    session.refresh(draft, with_for_update=True)
    if draft.current_version == 0:
        raise Conflict("the draft has no version yet")
    row = draft_version(session, draft, version)
    if row.version != draft.current_version:
        raise Conflict(
            f"version {row.version} is not the current version ({draft.current_version})"
        )
    if not row.qa_done:
        raise Conflict("QA has not finished for this version")
    if row.blocker_count > 0:
        raise Conflict(
            f"QA reports {row.blocker_count} blocker(s); resolve them before approving",
            blockers=row.blocker_count,
        )
    unreviewed = unreviewed_model_items(session, draft, row)
    if unreviewed:
        raise Conflict(
            f"{len(unreviewed)} value(s) in this draft come from the language model and nobody "
            "has reviewed them yet; accept, edit or reject them first: " + ", ".join(unreviewed),
            unreviewed=unreviewed,
        )
    return approval.approve(
        session,
        principal=principal,
        draft=draft,
        row=row,
        warnings=approval_warnings(session, draft, row),
        acknowledged=acknowledged,
        comment=comment,
        ip=ip,
    )


def approval_warnings(
    session: Session, draft: Draft, row: DraftVersion
) -> list[tuple[str, approval.PlainFinding]]:
    """The open warnings of a version, each with the id an approver acknowledges."""
    findings = approval.stored_findings(session, row)
    if not any(f.severity == "warning" for f in findings):
        return []
    meeting = session.get(Meeting, draft.meeting_id)
    assert meeting is not None
    key = data_key(session, meeting)
    return approval.open_warnings(
        findings, load_version_doc(row, key), load_items(session, meeting, key)
    )
