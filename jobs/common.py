"""What every worker shares: the stage wrapper, retries, and the /health + /metrics server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import redis.exceptions
import sqlalchemy.exc
from arq import Retry
from arq.typing import WorkerCoroutine
from arq.worker import func
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bridge_app.core.stages import STAGES, Stage
from bridge_app.services import compute, leases, resilience
from bridge_app.services.db import get_engine
from bridge_app.services.errors import PermanentStageError
from bridge_app.services.queue import redis_settings
from bridge_app.services.stages.runner import mark_failed, mark_started
from bridge_app.services.stages.runner import run_stage as run_body
from bridge_app.services.stages.transaction import RunInfo
from bridge_app.services.storage import ObjectNotFound, StorageError
from bridge_app.settings import get_settings
from jobs import upkeep
from jobs.constants import (
    HEALTH_CHECK_INTERVAL_S,
    JOB_COMPLETION_WAIT_S,
    JOB_TIMEOUT_S,
    MAX_JOBS,
    MAX_TRIES,
    POLL_DELAY_S,
    PORT_OFFSET,
    RETRY_BASE_S,
    RETRY_CAP_S,
    TRANSIENT_MAX_TRIES,
)

log = logging.getLogger("bridge.jobs")

# Stages whose body is mostly pure Python (the rules extraction): they get a process pool.
CPU_BOUND_STAGES = frozenset({Stage.decision})

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    StorageError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    httpx.TransportError,
    ConnectionError,
    TimeoutError,
)


def backoff(attempt: int) -> float:
    """Exponential: 0.5 s, 1 s, 2 s … capped."""
    return float(min(RETRY_BASE_S * 2 ** (attempt - 1), RETRY_CAP_S))


async def run_stage(ctx: dict[str, Any], stage: Stage, subject_id: str, version: int) -> str:
    """Run one stage body in a thread; classify failures; enqueue the next stage."""
    run = RunInfo(
        job_id=ctx.get("job_id", ""),
        attempt=int(ctx.get("job_try", 1)),
        enqueued_at=ctx.get("enqueue_time"),
        started_at=datetime.now(UTC),
    )
    key = uuid.UUID(subject_id)
    upkeep.RUNNING_JOBS.add(run.job_id)
    with contextlib.suppress(*TRANSIENT_ERRORS):
        await leases.renew(ctx["redis"], [run.job_id])
    try:
        with contextlib.suppress(*TRANSIENT_ERRORS):
            await asyncio.to_thread(mark_started, stage, key, version)
        await _injected_delay(stage)
        body = asyncio.ensure_future(asyncio.to_thread(run_body, stage, key, version, run))
        try:
            next_job = await asyncio.shield(body)
        except asyncio.CancelledError:
            # arq's job timeout cancels this coroutine, not the thread: the stage still commits,
            # so its next job is still sent when the thread ends (not left to the reconciler).
            body.add_done_callback(lambda done: _enqueue_when_done(ctx["redis"], done))
            raise
    except (PermanentStageError, ObjectNotFound) as exc:
        await asyncio.to_thread(mark_failed, stage, key, version, str(exc), run)
        return "failed"
    except Exception as exc:
        dependency = resilience.dependency_of(exc)
        transient = dependency is not None or isinstance(exc, TRANSIENT_ERRORS)
        # An outage is retried for longer than a database restart takes; a bug is not.
        if run.attempt >= (TRANSIENT_MAX_TRIES if transient else MAX_TRIES):
            reason = f"gave up after {run.attempt} attempts: {type(exc).__name__}: {exc}"
            log.error("%s %s: %s", stage, subject_id, reason)
            with contextlib.suppress(Exception):
                await asyncio.to_thread(mark_failed, stage, key, version, reason, run)
            return "failed"
        if dependency is not None:
            resilience.OUTAGES.down(dependency, exc)  # one line per outage, not per retry
        else:
            log.warning(
                "%s %s attempt %d failed (%s): %s",
                stage,
                subject_id,
                run.attempt,
                "transient" if transient else "unexpected",
                exc,
            )
        raise Retry(defer=backoff(run.attempt)) from exc
    finally:
        upkeep.RUNNING_JOBS.discard(run.job_id)
    resilience.OUTAGES.clear(resilience.POSTGRESQL, resilience.STORAGE)
    if next_job is not None:
        await upkeep.enqueue_next(ctx["redis"], next_job)
    with contextlib.suppress(*TRANSIENT_ERRORS):
        await leases.drop(ctx["redis"], run.job_id)
    return "ok"


# Enqueues of stages that outlived their job's timeout (kept referenced until they finish).
_LATE_ENQUEUES: set[asyncio.Task[None]] = set()


def _enqueue_when_done(pool: Any, done: asyncio.Future[Any]) -> None:
    if done.cancelled() or done.exception() is not None or done.result() is None:
        return
    task = asyncio.get_running_loop().create_task(upkeep.enqueue_next(pool, done.result()))
    _LATE_ENQUEUES.add(task)
    task.add_done_callback(_LATE_ENQUEUES.discard)


async def _injected_delay(stage: str) -> None:
    """Fault tests hold a stage mid-job (so a worker can be killed there); test env only."""
    if get_settings().environment != "test":
        return
    delay = os.environ.get(f"BRIDGE_FAULT_DELAY_{stage.upper()}_S")
    if delay:
        await asyncio.sleep(float(delay))


# ---------------------------------------------------------------- health and metrics server


async def _serve_http(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, ctx: dict[str, Any]
) -> None:
    try:
        request_line = await asyncio.wait_for(reader.readline(), timeout=5)
        while (await asyncio.wait_for(reader.readline(), timeout=5)) not in (b"\r\n", b"\n", b""):
            pass
        parts = request_line.decode(errors="replace").split()
        path = parts[1] if len(parts) > 1 else "/"
        if path.startswith("/metrics"):
            status, body, ctype = "200 OK", generate_latest(), CONTENT_TYPE_LATEST
        elif path.startswith("/health"):
            status, body = upkeep.health(ctx)
            ctype = "application/json"
        else:
            status, body, ctype = "404 Not Found", b"not found", "text/plain"
        writer.write(
            f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
    except (TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()


async def start_http(ctx: dict[str, Any], port: int) -> None:
    """Serve /health and /metrics on the worker's port (8000–8005 + offset)."""
    ctx["last_heartbeat"] = time.monotonic()
    server = await asyncio.start_server(
        lambda r, w: _serve_http(r, w, ctx),
        host="0.0.0.0",
        port=port + PORT_OFFSET,
        reuse_address=True,
    )
    ctx["http_server"] = server


