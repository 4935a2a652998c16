"""Transcript corrections: a segment's text or speaker, a speaker named, two speakers merged.
Each answers 202 with the new transcript version, which the pipeline re-extracts, drafts and
checks (services/corrections.py)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from bridge_app.api.deps import PoolDep, Reviewer, accept_job, client_ip
from bridge_app.models.api import JobAccepted, SegmentCorrection, SpeakerMerge, SpeakerRename
from bridge_app.services import corrections

router = APIRouter(prefix="/v1", tags=["meetings"])


@router.patch(
    "/meetings/{meeting_id}/segments/{position}", status_code=202, response_model=JobAccepted
)
async def correct_segment(
    *,
    meeting_id: uuid.UUID,
    position: int,
    body: SegmentCorrection,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
) -> JobAccepted:
    """Correct one segment's text and/or speaker; 409 when `version` is no longer current."""
    ip = client_ip(request)
    return await accept_job(
        pool,
        lambda session: corrections.correct_segment(
            session,
            principal=principal,
            meeting_id=meeting_id,
            version=body.version,
            position=position,
            text=body.text,
            speaker=body.speaker,
            reason=body.reason,
            ip=ip,
        ),
    )


@router.post("/meetings/{meeting_id}/speakers/rename", status_code=202, response_model=JobAccepted)
async def rename_speaker(
    *,
    meeting_id: uuid.UUID,
    body: SpeakerRename,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
) -> JobAccepted:
    """Name a speaker ("Speaker 1" → a person) in all of its segments."""
    ip = client_ip(request)
    return await accept_job(
        pool,
        lambda session: corrections.rename_speaker(
            session,
            principal=principal,
            meeting_id=meeting_id,
            version=body.version,
            speaker=body.speaker,
            name=body.name,
            reason=body.reason,
            ip=ip,
        ),
    )


@router.post("/meetings/{meeting_id}/speakers/merge", status_code=202, response_model=JobAccepted)
async def merge_speakers(
    *,
    meeting_id: uuid.UUID,
    body: SpeakerMerge,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
) -> JobAccepted:
    """Merge two speakers that are one person: `speaker`'s segments go to `into`."""
    ip = client_ip(request)
    return await accept_job(
        pool,
        lambda session: corrections.merge_speakers(
            session,
            principal=principal,
            meeting_id=meeting_id,
            version=body.version,
            speaker=body.speaker,
            into=body.into,
            reason=body.reason,
            ip=ip,
        ),
    )
