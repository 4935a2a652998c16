"""Redaction (issue 15, item 12): with redaction on, the unredacted upload does not stay in
the object store after ingest, and a re-run of the stage reads the redacted copy the same."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import col, select

from bridge_app.models import Meeting, TranscriptSegment
from bridge_app.services import crypto
from bridge_app.services.meeting_data import data_key, load_segments
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import get_store
from tests.api.conftest import client, queue_redis_url, upload  # noqa: F401  (fixtures)
from tests.api.support import make_org, run_until_idle, session

EMAIL = "dana.whitfield@northwind-private.example"
PHONE = "+1 415 555 0199"


def _vtt() -> bytes:
    return (
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n"
        f"<v Ana Lopez>Send the invoice to {EMAIL} or call {PHONE}.\n\n"
        "00:00:06.000 --> 00:00:09.000\n<v Ben Okafor>Agreed, a fixed fee of $12,000.\n"
    ).encode()


def test_original_is_replaced_after_ingest(client: TestClient) -> None:  # noqa: F811
    org = make_org("Redacted")
    response = upload(client, org, _vtt(), redact="true")
    assert response.status_code == 201, response.text
    meeting_id = uuid.UUID(response.json()["id"])
    run_until_idle(NextJob("transcript", meeting_id, 1))
    with session() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and meeting.source_object_key
        key = data_key(s, meeting)
        stored = crypto.decrypt(key, get_store().get(meeting.source_object_key))
        before = [(seg.segment_id, seg.text) for seg in load_segments(s, meeting, key)]
    assert EMAIL.encode() not in stored and b"555 0199" not in stored
    assert all(EMAIL not in text for _, text in before)
    # The stage run again (a retry) reads the redacted copy into the same segments.
    with session() as s:
        s.exec(select(TranscriptSegment).where(col(TranscriptSegment.meeting_id) == meeting_id))
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.status = "uploaded"
        s.add(meeting)
        s.commit()
    run_until_idle(NextJob("transcript", meeting_id, 1))
    with session() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None
        after = [(seg.segment_id, seg.text) for seg in load_segments(s, meeting)]
    assert after == before
