"""Decoding recordings with PyAV: probe (limits first), scan (check every byte decodes), windows.

Audio is handled as 16 kHz mono float32 (what Whisper takes). Nothing here holds a whole
recording in memory: ``scan`` streams through it keeping a 100 ms energy profile, and
``decode_window`` seeks to the part it needs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import av
import numpy as np

from bridge_app.core.transcript.model import TranscriptError

SAMPLE_RATE = 16_000
FRAME_S = 0.1
#: Peak below this (about -80 dBFS) is digital silence, not a quiet voice.
SILENCE_PEAK = 1e-4
#: A file declaring more audio than it holds by more than this is cut off.
TRUNCATION_TOLERANCE_S = 1.0

#: Extensions people give recordings (the content decides; these only route the upload).
AUDIO_EXTENSIONS = frozenset(
    {"wav", "mp3", "m4a", "aac", "mp4", "m4v", "mov", "webm", "ogg", "oga", "opus", "flac", "mkv"}
)


@dataclass(frozen=True, slots=True)
class Probe:
    """What the container header says, before any decoding."""

    container: str
    codec: str
    declared_s: float | None


@dataclass(frozen=True, slots=True)
class Scan:
    """What a full decode found."""

    probe: Probe
    duration_s: float
    peak: float
    energy: tuple[float, ...]

    @property
    def silent(self) -> bool:
        return self.peak < SILENCE_PEAK


def _open(source: bytes | IO[bytes]) -> Any:
    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        return av.open(handle, mode="r", metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise TranscriptError(
            "not_audio",
            "the file could not be opened as audio or video "
            f"(it is damaged, cut off, or not a recording: {_reason(exc)})",
        ) from None


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.split(":")[0].strip().rstrip(".").lower() or type(exc).__name__


def _audio_stream(container: Any) -> Any:
    streams = [s for s in container.streams if s.type == "audio"]
    if not streams:
        kinds = sorted({s.type for s in container.streams})
        what = f"only {', '.join(kinds)}" if kinds else "no streams"
        raise TranscriptError("no_audio", f"the file has no audio track ({what})")
    return streams[0]


def _check_wav_size(source: bytes | IO[bytes]) -> None:
    """A WAV header states its data size; FFmpeg trusts the file size instead, so check here."""
    if isinstance(source, (bytes, bytearray)):
        head, size = bytes(source[:4096]), len(source)
    else:
        source.seek(0, io.SEEK_END)
        size = source.tell()
        source.seek(0)
        head = source.read(4096)
        source.seek(0)
    if not (head.startswith(b"RIFF") and head[8:12] == b"WAVE"):
        return
    offset = 12
    while offset + 8 <= len(head):
        chunk, length = (
            head[offset : offset + 4],
            int.from_bytes(head[offset + 4 : offset + 8], "little"),
        )
        if chunk == b"data":
            # 0 and 0xFFFFFFFF mean "unknown" (written while recording); nothing to compare.
            if 0 < length < 0xFFFFFFFF and offset + 8 + length > size + 1:
                held = max(size - offset - 8, 0)
                raise TranscriptError(
                    "truncated",
                    f"the WAV file declares {length:,} bytes of audio but holds {held:,}; "
                    "it looks cut off",
                )
            return
        offset += 8 + length + (length & 1)


def probe(source: bytes | IO[bytes], *, max_seconds: float) -> Probe:
    """Read the header only; refuse a file declaring more than ``max_seconds`` of audio."""
    _check_wav_size(source)
    with _open(source) as container:
        stream = _audio_stream(container)
        declared = _declared_seconds(container, stream)
        result = Probe(
            container=container.format.name,
            codec=stream.codec_context.name if stream.codec_context else "unknown",
            declared_s=declared,
        )
    if declared is not None and declared > max_seconds:
        raise TranscriptError(
            "too_long",
            f"the recording is {declared / 3600:.1f} h long; the limit is "
            f"{max_seconds / 3600:.1f} h",
        )
    return result


def _declared_seconds(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / av.time_base
    return None


def _frames(container: Any, stream: Any) -> Iterator[np.ndarray]:
    """16 kHz mono float32 blocks, with their start time (seconds) as attribute-free pairs."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    for frame in container.decode(stream):
        for out in resampler.resample(frame):
            yield out.to_ndarray().reshape(-1)
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(-1)


