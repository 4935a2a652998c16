"""Upload: refuse a bad file before anything is stored, then store it encrypted with its
meeting row. The caller commits and enqueues the transcript stage."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from bridge_app.core.transcript import check_upload
from bridge_app.core.transcript.model import TranscriptError
from bridge_app.core.vocabulary import CONTRACT_TYPES
from bridge_app.models import Matter, Meeting
from bridge_app.services import crypto
from bridge_app.services.errors import UploadRejected
from bridge_app.services.meeting_data import set_title
from bridge_app.services.storage import ObjectStore, get_store
from bridge_app.services.transcription import stage as transcription
from bridge_app.settings import get_settings


def source_object_key(meeting: Meeting) -> str:
    """Where the meeting's encrypted upload is stored (one object per input version)."""
    return f"{meeting.organization_id}/meetings/{meeting.id}/source/v{meeting.input_version}"


# A meeting date outside these bounds is a typing slip ("22026"), refused, never dropped.
EARLIEST_MEETING_YEAR = 1990
MAX_DAYS_AHEAD = 366


def check_meeting_date(meeting_date: date | None, *, today: date | None = None) -> None:
    """Refuse an impossible meeting date with a message that says why."""
    if meeting_date is None:
        return
    today = today or datetime.now(UTC).date()
    if meeting_date.year < EARLIEST_MEETING_YEAR or (meeting_date - today).days > MAX_DAYS_AHEAD:
        raise UploadRejected(
            "bad_date",
            f"the meeting date {meeting_date.isoformat()} is not plausible: use the day the "
            f"meeting was held (between {EARLIEST_MEETING_YEAR} and a year from today)",
        )


def content_hash(data: bytes) -> str:
    """SHA-256 of an upload, to point out identical earlier uploads."""
    return hashlib.sha256(data).hexdigest()


def earlier_identical(session: Session, meeting: Meeting) -> Meeting | None:
    """The newest earlier meeting of the organization uploaded with the same bytes."""
    if not meeting.content_sha256:
        return None
    return session.exec(
        select(Meeting)
        .where(
            Meeting.organization_id == meeting.organization_id,
            Meeting.content_sha256 == meeting.content_sha256,
            Meeting.id != meeting.id,
        )
        .order_by(Meeting.created_at.desc())  # type: ignore[attr-defined]
    ).first()


def validate_upload(data: bytes, *, filename: str, redact: bool, fmt: str = "auto") -> str:
    """Refuse a file of the wrong size or type before anything is stored; returns its format.

    Only the cheap checks run in the request: the parse (whose cost grows with the content:
    a small DOCX can expand to a huge document) runs in the transcript worker, which marks
    the meeting failed with the parser's message when the content is bad.
    """
    limit = get_settings().MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UploadRejected(
            "too_large", f"the file is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB"
        )
    try:
        return check_upload(data, format=fmt, max_bytes=limit)
    except TranscriptError as exc:
        raise UploadRejected(exc.code, exc.message, line=exc.line) from exc


def submit_meeting(
    session: Session,
    *,
    organization_id: uuid.UUID,
    user_id: uuid.UUID | None,
    filename: str,
    data: bytes,
    title: str,
    meeting_date: date | None = None,
    matter_name: str | None = None,
    intended_contract_type: str | None = None,
    redact: bool = False,
    idempotency_key: str | None = None,
    validate: bool = True,
    store: ObjectStore | None = None,
    speakers: tuple[str, bytes] | None = None,
) -> tuple[Meeting, bool]:
    """Store an upload (encrypted) and its meeting row; returns (meeting, created).

    The caller commits and then enqueues `NextJob("transcript", meeting.id, 1)`.
    With the same `idempotency_key`, the first meeting is returned and nothing is stored.
    """
    if idempotency_key:
        existing = session.exec(
            select(Meeting).where(
                Meeting.organization_id == organization_id,
                Meeting.idempotency_key == idempotency_key,
            )
        ).first()
        if existing is not None:
            return existing, False
    if intended_contract_type and intended_contract_type not in (*CONTRACT_TYPES, "auto"):
        raise UploadRejected(
            "bad_contract_type",
            f"unknown contract type '{intended_contract_type}'; "
            f"use one of {', '.join(CONTRACT_TYPES)}",
        )
    check_meeting_date(meeting_date)
    title = title.strip() or filename
    if len(title) > 300:
        raise UploadRejected("bad_title", "the title is longer than 300 characters")
    fmt: str | None = None
    recording = transcription.check_upload_or_reject(data, filename, speakers=speakers)
    if validate and recording is None:
        fmt = validate_upload(data, filename=filename, redact=redact)
    matter_id = None
    if matter_name and matter_name.strip():
        matter = session.exec(
            select(Matter).where(
                Matter.organization_id == organization_id, Matter.name == matter_name.strip()
            )
        ).first()
        if matter is None:
            matter = Matter(organization_id=organization_id, name=matter_name.strip()[:200])
            session.add(matter)
            session.flush()
        matter_id = matter.id
    key_row = crypto.create_data_key(session, organization_id)
    meeting = Meeting(
        organization_id=organization_id,
        matter_id=matter_id,
        meeting_date=meeting_date,
        source_filename=filename[:300],
        source_format=fmt,
        source_size=len(data),
        content_sha256=content_hash(data),
        intended_contract_type=None
        if intended_contract_type in (None, "", "auto")
        else intended_contract_type,
        redact=redact,
        data_key_id=key_row.id,
        idempotency_key=idempotency_key,
        created_by=user_id,
    )
    set_title(session, meeting, crypto.data_key(key_row), title)
    session.add(meeting)
    session.flush()
    meeting.source_object_key = source_object_key(meeting)
    if recording is not None:
        transcription.store_upload(
            store or get_store(), meeting, crypto.data_key(key_row), recording
        )
    else:
        (store or get_store()).put(
            meeting.source_object_key,
            crypto.encrypt(crypto.data_key(key_row), data),
            content_type="application/octet-stream",
        )
    session.add(meeting)
    session.flush()
    return meeting, True
