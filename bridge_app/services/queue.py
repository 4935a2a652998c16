"""The arq side of the pipeline: queue names, job ids, enqueueing, depth and heartbeats."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.constants import health_check_key_suffix
from arq.jobs import Job, JobStatus

from bridge_app.settings import get_settings


@dataclass(frozen=True)
class StageQueue:
    """One pipeline stage: its arq queue, its job function and its worker's metrics port."""

    stage: str
    queue: str
    function: str
    port: int


STAGE_QUEUES: dict[str, StageQueue] = {
    q.stage: q
    for q in (
        StageQueue("transcript", "meeting.ingest", "ingest_meeting", 8000),
        StageQueue("decision", "decisions.extract", "extract_decisions", 8001),
        StageQueue("draft", "draft.make", "make_draft", 8002),
        StageQueue("qa", "qa.check", "check_draft", 8003),
        StageQueue("export", "export.render", "render_export", 8004),
    )
}
MAINTENANCE_QUEUE = "bridge.maintenance"
MAINTENANCE_PORT = 8005
QUEUE_NAMES = tuple(q.queue for q in STAGE_QUEUES.values())


def job_id(stage: str, subject_id: uuid.UUID | str, version: int | str) -> str:
    """Deterministic: the same stage on the same input version is one job, however often sent."""
    return f"{stage}:{subject_id}:{version}"


def redis_settings(url: str | None = None) -> RedisSettings:
    settings = RedisSettings.from_dsn(url or get_settings().REDIS_URL)
    settings.conn_timeout = 2
    settings.conn_retries = 3
    return settings


async def get_pool(url: str | None = None) -> ArqRedis:
    """A new arq Redis pool (callers keep one per process)."""
    return await create_pool(redis_settings(url))


@dataclass(frozen=True)
class NextJob:
    """A stage to run on `subject_id` (meeting, draft, version or export) at `version`."""

    stage: str
    subject_id: uuid.UUID
    version: int
    #: A continuation of the same work (a long recording's next chunks): its own job id.
    part: int = 0


async def enqueue_stage(pool: ArqRedis, job: NextJob, *, defer_by: float | None = None) -> bool:
    """Enqueue a stage's job; False when that exact job is already queued or running."""
    target = STAGE_QUEUES[job.stage]
    queued = await pool.enqueue_job(
        target.function,
        str(job.subject_id),
        job.version,
        _job_id=job_id(job.stage, job.subject_id, job.version)
        + (f":part{job.part}" if job.part else ""),
        _queue_name=target.queue,
        _defer_by=defer_by,
    )
    return queued is not None


async def job_status(
    pool: ArqRedis, stage: str, subject_id: uuid.UUID | str, version: int | str
) -> JobStatus:
    target = STAGE_QUEUES[stage]
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
