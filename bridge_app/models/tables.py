"""SQLModel tables: the whole data model. Alembic migrations are the only way it changes.

Every customer row carries `organization_id`; queries go through `bridge_app.services.db`
helpers that filter by it. Text that came from a meeting (segments, draft bodies) is stored
only as AES-256-GCM ciphertext under the meeting's data key (see services/crypto.py).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from bridge_app.core.stages import MEETING_STATUSES, STAGE_NAMES
from bridge_app.core.vocabulary import (
    EXPORT_FORMATS,
    ITEM_KINDS,
    REVIEW_STATUSES,
    ROLES,
    SEVERITIES,
)
from bridge_app.models.columns import check_in, jsonb, now_field, org_fk, tstz, uuid_pk

DRAFT_STATUSES = ("draft", "approved")
EXPORT_STATUSES = ("pending", "done", "failed")
RUN_OUTCOMES = ("running", "succeeded", "failed", "retrying")


class Organization(SQLModel, table=True):
    """A customer: every other customer row belongs to exactly one."""

    __tablename__ = "organizations"
    id: uuid.UUID = uuid_pk()
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True)
    # The data key (a data_keys row; no FK: the two tables would reference each other) that
    # keys the organization's search hashes (meeting title words).
    search_key_id: uuid.UUID | None = None
    created_at: datetime = now_field()


class User(SQLModel, table=True):
    """A person who can sign in (local password or OIDC subject)."""

    __tablename__ = "users"
    __table_args__ = (sa.Index("ix_users_email_lower", sa.text("lower(email)"), unique=True),)
    id: uuid.UUID = uuid_pk()
    email: str = Field(max_length=320)
    full_name: str = Field(default="", max_length=200)
    password_hash: str | None = None
    oidc_issuer: str | None = None
    oidc_subject: str | None = None
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = tstz()
    created_at: datetime = now_field()


class Membership(SQLModel, table=True):
    """A user's role in one organization."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "user_id"),
        sa.CheckConstraint(check_in("role", ROLES), name="ck_memberships_role"),
    )
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=16)
    # Bumped by logout, token-family revocation and role changes: older access tokens stop
    # working for writes and exports at once.
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = now_field()


