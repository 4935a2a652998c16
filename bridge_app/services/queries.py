"""The read side shared by the API routes and the UI: lists, search, detail.

Framework-free and synchronous. Every function is scoped to one organization (another
organization's object is NotFound) and returns rows or plain views; the API turns them into
its response models and the UI (`bridge_app.state.data`) into its view dicts, so the two front
doors show the same data. Search text is matched literally (LIKE wildcards escaped).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on
from sqlmodel import Session, SQLModel, col, select

from bridge_app.core.drafting import Draft as DraftDoc
from bridge_app.core.stages import MeetingStatus
from bridge_app.models import (
    AuditEvent,
    Decision,
    Draft,
    DraftVersion,
    Export,
    Matter,
    Meeting,
    QAFinding,
    StageRun,
    TranscriptSegment,
)
from bridge_app.services import crypto, meeting_data
from bridge_app.services.db import get_owned, scoped
from bridge_app.services.errors import NotFound
from bridge_app.services.meeting_data import data_key, load_version_doc

RowT = TypeVar("RowT", bound=SQLModel)
_NOUNS = {Meeting: "meeting", Draft: "draft", Decision: "decision", Export: "export"}


def owned(session: Session, model: type[RowT], object_id: uuid.UUID | str, org: uuid.UUID) -> RowT:
    """The object if it belongs to the organization, else NotFound ("no such meeting")."""
    row = get_owned(session, model, object_id, org)
    if row is None:
        raise NotFound(f"no such {_NOUNS.get(model, model.__name__.lower())}")
    return row


def like_pattern(text: str) -> str:
    """`%text%` for ILIKE with the text's own `%`, `_` and `\\` matched literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ------------------------------------------------------------------------------ meetings


