"""PII redaction applied to segment text before it is stored.

Kinds (all on by default; choose a subset per upload):

- ``email``: addresses like ``name@example.com``.
- ``phone``: numbers the ``phonenumbers`` library considers valid, international or in the
  upload's default region.
- ``card``: 13–19 digit payment card numbers (spaces/dashes allowed) passing the Luhn check.
- ``iban``: IBANs with a valid ISO 13616 mod-97 checksum (and the country's length when known).
- ``national_id``: US Social Security numbers (``123-45-6789`` with the invalid ranges excluded)
  and UK National Insurance numbers (``QQ 12 34 56 C``).

Checksums keep ordinary numbers (prices, dates, order numbers) from being removed. The report
(``Redaction``) gives the segment, the kind and where the placeholder sits in the *stored*
text; the removed text itself is never kept anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

import phonenumbers

from .model import Redaction, Segment, TranscriptError

REDACTION_KINDS = ("email", "phone", "card", "iban", "national_id")
_PLACEHOLDER = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "card": "[CARD]",
    "iban": "[IBAN]",
    "national_id": "[NATIONAL_ID]",
}

_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}\b"
)
_CARD_RE = re.compile(r"(?<![\d\-])\d(?:[ \-]?\d){12,18}(?![\d])")
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_SSN_RE = re.compile(r"(?<![\d\-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d\-])")
_NINO_RE = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_DIGITS_RE = re.compile(r"\d")

# Lengths of IBANs for the countries most uploads will carry (ISO 13616 registry).
_IBAN_LENGTHS = {
    "AT": 20,
    "BE": 16,
    "BG": 22,
    "CH": 21,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "EE": 20,
    "ES": 24,
    "FI": 18,
    "FR": 27,
    "GB": 22,
    "GR": 27,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IS": 26,
    "IT": 27,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MT": 31,
    "NL": 18,
    "NO": 15,
    "PL": 28,
    "PT": 25,
    "RO": 24,
    "SE": 24,
    "SI": 19,
    "SK": 24,
}


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment card numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97."""
    if not 15 <= len(iban) <= 34:
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def _emails(text: str) -> Iterator[tuple[int, int]]:
    if "@" in text:
        for match in _EMAIL_RE.finditer(text):
            yield match.span()


def _cards(text: str) -> Iterator[tuple[int, int]]:
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"[ \-]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            yield match.span()


def _ibans(text: str) -> Iterator[tuple[int, int]]:
    for match in _IBAN_RE.finditer(text):
        # The pattern may run into following capitalised words; try the longest valid prefix.
        chars = [(i, c) for i, c in enumerate(match.group()) if c != " "]
        country = match.group()[:2]
        lengths = (
            [_IBAN_LENGTHS[country]] if country in _IBAN_LENGTHS else range(len(chars), 14, -1)
        )
        for length in lengths:
            if length > len(chars):
                continue
            candidate = "".join(c for _, c in chars[:length])
            if iban_valid(candidate):
                yield match.start(), match.start() + chars[length - 1][0] + 1
                break


def _national_ids(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (_SSN_RE, _NINO_RE):
        for match in pattern.finditer(text):
            yield match.span()


def _phones(text: str, region: str) -> Iterator[tuple[int, int]]:
    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    ):
        yield match.start, match.end


def find_pii(text: str, kinds: Collection[str], region: str) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, kind)`` spans in ``text``, earlier kinds winning ties."""
    spans: list[tuple[int, int, str]] = []

    def add(found: Iterator[tuple[int, int]], kind: str) -> None:
        for start, end in found:
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, kind))

    if "email" in kinds:
        add(_emails(text), "email")
    enough_digits = len(_DIGITS_RE.findall(text)) >= 7
    if enough_digits:
        if "iban" in kinds:
            add(_ibans(text), "iban")
        if "card" in kinds:
            add(_cards(text), "card")
        if "national_id" in kinds:
            add(_national_ids(text), "national_id")
        if "phone" in kinds:
            add(_phones(text, region), "phone")
    elif "national_id" in kinds:
        add(_national_ids(text), "national_id")  # a NINO has only six digits
    spans.sort()
    return spans


def validate_kinds(kinds: Collection[str] | None) -> frozenset[str]:
    """The kinds to redact (all when None); an unknown kind is an error."""
    if kinds is None:
        return frozenset(REDACTION_KINDS)
    unknown = sorted(set(kinds) - set(REDACTION_KINDS))
    if unknown:
        raise TranscriptError(
            "bad_option",
            f"unknown redaction kind(s) {', '.join(unknown)}; use {', '.join(REDACTION_KINDS)}",
        )
    return frozenset(kinds)


def redact_segments(
    segments: tuple[Segment, ...], kinds: Collection[str], region: str
) -> tuple[tuple[Segment, ...], tuple[Redaction, ...]]:
    """Replace PII in every segment's text; return new segments and the redaction report."""
    region = region.upper()
    out: list[Segment] = []
    report: list[Redaction] = []
    for segment in segments:
        spans = find_pii(segment.text, kinds, region)
        if not spans:
            out.append(segment)
            continue
        pieces: list[str] = []
        cursor = 0
        length = 0
        for start, end, kind in spans:
            before = segment.text[cursor:start]
            pieces.append(before)
            length += len(before)
            placeholder = _PLACEHOLDER[kind]
            report.append(
                Redaction(segment.segment_id, kind, length, length + len(placeholder), placeholder)
            )
            pieces.append(placeholder)
            length += len(placeholder)
            cursor = end
        pieces.append(segment.text[cursor:])
        out.append(
            Segment(
                index=segment.index,
                speaker=segment.speaker,
                start=segment.start,
                end=segment.end,
                text="".join(pieces),
                external_id=segment.external_id,
            )
        )
    return tuple(out), tuple(report)
