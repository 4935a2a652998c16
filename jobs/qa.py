"""QA stage (queue qa.check): findings for a draft version.

Run: `arq jobs.qa.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from jobs.common import run_stage, stage_worker_settings


async def check_draft(ctx: dict[str, Any], draft_version_id: str, version: int) -> str:
    """arq job: run the qa stage for one input version."""
    return await run_stage(ctx, "qa", draft_version_id, version)


WorkerSettings = stage_worker_settings("qa", check_draft)
