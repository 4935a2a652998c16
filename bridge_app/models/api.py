"""The API's request and response shapes (not tables): Create / Update / Public models."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bridge_app.core.vocabulary import ContractType, ExportFormat, Role

# ------------------------------------------------------------------ auth


class LoginRequest(BaseModel):
    """Local sign-in."""

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    organization: str | None = Field(default=None, max_length=80, description="slug")


class RefreshRequest(BaseModel):
    """A refresh token to exchange (or revoke, for logout)."""

    refresh_token: str = Field(min_length=1, max_length=200)


class PrincipalPublic(BaseModel):
    """Who the token belongs to."""

    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: Role
    email: str


class TokenResponse(BaseModel):
    """Access + refresh tokens."""

    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int
    principal: PrincipalPublic


# ------------------------------------------------------------------ meetings


class StageProgress(BaseModel):
    """The latest run of one stage for a meeting."""

    stage: str
    outcome: str | None = None
    attempt: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None


class MeetingPublic(BaseModel):
    """A meeting as listed."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    meeting_date: date | None = None
    matter_id: uuid.UUID | None = None
    matter: str | None = None
    source_filename: str
    source_format: str | None = None
    source_size: int
    intended_contract_type: str | None = None
    redact: bool
    status: str
    failed_stage: str | None = None
    failure_reason: str | None = None
    input_version: int
    transcription_progress: float | None = None
    created_at: datetime
    updated_at: datetime
    # An earlier meeting uploaded with identical bytes (the upload is kept; this warns).
    duplicate_of: uuid.UUID | None = None


class MeetingDetail(MeetingPublic):
    """A meeting with its pipeline progress and drafts."""

    participants: list[str] = []
    warnings: list[str] = []
    redaction_report: list[dict[str, Any]] = []
    stages: list[StageProgress] = []
    draft_ids: list[uuid.UUID] = []
    segment_count: int = 0
    decision_count: int = 0


class MeetingPage(BaseModel):
    """One page of meetings and the cursor of the next one."""

    items: list[MeetingPublic]
    next_cursor: str | None = None


class SegmentPublic(BaseModel):
    """A transcript segment (decrypted)."""

    position: int
    segment_key: str
    speaker: str
    start_s: float
    end_s: float
    text: str


class SegmentPage(BaseModel):
    """Segments from `after` on."""

    items: list[SegmentPublic]
    next_after: int | None = None


class SegmentCorrection(BaseModel):
    """New text and/or speaker for one segment of transcript `version` (the one you read)."""

    version: int = Field(ge=1)
    text: str | None = Field(default=None, max_length=10_000)
    speaker: str | None = Field(default=None, max_length=200)
    reason: str = Field(default="", max_length=2000)


class SpeakerRename(BaseModel):
    """Name a speaker (all of its segments) in transcript `version`."""

    version: int = Field(ge=1)
    speaker: str = Field(max_length=200)
    name: str = Field(max_length=200)
    reason: str = Field(default="", max_length=2000)


class SpeakerMerge(BaseModel):
    """Give all of `speaker`'s segments to `into` in transcript `version`."""

    version: int = Field(ge=1)
    speaker: str = Field(max_length=200)
    into: str = Field(max_length=200)
    reason: str = Field(default="", max_length=2000)


# ------------------------------------------------------------------ decisions


class DecisionPublic(BaseModel):
    """An extracted item with its review state (statement decrypted, edits applied)."""

    id: uuid.UUID
    meeting_id: uuid.UUID
    item_key: str
    kind: str
    statement: str
    original_statement: str
    evidence: list[dict[str, Any]]
    owner: str | None = None
    party: str | None = None
    due: date | None = None
    values: dict[str, Any]
    original_values: dict[str, Any]
    confidence: float
    supersedes: list[str]
    superseded_by: str | None = None
    conflicts_with: list[str]
    review_status: str
    review_reason: str | None = None
    reviewed_by: uuid.UUID | None = None
    reviewed_at: datetime | None = None


class DecisionReview(BaseModel):
    """Accept, reject or edit an item; reject and edit need a reason."""

    action: Literal["accept", "reject", "edit"]
    reason: str | None = Field(default=None, max_length=2000)
    statement: str | None = Field(default=None, max_length=5000)
    values: dict[str, Any] | None = None


# ------------------------------------------------------------------ drafts


