"""Synthetic meetings for the recording tests: espeak-ng speech, encoded with PyAV.

A negotiation between two people with different voices, as one mixed recording or as a ZIP
of per-participant tracks (each silent while the other speaks, as Zoom and Teams record them).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import av
import numpy as np
import pytest

RATE = 16_000
VOICES = {"Alice Morgan": "en-us", "Bob Fischer": "en-gb"}

# The agreed terms (meeting on 2026-01-15): price 38,000 USD, start March 2, 2026; parties
# Blue River Analytics and Summit Logistics (worded so tiny.en hears espeak-ng right).
NEGOTIATION: tuple[tuple[str, str], ...] = (
    ("Alice Morgan", "Hi, this is Alice from Blue River Analytics."),
    ("Bob Fischer", "Hello, this is Bob from Summit Logistics."),
    ("Alice Morgan", "We proposed a fixed fee of forty thousand dollars."),
    ("Bob Fischer", "Could you do thirty six thousand dollars?"),
    ("Alice Morgan", "We can make it thirty eight thousand dollars instead."),
    ("Bob Fischer", "Okay, thirty eight thousand dollars works for us."),
    ("Alice Morgan", "We can start on March 2nd."),
    ("Bob Fischer", "Yes, that start date works for us."),
)


def require_espeak() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        pytest.fail("espeak-ng is not installed (make speech installs Debian's package)")
    return path


def say(text: str, voice: str, speed: int = 150) -> np.ndarray:
    """16 kHz mono float32 speech."""
    wav = subprocess.run(
        [require_espeak(), "-v", voice, "-s", str(speed), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    return decode(wav)


def decode(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        blocks = [
            out.to_ndarray().reshape(-1)
            for frame in container.decode(audio=0)
            for out in resampler.resample(frame)
        ]
        blocks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(blocks).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


@dataclass(frozen=True)
class Conversation:
    """Per-speaker tracks of equal length, and when each line starts (seconds)."""

    tracks: dict[str, np.ndarray]
    starts: tuple[float, ...]
    ends: tuple[float, ...]

    @property
    def mix(self) -> np.ndarray:
        return np.clip(sum(self.tracks.values()), -1.0, 1.0).astype(np.float32)  # type: ignore[return-value]

    @property
    def duration_s(self) -> float:
        return next(iter(self.tracks.values())).size / RATE


def conversation(
    lines: Sequence[tuple[str, str]] = NEGOTIATION, gap_s: float = 0.6, lead_s: float = 0.5
) -> Conversation:
    speakers = list(dict.fromkeys(s for s, _ in lines))
    clips = [(speaker, say(text, VOICES.get(speaker, "en-us"))) for speaker, text in lines]
    total = int((lead_s + sum(c.size / RATE + gap_s for _, c in clips)) * RATE)
    tracks = {s: np.zeros(total, dtype=np.float32) for s in speakers}
    cursor = int(lead_s * RATE)
    starts, ends = [], []
    for speaker, clip in clips:
        starts.append(cursor / RATE)
        tracks[speaker][cursor : cursor + clip.size] += clip
        cursor += clip.size
        ends.append(cursor / RATE)
        cursor += int(gap_s * RATE)
    return Conversation(tracks, tuple(starts), tuple(ends))


_CODECS = {
    "wav": ("wav", "pcm_s16le", "s16"),
    "mp3": ("mp3", "libmp3lame", "s16p"),
    "m4a": ("ipod", "aac", "fltp"),
    "ogg": ("ogg", "libopus", "flt"),
    "webm": ("webm", "libopus", "flt"),
    "flac": ("flac", "flac", "s16"),
}


def encode(samples: np.ndarray, fmt: str = "wav", rate: int = RATE) -> bytes:
    """The samples as a file in ``fmt`` (wav, mp3, m4a, ogg, webm, flac)."""
    container_name, codec, sample_fmt = _CODECS[fmt]
    out_rate = 48_000 if codec == "libopus" else rate
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_name) as container:
        stream = container.add_stream(codec, rate=out_rate)
        stream.layout = "mono"
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format=sample_fmt, layout="mono", rate=out_rate)
        frames = [*resampler.resample(frame), *resampler.resample(None)]
        size = stream.codec_context.frame_size or 1024
        for chunk in _rechunk(frames, size, sample_fmt, out_rate):
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def _rechunk(
    frames: list[av.AudioFrame], size: int, sample_fmt: str, rate: int
) -> list[av.AudioFrame]:
    """Encoders with a fixed frame size (AAC, Opus, MP3) need frames of exactly that size."""
    fifo = av.AudioFifo()
    for frame in frames:
        frame.pts = None
        fifo.write(frame)
    out = []
    while fifo.samples >= size:
        out.append(fifo.read(size))
    if fifo.samples:
        out.append(fifo.read())
    return out


def tracks_zip(
    conv: Conversation, fmt: str = "m4a", extra: dict[str, bytes] | None = None
) -> bytes:
    """A ZIP of one file per participant, named after them (``Alice Morgan.m4a``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for speaker, samples in conv.tracks.items():
            archive.writestr(f"{speaker}.{fmt}", encode(samples, fmt))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def speakers_vtt(conv: Conversation, lines: Sequence[tuple[str, str]] = NEGOTIATION) -> bytes:
    """A platform transcript of the conversation (the speakers' names and turn times)."""
    out = ["WEBVTT", ""]
    timed = zip(lines, conv.starts, conv.ends, strict=True)
    for index, ((speaker, text), start, end) in enumerate(timed):
        out += [str(index + 1), f"{_clock(start)} --> {_clock(end)}", f"<v {speaker}>{text}", ""]
    return "\n".join(out).encode()


def _clock(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"
