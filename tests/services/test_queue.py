"""Job statuses on real Redis: the reconciler's batched lookup agrees with arq's own."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from arq.constants import in_progress_key_prefix, result_key_prefix
from arq.jobs import Job, JobStatus

from bridge_app.core.stages import STAGES, Stage
from bridge_app.services import queue

pytestmark = pytest.mark.services


def test_batched_statuses_agree_with_arq_for_every_state(migrated: str) -> None:
    jobs = {
        state: queue.NextJob(Stage.decision, uuid.uuid4(), 1)
        for state in ("queued", "deferred", "in_progress", "complete", "not_found")
    }

    async def run() -> tuple[list[JobStatus], list[JobStatus]]:
        pool = await queue.get_pool()
        try:
            await pool.enqueue_job(
                "decision_job",
                _job_id=queue.job_id(*_key(jobs["queued"])),
                _queue_name=STAGES[Stage.decision].queue,
            )
            await pool.enqueue_job(
                "decision_job",
                _job_id=queue.job_id(*_key(jobs["deferred"])),
                _queue_name=STAGES[Stage.decision].queue,
                _defer_by=600,
            )
            await pool.set(in_progress_key_prefix + queue.job_id(*_key(jobs["in_progress"])), b"1")
            await pool.set(result_key_prefix + queue.job_id(*_key(jobs["complete"])), b"x")
            order = list(jobs.values())
            one_by_one = [
                await Job(queue.job_id(*_key(j)), pool, _queue_name=STAGES[j.stage].queue).status()
                for j in order
            ]
            return one_by_one, await queue.job_statuses(pool, order)
        finally:
            await pool.aclose()

    one_by_one, batched = asyncio.run(run())
    assert (
        batched
        == one_by_one
        == [
            JobStatus.queued,
            JobStatus.deferred,
            JobStatus.in_progress,
            JobStatus.complete,
            JobStatus.not_found,
        ]
    )


def _key(job: queue.NextJob) -> tuple[Stage, uuid.UUID, int]:
    return job.stage, job.subject_id, job.version


def test_no_jobs_needs_no_redis() -> None:
    assert asyncio.run(queue.job_statuses(None, [])) == []  # type: ignore[arg-type]
