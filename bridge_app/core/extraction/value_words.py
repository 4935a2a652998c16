"""Pieces both value scanners read — the rules' term values (``values`` and its kinds) and
the negotiation tracker's mentions (``mentions``): number words, day counts of a unit,
weekdays, the adjectives that name a jurisdiction, and ``Found``.

One table each, so "English law" or "two weeks" reads the same in both.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

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
NUMBER_WORD = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


def word_number(token: str) -> float | None:
    """``"three"`` → 3.0, ``"12"`` → 12.0, anything else → None."""
    t = token.lower().replace(",", "")
    if t in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[t])
    try:
        return float(t)
    except ValueError:
        return None


WEEKDAY_NUMBERS = {d.lower(): k for k, d in enumerate(calendar.day_name)}


# --- Contract terms: dates, durations, governing law, parties, deliverables -------------------


@dataclass(frozen=True, slots=True)
class Found:
    """A typed value found in text: the ``Item.values`` key, the value and where it was found."""

    key: str
    value: Any
    start: int
    end: int


_CLAUSE_BREAK_RX = re.compile(r"[.;!?]|\b(?:and|but|with)\b", re.I)


def clause_before(text: str, pos: int, limit: int = 60) -> str:
    """The words before ``pos`` back to the previous clause break (at most ``limit`` chars)."""
    window = text[max(0, pos - limit) : pos]
    breaks = list(_CLAUSE_BREAK_RX.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


# "Dutch law" names the Netherlands as the place list spells it, so both scanners agree.
JURISDICTION_ADJECTIVES = {
    "english": "England and Wales",
    "british": "England and Wales",
    "scottish": "Scotland",
    "irish": "Ireland",
    "french": "France",
    "german": "Germany",
    "spanish": "Spain",
    "portuguese": "Portugal",
    "italian": "Italy",
    "dutch": "Netherlands",
    "belgian": "Belgium",
    "swiss": "Switzerland",
    "austrian": "Austria",
    "swedish": "Sweden",
    "norwegian": "Norway",
    "danish": "Denmark",
    "finnish": "Finland",
    "polish": "Poland",
    "canadian": "Canada",
    "australian": "Australia",
    "indian": "India",
    "japanese": "Japan",
    "singaporean": "Singapore",
    "scots": "Scotland",
    "victorian": "Victoria",
    "californian": "California",
    "texan": "Texas",
    "czech": "Czech Republic",
    "slovak": "Slovakia",
    "slovenian": "Slovenia",
    "croatian": "Croatia",
    "hungarian": "Hungary",
    "romanian": "Romania",
    "greek": "Greece",
    "maltese": "Malta",
    "cypriot": "Cyprus",
    "estonian": "Estonia",
    "luxembourgish": "Luxembourg",
    "icelandic": "Iceland",
    "turkish": "Turkey",
    "israeli": "Israel",
    "south african": "South Africa",
    "brazilian": "Brazil",
    "mexican": "Mexico",
    "chilean": "Chile",
    "korean": "South Korea",
    "chinese": "China",
    "malaysian": "Malaysia",
    "thai": "Thailand",
    "kenyan": "Kenya",
    "nigerian": "Nigeria",
}


def word_set(text: str, sep: str | None = None) -> frozenset[str]:
    return frozenset(w.strip() for w in text.split(sep))


# Words of a contract talk: a meeting without any is a team meeting (a design review, a research
# group), where nobody negotiates terms and a name is not a company at the table.
CONTRACT_TALK_RX = re.compile(
    r"\b(contract|agreement|nda|non-?disclosure|sow|statement of work|order form|term sheet|msa|"
    r"amendment|licen[cs]e|subscription|retainer|governing law|payment terms|net \d+|"
    r"fixed fee|start date|effective date)\b",
    re.I,
)