async def on_startup(ctx: dict[str, Any]) -> None:
    get_engine()  # open the pool before the first job
    stage = ctx.get("stage")
    if stage in CPU_BOUND_STAGES:
        # Its body's pure-CPU part in processes: the thread it runs in would hold the GIL.
        size = await asyncio.to_thread(compute.start)
        log.info("%s worker: %d compute process(es), %d job slots", stage, size, MAX_JOBS)
    if stage == Stage.export:
        # Import the renderers (python-docx, lxml, fpdf2) now, not in the first export's time.
        import bridge_app.services.render  # noqa: F401
    if stage:
        ctx["queue_name"] = STAGES[stage].queue
        await start_http(ctx, STAGES[stage].port)
        ctx["lease_task"] = asyncio.create_task(upkeep.renew_leases(ctx), name="job-leases")


async def on_shutdown(ctx: dict[str, Any]) -> None:
    if ctx.get("lease_task") is not None:
        ctx["lease_task"].cancel()
    server = ctx.get("http_server")
    if server is not None:
        server.close()
    await asyncio.to_thread(compute.stop)


def stage_worker_settings(stage: Stage, job: WorkerCoroutine) -> type:
    """The arq WorkerSettings class of one stage worker (`arq jobs.<stage>.WorkerSettings`)."""
    target = STAGES[stage]
    if getattr(job, "__name__", None) != target.function:
        raise ValueError(f"the {stage} job must be called {target.function}")
    return type(
        "WorkerSettings",
        (),
        {
            "__doc__": f"arq settings for the {stage} worker (queue {target.queue}).",
            "functions": [func(job, name=target.function, keep_result=0)],
            "queue_name": target.queue,
            "redis_settings": resilience.waiting_redis_settings(redis_settings()),
            "ctx": {"stage": stage},
            "on_startup": on_startup,
            "on_shutdown": on_shutdown,
            "job_timeout": JOB_TIMEOUT_S,
            "max_jobs": MAX_JOBS,
            "max_tries": TRANSIENT_MAX_TRIES,
            "poll_delay": POLL_DELAY_S,
            "health_check_interval": HEALTH_CHECK_INTERVAL_S,
            "job_completion_wait": JOB_COMPLETION_WAIT_S,
            # Nothing aborts jobs; arq would read the abort set on every poll (20 a second).
            "allow_abort_jobs": False,
            "keep_result": 0,
        },
    )
