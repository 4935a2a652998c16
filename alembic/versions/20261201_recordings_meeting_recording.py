"""meetings: recording manifest and transcription progress

Revision ID: 20261201_recordings
Revises: 20261201_contracts
Create Date: 2026-12-01 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "20261201_recordings"
down_revision: str | Sequence[str] | None = "20261201_contracts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "meetings", sa.Column("recording", postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    )
    op.add_column("meetings", sa.Column("transcription_progress", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("meetings", "transcription_progress")
    op.drop_column("meetings", "recording")
