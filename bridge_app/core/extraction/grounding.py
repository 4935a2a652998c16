"""Evidence entries for extracted items (exact quotes, times and speakers of segments), and the
checks that a model's quotes and values are really in the segments they cite."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from bridge_app.core.extraction.count_values import find_durations
from bridge_app.core.extraction.date_values import find_dates, find_due_date
from bridge_app.core.extraction.law_values import find_governing_law
from bridge_app.core.extraction.model import Evidence
from bridge_app.core.extraction.money_amounts import find_money
from bridge_app.core.extraction.party_names import LEGAL_SUFFIXES
from bridge_app.core.extraction.value_words import word_number
from bridge_app.core.transcript.model import Segment


def evidence_for(segments: Sequence[Segment], indices: Sequence[int]) -> list[Evidence]:
    """Evidence entries (exact quote, times, speaker) for segment positions, in time order."""
    return [
        Evidence(
            segment_id=segments[i].segment_id,
            start=segments[i].start,
            end=segments[i].end,
            quote=segments[i].text,
            speaker=segments[i].speaker,
        )
        for i in sorted(set(indices))
    ]


def merge_evidence(old: list[Evidence], new: list[Evidence], limit: int = 3) -> list[Evidence]:
    """``old`` plus the segments of ``new`` it lacks, in time order; beyond ``limit`` the first
    (the proposal) and the latest ones are kept."""
    have = {e.segment_id for e in old}
    merged = sorted(old + [e for e in new if e.segment_id not in have], key=lambda e: e.start)
    return merged[:1] + merged[1:][-(limit - 1) :] if len(merged) > limit else merged


# --- Grounding what a model returns (the ``llm`` backend) -----------------------------------

# A quote grounds anything only when it is long enough to mean something: "a", "is" or a bare
# first name occur in almost any segment. Shorter quotes count only when they are the whole
# segment and still hold two words ("Net 30 then.").
MIN_QUOTE_WORDS = 3
MIN_QUOTE_CHARS = 12
_QUOTE_WORD_RX = re.compile(r"[\w$€£¥%]+")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NUMBER_RX = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
_LAW_FILLER = frozenset({"law", "laws", "the", "state", "of", "and", "courts", "jurisdiction"})
_CONTENT_RX = re.compile(r"[a-z0-9]+")


def meaningful_quote(quote: str, segment_text: str) -> bool:
    """Whether ``quote`` is long enough to ground a value (see ``MIN_QUOTE_WORDS``)."""
    words = _QUOTE_WORD_RX.findall(quote)
    if len(words) >= MIN_QUOTE_WORDS and len(quote.strip()) >= MIN_QUOTE_CHARS:
        return True
    whole = _QUOTE_WORD_RX.findall(segment_text)
    return len(words) >= 2 and [w.lower() for w in words] == [w.lower() for w in whole]


def _numbers(text: str) -> set[float]:
    out: set[float] = set()
    for tok in _NUMBER_RX.findall(text.lower()):
        n = word_number(tok.replace(",", ""))
        if n is not None:
            out.add(n)
    return out


def _date_said(iso: str, text: str, meeting_date: date | None) -> bool:
    """The ISO date is written in ``text`` or parsed from it (relative dates need the meeting
    date)."""
    if iso in text:
        return True
    parsed = {f.value for f in find_dates(text, meeting_date)}
    due = find_due_date(text, meeting_date)
    if iso in parsed or (due is not None and due[0] == iso):
        return True
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return False
    month = _MONTH_NAMES[d.month - 1]
    low = text.lower()
    said_month = re.search(rf"\b{month[:3]}\w*\.?", low) is not None
    return said_month and float(d.day) in _numbers(re.sub(r"(st|nd|rd|th)\b", "", low))


def _words_said(value_text: str, text: str, *, drop: frozenset[str] = frozenset()) -> bool:
    want = [w for w in _CONTENT_RX.findall(value_text.lower()) if w not in drop]
    have = set(_CONTENT_RX.findall(text.lower()))
    return bool(want) and all(w in have for w in want)


def value_grounded(key: str, value: Any, text: str, meeting_date: date | None = None) -> bool:
    """Whether the value of term ``key`` appears in (or is parsed from) the quoted ``text``.

    Amounts must be an amount of the text, dates a date it says, durations and payment days its
    numbers, a law's or a party's distinctive words its words (legal forms aside), and most of a
    deliverable's words.
    """
    if key in ("price", "fee"):
        amount = value.get("amount") if isinstance(value, dict) else None
        if not isinstance(amount, int | float):
            return False
        found = [m.amount for m in find_money(text, bare=True)]
        return any(abs(a - amount) < 0.005 for a in found)
    if key == "quantity":
        return isinstance(value, dict) and value.get("value") in _numbers(text)
    if key in ("start_date", "end_date", "effective_date"):
        return isinstance(value, str) and _date_said(value, text, meeting_date)
    if key in ("duration", "term", "confidentiality_period"):
        if not isinstance(value, dict):
            return False
        days = value.get("days")
        durations = find_durations(text)
        if days is not None and any(abs(d["days"] - days) <= 1 for d in durations):
            return True
        said = str(value.get("text") or "")
        return bool(said) and said.lower() in text.lower()
    if key == "payment_terms":
        if not isinstance(value, dict):
            return False
        days = value.get("days")
        if days is not None:
            return float(days) in _numbers(text)
        return _words_said(str(value.get("text") or ""), text)
    if key == "governing_law":
        said = str(value.get("text") or "") if isinstance(value, dict) else ""
        law = find_governing_law(text)
        if law is not None and law["text"].lower() == said.lower():
            return True
        return _words_said(said, text, drop=_LAW_FILLER)
    if key == "party":
        name = str(value.get("name") or "") if isinstance(value, dict) else ""
        suffixes = frozenset(s.lower().rstrip(".") for s in LEGAL_SUFFIXES)
        return _words_said(name, text, drop=suffixes)
    if key == "deliverable":
        said = str(value.get("text") or "") if isinstance(value, dict) else ""
        want = {w for w in _CONTENT_RX.findall(said.lower()) if len(w) > 3}
        have = set(_CONTENT_RX.findall(text.lower()))
        return bool(want) and 2 * len(want & have) >= len(want)
    return False
