"""Job leases: the reconciler frees a job whose worker stopped renewing it, and only that one."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import redis
from arq import create_pool
from arq.constants import in_progress_key_prefix

from bridge_app.services import leases
from bridge_app.services.queue import redis_settings

pytestmark = pytest.mark.services

TTL_MS = 40_000  # arq's in-progress mark: job_timeout (30 s) + 10 s


@pytest.fixture()
def redis_url(service_urls: dict[str, str]) -> Iterator[str]:
    url = service_urls["REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


def test_only_unleased_marks_older_than_a_lease_are_freed(redis_url: str) -> None:
    async def scenario() -> tuple[list[str], set[str]]:
        pool = await create_pool(redis_settings(redis_url))
        try:
            # A dead worker's job: marked 10 s ago, no lease.
            await pool.psetex(in_progress_key_prefix + "decision:dead:1", TTL_MS - 10_000, b"1")
            # A live worker's job, equally old, lease renewed.
            await pool.psetex(in_progress_key_prefix + "decision:alive:1", TTL_MS - 10_000, b"1")
            await leases.renew(pool, ["decision:alive:1"])
            # Just started: its worker may not have written the first lease yet.
            await pool.psetex(in_progress_key_prefix + "qa:young:1", TTL_MS - 500, b"1")
            # Cron jobs of the maintenance worker are not stage jobs.
            await pool.psetex(in_progress_key_prefix + "cron:reconcile_stuck:1", 1_000, b"1")
            freed = await leases.release_orphans(pool, TTL_MS)
            left = {
                k.decode().removeprefix(in_progress_key_prefix)
                async for k in pool.scan_iter(match=in_progress_key_prefix + "*")
            }
            return freed, left
        finally:
            await pool.aclose()

    freed, left = asyncio.run(scenario())
    assert freed == ["decision:dead:1"]
    assert left == {"decision:alive:1", "qa:young:1", "cron:reconcile_stuck:1"}
