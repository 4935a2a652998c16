"""Events: outbox rows written in the same transaction as the change they report, and the
relay that publishes them to NATS JetStream (stream BRIDGE, subjects bridge.<event>).

`Nats-Msg-Id` is the outbox row's event id (a UUID, unique across databases), so a row
published twice (crash between ack and commit) is
de-duplicated by JetStream; rows are marked sent only after the publish ack.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.models import OutboxEvent
from bridge_app.services import metrics, resilience

STREAM = "BRIDGE"
SUBJECT_PREFIX = "bridge."
SUBJECTS = (
    "bridge.meeting.ingested",
    "bridge.decisions.extracted",
    "bridge.draft.created",
    "bridge.qa.completed",
    "bridge.export.completed",
    "bridge.stage.failed",
)
# JetStream keeps message ids for this window to drop duplicates.
DUPLICATE_WINDOW_S = 600

log = logging.getLogger(__name__)


def record_event(
    session: Session, *, organization_id: uuid.UUID, event: str, payload: dict[str, Any]
) -> OutboxEvent:
    """Add an outbox row to the caller's transaction (`event` like "meeting.ingested")."""
    subject = SUBJECT_PREFIX + event
    if subject not in SUBJECTS:
        raise ValueError(f"unknown event subject {subject}")
    row = OutboxEvent(organization_id=organization_id, subject=subject, payload=payload)
    session.add(row)
    return row


async def ensure_stream(js: Any) -> None:
    """Create (or update) the BRIDGE stream that captures every bridge.* subject."""
    from nats.js.api import StreamConfig

    config = StreamConfig(
        name=STREAM, subjects=[SUBJECT_PREFIX + ">"], duplicate_window=DUPLICATE_WINDOW_S
    )
    try:
        await js.stream_info(STREAM)
        await js.update_stream(config)
    except Exception:
        await js.add_stream(config)


def _claim_batch(session: Session, limit: int) -> list[OutboxEvent]:
    # SKIP LOCKED lets several relays run; ORDER BY id keeps per-relay publication in order.
    return list(
        session.exec(
            select(OutboxEvent)
            .where(col(OutboxEvent.sent_at).is_(None))
            .order_by(col(OutboxEvent.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


async def relay_once(engine: sa.Engine, js: Any, *, batch: int = 200) -> int:
    """Publish one batch of unsent rows; returns how many were acknowledged."""

    def claim() -> tuple[Session, list[OutboxEvent]]:
        session = Session(engine, expire_on_commit=False)
        return session, _claim_batch(session, batch)

    session, rows = await asyncio.to_thread(claim)
    sent: list[int] = []
    try:
        for row in rows:
            body = json.dumps(
                {
                    "id": str(row.event_id),
                    "seq": row.id,
                    "subject": row.subject,
                    "payload": row.payload,
                    "created_at": row.created_at.isoformat(),
                },
                default=str,
            ).encode()
            await js.publish(
                row.subject, body, headers={"Nats-Msg-Id": str(row.event_id)}, timeout=5
            )
            sent.append(row.id)  # type: ignore[arg-type]  # a stored row has its id
        if sent:
            # One statement for the batch (a burst sends hundreds of events a second).
            await asyncio.to_thread(_mark_sent, session, sent)
        await asyncio.to_thread(session.commit)
    except BaseException:
        # Rows published before the failure keep sent_at NULL and go again; the message id
        # makes JetStream drop the repeat.
        await asyncio.to_thread(session.rollback)
        raise
    finally:
        await asyncio.to_thread(session.close)
    metrics.OUTBOX_PUBLISHED.inc(len(sent))
    return len(sent)


def _mark_sent(session: Session, ids: list[int]) -> None:
    session.execute(
        sa.update(OutboxEvent)
        .where(col(OutboxEvent.id).in_(ids))
        .values(sent_at=datetime.now(UTC), attempts=OutboxEvent.attempts + 1)
    )


def pending_count(session: Session) -> int:
    """Outbox rows not yet acknowledged by NATS (the OutboxBacklog alert's gauge)."""
    return int(
        session.execute(
            sa.select(sa.func.count())
            .select_from(OutboxEvent)
            .where(col(OutboxEvent.sent_at).is_(None))
        ).scalar_one()
    )


async def run_relay(
    engine: sa.Engine, nats_url: str, stop: asyncio.Event, *, idle_sleep: float = 0.1
) -> None:
    """Publish outbox rows until `stop` is set; survives NATS and database outages."""
    import nats

    backoff = 0.2
    nc: Any = None
    js: Any = None
    while not stop.is_set():
        try:
            if nc is None or not nc.is_connected:
                nc = await nats.connect(
                    nats_url,
                    connect_timeout=2,
                    max_reconnect_attempts=0,
                    allow_reconnect=False,
                    error_cb=_ignore_error,  # the except below logs it, once per outage
                )
                js = nc.jetstream(timeout=5)
                await ensure_stream(js)
            sent = await relay_once(engine, js)
            resilience.OUTAGES.clear(resilience.NATS, resilience.POSTGRESQL)
            backoff = 0.2
            if sent == 0:
                await _wait(stop, idle_sleep)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # NATS or database down: wait, then try again
            dependency = resilience.dependency_of(exc)
            if dependency is None and isinstance(exc, OSError | TimeoutError):
                dependency = resilience.NATS  # the connect itself failed
            if dependency is not None:
                resilience.OUTAGES.down(dependency, exc)  # one line per outage
            else:
                log.warning("outbox relay: %s; retrying in %.1fs", exc, backoff)
            if nc is not None:
                with contextlib.suppress(Exception):
                    await nc.close()
                nc = None
            await _wait(stop, backoff)
            backoff = min(backoff * 2, 5.0)
    if nc is not None:
        await nc.close()


async def _ignore_error(_exc: Exception) -> None:
    """nats-py logs every connection error with a traceback unless given a callback."""


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
