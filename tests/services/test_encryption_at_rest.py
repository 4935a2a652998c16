"""A marker sentence uploaded in a transcript appears in no pg_dump output and no stored
object: transcripts, decisions, draft bodies and exported files are all ciphertext at rest."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

from fastapi.testclient import TestClient

from bridge_app.ops.backup import find_pg_tool, libpq_url, server_major_version
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import get_store
from bridge_app.settings import get_settings
from tests.api.conftest import client, queue_redis_url, upload  # noqa: F401  (fixtures)
from tests.api.support import make_org, run_until_idle


def _transcript(marker: str) -> bytes:
    lines = [
        "WEBVTT",
        "",
        "00:00:01.000 --> 00:00:05.000",
        "<v Ana Lopez>Welcome, this is Ana from Northwind Traders.",
        "",
        "00:00:06.000 --> 00:00:12.000",
        f"<v Ben Okafor>For the record, {marker}.",
        "",
        "00:00:13.000 --> 00:00:20.000",
        "<v Ana Lopez>We agreed a fixed fee of $12,000, payable net 30.",
        "",
        "00:00:21.000 --> 00:00:28.000",
        f"<v Ben Okafor>Agreed. We will deliver the audit report by June 30, and {marker}.",
        "",
    ]
    return "\n".join(lines).encode()


def _forms(marker: str) -> list[bytes]:
    """The marker as plain bytes, and as PostgreSQL would show it in a bytea hex dump."""
    raw = marker.encode()
    return [raw, raw.hex().encode(), raw.upper()]


def test_marker_absent_from_pg_dump_and_store(client: TestClient) -> None:  # noqa: F811
    marker = f"the vault phrase is ZEPHYR QUOKKA {uuid.uuid4().hex[:10].upper()}"
    org = make_org("Vault")
    response = upload(client, org, _transcript(marker), title="Vault meeting")
    assert response.status_code == 201, response.text
    meeting_id = response.json()["id"]
    run_until_idle(NextJob("transcript", uuid.UUID(meeting_id), 1))
    legal = org.headers("legal")
    detail = client.get(f"/v1/meetings/{meeting_id}", headers=legal).json()
    assert detail["status"] == "ready", detail
    draft_id = detail["draft_ids"][0]
    for fmt in ("md", "html", "docx", "pdf"):
        export = client.post(f"/v1/drafts/{draft_id}/exports", json={"format": fmt}, headers=legal)
        run_until_idle(NextJob("export", uuid.UUID(export.json()["id"]), 1))
    # The plaintext is there for people allowed to read it …
    segments = client.get(f"/v1/meetings/{meeting_id}/segments", headers=legal).json()["items"]
    assert any(marker in s["text"] for s in segments)
    decisions = client.get(f"/v1/meetings/{meeting_id}/decisions", headers=legal).json()
    assert any(marker in str(d["evidence"]) + d["statement"] for d in decisions)
    version = client.get(f"/v1/drafts/{draft_id}/versions/1", headers=legal).json()
    assert marker in str(version["document"])  # quoted as clause provenance

    # … and nowhere at rest: not in the database …
    url = get_settings().sqlalchemy_url
    pg_dump = find_pg_tool("pg_dump", server_major_version(url))
    dump = subprocess.run(
        [str(pg_dump), "--no-owner", "--data-only", libpq_url(url)],
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout
    assert len(dump) > 10_000
    for form in _forms(marker):
        assert form not in dump, "marker found in pg_dump output"

    # … nor in object storage.
    store = get_store()
    keys = [k for k in store.list_keys(str(org.id))]
    assert any("/source/" in k for k in keys) and any("/exports/" in k for k in keys)
    for key in keys:
        blob = store.get(key)
        for form in _forms(marker):
            assert form not in blob, f"marker found in stored object {key}"
    root = Path(get_settings().LOCAL_STORAGE_DIR)
    if root.is_dir():
        for path in root.rglob("*"):
            if path.is_file() and str(org.id) in str(path):
                assert marker.encode() not in path.read_bytes()
