"""The Word round trip: Word numbering, provenance comments, tracked-change redlines, and a
counterparty's edited copy coming back as a version whose departures from the meeting QA names.

Every test reads the produced DOCX back, with python-docx and as raw XML."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from datetime import date

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from bridge_app.core.drafting import make_draft, run_qa
from bridge_app.core.drafting.roundtrip import imported_version
from bridge_app.services.docx_import import DocxUnreadable, read_clauses
from bridge_app.services.render.docx_parts import CLAUSE_NUM_ID
from bridge_app.services.render.to_docx import render_docx, render_redline_docx
from tests.core.drafting.factory import sow_items

TODAY = date(2026, 1, 10)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sow():
    return make_draft(sow_items(), contract_type="sow", meeting_title="M", meeting_date=TODAY)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def test_clauses_use_word_numbering_that_word_renumbers() -> None:
    d = sow()
    data = render_docx(d)
    numbering = part(data, "word/numbering.xml")
    abstract = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{CLAUSE_NUM_ID}']")
    assert abstract is not None
    levels = {
        lvl.get(f"{W}ilvl"): (
            lvl.find(f"{W}numFmt").get(f"{W}val"),
            lvl.find(f"{W}lvlText").get(f"{W}val"),
        )
        for lvl in abstract.findall(f"{W}lvl")
    }
    assert levels == {"0": ("decimal", "%1."), "1": ("lowerLetter", "(%2)")}
    assert numbering.find(f"{W}num[@{W}numId='{CLAUSE_NUM_ID}']") is not None

    doc = Document(io.BytesIO(data))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings] == [c.heading for c in d.clauses]  # no typed numbers
    for h in headings:
        num = h._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        assert num.find(qn("w:numId")).get(qn("w:val")) == str(CLAUSE_NUM_ID)
        assert num.find(qn("w:ilvl")).get(qn("w:val")) == "0"
    # "(a) migration runbook" is a Word level-1 item, its letter from numbering.xml.
    items = [p for p in doc.paragraphs if p.text == "migration runbook;"]
    (runbook,) = items
    assert runbook._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}").get(qn("w:val")) == "1"


def test_each_clause_carries_its_provenance_as_a_comment() -> None:
    d = sow()
    data = render_docx(d)
    doc = Document(io.BytesIO(data))
    comments = list(doc.comments)
    fees = next(c for c in comments if "fee: USD 48,000.00" in c.text)
    assert "[00:00:45-00:00:50] Maya Chen" in fees.text
    assert "Okay, $48,000 works for us. Deal." in fees.text
    assert fees.author == "AI Meeting Contract Bridge"
    # The comment is anchored on the clause heading in document.xml.
    body = part(data, "word/document.xml")
    anchors = body.findall(f".//{W}commentRangeStart")
    assert len(anchors) == len(comments) == sum(1 for c in d.clauses if c.provenance)


def test_redline_docx_is_tracked_changes() -> None:
    v1 = sow()
    v2 = v1.with_clause_text("fees", v1.clause("fees").text.replace("48,000.00", "50,000.00"))
    data = render_redline_docx(v1, v2)
    body = part(data, "word/document.xml")
    deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")]
    inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in body.iter(f"{W}ins")]
    assert any("48,000.00" in t for t in deleted)
    assert any("50,000.00" in t for t in inserted)
    for change in [*body.iter(f"{W}del"), *body.iter(f"{W}ins")]:
        assert change.get(f"{W}author") == "AI Meeting Contract Bridge"
        assert change.get(f"{W}id") and change.get(f"{W}date")
    # Accepting all changes gives version 2's clauses back.
    read = read_clauses(data)
    assert [r.text for r in read] == [c.text for c in v2.clauses]


def test_an_unchanged_copy_comes_back_without_changes() -> None:
    d = sow()
    back = imported_version(d, read_clauses(render_docx(d)))
    assert back.counterparty_changes == ()
    assert [c.text for c in back.clauses] == [c.text for c in d.clauses]
    assert back.version == 2 and back.origin == "imported"


def _counterparty_edit(data: bytes) -> bytes:
    """What a counterparty's lawyer does in Word: retypes the fee, deletes the governing-law
    clause, and adds a sentence to Confidentiality as a tracked insertion."""
    doc = Document(io.BytesIO(data))
    paragraphs = doc.paragraphs
    for p in paragraphs:
        if "USD 48,000.00" in p.text:
            for run in p.runs:
                run.text = run.text.replace("48,000.00", "52,000.00")
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Governing Law")
    end = next(
        i for i in range(start + 1, len(paragraphs)) if paragraphs[i].style.name == "Heading 1"
    )
    for p in paragraphs[start:end]:
        p._p.getparent().remove(p._p)
    conf = next(i for i, p in enumerate(paragraphs) if p.text == "Confidentiality")
    body = paragraphs[conf + 1]
    ins = parse_xml(
        f'<w:ins {nsdecls("w")} w:id="901" w:author="Counterparty Counsel" '
        'w:date="2026-01-12T10:00:00Z"><w:r><w:t xml:space="preserve"> The Provider may name '
        "the Client as a reference customer.</w:t></w:r></w:ins>"
    )
    body._p.append(ins)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_counterpartys_edits_come_back_and_departures_are_flagged() -> None:
    items = sow_items()
    d = sow()
    back = imported_version(d, read_clauses(_counterparty_edit(render_docx(d))))
    kinds = {(c["kind"], c["clause"]) for c in back.counterparty_changes}
    assert kinds == {
        ("changed", "fees"),
        ("deleted", "governing-law"),
        ("changed", "confidentiality"),
    }
    assert "USD 52,000.00" in back.clause("fees").text
    assert "governing-law" not in {c.key for c in back.clauses}
    assert back.clause("confidentiality").text.endswith("reference customer.")

    findings = [f for f in run_qa(back, items, today=TODAY) if f.code == "counterparty_change"]
    fee = next(f for f in findings if f.clause == "fees")
    assert fee.severity == "blocker"
    assert fee.message.startswith(
        "Counterparty changed the fee to USD 52,000.00; agreed USD 48,000.00 at 00:45"
    )
    law = next(f for f in findings if f.clause == "governing-law")
    assert law.severity == "blocker" and 'deleted clause "Governing Law"' in law.message
    assert "New York" in law.message
    added = next(f for f in findings if f.clause == "confidentiality")
    assert added.severity == "warning" and "Counterparty Counsel" in added.message
    assert "tracked change" in added.message


def test_a_deleted_tracked_paragraph_is_gone_once_changes_are_accepted() -> None:
    d = sow()
    doc = Document(io.BytesIO(render_docx(d)))
    target = next(p for p in doc.paragraphs if p.text == "cutover plan.")
    for r in list(target._p.iter(qn("w:r"))):
        wrapper = parse_xml(
            f'<w:del {nsdecls("w")} w:id="77" w:author="CP" w:date="2026-01-12T00:00:00Z"/>'
        )
        r.addprevious(wrapper)
        for t in r.iter(qn("w:t")):
            t.tag = qn("w:delText")
        wrapper.append(deepcopy(r))
        r.getparent().remove(r)
    out = io.BytesIO()
    doc.save(out)
    (deliverables,) = [r for r in read_clauses(out.getvalue()) if r.key == "deliverables"]
    assert "cutover plan" not in deliverables.text and deliverables.tracked
    assert deliverables.authors == ("CP",)


def test_not_a_word_document_is_refused() -> None:
    with pytest.raises(DocxUnreadable, match="not a Word document"):
        read_clauses(b"plain text")
    empty = io.BytesIO()
    Document().save(empty)
    with pytest.raises(DocxUnreadable, match="no clauses found"):
        read_clauses(empty.getvalue())


def test_an_edited_clause_is_marked_in_every_format() -> None:
    from bridge_app.core.drafting import regenerate
    from bridge_app.services.render.to_html import render_html
    from bridge_app.services.render.to_markdown import render_markdown
    from bridge_app.services.render.to_pdf import render_pdf
    from tests.services.test_render import pdf_text

    v1 = sow()
    edit = {"text": "The Client shall review each Deliverable promptly.", "by": "lee@x.test"}
    v2 = regenerate(v1, sow_items(), overrides={"acceptance": {**edit, "reason": "house"}})
    mark = "Acceptance (edited by lee@x.test: house)"
    assert mark in render_markdown(v2)
    assert mark in render_html(v2)
    assert mark in pdf_text(render_pdf(v2))
    doc = Document(io.BytesIO(render_docx(v2)))
    assert any(p.text.endswith(mark) for p in doc.paragraphs)
    assert any("Edited by lee@x.test: house." in c.text for c in doc.comments)
