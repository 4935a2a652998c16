"""At rest (issue 15, item 3): decision values, owners, parties, speakers, participants, the
meeting title and QA messages are nowhere in plaintext in the database, exports are
encrypted in the application before they reach S3, and title search still works."""

from __future__ import annotations

import re
import subprocess
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bridge_app.ops.backup import find_pg_tool, libpq_url, server_major_version
from bridge_app.services import storage
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import S3Store
from bridge_app.settings import get_settings
from tests.api.conftest import client, queue_redis_url, upload  # noqa: F401  (fixtures)
from tests.api.support import make_org, run_until_idle


def _transcript(speaker_a: str, speaker_b: str, party: str, fee: str) -> bytes:
    lines = [
        "WEBVTT",
        "",
        "00:00:01.000 --> 00:00:05.000",
        f"<v {speaker_a}>Welcome, this is the kickoff with {party}.",
        "",
        "00:00:06.000 --> 00:00:12.000",
        f"<v {speaker_b}>We agreed a fixed fee of ${fee}, payable net 30.",
        "",
        "00:00:13.000 --> 00:00:20.000",
        f"<v {speaker_a}>Agreed. {speaker_b} will deliver the audit report by June 30.",
        "",
    ]
    return "\n".join(lines).encode()


def _dump() -> bytes:
    url = get_settings().sqlalchemy_url
    pg_dump = find_pg_tool("pg_dump", server_major_version(url))
    return subprocess.run(
        [str(pg_dump), "--no-owner", "--data-only", libpq_url(url)],
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout


def test_meeting_fields_absent_from_pg_dump(
    client: TestClient,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    s3_server: Any,
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    speaker_a, speaker_b = f"Zorvath{tag} Quill", f"Mirelle{tag} Brandt"
    party = f"Quokkaworks{tag} Holdings"
    # A fee unlikely to stand in the dump by chance: ten fixed candidates ("7X3,419") did once
    # (some number column), so the digits come from the random tag.
    number = int(tag, 16)
    fee = f"{number % 900 + 100},{number // 900 % 900 + 100}"
    title = f"Xylophane{tag} negotiation"
    # Exports go to a real S3 (SeaweedFS, which has no SSE): the app must encrypt them itself.
    s3 = S3Store(
        endpoint=s3_server.endpoint,
        access_key=s3_server.access_key,
        secret_key=s3_server.secret_key,
        bucket=f"atrest-{uuid.uuid4().hex[:8]}",
        region="us-east-1",
        sse="",
        signing_key=b"k" * 32,
        public_base_url="http://testserver",
    )
    s3.ensure_bucket()
    org = make_org("AtRest")
    response = upload(client, org, _transcript(speaker_a, speaker_b, party, fee), title=title)
    assert response.status_code == 201, response.text
    meeting_id = response.json()["id"]
    run_until_idle(NextJob("transcript", uuid.UUID(meeting_id), 1))
    legal = org.headers("legal")
    detail = client.get(f"/v1/meetings/{meeting_id}", headers=legal).json()
    assert detail["status"] == "ready", detail
    assert detail["title"] == title
    assert set(detail["participants"]) >= {speaker_a, speaker_b}
    decisions = client.get(f"/v1/meetings/{meeting_id}/decisions", headers=legal).json()
    shown = str([(d["values"], d["owner"], d["party"]) for d in decisions])
    # The party is both a decision value and a party; the speaker owns an action item.
    assert party in shown and speaker_b in shown, shown
    segments = client.get(f"/v1/meetings/{meeting_id}/segments", headers=legal).json()["items"]
    assert {s["speaker"] for s in segments} == {speaker_a, speaker_b}
    # Title search matches whole words through keyed hashes.
    found = client.get("/v1/meetings", params={"q": f"xylophane{tag}"}, headers=legal).json()
    assert [m["id"] for m in found["items"]] == [meeting_id]
    none = client.get("/v1/meetings", params={"q": "nothing-like-it"}, headers=legal).json()
    assert none["items"] == []
    # A reviewer's edited value is encrypted too.
    decision = decisions[0]
    edited_marker = f"Edited{tag}Value"
    reviewed = client.post(
        f"/v1/decisions/{decision['id']}/review",
        json={"action": "edit", "values": {"note": edited_marker}, "reason": "checked"},
        headers=legal,
    )
    assert reviewed.status_code == 200, reviewed.text
    draft_id = detail["draft_ids"][0]
    qa = client.get(f"/v1/drafts/{draft_id}/versions/1", headers=legal).json()
    messages = [f["message"] for f in qa["findings"]]
    assert all(messages), "QA messages read back"

    dump = _dump()
    for needle in (speaker_a, speaker_b, party, title, fee, edited_marker):
        for form in (needle.encode(), needle.encode().hex().encode()):
            assert form not in dump, f"{needle!r} found in pg_dump output"
    # The fee as a bare number, standing alone: six digits also occur by chance inside the
    # dump's hex (ciphertexts, hashes, ids), which says nothing about plaintext.
    digits = fee.replace(",", "").encode()
    alone = re.compile(rb"(?<![0-9A-Fa-f])" + digits + rb"(?![0-9A-Fa-f])")
    assert not alone.search(dump), f"{digits!r} found in pg_dump output"
    assert digits.hex().encode() not in dump, f"{digits!r} found hex-encoded in pg_dump output"
    for message in messages:
        assert message.encode() not in dump, f"QA message in plaintext: {message!r}"

    monkeypatch.setattr(storage, "get_store", lambda: s3)
    monkeypatch.setattr("bridge_app.services.stages.transaction.get_store", lambda: s3)
    export = client.post(f"/v1/drafts/{draft_id}/exports", json={"format": "md"}, headers=legal)
    run_until_idle(NextJob("export", uuid.UUID(export.json()["id"]), 1))
    keys = s3.list_keys(f"{org.id}/exports/")
    assert keys
    blob = s3.get(keys[0])
    assert party.encode() not in blob and not blob.startswith(b"#"), "export is ciphertext in S3"
