"""Rendering drafts to files: Markdown, HTML, DOCX (python-docx) and PDF (fpdf2).

An adapter, not core: it turns a :class:`~bridge_app.core.drafting.Draft` into bytes. Every
format carries the contract (title, numbered clauses, defined terms, signature block) and a
provenance appendix listing each clause's sources: item, segments, timestamps, speaker, quote.

The PDF uses fpdf2's built-in core fonts, so nothing has to be fetched or installed beyond the
pip package; those fonts cover latin-1 only, so text is transliterated to it (curly quotes,
dashes, ellipses …) and anything else is replaced by ``?``.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Sequence
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor
from fpdf import FPDF

from bridge_app.core.drafting.model import PLACEHOLDER_RE, Clause, Draft, Finding, Provenance
from bridge_app.core.drafting.redline import RedlineOp, redline, redline_drafts, redline_html
from bridge_app.core.drafting.roundtrip import BOOKMARK_PREFIX
from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.drafting.terms import fmt_date
from bridge_app.core.review.terms import REVIEWER_ENTERED
from bridge_app.services.text_safety import escape_markdown_html

_LIST_LINE = re.compile(r"^\(([a-z]{1,3}|\d{1,2})\)\s")


def fmt_time(seconds: float) -> str:
    """Seconds from the meeting start as ``HH:MM:SS``."""
    total = max(0, int(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _meta_line(draft: Draft) -> str:
    status = f"Approved version {draft.version} ({draft.approval})" if draft.approval else ""
    return (
        f"{status or f'Draft version {draft.version}'}, prepared on "
        f"{fmt_date(draft.prepared_on)} from the "
        f'meeting "{draft.meeting_title}" held on {fmt_date(draft.meeting_date)}.'
    )


def _source_lines(prov: Provenance) -> list[str]:
    """One line per quote: ``[00:01:02-00:01:07] Dana (s12): "…"``."""
    if not prov.quotes:
        return [f"({REVIEWER_ENTERED})"]
    return [
        f"[{fmt_time(q.start)}-{fmt_time(q.end)}] {q.speaker or 'unknown speaker'} "
        f'({q.segment_id}): "{q.quote}"'
        for q in prov.quotes
    ]


def _prov_heading(prov: Provenance) -> str:
    return f"{prov.term.replace('_', ' ')}: {prov.display} (item {prov.item_id})"


def _edited(clause: Clause) -> str:
    """ " (edited by …: reason)" for a clause a legal user rewrote, else ""."""
    if not clause.override:
        return ""
    by = clause.override.get("by") or "a legal user"
    reason = clause.override.get("reason")
    return f" (edited by {by}" + (f": {reason}" if reason else "") + ")"


def _signature_rows(draft: Draft) -> list[tuple[str, str]]:
    """(party name, defined term) per signature block, in party order; a party the meeting did
    not name keeps its placeholder here too."""
    roles = TEMPLATES[draft.contract_type].roles
    try:
        missing = set(draft.clause("parties").missing)
    except KeyError:
        missing = set()
    present = iter(draft.parties)
    rows = []
    for n, role in enumerate(roles, start=1):
        if f"party_{n}" in missing:
            label = ("first party", "second party")[n - 1] if role == "Party" else role.lower()
            rows.append((f"[[MISSING: {label}]]", role))
        else:
            party = next(present, None)
            if party is not None:
                rows.append((party.name, party.defined_as))
    return rows


# ---------------------------------------------------------------- Markdown


def render_markdown(draft: Draft, findings: Sequence[Finding] | None = None) -> str:
    """The draft as Markdown, with the provenance appendix (and the QA report when given)."""
    out = [f"# {draft.title}", "", f"_{_meta_line(draft)}_", ""]
    for clause in draft.clauses:
        out += [f"## {clause.number}. {clause.heading}", ""]
        for line in clause.text.split("\n"):
            out += [line, ""]
    out += ["## Signatures", ""]
    for name, role in _signature_rows(draft):
        label = f"For **{name}**" + (f' (the "{role}")' if role and role != "Party" else "")
        out += [
            label,
            "",
            "Signature: ______________________  ",
            "Name:  ",
            "Title:  ",
            "Date:  ",
            "",
        ]
    out += ["## Appendix A - Provenance", ""]
    for clause in draft.clauses:
        if not clause.provenance and not clause.override:
            continue
        out += [f"### {clause.number}. {clause.heading}{_edited(clause)}", ""]
        for prov in clause.provenance:
            out.append(f"- **{_prov_heading(prov)}**")
            out += [f"  - {line}" for line in _source_lines(prov)]
        out.append("")
    if findings is not None:
        out += ["## QA report", ""]
        if not findings:
            out.append("No findings.")
        for f in findings:
            where = f" (clause {f.clause})" if f.clause else ""
            out.append(f"- **{f.severity}** `{f.code}`{where}: {f.message}")
        out.append("")
    return escape_markdown_html("\n".join(out).rstrip() + "\n")


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:Georgia,serif;max-width:46em;margin:2em auto;line-height:1.5;color:#111}
h1{text-align:center}.meta{color:#555;font-style:italic;text-align:center}
.list{margin-left:2em}mark.placeholder{background:#ffe08a}
.sig{display:inline-block;width:45%;vertical-align:top;margin-top:1em}
.prov{font-size:.9em}.prov td,.prov th{border:1px solid #ccc;padding:.3em;vertical-align:top}
.prov{border-collapse:collapse;width:100%}ins{color:#1a5e20;background:#e3f5e1}
del{color:#a0161b;background:#fbe3e4}.blocker{color:#a0161b}.warning{color:#8a5a00}
"""


