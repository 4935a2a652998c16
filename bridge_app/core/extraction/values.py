"""Typed value parsing for extracted items: money, quantities, durations, payment terms, dates.

Everything here is pure: relative dates are resolved against the meeting date the caller passes
in, never against the clock. Each parser returns ``None`` (or an empty list) when the text holds
no such value, so callers can try them in turn.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from price_parser import Price

_CURRENCY_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
    "chf": "CHF",
    "cad": "CAD",
    "aud": "AUD",
    "inr": "INR",
    "rupees": "INR",
}

_NUM = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MULT = r"(?:\s?(?:k|K|m|M|mm|bn|thousand|million|billion|grand))?"
_CUR_PRE = r"(?:US\$|\$|€|£|¥|USD|EUR|GBP|JPY|CHF|CAD|AUD|INR)"
_CUR_POST = r"(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|dollars?|euros?|pounds?|bucks|yen|rupees)"

# A money mention with an explicit currency, before or after the number.
_MONEY_RX = re.compile(
    rf"(?P<pre>{_CUR_PRE})\s?(?P<num1>{_NUM})(?P<mult1>{_MULT})\b"
    rf"|(?P<num2>{_NUM})(?P<mult2>{_MULT})\s?(?P<post>{_CUR_POST})\b",
)
# A bare number (no currency) that may still be a price in a negotiation ("85 and it's a deal").
_BARE_RX = re.compile(rf"(?<![\w$€£¥.,/:-])(?P<num>{_NUM})(?P<mult>\s?(?:k|K|grand))?(?![\w%/:])")
# Units that show a bare number is not a price.
_NOT_PRICE_AFTER = re.compile(
    r"^\s*(?:-\s*)?(?:%|percent|miles?|mi\b|k miles|km|mph|years?|yrs?|months?|weeks?|days?|hours?|"
    r"minutes?|mins?|inch|inches|in\b|ft|feet|foot|cm|mm|gb|tb|mb|ghz|lbs?|pounds? of|kg|people|"
    r"pieces?|pcs|units?|items?|seats?|licen[cs]es?|users?|am\b|pm\b|o'clock|th\b|st\b|nd\b|rd\b|"
    r"x\b|times|speed|bedrooms?|br\b|bed\b|bath|sq|square|seater|door|cyl|owners?)",
    re.I,
)
_MULTIPLIERS = {
    "k": 1_000,
    "grand": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money found in text, with where it was found."""

    amount: float
    currency: str | None
    start: int
    end: int
    explicit: bool  # written with a currency, not a bare number

    def to_value(self) -> dict[str, Any]:
        """The ``price`` / ``fee`` value shape of :mod:`.model`."""
        return {"amount": self.amount, "currency": self.currency}


def _to_amount(num: str, mult: str | None) -> float | None:
    # price-parser knows the thousands/decimal separator conventions ("1.200,50", "11,500").
    parsed = Price.fromstring(num).amount
    if parsed is None:
        try:
            parsed = Decimal(num.replace(",", ""))
        except InvalidOperation:
            return None
    factor = _MULTIPLIERS.get((mult or "").strip().lower(), 1)
    return float(parsed * factor)


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    return _CURRENCY_SYMBOLS.get(token.strip().lower(), token.strip().upper())


def find_money(text: str, *, bare: bool = False) -> list[Money]:
    """Money mentions in ``text``; with ``bare=True`` also plain numbers that could be prices.

    Bare numbers that read as years, counts with a unit, times or percentages are skipped.
    """
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for m in _MONEY_RX.finditer(text):
        num = m.group("num1") or m.group("num2")
        mult = m.group("mult1") or m.group("mult2")
        amount = _to_amount(num, mult)
        if amount is None:
            continue
        cur = _currency(m.group("pre") or m.group("post"))
        found.append(Money(amount, cur, m.start(), m.end(), True))
        taken.append((m.start(), m.end()))
    if bare:
        for m in _BARE_RX.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            after = text[m.end() : m.end() + 12]
            if _NOT_PRICE_AFTER.match(after):
                continue
            num = m.group("num")
            amount = _to_amount(num, m.group("mult"))
            if amount is None or amount < 1:
                continue
            # A four-digit number between 1950 and 2035 without a multiplier reads as a year.
            if not m.group("mult") and re.fullmatch(r"(19[5-9]\d|20[0-3]\d)", num):
                continue
            found.append(Money(amount, None, m.start(), m.end(), False))
    found.sort(key=lambda x: x.start)
    return found


