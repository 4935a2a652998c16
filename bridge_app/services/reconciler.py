"""Finds work that has no job in Redis (a lost enqueue, a flushed Redis) and re-enqueues it.

PostgreSQL is the source of truth: every unfinished meeting, draft request, unchecked
version and pending export maps to exactly one deterministic job id.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from arq import ArqRedis
from arq.jobs import JobStatus
from sqlmodel import col, select

from bridge_app.core.stages import WAITING_FOR, MeetingStatus, Stage
from bridge_app.models import Draft, DraftVersion, Export, Meeting
from bridge_app.services import leases
from bridge_app.services.db import session_scope
from bridge_app.services.queue import NextJob, enqueue_stage, job_statuses


def find_unfinished(stuck_after_s: float, now: datetime | None = None) -> list[NextJob]:
    """Every piece of work untouched for `stuck_after_s` seconds, as the job that does it."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=stuck_after_s)
    jobs: list[NextJob] = []
    with session_scope() as session:
        # Columns, not rows: during a burst hundreds of meetings wait longer than the cutoff.
        for meeting_id, status, input_version in session.exec(
            select(Meeting.id, Meeting.status, Meeting.input_version).where(
                col(Meeting.status).in_(WAITING_FOR), col(Meeting.updated_at) < cutoff
            )
        ):
            jobs.append(NextJob(WAITING_FOR[MeetingStatus(status)], meeting_id, input_version))
        for draft_id, requested_version in session.exec(
            select(Draft.id, Draft.requested_version)
            .join(Meeting, col(Meeting.id) == col(Draft.meeting_id))
            .where(
                col(Draft.current_version) < col(Draft.requested_version),
                col(Draft.requested_at) < cutoff,
                col(Meeting.status) != MeetingStatus.failed,
            )
        ):
            jobs.append(NextJob(Stage.draft, draft_id, requested_version))
        for version_id in session.exec(
            select(DraftVersion.id)
            .join(Draft, col(Draft.id) == col(DraftVersion.draft_id))
            .join(Meeting, col(Meeting.id) == col(Draft.meeting_id))
            .where(
                col(DraftVersion.qa_done).is_(False),
                col(DraftVersion.created_at) < cutoff,
                col(Meeting.status) != MeetingStatus.failed,
            )
        ):
            jobs.append(NextJob(Stage.qa, version_id, 1))
        for export_id in session.exec(
            select(Export.id).where(Export.status == "pending", col(Export.created_at) < cutoff)
        ):
            jobs.append(NextJob(Stage.export, export_id, 1))
    return jobs


async def reconcile(
    pool: ArqRedis, stuck_after_s: float, in_progress_ttl_ms: int | None = None
) -> list[NextJob]:
    """Re-enqueue unfinished work whose job Redis no longer knows; returns what was sent.

    With `in_progress_ttl_ms` (arq's job_timeout + 10 s) it first frees the jobs of dead
    workers: in progress, but their lease (services/leases.py) has lapsed."""
    if in_progress_ttl_ms and (freed := await leases.release_orphans(pool, in_progress_ttl_ms)):
        logging.getLogger("bridge.reconciler").warning(
            "freed %d job(s) whose worker stopped renewing its lease: %s", len(freed), freed
        )
    sent: list[NextJob] = []
    unfinished = await asyncio.to_thread(find_unfinished, stuck_after_s)
    for job, status in zip(unfinished, await job_statuses(pool, unfinished), strict=True):
        if status is JobStatus.not_found and await enqueue_stage(pool, job):
            sent.append(job)
    return sent
