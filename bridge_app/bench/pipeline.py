"""Pipeline benchmark: one-hour meetings through the five real workers, and a no-op ceiling.

Runs on the embedded test-profile services in a database of its own (`bridge_bench`) with a
Redis database of its own, and the real worker processes. Phases in one run:

* unqueued: meetings one at a time (each sent when the previous is QA'd; half before the
  other phases, half after the burst, after two uncounted warm-up meetings): the stages' cost
  with nothing else running, the basis of the compute ceiling;
* latency: meetings arrive at a steady rate (default 2/s) so the numbers show the pipeline,
  not a queue the benchmark itself piled up; p50/p95 per SLO span and per stage;
* throughput: N meetings submitted at once; meetings per minute until all are QA'd, against
  the compute ceiling measured in the same run (cores x 60 s / the sum of the stages' unqueued
  p50s from the unqueued phase: what the cores allow with no waiting at all);
* scaling: smaller bursts with 1, 2 and 4 decision workers (the heaviest stage);
* for reference, N no-op jobs chained through five arq queues (queue overhead only).

The load average is reported too: on a shared machine the absolute numbers move with it, the
ratio to the ceiling measured in the same run much less.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from sqlmodel import Session, col, select

from bridge_app.bench.stats import summary
from bridge_app.core.stages import STAGE_NAMES, Stage
from bridge_app.settings import REPO_ROOT, get_settings

BENCH_DB = "bridge_bench"
BENCH_REDIS_DB = 15
NOOP_QUEUES = tuple(f"bench.noop.{i}" for i in range(5))


def one_hour_vtt(source: Path | None = None) -> bytes:
    """A one-hour meeting as WebVTT (real AMI/ICSI talk when the shared data is present;
    `source` names another folder of it)."""
    from bridge_app.bench.extraction import one_hour_meeting

    def clock(t: float) -> str:
        # Whole milliseconds first: 59.9996 s must read 01:00.000, not 00:60.000.
        ms = round(t * 1000)
        h, ms = divmod(ms, 3_600_000)
        m, ms = divmod(ms, 60_000)
        return f"{h:02d}:{m:02d}:{ms // 1000:02d}.{ms % 1000:03d}"

    lines = ["WEBVTT", ""]
    for seg in one_hour_meeting(source):
        end = max(seg.end, seg.start + 0.01)
        lines += [
            f"c{seg.index + 1}",
            f"{clock(seg.start)} --> {clock(end)}",
            f"<v {seg.speaker}>{seg.text}",
            "",
        ]
    return "\n".join(lines).encode()


# What prepare_environment started itself: `bench` stops it at the end (KEEP_SERVICES=1 keeps).
STARTED_SERVICES: list[str] = []


def prepare_environment() -> dict[str, str]:
    """Point this process at a fresh, migrated benchmark database on the embedded services."""
    from bridge_app.services import db, devservices

    # The test services the tests are given (TEST_*_URL) when set, else the embedded ones.
    given = {
        variable: os.environ[f"TEST_{variable}"]
        for variable in devservices.URL_VARIABLES.values()
        if os.environ.get(f"TEST_{variable}")
    }
    urls, started = devservices.start_missing(devservices.PROFILES["test"], environ=given)
    STARTED_SERVICES.extend(s for s in started if s not in STARTED_SERVICES)
    admin = urls["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    env = {
        "DATABASE_URL": urls["DATABASE_URL"].rsplit("/", 1)[0] + f"/{BENCH_DB}",
        "REDIS_URL": urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{BENCH_REDIS_DB}",
        "NATS_URL": urls["NATS_URL"],
        "LOCAL_STORAGE_DIR": str(REPO_ROOT / ".dev" / "bench" / "storage"),
        "BRIDGE_WORKER_PORT_OFFSET": "300",
        "BRIDGE_ENV": "development",
    }
    os.environ.update(env)
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    from bridge_app.services.storage import get_store

    get_store.cache_clear()
    db.migrate()
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    return env


def _start_workers(
    env: dict[str, str], log_dir: Path, names: tuple[str, ...] = (*STAGE_NAMES, "maintenance")
) -> list[subprocess.Popen[bytes]]:
    """One process per worker name; a name given again is another replica (own ports)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    procs = []
    for n, name in enumerate(names):
        replica = names[:n].count(name)
        offset = int(env["BRIDGE_WORKER_PORT_OFFSET"]) + 10 * replica
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "jobs", name],
                env={**os.environ, **env, "BRIDGE_WORKER_PORT_OFFSET": str(offset)},
                cwd=REPO_ROOT,
                stdout=(log_dir / f"{name}-{replica}.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def _stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def _submit(pool: Any, org_id: uuid.UUID, data: bytes, title: str) -> uuid.UUID:
    from bridge_app.services.db import session_scope
    from bridge_app.services.queue import NextJob, enqueue_stage
    from bridge_app.services.upload import submit_meeting

    def store() -> uuid.UUID:
        with session_scope() as session:
            meeting, _ = submit_meeting(
                session,
                organization_id=org_id,
                user_id=None,
                filename="hour.vtt",
                data=data,
                title=title,
                validate=False,
            )
            return meeting.id

    meeting_id = await asyncio.to_thread(store)
    await enqueue_stage(pool, NextJob(Stage.transcript, meeting_id, 1))
    return meeting_id


def _count_ready(ids: list[uuid.UUID]) -> tuple[int, int]:
    from bridge_app.models import Meeting
    from bridge_app.services.db import get_engine

    with Session(get_engine()) as session:
        rows = session.exec(select(Meeting.status).where(col(Meeting.id).in_(ids))).all()
    return sum(1 for s in rows if s == "ready"), sum(1 for s in rows if s == "failed")


async def _wait_ready(ids: list[uuid.UUID], timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        ready, failed = await asyncio.to_thread(_count_ready, ids)
        if failed:
            raise RuntimeError(f"{failed} benchmark meeting(s) failed; see .dev/bench/logs")
        if ready == len(ids):
            return time.monotonic()
        await asyncio.sleep(0.1)
    raise TimeoutError(f"meetings not ready after {timeout:.0f}s")


async def _one_at_a_time(
    pool: Any, org_id: uuid.UUID, data: bytes, label: str, count: int
) -> list[uuid.UUID]:
    """`count` meetings, each submitted once the one before is ready (nothing queued)."""
    ids: list[uuid.UUID] = []
    for i in range(count):
        ids.append(await _submit(pool, org_id, data, f"{label} {i}"))
        await _wait_ready(ids[-1:], timeout=120)
    return ids


async def _request_exports(pool: Any, meeting_ids: list[uuid.UUID], rate: float) -> list[uuid.UUID]:
    """One DOCX export per meeting, requested one at a time at `rate` (as users would)."""
    from bridge_app.models import Draft, DraftVersion, Export
    from bridge_app.services.db import session_scope
    from bridge_app.services.queue import NextJob, enqueue_stage

    def create(meeting_id: uuid.UUID) -> uuid.UUID:
        with session_scope() as session:
            draft = session.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
            version = session.exec(
                select(DraftVersion).where(
                    DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
                )
            ).one()
            export = Export(
                organization_id=draft.organization_id, draft_version_id=version.id, format="docx"
            )
            session.add(export)
            session.flush()
            return export.id

    export_ids = []
    for meeting_id in meeting_ids:
        export_id = await asyncio.to_thread(create, meeting_id)
        await enqueue_stage(pool, NextJob(Stage.export, export_id, 1))
        export_ids.append(export_id)
        await asyncio.sleep(1 / rate)
    return export_ids


def _count_exports_done(ids: list[uuid.UUID]) -> int:
    from bridge_app.models import Export
    from bridge_app.services.db import get_engine

    with Session(get_engine()) as session:
        rows = session.exec(select(Export.status).where(col(Export.id).in_(ids))).all()
    return sum(1 for s in rows if s == "done")


async def _wait_exports(ids: list[uuid.UUID], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(_count_exports_done, ids) < len(ids):
        if time.monotonic() > deadline:
            raise TimeoutError("exports not done in time")
        await asyncio.sleep(0.1)


def _latencies(meeting_ids: list[uuid.UUID]) -> dict[str, Any]:
    from bridge_app.models import StageRun
    from bridge_app.services.db import get_engine

    with Session(get_engine()) as session:
        runs = session.exec(
            select(StageRun).where(
                col(StageRun.meeting_id).in_(meeting_ids), StageRun.outcome == "succeeded"
            )
        ).all()
    by_slo: dict[str, list[float]] = {}
    by_stage: dict[str, list[float]] = {}
    for run in runs:
        if run.slo and run.slo_latency_s is not None:
            by_slo.setdefault(run.slo, []).append(run.slo_latency_s)
        if run.started_at and run.finished_at:
            by_stage.setdefault(run.stage, []).append(
                (run.finished_at - run.started_at).total_seconds()
            )
    return {
        "slo": {k: summary(v) for k, v in by_slo.items()},
        "stages": {k: summary(v) for k, v in sorted(by_stage.items())},
    }


async def _noop_chain(redis_url: str, n: int) -> float:
    """N jobs each passed through five arq queues by five workers: meetings/min ceiling."""
    from arq import Worker
    from arq.worker import func

    from bridge_app.services.queue import get_pool

    pool = await get_pool(redis_url)
    done = asyncio.Event()
    finished = 0

    async def hop(ctx: dict[str, Any], chain: int, step: int) -> None:
        nonlocal finished
        if step + 1 < len(NOOP_QUEUES):
            await ctx["redis"].enqueue_job(
                "hop", chain, step + 1, _queue_name=NOOP_QUEUES[step + 1]
            )
        else:
            finished += 1
            if finished == n:
                done.set()

    workers = [
        Worker(
            functions=[func(hop, name="hop")],
            redis_pool=pool,
            queue_name=q,
            poll_delay=0.05,
            handle_signals=False,
            keep_result=0,
            max_jobs=10,
        )
        for q in NOOP_QUEUES
    ]
    tasks = [asyncio.create_task(w.main()) for w in workers]
    start = time.monotonic()
    for chain in range(n):
        await pool.enqueue_job("hop", chain, 0, _queue_name=NOOP_QUEUES[0])
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.monotonic() - start
    # Stop polling first, let the last hops finish their bookkeeping, then close quietly:
    # a closing worker may still be writing a finished job's state.
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for w in workers:
        with contextlib.suppress(Exception):
            await w.close()
    with contextlib.suppress(Exception):
        await pool.aclose()
    return n / elapsed * 60


# The stages a meeting passes through on its own (export is requested by a person).
MEETING_STAGES = (Stage.transcript, Stage.decision, Stage.draft, Stage.qa)
SCALING_DECISION_WORKERS = (1, 2, 4)


def workers_cpu_s(procs: list[subprocess.Popen[bytes]]) -> float:
    """CPU seconds used so far by the worker processes and their children (compute pools),
    from /proc (0 where it cannot be read)."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            # Its own time and that of its children already reaped (those left /proc).
            used[int(entry)] = sum(int(v) for v in fields[11:15]) / tick
    roots = {proc.pid for proc in procs}

    def in_tree(pid: int) -> bool:
        while pid > 1:
            if pid in roots:
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(seconds for pid, seconds in used.items() if in_tree(pid))


# Meetings sent one at a time (half before the paced phase, half after the burst): their
# stage times are the unqueued cost. The warm-up meetings before them are not counted.
SOLO_N = 16
WARMUP_N = 2


def cores() -> int:
    """The cores this run may use (what the compute ceiling is for)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def compute_ceiling(stage_p50: dict[str, float], cpus: int) -> float:
    """Meetings/min the cores allow when every stage costs its unqueued p50, no waiting."""
    per_meeting = sum(stage_p50[stage] for stage in MEETING_STAGES)
    return cpus * 60 / per_meeting if per_meeting > 0 else 0.0


async def _burst(pool: Any, org_id: uuid.UUID, data: bytes, n: int, label: str) -> float:
    """Meetings/min for `n` meetings submitted at once, first submit to last one ready."""
    start = time.monotonic()
    ids = [await _submit(pool, org_id, data, f"{label} {i}") for i in range(n)]
    end = await _wait_ready(ids, timeout=1800)
    return n / (end - start) * 60


async def _scaling(env: dict[str, str], org_id: uuid.UUID, data: bytes, n: int) -> dict[str, float]:
    """Burst throughput with 1, 2 and 4 decision workers (the other stages one each)."""
    from bridge_app.services.queue import get_pool

    line: dict[str, float] = {}
    for count in SCALING_DECISION_WORKERS:
        names = tuple(s for s in STAGE_NAMES if s != Stage.decision) + ("decision",) * count
        procs = _start_workers(env, REPO_ROOT / ".dev" / "bench" / "logs", names)
        pool = await get_pool()
        try:
            await asyncio.sleep(3)  # workers connect, compute pools spawn
            line[f"decision_workers_{count}"] = round(
                await _burst(pool, org_id, data, n, f"scale {count}"), 1
            )
        finally:
            await pool.aclose()
            _stop_workers(procs)
    return line


async def _run(n: int, rate: float, latency_n: int, scale_n: int) -> dict[str, Any]:
    from bridge_app.models import Organization
    from bridge_app.services.db import session_scope
    from bridge_app.services.queue import get_pool

    env = prepare_environment()
    with session_scope() as session:
        org = Organization(name="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}")
        session.add(org)
        session.flush()
        org_id = org.id
    data = one_hour_vtt()
    procs = _start_workers(env, REPO_ROOT / ".dev" / "bench" / "logs")
    pool = await get_pool()
    try:
        await asyncio.sleep(3)  # workers connect, compute pools spawn
        # The first jobs load the word model and open connections: not counted.
        await _one_at_a_time(pool, org_id, data, "warm-up", WARMUP_N)
        # Phase 0: one meeting at a time, for the stages' unqueued cost (the ceiling); the
        # other half after the burst, so a machine that got busier or quieter meanwhile
        # moves both sides of the ratio.
        cpu_start = workers_cpu_s(procs)
        solo = await _one_at_a_time(pool, org_id, data, "solo", SOLO_N // 2)
        solo_cpu = (workers_cpu_s(procs) - cpu_start) / len(solo)
        # Phase 1: paced arrivals for latency.
        paced: list[uuid.UUID] = []
        for i in range(latency_n):
            paced.append(await _submit(pool, org_id, data, f"paced {i}"))
            await asyncio.sleep(1 / rate)
        await _wait_ready(paced, timeout=300)
        exports = await _request_exports(pool, paced, rate)
        await _wait_exports(exports, timeout=300)
        latency = _latencies(paced)
        # Phase 2: a burst for throughput.
        start = time.monotonic()
        cpu_start = workers_cpu_s(procs)
        burst = [await _submit(pool, org_id, data, f"burst {i}") for i in range(n)]
        end = await _wait_ready(burst, timeout=1800)
        burst_cpu = (workers_cpu_s(procs) - cpu_start) / n
        throughput = n / (end - start) * 60
        burst_latency = _latencies(burst)
        solo_after = await _one_at_a_time(pool, org_id, data, "solo after", SOLO_N - len(solo))
    finally:
        await pool.aclose()
        _stop_workers(procs)
    scaling = await _scaling(env, org_id, data, scale_n) if scale_n else {}
    noop = await _noop_chain(env["REDIS_URL"], n)
    stages = latency["stages"]
    cpus = cores()
    unqueued = _latencies(solo + solo_after)["stages"]
    ceiling = compute_ceiling({k: v["p50"] for k, v in unqueued.items()}, cpus)
    ceiling_halves = [
        round(compute_ceiling({k: v["p50"] for k, v in _latencies(ids)["stages"].items()}, cpus), 1)
        for ids in (solo, solo_after)
    ]
    return {
        "meeting_processing": latency["slo"].get("meetingProcessing", {}),
        "draft_generation": latency["slo"].get("draftGeneration", {}),
        "export": latency["slo"].get("export", {}),
        "stages": stages,
        "unqueued_stages": unqueued,
        "burst_stages": burst_latency["stages"],
        "throughput_per_min": round(throughput, 1),
        "compute_ceiling_per_min": round(ceiling, 1),
        "compute_ceiling_before_after_burst": ceiling_halves,
        "ceiling_ratio": round(throughput / ceiling, 3) if ceiling else None,
        "ceiling_basis": f"{cpus} cores x 60 s / sum of unqueued stage p50s "
        f"({'+'.join(MEETING_STAGES)}; {SOLO_N} meetings one at a time in this run, half "
        "before and half after the burst)",
        # Where a gap to the ceiling comes from: the workers' CPU per meeting (all processes,
        # compute pools included; alone it includes six idle workers' polling over the solo
        # phase), and how many of the cores the workers had during the burst (the rest went
        # to PostgreSQL, Redis, NATS and this process's uploads).
        "workers_cpu_s_per_meeting": {"unqueued": round(solo_cpu, 3), "burst": round(burst_cpu, 3)},
        "burst_cores_busy_with_workers": round(burst_cpu * n / (end - start), 2),
        "scaling_per_min": scaling,
        "scaling_n": scale_n,
        "noop_chain_throughput_per_min": round(noop, 1),
        "noop_ratio": round(throughput / noop, 3) if noop else None,
        "cpus": cpus,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "n": n,
        "latency_n": latency_n,
        "arrival_rate_per_s": rate,
        "segments_per_meeting": data.count(b"-->"),
    }


def bench_pipeline(
    n: int = 200, rate: float = 2.0, latency_n: int = 40, scale_n: int | None = None
) -> dict[str, Any]:
    """Run the phases and return the issue's JSON shape (seconds throughout); the scaling
    bursts have `scale_n` meetings each (default n/2; 0 skips them)."""
    return asyncio.run(_run(n, rate, latency_n, n // 2 if scale_n is None else scale_n))
