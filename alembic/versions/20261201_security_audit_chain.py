"""Audit chain: HMAC-keyed (existing chains re-keyed), TRUNCATE refused, write rights revoked.

- Existing events are re-chained with HMAC-SHA256 under AUDIT_HMAC_KEY (the key is read from
  the migrating process's settings; it is never stored in the database).
- A BEFORE TRUNCATE trigger joins the UPDATE/DELETE one.
- Every role but the table's owner loses UPDATE, DELETE and TRUNCATE on audit_events (the
  application connects as such a role: k8s/secret.template.yaml's bridge_user).
- outbox.organization_id may be NULL: the global chain's head anchors carry none.

Revision ID: 20261201_security_audit_chain
Revises: 20261201_security_sessions
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "20261201_security_audit_chain"
down_revision: str | Sequence[str] | None = "20261201_security_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = (
    "organization_id, actor_user_id, actor_email, ip, action, object_type, object_id, detail, "
    "created_at"
)

REVOKE_FROM_NON_OWNERS = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT rolname FROM pg_roles
    WHERE rolname NOT LIKE 'pg\\_%'
      AND oid <> (SELECT relowner FROM pg_class WHERE oid = 'audit_events'::regclass)
      AND NOT rolsuper
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', r.rolname);
  END LOOP;
END $$;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
"""


def _rechain(conn: sa.Connection) -> None:
    from bridge_app.services.audit import GENESIS, chain_mac

    heads: dict[object, str] = {}
    rows = conn.execute(sa.text(f"SELECT id, {FIELDS} FROM audit_events ORDER BY id")).mappings()
    updates = []
    for row in rows:
        fields = dict(row)
        if isinstance(fields["detail"], str):
            fields["detail"] = json.loads(fields["detail"])
        prev = heads.get(fields["organization_id"], GENESIS)
        mac = chain_mac(prev, fields)
        updates.append({"id": row["id"], "prev": prev, "mac": mac})
        heads[fields["organization_id"]] = mac
    if updates:
        conn.execute(
            sa.text("UPDATE audit_events SET prev_hash = :prev, hash = :mac WHERE id = :id"),
            updates,
        )


def upgrade() -> None:
    conn = op.get_bind()
    op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    _rechain(conn)
    op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION bridge_audit_append_only()"
    )
    op.execute(REVOKE_FROM_NON_OWNERS)
    op.alter_column("outbox", "organization_id", nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE organization_id IS NULL")
    op.alter_column("outbox", "organization_id", nullable=False)
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
