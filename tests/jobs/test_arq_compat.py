"""arq 0.28 with redis-py 7: every arq feature the project relies on, on a real Redis.

arq declares redis<6 while Reflex needs redis>=6.4, so arq is installed without its
dependencies; these tests catch an upgrade of either side that breaks what we use.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from arq import ArqRedis, Retry, Worker
from arq.jobs import Job, JobStatus

from bridge_app.services.queue import get_pool
from tests.jobs.conftest import run

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("redis_clean")]

QUEUE = "compat.test"
calls: list[tuple[str, int]] = []


async def flaky(ctx: dict[str, Any], name: str) -> str:
    calls.append((name, ctx["job_try"]))
    if ctx["job_try"] < 2:
        raise Retry(defer=0.05)
    return f"done {name}"


async def slow(ctx: dict[str, Any]) -> str:
    await asyncio.sleep(30)
    return "never"


async def _with_pool(fn: Any) -> Any:
    pool = await get_pool()
    try:
        return await fn(pool)
    finally:
        await pool.aclose()


def _worker(pool: ArqRedis, *, burst: bool = True) -> Worker:
    return Worker(
        functions=[flaky, slow],
        redis_pool=pool,
        queue_name=QUEUE,
        poll_delay=0.02,
        burst=True,
        handle_signals=False,
        allow_abort_jobs=True,
    )


def test_fixed_job_id_enqueues_once_and_retry_defers(service_urls: dict[str, str]) -> None:
    async def scenario(pool: ArqRedis) -> None:
        first = await pool.enqueue_job("flaky", "a", _job_id="compat:1", _queue_name=QUEUE)
        duplicate = await pool.enqueue_job("flaky", "a", _job_id="compat:1", _queue_name=QUEUE)
        assert first is not None and duplicate is None
        assert await pool.zcard(QUEUE) == 1
        await _worker(pool).main()
        assert calls == [("a", 1), ("a", 2)]
        assert await first.result(timeout=5) == "done a"
        assert await first.status() is JobStatus.complete

    run(_with_pool(scenario))


def test_abort_stops_a_running_job(service_urls: dict[str, str]) -> None:
    async def scenario(pool: ArqRedis) -> None:
        job = await pool.enqueue_job("slow", _job_id="compat:slow", _queue_name=QUEUE)
        assert job is not None
        worker = _worker(pool, burst=False)
        task = asyncio.create_task(worker.main())
        for _ in range(100):
            if await job.status() is JobStatus.in_progress:
                break
            await asyncio.sleep(0.02)
        assert await job.abort(timeout=5) is True
        await worker.close()
        task.cancel()
        assert (
            await Job("compat:slow", pool, _queue_name=QUEUE).status() is not JobStatus.in_progress
        )

    run(_with_pool(scenario))
