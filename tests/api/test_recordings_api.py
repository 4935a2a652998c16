"""Recordings over the API: upload, bad ones refused with nothing stored, playback links for
members only, and the decrypted audio served with byte ranges."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bridge_app.models import Meeting
from bridge_app.services import crypto
from bridge_app.services.db import session_scope
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import get_store
from tests import speech
from tests.api.support import Org, make_org, run_until_idle


@pytest.fixture(scope="module")
def recording() -> bytes:
    return speech.encode(speech.say("We agree on thirty eight thousand dollars.", "en-us"), "mp3")


def post(client: TestClient, org: Org, name: str, data: bytes, **files: tuple) -> object:
    return client.post(
        "/v1/meetings",
        files={"file": (name, data, "application/octet-stream"), **files},
        data={"title": "Call", "redact": "false"},
        headers=org.headers("legal"),
    )


def _meetings(org: Org) -> int:
    with session_scope() as s:
        return int(
            s.execute(
                sa.select(sa.func.count())
                .select_from(Meeting)
                .where(Meeting.organization_id == org.id)  # type: ignore[arg-type]
            ).scalar_one()
        )


def test_a_recording_upload_is_stored_encrypted_and_plays_back_in_ranges(
    client: TestClient, recording: bytes
) -> None:
    org = make_org("Recorder")
    response = post(client, org, "call.mp3", recording)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    meeting = response.json()  # type: ignore[attr-defined]
    assert meeting["source_format"] == "recording"
    assert meeting["transcription_progress"] == 0.0
    stored = [k for k in get_store().list_keys(f"{org.id}/meetings/{meeting['id']}/")]
    assert stored and all("/recording/v1/t0/p" in k for k in stored)
    assert all(recording[:512] not in get_store().get(k) for k in stored)

    links = client.get(f"/v1/meetings/{meeting['id']}/recording", headers=org.headers("viewer"))
    assert links.status_code == 200, links.text
    track = links.json()["tracks"][0]
    assert track["content_type"] == "audio/mpeg" and track["duration_s"] > 1
    whole = client.get(track["url"])
    assert whole.status_code == 200 and whole.content == recording
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get(track["url"], headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.content == recording[100:1100]
    assert part.headers["content-range"] == f"bytes 100-1099/{len(recording)}"
    tail = client.get(track["url"], headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == recording[-10:]
    beyond = client.get(track["url"], headers={"Range": f"bytes={len(recording) + 5}-"})
    assert beyond.status_code == 416


def test_playback_is_for_signed_in_members_only(client: TestClient, recording: bytes) -> None:
    org, other = make_org("Owner"), make_org("Stranger")
    meeting_id = post(client, org, "call.mp3", recording).json()["id"]  # type: ignore[attr-defined]
    assert client.get(f"/v1/meetings/{meeting_id}/recording").status_code == 401
    assert (
        client.get(f"/v1/meetings/{meeting_id}/recording", headers=other.headers("admin"))
    ).status_code == 404
    url = client.get(f"/v1/meetings/{meeting_id}/recording", headers=org.headers("viewer")).json()[
        "tracks"
    ][0]["url"]
    assert client.get(url.replace("sig=", "sig=x")).status_code == 404
    forged_user = url.replace(str(org.users["viewer"].id), str(other.users["admin"].id))
    assert client.get(forged_user).status_code == 404
    assert client.get(url.split("?")[0]).status_code == 422
    # Membership is checked on every request: a removed member's link stops working.
    from bridge_app.models import Membership

    with session_scope() as s:
        s.execute(
            sa.delete(Membership).where(
                Membership.user_id == org.users["viewer"].id  # type: ignore[arg-type]
            )
        )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("call.m4a", b"", "empty"),
        ("call.mp3", b"%PDF-1.7 this is a document, not audio" * 40, "not_audio"),
        ("quiet.wav", speech.encode(speech.silence(2.0)), "silent"),
    ],
)
def test_bad_recordings_are_refused_with_nothing_stored(
    client: TestClient, name: str, data: bytes, code: str
) -> None:
    org = make_org(f"Bad-{uuid.uuid4().hex[:4]}")
    response = post(client, org, name, data)
    assert response.status_code in (413, 422), response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["detail"]
    assert code in body.get("code", "") or code in body["detail"] or response.status_code == 422
    assert _meetings(org) == 0
    assert get_store().list_keys(f"{org.id}/") == []


def test_a_speakers_transcript_needs_a_recording(client: TestClient) -> None:
    org = make_org("Speakers")
    vtt = b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Dana>Hello.\n"
    response = post(client, org, "notes.vtt", vtt, speakers=("s.vtt", vtt, "text/vtt"))
    assert response.status_code == 422
    assert "recording" in response.json()["detail"]  # type: ignore[attr-defined]


def test_an_attached_transcripts_speakers_are_sealed_at_rest(client: TestClient) -> None:
    """The platform transcript's speaker turns and the participants are meeting content: the
    meeting row holds them only as ciphertext (the transcript stage opens them)."""
    from bridge_app.services.meeting_data import participants_of
    from bridge_app.services.transcription.stage import speaker_turns

    org = make_org("SealedTurns")
    conv = speech.conversation()
    response = post(
        client,
        org,
        "call.mp3",
        speech.encode(conv.mix, "mp3"),
        speakers=("call.vtt", speech.speakers_vtt(conv), "text/vtt"),
    )
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    with session_scope() as s:
        meeting = s.get(Meeting, uuid.UUID(response.json()["id"]))  # type: ignore[attr-defined]
        assert meeting is not None and meeting.recording is not None
        assert "Alice Morgan" not in str(meeting.recording) and "turns" not in meeting.recording
        assert meeting.participants == [] and meeting.participants_ciphertext
        assert participants_of(meeting) == ["Alice Morgan", "Bob Fischer"]
        key = crypto.load_data_key(s, meeting.data_key_id)  # type: ignore[arg-type]
        turns = speaker_turns(meeting.recording, key)
    assert {t["speaker"] for t in turns} == {"Alice Morgan", "Bob Fischer"}
    assert len(turns) == len(conv.starts)
    # The transcript stage opens them: the segments get the platform transcript's speakers.
    meeting_id = uuid.UUID(response.json()["id"])  # type: ignore[attr-defined]
    run_until_idle(NextJob("transcript", meeting_id, 1), limit=20)
    segments = client.get(f"/v1/meetings/{meeting_id}/segments", headers=org.headers("viewer"))
    speakers = {s["speaker"] for s in segments.json()["items"]}
    assert speakers == {"Alice Morgan", "Bob Fischer"}, segments.text
