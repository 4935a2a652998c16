"""Draft stage: reviewed items → a new immutable draft version with clause provenance."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlmodel import select

from bridge_app.core.drafting import make_draft, regenerate
from bridge_app.core.stages import WAITING_FOR, MeetingStatus, Stage
from bridge_app.models import Draft, DraftVersion, Meeting
from bridge_app.services import contracts
from bridge_app.services.meeting_data import add_version, load_items, load_version_doc, title_of
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.transaction import StageTransaction, now


def run(tx: StageTransaction, draft_id: uuid.UUID, version: int) -> NextJob | None:
    """Build version `version` of the draft (from scratch, or regenerated from the last)."""
    session = tx.session
    draft = tx.lock(Draft, draft_id)
    if draft is None:
        return None
    meeting = tx.lock(Meeting, draft.meeting_id)
    if meeting is None or meeting.status in WAITING_FOR:
        # Still before its decisions (a corrected transcript being re-extracted): the decision
        # stage requests this draft's next version when they are in.
        return None
    existing = session.exec(
        select(DraftVersion).where(
            DraftVersion.draft_id == draft.id, DraftVersion.version == version
        )
    ).first()
    if existing is not None:
        return None if existing.qa_done else NextJob(Stage.qa, existing.id, 1)
    if version != draft.requested_version or draft.current_version >= version:
        return None
    key = tx.key(meeting)
    items = load_items(session, meeting, key)
    today = tx.today
    previous = session.exec(
        select(DraftVersion).where(
            DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
        )
    ).first()
    if previous is None:
        doc = make_draft(
            items,
            contract_type=draft.contract_type,  # type: ignore[arg-type]
            meeting_title=title_of(meeting),
            meeting_date=meeting.meeting_date or meeting.created_at.date(),
            today=today,
            **contracts.draft_inputs(session, draft, key),
        )
        doc = replace(doc, version=version)
    else:
        old = load_version_doc(previous, key)
        doc = regenerate(
            old,
            items,
            contract_type=draft.contract_type,  # type: ignore[arg-type]
            today=today,
            **contracts.draft_inputs(session, draft, key),
        )
        doc = replace(doc, version=version, parent_version=previous.version)
    row = add_version(session, draft, doc, key, source="generated", created_by=draft.created_by)
    draft.current_version = version
    draft.updated_at = now()
    if draft.status == "approved":
        draft.status = "draft"  # a new text needs a new approval
        draft.approval_outdated_reason = (
            f"version {version} was drafted after the approval of version {draft.approved_version}"
        )
    session.add(draft)
    tx.set_status(meeting, MeetingStatus.drafted)
    tx.succeeded(
        meeting,
        version=version,
        draft_id=draft.id,
        organization_id=draft.organization_id,
        event="draft.created",
        payload={
            "meeting_id": str(meeting.id),
            "draft_id": str(draft.id),
            "version": version,
            "contract_type": draft.contract_type,
        },
    )
    return NextJob(Stage.qa, row.id, 1)