class DraftPublic(BaseModel):
    """A draft and where it stands."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    meeting_id: uuid.UUID
    contract_type: str
    type_reason: str
    type_confidence: float
    status: str
    current_version: int
    requested_version: int
    approved_by: uuid.UUID | None = None
    approved_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class DraftCreate(BaseModel):
    """A new draft of a chosen contract type."""

    contract_type: ContractType


class DraftApprove(BaseModel):
    """Approve a version (the current one when omitted), acknowledging its open warnings."""

    version: int | None = Field(default=None, ge=1)
    comment: str | None = Field(default=None, max_length=2000)
    acknowledge: list[str] = Field(default_factory=list, max_length=200)


class OpenWarning(BaseModel):
    """A QA warning an approver must acknowledge (by id)."""

    id: str
    sentence: str
    codes: list[str]


class ApprovalPublic(BaseModel):
    """A draft's approval: state (none / approved / outdated), who, when, comment, and the
    current version's open warnings."""

    state: str
    version: int | None
    approver: str
    approved_at: datetime | None
    comment: str
    outdated_reason: str
    acknowledged: list[str]
    open_warnings: list[OpenWarning]


class TermPublic(BaseModel):
    """One line of a meeting's terms checklist."""

    term: str
    label: str
    kind: str
    status: str
    display: str
    item_ids: list[str]
    reviewer_entered: bool


class TermChecklist(BaseModel):
    """The terms a meeting's contract type needs, and their status."""

    contract_type: str
    terms: list[TermPublic]


class TermSetBody(BaseModel):
    """Typed fields of one term (by kind: amount+currency, date, days, number+unit, name,
    items, law), the selected transcript lines (segment keys) and the reason."""

    fields: dict[str, str | list[str]] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list, max_length=20)
    reason: str = Field(max_length=2000)


class TermSetPublic(BaseModel):
    """The item a reviewer's value became, and the items that stopped giving the value."""

    decision_id: uuid.UUID
    item_key: str
    display: str
    reviewer_entered: bool
    replaced: list[str]


class DraftVersionPublic(BaseModel):
    """One version's metadata."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    source: str
    qa_done: bool
    blocker_count: int
    created_at: datetime


class FindingPublic(BaseModel):
    """A QA finding."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    severity: str
    clause: str | None = None
    message: str
    evidence: dict[str, Any]


class DraftVersionDetail(DraftVersionPublic):
    """A version with its clauses (decrypted), provenance and QA findings."""

    document: dict[str, Any]
    findings: list[FindingPublic]


class RedlinePublic(BaseModel):
    """Differences between two versions."""

    from_version: int
    to_version: int
    stats: dict[str, int]
    ops: list[dict[str, Any]]
    html: str


class JobAccepted(BaseModel):
    """Work was queued."""

    id: uuid.UUID
    status: str
    version: int | None = None
    enqueued: bool


# ------------------------------------------------------------------ exports


class ExportCreate(BaseModel):
    """Render a version (the current one when omitted) to a format."""

    format: ExportFormat
    version: int | None = Field(default=None, ge=1)


class ExportPublic(BaseModel):
    """An export's status."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    draft_version_id: uuid.UUID
    format: str
    status: str
    content_type: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None


class DownloadLink(BaseModel):
    """A short-lived download URL."""

    url: str
    expires_in: int
    filename: str


# ------------------------------------------------------------------ audit, admin


class AuditEventPublic(BaseModel):
    """One audit event."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    actor_user_id: uuid.UUID | None = None
    actor_email: str | None = None
    ip: str | None = None
    action: str
    object_type: str | None = None
    object_id: str | None = None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """Audit events, newest first."""

    items: list[AuditEventPublic]
    next_cursor: int | None = None


class ChainStatus(BaseModel):
    """Result of re-computing the hash chain."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None
    # True: the head anchored outside PostgreSQL (NATS JetStream) is in the chain;
    # None: the anchor could not be read (NATS unreachable) or none was published yet.
    anchored: bool | None = None


class UserPublic(BaseModel):
    """A member of the organization."""

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    is_active: bool
    # Whether the account signs in through SSO; None for an account that is also a member of
    # another organization (its account-wide details are not this organization's to see).
    sso: bool | None = None


class InvitationPublic(BaseModel):
    """An invitation: an existing account joins an organization only once it accepts."""

    id: uuid.UUID
    organization_id: uuid.UUID
    organization_name: str = ""
    email: str
    role: Role
    status: Literal["invited", "accepted"] = "invited"


class UserCreate(BaseModel):
    """Invite a local user."""

    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    full_name: str = Field(default="", max_length=200)
    password: str | None = Field(default=None, min_length=12, max_length=1024)
    role: Role = "viewer"


class RoleChange(BaseModel):
    """A new role for a member."""

    role: Role


class QueueReport(BaseModel):
    """Queue depth per stage queue and each worker's heartbeat."""

    queues: dict[str, int]
    workers: dict[str, str | None]
