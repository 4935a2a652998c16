"""Meetings: upload, list (filters, search, cursor), detail with stage progress, retry,
transcript segments, decisions and drafts of a meeting."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import (
    Operator,
    PoolDep,
    Reader,
    Reviewer,
    SessionDep,
    Uploader,
    accept_job,
    client_ip,
    enqueue,
)
from bridge_app.core.stages import STAGE_NAMES, Stage
from bridge_app.models import (
    Decision,
    Draft,
    Matter,
    Meeting,
    StageRun,
    TranscriptSegment,
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
from bridge_app.services import audit, crypto, review
from bridge_app.services.db import get_owned, scoped, session_scope
from bridge_app.services.errors import Invalid, NotFound, UploadRejected
from bridge_app.services.principal import Principal
from bridge_app.services.queue import NextJob
from bridge_app.services.upload import earlier_identical, submit_meeting
from bridge_app.settings import get_settings

router = APIRouter(prefix="/v1", tags=["meetings"])

CHUNK = 1024 * 1024


def _public(meeting: Meeting, matter: str | None = None) -> MeetingPublic:
    data = MeetingPublic.model_validate(meeting).model_dump()
    data["matter"] = matter
    return MeetingPublic(**data)


def _encode_cursor(meeting: Meeting) -> str:
    raw = json.dumps([meeting.created_at.isoformat(), str(meeting.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, ident = json.loads(raw)
        return datetime.fromisoformat(created), uuid.UUID(ident)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise Invalid("the cursor is not valid; start again without it") from exc


def load_meeting(session: Session, principal: Principal, meeting_id: uuid.UUID) -> Meeting:
    """The meeting if it belongs to the caller's organization, else 404."""
    meeting = get_owned(session, Meeting, meeting_id, principal.organization_id)
    if meeting is None:
        raise NotFound("no such meeting")
    return meeting


@router.post("/meetings", status_code=201, response_model=MeetingPublic)
async def upload_meeting(
    *,
    request: Request,
    response: Response,
    file: Annotated[UploadFile, File(description="the transcript (VTT, SRT, TXT, DOCX, JSON)")],
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
        size += len(chunk)
        if size > limit:
            raise UploadRejected(
                "too_large", f"the file is larger than the limit of {limit / 1e6:.0f} MB"
            )
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise UploadRejected("empty", "the file is empty")
    filename = (file.filename or "transcript.txt")[:300]
    ip = client_ip(request)

    def work() -> tuple[MeetingPublic, bool]:
        for _attempt in range(2):
            try:
                with session_scope() as session:
                    meeting, created = submit_meeting(
                        session,
                        organization_id=principal.organization_id,
                        user_id=principal.user_id,
                        filename=filename,
                        data=data,
                        title=title,
                        meeting_date=meeting_date,
                        matter_name=matter,
                        intended_contract_type=contract_type or None,
                        redact=redact,
                        idempotency_key=idempotency_key or None,
                    )
                    if created:
                        audit.append_for(
                            session,
                            principal,
                            action="meeting.upload",
                            ip=ip,
                            object_type="meeting",
                            object_id=meeting.id,
                            detail={
                                "filename": filename,
                                "size": len(data),
                                "format": meeting.source_format,
                                "redact": redact,
                            },
                        )
                    public = _public(meeting, matter if meeting.matter_id else None)
                    earlier = earlier_identical(session, meeting) if created else None
                    public.duplicate_of = earlier.id if earlier else None
                    return public, created
            except IntegrityError:
                if not idempotency_key:
                    raise
                continue  # a concurrent upload with the same key won: return that one
        raise Invalid("the upload conflicted with a concurrent one; try again")

    public, created = await run_in_threadpool(work)
    if created:
        await enqueue(pool, NextJob(Stage.transcript, public.id, public.input_version))
    else:
        response.status_code = 200
    return public


@router.get("/meetings", response_model=MeetingPage)
def list_meetings(
    *,
    status: Annotated[str | None, Query(max_length=16)] = None,
    matter: Annotated[str | None, Query(max_length=200)] = None,
    contract_type: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=200, description="search title/file/matter")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    principal: Reader,
    session: SessionDep,
) -> MeetingPage:
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""
    query = (
        select(Meeting, Matter.name)
        .join(Matter, col(Matter.id) == col(Meeting.matter_id), isouter=True)
        .where(Meeting.organization_id == principal.organization_id)
    )
    if status:
        query = query.where(Meeting.status == status)
    if matter:
        query = query.where(col(Matter.name) == matter)
    if contract_type:
        query = query.where(Meeting.intended_contract_type == contract_type)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(
                col(Meeting.title).ilike(pattern),
                col(Meeting.source_filename).ilike(pattern),
                col(Matter.name).ilike(pattern),
            )
        )
    if date_from:
        query = query.where(col(Meeting.meeting_date) >= date_from)
    if date_to:
        query = query.where(col(Meeting.meeting_date) <= date_to)
    if cursor:
        created, ident = _decode_cursor(cursor)
        query = query.where(
            sa.tuple_(col(Meeting.created_at), col(Meeting.id)) < sa.tuple_(created, ident)
        )
    rows = session.exec(
        query.order_by(col(Meeting.created_at).desc(), col(Meeting.id).desc()).limit(limit + 1)
    ).all()
    items = [_public(m, name) for m, name in rows[:limit]]
    next_cursor = _encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None
    return MeetingPage(items=items, next_cursor=next_cursor)