def _html_text(text: str, defined: set[str]) -> str:
    """Escape, mark placeholders, and bold terms where they are defined (``"Client"``)."""
    escaped = html.escape(text, quote=False)
    escaped = PLACEHOLDER_RE.sub(
        lambda m: f'<mark class="placeholder">{m.group(0)}</mark>', escaped
    )

    def bold(m: re.Match[str]) -> str:
        return f'"<strong>{m.group(1)}</strong>"' if m.group(1) in defined else m.group(0)

    return re.sub(r'"([^"\n]{1,60})"', bold, escaped)


def _html_clause(clause: Clause, defined: set[str]) -> str:
    parts = [f'<section id="clause-{html.escape(clause.key)}">']
    parts.append(f"<h2>{html.escape(clause.number)}. {html.escape(clause.heading)}</h2>")
    for line in clause.text.split("\n"):
        cls = ' class="list"' if _LIST_LINE.match(line) else ""
        parts.append(f"<p{cls}>{_html_text(line, defined)}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def render_html(draft: Draft, findings: Sequence[Finding] | None = None) -> str:
    """The draft as a standalone HTML page (provenance appendix; QA report when given)."""
    defined = {term for term, _ in draft.defined_terms}
    esc = html.escape
    body = [f"<h1>{esc(draft.title)}</h1>", f'<p class="meta">{esc(_meta_line(draft))}</p>']
    body += [_html_clause(c, defined) for c in draft.clauses]
    body.append('<section id="signatures"><h2>Signatures</h2>')
    for name, role in _signature_rows(draft):
        suffix = f" (the {esc(role)})" if role and role != "Party" else ""
        body.append(
            f'<div class="sig"><p>For <strong>{esc(name)}</strong>{suffix}</p>'
            "<p>Signature: ______________________</p><p>Name:</p><p>Title:</p><p>Date:</p></div>"
        )
    body.append("</section>")
    body.append('<section id="provenance"><h2>Appendix A - Provenance</h2>')
    body.append(
        '<table class="prov"><tr><th>Clause</th><th>Value</th><th>Item</th>'
        "<th>Source (time, speaker, segment, quote)</th></tr>"
    )
    for clause in draft.clauses:
        if clause.override and not clause.provenance:
            body.append(
                f"<tr><td>{esc(clause.number)}. {esc(clause.heading)}{esc(_edited(clause))}</td>"
                '<td colspan="3">written by a legal user; no meeting value in it</td></tr>'
            )
        for prov in clause.provenance:
            sources = "<br>".join(esc(s) for s in _source_lines(prov))
            body.append(
                f"<tr><td>{esc(clause.number)}. {esc(clause.heading)}{esc(_edited(clause))}</td>"
                f"<td>{esc(prov.term.replace('_', ' '))}: {esc(prov.display)}</td>"
                f"<td>{esc(prov.item_id)}</td><td>{sources}</td></tr>"
            )
    body.append("</table></section>")
    if findings is not None:
        body.append('<section id="qa"><h2>QA report</h2><ul>')
        if not findings:
            body.append("<li>No findings.</li>")
        for f in findings:
            where = f" (clause {esc(f.clause)})" if f.clause else ""
            body.append(
                f'<li class="{esc(f.severity)}"><strong>{esc(f.severity)}</strong> '
                f"<code>{esc(f.code)}</code>{where}: {esc(f.message)}</li>"
            )
        body.append("</ul></section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(draft.title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


# ---------------------------------------------------------------- DOCX

_DEFINED_QUOTE = re.compile(r'("[^"\n]{1,60}")|(\[\[(?:MISSING|CONFLICT): [^\]]+\]\])')


def _docx_runs(paragraph: Any, text: str, defined: set[str]) -> None:
    """Add text to a paragraph, bolding defined terms and highlighting placeholders."""
    pos = 0
    for m in _DEFINED_QUOTE.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()])
        if m.group(1):
            term = m.group(1)[1:-1]
            if term in defined:
                paragraph.add_run('"')
                paragraph.add_run(term).bold = True
                paragraph.add_run('"')
            else:
                paragraph.add_run(m.group(1))
        else:
            run = paragraph.add_run(m.group(2))
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            run.bold = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def _new_document(draft: Draft) -> Any:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", 12), ("Heading 2", 11), ("Title", 20)):
        heading = doc.styles[name]
        heading.font.name = "Calibri"
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    props = doc.core_properties
    props.title = draft.title
    props.subject = f"Drafted from the meeting {draft.meeting_title}"
    props.author = AUTHOR
    stamp = datetime.fromisoformat(draft.prepared_on).replace(tzinfo=UTC)
    props.created = stamp
    props.modified = stamp
    return doc


