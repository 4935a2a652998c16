"""Currencies next to an amount: symbols, ISO codes and words, with the country qualifiers that
tell one dollar from another ("C$14", "$12.50 Canadian", "US$", "1.75 million US").

A bare "$" or "dollars" is the meeting's dollar: the one its qualified mentions name (a
Canadian call that says "C$14" once means CAD by "$12.50" too), else USD.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_PREFIX = {
    "us$": "USD",
    "usd": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "nz$": "NZD",
    "s$": "SGD",
    "$": "$",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "chf": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "inr": "INR",
    "₹": "INR",
}
_SUFFIX = {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "dollars us": "USD",
    "dollars canadian": "CAD",
    "dollars": "$",
    "dollar": "$",
    "bucks": "$",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "kronor": "SEK",
    "krona": "SEK",
    "swiss francs": "CHF",
    "francs": "CHF",
    "yen": "JPY",
    "rupees": "INR",
    "usd": "USD",
    "cad": "CAD",
    "eur": "EUR",
    "gbp": "GBP",
    "aud": "AUD",
    "chf": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "us": "USD",
    "canadian": "CAD",
    "australian": "AUD",
    # A symbol written after the figure ("45$", "1.200,50 €"): common in chats and in Europe.
    "$": "$",
    "€": "EUR",
    "£": "GBP",
}
_PREFIX_RX = re.compile(
    r"(?P<cur>US\$|CA\$|C\$|AU\$|A\$|NZ\$|S\$|\$|€|£|¥|₹|\b(?:USD|CAD|AUD|EUR|GBP|JPY|CHF|SEK|"
    r"NOK|DKK|INR))\s?$",
    re.I,
)
_SUFFIX_RX = re.compile(
    r"^(?:\s?(?:k|m|mm|bn|thousand|million|billion))?\s*(?P<cur>"
    + "|".join(re.escape(s) for s in sorted(_SUFFIX, key=len, reverse=True))
    + r")(?!\w)",
    re.I,
)
_DOLLAR_HINT_RX = re.compile(
    r"C\$|CA\$|\bCAD\b|\bcanadian dollars?\b|\$\s?[\d.,]+\s?(?:k|m)?\s+canadian\b|"
    r"US\$|\bUSD\b|\bUS dollars?\b|\$[\d.,]+\s?(?:k|m|million)?\s+US\b|A\$|AU\$|\bAUD\b|"
    r"\baustralian dollars?\b",
    re.I,
)


def currency_at(
    text: str, start: int, end: int, dollar: str | None
) -> tuple[str | None, tuple[int, int]]:
    """The currency written next to the amount at ``start:end`` and the span it covers
    (``(None, (start, end))`` when none). ``dollar`` is the meeting's dollar for a bare "$"."""
    pre = _PREFIX_RX.search(text[max(0, start - 4) : start])
    if pre:
        code = _PREFIX[pre.group("cur").lower()]
        after = _SUFFIX_RX.match(text[end : end + 30])
        if code == "$" and after and _SUFFIX[after.group("cur").lower()] not in ("$",):
            qualified = _SUFFIX[after.group("cur").lower()]
            if qualified in ("USD", "CAD", "AUD"):
                return qualified, (start, end + after.end())
        return (dollar or "USD") if code == "$" else code, (start, end)
    post = _SUFFIX_RX.match(text[end : end + 30])
    if post:
        word = post.group("cur").lower()
        code = _SUFFIX[word]
        if word in ("us", "canadian", "australian"):
            return None, (start, end)  # "US" alone after a bare number is not money
        return (dollar or "USD") if code == "$" else code, (start, end + post.end())
    return None, (start, end)


def meeting_dollar(texts: Iterable[str]) -> str | None:
    """Which dollar a bare "$" means in this meeting (None when no qualifier says)."""
    votes: Counter[str] = Counter()
    for t in texts:
        for m in _DOLLAR_HINT_RX.finditer(t):
            s = m.group(0).lower()
            # The qualifier's own letters ("US dollars" has an "a" but is no Australian dollar).
            if re.match(r"c\$|ca\$|cad\b", s) or "canadian" in s:
                votes["CAD"] += 1
            elif re.match(r"a\$|au\$|aud\b", s) or "australian" in s:
                votes["AUD"] += 1
            else:
                votes["USD"] += 1
    if not votes:
        return None
    return votes.most_common(1)[0][0]
