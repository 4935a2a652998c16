"""meetings: an index for the list (organization, newest first)

The meetings list and its cursor read one organization's meetings by (created_at, id)
descending with a LIMIT; without this index PostgreSQL fetched every meeting of the
organization and sorted them on each request.

Revision ID: 20261201_meetings_list_index
Revises: 20261201_rec_transcript_versions
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261201_meetings_list_index"
down_revision: str | Sequence[str] | None = "20261201_rec_transcript_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_meetings_org_created_id", "meetings", ["organization_id", "created_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_meetings_org_created_id", table_name="meetings")
