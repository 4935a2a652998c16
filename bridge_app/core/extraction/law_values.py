"""Governing law: the jurisdiction a sentence about law or courts names ("the State of New
York", "English law" → England and Wales).
"""

from __future__ import annotations

import re
from typing import Any

from bridge_app.core.extraction.value_words import JURISDICTION_ADJECTIVES, word_set

_CAP = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
LAW_CONTEXT_RX = re.compile(
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
_NOT_PLACE = word_set(
    "I We You They The This That Is It Yes No Okay Ok So And But Our Your Their Governing Law "
    "Laws State Court Courts For Fine Good Great Sure Either Both Any"
)


def find_governing_law(text: str) -> dict[str, Any] | None:
    """The jurisdiction named in a sentence about governing law or courts ("the State of New
    York", "New York law", "English law" → England and Wales); None without a law context."""
    if not LAW_CONTEXT_RX.search(text):
        return None
    return place_in(text, _PLACE_RXS)


# In a sentence that does not itself mention law, only these forms name the jurisdiction
# ("… German law. How about New York?").
FOLLOW_UP_PLACE_RXS = (
    _PLACE_RXS[0],
    re.compile(rf"\b(?:[Hh]ow|[Ww]hat) about (?:the\s+)?(?P<p>{_CAP})\b"),
)


def place_in(text: str, patterns: tuple[re.Pattern[str], ...]) -> dict[str, Any] | None:
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
            return {"text": JURISDICTION_ADJECTIVES.get(place.lower(), place)}
    return None
