"""Rendering drafts to files: Markdown, HTML, DOCX (python-docx) and PDF (fpdf2).

An adapter, not core: it turns a :class:`~bridge_app.core.drafting.Draft` into bytes. Every
format carries the contract (title, numbered clauses, defined terms, signature block) and a
provenance appendix listing each clause's sources: item, segments, timestamps, speaker, quote.
The walk through those parts is one skeleton (``skeleton.ContractWriter``); each format is a
module that fills it in (``to_markdown``, ``to_html``, ``to_docx``, ``to_pdf``). This module
is the registry the export stage and the CLI pick a format from.
"""

from __future__ import annotations

from collections.abc import Callable

from bridge_app.core.drafting.model import Draft
from bridge_app.services.render.to_docx import render_docx
from bridge_app.services.render.to_html import render_html
from bridge_app.services.render.to_markdown import render_markdown
from bridge_app.services.render.to_pdf import render_pdf


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
