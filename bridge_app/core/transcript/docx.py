"""Microsoft Teams and Google Meet ``.docx`` transcripts, opened defensively.

A .docx is a ZIP of XML parts. Before anything is decompressed we check the entry count, the
declared total size and each entry's compression ratio (zip bombs), and we read the main part
with a hard byte cap, because the sizes in a ZIP header can lie. The XML is parsed with
defusedxml with DTDs forbidden, so entity expansion ("billion laughs") and external entities
(XXE) are refused instead of resolved. The paragraphs' text then goes to the plain-text parser,
which knows the Teams (``Name  0:03`` headers, or timing lines) and Meet (``Name: text`` with
periodic timestamps) layouts.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from .limits import (
    DOCX_MAX_ENTRIES,
    DOCX_MAX_PART_BYTES,
    DOCX_MAX_RATIO,
    DOCX_MAX_UNCOMPRESSED,
    DOCX_RATIO_MIN_BYTES,
    MAX_LINES,
)
from .model import TranscriptError
from .normalize import RawCue
from .text import parse_text_lines

_MAIN_PART = "word/document.xml"
_OFFICE_DOCUMENT_REL = "/officeDocument"


def _bomb(message: str) -> TranscriptError:
    return TranscriptError("zip_bomb", message + "; the upload was refused for safety")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise TranscriptError(
            "corrupt_docx",
            "the .docx file is damaged or incomplete (it may have been cut off during upload)",
        ) from None
    infos = archive.infolist()
    if len(infos) > DOCX_MAX_ENTRIES:
        raise _bomb(f"the .docx holds {len(infos):,} parts")
    total = sum(info.file_size for info in infos)
    if total > DOCX_MAX_UNCOMPRESSED:
        raise _bomb(f"the .docx would expand to {total / 1e6:,.0f} MB")
    for info in infos:
        if info.file_size > DOCX_RATIO_MIN_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > DOCX_MAX_RATIO
        ):
            raise _bomb(f"the part {info.filename!r} is compressed {DOCX_MAX_RATIO:.0f}x or more")
    return archive


def check_docx_container(data: bytes) -> None:
    """The ZIP directory checks alone (entry count, sizes, ratios), without decompressing."""
    _open_zip(data).close()


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as handle:
            # Never trust the header's size: read at most the cap plus one byte.
            content = handle.read(DOCX_MAX_PART_BYTES + 1)
    except RuntimeError:
        raise TranscriptError(
            "encrypted", "the .docx is password-protected; remove the password and upload again"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise TranscriptError(
            "corrupt_docx",
            f"the part {name!r} of the .docx is damaged or incomplete (was the file cut off?)",
        ) from None
    if len(content) > DOCX_MAX_PART_BYTES:
        raise _bomb(f"the part {name!r} expands beyond {DOCX_MAX_PART_BYTES / 1e6:.0f} MB")
    return content


def _parse_xml(content: bytes, name: str) -> Element:
    try:
        return SafeET.fromstring(content, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise TranscriptError(
            "unsafe_xml",
            f"the part {name!r} declares a DTD or XML entities (possible XXE or entity "
            "expansion attack); Word never writes these, so the file was refused",
        ) from None
    except ParseError as exc:
        raise TranscriptError(
            "corrupt_docx", f"the part {name!r} of the .docx is not well-formed XML ({exc})"
        ) from None


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _main_part_name(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        rels = _parse_xml(_read_part(archive, "_rels/.rels"), "_rels/.rels")
        for rel in rels:
            if _local(rel.tag) == "Relationship" and str(rel.get("Type", "")).endswith(
                _OFFICE_DOCUMENT_REL
            ):
                target = str(rel.get("Target", "")).lstrip("/")
                if target in names:
                    return target
    if _MAIN_PART in names:
        return _MAIN_PART
    raise TranscriptError(
        "not_docx", "this ZIP file is not a Word document (it has no word/document.xml)"
    )


def paragraphs(root: Element) -> list[str]:
    """The text of every paragraph (``w:p``) in document order, tables included.

    Runs' ``w:t`` are concatenated, ``w:tab`` becomes a tab and ``w:br``/``w:cr`` a line break.
    Iterative on purpose: a hostile, deeply nested document must not exhaust the stack.
    """
    lines: list[str] = []
    stack: list[Element] = [root]
    while stack:
        element = stack.pop()
        if _local(element.tag) == "p":
            lines.extend(_paragraph_text(element).split("\n"))
            if len(lines) > MAX_LINES:
                raise TranscriptError(
                    "too_many_lines",
                    f"the document has more than {MAX_LINES:,} paragraphs; no meeting "
                    "transcript is that long",
                )
            continue
        stack.extend(reversed(list(element)))
    return lines


def _paragraph_text(paragraph: Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        name = _local(node.tag)
        if name == "t" and node.text:
            parts.append(node.text)
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)


def docx_lines(data: bytes) -> list[str]:
    """The text lines of a .docx document's body, after the safety checks above."""
    archive = _open_zip(data)
    with archive:
        name = _main_part_name(archive)
        root = _parse_xml(_read_part(archive, name), name)
    return paragraphs(root)


def parse_docx(data: bytes, warnings: list[str]) -> list[RawCue]:
    """Parse a Teams/Meet .docx transcript into raw cues."""
    return parse_text_lines(docx_lines(data), warnings, label=".docx document")
