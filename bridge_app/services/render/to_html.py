"""The draft as a standalone HTML page (provenance appendix; QA report when given), and the
word-level redline between two versions as a page."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bridge_app.core.drafting.model import PLACEHOLDER_RE, Clause, Draft, Finding
from bridge_app.core.drafting.redline import RedlineOp, redline_drafts, redline_html
from bridge_app.services.render.skeleton import (
    LIST_LINE,
    ContractWriter,
    edited,
    source_lines,
)

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
        cls = ' class="list"' if LIST_LINE.match(line) else ""
        parts.append(f"<p{cls}>{_html_text(line, defined)}</p>")
    parts.append("</section>")
    return "\n".join(parts)


class HtmlWriter(ContractWriter[str]):
    def __init__(self) -> None:
        self.body: list[str] = []
        self.defined: set[str] = set()
        self.title = ""

    def begin(self, draft: Draft, meta: str) -> None:
        esc = html.escape
        self.defined = {term for term, _ in draft.defined_terms}
        self.title = draft.title
        self.body += [f"<h1>{esc(draft.title)}</h1>", f'<p class="meta">{esc(meta)}</p>']

    def clause(self, clause: Clause, n: int) -> None:
        self.body.append(_html_clause(clause, self.defined))

    def signatures(self, rows: list[tuple[str, str]]) -> None:
        esc = html.escape
        self.body.append('<section id="signatures"><h2>Signatures</h2>')
        for name, role in rows:
            suffix = f" (the {esc(role)})" if role and role != "Party" else ""
            self.body.append(
                f'<div class="sig"><p>For <strong>{esc(name)}</strong>{suffix}</p>'
                "<p>Signature: ______________________</p><p>Name:</p><p>Title:</p><p>Date:</p>"
                "</div>"
            )
        self.body.append("</section>")

    def appendix_start(self) -> None:
        self.body.append('<section id="provenance"><h2>Appendix A - Provenance</h2>')
        self.body.append(
            '<table class="prov"><tr><th>Clause</th><th>Value</th><th>Item</th>'
            "<th>Source (time, speaker, segment, quote)</th></tr>"
        )

    def appendix_clause(self, clause: Clause) -> None:
        esc = html.escape
        if clause.override and not clause.provenance:
            self.body.append(
                f"<tr><td>{esc(clause.number)}. {esc(clause.heading)}{esc(edited(clause))}</td>"
                '<td colspan="3">written by a legal user; no meeting value in it</td></tr>'
            )
        for prov in clause.provenance:
            sources = "<br>".join(esc(s) for s in source_lines(prov))
            self.body.append(
                f"<tr><td>{esc(clause.number)}. {esc(clause.heading)}{esc(edited(clause))}</td>"
                f"<td>{esc(prov.term.replace('_', ' '))}: {esc(prov.display)}</td>"
                f"<td>{esc(prov.item_id)}</td><td>{sources}</td></tr>"
            )

    def appendix_end(self) -> None:
        self.body.append("</table></section>")

    def qa(self, findings: Sequence[Finding]) -> None:
        esc = html.escape
        self.body.append('<section id="qa"><h2>QA report</h2><ul>')
        if not findings:
            self.body.append("<li>No findings.</li>")
        for f in findings:
            where = f" (clause {esc(f.clause)})" if f.clause else ""
            self.body.append(
                f'<li class="{esc(f.severity)}"><strong>{esc(f.severity)}</strong> '
                f"<code>{esc(f.code)}</code>{where}: {esc(f.message)}</li>"
            )
        self.body.append("</ul></section>")

    def finish(self) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(self.body)
            + "\n</body></html>\n"
        )


def render_html(draft: Draft, findings: Sequence[Finding] | None = None) -> str:
    """The draft as a standalone HTML page (provenance appendix; QA report when given)."""
    return HtmlWriter().write(draft, findings)


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
