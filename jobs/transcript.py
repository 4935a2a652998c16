"""Transcript stage (queue meeting.ingest): stored upload → normalized segments.

Run: `arq jobs.transcript.WorkerSettings`.
"""

from __future__ import annotations

from typing import Any

from jobs.common import run_stage, stage_worker_settings


async def ingest_meeting(ctx: dict[str, Any], meeting_id: str, version: int) -> str:
    """arq job: run the transcript stage for one input version."""
    return await run_stage(ctx, "transcript", meeting_id, version)


WorkerSettings = stage_worker_settings("transcript", ingest_meeting)
