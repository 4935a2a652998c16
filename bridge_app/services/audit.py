"""The audit log: append-only, hash-chained per organization.

Each event's `hash` is SHA-256 over the previous event's hash (of the same organization, or
of the global chain for events without one, such as failed logins for unknown emails) and
the event's own fields in canonical JSON. The database refuses UPDATE and DELETE (trigger);
`verify_chain` recomputes the chain, so a row changed behind the trigger's back (or removed
by someone who can disable it) shows up as the first broken link.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.models import AuditEvent
from bridge_app.services.principal import Principal

GENESIS = "0" * 64


def _lock_key(organization_id: uuid.UUID | None) -> int:
    digest = hashlib.sha256(f"audit:{organization_id or 'global'}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _canonical_time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """The chained hash of one event (everything but its id and its own hash)."""
    body = {
        "organization_id": str(event.organization_id) if event.organization_id else None,
        "actor_user_id": str(event.actor_user_id) if event.actor_user_id else None,
        "actor_email": event.actor_email,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
        "created_at": _canonical_time(event.created_at),
    }
    payload = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _chain_filter(organization_id: uuid.UUID | None) -> Any:
    column = col(AuditEvent.organization_id)
    return column.is_(None) if organization_id is None else column == organization_id


def append(
    session: Session,
    *,
    action: str,
    organization_id: uuid.UUID | None,
    actor_user_id: uuid.UUID | None = None,
    actor_email: str | None = None,
    ip: str | None = None,
    object_type: str | None = None,
    object_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the caller's transaction, linked to the chain's last event.

    A transaction-scoped advisory lock serializes writers of one chain until commit, so the
    chain never forks.
    """
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(_lock_key(organization_id))))
    prev = session.exec(
        select(AuditEvent.hash)
        .where(_chain_filter(organization_id))
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    event = AuditEvent(
        organization_id=organization_id,
        actor_user_id=actor_user_id,
        actor_email=actor_email,
        ip=(ip or None) and ip[:64],
        action=action[:64],
        object_type=object_type,
        object_id=str(object_id)[:64] if object_id is not None else None,
        detail=dict(detail or {}),
        created_at=datetime.now(UTC),
        prev_hash=prev or GENESIS,
    )
    event.hash = event_hash(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event


def append_for(
    session: Session,
    principal: Principal,
    *,
    action: str,
    ip: str | None = None,
    object_type: str | None = None,
    object_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """`append` with the actor and organization taken from a principal."""
    return append(
        session,
        action=action,
        organization_id=principal.organization_id,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        ip=ip,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify_chain`."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None


def verify_chain(session: Session, organization_id: uuid.UUID | None) -> ChainReport:
    """Recompute one organization's chain; the first event whose link or hash is wrong."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = session.exec(
            select(AuditEvent)
            .where(_chain_filter(organization_id), col(AuditEvent.id) > last_id)
            .order_by(col(AuditEvent.id))
            .limit(1000)
            .execution_options(populate_existing=True)
        ).all()
        if not batch:
            break
        for row in batch:
            checked += 1
            if row.prev_hash != prev:
                return ChainReport(False, checked, row.id, "link to the previous event is broken")
            if event_hash(prev, row) != row.hash:
                return ChainReport(False, checked, row.id, "the event's content does not match")
            prev = row.hash
        last_id = int(batch[-1].id or 0)
    return ChainReport(True, checked)
