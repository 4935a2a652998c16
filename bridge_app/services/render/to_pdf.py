"""The draft as a PDF (A4), with the signature block and the provenance appendix.

The PDF uses fpdf2's built-in core fonts, so nothing has to be fetched or installed beyond the
pip package; those fonts cover latin-1 only, so text is transliterated to it (curly quotes,
dashes, ellipses …) and anything else is replaced by ``?``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from bridge_app.core.drafting.model import Clause, Draft
from bridge_app.services.render.skeleton import (
    LIST_LINE,
    ContractWriter,
    edited,
    prov_heading,
    source_lines,
)

_LATIN1 = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2022": "*",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u20ac": "EUR ",
    }
)


def to_latin1(text: str) -> str:
    """Text the PDF core fonts can show: common typography mapped, the rest as ``?``."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class _ContractPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self._footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self._footer_text} - page {self.page_no()}", align="C")
        self.set_text_color(0)


class PdfWriter(ContractWriter[bytes]):
    def __init__(self) -> None:
        self.pdf: _ContractPDF | None = None
        self.widths: dict[tuple[str, float, str], float] = {}

    def _width(self, word: str, style: str, size: float) -> float:
        key = (style, size, word)
        if key not in self.widths:
            assert self.pdf is not None
            self.widths[key] = self.pdf.get_string_width(word)
        return self.widths[key]

    def para(
        self,
        text: str,
        *,
        size: float = 10.5,
        style: str = "",
        indent: float = 0.0,
        gap: float = 1.5,
    ) -> None:
        pdf = self.pdf
        assert pdf is not None
        width = self._width
        # Our own greedy line breaking: fpdf2's multi_cell re-measures the line for every
        # character, which made a ten-page contract take ~0.3 s; this takes a few ms.
        pdf.set_font("Helvetica", style=style, size=size)
        line_h = size * 0.5
        avail = pdf.epw - indent
        space = width(" ", style, size)
        lines: list[str] = []
        current: list[str] = []
        used = 0.0
        for word in to_latin1(text).split():
            w = width(word, style, size)
            if current and used + space + w > avail:
                lines.append(" ".join(current))
                current, used = [word], w
            else:
                used = w if not current else used + space + w
                current.append(word)
        lines.append(" ".join(current))
        for line in lines:
            if pdf.get_y() + line_h > pdf.page_break_trigger:
                pdf.add_page()
            # Baseline about 80% down the line box, like a cell with this height.
            pdf.text(pdf.l_margin + indent, pdf.get_y() + line_h * 0.8, line)
            pdf.set_y(pdf.get_y() + line_h)
        pdf.ln(gap)

    def begin(self, draft: Draft, meta: str) -> None:
        pdf = self.pdf = _ContractPDF(to_latin1(f"{draft.title}, version {draft.version}"))
        pdf.set_title(to_latin1(draft.title))
        pdf.set_creation_date(datetime.fromisoformat(draft.prepared_on).replace(tzinfo=UTC))
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_margins(20, 18, 20)
        pdf.add_page()
        self.para(draft.title, size=18, style="B", gap=2)
        self.para(meta, size=9, style="I", gap=4)

    def clause(self, clause: Clause, n: int) -> None:
        assert self.pdf is not None
        self.para(f"{clause.number}. {clause.heading}", size=12, style="B", gap=1)
        for line in clause.text.split("\n"):
            self.para(line, indent=8 if LIST_LINE.match(line) else 0)
        self.pdf.ln(1.5)

    def signatures(self, rows: list[tuple[str, str]]) -> None:
        self.para("Signatures", size=12, style="B", gap=2)
        for name, role in rows:
            label = f"For {name}" + (f' (the "{role}")' if role and role != "Party" else "")
            self.para(label, style="B", gap=0.5)
            self.para(
                "Signature: ______________________   Name: ____________   Title: ____________   "
                "Date: ________",
                size=9.5,
                gap=3,
            )

    def appendix_start(self) -> None:
        assert self.pdf is not None
        self.pdf.add_page()
        self.para("Appendix A - Provenance", size=14, style="B", gap=2)
        self.para(
            "Each value filled into this draft, the meeting item it came from, and the transcript "
            "moments (time from the start of the meeting, speaker, segment) that support it.",
            size=9,
            style="I",
            gap=3,
        )

    def appendix_clause(self, clause: Clause) -> None:
        if not clause.provenance and not clause.override:
            return
        self.para(f"{clause.number}. {clause.heading}{edited(clause)}", size=11, style="B", gap=1)
        for prov in clause.provenance:
            self.para(prov_heading(prov), size=9.5, style="B", indent=4, gap=0.5)
            for line in source_lines(prov):
                self.para(line, size=9, indent=8, gap=1)

    def finish(self) -> bytes:
        assert self.pdf is not None
        return bytes(self.pdf.output())


def render_pdf(draft: Draft) -> bytes:
    """The draft as a PDF (core fonts, A4), with signature block and provenance appendix."""
    return PdfWriter().write(draft)
