"""Draft stage (queue draft.make): items → a new draft version with provenance.

Run: `arq jobs.draft.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from bridge_app.core.stages import Stage
from jobs.common import run_stage, stage_worker_settings


async def draft_job(ctx: dict[str, Any], draft_id: str, version: int) -> str:
    """arq job: run the draft stage for one input version."""
    return await run_stage(ctx, Stage.draft, draft_id, version)


WorkerSettings = stage_worker_settings(Stage.draft, draft_job)
