"""Maintenance worker: reconciler, outbox relay to NATS, partitions, backlogs, availability
probes and SLO gauges. Every coroutine here is scheduled in `WorkerSettings.cron_jobs`
(tests/jobs/test_maintenance.py checks it).

Run: `arq jobs.maintenance.WorkerSettings` (one replica is enough; two are safe).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, ClassVar

from arq import cron

from bridge_app.core.stages import MAINTENANCE_PORT, MAINTENANCE_QUEUE
from bridge_app.services import events, health, metrics, reconciler, resilience, slo
from bridge_app.services.db import ensure_decision_partitions, get_engine, session_scope
from bridge_app.services.queue import queue_depths, redis_settings
from bridge_app.settings import get_settings
from jobs import constants
from jobs.common import start_http

log = logging.getLogger("bridge.maintenance")


async def reconcile_stuck(ctx: dict[str, Any]) -> int:
    """Cron: re-enqueue work that lost its job (e.g. after Redis lost its data), then measure
    the backlogs (queue depths for the autoscaler, unsent outbox rows for OutboxBacklog)."""
    try:
        sent = await reconciler.reconcile(
            ctx["redis"], constants.STUCK_AFTER_S, (constants.JOB_TIMEOUT_S + 10) * 1000
        )
    except Exception as exc:
        if (dependency := resilience.dependency_of(exc)) is None:
            raise
        resilience.OUTAGES.down(dependency, exc)  # once per outage, not a traceback a run
        return 0
    resilience.OUTAGES.clear(resilience.POSTGRESQL)
    if sent:
        log.warning("reconciler re-enqueued %d job(s): %s", len(sent), [j.stage for j in sent])
    depths = await queue_depths(ctx["redis"])
    for queue, depth in depths.items():
        metrics.QUEUE_DEPTH.labels(queue).set(depth)

    def outbox_pending() -> int:
        with session_scope() as session:
            return events.pending_count(session)

    metrics.OUTBOX_PENDING.set(await asyncio.to_thread(outbox_pending))
    return len(sent)


async def maintain_partitions(ctx: dict[str, Any]) -> int:
    """Cron (daily): keep monthly partitions of decisions created ahead."""

    def run() -> int:
        with session_scope() as session:
            return ensure_decision_partitions(session)

    return await asyncio.to_thread(run)


async def probe_health(ctx: dict[str, Any]) -> bool:
    """Cron: record whether the required dependencies answer (the availability SLO)."""

    def run() -> bool:
        with session_scope() as session:
            return bool(health.record_health_probe(session).ok)

    try:
        return await asyncio.to_thread(run)
    except Exception as exc:
        if (dependency := resilience.dependency_of(exc)) is None:
            raise
        resilience.OUTAGES.down(dependency, exc)
        return False


async def report_slos(ctx: dict[str, Any]) -> float:
    """Cron: recompute the SLO report so its gauges (compliance, error budget) stay current
    for the alerts even when nobody opens the ops page; returns the availability."""

    def run() -> float:
        with session_scope() as session:
            return float(slo.slo_report(session)["sloCompliance"]["systemAvailability"])

    return await asyncio.to_thread(run)


async def startup(ctx: dict[str, Any]) -> None:
    ctx["queue_name"] = MAINTENANCE_QUEUE
    await start_http(ctx, MAINTENANCE_PORT)
    stop = asyncio.Event()
    ctx["relay_stop"] = stop
    ctx["relay_task"] = asyncio.create_task(
        events.run_relay(get_engine(), get_settings().NATS_URL, stop), name="outbox-relay"
    )
    ctx["started"] = time.monotonic()


async def shutdown(ctx: dict[str, Any]) -> None:
    ctx["relay_stop"].set()
    task: asyncio.Task[None] = ctx["relay_task"]
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await asyncio.wait_for(task, timeout=10)
    server = ctx.get("http_server")
    if server is not None:
        server.close()


_EVERY = set(range(0, 60, max(1, constants.RECONCILE_EVERY_S)))
_PROBE_EVERY = set(range(0, 60, max(1, constants.PROBE_EVERY_S)))


class WorkerSettings:
    """arq settings for the maintenance worker (cron jobs only, plus the relay task)."""

    functions: ClassVar[list[Any]] = []
    cron_jobs: ClassVar[list[Any]] = [
        cron(reconcile_stuck, second=_EVERY, run_at_startup=True, unique=True, timeout=60),
        cron(
            maintain_partitions, hour={3}, minute={17}, second={0}, run_at_startup=True, timeout=60
        ),
        cron(probe_health, second=_PROBE_EVERY, run_at_startup=True, unique=True, timeout=30),
        cron(report_slos, second={45}, run_at_startup=True, unique=True, timeout=60),
    ]
    queue_name = MAINTENANCE_QUEUE
    redis_settings = resilience.waiting_redis_settings(redis_settings())
    on_startup = startup
    on_shutdown = shutdown
    health_check_interval = constants.HEALTH_CHECK_INTERVAL_S
    poll_delay = 0.5
    keep_result = 0
