"""At rest: meeting titles, participants, speakers, decision values/owners/parties, reviewers'
edited values and QA messages move into ciphertext columns under the meeting's data key;
meeting titles get keyed search hashes; organizations get a search key.

The old plaintext columns stay (empty for new rows) so rows written earlier remain readable.

Revision ID: 20261201_security_at_rest
Revises: 20261201_security_audit_chain
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "20261201_security_at_rest"
down_revision: str | Sequence[str] | None = "20261201_security_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CIPHERTEXT_COLUMNS = (
    ("meetings", "title_ciphertext"),
    ("meetings", "participants_ciphertext"),
    ("transcript_segments", "speaker_ciphertext"),
    ("decisions", "edited_values_ciphertext"),
    ("qa_findings", "message_ciphertext"),
)


def upgrade() -> None:
    for table, column in CIPHERTEXT_COLUMNS:
        op.add_column(table, sa.Column(column, sa.LargeBinary(), nullable=True))
    op.add_column(
        "meetings",
        sa.Column(
            "title_terms",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.alter_column("meetings", "title", server_default="")
    op.alter_column("qa_findings", "message", server_default="")
    op.add_column(
        "organizations", sa.Column("search_key_id", postgresql.UUID(as_uuid=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("organizations", "search_key_id")
    op.alter_column("qa_findings", "message", server_default=None)
    op.alter_column("meetings", "title", server_default=None)
    op.drop_column("meetings", "title_terms")
    for table, column in reversed(CIPHERTEXT_COLUMNS):
        op.drop_column(table, column)
