"""Numbers as people say them: digits, words and the shorthand of negotiations.

``find_numbers(text)`` returns every number mention with its span and its *readings*:

* digits with separators and magnitude suffixes: "11,500", "12.5", "58k", "1.2M", "12.5k";
* number words: "fifty eight thousand", "a hundred and fifty", "two and a half million",
  "one point seven five million", "fourteen thousand nine hundred";
* spoken shorthand, where the magnitude is left to the listener: "sixty-four five" (64.5 →
  64,500 in a fee talk), "twelve fifty" (12.50 or 1,250), "eighteen eight ten" (18,810),
  "one eighty" (180 → 180,000), "one point two" (1.2 → 1.2 million).

A shorthand has several readings; the caller picks the one on the scale of the figures under
discussion (``reading_near``). Ordinals ("the thirtieth", "twenty-third") are separate
(``find_ordinals``) because they name days, not amounts.

Why our own parser: the libraries that read number words (word2number, number-parser,
text2num) read "sixty-four five" as 69 or fail, and none returns spans plus alternative
readings, which is what a negotiation needs. The grammar below is small and closed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
MAGNITUDES = {"thousand": 1_000, "grand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_SMALL = {**UNITS, **TEENS, **TENS}
_WORD_ALT = "|".join(
    sorted([*_SMALL, *MAGNITUDES, "hundred", "point", "and", "a", "half"], key=len, reverse=True)
)
# "forty-five", and "one-twenty" (shorthand hundreds) as one token.
_TOKEN_RX = re.compile(rf"\b(?:{_WORD_ALT})\b(?:-(?:{'|'.join([*UNITS, *TENS, *TEENS])})\b)?", re.I)
_DIGITS_RX = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<mult>k|K|m|M|mm|MM|bn|thousand|million|billion|grand)\b)?"
)
_ORDINAL_RX = re.compile(
    r"\b(?:(?P<tens>twenty|thirty)[- ])?(?P<ord>"
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r")\b|\b(?P<digits>\d{1,2})(?:st|nd|rd|th)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number in text: its primary reading, every reading it allows, and its span."""

    value: float
    readings: tuple[float, ...]
    start: int
    end: int
    spoken: bool  # said in words, not digits
    shorthand: bool  # magnitude left to the listener ("sixty-four five")