_WORD_NUMBERS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
_NUMWORD = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
_DURATION_RX = re.compile(
    rf"\b(?P<n>{_NUMWORD})[\s-]+(?P<unit>day|week|month|quarter|year)s?\b(?!\s+(?:ago|old))",
    re.I,
)
_PAYMENT_RX = re.compile(
    rf"\b(?:net[\s-]?(?P<net>\d{{1,3}})|(?:payment|pay|paid|invoice[sd]?)\b[^.?!]{{0,30}}?"
    rf"\bwithin\s+(?P<within>{_NUMWORD})\s+days?|(?P<upfront>\d{{1,3}})\s?%\s+(?:up\s?front|upfront|"
    rf"deposit|in advance))",
    re.I,
)
_QUANTITY_RX = re.compile(
    rf"\b(?P<n>{_NUMWORD}|\d{{1,3}}(?:,\d{{3}})+)\s+(?P<unit>licen[cs]es|seats|units|users|"
    r"pieces|copies|boxes|pallets|devices|laptops|servers|hours|workshops|sessions|sprints|"
    r"reports|chairs|tables|cases|items|orders)\b",
    re.I,
)
_LAW_RX = re.compile(
    r"\b(?:governed by|governing law(?: is| will be| of)?|under)\s+(?:the\s+)?(?:laws?\s+of\s+)?"
    r"(?:the\s+)?(?:State\s+of\s+)?(?P<place>[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2})\s*(?:law)?",
)
_PARTY_RX = re.compile(
    r"\b(?P<name>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}\s+"
    r"(?:Inc|Incorporated|Corp|Corporation|LLC|Ltd|Limited|GmbH|AG|SA|S\.A|BV|PLC|LLP|Co)\.?)(?!\w)",
)
_DELIVERABLE_RX = re.compile(
    r"\b(?:deliver(?:s|ing)?|deliverable(?:s)? (?:is|are|will be)|hand over|ship)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<what>[a-z][\w -]{2,50}?)"
    r"(?=\s+(?:by|before|on|within|in|next)\b|[.,;!?]|$)",
    re.I,
)


def word_number(token: str) -> float | None:
    """``"three"`` → 3.0, ``"12"`` → 12.0, anything else → None."""
    t = token.lower().replace(",", "")
    if t in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[t])
    try:
        return float(t)
    except ValueError:
        return None


def find_durations(text: str) -> list[dict[str, Any]]:
    """Durations such as "12 months" or "two weeks", as ``{"days", "text"}``."""
    out = []
    for m in _DURATION_RX.finditer(text):
        n = word_number(m.group("n"))
        if n is None:
            continue
        out.append({"days": round(n * _UNIT_DAYS[m.group("unit").lower()]), "text": m.group(0)})
    return out


def find_payment_terms(text: str) -> dict[str, Any] | None:
    """Payment terms: "net 30", "paid within 45 days", "50% upfront"."""
    m = _PAYMENT_RX.search(text)
    if not m:
        return None
    if m.group("net"):
        return {"text": m.group(0), "days": int(m.group("net"))}
    if m.group("within"):
        n = word_number(m.group("within"))
        return {"text": m.group(0), "days": int(n) if n is not None else None}
    return {"text": m.group(0), "days": None, "upfront_percent": int(m.group("upfront"))}


def find_quantity(text: str) -> dict[str, Any] | None:
    """A counted quantity with its unit: "20 licenses" → ``{"value": 20.0, "unit": "licenses"}``."""
    m = _QUANTITY_RX.search(text)
    if not m:
        return None
    n = word_number(m.group("n"))
    if n is None:
        return None
    return {"value": n, "unit": m.group("unit").lower()}


def find_party(text: str) -> dict[str, Any] | None:
    """The first company named in ``text`` ("Acme Corp"), with its role when the text ties one to
    it ("Acme Corp as client"); see :func:`find_parties` for all of them."""
    found = find_parties(text)
    if not found:
        return None
    p = found[0]
    role = role_near(text, p.start, p.end)
    if role is None:
        m = _ROLE_RX.search(text)
        role = _ROLE_WORDS[m.group(1).lower()] if m else None
    return {"name": p.name, "role": role}


def find_deliverable(text: str) -> dict[str, Any] | None:
    """What is to be delivered: "deliver the migration plan by Friday" → migration plan."""
    m = _DELIVERABLE_RX.search(text)
    if not m:
        return None
    what = m.group("what").strip()
    if what.lower() in {"it", "that", "this", "them", "on time"}:
        return None
    return {"text": what}


