"""Fault tests: nothing lost, nothing duplicated, on at-least-once delivery."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.models import (
    Decision,
    Draft,
    DraftVersion,
    Export,
    OutboxEvent,
    QAFinding,
    TranscriptSegment,
)
from bridge_app.services import devservices
from bridge_app.services.db import get_engine
from tests.jobs.conftest import (
    STAGE_NAMES,
    Workers,
    collect_events,
    run,
    submit,
    wait_for,
    wait_status,
)
from tests.jobs.test_pipeline import request_export

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.usefixtures("redis_clean")]

HOLD_S = "4"  # how long the doomed worker holds its job before we kill it


def _in_progress(redis_url: str) -> list[str]:
    client = redis.Redis.from_url(redis_url)
    return [k.decode().removeprefix("arq:in-progress:") for k in client.keys("arq:in-progress:*")]


def _result_rows_once(meeting_id: uuid.UUID) -> None:
    with Session(get_engine()) as s:
        segs = s.exec(
            select(TranscriptSegment.position).where(TranscriptSegment.meeting_id == meeting_id)
        ).all()
        assert len(segs) == len(set(segs)) == 20
        keys = s.exec(select(Decision.item_key).where(Decision.meeting_id == meeting_id)).all()
        assert len(keys) == len(set(keys)) > 0
        drafts = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).all()
        assert len(drafts) == 1
        versions = s.exec(select(DraftVersion).where(DraftVersion.draft_id == drafts[0].id)).all()
        assert [v.version for v in versions] == [1]
        findings = s.exec(
            select(QAFinding).where(QAFinding.draft_version_id == versions[0].id)
        ).all()
        assert len({(f.code, f.clause, f.message) for f in findings}) == len(findings)


def _events_once(nats_url: str, meeting_id: uuid.UUID) -> None:
    with Session(get_engine()) as s:
        rows = [
            r
            for r in s.exec(select(OutboxEvent).order_by(col(OutboxEvent.id))).all()
            if r.payload.get("meeting_id") == str(meeting_id)
        ]
    wait_for(lambda: _unsent() == 0, 20, "outbox drained")
    events = run(collect_events(nats_url, {str(meeting_id)}))
    ids = [e["id"] for e in events]
    assert sorted(ids) == sorted(str(r.event_id) for r in rows), (
        "every outbox row reaches NATS once"
    )


def _unsent() -> int:
    with Session(get_engine()) as s:
        return int(
            s.execute(
                sa.select(sa.func.count())
                .select_from(OutboxEvent)
                .where(col(OutboxEvent.sent_at).is_(None))
            ).scalar_one()
        )


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_sigkill_in_the_middle_of_each_stage(
    stage: str, workers: Workers, org, service_urls: dict[str, str]
) -> None:
    others = tuple(s for s in (*STAGE_NAMES, "maintenance") if s != stage)
    workers.start_all(others)
    workers.start(stage, **{f"BRIDGE_FAULT_DELAY_{stage.upper()}_S": HOLD_S})
    meeting_id = submit(org)
    if stage == "export":
        wait_status(meeting_id, "ready")
        export_id = request_export(meeting_id)
    wait_for(
        lambda: any(j.startswith(f"{stage}:") for j in _in_progress(service_urls["REDIS_URL"])),
        30,
        f"{stage} job in progress",
    )
    workers.kill(stage, signal.SIGKILL)
    workers.start(stage)  # a fresh worker; arq re-runs the job once its in-progress key expires
    wait_status(meeting_id, "ready", timeout=45)
    if stage == "export":
        wait_for(
            lambda: Session(get_engine()).get(Export, export_id).status == "done", 45, "export"
        )  # type: ignore[union-attr]
    _result_rows_once(meeting_id)
    _events_once(service_urls["NATS_URL"], meeting_id)


def test_flushall_mid_pipeline_the_reconciler_completes_every_meeting(
    workers: Workers, org, service_urls: dict[str, str]
) -> None:
    # Only the first two stages run at first: jobs pile up for draft, then Redis loses them all.
    workers.start_all(("transcript", "decision"))
    ids = [submit(org, title=f"m{i}") for i in range(4)]
    for meeting_id in ids:
        wait_status(meeting_id, "extracted", timeout=30)
    # FLUSHDB of this session's database: the same loss as FLUSHALL for these workers.
    redis.Redis.from_url(service_urls["REDIS_URL"]).flushdb()
    workers.start_all(("draft", "qa", "export", "maintenance"))
    for meeting_id in ids:
        wait_status(meeting_id, "ready", timeout=45)
        _result_rows_once(meeting_id)


def test_nats_down_the_pipeline_goes_on_and_events_arrive_later(
    workers: Workers, org, service_urls: dict[str, str]
) -> None:
    profile = devservices.PROFILES["test"]
    nats_dir = profile.directory / "nats"
    if (
        not service_urls["NATS_URL"].endswith(f":{profile.nats_port}")
        or not (
            devservices.status(profile)["nats"]  # the port may be another checkout's server
        )
    ):
        pytest.skip("NATS is external (TEST_NATS_URL); not ours to stop")
    workers.start_all()
    devservices._kill_pidfile(nats_dir / "nats.pid")
    try:
        meeting_id = submit(org)
        wait_status(meeting_id, "ready", timeout=30)
        time.sleep(1)
        assert _unsent() > 0, "events wait in the outbox while NATS is down"
    finally:
        devservices.start_nats_process(profile.nats_port, nats_dir)
    _events_once(service_urls["NATS_URL"], meeting_id)


def test_postgres_restart_mid_pipeline_workers_recover_without_restart(
    workers: Workers, org, service_urls: dict[str, str]
) -> None:
    profile = devservices.PROFILES["test"]
    if (
        not service_urls["DATABASE_URL"].split("/")[2].endswith(f":{profile.pg_port}")
        or not (
            devservices.status(profile)["postgres"]  # the port may be another checkout's server
        )
    ):
        pytest.skip("PostgreSQL is external (TEST_DATABASE_URL); not ours to restart")
    workers.start_all(**{"BRIDGE_FAULT_DELAY_DECISION_S": "2"})
    meeting_id = submit(org)
    wait_status(meeting_id, "extracting", timeout=30)
    data = profile.directory / "pg" / "data"
    subprocess.run(
        [
            str(devservices._pg_bin("pg_ctl")),
            "-D",
            str(data),
            "-m",
            "immediate",
            "-w",
            "restart",
            "-o",
            f"-p {profile.pg_port} -h 127.0.0.1 -k {data.parent} "
            "-c fsync=off -c max_connections=200",
            "-l",
            str(Path(data.parent) / "postgres.log"),
        ],
        check=True,
        capture_output=True,
        user=devservices._pg_user(),
    )
    get_engine().dispose()  # the test's own pool holds dead connections too
    wait_status(meeting_id, "ready", timeout=60)
    _result_rows_once(meeting_id)
    assert all(p.poll() is None for p in workers.procs.values()), "no worker had to be restarted"
