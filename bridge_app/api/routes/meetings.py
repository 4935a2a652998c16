"""Meetings: upload, list (filters, search, cursor), detail with stage progress, retry,
transcript segments, decisions and drafts of a meeting."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import (
    Operator,
    PoolDep,
    Reader,
    Reviewer,
    SessionDep,
    Uploader,
    accept_job,
    cached_read,
    client_ip,
    enqueue,
)
from bridge_app.api.shapes import decision_public
from bridge_app.core.stages import STAGE_NAMES
from bridge_app.models import (
    Meeting,
)
from bridge_app.models.api import (
    DecisionPublic,
    DraftCreate,
    DraftPublic,
    JobAccepted,
    MeetingDetail,
    MeetingPage,
    MeetingPublic,
    SegmentPage,
    SegmentPublic,
    StageProgress,
)
from bridge_app.services import actions, draft_actions, meeting_data, meeting_list, queries
from bridge_app.services.errors import Invalid, UploadRejected
from bridge_app.services.transcription.stage import upload_limit
from bridge_app.settings import get_settings

router = APIRouter(prefix="/v1", tags=["meetings"])

CHUNK = 1024 * 1024


def _public(meeting: Meeting, matter: str | None = None) -> MeetingPublic:
    public = MeetingPublic.model_validate(meeting)
    return public.model_copy(update={"matter": matter, "title": meeting_data.title_of(meeting)})


def _encode_cursor(meeting: meeting_list.MeetingRow) -> str:
    raw = json.dumps([meeting.created_at.isoformat(), str(meeting.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, ident = json.loads(raw)
        return datetime.fromisoformat(created), uuid.UUID(ident)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise Invalid("the cursor is not valid; start again without it") from exc


@router.post("/meetings", status_code=201, response_model=MeetingPublic)
async def upload_meeting(
    *,
    request: Request,
    response: Response,
    file: Annotated[
        UploadFile,
        File(
            description="the transcript (VTT, SRT, TXT, DOCX, JSON), a recording (WAV, MP3, "
            "M4A, MP4, WebM, OGG...) or a ZIP of per-participant tracks named after them"
        ),
    ],
    speakers: Annotated[
        UploadFile | None,
        File(description="optional: a platform transcript (VTT) naming a recording's speakers"),
    ] = None,
    title: Annotated[str, Form(max_length=300)] = "",
    meeting_date: Annotated[date | None, Form()] = None,
    matter: Annotated[str | None, Form(max_length=200)] = None,
    contract_type: Annotated[str | None, Form(max_length=32)] = None,
    redact: Annotated[bool, Form()] = False,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
    principal: Uploader,
    pool: PoolDep,
) -> MeetingPublic:
    """Upload a transcript; 201 when new, 200 for a repeated Idempotency-Key."""
    limit = get_settings().MAX_UPLOAD_BYTES
    chunks: list[bytes] = []
    size = 0
    while chunk := await file.read(CHUNK):
        if not chunks:
            limit = upload_limit(chunk, file.filename)  # recordings have their own limit
        size += len(chunk)
        if size > limit:
            raise UploadRejected(
                "too_large", f"the file is larger than the limit of {limit / 1e6:.0f} MB"
            )
        chunks.append(chunk)
    filename = (file.filename or "transcript.txt")[:300]
    ip = client_ip(request)
    turns = None
    if speakers is not None and speakers.filename:
        turns = ((speakers.filename or "speakers.vtt")[:300], await speakers.read(limit + 1))
    upload = await run_in_threadpool(
        lambda: actions.upload_meeting(
            principal=principal,
            filename=filename,
            data=b"".join(chunks),
            title=title,
            meeting_date=meeting_date,
            matter=matter,
            contract_type=contract_type,
            redact=redact,
            idempotency_key=idempotency_key,
            ip=ip,
            speakers=turns,
        )
    )
    if upload.created:
        await enqueue(pool, upload.job)
    else:
        response.status_code = 200
    public = _public(upload.meeting, upload.matter)
    public.duplicate_of = upload.duplicate_of
    return public


@router.get("/meetings", response_model=MeetingPage)
async def list_meetings(
    *,
    request: Request,
    status: Annotated[str | None, Query(max_length=16)] = None,
    matter: Annotated[str | None, Query(max_length=200)] = None,
    contract_type: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=200, description="search title/file/matter")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    principal: Reader,
) -> Response:
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""
    before = _decode_cursor(cursor) if cursor else None

    def page(session: Session) -> MeetingPage:
        rows = meeting_list.meeting_rows(
            session,
            principal.organization_id,
            search=q or "",
            status=status,
            matter=matter,
            contract_type=contract_type,
            date_from=date_from,
            date_to=date_to,
            before=before,
            limit=limit + 1,
        )
        items = [MeetingPublic.model_validate(row) for row in rows[:limit]]
        next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
        return MeetingPage(items=items, next_cursor=next_cursor)

    return await cached_read(request, principal, page)


@router.get("/meetings/{meeting_id}", response_model=MeetingDetail)
async def get_meeting(*, request: Request, meeting_id: uuid.UUID, principal: Reader) -> Response:
    """A meeting with the latest run of each stage, its drafts and counts."""

    def detail(session: Session) -> MeetingDetail:
        return meeting_detail(session, meeting_id, principal.organization_id)

    return await cached_read(request, principal, detail, meeting=meeting_id)


def meeting_detail(session: Session, meeting_id: uuid.UUID, org: uuid.UUID) -> MeetingDetail:
    """The detail of one of the organization's meetings (NotFound otherwise)."""
    meeting = queries.owned(session, Meeting, meeting_id, org)
    latest = queries.latest_runs(session, meeting)
    stages = [
        StageProgress(
            stage=stage,
            outcome=latest[stage].outcome if stage in latest else None,
            attempt=latest[stage].attempt if stage in latest else None,
            started_at=latest[stage].started_at if stage in latest else None,
            finished_at=latest[stage].finished_at if stage in latest else None,
            error=latest[stage].error if stage in latest else None,
        )
        for stage in STAGE_NAMES
    ]
    summary = queries.meeting_summary(session, meeting)
    return MeetingDetail(
        **_public(meeting, summary.matter).model_dump(),
        participants=meeting_data.participants_of(meeting),
        warnings=list(meeting.warnings),
        redaction_report=list(meeting.redaction_report),
        stages=stages,
        draft_ids=summary.draft_ids,
        segment_count=summary.segment_count,
        decision_count=summary.decision_count,
    )


