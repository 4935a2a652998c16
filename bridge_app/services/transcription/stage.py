"""The pipeline's side of recordings: store at upload, transcribe in chunks, assemble.

- ``check_upload`` (before anything is stored) and ``store_upload`` (the tracks, encrypted in
  parts, and the manifest in ``meetings.recording``) are what ``submit_meeting`` calls.
- ``transcribe_step`` is the transcript job's work for a recording: chunk after chunk, each
  one's phrases checkpointed (encrypted) in the object store and the progress committed, until
  the job's time budget is spent; then it hands over to a new job, so no job nears its timeout
  and a crash loses one chunk at most. A PostgreSQL advisory lock keeps two jobs (a
  continuation and a reconciler's re-enqueue) from transcribing the same meeting at once.
- ``transcript_for`` assembles the checkpoints into the meeting's ``Transcript``.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from bridge_app.core.stages import Stage
from bridge_app.core.transcript.decode import ZIP_MAGIC
from bridge_app.core.transcript.model import Transcript, TranscriptError
from bridge_app.core.transcript.recording import (
    SpeakerTurn,
    phrases_from_dicts,
    phrases_to_dicts,
    recording_transcript,
)
from bridge_app.models import Meeting
from bridge_app.services import crypto
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.errors import UploadRejected
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import ObjectStore, get_store
from bridge_app.settings import Settings, get_settings

from . import chunks_of, redacted, transcribe_chunk
from .backends import TranscriptionConfigError, get_backend
from .store import EncryptedReader, put_parts
from .upload import RecordingUpload, is_recording, read_upload

SEALED_TURNS = "turns_sealed"


@dataclass(frozen=True, slots=True)
class Step:
    """What the transcript job does next: stop (with an optional continuation) or go on."""

    stop: bool
    next_job: NextJob | None = None


def recording_prefix(meeting: Meeting) -> str:
    return f"{meeting.organization_id}/meetings/{meeting.id}/recording/v{meeting.input_version}"


def _checkpoint_key(prefix: str, index: int) -> str:
    return f"{prefix}/chunks/c{index:05d}"


def check_upload(
    data: bytes,
    filename: str,
    *,
    speakers: bytes | None = None,
    speakers_filename: str | None = None,
) -> RecordingUpload | None:
    """The checked recording, or None for a transcript upload; TranscriptError when bad."""
    if not is_recording(data, filename):
        if speakers:
            raise TranscriptError(
                "bad_option", "a speakers transcript can only be attached to a recording"
            )
        return None
    return read_upload(data, filename, speakers=speakers, speakers_filename=speakers_filename)


def check_upload_or_reject(
    data: bytes, filename: str, *, speakers: tuple[str, bytes] | None = None
) -> RecordingUpload | None:
    """``check_upload`` with the upload's own error type (nothing stored when it raises)."""
    try:
        return check_upload(
            data,
            filename,
            speakers=speakers[1] if speakers else None,
            speakers_filename=speakers[0] if speakers else None,
        )
    except TranscriptError as exc:
        raise UploadRejected(exc.code, exc.message) from exc


def upload_limit(head: bytes, filename: str | None, settings: Settings | None = None) -> int:
    """The size limit for an upload starting with ``head``: recordings have their own."""
    settings = settings or get_settings()
    if head.startswith(ZIP_MAGIC) or is_recording(head, filename):
        return max(settings.MAX_UPLOAD_BYTES, settings.MAX_RECORDING_BYTES)
    return settings.MAX_UPLOAD_BYTES


def store_upload(
    store: ObjectStore, meeting: Meeting, data_key: bytes, upload: RecordingUpload
) -> None:
    """Put every track (encrypted, in parts) and record the manifest on the meeting."""
    prefix = recording_prefix(meeting)
    manifest = upload.manifest()
    tracks: list[dict[str, Any]] = manifest["tracks"]  # type: ignore[assignment]
    for index, (track, entry) in enumerate(zip(upload.tracks, tracks, strict=True)):
        entry["stored"] = put_parts(store, f"{prefix}/t{index}", data_key, track.data)
    # A platform transcript's speaker turns are meeting content: sealed like the segments.
    turns = manifest.pop("turns", [])
    if turns:
        manifest[SEALED_TURNS] = base64.b64encode(
            crypto.encrypt(data_key, json.dumps(turns).encode())
        ).decode()
    meeting.recording = manifest
    meeting.source_object_key = prefix  # the tracks' parts live under it
    meeting.source_format = "recording"
    meeting.participants = []
    meeting.participants_ciphertext = crypto.encrypt(
        data_key, json.dumps(list(upload.participants)).encode()
    )
    meeting.transcription_progress = 0.0


def speaker_turns(manifest: dict[str, Any], data_key: bytes) -> list[dict[str, Any]]:
    """The manifest's speaker turns, opened (a manifest stored before they were sealed holds
    them in plaintext)."""
    if SEALED_TURNS in manifest:
        return list(json.loads(crypto.decrypt(data_key, base64.b64decode(manifest[SEALED_TURNS]))))
    return list(manifest.get("turns", []))


def _done_chunks(store: ObjectStore, prefix: str) -> set[int]:
    done = set()
    for key in store.list_keys(f"{prefix}/chunks/"):
        name = key.rsplit("/", 1)[-1]
        if name.startswith("c") and name[1:].isdigit():
            done.add(int(name[1:]))
    return done


