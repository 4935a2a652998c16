"""The whole pipeline on real PostgreSQL, Redis, NATS and arq workers."""

from __future__ import annotations

import time
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.stages import Stage
from bridge_app.models import (
    Decision,
    Draft,
    DraftVersion,
    Export,
    Meeting,
    OutboxEvent,
    QAFinding,
    StageRun,
    TranscriptSegment,
)
from bridge_app.services import crypto
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.queue import NextJob, get_pool, queue_depths
from bridge_app.services.stages.runner import retry_failed, run_stage
from bridge_app.services.stages.transaction import RunInfo, request_new_draft_version
from bridge_app.services.storage import get_store
from tests.jobs.conftest import (
    Workers,
    _enqueue,
    collect_events,
    meeting_status,
    run,
    submit,
    wait_for,
    wait_status,
    worker_port,
)

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("redis_clean")]


def _counts(meeting_id: uuid.UUID) -> dict[str, int]:
    with Session(get_engine()) as s:

        def count(model: type, *where: object) -> int:
            return int(
                s.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()
            )

        draft_ids = list(s.exec(select(Draft.id).where(Draft.meeting_id == meeting_id)))
        version_ids = list(
            s.exec(select(DraftVersion.id).where(col(DraftVersion.draft_id).in_(draft_ids)))
        )
        return {
            "segments": count(TranscriptSegment, col(TranscriptSegment.meeting_id) == meeting_id),
            "decisions": count(Decision, col(Decision.meeting_id) == meeting_id),
            "drafts": len(draft_ids),
            "versions": len(version_ids),
            "findings": count(QAFinding, col(QAFinding.draft_version_id).in_(version_ids)),
            "runs": count(
                StageRun,
                col(StageRun.meeting_id) == meeting_id,
                col(StageRun.outcome) == "succeeded",
            ),
            "unsent": count(OutboxEvent, col(OutboxEvent.sent_at).is_(None)),
            # This meeting's events, sent or not: the relay changes "unsent" at any moment.
            "events": count(
                OutboxEvent, OutboxEvent.payload["meeting_id"].astext == str(meeting_id)
            ),
        }


def request_export(meeting_id: uuid.UUID, fmt: str = "docx") -> uuid.UUID:
    with session_scope(get_engine()) as s:
        draft = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        version = s.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
            )
        ).one()
        export = Export(
            organization_id=draft.organization_id, draft_version_id=version.id, format=fmt
        )
        s.add(export)
        s.flush()
        export_id = export.id
    run(_enqueue(NextJob("export", export_id, 1)))
    return export_id


def test_upload_runs_through_every_stage_and_publishes_each_event_once(
    workers: Workers, org, service_urls: dict[str, str]
) -> None:
    workers.start_all()
    meeting_id = submit(org)
    wait_status(meeting_id, "ready", timeout=30)
    export_id = request_export(meeting_id)
    wait_for(lambda: Session(get_engine()).get(Export, export_id).status == "done", 20, "export")  # type: ignore[union-attr]

    counts = _counts(meeting_id)
    assert counts["segments"] == 20  # one per cue of the demo transcript
    assert counts["decisions"] > 0 and counts["drafts"] == 1 and counts["versions"] == 1
    assert counts["findings"] > 0
    assert counts["runs"] == 5  # transcript, decision, draft, qa, export
    wait_for(lambda: _counts(meeting_id)["unsent"] == 0, 10, "outbox drained")

    with Session(get_engine()) as s:
        export = s.get(Export, export_id)
        assert export is not None and export.object_key and export.size_bytes
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and meeting.data_key_id is not None
        key = crypto.load_data_key(s, meeting.data_key_id)
        docx = crypto.decrypt(key, get_store().get(export.object_key))
        assert docx[:2] == b"PK"  # a real DOCX (zip) after decryption
        slo_rows = s.exec(
            select(StageRun).where(
                StageRun.meeting_id == meeting_id, col(StageRun.slo).is_not(None)
            )
        ).all()
        assert {r.slo for r in slo_rows} == {"meetingProcessing", "draftGeneration", "export"}

    events = run(collect_events(service_urls["NATS_URL"], {str(meeting_id)}))
    subjects = sorted(e["subject"] for e in events)
    assert subjects == sorted(
        [
            "bridge.meeting.ingested",
            "bridge.decisions.extracted",
            "bridge.draft.created",
            "bridge.qa.completed",
            "bridge.export.completed",
        ]
    )
    assert len({e["id"] for e in events}) == len(events)


