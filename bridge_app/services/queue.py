"""The arq side of the pipeline: queue names, job ids, enqueueing, depth and heartbeats."""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.constants import health_check_key_suffix, in_progress_key_prefix, result_key_prefix
from arq.jobs import JobStatus
from arq.utils import timestamp_ms
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from bridge_app.core.stages import MAINTENANCE_QUEUE, QUEUE_NAMES, STAGES, Stage
from bridge_app.services import resilience
from bridge_app.settings import get_settings

log = logging.getLogger("bridge.queue")


def job_id(stage: Stage | str, subject_id: uuid.UUID | str, version: int | str) -> str:
    """Deterministic: the same stage on the same input version is one job, however often sent."""
    return f"{stage}:{subject_id}:{version}"


def redis_settings(url: str | None = None) -> RedisSettings:
    settings = RedisSettings.from_dsn(url or get_settings().REDIS_URL)
    settings.conn_timeout = 2
    settings.conn_retries = 3
    # One quick retry: the API must answer (a lost enqueue is repaired by the reconciler);
    # workers replace this with resilience.WaitingRetry, which waits for Redis.
    settings.retry = Retry(ExponentialBackoff(cap=0.5, base=0.1), 1)
    return settings


async def get_pool(url: str | None = None) -> ArqRedis:
    """A new arq Redis pool (the caller closes it; web processes use `shared_pool`)."""
    return await create_pool(redis_settings(url))


# One pool per event loop: production runs one loop per process; test clients that start their
# own loop get their own pool (a pool is bound to the loop it was created on). Keyed by the loop
# itself, weakly: a closed loop's pool goes with it, and a new loop never gets a dead one's pool
# (an id() can be reused once a loop is gone).
_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ArqRedis] = weakref.WeakKeyDictionary()


async def shared_pool() -> ArqRedis:
    """This event loop's arq pool, created on first use (the API and the UI share it)."""
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        pool = _pools[loop] = await get_pool()
    return pool


async def close_shared_pool() -> None:
    """Close this event loop's pool (web app shutdown)."""
    pool = _pools.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.aclose()


@dataclass(frozen=True)
class NextJob:
    """A stage to run on `subject_id` (meeting, draft, version or export) at `version`."""

    stage: Stage
    subject_id: uuid.UUID
    version: int
    #: A continuation of the same work (a long recording's next chunks): its own job id.
    part: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", Stage(self.stage))  # "qa" given → Stage.qa

    @property
    def job_id(self) -> str:
        """Its arq job id (the part, when there is one, makes a continuation a job of its own)."""
        base = job_id(self.stage, self.subject_id, self.version)
        return base + (f":part{self.part}" if self.part else "")


async def enqueue_stage(pool: ArqRedis, job: NextJob, *, defer_by: float | None = None) -> bool:
    """Enqueue a stage's job; False when that exact job is already queued or running."""
    target = STAGES[job.stage]
    queued = await pool.enqueue_job(
        target.function,
        str(job.subject_id),
        job.version,
        _job_id=job.job_id,
        _queue_name=target.queue,
        _defer_by=defer_by,
    )
    return queued is not None


async def enqueue_after_commit(job: NextJob | None, pool: ArqRedis | None = None) -> bool:
    """Enqueue the job an action returned, once its transaction committed; never raises.

    A lost enqueue (Redis down) is logged and repaired by the reconciler, so the person's
    saved action still succeeds. False when nothing was enqueued.
    """
    if job is None:
        return False
    try:
        queued = await enqueue_stage(pool or await shared_pool(), job)
    except Exception as exc:
        if resilience.dependency_of(exc) == resilience.REDIS:
            resilience.OUTAGES.down(resilience.REDIS, exc)  # one line per outage
        else:
            log.warning(
                "enqueue %s %s failed (the reconciler will retry): %s",
                job.stage,
                job.subject_id,
                exc,
            )
        if pool is None:
            _pools.pop(asyncio.get_running_loop(), None)  # a fresh pool next time
        return False
    resilience.OUTAGES.up(resilience.REDIS)
    return queued


async def job_statuses(pool: ArqRedis, jobs: Sequence[NextJob]) -> list[JobStatus]:
    """What Redis knows of each job (arq's `Job.status`), in one round trip: the reconciler
    asks about every unfinished meeting every few seconds, during a burst hundreds."""
    if not jobs:
        return []
    async with pool.pipeline(transaction=False) as pipe:
        for job in jobs:
            pipe.exists(result_key_prefix + job.job_id)
            pipe.exists(in_progress_key_prefix + job.job_id)
            pipe.zscore(STAGES[job.stage].queue, job.job_id)
        answers = await pipe.execute()
    now_ms = timestamp_ms()
    statuses: list[JobStatus] = []
    for complete, in_progress, score in zip(
        answers[0::3], answers[1::3], answers[2::3], strict=True
    ):
        if complete:
            statuses.append(JobStatus.complete)
        elif in_progress:
            statuses.append(JobStatus.in_progress)
        elif score:
            statuses.append(JobStatus.deferred if score > now_ms else JobStatus.queued)
        else:
            statuses.append(JobStatus.not_found)
    return statuses


async def queue_depths(pool: ArqRedis) -> dict[str, int]:
    """Jobs waiting per queue. arq queues are sorted sets, so ZCARD (LLEN would fail)."""
    depths: dict[str, int] = {}
    for name in QUEUE_NAMES:
        depths[name] = int(await pool.zcard(name))
    return depths


async def worker_heartbeats(pool: ArqRedis) -> dict[str, str | None]:
    """Each queue's latest worker health-check line (None when no live worker reported)."""
    beats: dict[str, str | None] = {}
    for name in (*QUEUE_NAMES, MAINTENANCE_QUEUE):
        raw = await pool.get(name + health_check_key_suffix)
        beats[name] = raw.decode() if isinstance(raw, bytes) else raw
    return beats
