"""Parsing cost (issue 15, item 2): the upload request only checks size and type and stores
the file; the transcript worker parses it, within bounds on the expanded DOCX part, the line
count and the segment count, and a bad file fails the meeting with the parser's message."""

from __future__ import annotations

import io
import os
import uuid
import zipfile

from fastapi.testclient import TestClient
from sqlmodel import select

from bridge_app.core.transcript.limits import DOCX_MAX_PART_BYTES, MAX_LINES
from bridge_app.models import Meeting, TranscriptSegment
from bridge_app.services.queue import NextJob
from tests.api.conftest import upload
from tests.api.support import Org, run_until_idle, session

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _expanding_docx(expanded_bytes: int) -> bytes:
    """A .docx whose main part expands to `expanded_bytes` of (nearly) empty paragraphs, with
    a compression ratio low enough to pass the ZIP ratio check."""
    head = f'<w:document xmlns:w="{W}"><w:body>'.encode()
    chunk = []
    size = len(head)
    while size < expanded_bytes:
        para = f'<w:p w:rsidR="{os.urandom(4).hex()}"/>'.encode()
        chunk.append(para)
        size += len(para)
    xml = head + b"".join(chunk) + b"</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def _upload(client: TestClient, org: Org, data: bytes, name: str) -> str:
    response = client.post(
        "/v1/meetings",
        files={"file": (name, data, "application/octet-stream")},
        data={"title": "Hostile", "redact": "false"},
        headers=org.headers("legal"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _after_worker(meeting_id: str) -> Meeting:
    run_until_idle(NextJob("transcript", uuid.UUID(meeting_id), 1))
    with session() as s:
        meeting = s.get(Meeting, uuid.UUID(meeting_id))
        assert meeting is not None
        segments = s.exec(
            select(TranscriptSegment).where(TranscriptSegment.meeting_id == meeting.id)
        ).all()
    assert segments == []
    return meeting


def test_docx_expanding_past_the_part_limit_fails_in_the_worker(
    client: TestClient, org_a: Org
) -> None:
    data = _expanding_docx(DOCX_MAX_PART_BYTES + 1024 * 1024)
    assert len(data) < 25 * 1024 * 1024
    meeting_id = _upload(client, org_a, data, "bomb.docx")  # stored, not parsed in the request
    with session() as s:
        stored = s.get(Meeting, uuid.UUID(meeting_id))
        assert stored is not None and stored.status == "uploaded"
    meeting = _after_worker(meeting_id)
    assert meeting.status == "failed"
    assert "zip_bomb" in (meeting.failure_reason or ""), meeting.failure_reason


def test_millions_of_lines_fail_in_the_worker_not_the_request(
    client: TestClient, org_a: Org
) -> None:
    data = b"A: x\n" * (MAX_LINES + 10)
    meeting_id = _upload(client, org_a, data, "lines.txt")
    meeting = _after_worker(meeting_id)
    assert meeting.status == "failed"
    assert "too_many_lines" in (meeting.failure_reason or ""), meeting.failure_reason


def test_request_still_refuses_wrong_type_and_size(client: TestClient, org_a: Org) -> None:
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(64)
    response = upload(client, org_a, png)
    assert response.status_code == 422 and response.json()["code"] == "binary"
