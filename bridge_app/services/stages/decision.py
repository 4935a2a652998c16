"""Decision stage: transcript segments → decisions, action items, agreed terms and open
questions (replacing this input version's), linked to earlier meetings of the same matter;
creates the meeting's draft on first run."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.drafting import pick_contract_type
from bridge_app.core.extraction import extract_items, supersede_across
from bridge_app.core.extraction.model import Item
from bridge_app.core.stages import MeetingStatus, Stage, reached
from bridge_app.models import Decision, Draft, Meeting
from bridge_app.services import compute
from bridge_app.services.meeting_data import data_key, decision_row, decision_to_item, load_segments
from bridge_app.services.queue import NextJob
from bridge_app.services.review_carryover import carry_over_reviews
from bridge_app.services.stages.transaction import StageTransaction, request_new_draft_version
from bridge_app.settings import get_settings


def _llm_client() -> Any:
    settings = get_settings()
    if settings.EXTRACTION_BACKEND != "llm" or not settings.LLM_BASE_URL:
        return None
    from bridge_app.services.llm import client_from_env  # only loaded when an LLM is configured

    return client_from_env()


def _inline(fn: Callable[..., list[Item]], /, *args: Any, **kwargs: Any) -> list[Item]:
    return fn(*args, **kwargs)


def run(tx: StageTransaction, meeting_id: uuid.UUID, version: int) -> NextJob | None:
    """Extract the items of input `version` and make sure the meeting has a draft."""
    session = tx.session
    meeting = tx.lock(Meeting, meeting_id)
    if meeting is None or meeting.input_version != version:
        return None
    if meeting.status not in (MeetingStatus.ingested, MeetingStatus.extracting):
        return _existing_draft_job(session, meeting) if meeting.status == "extracted" else None
    key = tx.key(meeting)
    segments = load_segments(session, meeting, key)
    settings = get_settings()
    llm_client = _llm_client()
    # The rules backend is pure CPU: in the worker's process pool when it has one.
    items = (compute.run if llm_client is None else _inline)(
        extract_items,
        segments,
        meeting_date=meeting.meeting_date,
        backend=settings.EXTRACTION_BACKEND,
        llm_client=llm_client,
    )
    items = _link_to_matter(session, meeting, items)
    tx.replace(
        sa.delete(Decision).where(
            col(Decision.meeting_id) == meeting.id, col(Decision.input_version) == version
        ),
        (decision_row(meeting, version, item, key) for item in items),
    )
    # A corrected transcript (a later version): reviews of the unchanged items carry over.
    carried = carry_over_reviews(session, meeting, version, key) if version > 1 else 0
    tx.set_status(meeting, MeetingStatus.extracted)
    drafts = session.exec(
        select(Draft)
        .where(Draft.meeting_id == meeting.id)
        .order_by(col(Draft.created_at), col(Draft.id))
        .with_for_update()
    ).all()
    for existing in drafts:
        # A re-extraction: every draft of the meeting needs a version built from the new items
        # (the first one's job is sent from here; the reconciler sends the others').
        request_new_draft_version(session, existing)
    draft = drafts[0] if drafts else None
    if draft is None:
        if meeting.intended_contract_type:
            ctype, reason, confidence = meeting.intended_contract_type, "chosen at upload", 1.0
        else:
            pick = pick_contract_type(items)
            ctype, reason, confidence = pick.type, pick.reason, pick.confidence
        draft = Draft(
            organization_id=meeting.organization_id,
            meeting_id=meeting.id,
            contract_type=ctype,
            type_reason=reason,
            type_confidence=confidence,
            created_by=meeting.created_by,
        )
        session.add(draft)
        session.flush()
    tx.succeeded(
        meeting,
        version=version,
        slo="meetingProcessing",
        slo_start=meeting.created_at,
        event="decisions.extracted",
        payload={
            "meeting_id": str(meeting.id),
            "input_version": version,
            "items": len(items),
            "reviews_carried_over": carried,
            "draft_id": str(draft.id),
        },
    )
    return NextJob(Stage.draft, draft.id, draft.requested_version)


def _link_to_matter(session: Session, meeting: Meeting, items: list[Item]) -> list[Item]:
    """A later meeting of the same matter supersedes the terms it changes.

    Earlier meetings' rows get `superseded_by = "<this meeting id>/<item key>"`; this meeting's
    items list the earlier ones as "<meeting id>/<item key>" in `supersedes`.
    """
    if meeting.matter_id is None:
        return items
    earlier = session.exec(
        select(Meeting).where(
            Meeting.matter_id == meeting.matter_id,
            Meeting.id != meeting.id,
            col(Meeting.created_at) < meeting.created_at,
            col(Meeting.status).in_(reached(Stage.decision)),
        )
    ).all()
    rows: list[Decision] = []
    previous: list[Item] = []
    for other in earlier:
        other_key = data_key(session, other)
        for row in session.exec(
            select(Decision).where(
                Decision.meeting_id == other.id,
                Decision.input_version == other.input_version,
                Decision.kind == "agreed_term",
            )
        ):
            item = decision_to_item(row, other_key)
            item.id = f"{other.id}/{row.item_key}"
            if item.superseded_by and "/" not in item.superseded_by:
                item.superseded_by = f"{other.id}/{item.superseded_by}"
            rows.append(row)
            previous.append(item)
    if not previous:
        return items
    linked = supersede_across(previous, items)
    for row, before, after in zip(rows, previous, linked[: len(previous)], strict=True):
        if after.superseded_by != before.superseded_by and after.superseded_by:
            row.superseded_by = f"{meeting.id}/{after.superseded_by}"[:200]
            session.add(row)
    return linked[len(previous) :]


def _existing_draft_job(session: Session, meeting: Meeting) -> NextJob | None:
    draft = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).first()
    if draft is None or draft.current_version >= draft.requested_version:
        return None
    return NextJob(Stage.draft, draft.id, draft.requested_version)
