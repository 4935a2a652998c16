"""transcript_segments: one set of segments per input version (a correction keeps the original)

A correction of a segment's text or speaker is stored as the meeting's next input version,
with every segment copied into it; the earlier versions' segments stay. Existing rows belong
to their meeting's current input version.

Revision ID: 20261201_rec_transcript_versions
Revises: 20261201_sec_at_rest_backfill
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "20261201_rec_transcript_versions"
down_revision: str | Sequence[str] | None = "20261201_sec_at_rest_backfill"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "transcript_segments",
        sa.Column("input_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    op.execute(
        "UPDATE transcript_segments s SET input_version = m.input_version "
        "FROM meetings m WHERE m.id = s.meeting_id AND m.input_version <> 1"
    )
    op.drop_constraint(
        "transcript_segments_meeting_id_position_key", "transcript_segments", type_="unique"
    )
    op.create_unique_constraint(
        "transcript_segments_meeting_id_input_version_position_key",
        "transcript_segments",
        ["meeting_id", "input_version", "position"],
    )


def downgrade() -> None:
    # Only the current version's segments fit the old one-set-per-meeting shape.
    op.execute(
        "DELETE FROM transcript_segments s USING meetings m "
        "WHERE m.id = s.meeting_id AND s.input_version <> m.input_version"
    )
    op.drop_constraint(
        "transcript_segments_meeting_id_input_version_position_key",
        "transcript_segments",
        type_="unique",
    )
    op.create_unique_constraint(
        "transcript_segments_meeting_id_position_key",
        "transcript_segments",
        ["meeting_id", "position"],
    )
    op.drop_column("transcript_segments", "input_version")
