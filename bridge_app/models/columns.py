"""Column helpers every table model uses (primary keys, timestamps, tenancy, JSON)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field


def check_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint's SQL: `column` holds one of `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def uuid_pk() -> Any:
    """UUID primary key: generated client-side, and by `gen_random_uuid()` for raw inserts."""
    return Field(
        default_factory=uuid.uuid4,
        primary_key=True,
        sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")},
    )


def now_field() -> Any:
    return Field(
        default_factory=lambda: datetime.now().astimezone(),
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now(), "nullable": False},
    )


def tstz(nullable: bool = True) -> Any:
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=nullable)


def org_fk() -> Any:
    return Field(foreign_key="organizations.id", ondelete="CASCADE", index=True)


def jsonb(default: Any) -> Any:
    factory = (lambda: dict(default)) if isinstance(default, dict) else (lambda: list(default))
    return Field(
        default_factory=factory,
        sa_type=JSONB,
        sa_column_kwargs={
            "server_default": sa.text(f"'{'{}' if isinstance(default, dict) else '[]'}'::jsonb")
        },
    )
