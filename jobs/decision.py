"""Decision stage (queue decisions.extract): segments → decisions, action items, terms.

Run: `arq jobs.decision.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from arq.worker import func

from bridge_app.services.queue import STAGE_QUEUES, redis_settings
from jobs import constants
from jobs.common import on_shutdown, on_startup, run_stage

STAGE = "decision"


async def extract_decisions(ctx: dict[str, Any], meeting_id: str, version: int) -> str:
    """arq job: run the decision stage for one input version."""
    return await run_stage(ctx, STAGE, meeting_id, version)


class WorkerSettings:
    """arq settings for the decision worker."""

    functions: ClassVar[list[Any]] = [
        func(extract_decisions, name=STAGE_QUEUES[STAGE].function, keep_result=0)
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
