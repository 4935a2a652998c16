"""Which body runs each stage, what a starting or finally failing job does to its meeting, and
the jobs that send a meeting or draft through a stage again (`request_new_draft_version` lives
in stages/transaction.py, so the decision stage can use it too)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.stages import STAGES, MeetingStatus, Stage, Subject
from bridge_app.models import Draft, DraftVersion, Export, Meeting
from bridge_app.services.db import session_scope
from bridge_app.services.queue import NextJob
from bridge_app.services.stages import decision, draft, export, qa, transcript
from bridge_app.services.stages.transaction import (
    REASON_MAX,
    RunInfo,
    StageTransaction,
    now,
    open_transaction,
    owners,
    request_new_draft_version,
)
from bridge_app.services.storage import ObjectStore
from bridge_app.services.transcription import stage as transcription

StageBody = Callable[[StageTransaction, uuid.UUID, int], "NextJob | None"]

STAGE_BODIES: dict[Stage, StageBody] = {
    Stage.transcript: transcript.run,
    Stage.decision: decision.run,
    Stage.draft: draft.run,
    Stage.qa: qa.run,
    Stage.export: export.run,
}


def run_stage(
    stage: Stage | str,
    subject_id: uuid.UUID,
    version: int,
    run: RunInfo,
    *,
    store: ObjectStore | None = None,
    today: date | None = None,
) -> NextJob | None:
    """Run one stage body in its own committed transaction; returns the next job."""
    if Stage(stage) is Stage.transcript:
        # A recording is transcribed chunk by chunk first, outside the stage transaction: minutes
        # of speech-to-text must not hold the meeting's row lock.
        step = transcription.transcribe_step(subject_id, version, store)
        if step.stop:
            return step.next_job
    with open_transaction(stage, run, store=store, today=today) as tx:
        return STAGE_BODIES[tx.stage](tx, subject_id, version)


def mark_failed(
    stage: Stage | str, subject_id: uuid.UUID, version: int, reason: str, run: RunInfo
) -> None:
    """Give up on a stage (bad input, or retries exhausted): the meeting says why."""
    with open_transaction(stage, run) as tx:
        session = tx.session
        ids: dict[str, uuid.UUID | None] = {}
        meeting: Meeting | None
        subject = STAGES[tx.stage].subject
        if subject is Subject.meeting:
            meeting = tx.lock(Meeting, subject_id)
        elif subject is Subject.draft:
            found = session.get(Draft, subject_id)
            meeting = session.get(Meeting, found.meeting_id) if found else None
            ids["draft_id"] = subject_id
        elif subject is Subject.draft_version:
            found, meeting = owners(session, session.get(DraftVersion, subject_id))
            ids["draft_id"] = found.id if found else None
        else:
            row = tx.lock(Export, subject_id)
            _, meeting = owners(
                session, session.get(DraftVersion, row.draft_version_id) if row else None
            )
            if row is not None:
                row.status = "failed"
                row.error = reason[:REASON_MAX]
                row.finished_at = now()
                session.add(row)
                ids["export_id"] = row.id
        if meeting is None:
            return
        # An export failing does not fail the meeting: it keeps its draft; report the run.
        tx.failed(
            meeting, reason, version=version, fail_meeting=STAGES[tx.stage].done is not None, **ids
        )


def mark_started(stage: Stage | str, subject_id: uuid.UUID, version: int) -> None:
    """Show progress: the meeting moves to the stage's in-progress status (best effort)."""
    spec = STAGES[Stage(stage)]
    if spec.running is None:
        return
    if spec.subject is Subject.meeting:
        meeting_id: sa.ColumnElement[uuid.UUID] | uuid.UUID = subject_id
        extra = [col(Meeting.input_version) == version]
    elif spec.subject is Subject.draft:
        meeting_id = (
            sa.select(col(Draft.meeting_id)).where(col(Draft.id) == subject_id).scalar_subquery()
        )
        extra = []
    else:
        meeting_id = (
            sa.select(col(Draft.meeting_id))
            .join(DraftVersion, col(DraftVersion.draft_id) == col(Draft.id))
            .where(col(DraftVersion.id) == subject_id)
            .scalar_subquery()
        )
        extra = []
    with session_scope() as session:
        session.execute(
            sa.update(Meeting)
            .where(
                col(Meeting.id) == meeting_id,
                *extra,
                col(Meeting.status).in_(spec.starts_from),
            )
            .values(status=spec.running, updated_at=now())
        )


def retry_failed(session: Session, meeting: Meeting) -> NextJob | None:
    """Re-enqueue a failed meeting at the stage that failed (the retry action's job)."""
    if meeting.status != MeetingStatus.failed or meeting.failed_stage is None:
        return None
    stage = STAGES[Stage(meeting.failed_stage)].retry_stage
    spec = STAGES[stage]
    job: NextJob
    if spec.subject is Subject.meeting:
        meeting.status = spec.waiting or MeetingStatus.uploaded
        job = NextJob(stage, meeting.id, meeting.input_version)
    else:
        found = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).first()
        if found is None:
            meeting.status = STAGES[Stage.decision].waiting or MeetingStatus.ingested
            job = NextJob(Stage.decision, meeting.id, meeting.input_version)
        else:
            job = request_new_draft_version(session, found)
            meeting.status = spec.waiting or MeetingStatus.extracted
    meeting.failed_stage = None
    meeting.failure_reason = None
    meeting.updated_at = now()
    session.add(meeting)
    return job
