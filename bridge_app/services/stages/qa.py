"""QA stage: findings for one draft version (replacing earlier ones for it); blockers stop
approval."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import col

from bridge_app.core.drafting import run_qa
from bridge_app.core.stages import MeetingStatus
from bridge_app.models import DraftVersion, QAFinding
from bridge_app.services import contracts
from bridge_app.services.meeting_data import load_items, load_version_doc
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.transaction import StageTransaction, owners


def run(tx: StageTransaction, version_id: uuid.UUID, _version: int) -> NextJob | None:
    """Check one draft version against the meeting's items."""
    session = tx.session
    version = tx.lock(DraftVersion, version_id)
    if version is None or version.qa_done:
        return None
    draft, meeting = owners(session, version)
    if draft is None or meeting is None:
        return None
    key = tx.key(meeting)
    doc = load_version_doc(version, key)
    findings = run_qa(
        doc,
        load_items(session, meeting, key),
        today=tx.today,
        **contracts.qa_inputs(session, draft),
    )
    tx.replace(
        sa.delete(QAFinding).where(col(QAFinding.draft_version_id) == version.id),
        (
            QAFinding(
                organization_id=version.organization_id,
                draft_version_id=version.id,
                code=f.code[:64],
                severity=f.severity,
                clause=f.clause,
                message=f.message,
                evidence={"refs": list(f.evidence), "data": f.data},
            )
            for f in findings
        ),
    )
    version.qa_done = True
    version.blocker_count = sum(1 for f in findings if f.severity == "blocker")
    session.add(version)
    if draft.current_version == version.version:
        tx.set_status(meeting, MeetingStatus.ready)
    tx.succeeded(
        meeting,
        version=version.version,
        draft_id=draft.id,
        slo="draftGeneration",
        slo_start=draft.requested_at,
        organization_id=version.organization_id,
        event="qa.completed",
        payload={
            "meeting_id": str(meeting.id),
            "draft_id": str(draft.id),
            "version": version.version,
            "findings": len(findings),
            "blockers": version.blocker_count,
        },
    )
    return None
