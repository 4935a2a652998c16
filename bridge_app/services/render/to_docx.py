"""The draft as a Word document, and the redline between two versions as tracked changes."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from docx.enum.text import WD_BREAK

from bridge_app.core.drafting.model import Clause, Draft
from bridge_app.core.drafting.redline import redline
from bridge_app.services.render.docx_parts import (
    add_clause_numbering,
    clause_paragraphs,
    new_document,
    plain_run,
    set_numbering,
    styled,
    tracked_run,
)
from bridge_app.services.render.skeleton import ContractWriter, edited, prov_heading, source_lines


class DocxWriter(ContractWriter[bytes]):
    def __init__(self) -> None:
        self.doc: Any = None
        self.defined: set[str] = set()

    def begin(self, draft: Draft, meta: str) -> None:
        self.defined = {term for term, _ in draft.defined_terms}
        self.doc = new_document(draft)
        add_clause_numbering(self.doc)
        styled(self.doc, "Title", draft.title)
        self.doc.add_paragraph(meta).runs[0].italic = True

    def clause(self, clause: Clause, n: int) -> None:
        clause_paragraphs(self.doc, clause, self.defined, n)

    def signatures(self, rows: list[tuple[str, str]]) -> None:
        styled(self.doc, "Heading2", "Signatures")
        table = self.doc.add_table(rows=5, cols=max(1, len(rows)))
        for col, (name, role) in enumerate(rows):
            cells = [table.cell(r, col) for r in range(5)]
            title = f"For {name}" + (f' (the "{role}")' if role and role != "Party" else "")
            cells[0].text = title
            cells[1].text = "Signature: ______________________"
            cells[2].text = "Name:"
            cells[3].text = "Title:"
            cells[4].text = "Date:"

    def appendix_start(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        styled(self.doc, "Heading2", "Appendix A - Provenance")
        self.doc.add_paragraph(
            "Each value filled into this draft, the meeting item it came from, and the transcript "
            "moments (time from the start of the meeting, speaker, segment) that support it."
        )

    def appendix_clause(self, clause: Clause) -> None:
        if not clause.provenance and not clause.override:
            return
        title = f"{clause.number}. {clause.heading}{edited(clause)}"
        styled(self.doc, "Heading3", title)
        for prov in clause.provenance:
            para = styled(self.doc, "ListBullet")
            para.add_run(prov_heading(prov)).bold = True
            for line in source_lines(prov):
                para.add_run().add_break()
                para.add_run(line).italic = True

    def finish(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def render_docx(draft: Draft) -> bytes:
    """The draft as a Word document: clause headings and their (a), (b) items in Word's own
    numbering (numbering.xml, so Word renumbers them), bold defined terms, a comment on each
    clause heading carrying its provenance (speaker, time, quote), the signature block and
    the provenance appendix. Each heading carries a ``clause_<key>`` bookmark, which lets an
    edited copy come back in (:mod:`bridge_app.services.docx_import`)."""
    return DocxWriter().write(draft)


def render_redline_docx(old: Draft, new: Draft) -> bytes:
    """A Word redline between two versions as real tracked changes: every insertion a
    ``w:ins``, every deletion a ``w:del`` (author "AI Meeting Contract Bridge"), so Word's
    Review pane lists them and can accept or reject each one."""
    doc = new_document(new)
    add_clause_numbering(doc)
    styled(doc, "Title", f"Redline: version {old.version} to version {new.version}")
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
        head = styled(doc, "Heading1")
        set_numbering(head, 0)
        if before is None or after is None or before.heading != after.heading:
            if before is not None:
                head._p.append(tracked_run("delete", before.heading, ident, stamp))
                ident += 1
            if after is not None:
                head._p.append(tracked_run("insert", after.heading, ident, stamp))
                ident += 1
        else:
            head._p.append(plain_run(shown.heading))
        ops = redline(before.text if before else "", after.text if after else "")
        para = doc.add_paragraph()
        for op in ops:
            for n, piece in enumerate(op.text.split("\n")):
                if n > 0:
                    para = doc.add_paragraph()
                if not piece:
                    continue
                if op.op == "equal":
                    para._p.append(plain_run(piece))
                else:
                    para._p.append(tracked_run(op.op, piece, ident, stamp))
                    ident += 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