@router.get("/meetings/{meeting_id}", response_model=MeetingDetail)
def get_meeting(
    *,
    meeting_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> MeetingDetail:
    """A meeting with the latest run of each stage, its drafts and counts."""
    meeting = load_meeting(session, principal, meeting_id)
    matter = session.get(Matter, meeting.matter_id) if meeting.matter_id else None
    runs = session.exec(
        select(StageRun)
        .where(StageRun.meeting_id == meeting.id)
        .order_by(col(StageRun.finished_at).desc().nulls_last())
    ).all()
    latest: dict[str, StageRun] = {}
    for run in runs:
        latest.setdefault(run.stage, run)
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
    draft_ids = session.exec(
        select(Draft.id).where(Draft.meeting_id == meeting.id).order_by(col(Draft.created_at))
    ).all()
    segment_count = session.exec(
        select(sa.func.count())
        .select_from(TranscriptSegment)
        .where(TranscriptSegment.meeting_id == meeting.id)
    ).one()
    decision_count = session.exec(
        select(sa.func.count())
        .select_from(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.input_version == meeting.input_version)
    ).one()
    base = _public(meeting, matter.name if matter else None).model_dump()
    return MeetingDetail(
        **base,
        participants=list(meeting.participants),
        warnings=list(meeting.warnings),
        redaction_report=list(meeting.redaction_report),
        stages=stages,
        draft_ids=list(draft_ids),
        segment_count=int(segment_count),
        decision_count=int(decision_count),
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
        lambda session: review.retry(session, principal=principal, meeting_id=meeting_id, ip=ip),
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
    meeting = load_meeting(session, principal, meeting_id)
    rows = session.exec(
        select(TranscriptSegment)
        .where(TranscriptSegment.meeting_id == meeting.id, TranscriptSegment.position > after)
        .order_by(col(TranscriptSegment.position))
        .limit(limit + 1)
    ).all()
    key = (
        crypto.load_data_key(session, meeting.data_key_id) if rows and meeting.data_key_id else b""
    )
    items = [
        SegmentPublic(
            position=r.position,
            segment_key=r.segment_key,
            speaker=r.speaker,
            start_s=r.start_s,
            end_s=r.end_s,
            text=crypto.decrypt_text(key, r.text_ciphertext),
        )
        for r in rows[:limit]
    ]
    return SegmentPage(items=items, next_after=items[-1].position if len(rows) > limit else None)


def decision_public(row: Decision, key: bytes) -> DecisionPublic:
    """A decision row as the API shows it (decrypted, review applied)."""
    content: dict[str, Any] = json.loads(crypto.decrypt(key, row.content_ciphertext))
    statement = content.get("statement", "")
    edited = (
        crypto.decrypt_text(key, row.edited_statement_ciphertext)
        if row.edited_statement_ciphertext
        else None
    )
    return DecisionPublic(
        id=row.id,
        meeting_id=row.meeting_id,
        item_key=row.item_key,
        kind=row.kind,
        statement=edited or statement,
        original_statement=statement,
        evidence=list(content.get("evidence", [])),
        owner=row.owner,
        party=row.party,
        due=row.due,
        values=dict(row.edited_values if row.edited_values is not None else row.values),
        original_values=dict(row.values),
        confidence=row.confidence,
        supersedes=list(row.supersedes),
        superseded_by=row.superseded_by,
        conflicts_with=list(row.conflicts_with),
        review_status=row.review_status,
        review_reason=row.review_reason,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
    )


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
    meeting = load_meeting(session, principal, meeting_id)
    query = scoped(Decision, principal.organization_id).where(
        Decision.meeting_id == meeting.id, Decision.input_version == meeting.input_version
    )
    if kind:
        query = query.where(Decision.kind == kind)
    if review_status:
        query = query.where(Decision.review_status == review_status)
    rows = session.exec(
        query.order_by(col(Decision.confidence).desc(), col(Decision.item_key))
    ).all()
    if not rows or meeting.data_key_id is None:
        return []
    key = crypto.load_data_key(session, meeting.data_key_id)
    return [decision_public(r, key) for r in rows]


@router.get("/meetings/{meeting_id}/drafts", response_model=list[DraftPublic])
def list_drafts(
    *,
    meeting_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> list[DraftPublic]:
    """The meeting's drafts, oldest first."""
    meeting = load_meeting(session, principal, meeting_id)
    rows = session.exec(
        scoped(Draft, principal.organization_id)
        .where(Draft.meeting_id == meeting.id)
        .order_by(col(Draft.created_at))
    ).all()
    return [DraftPublic.model_validate(r) for r in rows]


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
        lambda session: review.create_draft(
            session,
            principal=principal,
            meeting_id=meeting_id,
            contract_type=body.contract_type,
            ip=ip,
        ),
    )
