"""The audit log: append-only in the database, hash-chained so tampering shows."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bridge_app.services import audit
from bridge_app.services.principal import Principal
from tests.factories import make_org, make_user


def _principal(session: Session) -> Principal:
    org = make_org(session, "Audited")
    user = make_user(session, org, role="admin")
    return Principal(user.id, org.id, "admin", user.email)


def test_chain_links_and_verifies(session: Session) -> None:
    p = _principal(session)
    first = audit.append_for(session, p, action="meeting.upload", ip="10.1.1.1", object_id="m1")
    second = audit.append_for(session, p, action="decision.edit", detail={"reason": "typo"})
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash and len(second.hash) == 64
    report = audit.verify_chain(session, p.organization_id)
    assert report.ok and report.checked == 2


def test_chains_are_per_organization(session: Session) -> None:
    a, b = _principal(session), _principal(session)
    audit.append_for(session, a, action="x.one")
    event_b = audit.append_for(session, b, action="x.two")
    assert event_b.prev_hash == audit.GENESIS
    assert audit.verify_chain(session, b.organization_id).checked == 1


def test_update_and_delete_refused_by_database(session: Session) -> None:
    p = _principal(session)
    event = audit.append_for(session, p, action="export.request")
    for statement in (
        sa.text("UPDATE audit_events SET action = 'nothing' WHERE id = :id"),
        sa.text("DELETE FROM audit_events WHERE id = :id"),
    ):
        nested = session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(statement, {"id": event.id})
        nested.rollback()


def test_tampering_detected(session: Session) -> None:
    """Someone able to switch the trigger off edits a row: verify_chain points at it."""
    p = _principal(session)
    events = [audit.append_for(session, p, action=f"step.{n}", detail={"n": n}) for n in range(4)]
    session.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    session.execute(
        sa.text("UPDATE audit_events SET detail = '{\"n\": 99}'::jsonb WHERE id = :id"),
        {"id": events[2].id},
    )
    report = audit.verify_chain(session, p.organization_id)
    assert not report.ok and report.first_bad_id == events[2].id
    session.execute(
        sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": events[1].id}
    )  # removing an event breaks the next link
    report = audit.verify_chain(session, p.organization_id)
    assert not report.ok and report.first_bad_id == events[2].id
    session.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def test_event_fields_recorded(session: Session) -> None:
    p = _principal(session)
    target = uuid.uuid4()
    event = audit.append_for(
        session,
        p,
        action="user.role_changed",
        ip="203.0.113.9",
        object_type="user",
        object_id=target,
        detail={"from": "viewer", "to": "legal"},
    )
    session.expire(event)
    assert (event.actor_user_id, event.actor_email) == (p.user_id, p.email)
    assert (event.ip, event.object_type, event.object_id) == ("203.0.113.9", "user", str(target))
    assert event.created_at is not None and event.detail == {"from": "viewer", "to": "legal"}
    assert audit.event_hash(event.prev_hash, event) == event.hash
