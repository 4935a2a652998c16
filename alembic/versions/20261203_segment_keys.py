"""transcript segments: one foreign key (meeting, organization), no redundant indexes

A one-hour meeting's transcript is one COPY of about 1,360 rows, and each foreign key is a
check per row: two (meeting, organization) became one composite key to the meeting, which
also makes the database hold a segment to its meeting's organization. The indexes on
meeting_id (the unique (meeting_id, input_version, position) index leads with it) and on
organization_id (nothing reads segments by organization alone; an organization's deletion
cascades through its meetings) are dropped: each cost every inserted row an index entry.

Revision ID: 20261203_segment_keys
Revises: 20261202_change_notify
Create Date: 2026-12-03 00:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261203_segment_keys"
down_revision: str | Sequence[str] | None = "20261202_change_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_unique_constraint(
        "uq_meetings_id_organization", "meetings", ["id", "organization_id"]
    )
    op.create_foreign_key(
        "fk_transcript_segments_meeting",
        "transcript_segments",
        "meetings",
        ["meeting_id", "organization_id"],
        ["id", "organization_id"],
        ondelete="CASCADE",
    )
    op.drop_constraint(
        "transcript_segments_meeting_id_fkey", "transcript_segments", type_="foreignkey"
    )
    op.drop_constraint(
        "transcript_segments_organization_id_fkey", "transcript_segments", type_="foreignkey"
    )
    op.drop_index("ix_transcript_segments_meeting_id", table_name="transcript_segments")
    op.drop_index("ix_transcript_segments_organization_id", table_name="transcript_segments")


def downgrade() -> None:
    op.create_index(
        "ix_transcript_segments_organization_id", "transcript_segments", ["organization_id"]
    )
    op.create_index("ix_transcript_segments_meeting_id", "transcript_segments", ["meeting_id"])
    op.create_foreign_key(
        "transcript_segments_organization_id_fkey",
        "transcript_segments",
        "organizations",
        ["organization_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_foreign_key(
        "transcript_segments_meeting_id_fkey",
        "transcript_segments",
        "meetings",
        ["meeting_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.drop_constraint("fk_transcript_segments_meeting", "transcript_segments", type_="foreignkey")
    op.drop_constraint("uq_meetings_id_organization", "meetings", type_="unique")
