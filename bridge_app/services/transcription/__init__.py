"""Recordings → timed, attributed segments (the same ``Transcript`` a text upload gives).

- ``is_recording`` routes an upload; ``read_upload`` checks it completely before anything is
  stored (limits from settings, every track decoded once).
- ``transcribe_upload`` transcribes it chunk by chunk with the configured backend (CLI, tests).
- ``stage`` holds the pipeline side: encrypted parts in the object store, chunk checkpoints,
  progress (see ``stage.segments_for_upload``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bridge_app.core.transcript.model import Transcript, TranscriptError
from bridge_app.core.transcript.recording import Phrase, recording_transcript, shift
from bridge_app.settings import Settings, get_settings

from . import audio
from .backends import (
    Backend,
    TranscriptionConfigError,
    TranscriptionUnavailable,
    get_backend,
    local_backend,
)
from .upload import RecordingUpload, Track, is_recording, participant_name, read_upload

__all__ = [
    "Backend",
    "RecordingUpload",
    "Track",
    "TranscriptionConfigError",
    "TranscriptionUnavailable",
    "chunks_of",
    "get_backend",
    "is_recording",
    "local_backend",
    "participant_name",
    "read_upload",
    "transcribe_chunk",
    "transcribe_upload",
    "transcript_of_recording",
]

Progress = Callable[[float], None]


def chunks_of(upload_or_manifest: RecordingUpload | dict) -> list[tuple[int, float, float]]:
    """Every chunk of a recording in order: (track index, start s, end s)."""
    if isinstance(upload_or_manifest, RecordingUpload):
        cut_lists = [t.cuts for t in upload_or_manifest.tracks]
    else:
        cut_lists = [t["cuts"] for t in upload_or_manifest["tracks"]]
    return [
        (index, float(a), float(b))
        for index, cuts in enumerate(cut_lists)
        for a, b in itertools.pairwise(cuts)
        if b > a
    ]


def transcribe_chunk(
    source: object, start: float, end: float, backend: Backend, language: str | None
) -> list[Phrase]:
    """One chunk's phrases on its track's clock."""
    samples = audio.decode_window(source, start, end)  # type: ignore[arg-type]
    return shift(backend.transcribe(samples, language=language or None), start)


def transcribe_upload(
    upload: RecordingUpload,
    *,
    backend: Backend | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Transcript:
    """Transcribe a checked upload in memory; ``progress`` gets the fraction of audio done.

    Raises TranscriptError ``no_speech`` when nothing is recognised.
    """
    settings = settings or get_settings()
    backend = backend or get_backend(settings)
    per_track: list[list[Phrase]] = [[] for _ in upload.tracks]
    done = 0.0
    for index, start, end in chunks_of(upload):
        track = upload.tracks[index]
        per_track[index] += transcribe_chunk(
            track.data, start, end, backend, settings.TRANSCRIPTION_LANGUAGE
        )
        done += end - start
        if progress is not None:
            progress(min(done / upload.audio_s, 1.0) if upload.audio_s else 1.0)
    return recording_transcript(
        [(t.name, phrases) for t, phrases in zip(upload.tracks, per_track, strict=True)],
        turns=upload.turns,
        warnings=upload.warnings,
    )


def transcript_of_recording(
    data: bytes,
    filename: str,
    *,
    speakers: bytes | None = None,
    speakers_filename: str | None = None,
    redact: bool = False,
    settings: Settings | None = None,
) -> Transcript:
    """Check and transcribe a recording in one go (the CLI's path); TranscriptError if bad.

    A backend that cannot work (bad WHISPER_MODEL, server down) is reported as a
    TranscriptError too, so the CLI prints one line and exits 2.
    """
    settings = settings or get_settings()
    upload = read_upload(
        data, filename, speakers=speakers, speakers_filename=speakers_filename, settings=settings
    )
    try:
        transcript = transcribe_upload(upload, settings=settings)
    except (TranscriptionConfigError, TranscriptionUnavailable) as exc:
        raise TranscriptError("transcription_failed", str(exc)) from None
    return redacted(transcript) if redact else transcript


def redacted(transcript: Transcript, region: str = "US") -> Transcript:
    """The transcript with personal data removed, as ``parse_transcript(redact=True)`` does."""
    from dataclasses import replace

    from bridge_app.core.transcript.redact import redact_segments, validate_kinds

    segments, report = redact_segments(transcript.segments, validate_kinds(None), region)
    notes = [*transcript.warnings]
    if report:
        notes.append(f"redacted {len(report)} item(s) of personal data")
    return replace(transcript, segments=segments, redactions=report, warnings=tuple(notes))