# Date phrases worth handing to dateparser. Matching them first keeps dateparser (slow) off the
# vast majority of utterances, which is what keeps the rules backend inside its time budget.
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_DATE_RX = re.compile(
    rf"\b(?:end of (?:the )?(?:q[1-4]|quarter|month|year|week)|(?:next|this|coming)\s+{_DAYS}|"
    rf"(?:on|by|before|until|till)\s+{_DAYS}|next (?:week|month|year)|end of {_MONTHS}|"
    rf"tomorrow|in\s+{_NUMWORD}\s+(?:days?|weeks?|months?)|"
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
    m = _DATE_RX.search(text)
    if not m:
        return None
    resolved = _resolve_date(m.group(0), meeting_date)
    return (resolved, m.group(0)) if resolved else None


_WEEKDAY_NUMBERS = {d.lower(): k for k, d in enumerate(calendar.day_name)}


def weekday_from(base: date, weekday: str, *, next_week: bool) -> date:
    """The named weekday after ``base``: "next Friday" is the Friday of the following calendar
    week (said on Thursday 26 Nov: 4 Dec), "Friday"/"this Friday" the coming one (27 Nov)."""
    target = _WEEKDAY_NUMBERS[weekday.lower()]
    if next_week:
        monday = base + timedelta(days=7 - base.weekday())
        return monday + timedelta(days=target)
    return base + timedelta(days=(target - base.weekday()) % 7 or 7)


def _resolve_date(phrase: str, meeting_date: date | None) -> str | None:
    """One date phrase matched by ``_DATE_RX`` as an ISO date (see :func:`find_due_date`)."""
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


def term_values(text: str) -> dict[str, Any]:
    """Every contract-term value found in ``text`` keyed as in ``TERM_KEYS`` (money excluded)."""
    values: dict[str, Any] = {}
    pay = find_payment_terms(text)
    if pay:
        values["payment_terms"] = pay
    qty = find_quantity(text)
    if qty:
        values["quantity"] = qty
    law = find_governing_law(text)
    if law:
        values["governing_law"] = law
    party = find_party(text)
    if party:
        values["party"] = party
    if not pay:
        durs = find_durations(text)
        if durs and re.search(
            r"\b(term|contract|agreement|engagement|duration|period|confidential|nda|last|run|"
            r"for)\b",
            text,
            re.I,
        ):
            key = (
                "confidentiality_period"
                if re.search(r"confidential|nda", text, re.I)
                else (
                    "term"
                    if re.search(r"\b(term|contract|agreement)\b", text, re.I)
                    else "duration"
                )
            )
            values[key] = durs[0]
    deliv = find_deliverable(text)
    if deliv:
        values["deliverable"] = deliv
    return values


# --- Contract terms: dates, durations, governing law, parties, deliverables -------------------


@dataclass(frozen=True, slots=True)
class Found:
    """A typed value found in text: the ``Item.values`` key, the value and where it was found."""

    key: str
    value: Any
    start: int
    end: int


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
_CLAUSE_BREAK_RX = re.compile(r"[.;!?]|\b(?:and|but|with)\b", re.I)


def _clause_before(text: str, pos: int, limit: int = 60) -> str:
    """The words before ``pos`` back to the previous clause break (at most ``limit`` chars)."""
    window = text[max(0, pos - limit) : pos]
    breaks = list(_CLAUSE_BREAK_RX.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def date_key(text: str, start: int) -> str | None:
    """Which contract date a date at ``start`` is: the nearest cue word before it in its clause
    ("start on", "until", "effective"), else the sentence's cue; None when nothing says."""
    before = _clause_before(text, start)
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
    for m in _DATE_RX.finditer(text):
        key = date_key(text, m.start())
        if key is None:
            continue
        resolved = _resolve_date(m.group(0), meeting_date)
        if resolved is None:
            continue
        out.append(Found(key, resolved, m.start(), m.end()))
    return out


_DURATION_KEY_AFTER_RX = re.compile(
    r"^\s*(?:-\s*)?(?:term|engagement|contract|agreement|period|project|pilot|subscription|"
    r"commitment|nda|renewal|initial term|of confidentiality|confidentiality)\b",
    re.I,
)
_DURATION_LEAD_RX = re.compile(
    r"\b(for|of|lasts?|lasting|runs?|running|over|spanning|is|be|term|period|duration|renews?|"
    r"another|additional|extend\w*( by)?)\s+(?:a\s+|an\s+|the\s+|initial\s+|further\s+)?$",
    re.I,
)
_DURATION_SKIP_BEFORE_RX = re.compile(
    r"\b(in|within|every|per|each|after|notice|ago|net|last|past|next|first|those|these)\s+"
    r"(?:the\s+)?$",
    re.I,
)
_CONFIDENTIAL_RX = re.compile(r"confidential|non-?disclosure|\bnda\b|secre", re.I)
_TERM_WORD_RX = re.compile(
    r"\b(term|contract|agreement|subscription|licen[cs]e|nda|renew\w*)\b", re.I
)
_CONTRACT_CONTEXT_RX = re.compile(
    r"\b(term|contract|agreement|engagement|pilot|subscription|licen[cs]e|nda|"
    r"confidential\w*|duration|period|runs?|lasts?|renew\w*|extend\w*|sow|statement of work)\b",
    re.I,
)


def find_contract_durations(text: str) -> list[Found]:
    """Contract durations ("runs for twelve weeks", "a 12-month term", "confidential for three
    years") keyed ``duration`` / ``term`` / ``confidentiality_period`` by the words around them.

    Lead times, notice periods, frequencies and payment windows ("in two weeks", "every month",
    "within 30 days") are not contract durations.
    """
    if not _CONTRACT_CONTEXT_RX.search(text):
        return []
    out: list[Found] = []
    for m in _DURATION_RX.finditer(text):
        n = word_number(m.group("n"))
        if n is None:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 30]
        if _DURATION_SKIP_BEFORE_RX.search(before) or re.match(r"\s*notice", after, re.I):
            continue
        if not (_DURATION_LEAD_RX.search(before) or _DURATION_KEY_AFTER_RX.match(after)):
            continue
        local = _clause_before(text, m.start(), 50) + " " + m.group(0) + " " + after[:25]
        if _CONFIDENTIAL_RX.search(local):
            key = "confidentiality_period"
        elif _TERM_WORD_RX.search(local) or (
            not _CONFIDENTIAL_RX.search(text) and _TERM_WORD_RX.search(text)
        ):
            key = "term"
        elif _CONFIDENTIAL_RX.search(text) and not re.search(
            r"\b(engagement|project|pilot|runs?)\b", text, re.I
        ):
            key = "confidentiality_period"
        else:
            key = "duration"
        days = round(n * _UNIT_DAYS[m.group("unit").lower()])
        out.append(Found(key, {"days": days, "text": m.group(0)}, m.start(), m.end()))
    return out


_JURISDICTION_ADJECTIVES = {
    "english": "England and Wales",
    "british": "England and Wales",
    "scottish": "Scotland",
    "irish": "Ireland",
    "german": "Germany",
    "french": "France",
    "swiss": "Switzerland",
    "dutch": "the Netherlands",
    "swedish": "Sweden",
    "danish": "Denmark",
    "austrian": "Austria",
    "spanish": "Spain",
    "italian": "Italy",
    "canadian": "Canada",
    "australian": "Australia",
    "singaporean": "Singapore",
    "japanese": "Japan",
    "indian": "India",
}


def _words(text: str, sep: str | None = None) -> frozenset[str]:
    return frozenset(w.strip() for w in text.split(sep))


_CAP = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_LAW_CONTEXT_RX = re.compile(
    r"\b(governing law|governed by|laws? of|\blaw\b|jurisdiction|courts? of|venue)\b", re.I
)
_PLACE_RXS = (
    re.compile(rf"\b(?:State|Commonwealth|Province|Republic|Kingdom|Canton) of (?P<p>{_CAP})"),
    re.compile(rf"\blaws? of (?:the )?(?P<p>{_CAP})"),
    re.compile(rf"\bcourts? (?:of|in) (?:the )?(?P<p>{_CAP})"),
    re.compile(rf"\b(?:governed by|under) (?:the )?(?P<p>{_CAP})(?= law|\b)"),
    re.compile(rf"\b(?P<p>{_CAP}) (?:law|courts?)\b"),
    re.compile(
        rf"\b(?:use|using|choose|go with|prefer|propose|suggest|keep|stick with|with|is|be|"
        rf"how about|what about)\s+"
        rf"(?:the\s+)?(?P<p>{_CAP})\b"
    ),
)
_NOT_PLACE = _words(
    "I We You They The This That Is It Yes No Okay Ok So And But Our Your Their Governing Law "
    "Laws State Court Courts For Fine Good Great Sure Either Both Any"
)


def find_governing_law(text: str) -> dict[str, Any] | None:
    """The jurisdiction named in a sentence about governing law or courts ("the State of New
    York", "New York law", "English law" → England and Wales); None without a law context."""
    if not _LAW_CONTEXT_RX.search(text):
        return None
    return _place(text, _PLACE_RXS)


# In a sentence that does not itself mention law, only these forms name the jurisdiction
# ("… German law. How about New York?").
_FOLLOW_UP_PLACE_RXS = (
    _PLACE_RXS[0],
    re.compile(rf"\b(?:[Hh]ow|[Ww]hat) about (?:the\s+)?(?P<p>{_CAP})\b"),
)


def _place(text: str, patterns: tuple[re.Pattern[str], ...]) -> dict[str, Any] | None:
    for rx in patterns:
        for m in rx.finditer(text):
            words = m.group("p").strip().split()
            while words and words[0] in _NOT_PLACE:
                words.pop(0)
            while words and words[-1] in _NOT_PLACE:
                words.pop()
            if not words:
                continue
            place = " ".join(words)
            return {"text": _JURISDICTION_ADJECTIVES.get(place.lower(), place)}
    return None


# Parties. A company is a run of capitalised words ending in a legal form ("Northwind Inc."),
# or ending in a business noun ("Brightline Data"), or any capitalised multi-word name after an
# introduction ("This is Dana from Harborview Logistics").
LEGAL_SUFFIXES = (
    "Inc",
    "Incorporated",
    "Corp",
    "Corporation",
    "LLC",
    "L.L.C",
    "Ltd",
    "Limited",
    "GmbH",
    "AG",
    "SA",
    "S.A",
    "SAS",
    "SARL",
    "BV",
    "B.V",
    "NV",
    "N.V",
    "PLC",
    "LLP",
    "LP",
    "Co",
    "Company",
    "Pty",
    "Oy",
    "AB",
    "ApS",
    "KG",
    "SE",
    "S.p.A",
    "Srl",
    "KK",
    "Plc",
)
BUSINESS_NOUNS = _words(
    "Data Logistics Software Systems Solutions Technologies Technology Tech Labs Laboratories "
    "Group Holdings Partners Consulting Consultants Analytics Health Healthcare Bank Capital "
    "Media Foods Industries Networks Services Studios Studio Ventures Digital Energy Robotics "
    "Pharma Pharmaceuticals Manufacturing Retail Motors Insurance Foundation Associates Agency "
    "Interactive Cloud Security Biotech Therapeutics Dynamics Engineering Construction "
    "Properties Realty Supply Supplies Trading Freight Shipping Airlines Telecom Communications "
    "Payments Finance Financial Markets Brands Apparel Designs Games Education Learning "
    "Enterprises Works Marine Mobility Medical Devices Electronics Instruments Materials "
    "Chemicals Logic Metrics Robotics Ai AI Bio Grid Power Water Transport Transit Motors "
    "Hospitality Hotels Publishing Press Records Entertainment Outfitters Bakery Coffee Farms "
    "Partnership Collective Cooperative Institute Clinic Hospital"
)
_LEAD_WORDS = _words(
    "And Or But So Also Between With From For At By Of To The Then Well Okay Ok Yes Yeah Hi "
    "Hello Thanks Thank Great Sure Because If When Our Your Their This That These I We You "
    "They He She It Both Either Once Now Here There Mr Ms Mrs Dr Dear As Is Are Was"
)
_NOT_COMPANY = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Q1 Q2 Q3 Q4 I Zoom Teams Slack"
)
# Places people call in from; a name after "from" that is only a place is not a company.
_PLACES = _words(
    "new york|new jersey|san francisco|los angeles|london|berlin|paris|boston|chicago|seattle|"
    "austin|toronto|sydney|singapore|munich|amsterdam|dublin|hong kong|tokyo|new delhi|"
    "the us|the uk|home|the office",
    "|",
)
_WORD = r"[A-Z][\w&'-]*"
_NAME = rf"{_WORD}(?:\s+(?:of\s+|&\s+|de\s+|the\s+)?{_WORD}){{0,4}}"
_SUFFIX_ALT = "|".join(re.escape(s) for s in sorted(LEGAL_SUFFIXES, key=len, reverse=True))
_LEGAL_RX = re.compile(
    rf"\b(?P<name>{_WORD}(?:\s+(?:&\s+|of\s+)?{_WORD}){{0,4}}?),?\s+"
    rf"(?P<suffix>{_SUFFIX_ALT})(?P<dot>\.)?(?![\w])"
)
_INTRO_PREP_RX = re.compile(
    rf"\b(?:from|at|with|representing|on behalf of|for)\s+(?:the\s+)?(?P<name>{_NAME})"
)
_INTRO_CONTEXT_RX = re.compile(
    r"\b(this is|i'm|i am|it's|my name|here|we're|we are|joining|representing|on behalf of|"
    r"i (work|run|lead|head|manage)|speaking|calling|on the line|with me)\b",
    re.I,
)
_BETWEEN_RX = re.compile(
    rf"\bbetween\s+(?:the\s+)?(?P<a>{_NAME})(?:,?\s+(?:{_SUFFIX_ALT})\.?)?\s+(?:and|&)\s+"
    rf"(?:the\s+)?(?P<b>{_NAME})"
)
_DEAL_CONTEXT_RX = re.compile(
    r"\b(agreement|contract|nda|deal|sow|statement of work|order|msa|amendment|parties|party)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class PartyMention:
    """A company named in text: how it was found ("legal", "intro", "between") and where."""

    name: str
    start: int
    end: int
    how: str


def _clean_name(name: str) -> str:
    words = name.replace(",", " ").split()
    while words and words[0] in _LEAD_WORDS:
        words.pop(0)
    while words and words[-1] in ("of", "&", "de", "the", "The", "And", "and"):
        words.pop()
    return " ".join(words)


def _company_like(name: str, *, multiword_ok: bool) -> bool:
    words = name.split()
    if not words or any(w in _NOT_COMPANY for w in words) or name.lower() in _PLACES:
        return False
    if words[-1].rstrip(".") in LEGAL_SUFFIXES:
        return True
    if len(words) >= 2 and words[-1] in BUSINESS_NOUNS:
        return True
    return multiword_ok and len(words) >= 2


def find_parties(text: str, *, people: frozenset[str] = frozenset()) -> list[PartyMention]:
    """Companies named in ``text``: legal forms ("X Inc. and Y Ltd." gives both), names after
    "between … and …", and capitalised names after "from/at/with/representing" in an
    introduction. ``people`` holds lower-cased person names (speakers) that are never parties."""
    found: list[PartyMention] = []

    def add(name: str, start: int, end: int, how: str) -> None:
        first = name.split()[0].lower() if name else ""
        if not name or name.lower() in people or first in people:
            return
        for k, other in enumerate(found):
            if start < other.end and other.start < end:  # overlapping spans: keep the longer
                if len(name) > len(other.name):
                    found[k] = PartyMention(name, start, end, how)
                return
        found.append(PartyMention(name, start, end, how))

    for m in _LEGAL_RX.finditer(text):
        name = _clean_name(m.group("name"))
        if not name or name.split()[-1] in _NOT_COMPANY:
            continue
        abbreviation = m.group("suffix") in ("Inc", "Corp", "Co", "Ltd")
        suffix = m.group("suffix") + (m.group("dot") if abbreviation and m.group("dot") else "")
        if (
            suffix.rstrip(".") in ("Co", "Company", "SA", "SE", "AB", "AG", "LP")
            and len(name.split()) < 1
        ):
            continue
        full = f"{name} {suffix}"
        start = m.start("name") + m.group("name").find(name.split()[0])
        add(full, start, m.end(), "legal")
    if re.search(r"\bbetween\b", text) and _DEAL_CONTEXT_RX.search(text):
        for m in _BETWEEN_RX.finditer(text):
            for g in ("a", "b"):
                name = _clean_name(m.group(g))
                if name and name.split()[0] not in _NOT_COMPANY:
                    add(name, m.start(g), m.end(g), "between")
    if _INTRO_CONTEXT_RX.search(text):
        for m in _INTRO_PREP_RX.finditer(text):
            name = _clean_name(m.group("name"))
            if _company_like(name, multiword_ok=True):
                add(name, m.start("name"), m.end("name"), "intro")
    else:
        for m in _INTRO_PREP_RX.finditer(text):
            name = _clean_name(m.group("name"))
            if _company_like(name, multiword_ok=False):
                add(name, m.start("name"), m.end("name"), "intro")
    found.sort(key=lambda p: p.start)
    return found


# Role words as said ("customer", "vendor"), except the NDA sides, which keep one word each.
_ROLE_WORDS = {
    "client": "client",
    "customer": "customer",
    "provider": "provider",
    "service provider": "service provider",
    "vendor": "vendor",
    "supplier": "supplier",
    "contractor": "contractor",
    "consultant": "consultant",
    "buyer": "buyer",
    "purchaser": "purchaser",
    "seller": "seller",
    "licensor": "licensor",
    "licensee": "licensee",
    "disclosing party": "disclosing",
    "discloser": "disclosing",
    "receiving party": "receiving",
    "recipient": "recipient",
}
_ROLE_ALT = "|".join(sorted(_ROLE_WORDS, key=len, reverse=True))
_ROLE_RX = re.compile(rf"\b({_ROLE_ALT})s?\b", re.I)


def role_near(text: str, start: int, end: int) -> str | None:
    """A role word tied to the name at ``start:end`` ("Acme Corp as client", "the vendor,
    Acme", "Acme is the disclosing party"), in the same clause."""
    after = text[end : end + 40]
    m = re.match(
        r"[\s,(]*(?:\(|as|is|will be|would be|being|acts as|acting as|stays|remains|will remain|"
        r"will act as|,)\s+(?:the\s+|our\s+|a\s+)?"
        rf"({_ROLE_ALT})\b",
        after,
        re.I,
    )
    if m:
        return _ROLE_WORDS[m.group(1).lower()]
    before = text[max(0, start - 40) : start]
    m2 = re.search(
        rf"\b({_ROLE_ALT})s?\b(?:\s+(?:is|will be|would be|entity is))?[\s,:]*"
        r"(?:the\s+)?$",
        before,
        re.I,
    )
    if m2:
        return _ROLE_WORDS[m2.group(1).lower()]
    return None


_DELIVERABLE_LEAD_RX = re.compile(
    r"\b(?:(?:the\s+)?deliverables?\s+(?:is|are|will be|would be|include|includes|cover)|"
    r"(?:we|i|they|you|the (?:provider|vendor|contractor|team))(?:'ll|\s+will|\s+would|\s+can|"
    r"\s+are going to|'re going to)?(?:\s+also|\s+then)?\s+(?:deliver|provide|hand over|build|"
    r"ship)|"
    r"(?:the\s+)?scope\s+(?:includes|include|covers|is|will be|will include)|"
    r"in scope (?:are|is)|"
    # "So, scope first. As we understood it, it's a discovery phase, then …"
    r"\bscope\b[^?!]{0,12}[.,]\s+[^.?!]{0,40}?\b(?:it's|it is|that's|we have)|"
    # "The idea is to add paid social management …", "the MDR service is 24/7 monitoring …"
    r"(?:the idea is|the plan is|we(?:'d| would) like) to (?:add|include|deliver|provide)|"
    r"\bthe [A-Z]{2,6} (?:service|package|module) (?:is|covers|includes))\s*:?\s+",
    re.I,
)
_DELIVERABLE_STOP_RX = re.compile(
    r"\s+(?:by|before|on|within|in the next|no later than|until|for \$|for (?:a|the) (?:fee|price)|"
    r"at (?:a|the|no)|starting|from)\b|[.;!?]|\s+-\s+|$",
    re.I,
)
_ARTICLE_RX = re.compile(
    r"^(?:(?:then|and|also|all)\s+)?(?:a|an|the|our|your|their|some|all)\s+",
    re.I,
)
_NOT_DELIVERABLE = frozenset(
    {
        "it",
        "that",
        "this",
        "them",
        "on time",
        "everything",
        "something",
        "results",
        "value",
        "the goods",
        "a lot",
        "more",
        "less",
    }
)


def find_deliverables(text: str) -> list[Found]:
    """Deliverables listed after "the deliverables are", "we will deliver", "scope includes":
    "a model, a dashboard, and a workshop" gives three; "the runbook and the cutover plan" two.
    A bare "and" splits only before an article ("sales and marketing dashboard" stays whole)."""
    out: list[Found] = []
    for lead in _DELIVERABLE_LEAD_RX.finditer(text):
        rest = text[lead.end() :]
        stop = _DELIVERABLE_STOP_RX.search(rest)
        span = rest[: stop.start() if stop else len(rest)]
        base = lead.end()
        named = re.search(r"\bthe ([A-Z]{2,6}) (service|package|module)\b", lead.group(0))
        if named and len(span.split()) >= 3:
            # "the MDR service is 24/7 monitoring …, threat hunting and a report": the service
            # as a whole is a deliverable too, with what it consists of.
            whole = f"{named.group(1)} {named.group(2)}: {span.strip()}"
            out.append(Found("deliverable", {"text": whole}, base, base + len(span)))
        parts: list[tuple[str, int]] = []
        pos = 0
        for m in re.finditer(
            r",\s*(?:and\s+|or\s+|then\s+|with\s+)?|\s+(?:then|with)\s+(?=(?:a|an|the|our|your)\s)|"
            r"\s+(?:and|plus|as well as)\s+"
            r"(?=(?:a|an|the|our|your|all|one|two|three|four|five|six)\s)",
            span,
            re.I,
        ):
            parts.append((span[pos : m.start()], pos))
            pos = m.end()
        parts.append((span[pos:], pos))
        for part, offset in parts:
            item = part.strip()
            lead_trim = len(part) - len(part.lstrip())
            m_art = _ARTICLE_RX.match(item)
            if m_art:
                item = item[m_art.end() :]
                lead_trim += m_art.end()
            item = re.sub(
                r"^(?:you|us|them|me|him|her)\s+with\s+(?:the\s+|a\s+|an\s+)?",
                "",
                item.strip(" ,"),
                flags=re.I,
            )
            if len(item) < 3 or item.lower() in _NOT_DELIVERABLE or len(item.split()) > 10:
                continue
            if not re.search(r"[a-z]", item, re.I) or re.match(
                r"(?:on|to|it|in|at|for|with|by)\b", item, re.I
            ):
                continue
            s = base + offset + lead_trim
            out.append(Found("deliverable", {"text": item}, s, s + len(item)))
    return out


_EFFORT_UNITS = frozenset({"hours", "sessions", "workshops", "sprints", "reports"})
_COMMERCIAL_RX = re.compile(
    r"\b(per|rate|billable|bill\w*|invoice\w*|consulting|support|training|included|include|"
    r"retainer|fee|price|cost|budget|order|purchase|contract|package)\b|[$€£]",
    re.I,
)


_TERM_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve fifteen eighteen twenty "
    "thirty forty fifty sixty ninety hundred tomorrow monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september "
    "october november december jan feb mar apr jun jul aug sep sept oct nov dec"
)
_TERM_STEMS = (
    "law",
    "court",
    "jurisdic",
    "deliver",
    "scope",
    "provid",
    "hand over",
    "build",
    "ship",
)
_WORD_RX = re.compile(r"[a-z]+")


