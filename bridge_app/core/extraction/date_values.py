"""Dates in text: deadlines ("by next Friday", "end of Q2") and contract dates keyed
``start_date`` / ``end_date`` / ``effective_date`` by the words before them.

Relative dates resolve against the meeting date the caller passes in, never the clock.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import Any

from bridge_app.core.extraction.value_words import (
    NUMBER_WORD,
    WEEKDAY_NUMBERS,
    Found,
    clause_before,
)

# Date phrases worth handing to dateparser. Matching them first keeps dateparser (slow) off the
# vast majority of utterances, which is what keeps the rules backend inside its time budget.
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
DATE_RX = re.compile(
    rf"\b(?:end of (?:the )?(?:q[1-4]|quarter|month|year|week)|(?:next|this|coming)\s+{_DAYS}|"
    rf"(?:on|by|before|until|till)\s+{_DAYS}|next (?:week|month|year)|end of {_MONTHS}|"
    rf"tomorrow|in\s+{NUMBER_WORD}\s+(?:days?|weeks?|months?)|"
    rf"{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\b",
    re.I,
)
_QUARTER_RX = re.compile(r"end of (?:the )?(q[1-4]|quarter)", re.I)


def _end_of_quarter(q: int, base: date) -> date:
    year = base.year
    month = q * 3
    d = date(year, month, calendar.monthrange(year, month)[1])
    return d if d >= base else date(year + 1, month, calendar.monthrange(year + 1, month)[1])


def find_due_date(text: str, meeting_date: date | None) -> tuple[str, str] | None:
    """The first deadline-like date in ``text`` as ``(iso_date, phrase)``.

    Relative phrases ("next Friday", "end of Q2", "in two weeks") need ``meeting_date``; without
    one only absolute dates resolve (reading the clock would make the result depend on when the
    extraction runs).
    """
    m = DATE_RX.search(text)
    if not m:
        return None
    resolved = _resolve_date(m.group(0), meeting_date)
    return (resolved, m.group(0)) if resolved else None


def weekday_from(base: date, weekday: str, *, next_week: bool) -> date:
    """The named weekday after ``base``: "next Friday" is the Friday of the following calendar
    week (said on Thursday 26 Nov: 4 Dec), "Friday"/"this Friday" the coming one (27 Nov)."""
    target = WEEKDAY_NUMBERS[weekday.lower()]
    if next_week:
        monday = base + timedelta(days=7 - base.weekday())
        return monday + timedelta(days=target)
    return base + timedelta(days=(target - base.weekday()) % 7 or 7)


def _resolve_date(phrase: str, meeting_date: date | None) -> str | None:
    """One date phrase matched by ``DATE_RX`` as an ISO date (see :func:`find_due_date`)."""
    low = phrase.lower()
    base = meeting_date
    q = _QUARTER_RX.match(low)
    if q:
        if base is None:
            return None
        which = q.group(1)
        quarter = int(which[1]) if which.startswith("q") else (base.month - 1) // 3 + 1
        return _end_of_quarter(quarter, base).isoformat()
    if low.startswith("end of"):
        if base is None:
            return None
        rest = low[len("end of ") :].replace("the ", "")
        if rest == "week":
            return (base + timedelta(days=(4 - base.weekday()) % 7)).isoformat()
        if rest == "month":
            last = calendar.monthrange(base.year, base.month)[1]
            return date(base.year, base.month, last).isoformat()
        if rest == "year":
            return date(base.year, 12, 31).isoformat()
        month_text = rest
    else:
        month_text = None
    cleaned = re.sub(r"^(?:on|by|before|until|till|coming)\s+", "", low)
    cleaned = re.sub(r"^this\s+", "", cleaned)
    said = re.fullmatch(rf"(next\s+)?({_DAYS})", cleaned)
    if said:
        if base is None:
            return None
        return weekday_from(base, said.group(2), next_week=bool(said.group(1))).isoformat()
    import dateparser  # deferred: only a few utterances per meeting carry a date

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}
    relative = not re.search(r"\d{4}", cleaned)
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    elif relative:
        return None
    if month_text:
        parsed = dateparser.parse(month_text, languages=["en"], settings=settings)
        if parsed is None:
            return None
        last = calendar.monthrange(parsed.year, parsed.month)[1]
        return date(parsed.year, parsed.month, last).isoformat()
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return parsed.date().isoformat()


_START_WORDS_RX = re.compile(
    r"\b(start\w*|begin\w*|beginning|kick\w*[ -]?off|commenc\w*|from|as of|go[ -]live|onboard\w*)"
    r"\b",
    re.I,
)
_END_WORDS_RX = re.compile(
    r"\b(end\w*|finish\w*|complet\w*|expir\w*|until|till|through|to|wrap\w*|deadline|due|"
    r"deliver\w*|hand\w* over|by|close\w*|terminat\w*|run\w* (?:to|until|through))\b",
    re.I,
)
_EFFECTIVE_WORDS_RX = re.compile(r"\b(effective|sign\w*|execut\w*|in force)\b", re.I)


def date_key(text: str, start: int) -> str | None:
    """Which contract date a date at ``start`` is: the nearest cue word before it in its clause
    ("start on", "until", "effective"), else the sentence's cue; None when nothing says."""
    before = clause_before(text, start)
    if _EFFECTIVE_WORDS_RX.search(before):
        return "effective_date"  # "effective as of January 15"
    best: tuple[int, str] | None = None
    for rx, key in (
        (_EFFECTIVE_WORDS_RX, "effective_date"),
        (_START_WORDS_RX, "start_date"),
        (_END_WORDS_RX, "end_date"),
    ):
        for m in rx.finditer(before):
            if best is None or m.start() > best[0]:
                best = (m.start(), key)
    if best is not None:
        return best[1]
    sentence_start = max(text.rfind(c, 0, start) for c in ".!?") + 1
    sentence = text[sentence_start:]
    sentence = sentence[: next((k for k, c in enumerate(sentence) if c in ".!?"), len(sentence))]
    for rx, key in (
        (_EFFECTIVE_WORDS_RX, "effective_date"),
        (re.compile(r"\b(start\w*|begin\w*|kick\w*[ -]?off|commenc\w*)\b", re.I), "start_date"),
        (re.compile(r"\b(end\w*|finish\w*|complet\w*|expir\w*|deadline)\b", re.I), "end_date"),
    ):
        if rx.search(sentence):
            return key
    return None


def find_dates(text: str, meeting_date: date | None) -> list[Found]:
    """Every resolvable contract date in ``text`` keyed ``start_date`` / ``end_date`` /
    ``effective_date`` by the words before it ("start on March 2 and finish by May 22")."""
    out: list[Found] = []
    for m in DATE_RX.finditer(text):
        key = date_key(text, m.start())
        if key is None:
            continue
        resolved = _resolve_date(m.group(0), meeting_date)
        if resolved is None:
            continue
        out.append(Found(key, resolved, m.start(), m.end()))
    return out