AUTHOR = "AI Meeting Contract Bridge"
CLAUSE_NUM_ID = 90  # our numbering definition in numbering.xml (clauses 1., 2. … and (a), (b) …)


def _add_clause_numbering(doc: Any) -> None:
    """A multi-level list in numbering.xml: level 0 "1." for clause headings, level 1 "(a)"
    for a clause's list items, restarting under each clause. Word renumbers both."""
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{CLAUSE_NUM_ID}">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="1134" w:hanging="567"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{CLAUSE_NUM_ID}">'
        f'<w:abstractNumId w:val="{CLAUSE_NUM_ID}"/></w:num>'
    )
    # abstractNum elements must precede num elements in numbering.xml.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)


_XML: dict[str, Any] = {}


def _xml(source: str) -> Any:
    """A fresh copy of an XML fragment, parsed once (parsing costs more than copying)."""
    if source not in _XML:
        _XML[source] = parse_xml(source)
    return deepcopy(_XML[source])


def _styled(doc: Any, style_id: str, text: str = "") -> Any:
    """A paragraph in a built-in style, set by its id: python-docx's lookup by style name
    scans every style for each paragraph, which made a ten-page contract take half a second."""
    para = doc.add_paragraph(text)
    para._p.get_or_add_pPr().insert(0, _xml(f'<w:pStyle {nsdecls("w")} w:val="{style_id}"/>'))
    return para


def _number(paragraph: Any, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.insert(
        0,
        _xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{CLAUSE_NUM_ID}"/></w:numPr>'
        ),
    )


def _bookmark(paragraph: Any, name: str, ident: int) -> None:
    p = paragraph._p
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{ident}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{ident}"/>')
    p_pr = p.find(qn("w:pPr"))
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


_LETTER_LINE = re.compile(r"^\(([a-z]{1,3})\)\s+")


def _provenance_comment(clause: Clause) -> str:
    lines = []
    if clause.override:
        by = clause.override.get("by") or "a legal user"
        reason = clause.override.get("reason")
        lines.append(f"Edited by {by}" + (f": {reason}" if reason else "") + ".")
    for prov in clause.provenance:
        lines.append(_prov_heading(prov))
        lines += [f"  {line}" for line in _source_lines(prov)]
    return "\n".join(lines)


def _clause_paragraphs(doc: Any, clause: Clause, defined: set[str], ident: int) -> None:
    heading = _styled(doc, "Heading1")
    _number(heading, 0)
    run = heading.add_run(clause.heading)
    _bookmark(heading, f"{BOOKMARK_PREFIX}{clause.key}"[:40], ident)
    comment = _provenance_comment(clause)
    if comment:
        doc.add_comment(run, text=comment, author=AUTHOR, initials="MCB")
    for line in clause.text.split("\n"):
        para = doc.add_paragraph()
        m = _LETTER_LINE.match(line)
        if m:
            _number(para, 1)
            line = line[m.end() :]
        elif _LIST_LINE.match(line):
            para.paragraph_format.left_indent = Pt(28)
        _docx_runs(para, line, defined)


