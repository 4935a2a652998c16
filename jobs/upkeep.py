"""What keeps a stage worker trustworthy through faults: its job leases (so the reconciler can
tell a dead worker's job from a slow one), its queue-depth gauge (the HPA's metric), its
/health body, and an enqueue of the next stage that survives a dropped Redis connection."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import redis.exceptions

from bridge_app.services import leases, metrics, resilience
from bridge_app.services.queue import NextJob, enqueue_stage
from jobs.constants import HEALTH_CHECK_INTERVAL_S

# Job ids this process is running: their leases are renewed every second (services/leases.py).
RUNNING_JOBS: set[str] = set()
REDIS_ERRORS = (redis.exceptions.RedisError, ConnectionError, TimeoutError, OSError)


async def renew_leases(ctx: dict[str, Any]) -> None:
    """Renew this worker's job leases every second; refresh its queue's depth gauge."""
    last_depth = 0.0
    while True:
        try:
            await leases.renew(ctx["redis"], set(RUNNING_JOBS))
            if ctx.get("queue_name") and time.monotonic() - last_depth >= HEALTH_CHECK_INTERVAL_S:
                depth = await ctx["redis"].zcard(ctx["queue_name"])
                metrics.QUEUE_DEPTH.labels(ctx["queue_name"]).set(depth)
                last_depth = time.monotonic()
        except REDIS_ERRORS:
            pass  # Redis is down; WaitingRetry logged it once
        await asyncio.sleep(leases.LEASE_RENEW_S)


async def enqueue_next(pool: Any, job: NextJob, attempts: int = 5) -> None:
    """Enqueue the next stage. arq's enqueue WATCHes the job key, and a connection lost while
    watching is a WatchError rather than a wait: try again. If Redis stays away, the
    reconciler enqueues the job from PostgreSQL later (the stage's result is committed)."""
    for attempt in range(1, attempts + 1):
        try:
            await enqueue_stage(pool, job)
            return
        except redis.exceptions.WatchError:
            await asyncio.sleep(min(0.2 * 2**attempt, 2.0))
        except REDIS_ERRORS as exc:
            resilience.OUTAGES.down(resilience.REDIS, exc)
            return


def health(ctx: dict[str, Any]) -> tuple[str, bytes]:
    """200 while the worker runs — "degraded" during an outage it is waiting out, so a
    liveness probe does not restart every worker through a Redis failover; 503 before start."""
    age = time.monotonic() - ctx.get("last_heartbeat", time.monotonic())
    started = ctx.get("redis") is not None
    down = resilience.OUTAGES.current()
    state = "down" if not started else "degraded" if down else "ok"
    body = {
        "status": state,
        "queue": ctx.get("queue_name", ""),
        "uptime_s": round(age, 1),
        "waiting_for": {name: round(seconds, 1) for name, seconds in down.items()},
    }
    payload = json.dumps(body, separators=(",", ":")).encode()
    return ("200 OK" if started else "503 Service Unavailable"), payload
