"""Which format a file is in, decided from its content; the file name only breaks ties."""

from __future__ import annotations

import re

from .blocks import TIMING_RE
from .decode import ZIP_MAGIC, decode_bytes, sniff_binary
from .model import TranscriptError

SUPPORTED_FORMATS: tuple[str, ...] = ("vtt", "srt", "txt", "docx", "json")

_EXTENSIONS = {
    "vtt": "vtt",
    "webvtt": "vtt",
    "srt": "srt",
    "txt": "txt",
    "text": "txt",
    "md": "txt",
    "docx": "docx",
    "json": "json",
}
_JSON_START_RE = re.compile(r"\[\s*(?:[{\[\"\]]|$)")
_SRT_TIMING_RE = re.compile(r"\s*\d{1,3}:\d{1,2}:\d{1,2},\d{1,3}\s*-->")


def format_from_filename(filename: str | None) -> str | None:
    """The format a file name suggests (by extension), or None."""
    if not filename or "." not in filename:
        return None
    return _EXTENSIONS.get(filename.rsplit(".", 1)[1].strip().lower())


def detect_text_format(text: str) -> str:
    """``vtt``, ``srt``, ``json`` or ``txt`` for decoded text."""
    head = text.lstrip(" \t\n\ufeff")
    if head.startswith("WEBVTT") and (len(head) == 6 or head[6] in " \t\n"):
        return "vtt"
    if head.startswith("{") or _JSON_START_RE.match(head):
        return "json"
    lines = [line for line in head[:20_000].split("\n", 200)[:200] if line.strip()][:60]
    for index, line in enumerate(lines):
        if "-->" in line and TIMING_RE.fullmatch(line):
            if _SRT_TIMING_RE.match(line):
                return "srt"
            previous = lines[index - 1].strip() if index else ""
            # Cue numbers before each timing line are SubRip's signature even with "." times.
            return "srt" if previous.isdigit() else "vtt"
    return "txt"


def sniff_format(data: bytes) -> str | None:
    """``docx`` for a ZIP container; raises ``binary`` for other binary files; else None."""
    if data.startswith(ZIP_MAGIC):
        return "docx"
    what = sniff_binary(data)
    if what is not None:
        raise TranscriptError(
            "binary", f"this file is {what}, not a transcript (supported: " + _SUPPORTED_TEXT + ")"
        )
    return None


_SUPPORTED_TEXT = "WebVTT, SubRip, plain text, Word .docx, JSON"


def detect_format(data: bytes, filename: str | None = None) -> str:
    """The format of ``data`` (one of SUPPORTED_FORMATS), from content first.

    Raises TranscriptError for binary files or undecodable text. The file name is consulted
    only in messages and warnings (see ``parse_transcript``), never to override content.
    """
    sniffed = sniff_format(data)
    if sniffed is not None:
        return sniffed
    text, _ = decode_bytes(data)
    return detect_text_format(text)
