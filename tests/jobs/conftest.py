"""Real arq workers as subprocesses, against the embedded test services."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bridge_app.core.stages import STAGE_NAMES
from bridge_app.demo import demo_transcript
from bridge_app.models import Meeting, Organization
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.queue import NextJob, enqueue_stage, get_pool
from bridge_app.services.upload import submit_meeting
from bridge_app.settings import get_settings

REPO = Path(__file__).resolve().parents[2]
# Workers' /health and /metrics listen on 8000 + offset + stage index; JOBS_WORKER_PORT_OFFSET
# moves them so two checkouts can run this package side by side.
WORKER_PORT_OFFSET = int(os.environ.get("JOBS_WORKER_PORT_OFFSET", "200"))
JOB_TIMEOUT_S = 3  # small, so a killed job is picked up again after ~13 s


class Workers:
    """Start, kill and restart the stage workers of one test."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, **extra_env: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "jobs", name],  # arq, riding out outages (jobs/worker.py)
            env={**self.env, **extra_env},
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def start_all(
        self, names: tuple[str, ...] = (*STAGE_NAMES, "maintenance"), **extra_env: str
    ) -> None:
        for name in names:
            self.start(name, **extra_env)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.procs):
            proc = self.procs.pop(name)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        time.sleep(0.1)

    def wait_stopped(self) -> None:
        for proc in list(self.procs.values()):
            proc.wait(timeout=40)


@pytest.fixture()
def worker_env(service_urls: dict[str, str], migrated: str, tmp_path: Path) -> dict[str, str]:
    storage = tmp_path / "storage"
    os.environ["LOCAL_STORAGE_DIR"] = str(storage)
    get_settings.cache_clear()
    from bridge_app.services.storage import get_store

    get_store.cache_clear()
    return {
        **os.environ,
        **service_urls,
        "LOCAL_STORAGE_DIR": str(storage),
        "BRIDGE_ENV": "test",
        "BRIDGE_WORKER_PORT_OFFSET": str(WORKER_PORT_OFFSET),
        "BRIDGE_JOB_TIMEOUT_S": str(JOB_TIMEOUT_S),
        "BRIDGE_STUCK_AFTER_S": "2",
        "BRIDGE_RECONCILE_EVERY_S": "1",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture()
def workers(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(worker_env, tmp_path)
    yield pool
    pool.stop_all()
    try:
        pool.wait_stopped()
    except subprocess.TimeoutExpired:
        for proc in pool.procs.values():
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture()
def redis_clean(service_urls: dict[str, str]) -> Iterator[None]:
    """Every test starts with empty queues (this session's Redis database only)."""
    import redis

    client = redis.Redis.from_url(service_urls["REDIS_URL"])
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture()
def org(migrated: str) -> Organization:
    with session_scope(get_engine()) as session:
        org = Organization(name="Pipeline Test", slug=f"pipe-{uuid.uuid4().hex[:8]}")
        session.add(org)
    return org


def run(coro: Any) -> Any:
    """Run a coroutine to completion on a fresh loop in its own thread (safe even when another
    fixture, e.g. Playwright's sync API, has a loop running in the main thread)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _enqueue(job: NextJob) -> None:
    pool = await get_pool()
    try:
        await enqueue_stage(pool, job)
    finally:
        await pool.aclose()


def submit(
    org: Organization,
    data: bytes | None = None,
    *,
    validate: bool = True,
    filename: str = "meeting.vtt",
    title: str = "Pipeline test",
) -> uuid.UUID:
    """Upload a transcript and enqueue its first stage, as the API does."""
    with session_scope(get_engine()) as session:
        meeting, _ = submit_meeting(
            session,
            organization_id=org.id,
            user_id=None,
            filename=filename,
            data=data if data is not None else demo_transcript(),
            title=title,
            validate=validate,
        )
        job = NextJob("transcript", meeting.id, meeting.input_version)
    run(_enqueue(job))
    return meeting.id


def worker_port(index: int = 0) -> int:
    """The health port of the worker at `index` in WORKERS order (transcript first)."""
    return 8000 + WORKER_PORT_OFFSET + index


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def meeting_status(meeting_id: uuid.UUID) -> str:
    with Session(get_engine()) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.status


def wait_status(meeting_id: uuid.UUID, status: str, timeout: float = 30) -> None:
    wait_for(
        lambda: meeting_status(meeting_id) == status, timeout, f"meeting {meeting_id} → {status}"
    )


def meetings_of(org: Organization) -> list[Meeting]:
    with Session(get_engine()) as session:
        return list(session.exec(select(Meeting).where(Meeting.organization_id == org.id)).all())


async def collect_events(
    nats_url: str, meeting_ids: set[str], timeout: float = 5
) -> list[dict[str, Any]]:
    """Every message in stream BRIDGE that concerns the given meetings (after de-duplication)."""
    import nats

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe("bridge.>", ordered_consumer=True, deliver_policy=None)
        events: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = await sub.next_msg(timeout=0.5)
            except Exception:
                break
            body = json.loads(msg.data)
            if body["payload"].get("meeting_id") in meeting_ids:
                events.append(body)
        await sub.unsubscribe()
        return events
    finally:
        await nc.close()
