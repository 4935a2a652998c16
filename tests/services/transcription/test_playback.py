"""Which track plays a moment once the speakers of a per-participant recording are corrected:
the track the words were transcribed from, whatever the speaker is called now."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bridge_app.models import Meeting, TranscriptSegment
from bridge_app.services import corrections, crypto
from bridge_app.services.principal import Principal
from bridge_app.services.transcription.playback import segment_tracks, track_of_speaker
from bridge_app.state import data
from tests.factories import make_org, make_user

pytestmark = pytest.mark.services

LINES = [("Alice Morgan", "We propose forty thousand."), ("Bob Fischer", "Thirty six?")] * 2


def _recorded_meeting(session: Session) -> tuple[Meeting, Principal]:
    org = make_org(session, "Tracks")
    user = make_user(session, org, role="legal")
    key_row = crypto.create_data_key(session, org.id)
    key = crypto.data_key(key_row)
    meeting = Meeting(
        organization_id=org.id,
        data_key_id=key_row.id,
        status="ready",
        source_format="recording",
        recording={"tracks": [{"name": "Alice Morgan"}, {"name": "Bob Fischer"}]},
    )
    session.add(meeting)
    session.flush()
    for position, (speaker, text) in enumerate(LINES):
        session.add(
            TranscriptSegment(
                organization_id=org.id,
                meeting_id=meeting.id,
                position=position,
                segment_key=f"s{position}",
                speaker_ciphertext=crypto.encrypt_text(key, speaker),
                start_s=position * 5.0,
                end_s=position * 5.0 + 4,
                text_ciphertext=crypto.encrypt_text(key, text),
            )
        )
    session.flush()
    return meeting, Principal(user.id, org.id, "legal", user.email)


def test_renamed_and_reassigned_speakers_play_from_their_own_track(session: Session) -> None:
    meeting, legal = _recorded_meeting(session)
    assert segment_tracks(session, meeting) == {}  # as transcribed: by name
    assert [track_of_speaker(meeting, s) for s, _ in LINES] == [0, 1, 0, 1]

    corrections.rename_speaker(
        session,
        principal=legal,
        meeting_id=meeting.id,
        version=1,
        speaker="Bob Fischer",
        name="Robert Fischer",
        reason="full name",
    )
    meeting.status = "ready"  # as if the re-run had finished
    corrections.merge_speakers(
        session,
        principal=legal,
        meeting_id=meeting.id,
        version=2,
        speaker="Robert Fischer",
        into="Alice Morgan",
        reason="a test of the tracks",
    )
    assert segment_tracks(session, meeting) == {"s0": 0, "s1": 1, "s2": 0, "s3": 1}
    detail = data.meeting_detail(session, meeting.organization_id, str(meeting.id))
    assert detail is not None
    assert [(s["speaker"], s["track"]) for s in detail["segments"]] == [
        ("Alice Morgan", 0),
        ("Alice Morgan", 1),  # Bob's words, on Bob's track, under the merged name
        ("Alice Morgan", 0),
        ("Alice Morgan", 1),
    ]
