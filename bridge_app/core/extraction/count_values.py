"""Counted values: durations ("two weeks"), payment days ("net 30", "within 45 days"),
quantities ("20 licenses") and the contract durations among them ("a 12-month term").
"""

from __future__ import annotations

import re
from typing import Any

from bridge_app.core.extraction.value_words import (
    NUMBER_WORD,
    UNIT_DAYS,
    Found,
    clause_before,
    word_number,
)

_DURATION_RX = re.compile(
    rf"\b(?P<n>{NUMBER_WORD})[\s-]+(?P<unit>day|week|month|quarter|year)s?\b(?!\s+(?:ago|old))",
    re.I,
)
PAYMENT_RX = re.compile(
    rf"\b(?:net[\s-]?(?P<net>\d{{1,3}})|(?:payment|pay|paid|invoice[sd]?)\b[^.?!]{{0,30}}?"
    rf"\bwithin\s+(?P<within>{NUMBER_WORD})\s+days?|(?P<upfront>\d{{1,3}})\s?%\s+(?:up\s?front|upfront|"
    rf"deposit|in advance))",
    re.I,
)
QUANTITY_RX = re.compile(
    rf"\b(?P<n>{NUMBER_WORD}|\d{{1,3}}(?:,\d{{3}})+)\s+(?P<unit>licen[cs]es|seats|units|users|"
    r"pieces|copies|boxes|pallets|devices|laptops|servers|hours|workshops|sessions|sprints|"
    r"reports|chairs|tables|cases|items|orders)\b",
    re.I,
)


def find_durations(text: str) -> list[dict[str, Any]]:
    """Durations such as "12 months" or "two weeks", as ``{"days", "text"}``."""
    out = []
    for m in _DURATION_RX.finditer(text):
        n = word_number(m.group("n"))
        if n is None:
            continue
        out.append({"days": round(n * UNIT_DAYS[m.group("unit").lower()]), "text": m.group(0)})
    return out


def find_payment_terms(text: str) -> dict[str, Any] | None:
    """Payment terms: "net 30", "paid within 45 days", "50% upfront"."""
    m = PAYMENT_RX.search(text)
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
    m = QUANTITY_RX.search(text)
    if not m:
        return None
    n = word_number(m.group("n"))
    if n is None:
        return None
    return {"value": n, "unit": m.group("unit").lower()}


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
        local = clause_before(text, m.start(), 50) + " " + m.group(0) + " " + after[:25]
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
        days = round(n * UNIT_DAYS[m.group("unit").lower()])
        out.append(Found(key, {"days": days, "text": m.group(0)}, m.start(), m.end()))
    return out
