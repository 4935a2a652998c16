"""Every contract-term value one utterance names, for the rules backend (``terms.py``).

``find_terms`` runs the value kinds in turn — payment terms and quantities
(``count_values``), governing law (``law_values``), dates (``date_values``), contract
durations (``count_values``) and deliverables (``deliverable_values``) — and keys each
``Found`` by the ``Item.values`` key it fills. Everything is pure: relative dates resolve
against the meeting date the caller passes in, never the clock.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bridge_app.core.extraction.count_values import (
    PAYMENT_RX,
    QUANTITY_RX,
    find_contract_durations,
    find_durations,
    find_payment_terms,
    find_quantity,
)
from bridge_app.core.extraction.date_values import DATE_RX, find_dates
from bridge_app.core.extraction.deliverable_values import find_deliverable, find_deliverables
from bridge_app.core.extraction.law_values import (
    FOLLOW_UP_PLACE_RXS,
    LAW_CONTEXT_RX,
    find_governing_law,
    place_in,
)
from bridge_app.core.extraction.party_names import find_party
from bridge_app.core.extraction.sentences import sentences
from bridge_app.core.extraction.value_words import Found, word_set


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


_EFFORT_UNITS = frozenset({"hours", "sessions", "workshops", "sprints", "reports"})
_COMMERCIAL_RX = re.compile(
    r"\b(per|rate|billable|bill\w*|invoice\w*|consulting|support|training|included|include|"
    r"retainer|fee|price|cost|budget|order|purchase|contract|package)\b|[$€£]",
    re.I,
)


_TERM_WORDS = word_set(
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
    m = PAYMENT_RX.search(text)
    pay = find_payment_terms(text)
    if m and pay:
        pay_span = (m.start(), m.end())
        out.append(Found("payment_terms", pay, m.start(), m.end()))
    q = QUANTITY_RX.search(text)
    qty = find_quantity(text)
    if qty and qty["unit"] in _EFFORT_UNITS and not _COMMERCIAL_RX.search(text):
        qty = None  # "fifty hours of speech" is not a quantity anyone buys
    if q and qty:
        out.append(Found("quantity", qty, q.start(), q.end()))
    if LAW_CONTEXT_RX.search(text):
        # Per sentence: "I can't accept German law. How about New York?" names two.
        for offset, sentence in sentences(text):
            law = find_governing_law(sentence) or place_in(sentence, FOLLOW_UP_PLACE_RXS)
            if law:
                words = law["text"].split()
                at = offset + max(0, sentence.find(words[-1]))
                out.append(Found("governing_law", law, at, at + len(words[-1])))
    if DATE_RX.search(text):
        out += find_dates(text, meeting_date)
    for d in find_contract_durations(text):
        if pay_span is None or not (d.start < pay_span[1] and pay_span[0] < d.end):
            out.append(d)
    out += find_deliverables(text)
    out.sort(key=lambda f: f.start)
    return out
