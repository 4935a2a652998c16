"""QA stage (queue qa.check): findings for a draft version.

Run: `arq jobs.qa.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from bridge_app.core.stages import Stage
from jobs.common import run_stage, stage_worker_settings


async def qa_job(ctx: dict[str, Any], draft_version_id: str, version: int) -> str:
    """arq job: run the qa stage for one input version."""
    return await run_stage(ctx, Stage.qa, draft_version_id, version)


WorkerSettings = stage_worker_settings(Stage.qa, qa_job)
