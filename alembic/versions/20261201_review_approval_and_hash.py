"""review: approval record on drafts, approval state of exports, upload content hash

Revision ID: 20261201_review
Revises: 20261201_recordings
Create Date: 2026-12-01 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "20261201_review"
down_revision: str | Sequence[str] | None = "20261201_recordings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("approved_version", sa.Integer(), nullable=True))
    op.add_column(
        "drafts", sa.Column("approval_comment", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )
    op.add_column(
        "drafts",
        sa.Column(
            "approval_acknowledged",
            postgresql.JSONB(),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "drafts",
        sa.Column("approval_outdated_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    )
    op.add_column(
        "exports",
        sa.Column("approved", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("meetings", sa.Column("content_sha256", sa.String(64), nullable=True))
    op.create_index(
        "ix_meetings_org_content_sha256", "meetings", ["organization_id", "content_sha256"]
    )


def downgrade() -> None:
    op.drop_index("ix_meetings_org_content_sha256", table_name="meetings")
    op.drop_column("meetings", "content_sha256")
    op.drop_column("exports", "approved")
    op.drop_column("drafts", "approval_outdated_reason")
    op.drop_column("drafts", "approval_acknowledged")
    op.drop_column("drafts", "approval_comment")
    op.drop_column("drafts", "approved_version")
