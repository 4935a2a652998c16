"""Transcript stage (queue meeting.ingest): stored upload → normalized segments.

Run: `arq jobs.transcript.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from bridge_app.core.stages import Stage
from jobs.common import run_stage, stage_worker_settings


async def transcript_job(ctx: dict[str, Any], meeting_id: str, version: int) -> str:
    """arq job: run the transcript stage for one input version."""
    return await run_stage(ctx, Stage.transcript, meeting_id, version)


WorkerSettings = stage_worker_settings(Stage.transcript, transcript_job)
