"""A stage runs on a plain session: no worker, and nothing persists unless the caller commits.

The transcript and decision stages are run through the same `StageTransaction` the arq
wrapper opens, inside the test's rolled-back transaction.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from bridge_app.core.stages import MeetingStatus, Stage
from bridge_app.demo import demo_transcript
from bridge_app.models import Decision, Draft, OutboxEvent, StageRun, TranscriptSegment
from bridge_app.services.stages import decision, transcript
from bridge_app.services.stages.transaction import RunInfo, StageTransaction, insert_rows
from bridge_app.services.storage import LocalStore
from bridge_app.services.upload import submit_meeting
from tests.factories import make_meeting, make_org


def _tx(session: Session, stage: Stage, store: LocalStore) -> StageTransaction:
    run = RunInfo(job_id="t", attempt=1, enqueued_at=None, started_at=datetime.now(UTC))
    return StageTransaction(session, stage, run, store)


def test_stages_run_in_the_callers_session(session: Session, tmp_path: Path) -> None:
    store = LocalStore(tmp_path, os.urandom(32), "http://api.test")
    org = make_org(session, "Stages")
    meeting, _ = submit_meeting(
        session,
        organization_id=org.id,
        user_id=None,
        filename="sow_kickoff.vtt",
        data=demo_transcript(),
        title="Kick-off",
        store=store,
    )
    job = transcript.run(_tx(session, Stage.transcript, store), meeting.id, 1)
    assert job is not None and job.stage is Stage.decision
    assert meeting.status == MeetingStatus.ingested
    segments = session.exec(
        select(TranscriptSegment).where(TranscriptSegment.meeting_id == meeting.id)
    ).all()
    assert segments and all(b"Harborview" not in s.text_ciphertext for s in segments)

    job = decision.run(_tx(session, Stage.decision, store), meeting.id, 1)
    draft = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).one()
    assert job is not None and job.stage is Stage.draft and job.subject_id == draft.id
    assert session.exec(select(Decision).where(Decision.meeting_id == meeting.id)).all()
    runs = session.exec(select(StageRun).where(StageRun.meeting_id == meeting.id)).all()
    assert sorted(r.stage for r in runs) == ["decision", "transcript"]
    assert all(r.outcome == "succeeded" for r in runs)
    subjects = {
        e.subject
        for e in session.exec(select(OutboxEvent).where(OutboxEvent.organization_id == org.id))
    }
    assert subjects == {"bridge.meeting.ingested", "bridge.decisions.extracted"}
    # Delivered again: each stage sees its work done and changes nothing.
    count = len(session.exec(select(Decision).where(Decision.meeting_id == meeting.id)).all())
    assert decision.run(_tx(session, Stage.decision, store), meeting.id, 1) == job
    assert transcript.run(_tx(session, Stage.transcript, store), meeting.id, 1) is None
    again = session.exec(select(Decision).where(Decision.meeting_id == meeting.id)).all()
    assert len(again) == count


def test_a_bad_file_fails_the_meeting_inside_the_same_transaction(
    session: Session, tmp_path: Path
) -> None:
    store = LocalStore(tmp_path, os.urandom(32), "http://api.test")
    org = make_org(session, "Poison")
    meeting, _ = submit_meeting(
        session,
        organization_id=org.id,
        user_id=None,
        filename="x.vtt",
        data=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        title="Poison",
        validate=False,
        store=store,
    )
    assert transcript.run(_tx(session, Stage.transcript, store), meeting.id, 1) is None
    assert meeting.status == MeetingStatus.failed and meeting.failed_stage == "transcript"
    run = session.exec(select(StageRun).where(StageRun.meeting_id == meeting.id)).one()
    assert run.outcome == "failed" and run.error


def test_insert_rows_writes_every_row_with_the_models_defaults(session: Session) -> None:
    org = make_org(session, "Bulk")
    meeting = make_meeting(session, org)
    rows = (
        {
            "organization_id": org.id,
            "meeting_id": meeting.id,
            "position": i,
            "segment_key": f"c{i}",
            "start_s": float(i),
            "end_s": i + 0.5,
            "text_ciphertext": bytes([i % 256]) * 3,
        }
        for i in range(2500)
    )
    assert insert_rows(session, TranscriptSegment, rows) == 2500
    stored = session.exec(
        select(TranscriptSegment).where(TranscriptSegment.meeting_id == meeting.id)
    ).all()
    assert len(stored) == 2500 and len({s.id for s in stored}) == 2500
    assert {s.speaker for s in stored} == {""}  # the model's default
    by_position = {s.position: s for s in stored}
    assert by_position[257].text_ciphertext == bytes([1]) * 3 and by_position[257].end_s == 257.5
