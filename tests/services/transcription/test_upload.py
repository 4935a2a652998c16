"""Recording uploads: routing, every container, tracks and speakers, and bad input refused."""

from __future__ import annotations

import io
import itertools
import zipfile

import numpy as np
import pytest

from bridge_app.core.transcript.model import TranscriptError
from bridge_app.services import transcription
from bridge_app.services.transcription import audio
from bridge_app.settings import Settings
from tests import speech


def refused(data: bytes, filename: str, **kwargs: object) -> TranscriptError:
    with pytest.raises(TranscriptError) as err:
        transcription.read_upload(data, filename, **kwargs)  # type: ignore[arg-type]
    assert err.value.message  # a sentence a person can act on
    return err.value


@pytest.mark.parametrize("fmt", ["wav", "mp3", "m4a", "ogg", "webm", "flac"])
def test_every_container_is_read_to_its_real_duration(
    negotiation: speech.Conversation, fmt: str
) -> None:
    data = speech.encode(negotiation.mix, fmt)
    assert transcription.is_recording(data, f"call.{fmt}")
    upload = transcription.read_upload(data, f"call.{fmt}")
    assert upload.duration_s == pytest.approx(negotiation.duration_s, abs=0.1)
    assert [t.name for t in upload.tracks] == [None]


def test_transcripts_and_word_files_are_not_recordings() -> None:
    assert not transcription.is_recording(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", "a.vtt")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert not transcription.is_recording(docx.getvalue(), "minutes.docx")


def test_a_zip_of_tracks_names_the_speakers(negotiation: speech.Conversation) -> None:
    data = speech.tracks_zip(negotiation, extra={"notes.pdf": b"%PDF-1.4"})
    upload = transcription.read_upload(data, "meeting.zip")
    assert [t.name for t in upload.tracks] == ["Alice Morgan", "Bob Fischer"]
    assert upload.participants == ("Alice Morgan", "Bob Fischer")
    assert any("notes.pdf" in w for w in upload.warnings)
    assert upload.manifest()["speakers_from"] == "tracks"


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("audioAliceJones21514.m4a", "Alice Jones"),
        ("02 - priya_natarajan.wav", "Priya Natarajan"),
        ("Omar Haddad.webm", "Omar Haddad"),
        ("1234.wav", None),
    ],
)
def test_participant_names_from_track_files(filename: str, name: str | None) -> None:
    assert transcription.participant_name(filename) == name


def test_an_attached_platform_transcript_gives_the_speakers(
    negotiation: speech.Conversation,
) -> None:
    upload = transcription.read_upload(
        speech.encode(negotiation.mix, "mp3"),
        "call.mp3",
        speakers=speech.speakers_vtt(negotiation),
        speakers_filename="call.vtt",
    )
    assert {t.speaker for t in upload.turns} == {"Alice Morgan", "Bob Fischer"}
    assert upload.manifest()["speakers_from"] == "transcript"
    err = refused(speech.encode(negotiation.mix), "call.wav", speakers=b"just some notes\n")
    assert err.code == "no_speakers"


def test_zero_length_and_silence_are_refused() -> None:
    assert refused(b"", "call.m4a").code == "empty"
    assert refused(speech.encode(speech.silence(3.0)), "call.wav").code == "silent"


def test_a_cut_off_file_is_refused(negotiation: speech.Conversation) -> None:
    wav = speech.encode(negotiation.mix, "wav")
    err = refused(wav[: len(wav) // 2], "call.wav")
    assert err.code == "truncated"
    assert "cut off" in err.message
    m4a = speech.encode(negotiation.mix, "m4a")
    assert refused(m4a[: len(m4a) // 2], "call.m4a").code in ("truncated", "not_audio")


def test_non_audio_and_wrong_containers_are_refused() -> None:
    assert refused(b"%PDF-1.7\n" + b"x" * 4000, "call.mp3").code == "not_audio"
    assert refused(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", "call.wav").code in (
        "not_audio",
        "empty",
    )
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    assert refused(png, "call.m4a").code in ("not_audio", "no_audio")
    broken_zip = speech.tracks_zip(speech.conversation((("Alice Morgan", "Hello."),)))
    assert refused(broken_zip[:200], "tracks.zip").code == "bad_zip"


def test_limits_apply_before_decoding(negotiation: speech.Conversation) -> None:
    data = speech.encode(negotiation.mix, "mp3")
    small = Settings(MAX_RECORDING_BYTES=len(data) - 1)
    assert refused(data, "call.mp3", settings=small).code == "too_large"
    short = Settings(MAX_RECORDING_SECONDS=10)
    err = refused(data, "call.mp3", settings=short)
    assert err.code == "too_long" and "limit" in err.message
    # The header is enough: probe refuses without decoding a single frame.
    with pytest.raises(TranscriptError):
        audio.probe(data, max_seconds=10)


def test_chunk_cuts_cover_long_audio_without_gaps(negotiation: speech.Conversation) -> None:
    data = speech.encode(np.concatenate([negotiation.mix] * 4), "mp3")
    upload = transcription.read_upload(
        data, "long.mp3", settings=Settings(TRANSCRIPTION_CHUNK_S=30)
    )
    chunks = transcription.chunks_of(upload)
    assert len(chunks) >= 4
    assert chunks[0][1] == 0.0
    assert chunks[-1][2] == pytest.approx(upload.duration_s, abs=0.1)
    assert all(a[2] == b[1] for a, b in itertools.pairwise(chunks))


def test_a_window_decodes_exactly_the_asked_samples(negotiation: speech.Conversation) -> None:
    data = speech.encode(negotiation.mix, "flac")
    window = audio.decode_window(data, 10.0, 12.5)
    assert window.size == int(2.5 * audio.SAMPLE_RATE)
    expected = negotiation.mix[10 * audio.SAMPLE_RATE : int(12.5 * audio.SAMPLE_RATE)]
    assert np.max(np.abs(window - expected)) < 1e-3