def _lock_id(meeting_id: uuid.UUID) -> int:
    return int.from_bytes(meeting_id.bytes[:8], "big", signed=True)


def transcribe_step(
    meeting_id: uuid.UUID,
    version: int,
    store: ObjectStore | None = None,
    settings: Settings | None = None,
) -> Step:
    """Transcribe the next chunks of a recording meeting (``Step(stop=False)``: go assemble)."""
    settings = settings or get_settings()
    store = store or get_store()
    with session_scope() as session:
        meeting = session.get(Meeting, meeting_id)
        if (
            meeting is None
            or meeting.recording is None
            or meeting.input_version != version
            or meeting.status not in ("uploaded", "ingesting")
            or meeting.data_key_id is None
        ):
            return Step(stop=False)  # not ours to do: the stage's own checks decide
        manifest = dict(meeting.recording)
        data_key = crypto.load_data_key(session, meeting.data_key_id)
        prefix = recording_prefix(meeting)
    with get_engine().connect() as lock:
        held = lock.execute(
            sa.text("SELECT pg_try_advisory_lock(:id)"), {"id": _lock_id(meeting_id)}
        ).scalar()
        lock.commit()
        if not held:
            return Step(stop=True)  # another job is transcribing this meeting right now
        try:
            return _transcribe(meeting_id, version, manifest, data_key, prefix, store, settings)
        finally:
            lock.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": _lock_id(meeting_id)})
            lock.commit()


def _transcribe(
    meeting_id: uuid.UUID,
    version: int,
    manifest: dict[str, Any],
    data_key: bytes,
    prefix: str,
    store: ObjectStore,
    settings: Settings,
) -> Step:
    chunks = chunks_of(manifest)
    done = _done_chunks(store, prefix)
    total = sum(end - start for _, start, end in chunks) or 1.0
    audio_done = sum(end - start for n, (_, start, end) in enumerate(chunks) if n in done)
    started = time.monotonic()
    worked = False
    readers: dict[int, EncryptedReader] = {}
    try:
        backend = get_backend(settings)
    except TranscriptionConfigError as exc:
        from bridge_app.services.pipeline import PermanentStageError

        raise PermanentStageError(f"transcription_failed: {exc}") from exc
    for index, (track, start, end) in enumerate(chunks):
        if index in done:
            continue
        if worked and time.monotonic() - started > settings.TRANSCRIPTION_JOB_BUDGET_S:
            return Step(
                stop=True, next_job=NextJob(Stage.transcript, meeting_id, version, part=index)
            )
        reader = readers.get(track)
        if reader is None:
            reader = readers[track] = EncryptedReader(
                store, manifest["tracks"][track]["stored"], data_key
            )
        try:
            phrases = transcribe_chunk(reader, start, end, backend, settings.TRANSCRIPTION_LANGUAGE)
        except TranscriptionConfigError as exc:
            from bridge_app.services.pipeline import PermanentStageError

            raise PermanentStageError(f"transcription_failed: {exc}") from exc
        store.put(
            _checkpoint_key(prefix, index),
            crypto.encrypt(data_key, json.dumps(phrases_to_dicts(phrases)).encode()),
            content_type="application/octet-stream",
        )
        worked = True
        audio_done += end - start
        _report_progress(meeting_id, version, audio_done / total)
    return Step(stop=False)


def _report_progress(meeting_id: uuid.UUID, version: int, fraction: float) -> None:
    """Commit the share done now, so the meeting page shows it while the job runs."""
    with session_scope() as session:
        session.execute(
            sa.update(Meeting)
            .where(col(Meeting.id) == meeting_id, col(Meeting.input_version) == version)
            .values(transcription_progress=round(min(fraction, 1.0), 4), updated_at=sa.func.now())
        )


def transcript_for(meeting: Meeting, data_key: bytes, store: ObjectStore) -> Transcript | None:
    """The transcribed recording from its checkpoints (None when the meeting is no recording).

    Raises TranscriptError ``no_speech`` when nothing was recognised.
    """
    if meeting.recording is None:
        return None
    manifest = meeting.recording
    prefix = recording_prefix(meeting)
    tracks = manifest["tracks"]
    per_track: list[list[Any]] = [[] for _ in tracks]
    for index, (track, _start, _end) in enumerate(chunks_of(manifest)):
        blob = store.get(_checkpoint_key(prefix, index))
        per_track[track] += phrases_from_dicts(json.loads(crypto.decrypt(data_key, blob)))
    turns = [
        SpeakerTurn(t["speaker"], t["start"], t["end"]) for t in speaker_turns(manifest, data_key)
    ]
    transcript = recording_transcript(
        [(entry["name"], phrases) for entry, phrases in zip(tracks, per_track, strict=True)],
        turns=turns,
        warnings=manifest.get("warnings", []),
    )
    meeting.transcription_progress = 1.0
    return redacted(transcript) if meeting.redact else transcript


def track_reader(meeting: Meeting, track: int, data_key: bytes, store: ObjectStore) -> Any:
    """A seekable reader over one stored track (for playback)."""
    entry = (meeting.recording or {}).get("tracks", [])[track]
    return EncryptedReader(store, entry["stored"], data_key), entry
