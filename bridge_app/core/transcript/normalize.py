"""From raw cues (what a format parser found) to a validated, normalized Transcript.

Every format parser yields ``RawCue`` objects; this module is where the rules that apply to
all formats live: text clean-up, speaker names, participants and timestamp sanity.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .decode import strip_bidi
from .limits import MAX_CUE_ID_CHARS, MAX_CUE_SECONDS, MAX_SEGMENT_CHARS, MAX_TIMESTAMP_SECONDS
from .model import Segment, Transcript, TranscriptError
from .timecode import format_clock


@dataclass(slots=True)
class RawCue:
    """One cue as a parser found it; ``line`` is the 1-based source line used in messages."""

    line: int | None
    speaker: str
    start: float | None
    end: float | None
    text: str
    external_id: str | None = None
    #: Where the cue is when it has neither a line nor an id (e.g. "item 7" of a JSON list).
    ref: str | None = None

    def where(self) -> str:
        if self.external_id:
            return f"cue {self.external_id}"
        if self.line is not None:
            return f"line {self.line}"
        return self.ref or "a cue"

    @property
    def cue_ref(self) -> str | None:
        """What TranscriptError reports as ``cue``."""
        return self.external_id or self.ref


# A speaker label in front of text ("Alice Smith: ..."). Starts with a letter, at most 60
# characters, no sentence punctuation; the length bound keeps matching linear.
NAME_PATTERN = r"[^\W\d_][\w'’.\-&@() ]{0,59}?"
_PREFIX_RE = re.compile(r"(?:>>\s*)?(" + NAME_PATTERN + r")\s*:[ \t]+(\S.*)", re.DOTALL)

# Labels that introduce document structure rather than a speaker.
NOT_SPEAKERS = frozenset(
    {
        "action",
        "action item",
        "action items",
        "agenda",
        "attendees",
        "date",
        "decision",
        "decisions",
        "duration",
        "location",
        "meeting",
        "note",
        "notes",
        "participants",
        "re",
        "subject",
        "summary",
        "time",
        "title",
        "topic",
        "transcript",
        "warning",
        "http",
        "https",
    }
)


def plausible_name(name: str) -> bool:
    """True if ``name`` can be a speaker label (≤ 6 words, not a structural keyword)."""
    stripped = name.strip()
    if not stripped or len(stripped.split()) > 6:
        return False
    return stripped.casefold() not in NOT_SPEAKERS


def split_speaker_prefix(text: str) -> tuple[str, str] | None:
    """``("Alice", "hello")`` for ``"Alice: hello"``; None when there is no plausible label."""
    match = _PREFIX_RE.fullmatch(text)
    if match is None or not plausible_name(match.group(1)):
        return None
    return match.group(1).strip(), match.group(2)


def apply_speaker_prefixes(cues: list[RawCue], threshold: float = 0.5) -> None:
    """Move ``Name: text`` prefixes into the speaker of cues that have none (Zoom, SRT exports).

    Decided per file: only when at least ``threshold`` of the speakerless cues carry such a
    prefix, so that one "Note: ..." line in a caption file does not invent a speaker.
    """
    candidates = [cue for cue in cues if not cue.speaker]
    if not candidates:
        return
    splits = [split_speaker_prefix(cue.text) for cue in candidates]
    hits = sum(1 for s in splits if s is not None)
    if hits == 0 or hits < threshold * len(candidates):
        return
    for cue, split in zip(candidates, splits, strict=True):
        if split is not None:
            cue.speaker, cue.text = split


def clean_text(text: str) -> str:
    """NFC, whitespace collapsed to single spaces (a segment is one utterance), bidi controls
    removed (JSON escapes and DOCX XML reach here without passing `decode_bytes`)."""
    if not text.isascii():
        text = strip_bidi(text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


_WORD_SPLIT = re.compile(r"(\s+)")


def normalize_speaker(name: str) -> str:
    """Trimmed, single-spaced, NFC; ALL-CAPS or all-lower names become Title Case.

    Mixed-case names are kept as written ("Speaker A", "McDonald", "DeShawn").
    """
    name = clean_text(name).strip(" :-–—>\t")
    if not name:
        return ""
    letters = [c for c in name if c.isalpha()]
    if letters and (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        name = "".join(_title_word(part) for part in _WORD_SPLIT.split(name))
    return name


def _title_word(word: str) -> str:
    # str.title() would also capitalise after apostrophes ("O'Brien" fine, "Don'T" not);
    # capitalise the first letter of each hyphen/apostrophe-free piece instead.
    return "-".join(piece[:1].upper() + piece[1:].lower() for piece in word.split("-"))


def _check_time(value: float | None, what: str, cue: RawCue) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise TranscriptError(
            "bad_timestamp", f"the {what} time is not a number", line=cue.line, cue=cue.cue_ref
        )
    if value < 0:
        raise TranscriptError(
            "negative_timestamp",
            f"the {what} time is negative ({value:g} s)",
            line=cue.line,
            cue=cue.cue_ref,
        )
    if value > MAX_TIMESTAMP_SECONDS:
        raise TranscriptError(
            "timestamp_out_of_range",
            f"the {what} time {value / 3600:.1f} h is beyond {MAX_TIMESTAMP_SECONDS / 3600:.0f} h; "
            "a meeting cannot be that long (were milliseconds given as seconds?)",
            line=cue.line,
            cue=cue.cue_ref,
        )
    return float(value)


def build_transcript(fmt: str, cues: Iterable[RawCue], warnings: list[str]) -> Transcript:
    """Validate timing, clean text and speakers, and assemble the Transcript.

    Errors (whole upload rejected): negative, non-numeric or > 48 h timestamps, a cue ending
    before it starts, a cue longer than 6 h, a segment over the size limit, no text at all.
    Warnings (kept, reported): cues starting before the previous one (out of order), overlaps
    between consecutive cues, empty cues dropped, missing timestamps.
    """
    segments: list[Segment] = []
    canonical: dict[str, str] = {}
    participants: list[str] = []
    empty = 0
    backwards: list[str] = []
    overlaps: list[str] = []
    untimed = 0
    prev_start: float | None = None
    prev_end: float | None = None

    for cue in cues:
        start = _check_time(cue.start, "start", cue)
        end = _check_time(cue.end, "end", cue)
        if start is None:
            untimed += 1
            start = prev_start if prev_start is not None else 0.0
        if end is None:
            end = start
        if end < start:
            raise TranscriptError(
                "end_before_start",
                f"the cue ends ({format_clock(end)}) before it starts ({format_clock(start)})",
                line=cue.line,
                cue=cue.cue_ref,
            )
        if end - start > MAX_CUE_SECONDS:
            raise TranscriptError(
                "absurd_duration",
                f"one cue lasts {(end - start) / 3600:.1f} h, which cannot be a single utterance",
                line=cue.line,
                cue=cue.cue_ref,
            )
        if cue.external_id and len(cue.external_id) > MAX_CUE_ID_CHARS:
            raise TranscriptError(
                "bad_cue",
                f"a cue identifier is {len(cue.external_id):,} characters long "
                f"(the limit is {MAX_CUE_ID_CHARS})",
                line=cue.line,
            )
        text = clean_text(cue.text)
        if not text:
            empty += 1
            continue
        if len(text) > MAX_SEGMENT_CHARS:
            raise TranscriptError(
                "segment_too_long",
                f"one cue holds {len(text):,} characters (the limit is {MAX_SEGMENT_CHARS:,})",
                line=cue.line,
                cue=cue.cue_ref,
            )
        if prev_start is not None and start < prev_start:
            backwards.append(cue.where())
        elif prev_end is not None and start < prev_end:
            overlaps.append(cue.where())
        prev_start, prev_end = start, max(end, prev_end or 0.0)

        speaker = normalize_speaker(cue.speaker)
        if speaker:
            key = speaker.casefold()
            if key not in canonical:
                canonical[key] = speaker
                participants.append(speaker)
            speaker = canonical[key]
        segments.append(
            Segment(
                index=len(segments),
                speaker=speaker,
                start=round(start, 3),
                end=round(end, 3),
                text=text,
                external_id=cue.external_id or None,
            )
        )

    if not segments:
        raise TranscriptError("no_text", "the file contains no transcript text")
    if empty:
        warnings.append(f"dropped {empty} cue(s) without text")
    if backwards:
        warnings.append(
            f"{len(backwards)} cue(s) start before the previous cue (timestamps go backwards), "
            f"first at {backwards[0]}; kept in file order"
        )
    if overlaps:
        warnings.append(
            f"{len(overlaps)} cue(s) overlap the previous cue (e.g. people talking at once), "
            f"first at {overlaps[0]}"
        )
    if untimed == len(segments) + empty:
        warnings.append("the transcript has no timestamps; all times are 0")
    elif untimed:
        warnings.append(f"{untimed} cue(s) had no timestamp and took the previous cue's time")
    return Transcript(
        format=fmt,
        segments=tuple(segments),
        participants=tuple(participants),
        warnings=tuple(warnings),
    )
