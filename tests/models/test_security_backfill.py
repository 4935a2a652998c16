"""The at-rest backfill migration encrypts rows written by earlier releases (issue 15, item 3)."""

from __future__ import annotations

import json
import uuid

import psycopg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import create_engine
from sqlmodel import Session, select

from bridge_app.models import Decision, Meeting, QAFinding, TranscriptSegment
from bridge_app.services import crypto, db, meeting_data
from bridge_app.settings import normalize_database_url


def test_backfill_encrypts_legacy_plaintext(scratch_database: str) -> None:
    url = normalize_database_url(scratch_database)
    db.migrate(url, "20261201_security_at_rest")
    org, key_id, meeting, draft, version = (uuid.uuid4() for _ in range(5))
    keyring = crypto.Keyring.from_settings()
    plain = AESGCM.generate_key(bit_length=256)
    content = crypto.encrypt(plain, json.dumps({"statement": "s", "evidence": []}).encode())
    with psycopg.connect(scratch_database, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO organizations (id, name, slug) VALUES (%s, 'O', %s)",
            (org, f"o-{org.hex[:6]}"),
        )
        conn.execute(
            "INSERT INTO data_keys (id, organization_id, kek_id, wrapped_key) VALUES (%s,%s,%s,%s)",
            (key_id, org, keyring.current_id, keyring.wrap(plain, org)),
        )
        conn.execute(
            "INSERT INTO meetings (id, organization_id, title, data_key_id, participants, "
            "source_filename, source_size, redact, status, input_version) VALUES "
            "(%s, %s, 'Legacy Quokka title', %s, '[\"Zed Legacy\"]', 'x.vtt', 1, false, "
            "'ready', 1)",
            (meeting, org, key_id),
        )
        conn.execute(
            "INSERT INTO transcript_segments (organization_id, meeting_id, position, segment_key, "
            "speaker, start_s, end_s, text_ciphertext) VALUES (%s,%s,0,'s1','Zed Legacy',0,1,%s)",
            (org, meeting, crypto.encrypt_text(plain, "hi")),
        )
        conn.execute(
            "INSERT INTO decisions (organization_id, meeting_id, input_version, item_key, kind, "
            'content_ciphertext, owner, party, "values", confidence, review_status) VALUES '
            "(%s,%s,1,'term-fee','agreed_term',%s,'Zed Legacy','Legacy Corp',"
            "'{\"fee\": {\"amount\": 48517}}',0.9,'proposed')",
            (org, meeting, content),
        )
        conn.execute(
            "INSERT INTO drafts (id, organization_id, meeting_id, contract_type, type_reason, "
            "type_confidence, status, current_version, requested_version) "
            "VALUES (%s,%s,%s,'sow','',1,'draft',1,1)",
            (draft, org, meeting),
        )
        conn.execute(
            "INSERT INTO draft_versions (id, organization_id, draft_id, version, body_ciphertext, "
            "source, qa_done, blocker_count) VALUES (%s,%s,%s,1,%s,'generated',true,0)",
            (version, org, draft, content),
        )
        conn.execute(
            "INSERT INTO qa_findings (organization_id, draft_version_id, code, severity, message) "
            "VALUES (%s,%s,'x','info','Legacy fee 48517 quoted')",
            (org, version),
        )
    db.migrate(url)
    with psycopg.connect(scratch_database) as conn:
        dump = str(
            conn.execute(
                "SELECT (SELECT json_agg(m) FROM meetings m)::text || "
                "(SELECT json_agg(s) FROM transcript_segments s)::text || "
                "(SELECT json_agg(d) FROM decisions d)::text || "
                "(SELECT json_agg(f) FROM qa_findings f)::text"
            ).fetchone()
        )
    for needle in ("Quokka", "Zed Legacy", "Legacy Corp", "48517"):
        assert needle not in dump, needle
    engine = create_engine(url)
    try:
        with Session(engine) as s:
            m = s.get(Meeting, meeting)
            assert m is not None
            key = meeting_data.data_key(s, m)
            assert meeting_data.title_of(m) == "Legacy Quokka title"
            assert meeting_data.participants_of(m) == ["Zed Legacy"]
            seg = s.exec(select(TranscriptSegment)).one()
            assert meeting_data.speaker_of(seg, key) == "Zed Legacy"
            d = meeting_data.decision_content(s.exec(select(Decision)).one(), key)
            assert (d["owner"], d["party"], d["values"]) == (
                "Zed Legacy",
                "Legacy Corp",
                {"fee": {"amount": 48517}},
            )
            assert meeting_data.finding_of(s.exec(select(QAFinding)).one(), key)[0].startswith(
                "Legacy fee"
            )
            hits = s.exec(
                select(Meeting.id).where(meeting_data.title_search(s, org, "quokka"))
            ).all()
            assert hits == [meeting]
    finally:
        engine.dispose()
