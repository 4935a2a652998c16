"""Date mentions in one segment ("starts on the 15th of June", "the thirtieth is fine"), keyed
``start_date`` / ``end_date`` / ``effective_date`` by their cue words, keyless when only the
talk can tell, and left out when they are some other date (a kickoff, a deadline).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bridge_app.core.extraction.mention_context import is_context
from bridge_app.core.extraction.negotiation import Mention
from bridge_app.core.extraction.numbers import find_ordinals
from bridge_app.core.extraction.sentences import sentence_bounds
from bridge_app.core.extraction.value_words import (
    WEEKDAY_NUMBERS,
)

_MONTHS = {m.lower(): k for k, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): k for k, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD_WORD = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth|thirtieth)"
)


def _year_rx(name: str) -> str:
    return (
        rf"(?:,?\s+(?P<{name}>\d{{4}}|twenty twenty[- ](?:one|two|three|four|five|six|seven|"
        r"eight|nine)))"
    )


DATE_RX = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_ALT})\.?\s+(?:the\s+)?(?P<d1>{_ORD_WORD})\b{_year_rx('y1')}?"
    rf"|(?:(?:{'|'.join(WEEKDAY_NUMBERS)}),?\s+)?(?:the\s+)?(?P<d2>{_ORD_WORD})\s+of\s+"
    rf"(?P<m2>{_MONTH_ALT})\b{_year_rx('y2')}?"
    rf"|(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH_ALT})\b{_year_rx('y3')}?"
    rf"|(?:the\s+)?(?P<firstnext>first) of next month"
    rf"|(?:the\s+)?end of (?P<m4>{_MONTH_ALT})\b{_year_rx('y4')}?"
    rf"|(?P<m5>{_MONTH_ALT})\s+(?P<y5>\d{{4}})"
    rf"|(?:(?P<wd>{'|'.join(WEEKDAY_NUMBERS)}),?\s+)?the\s+(?P<d6>{_ORD_WORD})\b"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?:effective|starting|as of|from)\s+(?P<today>today))",
    re.I,
)
_START_CUE_RX = re.compile(
    r"\b(start date|starts?|starting|begin\w*|commenc\w*|from|as of|effective from|"
    r"kick ?off date)\b",
    re.I,
)
_END_CUE_RX = re.compile(
    r"\b(end date|ends?|ending|until|till|through|thru|"
    r"(?<!back )(?<!back-dated )(?<!backdated )to|expir\w*|runs? out|finish\w*|"
    r"wrap\w* up|complet\w*)\b",
    re.I,
)
_EFFECTIVE_CUE_RX = re.compile(
    r"\b(effective(?: date)?|in force|back-?dat\w*|date (?:it|this|that|the \w+) back)\b", re.I
)
_OTHER_DATE_RX = re.compile(
    r"\b(by|kick-?off|install\w*|go[ -]?live|live|shipment|ship|deliver\w*|launch\w*|"
    r"meeting|board|sign\w*|closed?|deadline|due|visit|call|demo|workshop|training|"
    r"measured|review|hear back|holiday|day|sent|came|arrived|received|happened)\b",
    re.I,
)
_ON_SITE_RX = re.compile(r"\b(on[- ]?site|fitting|fit-out|engineers? (arrive|start))\b", re.I)
_GERUND_AFTER_START_RX = re.compile(r"\bstart\w*\s+\w+ing\b", re.I)


def _date_value(m: re.Match[str], meeting_date: date | None) -> tuple[str | None, str]:
    """(ISO date, precision) of a date match; precision "day" or "month"."""
    g = m.groupdict()
    base = meeting_date
    year = _year(g.get("y1") or g.get("y2") or g.get("y3") or g.get("y4") or g.get("y5"))
    if g.get("iso"):
        return g["iso"], "day"
    if g.get("today"):
        return (base.isoformat() if base else None), "day"
    if g.get("firstnext"):
        if base is None:
            return None, "day"
        ny, mo = (base.year + 1, 1) if base.month == 12 else (base.year, base.month + 1)
        return date(ny, mo, 1).isoformat(), "day"
    month_word = g.get("m1") or g.get("m2") or g.get("m3") or g.get("m4") or g.get("m5")
    day_word = g.get("d1") or g.get("d2") or g.get("d3") or g.get("d6")
    month = _MONTHS.get(month_word.lower().rstrip(".")) if month_word else None
    if g.get("m4") or g.get("m5"):
        assert month is not None
        y = year or _future_year(base, month, 28)
        if y is None:
            return None, "month"
        return date(y, month, calendar.monthrange(y, month)[1]).isoformat(), "month"
    day = _day_number(day_word or "")
    if day is None:
        return None, "day"
    if month is None:
        if base is None:
            return None, "day"
        d = base
        for _ in range(62):
            if d.day == day:
                return d.isoformat(), "day"
            d += timedelta(days=1)
        return None, "day"
    y = year or _future_year(base, month, day)
    if y is None:
        return None, "day"
    try:
        return date(y, month, day).isoformat(), "day"
    except ValueError:
        return None, "day"


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    tail = text.lower().split("twenty twenty", 1)[-1].strip(" -")
    ones = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
    ones.update({"eight": 8, "nine": 9})
    return 2020 + ones[tail] if tail in ones else None


def _future_year(base: date | None, month: int, day: int) -> int | None:
    if base is None:
        return None
    try:
        candidate = date(base.year, month, min(day, calendar.monthrange(base.year, month)[1]))
    except ValueError:
        return base.year
    return base.year if candidate >= base - timedelta(days=31) else base.year + 1


def _day_number(word: str) -> int | None:
    found = find_ordinals(word)
    if found:
        return found[0][0]
    digits = re.match(r"\d{1,2}", word)
    return int(digits.group(0)) if digits else None


def _date_key(text: str, start: int, end: int) -> str | bool | None:
    """The contract date a date is (``start_date`` …), None when only the talk can say, False
    when it is some other date (a kickoff, a deadline, an install week)."""
    s, _ = sentence_bounds(text, start)
    before = text[max(s, start - 40) : start]
    after = text[end : end + 30]
    clause_start = max(
        [s] + [s + k.end() for k in re.finditer(r",|\band\b|\bbut\b|;", text[s:start])]
    )
    clause = text[clause_start:start]
    if re.search(
        r"\b(starts?|begins?|commences?|ends?|finish\w*|runs? out) (on|from) (the )?\w+day"
        r"( after| before)?,\s*$",
        text[s:start],
        re.I,
    ):
        # "starts on the Monday after, the twenty-first": the date names the day just said.
        clause = text[s:start]
    if re.search(r"\b(around|roughly|approximately|give or take)\s+(the\s+)?$", before, re.I):
        return False  # "puts the handover somewhere around the end of August": an estimate
    if re.search(
        r"\b(away|on leave|off|out|back)\s+(until|till|from|on)\s+(the\s+)?$", before, re.I
    ):
        return False  # "my Japanese lead is away until the eighth": someone's diary
    if re.match(r"\s*(for|as) the (\w+ )?(start|start date|commencement)", after, re.I):
        return "start_date"
    if re.match(r"\s*(start|start date)\b", after, re.I):
        return "start_date"
    if re.search(
        r"\b(we|we'd|we'll|it|it'll|project|work|engagement)\b[^.]{0,20}\b(finish\w*|complet\w*|"
        r"wrap\w* up|done)\s+by\s+(?:\w+day,?\s+)?(?:the\s+)?$",
        text[max(s, start - 60) : start],
        re.I,
    ):
        return "end_date"  # "we'd have it finished by Friday the thirtieth of April"
    if re.search(r"\bby\s+(?:\w+day,?\s+)?(?:the\s+)?$", before, re.I) or (
        re.search(r"\b(on|by|for|until)\s+(?:\w+day\s+)?$", before, re.I)
        and re.search(r"\b(i'll|we'll|i will|we will|i'm going to)\b", text[s:start], re.I)
    ):
        return False
    found: list[tuple[int, str | bool]] = []
    for rx, key in (
        (_EFFECTIVE_CUE_RX, "effective_date"),
        (_START_CUE_RX, "start_date"),
        (_END_CUE_RX, "end_date"),
        (_OTHER_DATE_RX, False),
    ):
        for m in rx.finditer(clause):
            found.append((m.start(), key))
    if _GERUND_AFTER_START_RX.search(clause) or _ON_SITE_RX.search(clause):
        return False  # "a team on site from the 21st": the install visit, not the term
    if re.search(r"\beffective\s+(?:as of|from|on)\s*$", clause, re.I):
        return "effective_date"  # "effective as of January 15"
    if found:
        return max(found, key=lambda f: f[0])[1]
    sentence = text[s:start]
    if _EFFECTIVE_CUE_RX.search(sentence):
        return "effective_date"
    if re.search(r"\bstart date\b", sentence, re.I):
        return "start_date"
    return None


def date_mentions(text: str, meeting_date: date | None) -> list[Mention]:
    out: list[Mention] = []
    for m in DATE_RX.finditer(text):
        if m.group("d6") and not re.match(
            r"\s*(?:[.,!?;:]|$|(?:is|works|would|for|then|and|sounds|at|fine)\b)",
            text[m.end() : m.end() + 12],
            re.I,
        ):
            continue  # "the first three" is not a date
        iso, _precision = _date_value(m, meeting_date)
        if iso is None:
            continue
        key = _date_key(text, m.start(), m.end())
        if m.group("today"):
            key = (
                "effective_date"
                if "effective" in m.group(0).lower()
                or _EFFECTIVE_CUE_RX.search(text[max(0, m.start() - 40) : m.start()])
                else (key or "start_date")
            )
        if key is False:
            continue
        if m.group("m4") and re.search(r"\bbefore\s+$", text[max(0, m.start() - 10) : m.start()]):
            continue  # "won't clear Rotterdam before the end of February": a deadline
        if m.group("m4") or m.group("m5"):
            key = key if key == "end_date" else (key or "end_date")
        out.append(
            Mention(
                key if isinstance(key, str) else None,
                iso,
                iso,
                m.start(),
                m.end(),
                "date",
                is_context(text, m.start(), m.end(), figure=False),
            )
        )
    # "from … through …" / "runs X through Y": the first is the start, the second the end.
    if len(out) >= 2 and re.search(
        r"\b(through|until|to|till)\b", text[out[0].end : out[1].start], re.I
    ):
        a, b = out[0], out[1]
        if a.key in (None, "end_date") and b.key in (None, "end_date"):
            out[0] = Mention("start_date", a.value, a.ident, a.start, a.end, "date", a.context)
            out[1] = Mention("end_date", b.value, b.ident, b.start, b.end, "date", b.context)
    return out
