"""What a recording upload is: one audio/video file, or a ZIP of per-participant tracks.

Everything is checked here, before anything is stored: size, declared duration (header only),
then a full decode of every track (truncation, zero length, silence, the real duration). An
optional platform transcript (VTT/SRT...) of the same meeting gives the speakers' names.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from bridge_app.core.transcript import parse_transcript
from bridge_app.core.transcript.decode import ZIP_MAGIC, sniff_binary
from bridge_app.core.transcript.model import TranscriptError
from bridge_app.core.transcript.recording import SpeakerTurn, plan_cuts, turns_from_transcript
from bridge_app.settings import Settings, get_settings

from . import audio

#: A meeting with more separately recorded participants than this is not a meeting upload.
MAX_TRACKS = 32
_TRANSCRIPT_EXTENSIONS = frozenset({"vtt", "srt", "txt", "json", "docx"})
_MP3_SYNC = re.compile(rb"\A\xff[\xe0-\xff]")


@dataclass(frozen=True, slots=True)
class Track:
    """One audio file of the upload, checked; ``name`` is its participant (None: unknown)."""

    name: str | None
    filename: str
    data: bytes = field(repr=False)
    duration_s: float
    cuts: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class RecordingUpload:
    tracks: tuple[Track, ...]
    turns: tuple[SpeakerTurn, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        return max(t.duration_s for t in self.tracks)

    @property
    def audio_s(self) -> float:
        """Audio to transcribe: every track counts (progress is measured in it)."""
        return sum(t.duration_s for t in self.tracks)

    @property
    def participants(self) -> tuple[str, ...]:
        names = [t.name for t in self.tracks if t.name]
        names += [turn.speaker for turn in self.turns]
        return tuple(dict.fromkeys(names))

    def manifest(self) -> dict[str, object]:
        """What is kept about the recording (in the meeting row) besides the audio itself."""
        return {
            "duration_s": round(self.duration_s, 3),
            "audio_s": round(self.audio_s, 3),
            "tracks": [
                {
                    "name": t.name,
                    "filename": t.filename,
                    "duration_s": round(t.duration_s, 3),
                    "size": len(t.data),
                    "content_type": content_type(t.filename),
                    "cuts": list(t.cuts),
                }
                for t in self.tracks
            ],
            "turns": [{"speaker": s.speaker, "start": s.start, "end": s.end} for s in self.turns],
            "warnings": list(self.warnings),
            "speakers_from": "tracks"
            if any(t.name for t in self.tracks)
            else ("transcript" if self.turns else None),
        }


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return filename.rsplit(".", 1)[1].strip().lower()


def content_type(filename: str) -> str:
    return {
        "wav": "audio/wav",
        "mp3": "audio/mpeg",
        "m4a": "audio/mp4",
        "aac": "audio/aac",
        "mp4": "video/mp4",
        "m4v": "video/mp4",
        "mov": "video/quicktime",
        "webm": "audio/webm",
        "ogg": "audio/ogg",
        "oga": "audio/ogg",
        "opus": "audio/ogg",
        "flac": "audio/flac",
        "mkv": "video/x-matroska",
    }.get(_extension(filename), "application/octet-stream")


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def is_recording(data: bytes, filename: str | None) -> bool:
    """Route an upload: audio/video content or name, or a ZIP of audio tracks (not a .docx)."""
    if data.startswith(ZIP_MAGIC):
        names = _zip_names(data) or []
        if "word/document.xml" in names:
            return False
        return any(_extension(n) in audio.AUDIO_EXTENSIONS for n in names)
    what = sniff_binary(data[:64])
    if what is not None and any(w in what for w in ("audio", "video", "Matroska", "media")):
        return True
    if _MP3_SYNC.match(data[:2]):
        return True
    return _extension(filename) in audio.AUDIO_EXTENSIONS


def participant_name(filename: str) -> str | None:
    """The participant a track file is named after ("audioAliceJones21.m4a" → "Alice Jones")."""
    stem = PurePosixPath(filename).name.rsplit(".", 1)[0]
    stem = re.sub(r"^(?:audio|track)(?=[A-Z_\-\s])", "", stem)  # Zoom's "audio<Name><id>"
    stem = re.sub(r"^\d+[\s_.\-]+", "", stem)  # "01 - Alice"
    stem = re.sub(r"[\s_\-]*\d+$", "", stem)  # trailing ids
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem)  # AliceJones
    name = " ".join(re.sub(r"[_\-.]+", " ", stem).split())
    if not name or not any(ch.isalpha() for ch in name):
        return None
    return name.title() if name.islower() else name


def read_upload(
    data: bytes,
    filename: str,
    *,
    speakers: bytes | None = None,
    speakers_filename: str | None = None,
    settings: Settings | None = None,
) -> RecordingUpload:
    """Check a recording upload completely; raises TranscriptError with a clear message."""
    settings = settings or get_settings()
    if len(data) == 0:
        raise TranscriptError("empty", "the recording is empty (zero bytes)")
    if len(data) > settings.MAX_RECORDING_BYTES:
        raise TranscriptError(
            "too_large",
            f"the recording is {len(data) / 1e6:.0f} MB; the limit is "
            f"{settings.MAX_RECORDING_BYTES / 1e6:.0f} MB",
        )
    warnings: list[str] = []
    turns: list[SpeakerTurn] = []
    if data.startswith(ZIP_MAGIC):
        files, transcript_file = _unzip(data, settings, warnings)
        named = len(files) > 1
        if transcript_file is not None and speakers is None:
            speakers_filename, speakers = transcript_file
    else:
        files, named = [(PurePosixPath(filename or "recording").name, data)], False
    if speakers is not None:
        turns = _turns(speakers, speakers_filename)
        if named:
            warnings.append("speakers come from the track names; the attached transcript is unused")
            turns = []
    tracks: list[Track] = []
    for name, blob in files:
        try:
            found = audio.scan(blob, max_seconds=settings.MAX_RECORDING_SECONDS)
        except TranscriptError as exc:
            if len(files) == 1:
                raise
            raise TranscriptError(exc.code, f"track {name}: {exc.message}") from None
        if found.silent:
            if len(files) == 1:
                raise TranscriptError(
                    "silent", "the recording is silent (no sound at all); nothing to transcribe"
                )
            warnings.append(f"track {name} is silent; it was left out")
            continue
        cuts = plan_cuts(found.energy, audio.FRAME_S, settings.TRANSCRIPTION_CHUNK_S)
        person = participant_name(name) if named else None
        tracks.append(Track(person, name, blob, found.duration_s, tuple(cuts)))
    if not tracks:
        raise TranscriptError("silent", "every track of the recording is silent")
    if max(t.duration_s for t in tracks) > settings.MAX_RECORDING_SECONDS:
        raise TranscriptError("too_long", "the recording is longer than the limit")
    return RecordingUpload(tuple(tracks), tuple(turns), tuple(warnings))


def _turns(data: bytes, filename: str | None) -> list[SpeakerTurn]:
    try:
        transcript = parse_transcript(data, filename=filename)
    except TranscriptError as exc:
        raise TranscriptError(exc.code, f"the speakers transcript: {exc.message}") from None
    turns = turns_from_transcript(transcript)
    if not turns:
        raise TranscriptError(
            "no_speakers", "the attached transcript names no speakers with timings"
        )
    return turns


def _unzip(
    data: bytes, settings: Settings, warnings: list[str]
) -> tuple[list[tuple[str, bytes]], tuple[str, bytes] | None]:
    """Audio members (name, bytes) of a tracks ZIP, and a transcript member if there is one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TranscriptError(
            "bad_zip", "the ZIP archive is damaged or cut off and cannot be read"
        ) from None
    files: list[tuple[str, bytes]] = []
    transcript: tuple[str, bytes] | None = None
    total = 0
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir()
            and not PurePosixPath(m.filename).name.startswith(".")
            and not m.filename.startswith("__MACOSX/")
        ]
        for member in members:
            name = PurePosixPath(member.filename).name
            ext = _extension(name)
            if ext not in audio.AUDIO_EXTENSIONS and ext not in _TRANSCRIPT_EXTENSIONS:
                warnings.append(f"{name} in the ZIP is neither audio nor a transcript; ignored")
                continue
            total += member.file_size
            if total > settings.MAX_RECORDING_BYTES:
                raise TranscriptError(
                    "too_large",
                    "the ZIP unpacks to more than the recording limit of "
                    f"{settings.MAX_RECORDING_BYTES / 1e6:.0f} MB",
                )
            try:
                blob = archive.read(member)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                raise TranscriptError(
                    "bad_zip", f"{name} in the ZIP is damaged and cannot be unpacked"
                ) from None
            if ext in audio.AUDIO_EXTENSIONS:
                files.append((name, blob))
            elif transcript is None:
                transcript = (name, blob)
    if not files:
        raise TranscriptError("no_audio", "the ZIP holds no audio files")
    if len(files) > MAX_TRACKS:
        raise TranscriptError(
            "too_many_tracks", f"the ZIP holds {len(files)} tracks; the limit is {MAX_TRACKS}"
        )
    if len({participant_name(n) for n, _ in files}) < len(files) and len(files) > 1:
        raise TranscriptError(
            "duplicate_tracks",
            "two tracks in the ZIP are named after the same participant; rename them",
        )
    return sorted(files), transcript
