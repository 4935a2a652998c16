"""Reading a counterparty's edited DOCX: clauses, with their tracked changes accepted.

The document is read as Word stores it (python-docx for the package, lxml for the XML): a
clause starts at each "Heading 1" paragraph (the export numbers them with Word numbering, so
the number is not in the text) and runs to the next one; "Signatures" ends the contract.
Inserted text (``w:ins``) is kept, deleted text (``w:del``/``w:delText``) dropped, so the
result is the document with all changes accepted, which is what the counterparty proposes.
List items numbered by Word at level 1 get their "(a)", "(b)" back.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from bridge_app.core.drafting.roundtrip import BOOKMARK_PREFIX, ReadClause

_END_HEADINGS = ("signatures", "appendix a")


class DocxUnreadable(ValueError):
    """Not a Word document this product can read (message for a person)."""


def _letter(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def _paragraph_text(p: Any) -> tuple[str, bool, set[str]]:
    """A paragraph's text with tracked changes accepted, whether it has any, and their authors."""
    parts: list[str] = []
    tracked = False
    authors: set[str] = set()
    for el in p.iter():
        tag = el.tag
        if tag in (qn("w:ins"), qn("w:del")):
            tracked = True
            if el.get(qn("w:author")):
                authors.add(el.get(qn("w:author")))
        if tag == qn("w:t"):
            if any(a.tag == qn("w:del") for a in el.iterancestors()):
                continue
            parts.append(el.text or "")
        elif tag == qn("w:tab"):
            parts.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            parts.append(" ")
    return "".join(parts), tracked, authors


def _is_deleted_paragraph(p: Any) -> bool:
    """A paragraph whose every run was deleted (its mark too) is gone once changes are accepted."""
    runs = p.findall(f".//{qn('w:r')}")
    return bool(runs) and all(any(a.tag == qn("w:del") for a in r.iterancestors()) for r in runs)


def _style_name(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name or "")
    except (KeyError, ValueError):
        return ""


def read_clauses(data: bytes) -> list[ReadClause]:
    """The clauses of an exported-then-edited DOCX (see the module docstring)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxUnreadable("the file is not a Word document (.docx)")
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise DocxUnreadable(f"the Word document cannot be read: {exc}") from None
    out: list[ReadClause] = []
    current: dict[str, Any] | None = None
    letter = 0

    def close() -> None:
        if current is not None:
            text = "\n".join(line for line in current["lines"] if line.strip())
            out.append(
                ReadClause(
                    key=current["key"],
                    heading=current["heading"],
                    text=text,
                    tracked=current["tracked"],
                    authors=tuple(sorted(current["authors"])),
                )
            )

    for paragraph in doc.paragraphs:
        p = paragraph._p
        text, tracked, authors = _paragraph_text(p)
        style = _style_name(paragraph)
        if style.startswith("Heading 1") or (style.startswith("Heading") and current is None):
            if not text.strip() and _is_deleted_paragraph(p):
                continue
            if text.strip().lower().startswith(_END_HEADINGS):
                break
            if not style.startswith("Heading 1"):
                continue
            close()
            key = None
            for mark in p.iter(qn("w:bookmarkStart")):
                name = mark.get(qn("w:name")) or ""
                if name.startswith(BOOKMARK_PREFIX):
                    key = name[len(BOOKMARK_PREFIX) :]
            if not text.strip():
                current = None  # a heading deleted as a tracked change: its clause goes too
                continue
            current = {
                "key": key,
                "heading": text.strip(),
                "lines": [],
                "tracked": tracked,
                "authors": set(authors),
            }
            letter = 0
            continue
        if text.strip().lower().startswith(_END_HEADINGS) and style.startswith("Heading"):
            break
        if current is None:
            continue
        if _is_deleted_paragraph(p) and not text.strip():
            current["tracked"] = True
            current["authors"] |= authors
            continue
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
        if num is not None and num.get(qn("w:val")) == "1" and text.strip():
            letter += 1
            text = f"({_letter(letter)}) {text.strip()}"
        current["lines"].append(text.strip())
        current["tracked"] = current["tracked"] or tracked
        current["authors"] |= authors
    close()
    if not out:
        raise DocxUnreadable(
            "no clauses found: the document has no 'Heading 1' clause headings (import a copy "
            "of a DOCX exported from this draft)"
        )
    return out
