"""Recordings, the pure part: where to cut long audio, and who said each transcribed phrase.

Speech recognition gives timed phrases without speakers. The speakers come from one of:
per-participant tracks (each track's phrases belong to the track's participant), a platform
transcript of the same meeting (the speaker whose cue overlaps a phrase most), or neither
("Speaker 1"). The I/O (decoding, the model) lives in ``bridge_app.services.transcription``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Segment, Transcript, TranscriptError
from .normalize import RawCue, build_transcript

#: The speaker of a single recording with no other source of names.
UNNAMED_SPEAKER = "Speaker 1"

#: ``Transcript.format`` of a transcribed recording.
RECORDING_FORMAT = "recording"


@dataclass(frozen=True, slots=True)
class Phrase:
    """One recognised phrase: seconds from the start of its track, and its text."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class SpeakerTurn:
    """Someone speaking from ``start`` to ``end`` (taken from a platform transcript)."""

    speaker: str
    start: float
    end: float


def plan_cuts(
    frame_energy: Sequence[float], frame_s: float, chunk_s: float, search_s: float = 5.0
) -> list[float]:
    """Chunk boundaries (seconds, first 0.0, last the end) for audio of the given energy profile.

    Each cut is the quietest frame within ``search_s`` of every ``chunk_s`` mark, so a chunk
    boundary falls in a pause rather than in the middle of a word.
    """
    if chunk_s <= 0 or frame_s <= 0:
        raise ValueError("chunk_s and frame_s must be positive")
    total = len(frame_energy) * frame_s
    cuts = [0.0]
    while total - cuts[-1] > chunk_s + search_s:
        target = cuts[-1] + chunk_s
        lo = max(int((target - search_s) / frame_s), int(cuts[-1] / frame_s) + 1)
        hi = min(int((target + search_s) / frame_s), len(frame_energy) - 1)
        quietest = min(
            range(lo, hi + 1), key=lambda i: (frame_energy[i], abs(i * frame_s - target))
        )
        cuts.append(round(quietest * frame_s, 3))
    cuts.append(round(total, 3))
    return cuts


def speaker_for(phrase: Phrase, turns: Sequence[SpeakerTurn]) -> str | None:
    """The speaker whose turns overlap the phrase longest (the nearest turn when none do)."""
    if not turns:
        return None
    overlap: dict[str, float] = {}
    for turn in turns:
        shared = min(phrase.end, turn.end) - max(phrase.start, turn.start)
        if shared > 0:
            overlap[turn.speaker] = overlap.get(turn.speaker, 0.0) + shared
    if overlap:
        return max(overlap.items(), key=lambda kv: kv[1])[0]
    middle = (phrase.start + phrase.end) / 2
    nearest = min(turns, key=lambda t: min(abs(t.start - middle), abs(t.end - middle)))
    return nearest.speaker


def turns_from_transcript(transcript: Transcript) -> list[SpeakerTurn]:
    """The named speakers' turns of a parsed platform transcript (VTT, SRT...)."""
    return [
        SpeakerTurn(s.speaker, s.start, s.end)
        for s in transcript.segments
        if s.speaker and s.end > s.start
    ]


def recording_transcript(
    tracks: Iterable[tuple[str | None, Sequence[Phrase]]],
    *,
    turns: Sequence[SpeakerTurn] = (),
    warnings: Iterable[str] = (),
) -> Transcript:
    """One timeline from the phrases of each track.

    Args:
        tracks: (participant name or None, phrases) per track; phrases of a named track are
            that participant's; an unnamed track's speakers come from ``turns``, else
            ``UNNAMED_SPEAKER``.
        turns: speaker turns of a platform transcript of the same meeting.
        warnings: notes to carry into ``Transcript.warnings``.

    Raises:
        TranscriptError: ``no_speech`` when no track has a recognised phrase.
    """
    timed: list[tuple[float, float, int, str, str]] = []
    for order, (name, phrases) in enumerate(tracks):
        for phrase in phrases:
            text = " ".join(phrase.text.split())
            if not text:
                continue
            speaker = name or speaker_for(phrase, turns) or UNNAMED_SPEAKER
            timed.append((phrase.start, phrase.end, order, speaker, text))
    if not timed:
        raise TranscriptError(
            "no_speech", "the recording contains no recognisable speech (nothing to transcribe)"
        )
    timed.sort()
    cues = [
        RawCue(line=None, speaker=speaker, start=start, end=max(end, start), text=text)
        for start, end, _order, speaker, text in timed
    ]
    notes = list(warnings)
    transcript = build_transcript(RECORDING_FORMAT, cues, notes)
    return transcript


def shift(phrases: Iterable[Phrase], offset: float) -> list[Phrase]:
    """Phrases of a chunk, moved to the track's clock (the chunk starts at ``offset``)."""
    return [Phrase(round(p.start + offset, 3), round(p.end + offset, 3), p.text) for p in phrases]


def phrases_to_dicts(phrases: Iterable[Phrase]) -> list[dict[str, float | str]]:
    return [{"start": p.start, "end": p.end, "text": p.text} for p in phrases]


def phrases_from_dicts(rows: Iterable[dict[str, object]]) -> list[Phrase]:
    return [
        Phrase(float(r["start"]), float(r["end"]), str(r["text"]))  # type: ignore[arg-type]
        for r in rows
    ]


__all__ = [
    "RECORDING_FORMAT",
    "UNNAMED_SPEAKER",
    "Phrase",
    "Segment",
    "SpeakerTurn",
    "plan_cuts",
    "recording_transcript",
    "shift",
    "speaker_for",
    "turns_from_transcript",
]
