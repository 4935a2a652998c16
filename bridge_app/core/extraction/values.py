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


def find_governing_law(text: str) -> dict[str, Any] | None:
    """The governing law named in a sentence about governing law."""
    if not re.search(r"\b(governed|governing law|laws? of)\b", text, re.I):
        return None
    m = _LAW_RX.search(text)
    if not m:
        return None
    return {"text": m.group("place").strip()}


def find_party(text: str) -> dict[str, Any] | None:
    """A company named with a legal suffix ("Acme Corp"), with a role when the text gives one."""
    m = _PARTY_RX.search(text)
    if not m:
        return None
    role = None
    low = text.lower()
    roles = ("client", "customer", "vendor", "supplier", "contractor", "buyer", "seller")
    for r in roles:
        if r in low:
            role = r
            break
    return {"name": m.group("name").strip(), "role": role}


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
    phrase = m.group(0)
    low = phrase.lower()
    base = meeting_date
    q = _QUARTER_RX.match(low)
    if q:
        if base is None:
            return None
        which = q.group(1)
        quarter = int(which[1]) if which.startswith("q") else (base.month - 1) // 3 + 1
        return _end_of_quarter(quarter, base).isoformat(), phrase
    if low.startswith("end of"):
        if base is None:
            return None
        rest = low[len("end of ") :].replace("the ", "")
        if rest == "week":
            return (base + timedelta(days=(4 - base.weekday()) % 7)).isoformat(), phrase
        if rest == "month":
            last = calendar.monthrange(base.year, base.month)[1]
            return date(base.year, base.month, last).isoformat(), phrase
        if rest == "year":
            return date(base.year, 12, 31).isoformat(), phrase
        month_text = rest
    else:
        month_text = None
    cleaned = re.sub(r"^(?:on|by|before|until|till|coming)\s+", "", low)
    cleaned = re.sub(r"^this\s+", "", cleaned)
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
        return date(parsed.year, parsed.month, last).isoformat(), phrase
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return parsed.date().isoformat(), phrase


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
            key = "confidentiality_period" if re.search(r"confidential|nda", text, re.I) else (
                "term" if re.search(r"\b(term|contract|agreement)\b", text, re.I) else "duration"
            )
            values[key] = durs[0]
    deliv = find_deliverable(text)
    if deliv:
        values["deliverable"] = deliv
    return values
