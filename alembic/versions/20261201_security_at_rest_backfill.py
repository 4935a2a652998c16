"""At rest, existing rows: encrypt what earlier releases stored in plaintext (meeting titles
and participants, speakers, decision owners/parties/values and edited values, QA messages)
under each meeting's data key, and empty the plaintext columns.

Needs the master key (ENCRYPTION_KEY, and ENCRYPTION_OLD_KEYS for data keys still wrapped by
an older one) in the migrating process, like the application itself. Rows of a meeting
without a data key are left as they are (nothing could read their ciphertext).

Revision ID: 20261201_sec_at_rest_backfill
Revises: 20261201_security_at_rest
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from alembic import op

revision: str = "20261201_sec_at_rest_backfill"
down_revision: str | Sequence[str] | None = "20261201_security_at_rest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    from bridge_app.services import crypto
    from bridge_app.services.meeting_data import search_terms

    conn = op.get_bind()
    keyring = crypto.Keyring.from_settings()

    def unwrap(row: Any) -> bytes:
        return keyring.unwrap(bytes(row.wrapped_key), row.kek_id, row.organization_id)

    search_keys: dict[uuid.UUID, bytes] = {}

    def search_key(org_id: uuid.UUID) -> bytes:
        if org_id not in search_keys:
            found = conn.execute(
                sa.text(
                    "SELECT k.* FROM organizations o JOIN data_keys k ON k.id = o.search_key_id "
                    "WHERE o.id = :o"
                ),
                {"o": org_id},
            ).first()
            if found is not None:
                search_keys[org_id] = unwrap(found)
            else:
                plain = crypto.AESGCM.generate_key(bit_length=256)
                key_id = uuid.uuid4()
                conn.execute(
                    sa.text(
                        "INSERT INTO data_keys (id, organization_id, kek_id, wrapped_key) "
                        "VALUES (:id, :o, :kek, :w)"
                    ),
                    {
                        "id": key_id,
                        "o": org_id,
                        "kek": keyring.current_id,
                        "w": keyring.wrap(plain, org_id),
                    },
                )
                conn.execute(
                    sa.text("UPDATE organizations SET search_key_id = :k WHERE id = :o"),
                    {"k": key_id, "o": org_id},
                )
                search_keys[org_id] = plain
        return search_keys[org_id]

    meetings = conn.execute(
        sa.text(
            "SELECT m.id, m.organization_id AS org, m.title, m.participants, m.title_ciphertext, "
            "m.participants_ciphertext, k.wrapped_key, k.kek_id, k.organization_id "
            "FROM meetings m JOIN data_keys k ON k.id = m.data_key_id"
        )
    ).all()
    for m in meetings:
        key = unwrap(m)
        if m.title_ciphertext is None and m.title:
            conn.execute(
                sa.text(
                    "UPDATE meetings SET title = '', title_ciphertext = :c, "
                    "title_terms = CAST(:t AS jsonb) WHERE id = :id"
                ),
                {
                    "c": crypto.encrypt_text(key, m.title),
                    "id": m.id,
                    "t": json.dumps(search_terms(m.title, search_key(m.org))),
                },
            )
        if m.participants_ciphertext is None and _json(m.participants):
            sealed = crypto.encrypt(key, json.dumps(_json(m.participants)).encode())
            conn.execute(
                sa.text(
                    "UPDATE meetings SET participants = '[]'::jsonb, participants_ciphertext = :c "
                    "WHERE id = :id"
                ),
                {"c": sealed, "id": m.id},
            )
        for seg in conn.execute(
            sa.text(
                "SELECT id, speaker FROM transcript_segments WHERE meeting_id = :m "
                "AND speaker_ciphertext IS NULL AND speaker <> ''"
            ),
            {"m": m.id},
        ).all():
            conn.execute(
                sa.text(
                    "UPDATE transcript_segments SET speaker = '', speaker_ciphertext = :c "
                    "WHERE id = :id"
                ),
                {"c": crypto.encrypt_text(key, seg.speaker), "id": seg.id},
            )
        for d in conn.execute(
            sa.text(
                'SELECT id, created_at, content_ciphertext, owner, party, "values", '
                "edited_values FROM decisions WHERE meeting_id = :m"
            ),
            {"m": m.id},
        ).all():
            content = json.loads(crypto.decrypt(key, bytes(d.content_ciphertext)))
            if "values" in content and d.edited_values is None:
                continue
            content.setdefault("owner", d.owner)
            content.setdefault("party", d.party)
            content.setdefault("values", _json(d[5]) or {})
            edited = _json(d.edited_values)
            conn.execute(
                sa.text(
                    "UPDATE decisions SET content_ciphertext = :c, owner = NULL, party = NULL, "
                    "\"values\" = '{}'::jsonb, edited_values = NULL, edited_values_ciphertext = "
                    "COALESCE(:e, edited_values_ciphertext) WHERE id = :id AND created_at = :at"
                ),
                {
                    "c": crypto.encrypt(key, json.dumps(content, default=str).encode()),
                    "e": None
                    if edited is None
                    else crypto.encrypt(key, json.dumps(edited, default=str).encode()),
                    "id": d.id,
                    "at": d.created_at,
                },
            )
        for f in conn.execute(
            sa.text(
                "SELECT f.id, f.message, f.evidence FROM qa_findings f "
                "JOIN draft_versions v ON v.id = f.draft_version_id "
                "JOIN drafts d ON d.id = v.draft_id "
                "WHERE d.meeting_id = :m AND f.message_ciphertext IS NULL"
            ),
            {"m": m.id},
        ).all():
            sealed = {"message": f.message, "evidence": _json(f.evidence) or {}}
            conn.execute(
                sa.text(
                    "UPDATE qa_findings SET message = '', evidence = '{}'::jsonb, "
                    "message_ciphertext = :c WHERE id = :id"
                ),
                {"c": crypto.encrypt(key, json.dumps(sealed, default=str).encode()), "id": f.id},
            )


def downgrade() -> None:
    # The ciphertext stays readable by the application; nothing to undo safely here.
    pass
