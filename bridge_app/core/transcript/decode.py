"""Bytes to text: encoding detection, binary sniffing, line endings, NFC and line-length limits.

Accepted encodings: UTF-8 (with or without BOM), UTF-16/UTF-32 with BOM, UTF-16 without BOM
when the NUL pattern makes it unambiguous, and Windows-1252 as a fallback for legacy exports.
Bytes that are *mostly* UTF-8 but broken are rejected rather than silently read as cp1252,
because that would turn every accented name into mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .limits import MAX_LINE_CHARS
from .model import TranscriptError

# Magic numbers of files people upload by mistake. Checked before any decoding so the user
# hears "this is a PNG image" instead of "invalid UTF-8".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office (.doc) or password-protected document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio/video file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

ZIP_MAGIC = b"PK\x03\x04"

_VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# C0 controls except tab/newline/CR, plus DEL: never part of a transcript.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
# Unicode bidirectional controls (embeddings, overrides, isolates, marks): they can make a
# clause or a quote display differently from what it says ("Trojan Source"). A spoken
# transcript never needs them; they are removed before anything else sees the text.
_BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    """The text without Unicode bidirectional control characters."""
    return _BIDI_RE.sub("", text) if _BIDI_RE.search(text) else text


def sniff_binary(data: bytes) -> str | None:
    """A description of the kind of binary file ``data`` is, or None if it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data[4:8] == b"ftyp":
        return "an MP4/M4A audio or video file"
    if data.startswith(b"RIFF") and data[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        return "a WAV/AVI/WebP media file"
    if data.startswith(ZIP_MAGIC):
        return "a ZIP archive"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit in every other byte (BOM-less UTF-16 text)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and "end of data" in str(exc.reason):
            raise TranscriptError(
                "truncated",
                f"the file ends in the middle of a {label} character; it looks cut off",
            ) from None
        raise TranscriptError(
            "invalid_encoding",
            f"the file says it is {label} but contains bytes that are not valid {label}",
        ) from None


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode transcript bytes to normalized text (``\\n`` line endings, NFC) plus warnings.

    Raises TranscriptError with codes ``binary``, ``invalid_utf8``, ``invalid_encoding`` or
    ``truncated``.
    """
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.end >= len(data) - 3 and "end of data" in str(exc.reason):
                raise TranscriptError(
                    "truncated", "the file ends in the middle of a character; it looks cut off"
                ) from None
            raise TranscriptError(
                "invalid_utf8",
                "the file starts with a UTF-8 marker but contains invalid UTF-8 bytes",
                line=_line_of(data, exc.start + 3),
            ) from None
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # Checked before UTF-16 because the UTF-32-LE BOM begins with the UTF-16-LE one.
        text = _decode_strict(data, "utf-32", "UTF-32")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_strict(data, "utf-16", "UTF-16")
    elif b"\x00" in data:
        encoding = _looks_utf16(data)
        if encoding is None:
            raise TranscriptError(
                "binary", "the file contains binary data (NUL bytes), not transcript text"
            )
        text = _decode_strict(data, encoding, "UTF-16")
        warnings.append("the file is UTF-16 without a byte-order mark; read as " + encoding)
    else:
        text = _decode_utf8_or_cp1252(data, warnings)

    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _drop_controls(text, warnings)
    if _BIDI_RE.search(text):
        warnings.append("removed bidirectional control characters (they can disguise text)")
        text = strip_bidi(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text, warnings


def _decode_utf8_or_cp1252(data: bytes, warnings: list[str]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        has_utf8 = _VALID_UTF8_MULTIBYTE.search(data) is not None
        at_end = exc.end >= len(data) and "end of data" in str(exc.reason)
        if has_utf8 and at_end:
            raise TranscriptError(
                "truncated",
                "the file ends in the middle of a UTF-8 character; it looks cut off",
                line=_line_of(data, exc.start),
            ) from None
        if has_utf8:
            # Valid multi-byte sequences elsewhere: this is UTF-8 with corruption, not cp1252.
            raise TranscriptError(
                "invalid_utf8",
                "the file is UTF-8 but contains invalid byte sequences; re-export it as UTF-8",
                line=_line_of(data, exc.start),
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc2:
            raise TranscriptError(
                "invalid_encoding",
                "the text is neither UTF-8, UTF-16 nor Windows-1252; re-export it as UTF-8",
                line=_line_of(data, exc2.start),
            ) from None
        warnings.append("the file is not UTF-8; read it as Windows-1252 (cp1252)")
        return text


def _drop_controls(text: str, warnings: list[str]) -> str:
    if _CONTROL_RE.search(text) is None:
        return text
    if "\x00" in text:
        raise TranscriptError(
            "binary", "the file contains binary data (NUL characters), not transcript text"
        )
    count = len(_CONTROL_RE.findall(text))
    if count > max(16, len(text) // 100):
        raise TranscriptError(
            "binary", f"the file contains {count} control characters; it is not transcript text"
        )
    warnings.append(f"removed {count} control character(s) that cannot appear in a transcript")
    return _CONTROL_RE.sub("", text)


def check_line_lengths(text: str, limit: int = MAX_LINE_CHARS) -> None:
    """Reject a file with a line longer than ``limit`` characters (code ``line_too_long``)."""
    if len(text) <= limit:
        return
    lines = text.split("\n")
    if max(map(len, lines)) <= limit:
        return
    for number, line in enumerate(lines, start=1):
        if len(line) > limit:
            raise TranscriptError(
                "line_too_long",
                f"a line is {len(line):,} characters long (the limit is {limit:,}); "
                "this is not a transcript line",
                line=number,
            )