class Invitation(SQLModel, table=True):
    """An organization's invitation to an existing account; a membership only once accepted."""

    __tablename__ = "invitations"
    __table_args__ = (sa.CheckConstraint(check_in("role", ROLES), name="ck_invitations_role"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=16)
    invited_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = now_field()
    accepted_at: datetime | None = tstz()


class RefreshToken(SQLModel, table=True):
    """A refresh token, stored only as its SHA-256 so a database leak cannot replay it."""

    __tablename__ = "refresh_tokens"
    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    organization_id: uuid.UUID = org_fk()
    token_sha256: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    revoked_at: datetime | None = tstz()
    created_at: datetime = now_field()


class DataKey(SQLModel, table=True):
    """A data key (AES-256) wrapped by the master key `kek_id`; rotation re-wraps these rows."""

    __tablename__ = "data_keys"
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    kek_id: str = Field(max_length=64, index=True)
    wrapped_key: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = now_field()


class Matter(SQLModel, table=True):
    """A deal or engagement that groups meetings (later meetings can supersede terms)."""

    __tablename__ = "matters"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    name: str = Field(max_length=200)
    counterparty: str = Field(default="", max_length=200)
    created_at: datetime = now_field()


class Meeting(SQLModel, table=True):
    """One uploaded transcript and where it is in the pipeline."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.Index("ix_meetings_status_created_at", "status", "created_at"),
        sa.UniqueConstraint("organization_id", "idempotency_key"),
        sa.Index("ix_meetings_org_content_sha256", "organization_id", "content_sha256"),
        sa.Index("ix_meetings_org_created_id", "organization_id", "created_at", "id"),
        sa.UniqueConstraint("id", "organization_id", name="uq_meetings_id_organization"),
        sa.CheckConstraint(check_in("status", MEETING_STATUSES), name="ck_meetings_status"),
    )
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    matter_id: uuid.UUID | None = Field(
        default=None, foreign_key="matters.id", ondelete="SET NULL", index=True
    )
    # Empty for new rows: the title is `title_ciphertext`; `title_terms` are keyed hashes of
    # its words (search). See services/meeting_data.py.
    title: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    title_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    title_terms: list[str] = jsonb([])
    meeting_date: date | None = None
    source_filename: str = Field(default="", max_length=300)
    source_format: str | None = Field(default=None, max_length=16)
    source_object_key: str | None = Field(default=None, max_length=500)
    source_size: int = 0
    intended_contract_type: str | None = Field(default=None, max_length=32)
    redact: bool = False
    status: str = Field(default="uploaded", max_length=16)
    failed_stage: str | None = Field(default=None, max_length=16)
    failure_reason: str | None = None
    input_version: int = 1
    data_key_id: uuid.UUID | None = Field(default=None, foreign_key="data_keys.id")
    participants: list[str] = jsonb([])
    participants_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    warnings: list[str] = jsonb([])
    redaction_report: list[dict[str, Any]] = jsonb([])
    # A recording upload: its tracks, chunk cuts and speaker source (the audio itself is in
    # the object store, encrypted); None for a transcript upload.
    recording: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    #: Share of the recording's audio transcribed so far (0–1), while the transcript stage runs.
    transcription_progress: float | None = None
    idempotency_key: str | None = Field(default=None, max_length=200)
    # SHA-256 of the uploaded bytes: an identical earlier upload is pointed out, not hidden.
    content_sha256: str | None = Field(default=None, max_length=64)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = now_field()
    updated_at: datetime = now_field()


class TranscriptSegment(SQLModel, table=True):
    """A normalized utterance of one input version; the text is ciphertext under the
    meeting's data key. A correction copies the segments into the next version (the earlier
    versions stay, so the original transcript is kept)."""

    __tablename__ = "transcript_segments"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "input_version", "position"),
        # One key for meeting and organization: a segment belongs to its meeting's
        # organization, and a one-hour meeting's 1,360-row COPY makes one check per row (not
        # two, the second share-locking the organization row that every upload also reads).
        # The unique constraint's index serves lookups and the cascade by meeting.
        sa.ForeignKeyConstraint(
            ["meeting_id", "organization_id"],
            ["meetings.id", "meetings.organization_id"],
            ondelete="CASCADE",
            name="fk_transcript_segments_meeting",
        ),
    )
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID
    meeting_id: uuid.UUID
    input_version: int = Field(default=1, sa_column_kwargs={"server_default": sa.text("1")})
    position: int
    segment_key: str = Field(max_length=300)
    speaker: str = Field(default="", max_length=200)
    speaker_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    start_s: float
    end_s: float
    text_ciphertext: bytes = Field(sa_type=sa.LargeBinary)


class Decision(SQLModel, table=True):
    """An extracted item (decision, action item, agreed term, open question) and its review.

    Range-partitioned by month on `created_at`; the partition key is part of the primary key.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        sa.Index("ix_decisions_meeting_id_confidence", "meeting_id", sa.text("confidence DESC")),
        sa.CheckConstraint(check_in("kind", ITEM_KINDS), name="ck_decisions_kind"),
        sa.CheckConstraint(check_in("review_status", REVIEW_STATUSES), name="ck_decisions_review"),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name="ck_decisions_confidence"),
        {"postgresql_partition_by": "RANGE (created_at)"},
    )
    id: uuid.UUID = uuid_pk()
    created_at: datetime = Field(
        default_factory=lambda: datetime.now().astimezone(),
        primary_key=True,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
    )
    organization_id: uuid.UUID = org_fk()
    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", ondelete="CASCADE")
    input_version: int
    item_key: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    # Encrypted JSON: the statement, the evidence quotes (transcript text), owner, party and
    # values; the plaintext owner/party/values columns stay empty for new rows.
    content_ciphertext: bytes = Field(sa_type=sa.LargeBinary)
    owner: str | None = Field(default=None, max_length=200)
    party: str | None = Field(default=None, max_length=200)
    due: date | None = None
    values: dict[str, Any] = jsonb({})
    confidence: float
    evidence_segment_keys: list[str] = jsonb([])
    supersedes: list[str] = jsonb([])
    # "<item key>" within the meeting, or "<meeting id>/<item key>" for a later meeting.
    superseded_by: str | None = Field(default=None, max_length=200)
    conflicts_with: list[str] = jsonb([])
    review_status: str = Field(default="proposed", max_length=16)
    edited_statement_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    edited_values: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    edited_values_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    review_reason: str | None = None
    reviewed_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    reviewed_at: datetime | None = tstz()


