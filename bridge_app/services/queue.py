"""The arq side of the pipeline: queue names, job ids, enqueueing, depth and heartbeats."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.constants import health_check_key_suffix
from arq.jobs import Job, JobStatus
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from bridge_app.core.stages import MAINTENANCE_QUEUE, QUEUE_NAMES, STAGES, Stage
from bridge_app.settings import get_settings


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
    """A new arq Redis pool (callers keep one per process)."""
    return await create_pool(redis_settings(url))


@dataclass(frozen=True)
class NextJob:
    """A stage to run on `subject_id` (meeting, draft, version or export) at `version`."""

    stage: Stage
    subject_id: uuid.UUID
    version: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", Stage(self.stage))  # "qa" given → Stage.qa


async def enqueue_stage(pool: ArqRedis, job: NextJob, *, defer_by: float | None = None) -> bool:
    """Enqueue a stage's job; False when that exact job is already queued or running."""
    target = STAGES[job.stage]
    queued = await pool.enqueue_job(
        target.function,
        str(job.subject_id),
        job.version,
        _job_id=job_id(job.stage, job.subject_id, job.version),
        _queue_name=target.queue,
        _defer_by=defer_by,
    )
    return queued is not None


async def job_status(
    pool: ArqRedis, stage: Stage | str, subject_id: uuid.UUID | str, version: int | str
) -> JobStatus:
    target = STAGES[Stage(stage)]
    return await Job(job_id(stage, subject_id, version), pool, _queue_name=target.queue).status()


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
