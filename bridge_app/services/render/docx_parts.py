"""Word building blocks shared by the contract and the redline: document setup, clause
numbering in numbering.xml, styled and numbered paragraphs, bookmarks, tracked-change runs."""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from bridge_app.core.drafting.model import Clause, Draft
from bridge_app.core.drafting.roundtrip import BOOKMARK_PREFIX
from bridge_app.services.render.skeleton import LIST_LINE, prov_heading, source_lines

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


def new_document(draft: Draft) -> Any:
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


def add_clause_numbering(doc: Any) -> None:
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


def styled(doc: Any, style_id: str, text: str = "") -> Any:
    """A paragraph in a built-in style, set by its id: python-docx's lookup by style name
    scans every style for each paragraph, which made a ten-page contract take half a second."""
    para = doc.add_paragraph(text)
    para._p.get_or_add_pPr().insert(0, _xml(f'<w:pStyle {nsdecls("w")} w:val="{style_id}"/>'))
    return para


def set_numbering(paragraph: Any, level: int) -> None:
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
        lines.append(prov_heading(prov))
        lines += [f"  {line}" for line in source_lines(prov)]
    return "\n".join(lines)


def clause_paragraphs(doc: Any, clause: Clause, defined: set[str], ident: int) -> None:
    heading = styled(doc, "Heading1")
    set_numbering(heading, 0)
    run = heading.add_run(clause.heading)
    _bookmark(heading, f"{BOOKMARK_PREFIX}{clause.key}"[:40], ident)
    comment = _provenance_comment(clause)
    if comment:
        doc.add_comment(run, text=comment, author=AUTHOR, initials="MCB")
    for line in clause.text.split("\n"):
        para = doc.add_paragraph()
        m = _LETTER_LINE.match(line)
        if m:
            set_numbering(para, 1)
            line = line[m.end() :]
        elif LIST_LINE.match(line):
            para.paragraph_format.left_indent = Pt(28)
        _docx_runs(para, line, defined)


def tracked_run(kind: str, text: str, ident: int, stamp: str) -> Any:
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


def plain_run(text: str) -> Any:
    el = _xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"></w:t></w:r>')
    el[0].text = text
    return el
