"""Helpers shared by the transcript tests."""

from __future__ import annotations

import io
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"
# tests/core/transcript/_support.py -> parents[3] is the repository root (/work/main).
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def sample(name: str) -> bytes:
    """The bytes of a sample file written for these tests."""
    return (SAMPLES / name).read_bytes()


def word_docx(paragraphs: list[str], *, table_rows: list[tuple[str, str]] | None = None) -> bytes:
    """A real Word document made with python-docx (as Teams/Meet exports are Word files)."""
    import docx  # python-docx; imported lazily so collection stays fast

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=0, cols=2)
        for left, right in table_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = left, right
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
