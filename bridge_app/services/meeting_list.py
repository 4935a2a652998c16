"""The meetings list, shared by the API and the UI: one organization's meetings newest first,
filtered and searched, as plain rows with the title decrypted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col

from bridge_app.core.stages import MeetingStatus
from bridge_app.models import DataKey, Matter, Meeting
from bridge_app.services import crypto, meeting_data
from bridge_app.services.queries import like_pattern

StatusGroup = Literal["all", "processing", "ready", "failed"]
STATUS_GROUPS: tuple[StatusGroup, ...] = ("all", "processing", "ready", "failed")


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as lists show it: its own columns, its matter's name, the title decrypted."""

    id: uuid.UUID
    title: str
    matter: str | None
    meeting_date: date | None
    matter_id: uuid.UUID | None
    source_filename: str
    source_format: str | None
    source_size: int
    intended_contract_type: str | None
    redact: bool
    status: str
    failed_stage: str | None
    failure_reason: str | None
    input_version: int
    transcription_progress: float | None
    created_at: datetime
    updated_at: datetime


_ROW_COLUMNS = tuple(
    name for name in MeetingRow.__dataclass_fields__ if name not in ("title", "matter")
)


def meeting_rows(
    session: Session,
    organization_id: uuid.UUID,
    *,
    search: str = "",
    status: str | None = None,
    status_group: StatusGroup = "all",
    matter: str | None = None,
    contract_type: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    before: tuple[datetime, uuid.UUID] | None = None,
    limit: int = 200,
) -> list[MeetingRow]:
    """Meetings newest first; `before` is a (created_at, id) cursor.

    `search` matches title, file name or matter; `status_group` is the UI's coarse filter.
    Plain columns, not ORM rows, with each meeting's wrapped data key alongside: building 50
    Meeting and DataKey objects (and a key query per title) was most of a list request.
    """
    query = (
        sa.select(
            *(getattr(Meeting, name) for name in _ROW_COLUMNS),
            col(Meeting.title),
            col(Meeting.title_ciphertext),
            col(Matter.name),
            col(DataKey.wrapped_key),
            col(DataKey.kek_id),
        )
        .join(Matter, col(Matter.id) == col(Meeting.matter_id), isouter=True)
        .join(DataKey, col(DataKey.id) == col(Meeting.data_key_id), isouter=True)
        .where(col(Meeting.organization_id) == organization_id)
    )
    column = col(Meeting.status)
    if status:
        query = query.where(column == status)
    if status_group == "processing":
        query = query.where(column.not_in((MeetingStatus.ready, MeetingStatus.failed)))
    elif status_group in ("ready", "failed"):
        query = query.where(column == status_group)
    if matter:
        query = query.where(col(Matter.name) == matter)
    if contract_type:
        query = query.where(col(Meeting.intended_contract_type) == contract_type)
    if search.strip():
        pattern = like_pattern(search.strip())
        query = query.where(
            sa.or_(
                col(Meeting.title).ilike(pattern),  # rows from before titles were encrypted
                meeting_data.title_search(session, organization_id, search.strip()),
                col(Meeting.source_filename).ilike(pattern),
                col(Matter.name).ilike(pattern),
            )
        )
    if date_from:
        query = query.where(col(Meeting.meeting_date) >= date_from)
    if date_to:
        query = query.where(col(Meeting.meeting_date) <= date_to)
    if before:
        query = query.where(
            sa.tuple_(col(Meeting.created_at), col(Meeting.id)) < sa.tuple_(*before)
        )
    query = query.order_by(col(Meeting.created_at).desc(), col(Meeting.id).desc()).limit(limit)
    rows: list[MeetingRow] = []
    width = len(_ROW_COLUMNS)
    keyring = crypto.Keyring.from_settings()  # once per list, not per row
    for row in session.execute(query):
        plain_title, sealed, matter_name, wrapped, kek_id = row[width:]
        key = (
            crypto.unwrap_data_key(wrapped, kek_id, organization_id, keyring)
            if sealed is not None and wrapped is not None
            else None
        )
        fields = dict(zip(_ROW_COLUMNS, row[:width], strict=True))
        title = meeting_data.open_title(plain_title, sealed, key)
        rows.append(MeetingRow(title=title, matter=matter_name, **fields))
    return rows
