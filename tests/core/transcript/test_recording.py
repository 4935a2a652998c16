"""Pure recording logic: chunk cuts in pauses, one timeline from tracks, speakers by overlap."""

from __future__ import annotations

import itertools

import pytest

from bridge_app.core.transcript.model import TranscriptError
from bridge_app.core.transcript.recording import (
    UNNAMED_SPEAKER,
    Phrase,
    SpeakerTurn,
    plan_cuts,
    recording_transcript,
    shift,
    speaker_for,
)


def test_cuts_fall_in_the_quietest_frame_near_each_mark() -> None:
    energy = [1.0] * 300  # 30 s of 100 ms frames, loud throughout ...
    energy[97] = 0.0  # ... except a pause at 9.7 s, within 5 s of the 10 s mark
    energy[205] = 0.01  # and a near-pause at 20.5 s
    cuts = plan_cuts(energy, 0.1, chunk_s=10, search_s=1.0)
    assert cuts[0] == 0.0 and cuts[-1] == 30.0
    assert cuts[1] == pytest.approx(9.7)
    assert cuts[2] == pytest.approx(20.5)
    assert all(b > a for a, b in itertools.pairwise(cuts))


def test_short_audio_is_one_chunk() -> None:
    assert plan_cuts([0.5] * 120, 0.1, chunk_s=60) == [0.0, 12.0]


def test_tracks_merge_into_one_timeline_with_their_speakers() -> None:
    transcript = recording_transcript(
        [
            ("Alice", [Phrase(0.5, 2.0, "Hello."), Phrase(6.0, 8.0, "Agreed.")]),
            ("Bob", [Phrase(3.0, 5.0, "The price is 38,000 dollars.")]),
        ]
    )
    assert [(s.speaker, s.start) for s in transcript.segments] == [
        ("Alice", 0.5),
        ("Bob", 3.0),
        ("Alice", 6.0),
    ]
    assert transcript.participants == ("Alice", "Bob")
    assert transcript.format == "recording"


def test_speakers_come_from_the_overlapping_turn() -> None:
    turns = [SpeakerTurn("Dana", 0.0, 4.0), SpeakerTurn("Priya", 4.2, 9.0)]
    assert speaker_for(Phrase(3.5, 6.0, "x"), turns) == "Priya"  # 1.8 s vs 0.5 s
    assert speaker_for(Phrase(0.2, 3.0, "x"), turns) == "Dana"
    assert speaker_for(Phrase(20.0, 21.0, "x"), turns) == "Priya"  # none overlap: nearest
    unnamed = recording_transcript([(None, [Phrase(1, 2, "Hi there.")])])
    assert unnamed.segments[0].speaker == UNNAMED_SPEAKER


def test_nothing_recognised_is_no_speech() -> None:
    with pytest.raises(TranscriptError) as err:
        recording_transcript([("Alice", [Phrase(0, 1, "  ")]), ("Bob", [])])
    assert err.value.code == "no_speech"


def test_shift_moves_chunk_phrases_to_the_track_clock() -> None:
    assert shift([Phrase(1.0, 2.5, "a")], 60.0) == [Phrase(61.0, 62.5, "a")]
