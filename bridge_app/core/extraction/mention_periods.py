"""Day counts and periods in one segment: payment terms ("net thirty"), notice, cure and return
periods ("ninety days' notice"), the contract term and other durations ("a two-year term").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bridge_app.core.extraction.mention_context import clause_around, is_context
from bridge_app.core.extraction.negotiation import Mention
from bridge_app.core.extraction.numbers import find_numbers
from bridge_app.core.extraction.sentences import sentence_bounds
from bridge_app.core.extraction.value_words import (
    UNIT_DAYS,
)

_PAYMENT_CUE_RX = re.compile(
    r"\b(payment|pay|payable|paid|invoice\w*|net|billing|settle(d|ment)? (within|in)|"
    r"ap (cycle|team)|suppliers at|from shipment|"
    r"from invoice|receipt)\b",
    re.I,
)
_NOTICE_RX = re.compile(r"\bnotice\b", re.I)
_CURE_RX = re.compile(r"\b(cure|to fix it|to catch up|remedy)\b", re.I)
_RETURN_RX = re.compile(r"\b(return|destroy|destruction)\b", re.I)
_NON_SOLICIT_RX = re.compile(
    r"\b(non-?solicit\w*|no[- ]approach|no[- ]poach\w*|no[- ]hire|non[- ]compete|"
    r"non-?circumvention)\b",
    re.I,
)
_CONFIDENTIAL_RX = re.compile(r"\b(confidential\w*|trade secrets?)\b", re.I)
_RENEW_RX = re.compile(r"\b(renew\w*|renewal|extension option|option to extend)\b", re.I)
_DISCLOSURE_RX = re.compile(
    r"\b(disclosure period|disclosures|shared in the next|covers anything|anything (we|you|"
    r"they) (exchange|share|disclose|send)|(exchanged?|shared?|disclosed?) (over|during|in|"
    r"within) the (next|first))\b",
    re.I,
)
_TERM_RX = re.compile(
    r"\b(term|contract|agreement|subscription|licen[cs]e|retainer|extend\w*|commitment|"
    r"lock in|partnership)\b",
    re.I,
)
_PROJECT_RX = re.compile(r"\b(end to end|engagement|project|timeline|estimat\w*|weeks)\b", re.I)


def _duration_key(text: str, start: int, end: int) -> str | None:
    """Which period a duration is, by the nearest cue word in its clause. Side periods
    (notice, cure, renewal, return) only take a duration they are next to ("a two-year
    renewal", "ninety days' notice"); the contract term takes any in its clause."""
    s, e = sentence_bounds(text, start)
    lo, hi = max(s, start - 45), min(e, end + 45)
    best: tuple[int, str] | None = None
    for rx, key, reach in (
        (_NON_SOLICIT_RX, "non_solicit_period", 45),
        (_NOTICE_RX, "notice_period", 15),
        (_CURE_RX, "cure_period", 20),
        (_RENEW_RX, "renewal_period", 12),
        (_RETURN_RX, "return_period", 15),
        (_CONFIDENTIAL_RX, "confidentiality_period", 45),
        (_DISCLOSURE_RX, "term", 45),
        (_TERM_RX, "term", 45),
    ):
        for m in rx.finditer(text, lo, hi):
            dist = start - m.end() if m.end() <= start else m.start() - end
            if dist > reach:
                continue
            if key == "renewal_period" and re.search(
                r"\b(after|then)\b[^.]{0,20}$", text[max(0, start - 25) : start], re.I
            ):
                continue  # "after the two years it renews": the two years are the term
            if best is None or dist < best[0]:
                best = (dist, key)
    if best is not None:
        return best[1]
    if _PROJECT_RX.search(text[s:e]):
        return "duration"
    return None


def duration_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in re.finditer(r"(?P<unit>day|week|month|quarter|year)s?\b", text, re.I):
        head = text[max(0, m.start() - 40) : m.start()]
        nums = [n for n in find_numbers(head) if head[n.end :].strip(" -'") == ""]
        if not nums:
            if re.search(r"\b(once|twice|times)\s+(a|per)\s*$", head, re.I):
                continue  # "our payment run happens once a month": a frequency
            if re.search(r"\b(a|one)[ -]$", head, re.I):
                count = 1.0
                s0 = m.start() - 2
            elif re.search(r"\bthe next $", head, re.I) and _DISCLOSURE_RX.search(
                clause_around(text, m.start(), m.end())
            ):
                # "the NDA covers what we share over the next year": the disclosure window
                count = 1.0
                s0 = m.start()
            else:
                continue
        else:
            count = nums[-1].value
            s0 = m.start() - len(head) + nums[-1].start
        before = text[max(0, s0 - 25) : s0]
        after = text[m.end() : m.end() + 25]
        if (
            re.search(
                # "in the last three years", not "the obligations to last three years"
                r"\b(in|within|every|per|ago|(?<!to )(?<!will )(?<!would )(?<!should )last|past|"
                r"first|those|these)\s+(the\s+)?$",
                before,
                re.I,
            )
            and not _DISCLOSURE_RX.search(clause_around(text, s0, m.end()))
            # "we pay suppliers within twenty-one days of a valid invoice": payment terms.
            and not (m.group("unit").lower() == "day" and _day_key(text, s0, m.end()))
        ):
            continue
        if (
            re.match(r"\s*(ago|old|of effort|from (the )?date)", after, re.I)
            and "date" not in after
        ):
            continue
        unit = m.group("unit").lower()
        days = round(count * UNIT_DAYS[unit])
        key = _duration_key(text, s0, m.end())
        if unit == "day":
            key = _day_key(text, s0, m.end())
            value: dict[str, Any] = {"days": days, "text": text[s0 : m.end()]}
            out.append(
                Mention(
                    key, value, f"days:{days}", s0, m.end(), "days", is_context(text, s0, m.end())
                )
            )
            continue
        value = {"days": days, "text": text[s0 : m.end()]}
        out.append(
            Mention(
                key,
                value,
                f"days:{days}",
                s0,
                m.end(),
                "duration",
                is_context(text, s0, m.end())
                or bool(re.match(r"\s*(ago|old)\b", after, re.I))
                or _phase_length(text, m.end())
                or _lead_time(text, s0, m.end()),
            )
        )
    return out


# "a two-week discovery sprint": the length of one phase, not of the contract.
_PHASE_AFTER_RX = re.compile(
    r"[ -](?!(?:term|contract|engagement|project|agreement|period|timeline|programme|program|"
    r"pilot|subscription|licen[cs]e|deal|extension|renewal|commitment|initial|minimum|fixed|"
    r"rolling|notice|exclusivity)\b)(?:[a-z]+ )?(sprint|phase|stage|workshop|trial|onboarding|"
    r"kickoff|kick-off|discovery|warranty|handover|hypercare|freeze|sprints|window|delay|break|"
    r"holiday|course|training|review)\b",
    re.I,
)


# "the first shipment takes six weeks by sea", "stock sitting on a ship for six weeks": how
# long something takes to arrive, not how long the contract runs.
_LEAD_BEFORE_RX = re.compile(
    # "it takes six weeks by sea", not "if you take a three-year term"
    r"\b((?<!you )(?<!we )(?<!i )(?<!they )takes?|taking|took|sitting|sits|sat|in transit|"
    r"transit time|lead time|shipping|ships? "
    r"in|arrives? in|delivery (?:time|takes))\b[^.;!?]{0,30}$",
    re.I,
)
_LEAD_AFTER_RX = re.compile(
    r"\s*(by (sea|air|road|rail|truck|ship)|in transit|to (ship|arrive))\b", re.I
)


def _lead_time(text: str, start: int, end: int) -> bool:
    return bool(
        _LEAD_BEFORE_RX.search(text[max(0, start - 40) : start])
        or _LEAD_AFTER_RX.match(text[end : end + 20])
    )


def _phase_length(text: str, end: int) -> bool:
    return bool(_PHASE_AFTER_RX.match(text[end : end + 40]))


def _day_key(text: str, start: int, end: int) -> str | None:
    """Which day count it is ("ninety days' notice", "a thirty-day cure period", "thirty days
    from invoice"): the nearest cue word in its clause."""
    s, e = sentence_bounds(text, start)
    lo, hi = max(s, start - 40), min(e, end + 40)
    best: tuple[int, str] | None = None
    for rx, key in (
        (_NOTICE_RX, "notice_period"),
        (_CURE_RX, "cure_period"),
        (_RETURN_RX, "return_period"),
        (_PAYMENT_CUE_RX, "payment_terms"),
    ):
        for m in rx.finditer(text, lo, hi):
            dist = start - m.end() if m.end() <= start else m.start() - end
            if best is None or dist < best[0]:
                best = (dist, key)
    return best[1] if best else None


SIDE_PERIOD_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_NOTICE_RX, "notice_period"),
    (_CURE_RX, "cure_period"),
    (_RETURN_RX, "return_period"),
)


def side_period_topic(texts: Sequence[str], i: int) -> str | None:
    """The side period (notice, cure, return) a bare day count in segment ``i`` answers, when
    its own turn or the one before names one ("With time to catch up, please. A hundred and
    twenty days." is a cure period, whatever day term was talked about before)."""
    for text in (texts[i], texts[i - 1] if i > 0 else ""):
        for rx, key in SIDE_PERIOD_CUES:
            if rx.search(text):
                return key
    return None


def payment_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in re.finditer(r"\bnet[\s-]+", text, re.I):
        nums = [n for n in find_numbers(text[m.end() : m.end() + 20]) if n.start == 0]
        if not nums:
            continue
        n = nums[0]
        days = int(n.value)
        if not 1 <= days <= 180:
            continue
        end = m.end() + n.end
        value = {"days": days, "text": text[m.start() : end]}
        out.append(
            Mention(
                "payment_terms",
                value,
                f"days:{days}",
                m.start(),
                end,
                "days",
                is_context(text, m.start(), end),
            )
        )
    return out
