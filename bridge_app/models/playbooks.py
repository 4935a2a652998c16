"""Tables of house positions and legal users' contract work: playbooks (versioned per
organization), clause overrides (direct edits kept over regeneration) and accepted findings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bridge_app.models.columns import jsonb, now_field, org_fk, uuid_pk


class PlaybookVersion(SQLModel, table=True):
    """One version of an organization's playbook (the newest is in force; none = built-in)."""

    __tablename__ = "playbooks"
    __table_args__ = (sa.UniqueConstraint("organization_id", "version"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    version: int
    body: dict[str, Any] = jsonb({})
    note: str = Field(default="", max_length=500)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = now_field()


class ClauseOverride(SQLModel, table=True):
    """A legal user's text for one clause of a draft, used by every later version."""

    __tablename__ = "clause_overrides"
    __table_args__ = (sa.UniqueConstraint("draft_id", "clause_key"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    draft_id: uuid.UUID = Field(foreign_key="drafts.id", ondelete="CASCADE", index=True)
    clause_key: str = Field(max_length=64)
    text_ciphertext: bytes = Field(sa_type=sa.LargeBinary)  # meeting text: encrypted
    reason: str = Field(default="", max_length=500)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_by_email: str = Field(default="", max_length=320)
    created_at: datetime = now_field()


class FindingAcceptance(SQLModel, table=True):
    """A blocker a legal user accepted with a reason (by finding key, for later versions too)."""

    __tablename__ = "finding_acceptances"
    __table_args__ = (sa.UniqueConstraint("draft_id", "finding_key"),)
    id: uuid.UUID = uuid_pk()
    organization_id: uuid.UUID = org_fk()
    draft_id: uuid.UUID = Field(foreign_key="drafts.id", ondelete="CASCADE", index=True)
    finding_key: str = Field(max_length=200)
    reason: str = Field(max_length=500)
    accepted_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    accepted_by_email: str = Field(default="", max_length=320)
    created_at: datetime = now_field()
