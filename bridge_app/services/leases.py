"""Job leases: a running stage job is renewed every second by the worker running it, so the
reconciler can tell a job whose worker died from one that is merely slow.

arq marks a started job with `arq:in-progress:<job id>` for job_timeout + 10 s and only runs it
again once that key expires. When a worker is killed that costs the whole timeout. With a lease
(`bridge:lease:<job id>`, a few seconds long), the reconciler sees an in-progress key that
nobody renews and deletes it; the job is still in its queue, so the next poll of a live worker
runs it again (stages are idempotent).

The age of a mark is read from its remaining TTL, so the maintenance worker must use the same
job timeout as the stage workers (BRIDGE_JOB_TIMEOUT_S, one ConfigMap for all of them).
"""

from __future__ import annotations

from collections.abc import Iterable

from arq import ArqRedis
from arq.constants import in_progress_key_prefix

from bridge_app.core.stages import STAGES

LEASE_PREFIX = "bridge:lease:"
LEASE_TTL_MS = 4000
LEASE_RENEW_S = 1.0
# Delete the in-progress key only if no lease exists, atomically.
_RELEASE = """
if redis.call('exists', KEYS[2]) == 0 then return redis.call('del', KEYS[1]) end
return 0
"""


async def renew(pool: ArqRedis, job_ids: Iterable[str]) -> None:
    """Extend the lease of every job this process is running."""
    ids = list(job_ids)
    if not ids:
        return
    async with pool.pipeline(transaction=False) as pipe:
        for job_id in ids:
            pipe.psetex(LEASE_PREFIX + job_id, LEASE_TTL_MS, b"1")
        await pipe.execute()


async def drop(pool: ArqRedis, job_id: str) -> None:
    await pool.delete(LEASE_PREFIX + job_id)


async def release_orphans(pool: ArqRedis, in_progress_ttl_ms: int) -> list[str]:
    """Job ids whose in-progress mark had no lease for longer than a lease lasts; their marks
    are deleted so a live worker runs them again now rather than after the job timeout."""
    stage_prefixes = tuple(f"{in_progress_key_prefix}{stage}:" for stage in STAGES)
    keys = [
        key.decode() if isinstance(key, bytes) else str(key)
        async for key in pool.scan_iter(match=in_progress_key_prefix + "*", count=500)
    ]
    keys = [k for k in keys if k.startswith(stage_prefixes)]
    if not keys:
        return []
    async with pool.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.pttl(key)
            pipe.exists(LEASE_PREFIX + key.removeprefix(in_progress_key_prefix))
        answers = await pipe.execute()
    released: list[str] = []
    for index, key in enumerate(keys):
        ttl, leased = int(answers[2 * index]), int(answers[2 * index + 1])
        # Younger than a lease: its worker may not have written the first one yet.
        age_ms = in_progress_ttl_ms - ttl if ttl > 0 else 0
        if leased or age_ms < LEASE_TTL_MS:
            continue
        job_id = key.removeprefix(in_progress_key_prefix)
        if await pool.eval(_RELEASE, 2, key, LEASE_PREFIX + job_id):  # type: ignore[misc]
            released.append(job_id)
    return released
