"""Plain-text transcripts (also the text inside Teams / Google Meet .docx exports).

Recognised line shapes, freely mixed within one file:

- ``Name: text``                                   (generic, Google Meet docs)
- ``[00:01:02] Name: text`` / ``00:01:02 Name: text`` / ``[00:01:02] text``
- ``Name (00:01:02): text`` and ``Name (00:01:02)`` followed by paragraphs
- ``Name  0:01`` header lines followed by paragraphs (Otter.ai, Teams .docx)
- a timestamp alone on a line (Google Meet docs put one every few minutes)
- ``00:00:03.120 --> 00:00:07.450`` then a name line then text (older Teams .docx)

Lines that match none of these continue the current utterance. Times come from the nearest
timestamp; an utterance ends where the next timed one starts.
"""

from __future__ import annotations

import re

from .blocks import TIMING_RE
from .model import TranscriptError
from .normalize import NAME_PATTERN, RawCue, plausible_name, split_speaker_prefix
from .timecode import TIMESTAMP_PATTERN, parse_clock

_TS = "(" + TIMESTAMP_PATTERN + ")"
_BRACKET_TS_RE = re.compile(r"[\[(]" + _TS + r"[\])][ \t]*(?:[-–—][ \t]*)?(.*)", re.DOTALL)
_LEADING_TS_RE = re.compile(_TS + r"[ \t]+(?:[-–—][ \t]+)?(.*)", re.DOTALL)
_NAME_PAREN_RE = re.compile(
    "(" + NAME_PATTERN + r")[ \t]*[\[(]" + _TS + r"[\])][ \t]*:?[ \t]*(.*)", re.DOTALL
)
_HEADER_RE = re.compile("(" + NAME_PATTERN + r")[ \t]+(?:[-–—|][ \t]+)?" + _TS)
_TS_ONLY_RE = re.compile(r"[\[(]?" + _TS + r"[\])]?")
_NAME_ONLY_RE = re.compile("(" + NAME_PATTERN + r")[ \t]*:?")


class _Builder:
    """Accumulates utterances while lines are classified."""

    def __init__(self) -> None:
        self.cues: list[RawCue] = []
        self.parts: list[list[str]] = []
        self.explicit_end: list[bool] = []
        self.pending_time: float | None = None
        self.pending_end: float | None = None
        self.blank_since_last = False

    def start(self, line: int, speaker: str, time: float | None, text: str) -> None:
        if time is None:
            time = self.pending_time
        self.pending_time = None
        end, self.pending_end = self.pending_end, None
        self.cues.append(RawCue(line, speaker, time, end, ""))
        self.parts.append([text] if text else [])
        self.explicit_end.append(end is not None)
        self.blank_since_last = False

    def add(self, line: int, text: str) -> None:
        new_paragraph = self.blank_since_last and not self.cues[-1].speaker if self.cues else True
        if new_paragraph or self.pending_end is not None:
            # Without speakers, paragraphs are the only structure: one segment each.
            self.start(line, "", None, text)
        else:
            self.parts[-1].append(text)
        self.blank_since_last = False

    def finish(self) -> list[RawCue]:
        next_start: float | None = None
        for cue, parts, explicit in zip(
            reversed(self.cues), reversed(self.parts), reversed(self.explicit_end), strict=True
        ):
            cue.text = " ".join(parts)
            if cue.start is not None:
                if not explicit:
                    cue.end = (
                        next_start if next_start is not None and next_start >= cue.start else None
                    )
                next_start = cue.start
        return self.cues


def parse_text_lines(lines: list[str], warnings: list[str], *, label: str = "text") -> list[RawCue]:
    """Parse transcript lines (from a .txt file or a .docx body) into raw cues."""
    out = _Builder()
    expect_name = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            out.blank_since_last = True
            continue
        if expect_name:
            expect_name = False
            if ":" not in line and _NAME_ONLY_RE.fullmatch(line) and plausible_name(line):
                out.start(number, line, None, "")
                continue
        if _classify(line, number, out):
            expect_name = TIMING_RE.fullmatch(line) is not None
            continue
        out.add(number, line)

    cues = out.finish()
    if not cues:
        raise TranscriptError("no_text", f"the {label} contains no transcript text")
    first_named = next((i for i, cue in enumerate(cues) if cue.speaker), None)
    if first_named:
        header = cues[:first_named]
        if all(cue.start is None for cue in header):
            # Titles, dates and "Attendees" lines above the first speaker (Meet/Teams docs).
            warnings.append(
                f"skipped {first_named} paragraph(s) before the first speaker (from line "
                f"{header[0].line}) as a document header"
            )
            cues = cues[first_named:]
    if first_named is None:
        warnings.append("no speaker names were found; speakers are unknown")
    return cues


def _classify(line: str, number: int, out: _Builder) -> bool:
    """Handle a line that starts an utterance or carries a time; False for plain text."""
    timing = TIMING_RE.fullmatch(line)
    if timing is not None:
        start, end = parse_clock(timing.group(1)), parse_clock(timing.group(2))
        if start is None or end is None:
            raise TranscriptError("bad_timestamp", "cannot read the timing line", line=number)
        out.pending_time, out.pending_end = start, end
        return True
    if line[0] in "[(":
        match = _BRACKET_TS_RE.fullmatch(line)
        if match is not None:
            time = _clock(match.group(1), number)
            rest = match.group(2).strip()
            if not rest:
                out.pending_time = time
                return True
            split = split_speaker_prefix(rest)
            speaker, text = split if split else ("", rest)
            out.start(number, speaker, time, text)
            return True
    if line[0].isdigit():
        only = _TS_ONLY_RE.fullmatch(line)
        if only is not None:
            out.pending_time = _clock(only.group(1), number)
            return True
        match = _LEADING_TS_RE.fullmatch(line)
        if match is not None:
            split = split_speaker_prefix(match.group(2).strip())
            if split is not None:
                out.start(number, split[0], _clock(match.group(1), number), split[1])
                return True
        return False
    paren = _NAME_PAREN_RE.fullmatch(line)
    if paren is not None and plausible_name(paren.group(1)):
        out.start(number, paren.group(1), _clock(paren.group(2), number), paren.group(3).strip())
        return True
    header = _HEADER_RE.fullmatch(line)
    if header is not None and plausible_name(header.group(1)):
        out.start(number, header.group(1), _clock(header.group(2), number), "")
        return True
    split = split_speaker_prefix(line)
    if split is not None:
        out.start(number, split[0], None, split[1])
        return True
    if line.endswith(":"):
        name = _NAME_ONLY_RE.fullmatch(line)
        if name is not None and plausible_name(name.group(1)):
            out.start(number, name.group(1), None, "")
            return True
    return False


def _clock(value: str, line: int) -> float:
    seconds = parse_clock(value)
    if seconds is None:
        raise TranscriptError(
            "bad_timestamp",
            f"cannot read the timestamp {value!r} (minutes and seconds must be below 60)",
            line=line,
        )
    return seconds


def parse_text(text: str, warnings: list[str]) -> list[RawCue]:
    """Parse a plain-text transcript."""
    return parse_text_lines(text.split("\n"), warnings)