def render_docx(draft: Draft) -> bytes:
    """The draft as a Word document: clause headings and their (a), (b) items in Word's own
    numbering (numbering.xml, so Word renumbers them), bold defined terms, a comment on each
    clause heading carrying its provenance (speaker, time, quote), the signature block and
    the provenance appendix. Each heading carries a ``clause_<key>`` bookmark, which lets an
    edited copy come back in (:mod:`bridge_app.services.docx_import`)."""
    defined = {term for term, _ in draft.defined_terms}
    doc = _new_document(draft)
    _add_clause_numbering(doc)
    _styled(doc, "Title", draft.title)
    doc.add_paragraph(_meta_line(draft)).runs[0].italic = True
    for n, clause in enumerate(draft.clauses, start=1):
        _clause_paragraphs(doc, clause, defined, n)

    _styled(doc, "Heading2", "Signatures")
    rows = _signature_rows(draft)
    table = doc.add_table(rows=5, cols=max(1, len(rows)))
    for col, (name, role) in enumerate(rows):
        cells = [table.cell(r, col) for r in range(5)]
        title = f"For {name}" + (f' (the "{role}")' if role and role != "Party" else "")
        cells[0].text = title
        cells[1].text = "Signature: ______________________"
        cells[2].text = "Name:"
        cells[3].text = "Title:"
        cells[4].text = "Date:"

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _styled(doc, "Heading2", "Appendix A - Provenance")
    doc.add_paragraph(
        "Each value filled into this draft, the meeting item it came from, and the transcript "
        "moments (time from the start of the meeting, speaker, segment) that support it."
    )
    for clause in draft.clauses:
        if not clause.provenance and not clause.override:
            continue
        title = f"{clause.number}. {clause.heading}{_edited(clause)}"
        _styled(doc, "Heading3", title)
        for prov in clause.provenance:
            para = _styled(doc, "ListBullet")
            para.add_run(_prov_heading(prov)).bold = True
            for line in _source_lines(prov):
                para.add_run().add_break()
                para.add_run(line).italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _tracked(kind: str, text: str, ident: int, stamp: str) -> Any:
    """A ``w:ins`` or ``w:del`` run, as Word's Review pane shows it."""
    tag = "w:ins" if kind == "insert" else "w:del"
    text_tag = "w:t" if kind == "insert" else "w:delText"
    el = _xml(
        f'<{tag} {nsdecls("w")} w:id="0" w:author="{AUTHOR}" w:date="{stamp}">'
        f'<w:r><{text_tag} xml:space="preserve"></{text_tag}></w:r></{tag}>'
    )
    el.set(qn("w:id"), str(ident))
    el[0][0].text = text
    return el


def _plain(text: str) -> Any:
    el = _xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"></w:t></w:r>')
    el[0].text = text
    return el


def render_redline_docx(old: Draft, new: Draft) -> bytes:
    """A Word redline between two versions as real tracked changes: every insertion a
    ``w:ins``, every deletion a ``w:del`` (author "AI Meeting Contract Bridge"), so Word's
    Review pane lists them and can accept or reject each one."""
    doc = _new_document(new)
    _add_clause_numbering(doc)
    _styled(doc, "Title", f"Redline: version {old.version} to version {new.version}")
    doc.add_paragraph(
        f"Changes from version {old.version} to version {new.version} of the {new.title}, as "
        "tracked changes."
    ).runs[0].italic = True
    stamp = datetime.fromisoformat(new.prepared_on).strftime("%Y-%m-%dT00:00:00Z")
    ident = 1
    old_by_key = {c.key: c for c in old.clauses}
    new_keys = {c.key for c in new.clauses}
    # Clauses in the new order, each deleted clause after the clause that preceded it.
    rows: list[tuple[Clause | None, Clause | None]] = []
    for clause in new.clauses:
        rows.append((old_by_key.get(clause.key), clause))
    for n, clause in enumerate(old.clauses):
        if clause.key not in new_keys:
            prev = old.clauses[n - 1].key if n else None
            at = next((i + 1 for i, (_, c) in enumerate(rows) if c and c.key == prev), 0)
            rows.insert(at, (clause, None))
    for before, after in rows:
        shown = after or before
        assert shown is not None
        head = _styled(doc, "Heading1")
        _number(head, 0)
        if before is None or after is None or before.heading != after.heading:
            if before is not None:
                head._p.append(_tracked("delete", before.heading, ident, stamp))
                ident += 1
            if after is not None:
                head._p.append(_tracked("insert", after.heading, ident, stamp))
                ident += 1
        else:
            head._p.append(_plain(shown.heading))
        ops = redline(before.text if before else "", after.text if after else "")
        para = doc.add_paragraph()
        for op in ops:
            for n, piece in enumerate(op.text.split("\n")):
                if n > 0:
                    para = doc.add_paragraph()
                if not piece:
                    continue
                if op.op == "equal":
                    para._p.append(_plain(piece))
                else:
                    para._p.append(_tracked(op.op, piece, ident, stamp))
                    ident += 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_redline_html(old: Draft, new: Draft) -> str:
    """An HTML page with the word-level redline between two versions."""
    ops: list[RedlineOp] = redline_drafts(old, new)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Redline v{old.version} to v{new.version}</title><style>{_CSS}</style></head>"
        f"<body><h1>Redline: version {old.version} to version {new.version}</h1>\n<p>"
        + redline_html(ops)
        + "</p></body></html>\n"
    )


