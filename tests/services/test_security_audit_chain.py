"""The audit chain holds against someone who can write the table (issue 15, item 4).

Each attack is done as the database superuser (able to switch the append-only trigger off):
an edit re-hashed without the HMAC key, a dropped tail, a TRUNCATE. Anchors go through the
real outbox relay into the test NATS JetStream and are read back from there.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid

import nats
import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bridge_app.ops.backup import libpq_url
from bridge_app.services import audit, db, events
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings, normalize_database_url
from tests.factories import make_org, make_user


def _committed_chain(n: int) -> tuple[Principal, list[int]]:
    with session_scope() as s:
        org = make_org(s, "Anchored")
        user = make_user(s, org, role="admin")
        p = Principal(user.id, org.id, "admin", user.email)
        ids = [int(audit.append_for(s, p, action=f"step.{i}").id or 0) for i in range(n)]
    return p, ids


async def _relay_all() -> None:
    nc = await nats.connect(get_settings().NATS_URL)
    try:
        js = nc.jetstream()
        await events.ensure_stream(js)
        while await events.relay_once(get_engine(), js):
            pass
    finally:
        await nc.close()


def _as_superuser(sql: str, params: dict[str, object] | None = None) -> None:
    with psycopg.connect(libpq_url(get_settings().sqlalchemy_url), autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        try:
            conn.execute(sql, params or {})
        finally:
            conn.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")


def _verify(p: Principal, anchor: audit.Anchor | None) -> audit.ChainReport:
    with Session(get_engine()) as s:
        return audit.verify_chain(s, p.organization_id, anchor)


def test_edit_rehashed_without_the_key_is_detected(migrated: str) -> None:
    p, ids = _committed_chain(3)
    with Session(get_engine()) as s:
        rows = [s.get(audit.AuditEvent, i) for i in ids]
    # The attacker edits event 2 and recomputes every hash the way a plain SHA-256 chain would.
    prev = rows[0].hash if rows[0] else ""
    for row in rows[1:]:
        assert row is not None
        row.detail = {"forged": True}
        body = json.dumps({"x": row.model_dump(mode="json")}, sort_keys=True)
        row.prev_hash, row.hash = prev, hashlib.sha256((prev + body).encode()).hexdigest()
        _as_superuser(
            "UPDATE audit_events SET detail = %(d)s, prev_hash = %(p)s, hash = %(h)s "
            "WHERE id = %(id)s",
            {"d": json.dumps(row.detail), "p": row.prev_hash, "h": row.hash, "id": row.id},
        )
        prev = row.hash
    report = _verify(p, None)
    assert not report.ok and report.first_bad_id == ids[1]
    # Even knowing the algorithm, a different key cannot produce the chain's MACs.
    with Session(get_engine()) as s:
        row = s.get(audit.AuditEvent, ids[1])
        assert row is not None
        assert audit.event_hash(row.prev_hash, row, key="guessed") != audit.event_hash(
            row.prev_hash, row
        )


def test_dropped_tail_is_detected_through_the_anchor(migrated: str) -> None:
    p, ids = _committed_chain(4)
    asyncio.run(_relay_all())
    anchor = asyncio.run(audit.latest_anchor(p.organization_id))
    assert anchor is not None and anchor.id == ids[-1]
    assert _verify(p, anchor).ok and _verify(p, anchor).anchored is True
    # Dropping the last two events leaves a chain whose links are all fine ...
    _as_superuser("DELETE FROM audit_events WHERE id >= %(id)s", {"id": ids[2]})
    assert _verify(p, None).ok
    # ... but the head anchored outside PostgreSQL is gone.
    report = _verify(p, anchor)
    assert not report.ok and report.anchored is False and "missing" in (report.reason or "")


def test_truncate_is_refused_by_the_database(session: Session) -> None:
    nested = session.begin_nested()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(sa.text("TRUNCATE audit_events"))
    nested.rollback()


def test_migration_revokes_update_delete_truncate_from_app_roles(scratch_database: str) -> None:
    role = f"bridge_app_{uuid.uuid4().hex[:8]}"
    url = normalize_database_url(scratch_database)
    with psycopg.connect(scratch_database, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        db.migrate(url, "20261201_security_sessions")
        with psycopg.connect(scratch_database, autocommit=True) as conn:
            conn.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        db.migrate(url)
        with psycopg.connect(scratch_database, autocommit=True) as conn:
            rights = {
                right: conn.execute(
                    "SELECT has_table_privilege(%s, 'audit_events', %s)", (role, right)
                ).fetchone()[0]  # type: ignore[index]
                for right in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            }
    finally:
        with psycopg.connect(scratch_database, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
    assert rights == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": False,
        "TRUNCATE": False,
    }
