"""Shared pieces of the cue-based formats (WebVTT and SubRip): blocks, timing lines, markup."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .model import TranscriptError
from .normalize import RawCue
from .timecode import TIMESTAMP_PATTERN, parse_clock

# "start --> end [settings]". Settings (VTT position/align, SRT X1/Y1 coordinates) are ignored.
TIMING_RE = re.compile(
    r"[ \t]*(" + TIMESTAMP_PATTERN + r")[ \t]*-->[ \t]*(" + TIMESTAMP_PATTERN + r")(?:[ \t].*)?"
)
_TAG_RE = re.compile(r"<[^<>\n]{0,500}>")
_ASS_RE = re.compile(r"\{\\[^{}\n]{0,200}\}")
_VOICE_RE = re.compile(r"<v(?:\.[^\s<>]{0,100})?[ \t]+([^<>\n]{1,200})>")


def iter_blocks(lines: list[str], start: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Blocks of consecutive non-blank lines as ``(first_line_number, lines)`` (1-based)."""
    block: list[str] = []
    first = 0
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip():
            if not block:
                first = index + 1
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def parse_timing(line: str, line_number: int, *, last_block: bool) -> tuple[float, float]:
    """``(start, end)`` seconds from a timing line, or a ``bad_timestamp``/``truncated`` error."""
    match = TIMING_RE.fullmatch(line)
    start = end = None
    if match is not None:
        start, end = parse_clock(match.group(1)), parse_clock(match.group(2))
    if start is None or end is None:
        if last_block:
            raise TranscriptError(
                "truncated",
                "the file ends inside a cue with an incomplete timing line; it looks cut off",
                line=line_number,
            )
        shown = line.strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise TranscriptError(
            "bad_timestamp",
            f"cannot read the cue timing {shown!r} (expected hh:mm:ss.mmm --> hh:mm:ss.mmm)",
            line=line_number,
        )
    return start, end


_PARTIAL_TIMING_RE = re.compile(r"[ \t]*\d{1,3}:\d[\d:.,]*[ \t]*-?-?")


def looks_like_cut_timing(block: list[str]) -> bool:
    """True for a final block that is a cue cut off inside its timing line (no ``-->`` yet)."""
    candidates = block[:2]
    return any(_PARTIAL_TIMING_RE.fullmatch(line) for line in candidates) and len(block) <= 2


def first_voice(payload: str) -> str | None:
    """The speaker of the first WebVTT voice span (``<v Name>``) in ``payload``, if any."""
    match = _VOICE_RE.search(payload)
    return match.group(1).strip() if match else None


def strip_markup(text: str) -> str:
    """Text without tags (``<b>``, ``<c.x>``, ``<v ..>``, ``<00:01.000>``, ``<font>``),
    SSA override codes (``{\\an8}``) and with HTML entities decoded."""
    if "<" in text:
        text = _TAG_RE.sub("", text)
    if "{\\" in text:
        text = _ASS_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def join_untimed_block(
    block: list[str], cues: list[RawCue], *, line_no: int, last_block: bool
) -> None:
    """A block without a timing line: a timing line cut off at the end of the file is an error;
    anything else is most often a blank line inside a cue's text, so the words stay with the
    previous cue rather than being lost."""
    if last_block and looks_like_cut_timing(block):
        raise TranscriptError(
            "truncated",
            "the file ends inside a cue's timing line; it looks cut off",
            line=line_no + len(block) - 1,
        )
    if cues:
        cues[-1].text += " " + " ".join(strip_markup(x) for x in block)


def timed_payload(
    block: list[str], timing_index: int, line_no: int, *, last_block: bool, ends_in_newline: bool
) -> tuple[int, float, float, list[str]]:
    """The timing line's number, start, end and the cue's text lines; a last cue with a timing
    line and no text and no final newline is a cut-off file."""
    timing_line = line_no + timing_index
    start, end = parse_timing(block[timing_index], timing_line, last_block=last_block)
    payload = block[timing_index + 1 :]
    if not payload and last_block and not ends_in_newline:
        raise TranscriptError(
            "truncated",
            "the file ends in or right after a cue's timing line; it looks cut off",
            line=timing_line,
        )
    return timing_line, start, end, payload