def _digits_value(num: str) -> float | None:
    """Digits with either separator convention: "11,500", "12.500,00", "31,25", "1.5"."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", num):
        return float(num.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", num):
        return float(num.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+,\d{1,2}", num):
        return float(num.replace(",", "."))
    try:
        return float(num.replace(",", ""))
    except ValueError:
        return None


def _groups(tokens: list[str]) -> tuple[list[float], float, bool] | None:
    """Parse number words into (groups, magnitude total, used a magnitude word).

    A group ends where English would not continue the number: a unit after a unit or after a
    hyphenated tens-unit ("sixty-four five"), a teen or tens after anything but a magnitude
    ("twelve fifty", "one eighty"). Magnitude words close the number ("seventy-two
    thousand", "fourteen thousand nine hundred")."""
    total = 0.0
    current: float | None = None
    last = ""  # kind of the last token: unit, teen, tens, tensunit, hundred, magnitude
    groups: list[float] = []
    magnitude = False
    decimals: str | None = None
    half = False
    point = hundred = False
    for tok in tokens:
        low = tok.lower()
        if decimals is not None:
            if low in UNITS:
                decimals += str(UNITS[low])
                continue
            if low not in MAGNITUDES or current is None:
                break
            current += float("0." + decimals) if decimals else 0.0
            decimals = None
            point = True
        if low == "point":
            if current is None:
                return None
            decimals = ""
            continue
        if low in ("and", "a"):
            continue
        if low == "half":
            half = True
            continue
        if "-" in low:
            tens, unit = low.split("-", 1)
            value, kind = float(TENS.get(tens, 0) + UNITS.get(unit, 0)), "tensunit"
            if tens in UNITS and (unit in TENS or unit in TEENS):
                # "one-twenty", "two-fifty": shorthand hundreds written with a hyphen.
                value = float(UNITS[tens] * 100 + TENS.get(unit, TEENS.get(unit, 0)))
            elif tens not in TENS:
                return None
        elif low in UNITS:
            value, kind = float(UNITS[low]), "unit"
        elif low in TEENS:
            value, kind = float(TEENS[low]), "teen"
        elif low in TENS:
            value, kind = float(TENS[low]), "tens"
        elif low == "hundred":
            hundred = True
            current = (current or 1.0) * 100
            last = "hundred"
            continue
        elif low in MAGNITUDES:
            if len(groups) == 1 and groups[0] < 10 and current is not None and 10 <= current < 100:
                # "one ninety thousand", "two twenty thousand": the shorthand hundreds.
                current, groups = groups[0] * 100 + current, []
            if half:
                current = (current or 0.0) + 0.5
                half = False
            total += (current or 1.0) * MAGNITUDES[low]
            current = None
            magnitude = True
            last = "magnitude"
            continue
        else:
            return None
        joins = current is not None and (
            (last == "tens" and kind == "unit")
            or (last == "hundred" and kind in ("unit", "teen", "tens", "tensunit"))
        )
        if current is None or joins or (last == "magnitude" and current is None):
            current = (current or 0.0) + value
        else:
            groups.append(current)
            current = value
        last = kind
    if current is not None:
        if decimals:
            current += float("0." + decimals)
            point = True
        if half:
            current += 0.5
        groups.append(current)
    if magnitude:
        return [total + (groups[-1] if groups else 0.0)], total, True
    if groups and len(groups) == 1 and (hundred or (point and groups[0] >= 10)):
        return groups, 0.0, True  # "thirty-nine hundred", "ninety-nine point nine": exact
    return (groups, 0.0, False) if groups else None


def _shorthand_readings(groups: list[float]) -> tuple[float, ...]:
    """Readings of a shorthand run such as [64, 5], [12, 50], [1, 80], [1, 36, 8]."""
    g = list(groups)
    # "one eighty", "one thirty-six": a unit before a tens group is hundreds ("seven fifty"
    # is also £7.50: the scale of the talk picks).
    pence: list[float] = []
    if len(g) >= 2 and g[0] < 10 and 10 <= g[1] < 100:
        if len(g) == 2:
            pence = [round(g[0] + g[1] / 100, 2)]
        g = [g[0] * 100 + g[1], *g[2:]]
    base = g[0]
    if len(g) == 1:
        bases = [base]
    else:
        frac = "".join(str(int(x)) for x in g[1:])
        bases = [float(f"{int(base)}.{frac}")]
        if len(g) == 2 and 10 <= g[1] < 100:
            bases.append(base * 100 + g[1])  # "twelve fifty" = 1,250
    out: list[float] = []
    for b in bases:
        for factor in (1, 1_000, 1_000_000):
            out.append(round(b * factor, 6))
    return tuple(dict.fromkeys(out + pence))


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mention in ``text`` (digits and words), in order."""
    found: list[NumberMention] = []
    for m in _DIGITS_RX.finditer(text):
        value = _digits_value(m.group("num"))
        if value is None:
            continue
        mult = (m.group("mult") or "").lower()
        factor = {"k": 1e3, "m": 1e6, "mm": 1e6, "bn": 1e9, "grand": 1e3}.get(mult) or float(
            MAGNITUDES.get(mult, 1)
        )
        value *= factor
        found.append(NumberMention(value, (value,), m.start(), m.end(), False, False))
    tokens = list(_TOKEN_RX.finditer(text))
    k = 0
    while k < len(tokens):
        run = [tokens[k]]
        while k + len(run) < len(tokens):
            nxt = tokens[k + len(run)]
            gap = text[run[-1].end() : nxt.start()]
            # "two hundred and seventy thousand, three hundred and sixty": a comma after a
            # magnitude word continues the number; elsewhere it ends it ("five, six").
            after_magnitude = run[-1].group(0).lower() in ("thousand", "million") and (
                nxt.group(0).lower() in UNITS
            )
            if not re.fullmatch(r"[\s,]*", gap) or (
                "," in gap and nxt.group(0).lower() != "and" and not after_magnitude
            ):
                break
            run.append(nxt)
        k += len(run)
        # "Grand. From my side …" (Irish for "fine") is no figure; "a grand", "five grand" are.
        if len(run) == 1 and run[0].group(0).lower() == "grand":
            continue
        # Trim connector words at the edges ("a", "and").
        while run and run[0].group(0).lower() in ("and", "a", "point", "half"):
            run = run[1:]
        while run and run[-1].group(0).lower() in ("and", "a", "point"):
            run = run[:-1]
        if not run:
            continue
        parsed = _groups([t.group(0) for t in run])
        if parsed is None:
            continue
        groups, _, magnitude = parsed
        start, end = run[0].start(), run[-1].end()
        if any(f.start < end and start < f.end for f in found):
            continue
        if magnitude or len(groups) == 1:
            value = groups[-1] if magnitude else groups[0]
            readings = (value,) if magnitude else _shorthand_readings(groups)
            found.append(NumberMention(value, readings, start, end, True, not magnitude))
        else:
            readings = _shorthand_readings(groups)
            found.append(NumberMention(readings[0], readings, start, end, True, True))
    # "1.75 million", "1.2 million": digits followed by a magnitude word are one number.
    found.sort(key=lambda n: n.start)
    return _thousands_pairs(text, found)


def _thousands_pairs(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """ "Two seventy, three sixty a year" read back for £270,360: two spoken hundreds with a
    comma between are the thousands and the rest of one figure."""
    out: list[NumberMention] = []
    for n in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.spoken
            and n.spoken
            and prev.shorthand
            and n.shorthand
            and re.fullmatch(r",\s*", text[prev.end : n.start])
            and 100 <= prev.value <= 999
            and 100 <= n.value <= 999
            and prev.value == int(prev.value)
            and n.value == int(n.value)
        ):
            value = prev.value * 1000 + n.value
            out[-1] = NumberMention(value, (value,), prev.start, n.end, True, False)
            continue
        out.append(n)
    return out


def reading_near(mention: NumberMention, scale: float, spread: float = 3.0) -> float | None:
    """The reading of ``mention`` closest to ``scale`` (in ratio), if within ``spread`` times."""
    best: tuple[float, float] | None = None
    for r in mention.readings:
        if r <= 0:
            continue
        dist = abs(math.log(r / scale))
        if dist <= math.log(spread) and (best is None or dist < best[0]):
            best = (dist, r)
    return best[1] if best else None


def find_ordinals(text: str) -> list[tuple[int, int, int]]:
    """Day ordinals as ``(day, start, end)``: "the thirtieth", "twenty-third", "15th"."""
    out = []
    for m in _ORDINAL_RX.finditer(text):
        if m.group("digits"):
            day = int(m.group("digits"))
        else:
            day = ORDINALS[m.group("ord").lower()] + (
                TENS[m.group("tens").lower()] if m.group("tens") else 0
            )
        if 1 <= day <= 31:
            out.append((day, m.start(), m.end()))
    return out