# ---------------------------------------------------------------- PDF

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


def render_pdf(draft: Draft) -> bytes:
    """The draft as a PDF (core fonts, A4), with signature block and provenance appendix."""
    pdf = _ContractPDF(to_latin1(f"{draft.title}, version {draft.version}"))
    pdf.set_title(to_latin1(draft.title))
    pdf.set_creation_date(datetime.fromisoformat(draft.prepared_on).replace(tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()

    widths: dict[tuple[str, float, str], float] = {}

    def width(word: str, style: str, size: float) -> float:
        key = (style, size, word)
        if key not in widths:
            widths[key] = pdf.get_string_width(word)
        return widths[key]

    def para(
        text: str, *, size: float = 10.5, style: str = "", indent: float = 0.0, gap: float = 1.5
    ) -> None:
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

    para(draft.title, size=18, style="B", gap=2)
    para(_meta_line(draft), size=9, style="I", gap=4)
    for clause in draft.clauses:
        para(f"{clause.number}. {clause.heading}", size=12, style="B", gap=1)
        for line in clause.text.split("\n"):
            para(line, indent=8 if _LIST_LINE.match(line) else 0)
        pdf.ln(1.5)

    para("Signatures", size=12, style="B", gap=2)
    for name, role in _signature_rows(draft):
        label = f"For {name}" + (f' (the "{role}")' if role and role != "Party" else "")
        para(label, style="B", gap=0.5)
        para(
            "Signature: ______________________   Name: ____________   Title: ____________   "
            "Date: ________",
            size=9.5,
            gap=3,
        )

    pdf.add_page()
    para("Appendix A - Provenance", size=14, style="B", gap=2)
    para(
        "Each value filled into this draft, the meeting item it came from, and the transcript "
        "moments (time from the start of the meeting, speaker, segment) that support it.",
        size=9,
        style="I",
        gap=3,
    )
    for clause in draft.clauses:
        if not clause.provenance and not clause.override:
            continue
        para(f"{clause.number}. {clause.heading}{_edited(clause)}", size=11, style="B", gap=1)
        for prov in clause.provenance:
            para(_prov_heading(prov), size=9.5, style="B", indent=4, gap=0.5)
            for line in _source_lines(prov):
                para(line, size=9, indent=8, gap=1)
    return bytes(pdf.output())


# ---------------------------------------------------------------- registry


def _markdown_bytes(draft: Draft) -> bytes:
    return render_markdown(draft).encode("utf-8")


def _html_bytes(draft: Draft) -> bytes:
    return render_html(draft).encode("utf-8")


# format -> (renderer returning bytes, content type, file extension)
RENDERERS: dict[str, tuple[Callable[[Draft], bytes], str, str]] = {
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "pdf": (render_pdf, "application/pdf", "pdf"),
    "md": (_markdown_bytes, "text/markdown; charset=utf-8", "md"),
    "html": (_html_bytes, "text/html; charset=utf-8", "html"),
}


def render(draft: Draft, fmt: str) -> tuple[bytes, str, str]:
    """Render one format: (bytes, content type, extension). KeyError for an unknown format."""
    func, content_type, ext = RENDERERS[fmt]
    return func(draft), content_type, ext