def scan(source: bytes | IO[bytes], *, max_seconds: float) -> Scan:
    """Decode everything once: exact duration, peak, energy per 100 ms; stops past the limit.

    Raises TranscriptError: ``not_audio``/``no_audio``, ``too_long``, ``truncated`` (decoding
    fails part-way, or the file holds clearly less audio than its header declares), ``empty``.
    """
    if isinstance(source, (bytes, bytearray)):
        source = bytes(source)
    head = probe(source, max_seconds=max_seconds)
    if not isinstance(source, bytes):
        source.seek(0)
    frame_len = int(SAMPLE_RATE * FRAME_S)
    energy: list[float] = []
    carry = np.zeros(0, dtype=np.float32)
    samples = 0
    peak = 0.0
    limit = int(max_seconds * SAMPLE_RATE)
    with _open(source) as container:
        stream = _audio_stream(container)
        try:
            for block in _frames(container, stream):
                samples += block.size
                if samples > limit:
                    raise TranscriptError(
                        "too_long",
                        f"the recording is longer than the limit of {max_seconds / 3600:.1f} h",
                    )
                if block.size:
                    peak = max(peak, float(np.max(np.abs(block))))
                carry = np.concatenate((carry, block))
                whole = carry.size // frame_len * frame_len
                if whole:
                    frames = carry[:whole].reshape(-1, frame_len)
                    energy.extend(np.sqrt(np.mean(frames * frames, axis=1)).tolist())
                    carry = carry[whole:]
        except av.FFmpegError as exc:
            decoded = samples / SAMPLE_RATE
            raise TranscriptError(
                "truncated",
                f"the recording stops decoding after {decoded:.1f} s ({_reason(exc)}); "
                "the file looks damaged or cut off",
            ) from None
    if carry.size:
        energy.append(float(np.sqrt(np.mean(carry * carry))))
    duration = samples / SAMPLE_RATE
    if samples == 0:
        raise TranscriptError("empty", "the recording holds no audio (zero length)")
    if head.declared_s is not None and head.declared_s - duration > max(
        TRUNCATION_TOLERANCE_S, 0.02 * head.declared_s
    ):
        raise TranscriptError(
            "truncated",
            f"the file declares {head.declared_s:.1f} s of audio but holds only {duration:.1f} s; "
            "it looks cut off",
        )
    return Scan(probe=head, duration_s=duration, peak=peak, energy=tuple(energy))


def decode_window(source: IO[bytes] | bytes, start_s: float, end_s: float) -> np.ndarray:
    """The samples from ``start_s`` to ``end_s`` (16 kHz mono float32), seeking near the start."""
    first = round(start_s * SAMPLE_RATE)
    last = round(end_s * SAMPLE_RATE)
    parts: list[np.ndarray] = []
    position: int | None = None
    with _open(source) as container:
        stream = _audio_stream(container)
        if start_s > 1.0 and stream.time_base is not None:
            try:
                container.seek(
                    int((start_s - 1.0) / stream.time_base), stream=stream, backward=True
                )
            except av.FFmpegError:
                container.seek(0, stream=stream)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        for frame in container.decode(stream):
            if position is None:
                # After a seek the first frame's timestamp says where decoding resumed.
                when = frame.time if frame.time is not None else 0.0
                position = max(0, round(when * SAMPLE_RATE))
            for out in resampler.resample(frame):
                block = out.to_ndarray().reshape(-1)
                lo, hi = max(first - position, 0), min(last - position, block.size)
                if hi > lo:
                    parts.append(block[lo:hi])
                position += block.size
            if position >= last:
                break
        else:
            for out in resampler.resample(None):
                block = out.to_ndarray().reshape(-1)
                lo, hi = max(first - (position or 0), 0), min(last - (position or 0), block.size)
                if hi > lo:
                    parts.append(block[lo:hi])
    if not parts:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)


def wav_bytes(samples: np.ndarray) -> bytes:
    """16-bit PCM WAV of 16 kHz mono samples (what a transcription server is sent)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    header = b"".join(
        (
            b"RIFF",
            (36 + len(pcm)).to_bytes(4, "little"),
            b"WAVEfmt ",
            (16).to_bytes(4, "little"),
            (1).to_bytes(2, "little"),
            (1).to_bytes(2, "little"),
            SAMPLE_RATE.to_bytes(4, "little"),
            (SAMPLE_RATE * 2).to_bytes(4, "little"),
            (2).to_bytes(2, "little"),
            (16).to_bytes(2, "little"),
            b"data",
            len(pcm).to_bytes(4, "little"),
        )
    )
    return header + pcm


def seconds(samples: np.ndarray) -> float:
    return samples.size / SAMPLE_RATE if samples.size else 0.0


__all__ = [
    "AUDIO_EXTENSIONS",
    "FRAME_S",
    "SAMPLE_RATE",
    "Probe",
    "Scan",
    "decode_window",
    "probe",
    "scan",
    "seconds",
    "wav_bytes",
]