def test_rerunning_a_stage_for_the_same_input_replaces_and_never_duplicates(
    workers: Workers, org
) -> None:
    workers.start_all()
    meeting_id = submit(org)
    wait_status(meeting_id, "ready")
    before = _counts(meeting_id)
    info = RunInfo(job_id="manual", attempt=2, enqueued_at=None, started_at=datetime.now(UTC))
    # Delivered again (at-least-once): every stage sees its work done and changes nothing.
    assert run_stage(Stage.transcript, meeting_id, 1, info) is None
    assert run_stage(Stage.decision, meeting_id, 1, info) is None
    with Session(get_engine()) as s:
        draft = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        version = s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft.id)).one()
    assert run_stage(Stage.draft, draft.id, 1, info) is None
    assert run_stage(Stage.qa, version.id, 1, info) is None
    after = _counts(meeting_id)
    assert {k: v for k, v in after.items() if k != "unsent"} == {
        k: v for k, v in before.items() if k != "unsent"
    }
    # Forcing a stage to redo its work for the same version replaces its own rows.
    with session_scope(get_engine()) as s:
        s.execute(sa.update(Meeting).where(col(Meeting.id) == meeting_id).values(status="ingested"))
    run_stage(Stage.decision, meeting_id, 1, info)
    assert _counts(meeting_id)["decisions"] == before["decisions"]


def test_regenerating_a_draft_makes_a_new_immutable_version(workers: Workers, org) -> None:
    workers.start_all()
    meeting_id = submit(org)
    wait_status(meeting_id, "ready")
    with session_scope(get_engine()) as s:
        draft = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        first = s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft.id)).one()
        first_body = bytes(first.body_ciphertext)
        job = request_new_draft_version(s, draft)
    run(_enqueue(job))
    wait_for(lambda: _counts(meeting_id)["versions"] == 2, 20, "second version")
    wait_status(meeting_id, "ready")
    with Session(get_engine()) as s:
        versions = s.exec(
            select(DraftVersion)
            .where(DraftVersion.draft_id == job.subject_id)
            .order_by(col(DraftVersion.version))
        ).all()
        assert [v.version for v in versions] == [1, 2]
        assert bytes(versions[0].body_ciphertext) == first_body
        assert all(v.qa_done for v in versions)


def test_a_poison_meeting_fails_at_its_stage_and_does_not_block_others(
    workers: Workers, org
) -> None:
    workers.start_all()
    poison = submit(
        org, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, validate=False, filename="x.vtt"
    )
    good = submit(org)
    wait_status(good, "ready")
    wait_status(poison, "failed")
    with Session(get_engine()) as s:
        meeting = s.get(Meeting, poison)
        assert meeting is not None and meeting.failed_stage == "transcript"
        assert meeting.failure_reason and "binary" in meeting.failure_reason.lower()
        failed_runs = s.exec(
            select(StageRun).where(StageRun.meeting_id == poison, StageRun.outcome == "failed")
        ).all()
        assert len(failed_runs) == 1  # permanent: no retries
        failed_events = s.exec(
            select(OutboxEvent).where(OutboxEvent.subject == "bridge.stage.failed")
        ).all()
        assert any(e.payload.get("meeting_id") == str(poison) for e in failed_events)
    # The retry action re-enqueues at the failed stage (it fails again: the file is still bad).
    with session_scope(get_engine()) as s:
        m = s.get(Meeting, poison)
        assert m is not None
        job = retry_failed(s, m)
    assert job is not None and job.stage == "transcript"
    run(_enqueue(job))
    wait_status(poison, "failed")


def test_workers_serve_health_and_metrics_and_queues_are_sorted_sets(workers: Workers, org) -> None:
    workers.start_all(("transcript",))
    wait_for(lambda: _http(worker_port(), "/health"), 15, "worker /health")
    assert b'"status":"ok"' in _http(worker_port(), "/health")
    meeting_id = submit(org)
    wait_status(meeting_id, "ingested", timeout=20)
    # The status commits before the job returns: its metrics and the next job follow it.
    run_counted = 'bridge_stage_runs_total{outcome="succeeded",stage="transcript"}'
    wait_for(lambda: run_counted in _http(worker_port(), "/metrics").decode(), 10, "run counted")
    metrics_text = _http(worker_port(), "/metrics").decode()
    assert (
        'bridge_stage_duration_seconds_bucket{le="30.0",outcome="succeeded",stage="transcript"}'
        in metrics_text
    )

    async def depths() -> dict[str, int]:
        pool = await get_pool()
        try:
            return await queue_depths(pool)
        finally:
            await pool.aclose()

    # No decision worker runs: the decision job waits in its queue, counted with ZCARD.
    wait_for(lambda: run(depths())["decisions.extract"] == 1, 10, "the decision job queued")
    time.sleep(1)  # and it stays there
    assert run(depths())["decisions.extract"] == 1
    assert meeting_status(meeting_id) == "ingested"


def _http(port: int, path: str) -> bytes:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return bytes(response.read())
    except OSError:
        return b""
