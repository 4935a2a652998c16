"""Mentions of the deal's scope in one segment: governing law ("Ontario law"), territory
("Sweden, Norway, Denmark and Finland"), exclusivity, a liability cap as a multiple of the
fees, and counted units ("forty seats").
"""

from __future__ import annotations

import re
from typing import Any

from bridge_app.core.extraction.mention_context import UNIT_NOUNS, is_context
from bridge_app.core.extraction.negotiation import Mention
from bridge_app.core.extraction.numbers import find_numbers
from bridge_app.core.extraction.sentences import is_question, sentence_bounds, sentences
from bridge_app.core.extraction.value_words import (
    JURISDICTION_ADJECTIVES,
)

_JURISDICTIONS = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta|Manitoba|"
    "Saskatchewan|Nova Scotia|New Brunswick|Newfoundland|England and Wales|England|Wales|"
    "Scotland|Northern Ireland|Ireland|France|Germany|Spain|Portugal|Italy|Netherlands|Belgium|"
    "Luxembourg|Switzerland|Austria|Sweden|Norway|Denmark|Finland|Iceland|Poland|Singapore|"
    "Japan|Australia|New South Wales|Victoria|Queensland|New Zealand|India|Hong Kong|Canada|"
    "Israel|Brazil|Mexico|BC"
)
_LAW_PLACE_RX = re.compile(
    rf"\b(?P<place>{_JURISDICTIONS})\b|\b(?P<adj>{'|'.join(JURISDICTION_ADJECTIVES).title()}|"
    rf"{'|'.join(JURISDICTION_ADJECTIVES)})\s+law\b"
)
LAW_TOPIC_RX = re.compile(
    r"\b(governing law|law|laws|jurisdiction|courts?|legal paper|arbitration|disputes)\b", re.I
)
# "disputes go to arbitration in Singapore": where disputes are heard, not the governing law.
_FORUM_BEFORE_RX = re.compile(r"\b(arbitration|arbitrated|seated|heard|hearings?)\s+in\s+$", re.I)
_WE_ARE_RX = re.compile(r"\b(we're|we are|i'm|based|headquartered|located)\b[^.]{0,30}$", re.I)

_COUNT_UNIT_RX = re.compile(
    # "fourteen hundred square metres" is an area the price is based on, not units ordered.
    rf"^\s*(?:(?!per\b|a\b|an\b|each\b|square\b|cubic\b)[a-z]+\s)?"
    rf"({UNIT_NOUNS}|technicians|people|staff)\b",
    re.I,
)


def law_mentions(text: str, law_topic: bool) -> list[Mention]:
    out: list[Mention] = []
    if not (law_topic or LAW_TOPIC_RX.search(text)):
        return out
    for m in _LAW_PLACE_RX.finditer(text):
        place = m.group("place")
        if m.group("adj"):
            place = JURISDICTION_ADJECTIVES[m.group("adj").lower()]
        elif place == "BC":
            place = "British Columbia"
        assert place is not None
        if place in ("England", "Wales"):
            place = "England and Wales"
        before = text[max(0, m.start() - 40) : m.start()]
        s, e = sentence_bounds(text, m.start())
        sentence = text[s:e]
        # "We're in Michigan", "we're a Delaware corporation": where a party is, said as a
        # reason — an offer only in a law sentence.
        located = bool(_WE_ARE_RX.search(before)) and not LAW_TOPIC_RX.search(sentence)
        ident = place.lower()
        # "contract under Victorian law": "under" names the law here, not a bound on a figure.
        under = re.search(r"\bunder\s+(the\s+)?(laws?\s+of\s+)?$", before, re.I)
        ctx = (
            located
            or bool(_FORUM_BEFORE_RX.search(before))
            or bool(re.match(r"\s+arbitration\b", text[m.end() : m.end() + 14], re.I))
            or is_context(text, m.start(), m.end(), figure=not under)
        )
        same = [k for k, o in enumerate(out) if o.ident == ident and o.start >= s]
        if same:
            if out[same[0]].context and not ctx:
                out.pop(same[0])
            else:
                continue
        out.append(
            Mention(
                "governing_law",
                {"text": place},
                ident,
                m.start(),
                m.end(),
                "place",
                ctx,
            )
        )
    return out


