"""Export injection (issue 15, item 11): HTML from transcript text is inert in the Markdown
export, and bidi control characters never reach any format (stripped when decoding)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from docx import Document

from bridge_app.core.drafting import Draft, make_draft
from bridge_app.core.extraction import extract_items
from bridge_app.core.transcript import parse_transcript
from bridge_app.services.render import render

RLO = "\u202e"
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", RLO, "\u2066", "\u2067", "\u2068", "\u2069")


def _vtt(payload: str) -> bytes:
    return (
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Ana Lopez>We agreed a fixed fee of "
        f"$12,000 for the audit. {payload}\n\n00:00:06.000 --> 00:00:09.000\n"
        "<v Ben Okafor>Agreed, Northwind Traders will pay net 30.\n"
    ).encode()


def _draft(data: bytes, title: str = "Kick-off") -> Draft:
    transcript = parse_transcript(data)
    items = extract_items(transcript.segments, meeting_date=date(2026, 3, 2))
    return make_draft(
        items, contract_type="sow", meeting_title=title, meeting_date=date(2026, 3, 2)
    )


def _render_all(data: bytes, title: str = "Kick-off") -> dict[str, str]:
    """Each format's text (DOCX: its paragraphs; PDF is compressed, so its source draft)."""
    draft = _draft(data, title)
    out = {fmt: render(draft, fmt)[0].decode() for fmt in ("md", "html")}
    doc = Document(io.BytesIO(render(draft, "docx")[0]))
    out["docx"] = "\n".join(p.text for p in doc.paragraphs)
    out["draft"] = json.dumps(draft.to_dict(), ensure_ascii=False)
    return out


def test_markdown_export_carries_no_live_html() -> None:
    payload = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
    # In the transcript (quoted as provenance) and in the title (the meta line).
    md = _render_all(_vtt(payload), title=payload)["md"]
    assert "<script" not in md and "<img" not in md
    assert "&lt;script&gt;" in md or "&lt;img" in md, "shown as text, not dropped"


@pytest.mark.parametrize("mark", BIDI)
def test_bidi_controls_reach_no_format(mark: str) -> None:
    data = _vtt(f"Pay {mark}0003${mark} to the vendor.")
    transcript = parse_transcript(data)
    assert all(mark not in s.text and mark not in s.speaker for s in transcript.segments)
    for fmt, text in _render_all(data).items():
        assert mark not in text, fmt


def test_bidi_escaped_in_json_is_stripped_too() -> None:
    data = json.dumps(
        [{"speaker": f"Ana{RLO}", "start": 0, "end": 1, "text": f"fee {RLO}000,21$"}]
    ).encode()
    transcript = parse_transcript(data)
    assert RLO not in transcript.segments[0].text and RLO not in transcript.segments[0].speaker
