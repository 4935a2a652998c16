"""Money amounts in text: an amount with its currency ("$12,000", "45k euros"), and with
``bare=True`` the plain numbers that may still be prices in a negotiation ("85 and it's a
deal"). Which dollar a bare "$" is lives in ``money_values``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from price_parser import Price

_CURRENCY_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "nz$": "NZD",
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
_CUR_PRE = r"(?:US\$|AU\$|A\$|CA\$|C\$|NZ\$|\$|€|£|¥|USD|EUR|GBP|JPY|CHF|CAD|AUD|INR)"
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


_DOLLAR_WORDS = frozenset(["$", "dollar", "dollars", "bucks"])


def _currency(token: str | None, dollar: str | None = None) -> str | None:
    """The code of a currency token; a plain "$" or "dollars" is the meeting's ``dollar``."""
    if not token:
        return None
    word = token.strip().lower()
    if dollar and word in _DOLLAR_WORDS:
        return dollar
    return _CURRENCY_SYMBOLS.get(word, token.strip().upper())


def find_money(text: str, *, bare: bool = False, dollar: str | None = None) -> list[Money]:
    """Money mentions in ``text``; with ``bare=True`` also plain numbers that could be prices.
    ``dollar`` is the meeting's dollar ("AUD" on a call that says "A$" once), else USD.

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
        cur = _currency(m.group("pre") or m.group("post"), dollar)
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