class Draft(SQLModel, table=True):
    """A contract drafted from a meeting; its text lives in immutable versions."""

    __tablename__ = "drafts"
    __table_args__ = (
        sa.Index("ix_drafts_contract_type_status", "contract_type", "status"),
        sa.CheckConstraint(check_in("status", DRAFT_STATUSES), name="ck_drafts_status"),
    )
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", ondelete="CASCADE", index=True)
    contract_type: str = Field(max_length=32)
    type_reason: str = ""
    type_confidence: float = 0.0
    status: str = Field(default="draft", max_length=16)
    current_version: int = 0
    requested_version: int = 1
    requested_at: datetime = now_field()
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    approved_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    approved_at: datetime | None = tstz()
    # The approval record: which version, the approver's comment, the warnings acknowledged,
    # and (once an item or clause changed after approval) why it is out of date.
    approved_version: int | None = None
    approval_comment: str | None = None
    approval_acknowledged: list[str] = jsonb([])
    approval_outdated_reason: str | None = None
    created_at: datetime = now_field()
    updated_at: datetime = now_field()


class DraftVersion(SQLModel, table=True):
    """One immutable version of a draft (encrypted JSON of the clauses and their provenance)."""

    __tablename__ = "draft_versions"
    __table_args__ = (sa.UniqueConstraint("draft_id", "version"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    draft_id: uuid.UUID = Field(foreign_key="drafts.id", ondelete="CASCADE", index=True)
    version: int
    source: str = Field(default="generated", max_length=16)
    body_ciphertext: bytes = Field(sa_type=sa.LargeBinary)
    qa_done: bool = False
    blocker_count: int = 0
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = now_field()


class ClauseProvenance(SQLModel, table=True):
    """Clause → item → segments, queryable without decrypting the draft body."""

    __tablename__ = "clause_provenance"
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    draft_version_id: uuid.UUID = Field(
        foreign_key="draft_versions.id", ondelete="CASCADE", index=True
    )
    clause_number: str = Field(max_length=16)
    clause_key: str = Field(max_length=64)
    term: str = Field(max_length=64)
    item_key: str = Field(max_length=64)
    segment_keys: list[str] = jsonb([])


class QAFinding(SQLModel, table=True):
    """A QA check's finding on one draft version."""

    __tablename__ = "qa_findings"
    __table_args__ = (sa.CheckConstraint(check_in("severity", SEVERITIES), name="ck_qa_severity"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    draft_version_id: uuid.UUID = Field(
        foreign_key="draft_versions.id", ondelete="CASCADE", index=True
    )
    code: str = Field(max_length=64)
    severity: str = Field(max_length=16)
    clause: str | None = Field(default=None, max_length=64)
    message: str = Field(default="", sa_column_kwargs={"server_default": ""})
    evidence: dict[str, Any] = jsonb({})
    # Encrypted JSON {"message", "evidence"} (they quote values); the columns above stay empty.
    message_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class Export(SQLModel, table=True):
    """A rendered file of one draft version in object storage."""

    __tablename__ = "exports"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "idempotency_key"),
        sa.CheckConstraint(check_in("format", EXPORT_FORMATS), name="ck_exports_format"),
        sa.CheckConstraint(check_in("status", EXPORT_STATUSES), name="ck_exports_status"),
    )
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    draft_version_id: uuid.UUID = Field(
        foreign_key="draft_versions.id", ondelete="CASCADE", index=True
    )
    format: str = Field(max_length=8)
    status: str = Field(default="pending", max_length=16)
    object_key: str | None = Field(default=None, max_length=500)
    content_type: str | None = Field(default=None, max_length=120)
    size_bytes: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    error: str | None = None
    # Whether the file was rendered from an approved version (it then says so, not "Draft").
    approved: bool = False
    idempotency_key: str | None = Field(default=None, max_length=200)
    requested_by: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL"
    )
    created_at: datetime = now_field()
    finished_at: datetime | None = tstz()


class StageRun(SQLModel, table=True):
    """One attempt of one stage on one input: timing for SLOs and the ops page."""

    __tablename__ = "stage_runs"
    __table_args__ = (
        sa.Index("ix_stage_runs_stage_finished", "stage", "finished_at"),
        sa.CheckConstraint(check_in("stage", STAGE_NAMES), name="ck_stage_runs_stage"),
        sa.CheckConstraint(check_in("outcome", RUN_OUTCOMES), name="ck_stage_runs_outcome"),
    )
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", ondelete="CASCADE", index=True)
    draft_id: uuid.UUID | None = Field(default=None, foreign_key="drafts.id", ondelete="CASCADE")
    export_id: uuid.UUID | None = Field(default=None, foreign_key="exports.id", ondelete="CASCADE")
    stage: str = Field(max_length=16)
    input_version: int = 1
    job_id: str = Field(max_length=200)
    attempt: int = 1
    outcome: str = Field(default="running", max_length=16)
    error: str | None = None
    # The SLO span this run completed (meetingProcessing, draftGeneration, export) and its length.
    slo: str | None = Field(default=None, max_length=32)
    slo_latency_s: float | None = None
    enqueued_at: datetime | None = tstz()
    started_at: datetime | None = tstz()
    finished_at: datetime | None = tstz()


class OutboxEvent(SQLModel, table=True):
    """An event committed with the state change it reports; the relay publishes it to NATS."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_unsent", "id", postgresql_where=sa.text("sent_at IS NULL")),
    )
    id: int | None = Field(
        default=None,
        primary_key=True,
        sa_type=sa.BigInteger,
        sa_column_kwargs={"autoincrement": True},
    )
    # Globally unique message id (Nats-Msg-Id): the bigint id alone would repeat across
    # databases (a restore, a second environment) and JetStream would drop the repeats.
    event_id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        unique=True,
        sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")},
    )
    # None for the global audit chain's anchors (events without an organization).
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organizations.id", ondelete="CASCADE", index=True
    )
    subject: str = Field(max_length=120)
    payload: dict[str, Any] = jsonb({})
    created_at: datetime = now_field()
    sent_at: datetime | None = tstz()
    attempts: int = 0


class AuditEvent(SQLModel, table=True):
    """Who did what, when, from where; append-only and hash-chained."""

    __tablename__ = "audit_events"
    id: int | None = Field(
        default=None,
        primary_key=True,
        sa_type=sa.BigInteger,
        sa_column_kwargs={"autoincrement": True},
    )
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organizations.id", ondelete="CASCADE", index=True
    )
    actor_user_id: uuid.UUID | None = None
    actor_email: str | None = Field(default=None, max_length=320)
    ip: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=64, index=True)
    object_type: str | None = Field(default=None, max_length=64)
    object_id: str | None = Field(default=None, max_length=64)
    detail: dict[str, Any] = jsonb({})
    created_at: datetime = now_field()
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class HealthProbe(SQLModel, table=True):
    """A recorded availability probe (feeds the availability SLO)."""

    __tablename__ = "health_probes"
    id: int | None = Field(
        default=None,
        primary_key=True,
        sa_type=sa.BigInteger,
        sa_column_kwargs={"autoincrement": True},
    )
    checked_at: datetime = now_field()
    ok: bool
    detail: dict[str, Any] = jsonb({})
