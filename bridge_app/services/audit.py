"""The audit log: append-only, HMAC-chained per organization, its head anchored outside.

Each event's `hash` is HMAC-SHA256, keyed with `AUDIT_HMAC_KEY` (which never lives in the
database), over the previous event's hash (of the same organization, or of the global chain
for events without one, such as failed logins for unknown emails) and the event's own fields
in canonical JSON. Someone who can write the table but lacks the key cannot re-hash an edit.

Each new head is also anchored outside PostgreSQL: an outbox row in the same transaction
that the relay publishes to NATS JetStream (subject `bridge.audit.head.<org id|global>`).
Dropping the chain's tail, or emptying it, leaves the last anchored head missing, which
`verify_chain` reports when given that anchor (`latest_anchor`).

The database refuses UPDATE, DELETE and TRUNCATE (triggers), and the application roles hold
only SELECT and INSERT on the table (migration `20261201_security_audit_chain`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.models import AuditEvent, OutboxEvent
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings

GENESIS = "0" * 64
ANCHOR_SUBJECT_PREFIX = "bridge.audit.head."


def _lock_key(organization_id: uuid.UUID | None) -> int:
    digest = hashlib.sha256(f"audit:{organization_id or 'global'}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _canonical_time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def chain_mac(prev_hash: str, fields: dict[str, Any], key: str | None = None) -> str:
    """HMAC-SHA256 (AUDIT_HMAC_KEY) over the previous hash and one event's fields."""
    body = {
        "organization_id": str(fields["organization_id"]) if fields["organization_id"] else None,
        "actor_user_id": str(fields["actor_user_id"]) if fields["actor_user_id"] else None,
        "actor_email": fields["actor_email"],
        "ip": fields["ip"],
        "action": fields["action"],
        "object_type": fields["object_type"],
        "object_id": fields["object_id"],
        "detail": fields["detail"],
        "created_at": _canonical_time(fields["created_at"]),
    }
    payload = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    secret = (key if key is not None else get_settings().AUDIT_HMAC_KEY).encode()
    return hmac.new(secret, (prev_hash + payload).encode(), hashlib.sha256).hexdigest()


def event_hash(prev_hash: str, event: AuditEvent, key: str | None = None) -> str:
    """The chained MAC of one event (everything but its id and its own hash)."""
    return chain_mac(prev_hash, event.model_dump(), key)


def anchor_subject(organization_id: uuid.UUID | None) -> str:
    """The JetStream subject that carries a chain's heads."""
    return ANCHOR_SUBJECT_PREFIX + (str(organization_id) if organization_id else "global")


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
    # The new head leaves PostgreSQL through the outbox (committed with the event itself).
    session.add(
        OutboxEvent(
            organization_id=organization_id,
            subject=anchor_subject(organization_id),
            payload={"id": event.id, "hash": event.hash},
        )
    )
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
    # True: the head anchored outside PostgreSQL was found in the chain; None: not checked.
    anchored: bool | None = None


@dataclass(frozen=True)
class Anchor:
    """A chain head as published outside the database."""

    id: int
    hash: str


async def latest_anchor(
    organization_id: uuid.UUID | None, nats_url: str | None = None, timeout: float = 3.0
) -> Anchor | None:
    """The last head of a chain published to JetStream; None when none was published yet.

    Raises when NATS cannot be reached (the caller decides what an unchecked anchor means).
    """
    import nats
    from nats.js.errors import NotFoundError

    from bridge_app.services.events import STREAM

    nc = await nats.connect(
        nats_url or get_settings().NATS_URL,
        connect_timeout=timeout,
        max_reconnect_attempts=0,
        allow_reconnect=False,
    )
    try:
        js = nc.jetstream(timeout=timeout)
        try:
            msg = await asyncio.wait_for(
                js.get_last_msg(STREAM, anchor_subject(organization_id)), timeout
            )
        except NotFoundError:
            return None
        body = json.loads(msg.data or b"{}")
        payload = body.get("payload", body)
        return Anchor(int(payload["id"]), str(payload["hash"]))
    finally:
        await nc.close()


def verify_chain(
    session: Session, organization_id: uuid.UUID | None, anchor: Anchor | None = None
) -> ChainReport:
    """Recompute one organization's chain; the first event whose link or MAC is wrong.

    With the chain's last `anchor` (published outside PostgreSQL), also report a chain that
    no longer holds that head: its tail was dropped, or it was emptied and rebuilt.
    """
    anchor_seen = anchor is None
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
            if not hmac.compare_digest(event_hash(prev, row), row.hash):
                return ChainReport(False, checked, row.id, "the event's content does not match")
            if anchor is not None and row.id == anchor.id:
                if row.hash != anchor.hash:
                    return ChainReport(
                        False, checked, row.id, "the event differs from its anchored head", False
                    )
                anchor_seen = True
            prev = row.hash
        last_id = int(batch[-1].id or 0)
    if not anchor_seen:
        assert anchor is not None
        return ChainReport(
            False,
            checked,
            anchor.id,
            f"the anchored head (event {anchor.id}) is missing: events were removed",
            False,
        )
    return ChainReport(True, checked, anchored=None if anchor is None else True)