@router.post("/meetings/{meeting_id}/retry", status_code=202, response_model=JobAccepted)
async def retry_meeting(
    *,
    meeting_id: uuid.UUID,
    request: Request,
    principal: Operator,
    pool: PoolDep,
) -> JobAccepted:
    """Re-run a failed meeting from the stage that failed."""
    ip = client_ip(request)
    return await accept_job(
        pool,
        lambda session: actions.retry(session, principal=principal, meeting_id=meeting_id, ip=ip),
    )


@router.get("/meetings/{meeting_id}/segments", response_model=SegmentPage)
def list_segments(
    *,
    meeting_id: uuid.UUID,
    after: Annotated[int, Query(ge=-1)] = -1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    principal: Reader,
    session: SessionDep,
) -> SegmentPage:
    """Transcript segments (decrypted) with position greater than `after`."""
    meeting = queries.owned(session, Meeting, meeting_id, principal.organization_id)
    rows = queries.segments(session, meeting, after=after, limit=limit + 1)
    items = [SegmentPublic.model_validate(r, from_attributes=True) for r in rows[:limit]]
    return SegmentPage(items=items, next_after=items[-1].position if len(rows) > limit else None)


@router.get("/meetings/{meeting_id}/decisions", response_model=list[DecisionPublic])
def list_decisions(
    *,
    meeting_id: uuid.UUID,
    kind: Annotated[str | None, Query(max_length=16)] = None,
    review_status: Annotated[str | None, Query(max_length=16)] = None,
    principal: Reader,
    session: SessionDep,
) -> list[DecisionPublic]:
    """The meeting's extracted items (current input version), most confident first."""
    meeting = queries.owned(session, Meeting, meeting_id, principal.organization_id)
    views = queries.decisions(session, meeting, kind=kind, review_status=review_status)
    return [decision_public(v) for v in views]


@router.get("/meetings/{meeting_id}/drafts", response_model=list[DraftPublic])
def list_drafts(
    *,
    meeting_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> list[DraftPublic]:
    """The meeting's drafts, oldest first."""
    meeting = queries.owned(session, Meeting, meeting_id, principal.organization_id)
    return [DraftPublic.model_validate(r) for r in queries.meeting_drafts(session, meeting)]


@router.post("/meetings/{meeting_id}/drafts", status_code=202, response_model=JobAccepted)
async def create_draft(
    *,
    meeting_id: uuid.UUID,
    body: DraftCreate,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
) -> JobAccepted:
    """Generate a new draft of the chosen contract type from the meeting's decisions."""
    ip = client_ip(request)
    return await accept_job(
        pool,
        lambda session: draft_actions.create_draft(
            session,
            principal=principal,
            meeting_id=meeting_id,
            contract_type=body.contract_type,
            ip=ip,
        ),
    )