def exported_meeting_ids(session: Session, meeting_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these meetings have at least one finished export."""
    if not meeting_ids:
        return set()
    return set(
        session.exec(
            select(Draft.meeting_id)
            .join(DraftVersion, col(DraftVersion.draft_id) == col(Draft.id))
            .join(Export, col(Export.draft_version_id) == col(DraftVersion.id))
            .where(col(Draft.meeting_id).in_(meeting_ids), Export.status == "done")
        ).all()
    )


def latest_runs(session: Session, meeting: Meeting) -> dict[str, StageRun]:
    """The latest `stage_runs` row of each stage of the meeting."""
    # DISTINCT ON: one row per stage from the database, however many retries there were.
    runs = session.exec(
        select(StageRun)
        .where(StageRun.meeting_id == meeting.id)
        .order_by(col(StageRun.stage), col(StageRun.finished_at).desc().nulls_last())
        .ext(distinct_on(col(StageRun.stage)))
    ).all()
    return {run.stage: run for run in runs}


@dataclass(frozen=True)
class MeetingSummary:
    """What a meeting's detail shows beside the row itself."""

    segment_count: int  # of the current input version
    decision_count: int  # of the current input version
    draft_ids: list[uuid.UUID]  # oldest first
    matter: str | None


def meeting_summary(session: Session, meeting: Meeting) -> MeetingSummary:
    """Counts, draft ids and matter name in one round trip (they were four queries)."""
    segments = (
        sa.select(sa.func.count())
        .select_from(TranscriptSegment)
        .where(
            col(TranscriptSegment.meeting_id) == meeting.id,
            col(TranscriptSegment.input_version) == meeting.input_version,
        )
        .scalar_subquery()
    )
    decisions = (
        sa.select(sa.func.count())
        .select_from(Decision)
        .where(
            col(Decision.meeting_id) == meeting.id,
            col(Decision.input_version) == meeting.input_version,
        )
        .scalar_subquery()
    )
    drafts = sa.func.array(
        sa.select(col(Draft.id))
        .where(
            col(Draft.meeting_id) == meeting.id,
            col(Draft.organization_id) == meeting.organization_id,
        )
        .order_by(col(Draft.created_at))
        .scalar_subquery()
    )
    matter = (
        sa.select(col(Matter.name)).where(col(Matter.id) == meeting.matter_id).scalar_subquery()
    )
    row = session.execute(sa.select(segments, decisions, drafts, matter)).one()
    return MeetingSummary(int(row[0]), int(row[1]), list(row[2] or []), row[3])


def matter_name(session: Session, meeting: Meeting) -> str | None:
    matter = session.get(Matter, meeting.matter_id) if meeting.matter_id else None
    return matter.name if matter else None


@dataclass(frozen=True)
class SegmentView:
    """One transcript segment, decrypted."""

    position: int
    segment_key: str
    speaker: str
    start_s: float
    end_s: float
    text: str


def segments(
    session: Session, meeting: Meeting, *, after: int = -1, limit: int | None = None
) -> list[SegmentView]:
    """The current input version's segments with position greater than `after`, in order."""
    query = (
        select(TranscriptSegment)
        .where(
            TranscriptSegment.meeting_id == meeting.id,
            TranscriptSegment.input_version == meeting.input_version,
            TranscriptSegment.position > after,
        )
        .order_by(col(TranscriptSegment.position))
    )
    rows = session.exec(query.limit(limit) if limit is not None else query).all()
    if not rows:
        return []
    key = data_key(session, meeting)
    return [
        SegmentView(
            r.position,
            r.segment_key,
            meeting_data.speaker_of(r, key),
            r.start_s,
            r.end_s,
            crypto.decrypt_text(key, r.text_ciphertext),
        )
        for r in rows
    ]


# ------------------------------------------------------------------------------ decisions


@dataclass(frozen=True)
class DecisionView:
    """A decision row decrypted, with the person's review applied (and the originals kept)."""

    row: Decision
    statement: str
    original_statement: str
    evidence: list[dict[str, Any]]
    values: dict[str, Any]
    original_values: dict[str, Any]
    owner: str | None = None
    party: str | None = None


def decision_view(row: Decision, key: bytes) -> DecisionView:
    """One decision as a view (decrypted statement, evidence, values, owner and party; edits
    applied)."""
    content = meeting_data.decision_content(row, key)
    statement = content.get("statement", "")
    edited = (
        crypto.decrypt_text(key, row.edited_statement_ciphertext)
        if row.edited_statement_ciphertext
        else None
    )
    return DecisionView(
        row=row,
        statement=edited or statement,
        original_statement=statement,
        evidence=list(content.get("evidence", [])),
        values=dict(
            content["edited_values"] if content["edited_values"] is not None else content["values"]
        ),
        original_values=dict(content["values"]),
        owner=content["owner"],
        party=content["party"],
    )


def decisions(
    session: Session,
    meeting: Meeting,
    *,
    kind: str | None = None,
    review_status: str | None = None,
) -> list[DecisionView]:
    """The meeting's items of its current input version, most confident first."""
    query = scoped(Decision, meeting.organization_id).where(
        Decision.meeting_id == meeting.id, Decision.input_version == meeting.input_version
    )
    if kind:
        query = query.where(Decision.kind == kind)
    if review_status:
        query = query.where(Decision.review_status == review_status)
    rows = session.exec(
        query.order_by(col(Decision.confidence).desc(), col(Decision.item_key))
    ).all()
    if not rows:
        return []
    key = data_key(session, meeting)
    return [decision_view(r, key) for r in rows]


def decision(session: Session, organization_id: uuid.UUID, decision_id: uuid.UUID) -> DecisionView:
    """One decision of the organization as a view."""
    row = owned(session, Decision, decision_id, organization_id)
    meeting = owned(session, Meeting, row.meeting_id, organization_id)
    return decision_view(row, data_key(session, meeting))


# ------------------------------------------------------------------------------ drafts


def meeting_drafts(session: Session, meeting: Meeting) -> list[Draft]:
    """The meeting's drafts, oldest first."""
    return list(
        session.exec(
            scoped(Draft, meeting.organization_id)
            .where(Draft.meeting_id == meeting.id)
            .order_by(col(Draft.created_at))
        ).all()
    )


def versions(session: Session, draft: Draft) -> list[DraftVersion]:
    """Every version of a draft, oldest first."""
    return list(
        session.exec(
            select(DraftVersion)
            .where(DraftVersion.draft_id == draft.id)
            .order_by(col(DraftVersion.version))
        ).all()
    )


def version(session: Session, draft: Draft, number: int) -> DraftVersion:
    """One version of a draft, else NotFound."""
    row = session.exec(
        select(DraftVersion).where(
            DraftVersion.draft_id == draft.id, DraftVersion.version == number
        )
    ).first()
    if row is None:
        raise NotFound(f"the draft has no version {number}")
    return row


def version_doc(session: Session, draft: Draft, row: DraftVersion) -> DraftDoc:
    """A version's document, decrypted with its meeting's data key."""
    meeting = owned(session, Meeting, draft.meeting_id, draft.organization_id)
    return load_version_doc(row, data_key(session, meeting))


@dataclass(frozen=True)
class FindingView:
    """A QA finding with its message and evidence decrypted."""

    id: uuid.UUID
    code: str
    severity: str
    clause: str | None
    message: str
    evidence: dict[str, Any]


def findings(session: Session, row: DraftVersion) -> list[FindingView]:
    """A version's QA findings (by severity name, then code), decrypted."""
    rows = session.exec(
        select(QAFinding)
        .where(QAFinding.draft_version_id == row.id)
        .order_by(col(QAFinding.severity), col(QAFinding.code))
    ).all()
    if not rows:
        return []
    draft = session.get(Draft, row.draft_id)
    meeting = owned(session, Meeting, draft.meeting_id, row.organization_id) if draft else None
    key = data_key(session, meeting) if meeting else b""
    out = []
    for f in rows:
        message, evidence = meeting_data.finding_of(f, key)
        out.append(FindingView(f.id, f.code, f.severity, f.clause, message, evidence))
    return out


def version_exports(session: Session, row: DraftVersion) -> list[Export]:
    """A version's exports, newest first."""
    return list(
        session.exec(
            select(Export)
            .where(Export.draft_version_id == row.id)
            .order_by(col(Export.created_at).desc())
        ).all()
    )


def draft_exports(session: Session, draft: Draft) -> list[Export]:
    """Every export of a draft's versions, newest first."""
    return list(
        session.exec(
            select(Export)
            .join(DraftVersion, col(DraftVersion.id) == col(Export.draft_version_id))
            .where(
                DraftVersion.draft_id == draft.id, Export.organization_id == draft.organization_id
            )
            .order_by(col(Export.created_at).desc())
        ).all()
    )


def failed_meetings(session: Session, organization_id: uuid.UUID, limit: int = 20) -> list[Meeting]:
    """Failed meetings, most recently failed first."""
    return list(
        session.exec(
            scoped(Meeting, organization_id)
            .where(Meeting.status == MeetingStatus.failed)
            .order_by(col(Meeting.updated_at).desc())
            .limit(limit)
        ).all()
    )


def failed_runs(
    session: Session, organization_id: uuid.UUID, *, since: datetime, limit: int = 20
) -> list[StageRun]:
    """Failed stage runs that finished after `since`, newest first."""
    return list(
        session.exec(
            scoped(StageRun, organization_id)
            .where(StageRun.outcome == "failed", col(StageRun.finished_at) >= since)
            .order_by(col(StageRun.finished_at).desc())
            .limit(limit)
        ).all()
    )


# ------------------------------------------------------------------------------ audit


def audit_events(
    session: Session,
    organization_id: uuid.UUID,
    *,
    action: str = "",
    actor: str = "",
    object_id: str = "",
    object_name: str = "",
    object_text: str = "",
    contains: bool = False,
    before: int | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    """The organization's audit events, newest first; filters match exactly, or as literal
    substrings with `contains`. `object_name` is a substring of the object's name
    (`detail.object_name`); `object_text` matches the object's id or its name."""
    query = scoped(AuditEvent, organization_id)
    for column, value in (
        (col(AuditEvent.action), action),
        (col(AuditEvent.actor_email), actor),
        (col(AuditEvent.object_id), object_id),
    ):
        value = value.strip()
        if value:
            query = query.where(column.ilike(like_pattern(value)) if contains else column == value)
    name = AuditEvent.detail["object_name"].astext
    if object_name.strip():
        query = query.where(name.ilike(like_pattern(object_name.strip())))
    if object_text.strip():
        pattern = like_pattern(object_text.strip())
        query = query.where(sa.or_(col(AuditEvent.object_id).ilike(pattern), name.ilike(pattern)))
    if before:
        query = query.where(col(AuditEvent.id) < before)
    return list(session.exec(query.order_by(col(AuditEvent.id).desc()).limit(limit)).all())


def link_holder(session: Session, export: Export) -> str:
    """Who was last given the download link of this export (for the served file's entry)."""
    row = session.exec(
        scoped(AuditEvent, export.organization_id)
        .where(AuditEvent.action == "export.download", AuditEvent.object_id == str(export.id))
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return (row.actor_email or "") if row is not None else ""
