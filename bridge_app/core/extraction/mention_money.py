"""Money mentions in one segment: figures with or without a currency ("$42,000", "sixty-four
five", "Forty-five?"), keyed ``price`` / ``unit_price`` / ``rate`` / ``other_amount`` /
``liability_cap`` by the words around them, or keyless when only the talk can tell.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bridge_app.core.extraction.mention_context import TOTAL_RX, UNIT_NOUNS, is_context
from bridge_app.core.extraction.mention_scope import LIABILITY_RX
from bridge_app.core.extraction.money_values import currency_at
from bridge_app.core.extraction.negotiation import Mention
from bridge_app.core.extraction.numbers import find_numbers
from bridge_app.core.extraction.sentences import sentence_bounds

_AFTER_NOT_MONEY_RX = re.compile(
    r"^\s*(?:-\s*)?(?:%|percent|per ?cent|uptime|days?|weeks?|months?|years?|hours?|minutes?|"
    r"o'clock|am\b|pm\b|people|users?|seats?|sensors?|licen[cs]es?|units?|devices?|endpoints?|"
    r"technicians|staff|posts?|clinics?|subs\b|countries|sessions?|times|degrees|"
    r"(?!(?:is|was|has|this|yes|plus|us|as|its|thus|less|unless|across|does|sounds|works|"
    r"dollars|euros|pounds|bucks)\b)[a-z]+s\b)",
    re.I,
)
# What may follow a bare figure that is an offer ("Forty-five?", "sixty-four five works").
_BARE_TAIL_RX = re.compile(
    r"^\s*(?:[.,!?;:)\-]|$|'s\b|(?:a|per|each|fixed|for|and|with|if|is|works|it|then|on|total|"
    r"all|plus|but|ok|okay|yes|in|or|that|which|as|to|would|could|sounds|upfront|even|including|"
    r"excluding|flat|from|so|i|we|you|your|without|max|tops|firm|final|cash|now|instead|be|dollars|"
    r"bucks|altogether|overall|"
    r"and|no|works|at)\b)",
    re.I,
)
_SMALL_OFFER_BEFORE_RX = re.compile(
    r"\b(settle on|make it|meet (you )?at|go (to|for)|how about|what about|could we do|say)\s+$",
    re.I,
)
_NUMBER_BEFORE_SKIP_RX = re.compile(
    r"\b(year|phase|day|tier|level|option|number|point|version|wcag|sla|section|clause|q|all|buy|"
    r"the|those|these|get)\s*$",
    re.I,
)
_PER_UNIT_RX = re.compile(rf"^\s*(?:per|a|an|each|/)\s*({UNIT_NOUNS})\b", re.I)
# "two hundred and twenty users at twenty-four pounds": the figure after "<units> at" is per unit.
_UNITS_AT_RX = re.compile(
    rf"\b({UNIT_NOUNS})\s+at\s+(?:just\s+|only\s+)?(?:[£$€]|[A-Z]{{1,3}}\$|USD|EUR|GBP)?\s*$",
    re.I,
)
_PER_PERIOD_RX = re.compile(
    r"^\s*(?:(?:per|a|an|each|/)\s*(?:" + UNIT_NOUNS + r")\s*)?(?:per|a|an|/|every)\s*"
    r"(month|year|annum|quarter|week)\b|^\s*(monthly|annually|yearly|per annum)\b",
    re.I,
)
_RATE_RX = re.compile(r"\b(day rate|daily rate|hourly|per hour|per day|an hour|a day rate)\b", re.I)
_MAGNITUDE_RX = re.compile(r"\d\s?(k|m|mm|bn)\b|\b(thousand|million|billion|grand)\b", re.I)
_PRICE_WORDS_RX = re.compile(
    r"\b(price|pricing|fee|fees|cost|costs|budget|pay|paid|quote|proposal|minimum|retainer|"
    r"rate|charge|offer|number|value|deal|sell|buy|spend|come down|do|go)\b",
    re.I,
)
# Words of an offer: a bare figure next to them opens the money talk ("I can offer you 15,000").
_OFFER_CUE_RX = re.compile(
    r"\b(offer|pay|take|accept|asking|price|sell|for it|go (down|as low|lower)|lowest|budget|"
    r"cash|deal|how about|would you do|willing to|i can do|can you do|give|spend|afford|"
    r"for each|each|final|firm|meet (you )?in the middle|split|drop)\b",
    re.I,
)
_OTHER_AMOUNT_RX = re.compile(
    r"\b(contribute|contribution|cover the cost|one-time|one time|onboarding|add-?on|deposit|"
    r"optional|extra|on top|additionally|also offer|also recommend|also have|premium|"
    r"capped at|a cap of|travel|expenses)\b",
    re.I,
)


def money_mentions(text: str, dollar: str | None) -> list[Mention]:
    out: list[Mention] = []
    numbers = find_numbers(text)
    pence_at: set[int] = set()  # starts of the "fifty" in "nine pounds fifty"
    for k, n in enumerate(numbers):
        if n.start in pence_at:
            continue
        before = text[max(0, n.start - 8) : n.start]
        after = text[n.end : n.end + 30]
        if _NUMBER_BEFORE_SKIP_RX.search(before) or re.match(r"\s*(/|:)\d", after):
            continue
        currency, cur_span = currency_at(text, n.start, n.end, dollar)
        if currency is not None and cur_span[1] > n.end and k + 1 < len(numbers):
            # "nine pounds fifty", "nine dollars eighty": the figure after the currency word is
            # its cents.
            cents = numbers[k + 1]
            if (
                re.fullmatch(r"\s+", text[cur_span[1] : cents.start])
                and cents.value == int(cents.value)
                and 1 <= cents.value < 100
                and n.value == int(n.value)
                and n.value < 1000
            ):
                pence_at.add(cents.start)
                amount = n.value + cents.value / 100
                n = replace(n, value=amount, readings=(amount,), end=cents.end)
                cur_span = (cur_span[0], cents.end)
        magnitude = bool(_MAGNITUDE_RX.search(text[n.start : n.end + 2]))
        explicit = currency is not None or magnitude
        tail = text[max(n.end, cur_span[1]) : max(n.end, cur_span[1]) + 40]
        if currency is None and _AFTER_NOT_MONEY_RX.match(tail):
            continue
        if (
            not explicit
            and re.fullmatch(r"(19[5-9]\d|20[0-4]\d)", text[n.start : n.end])
            and (
                re.search(r"\b(in|since|of|from|year|model)\s*$", before, re.I)
                or not _OFFER_CUE_RX.search(text)
            )
        ):
            continue  # a year ("bought it new in 2015"), unless it is a figure on offer
        s, e = sentence_bounds(text, n.start)
        sentence = text[s:e]
        per_period = _PER_PERIOD_RX.match(tail)
        per_unit = _PER_UNIT_RX.match(tail) or _UNITS_AT_RX.search(
            text[max(s, n.start - 30) : n.start]
        )
        per = None
        if per_unit:
            per = per_unit.group(1).rstrip("s").lower()
            if per_period:
                per += "/" + (per_period.group(1) or per_period.group(2)).lower()
        elif per_period:
            per = (per_period.group(1) or per_period.group(2) or "").lower()
            per = {"monthly": "month", "annually": "year", "yearly": "year", "annum": "year"}.get(
                per, per
            )
            if per == "per annum":
                per = "year"
        value: dict[str, Any] = {"amount": n.value, "currency": currency}
        if per:
            value["per"] = per
        key: str | None
        if not explicit:
            if (
                not _BARE_TAIL_RX.match(tail)
                or (
                    n.spoken
                    and n.value < 10
                    and len(text[n.start : n.end].split()) == 1
                    and "-" not in text[n.start : n.end]
                    # "Could we settle on two?" after "Twelve months": a counter, not a count
                    and not _SMALL_OFFER_BEFORE_RX.search(text[max(0, n.start - 20) : n.start])
                )
            ):
                continue  # "one more question", "just one or multiple", "three sessions"
            kind = "number+price" if _OFFER_CUE_RX.search(sentence) else "number"
            out.append(Mention(None, n, "", n.start, n.end, kind, is_context(text, n.start, n.end)))
            continue
        if _RATE_RX.search(text[max(s, n.start - 20) : min(e, n.end + 20)]):
            key = "rate"
        elif per_unit:
            key = "unit_price"
        elif TOTAL_RX.search(sentence) or per_period:
            key = "price"
        else:
            key = None  # the money term under discussion, or the price
        # "We also have a premium tier. That's twelve hundred pounds a year.": the sentence
        # before says what "that" is.
        said_of = text[sentence_bounds(text, s - 2)[0] : e] if s > 1 else sentence
        if not re.match(r"\W*(that|it|this|which)('s| is| would be| comes)\b", sentence, re.I):
            said_of = sentence
        all_in = re.match(
            r"\W*(all in|in total|altogether|all-inclusive)\b", text[n.end : n.end + 20], re.I
        )
        if _OTHER_AMOUNT_RX.search(said_of) and key != "unit_price" and not all_in:
            key = "other_amount"
        if LIABILITY_RX.search(sentence):
            key = "liability_cap"
        ident = f"{round(n.value, 2)}"
        out.append(
            Mention(
                key,
                value,
                ident,
                n.start,
                n.end,
                "money",
                is_context(text, n.start, n.end),
            )
        )
    return out
