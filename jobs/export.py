"""Export stage (queue export.render): a draft version → a file in object storage.

Run: `arq jobs.export.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from bridge_app.core.stages import Stage
from jobs.common import run_stage, stage_worker_settings


async def export_job(ctx: dict[str, Any], export_id: str, version: int) -> str:
    """arq job: run the export stage for one input version."""
    return await run_stage(ctx, Stage.export, export_id, version)


WorkerSettings = stage_worker_settings(Stage.export, export_job)
