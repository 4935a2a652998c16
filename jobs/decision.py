"""Decision stage (queue decisions.extract): segments → decisions, action items, terms.

Run: `arq jobs.decision.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from bridge_app.core.stages import Stage
from jobs.common import run_stage, stage_worker_settings


async def decision_job(ctx: dict[str, Any], meeting_id: str, version: int) -> str:
    """arq job: run the decision stage for one input version."""
    return await run_stage(ctx, Stage.decision, meeting_id, version)


WorkerSettings = stage_worker_settings(Stage.decision, decision_job)
