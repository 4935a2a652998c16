"""change notifications: NOTIFY bridge_changes per changing statement

The payload is '<organization id>/<meeting id>' (a row of a meeting or of its children) or
'<organization id>' (matters: their names show on many meetings). The API keeps read
responses (meetings list and detail) in memory and drops the entries a notification names
(`services/read_cache.py`). Statement-level triggers with a transition table: one
notification per meeting per statement, however many rows (a transcript's COPY of 1,360
segments sends one), and PostgreSQL delivers it at commit.

Revision ID: 20261202_change_notify
Revises: 20261201_meetings_list_index
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261202_change_notify"
down_revision: str | Sequence[str] | None = "20261201_meetings_list_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the cached responses read, and the column naming the meeting a row belongs to.
TABLES = {
    "meetings": "id",
    "stage_runs": "meeting_id",
    "transcript_segments": "meeting_id",
    "decisions": "meeting_id",
    "drafts": "meeting_id",
    "matters": None,
}
EVENTS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}


def upgrade() -> None:
    # The meeting column comes in as the trigger's argument, so one function serves
    # meetings (id) and their children (meeting_id).
    op.execute(
        """
        CREATE FUNCTION bridge_notify_meeting_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE payload text;
        BEGIN
            FOR payload IN EXECUTE format(
                'SELECT DISTINCT organization_id::text || ''/'' || %I::text FROM changed',
                TG_ARGV[0])
            LOOP
                PERFORM pg_notify('bridge_changes', payload);
            END LOOP;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION bridge_notify_org_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE payload text;
        BEGIN
            FOR payload IN SELECT DISTINCT organization_id::text FROM changed LOOP
                PERFORM pg_notify('bridge_changes', payload);
            END LOOP;
            RETURN NULL;
        END
        $$
        """
    )
    for table, column in TABLES.items():
        function = "bridge_notify_meeting_change" if column else "bridge_notify_org_change"
        for event, side in EVENTS.items():
            op.execute(
                f"CREATE TRIGGER {table}_notify_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {side} TABLE AS changed FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {function}({column or ''})"
            )


def downgrade() -> None:
    for table in TABLES:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_{event.lower()} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS bridge_notify_meeting_change()")
    op.execute("DROP FUNCTION IF EXISTS bridge_notify_org_change()")
