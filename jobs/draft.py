"""Draft stage (queue draft.make): items → a new draft version with provenance.

Run: `arq jobs.draft.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from arq.worker import func

from bridge_app.services.queue import STAGE_QUEUES, redis_settings
from jobs import constants
from jobs.common import on_shutdown, on_startup, run_stage

STAGE = "draft"


async def make_draft(ctx: dict[str, Any], draft_id: str, version: int) -> str:
    """arq job: run the draft stage for one input version."""
    return await run_stage(ctx, STAGE, draft_id, version)


class WorkerSettings:
    """arq settings for the draft worker."""

    functions: ClassVar[list[Any]] = [
        func(make_draft, name=STAGE_QUEUES[STAGE].function, keep_result=0)
    ]
    queue_name = STAGE_QUEUES[STAGE].queue
    redis_settings = redis_settings()
    ctx: ClassVar[dict[str, Any]] = {"stage": STAGE}
    on_startup = on_startup
    on_shutdown = on_shutdown
    job_timeout = constants.JOB_TIMEOUT_S
    max_tries = constants.MAX_TRIES
    poll_delay = constants.POLL_DELAY_S
    health_check_interval = constants.HEALTH_CHECK_INTERVAL_S
    job_completion_wait = constants.JOB_COMPLETION_WAIT_S
    allow_abort_jobs = True
    keep_result = 0