LIABILITY_RX = re.compile(
    r"\bliabilit\w*\b[^.?!]{0,40}\bcap|\bcap\w*\b[^.?!]{0,20}\bliabilit", re.I
)
_MULTIPLE_RX = re.compile(
    r"\b(?P<n>[\w.-]+) times (?:the )?(?:annual |yearly |total |twelve months' |12 months' )?"
    r"(?:fees?|contract value|value|amount paid)\b",
    re.I,
)
_TERRITORY_RX = re.compile(
    r"\b(territory|territories|countries|region|markets?|covers?|all of|including)\b", re.I
)
_PLACE_ONLY_RX = re.compile(rf"\b(?P<place>{_JURISDICTIONS})\b")
_EXCLUSIVE_RX = re.compile(r"\b(?P<non>non-?)?exclusiv(?:e|ity)\b", re.I)


def deal_scope_mentions(text: str) -> list[Mention]:
    """Territory ("Sweden, Norway, Denmark and Finland"), exclusivity and a liability cap
    given as a multiple of the fees ("two times the annual fees")."""
    out: list[Mention] = []
    for off, sentence in sentences(text):
        if is_question(sentence):
            continue  # "And Iceland?" asks; the answer decides
        if _TERRITORY_RX.search(sentence) or len(_PLACE_ONLY_RX.findall(sentence)) >= 2:
            places = [m.group("place") for m in _PLACE_ONLY_RX.finditer(sentence)]
            if places and not re.search(
                r"\b(keep|leave)\b[^.]{0,20}\bout\b|\bexclud", sentence, re.I
            ):
                first = sentence.find(places[0])
                value = {
                    "text": ", ".join(dict.fromkeys(places)),
                    "places": list(dict.fromkeys(places)),
                }
                out.append(
                    Mention(
                        "territory",
                        value,
                        "|".join(sorted(set(places))),
                        off + first,
                        off + first + len(places[0]),
                        "place",
                        is_context(text, off + first, off + first + 1, figure=False),
                    )
                )
        for m in _EXCLUSIVE_RX.finditer(sentence):
            exclusive = not m.group("non")
            out.append(
                Mention(
                    "exclusivity",
                    {"exclusive": exclusive, "text": m.group(0)},
                    "exclusive" if exclusive else "non-exclusive",
                    off + m.start(),
                    off + m.end(),
                    "flag",
                    is_context(text, off + m.start(), off + m.end(), figure=False)
                    or bool(
                        re.search(
                            r"\b(first proposal|was|were|the right to|can go|could go|if (you|we) "
                            r"(fall|miss|don't))\b",
                            sentence,
                            re.I,
                        )
                    ),
                )
            )
            break
        if LIABILITY_RX.search(sentence):
            mm = _MULTIPLE_RX.search(sentence)
            if mm:
                nums = find_numbers(mm.group("n"))
                if nums:
                    cap: dict[str, Any] = {"multiple_of_fees": nums[0].value, "text": mm.group(0)}
                    out.append(
                        Mention(
                            "liability_cap",
                            cap,
                            f"x{nums[0].value}",
                            off + mm.start(),
                            off + mm.end(),
                            "multiple",
                        )
                    )
    return out


def count_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    for n in find_numbers(text):
        after = text[n.end : n.end + 30]
        u = _COUNT_UNIT_RX.match(after)
        if not u or n.value < 1 or n.value != int(n.value):
            continue
        if re.search(r"[$€£¥]\s?$|\b(?:C|US|A)\$\s?$", text[max(0, n.start - 3) : n.start]):
            continue  # "C$14 per seat" is a price
        if re.match(r"\s*(people|staff)\b", after, re.I) or re.match(
            r"\s*technicians", after, re.I
        ):
            kind_context = True
        else:
            kind_context = False
        value = {"value": float(n.value), "unit": u.group(1).lower()}
        out.append(
            Mention(
                "quantity",
                value,
                f"{int(n.value)}",
                n.start,
                n.end + u.end(),
                "count",
                kind_context or is_context(text, n.start, n.end),
            )
        )
    return out