def _may_hold_terms(text: str) -> bool:
    """A cheap pre-check: a digit, a number or date word, or a law/deliverable word."""
    low = text.lower()
    if any(c.isdigit() for c in low) or any(stem in low for stem in _TERM_STEMS):
        return True
    return not _TERM_WORDS.isdisjoint(_WORD_RX.findall(low))


def find_terms(text: str, meeting_date: date | None) -> list[Found]:
    """Every contract-term value in ``text`` except money and parties, each with its span: payment
    terms, quantities, governing law, start/end/effective dates, durations and deliverables."""
    if not _may_hold_terms(text):
        return []  # fast path: most utterances name no number, date, law or deliverable
    out: list[Found] = []
    pay_span: tuple[int, int] | None = None
    m = _PAYMENT_RX.search(text)
    pay = find_payment_terms(text)
    if m and pay:
        pay_span = (m.start(), m.end())
        out.append(Found("payment_terms", pay, m.start(), m.end()))
    q = _QUANTITY_RX.search(text)
    qty = find_quantity(text)
    if qty and qty["unit"] in _EFFORT_UNITS and not _COMMERCIAL_RX.search(text):
        qty = None  # "fifty hours of speech" is not a quantity anyone buys
    if q and qty:
        out.append(Found("quantity", qty, q.start(), q.end()))
    if _LAW_CONTEXT_RX.search(text):
        # Per sentence: "I can't accept German law. How about New York?" names two.
        for sm in re.finditer(r"[^.!?]+[.!?]*", text):
            sentence = sm.group(0)
            law = find_governing_law(sentence) or _place(sentence, _FOLLOW_UP_PLACE_RXS)
            if law:
                words = law["text"].split()
                at = sm.start() + max(0, sentence.find(words[-1]))
                out.append(Found("governing_law", law, at, at + len(words[-1])))
    if _DATE_RX.search(text):
        out += find_dates(text, meeting_date)
    for d in find_contract_durations(text):
        if pay_span is None or not (d.start < pay_span[1] and pay_span[0] < d.end):
            out.append(d)
    out += find_deliverables(text)
    out.sort(key=lambda f: f.start)
    return out
