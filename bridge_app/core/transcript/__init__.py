"""Transcript stage core: turn uploaded transcript bytes into normalized segments.

``parse_transcript`` is the one entry point (used by the ``ingest`` CLI and by the
``meeting.ingest`` stage). It is pure: bytes in, a ``Transcript`` out, and for any bad input a
``TranscriptError`` with a stable code, a readable message and the line or cue where it
applies — never another exception type, and never a partial result.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .decode import check_line_lengths, decode_bytes
from .detect import (
    SUPPORTED_FORMATS,
    detect_format,
    detect_text_format,
    format_from_filename,
    sniff_format,
)
from .docx import parse_docx
from .json_formats import parse_json
from .limits import DEFAULT_MAX_BYTES, MAX_LINES, MAX_SEGMENTS
from .model import Redaction, Segment, Transcript, TranscriptError
from .normalize import RawCue, build_transcript
from .redact import REDACTION_KINDS, redact_segments, validate_kinds
from .srt import parse_srt
from .text import parse_text
from .vtt import parse_vtt

__all__ = [
    "DEFAULT_MAX_BYTES",
    "REDACTION_KINDS",
    "SUPPORTED_FORMATS",
    "Redaction",
    "Segment",
    "Transcript",
    "TranscriptError",
    "detect_format",
    "parse_transcript",
]

_TEXT_PARSERS: dict[str, Callable[[str, list[str]], list[RawCue]]] = {
    "vtt": parse_vtt,
    "srt": parse_srt,
    "txt": parse_text,
    "json": parse_json,
}
_NAMES = {
    "vtt": "WebVTT",
    "srt": "SubRip",
    "txt": "plain text",
    "docx": "Word .docx",
    "json": "JSON",
}


def check_upload(data: bytes, *, format: str = "auto", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """What an upload request checks before storing the file: its size and its type.

    Cheap and bounded (a ZIP's directory for .docx, a decode for text); the parse itself, whose
    cost grows with the content, happens in the transcript worker. Returns the format.
    Raises TranscriptError like `parse_transcript`.
    """
    if format != "auto" and format not in SUPPORTED_FORMATS:
        raise TranscriptError(
            "bad_option", f"unknown format {format!r}; use auto or {', '.join(SUPPORTED_FORMATS)}"
        )
    if len(data) > max_bytes:
        raise TranscriptError(
            "too_large",
            f"the file is {len(data) / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.1f} MB",
        )
    if not bytes(data).strip():
        raise TranscriptError("empty", "the file is empty")
    sniffed = sniff_format(bytes(data))  # raises "binary" for images, PDFs, audio...
    if sniffed == "docx" or format == "docx":
        if sniffed != "docx":
            raise TranscriptError("not_docx", "the file is not a Word .docx document")
        from .docx import check_docx_container

        check_docx_container(bytes(data))
        return "docx"
    text, _ = decode_bytes(bytes(data))
    if not text.strip():
        raise TranscriptError("empty", "the file contains only whitespace")
    return detect_text_format(text) if format == "auto" else format


def parse_transcript(
    data: bytes,
    *,
    filename: str | None = None,
    format: str = "auto",
    redact: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    default_region: str = "US",
    redact_kinds: Collection[str] | None = None,
) -> Transcript:
    """Parse one uploaded transcript.

    Args:
        data: the file's bytes.
        filename: the uploaded name; used only for a warning when it disagrees with content.
        format: ``auto`` (detect from content) or one of ``SUPPORTED_FORMATS``.
        redact: remove PII (see ``redact.py``) before returning; the report is in
            ``Transcript.redactions``.
        max_bytes: reject larger uploads (default 25 MB).
        default_region: ISO country used to recognise national phone numbers.
        redact_kinds: which PII kinds to redact (default: all of ``REDACTION_KINDS``).

    Raises:
        TranscriptError: for every kind of bad input, with ``code``, ``message``, ``line``/``cue``.
    """
    try:
        return _parse(
            data,
            filename=filename,
            fmt=format,
            redact=redact,
            max_bytes=max_bytes,
            region=default_region,
            redact_kinds=redact_kinds,
        )
    except TranscriptError:
        raise
    except RecursionError:
        raise TranscriptError("unreadable", "the file is nested too deeply to be read") from None
    except MemoryError:
        raise TranscriptError("too_large", "the file needs too much memory to read") from None
    except Exception as exc:
        # Defence in depth: a parser bug must still reach the user as a clear, typed error.
        raise TranscriptError(
            "unreadable", f"the file could not be read ({type(exc).__name__})"
        ) from exc


def _parse(
    data: bytes,
    *,
    filename: str | None,
    fmt: str,
    redact: bool,
    max_bytes: int,
    region: str,
    redact_kinds: Collection[str] | None,
) -> Transcript:
    if fmt != "auto" and fmt not in SUPPORTED_FORMATS:
        raise TranscriptError(
            "bad_option", f"unknown format {fmt!r}; use auto or {', '.join(SUPPORTED_FORMATS)}"
        )
    kinds = validate_kinds(redact_kinds) if redact else frozenset()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TranscriptError("bad_option", "the transcript must be given as bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise TranscriptError(
            "too_large",
            f"the file is {len(data) / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.1f} MB",
        )
    if not data.strip():
        raise TranscriptError("empty", "the file is empty")

    warnings: list[str] = []
    sniffed = sniff_format(data)  # raises "binary" for images, PDFs, audio...
    if fmt == "docx" or (fmt == "auto" and sniffed == "docx"):
        if sniffed != "docx":
            raise TranscriptError("not_docx", "the file is not a Word .docx document")
        resolved = "docx"
        cues = parse_docx(data, warnings)
    else:
        if sniffed == "docx":
            raise TranscriptError(
                "wrong_format",
                f"the file is a ZIP/Word document, not {_NAMES[fmt]}; use --format docx or auto",
            )
        text, decode_warnings = decode_bytes(data)
        warnings.extend(decode_warnings)
        if not text.strip():
            raise TranscriptError("empty", "the file contains only whitespace")
        resolved = detect_text_format(text) if fmt == "auto" else fmt
        if text.count("\n") > MAX_LINES:
            raise TranscriptError(
                "too_many_lines",
                f"the file has more than {MAX_LINES:,} lines; no meeting transcript is that long",
            )
        if resolved != "json":
            check_line_lengths(text)
        cues = _TEXT_PARSERS[resolved](text, warnings)
    if len(cues) > MAX_SEGMENTS:
        raise TranscriptError(
            "too_many_segments",
            f"the transcript has {len(cues):,} utterances; the limit is {MAX_SEGMENTS:,}",
        )

    named = format_from_filename(filename)
    if fmt == "auto" and named is not None and named != resolved:
        warnings.insert(
            0,
            f"the file is named like {_NAMES[named]} but its content is {_NAMES[resolved]}; "
            f"read it as {_NAMES[resolved]}",
        )
    transcript = build_transcript(resolved, cues, warnings)
    if not redact:
        return transcript
    segments, report = redact_segments(transcript.segments, kinds, region)
    notes = list(transcript.warnings)
    if report:
        counts: dict[str, int] = {}
        for item in report:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        notes.append(f"redacted {len(report)} item(s) of personal data: {summary}")
    return Transcript(
        format=transcript.format,
        segments=segments,
        participants=transcript.participants,
        warnings=tuple(notes),
        redactions=report,
    )
