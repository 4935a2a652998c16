"""Term-value mentions in one segment, for the negotiation tracker (``negotiation.py``).

Each mention is a typed value with its term key when the words around it say which term it is
("net thirty" → payment terms; "a two-year term" → term; "starts on the 15th of June" → start
date), or keyless ("Forty-five?", "The thirtieth is fine") when only the conversation can tell:
the tracker gives a keyless figure the term under discussion.

Comparisons and the current state ("another vendor quoted $35", "our current fee is …",
"for context, …", "under a hundred thousand", "from net 45 to net 30") are marked ``context``:
they set the scale of the talk but are never offers.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from bridge_app.core.extraction.money_values import currency_at
from bridge_app.core.extraction.negotiation import Mention
from bridge_app.core.extraction.numbers import find_numbers, find_ordinals

DAY_KEYS = ("payment_terms", "notice_period", "cure_period", "return_period")
DURATION_KEYS = (
    "term",
    "duration",
    "confidentiality_period",
    "renewal_period",
    "notice_period",
    "cure_period",
    "non_solicit_period",
)
DATE_KEYS = ("start_date", "end_date", "effective_date")
MONEY_KEYS = ("price", "unit_price", "rate", "other_amount")

_CONTEXT_RX = re.compile(
    r"\b(for (context|comparison|reference)|another (vendor|agency|supplier|provider|msp|"
    r"company|customer|client|roaster|listing)|other (vendor|agency|supplier)s?|competitors?|"
    r"current(ly)?|right now[^.]{0,40}\b(is|are|costs?|pay|covers?)\b|previous|used to|"
    r"pitch(ed)? us|charged|we pay (our|for|about)|"
    r"elsewhere|at the moment|no longer|otherwise|or else|not \d+ \w+ anymore|anymore|"
    r"(some|most|many|all) of (our|the|their) \w+ (contracts|deals)|last (two|few|three) deals|"
    r"(other|previous|past) (deals|contracts|agreements))\b",
    re.I,
)
_BEFORE_CONTEXT_RX = re.compile(
    r"\b(under|over|above|below|(?<!come )(?<!go )up to|less than|more than|at least|at most|"
    r"from|instead of|"
    r"rather than|not|was|originally)\s+(?:net\s+|\$|€|£)?$",
    re.I,
)
_ATTRIBUTED_RX = re.compile(
    r"\b(your (proposal|quote|template|draft|paper|offer|number|price list)|the quote (had|said|"
    r"was)|you (proposed|quoted|said|asked for|want|wanted|are asking|'re asking|listed)|"
    r"(your|the) asking price|listed (it )?(at|for))\b",
    re.I,
)
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
    r"excluding|flat|from|so|i|we|you|max|tops|firm|final|cash|now|instead|be|dollars|bucks|"
    r"and|no|works|at)\b)",
    re.I,
)
_NUMBER_BEFORE_SKIP_RX = re.compile(
    r"\b(year|phase|day|tier|level|option|number|point|version|wcag|sla|section|clause|q|all|buy|"
    r"the|those|these|get)\s*$",
    re.I,
)
_UNIT_NOUNS = (
    r"seats?|sensors?|licen[cs]es?|users?|units?|devices?|endpoints?|laptops?|servers?|"
    r"kits?|cases?|pallets?|boxes|copies|subscriptions?|stores?|locations?|sites?|vehicles?|"
    r"trucks?|machines?|terminals?|tablets?|phones?"
)
_PER_UNIT_RX = re.compile(rf"^\s*(?:per|a|an|each|/)\s*({_UNIT_NOUNS})\b", re.I)
_PER_PERIOD_RX = re.compile(
    r"^\s*(?:(?:per|a|an|each|/)\s*(?:" + _UNIT_NOUNS + r")\s*)?(?:per|a|an|/|every)\s*"
    r"(month|year|annum|quarter|week)\b|^\s*(monthly|annually|yearly|per annum)\b",
    re.I,
)
_TOTAL_RX = re.compile(
    r"\b(total|in total|all in|contract value|over the (two|three|four|five|\d+) years|"
    r"for the (two|three|four|five|\d+) years|altogether|overall|minimum)\b",
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
    r"optional|extra|on top|additionally|also offer|also recommend)\b",
    re.I,
)

# --- day counts ----------------------------------------------------------------------------
_PAYMENT_CUE_RX = re.compile(
    r"\b(payment|pay|paid|invoice\w*|net|billing|ap (cycle|team)|suppliers at|from shipment|"
    r"from invoice|receipt)\b",
    re.I,
)
_NOTICE_RX = re.compile(r"\bnotice\b", re.I)
_CURE_RX = re.compile(r"\b(cure|to fix it|to catch up|remedy)\b", re.I)
_RETURN_RX = re.compile(r"\b(return|destroy|destruction)\b", re.I)
_NON_SOLICIT_RX = re.compile(r"\bnon-?solicit\w*\b", re.I)
_CONFIDENTIAL_RX = re.compile(r"\b(confidential\w*|trade secrets?)\b", re.I)
_RENEW_RX = re.compile(r"\b(renew\w*|renewal|extension option|option to extend)\b", re.I)
_DISCLOSURE_RX = re.compile(
    r"\b(disclosure period|disclosures|shared in the next|covers anything)\b", re.I
)
_TERM_RX = re.compile(
    r"\b(term|contract|agreement|subscription|licen[cs]e|retainer|extend\w*|commitment|"
    r"lock in|partnership)\b",
    re.I,
)
_PROJECT_RX = re.compile(r"\b(end to end|engagement|project|timeline|estimat\w*|weeks)\b", re.I)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
_DURATION_RX = re.compile(
    r"(?P<num>\b[\w-]+(?:[ -][\w-]+){0,3}?)[ -](?P<unit>day|week|month|quarter|year)s?\b", re.I
)

# --- dates ---------------------------------------------------------------------------------
_MONTHS = {m.lower(): k for k, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): k for k, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {d.lower(): k for k, d in enumerate(calendar.day_name)}
_ORD_WORD = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth|thirtieth)"
)


def _year_rx(name: str) -> str:
    return (
        rf"(?:,?\s+(?P<{name}>\d{{4}}|twenty twenty[- ](?:one|two|three|four|five|six|seven|"
        r"eight|nine)))"
    )


_DATE_RX = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_ALT})\.?\s+(?:the\s+)?(?P<d1>{_ORD_WORD})\b{_year_rx('y1')}?"
    rf"|(?:the\s+)?(?P<d2>{_ORD_WORD})\s+of\s+(?P<m2>{_MONTH_ALT})\b{_year_rx('y2')}?"
    rf"|(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH_ALT})\b{_year_rx('y3')}?"
    rf"|(?:the\s+)?(?P<firstnext>first) of next month"
    rf"|(?:the\s+)?end of (?P<m4>{_MONTH_ALT})\b{_year_rx('y4')}?"
    rf"|(?P<m5>{_MONTH_ALT})\s+(?P<y5>\d{{4}})"
    rf"|(?:(?P<wd>{'|'.join(_WEEKDAYS)}),?\s+)?the\s+(?P<d6>{_ORD_WORD})\b"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?:effective|starting|as of|from)\s+(?P<today>today))",
    re.I,
)
_START_CUE_RX = re.compile(
    r"\b(start date|starts?|starting|begin\w*|commenc\w*|from|as of|effective from|"
    r"kick ?off date)\b",
    re.I,
)
_END_CUE_RX = re.compile(
    r"\b(end date|ends?|ending|until|till|through|thru|to|expir\w*|runs? out|finish\w*|"
    r"wrap\w* up|complet\w*)\b",
    re.I,
)
_EFFECTIVE_CUE_RX = re.compile(r"\b(effective(?: date)?|in force)\b", re.I)
_OTHER_DATE_RX = re.compile(
    r"\b(by|kick-?off|install\w*|go[ -]?live|live|shipment|ship|deliver\w*|launch\w*|"
    r"meeting|board|sign\w*|closed?|deadline|due|visit|call|demo|workshop|training|"
    r"measured|review|hear back|holiday|day)\b",
    re.I,
)
_GERUND_AFTER_START_RX = re.compile(r"\bstart\w*\s+\w+ing\b", re.I)

# --- governing law -------------------------------------------------------------------------
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
_DEMONYMS = {
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
    "japanese": "Japan",
    "singaporean": "Singapore",
}
_LAW_PLACE_RX = re.compile(
    rf"\b(?P<place>{_JURISDICTIONS})\b|\b(?P<adj>{'|'.join(_DEMONYMS).title()}|"
    rf"{'|'.join(_DEMONYMS)})\s+law\b"
)
LAW_TOPIC_RX = re.compile(r"\b(governing law|law|laws|jurisdiction|courts?|legal paper)\b", re.I)
_WE_ARE_RX = re.compile(r"\b(we're|we are|i'm|based|headquartered|located)\b[^.]{0,30}$", re.I)

_COUNT_UNIT_RX = re.compile(
    rf"^\s*(?:(?!per\b|a\b|an\b|each\b)[a-z]+\s)?({_UNIT_NOUNS}|technicians|people|staff)\b", re.I
)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, pos) for c in ".!?") + 1
    ends = [k for k in (text.find(c, pos) for c in ".!?") if k >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def _context(text: str, start: int, end: int, figure: bool = True) -> bool:
    s, e = _sentence_bounds(text, start)
    sentence = text[s:e]
    before = text[max(s, start - 16) : start]
    after = text[end : end + 14]
    return bool(
        _CONTEXT_RX.search(sentence)
        or (figure and _BEFORE_CONTEXT_RX.search(before))
        or re.match(r"\s*(off|discount|cheaper|less than|more than)\b", after, re.I)
    )


def _money_mentions(text: str, dollar: str | None) -> list[Mention]:
    out: list[Mention] = []
    for n in find_numbers(text):
        before = text[max(0, n.start - 8) : n.start]
        after = text[n.end : n.end + 30]
        if _NUMBER_BEFORE_SKIP_RX.search(before) or re.match(r"\s*(/|:)\d", after):
            continue
        currency, cur_span = currency_at(text, n.start, n.end, dollar)
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
        s, e = _sentence_bounds(text, n.start)
        sentence = text[s:e]
        per_period = _PER_PERIOD_RX.match(tail)
        per_unit = _PER_UNIT_RX.match(tail)
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
            if not _BARE_TAIL_RX.match(tail) or (
                n.spoken
                and n.value < 10
                and len(text[n.start : n.end].split()) == 1
                and "-" not in text[n.start : n.end]
            ):
                continue  # "one more question", "just one or multiple", "three sessions"
            kind = "number+price" if _OFFER_CUE_RX.search(sentence) else "number"
            out.append(Mention(None, n, "", n.start, n.end, kind, _context(text, n.start, n.end)))
            continue
        if _RATE_RX.search(text[max(s, n.start - 20) : min(e, n.end + 20)]):
            key = "rate"
        elif per_unit:
            key = "unit_price"
        elif _TOTAL_RX.search(sentence) or per_period:
            key = "price"
        else:
            key = None  # the money term under discussion, or the price
        if _OTHER_AMOUNT_RX.search(sentence) and key != "unit_price":
            key = "other_amount"
        if _LIABILITY_RX.search(sentence):
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
                _context(text, n.start, n.end),
            )
        )
    return out


def _clause(text: str, start: int, end: int, width: int = 45) -> str:
    s, e = _sentence_bounds(text, start)
    return text[max(s, start - width) : min(e, end + width)]


def _duration_key(text: str, start: int, end: int) -> str | None:
    """Which period a duration is, by the nearest cue word in its clause. Side periods
    (notice, cure, renewal, return) only take a duration they are next to ("a two-year
    renewal", "ninety days' notice"); the contract term takes any in its clause."""
    s, e = _sentence_bounds(text, start)
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


def _duration_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in re.finditer(r"(?P<unit>day|week|month|quarter|year)s?\b", text, re.I):
        head = text[max(0, m.start() - 40) : m.start()]
        nums = [n for n in find_numbers(head) if head[n.end :].strip(" -'") == ""]
        if not nums:
            if re.search(r"\b(a|one)[ -]$", head, re.I):
                count = 1.0
                s0 = m.start() - 2
            else:
                continue
        else:
            count = nums[-1].value
            s0 = m.start() - len(head) + nums[-1].start
        before = text[max(0, s0 - 25) : s0]
        after = text[m.end() : m.end() + 25]
        if re.search(
            r"\b(in|within|every|per|ago|last|past|first|those|these)\s+(the\s+)?$", before, re.I
        ) and not _DISCLOSURE_RX.search(_clause(text, s0, m.end())):
            continue
        if (
            re.match(r"\s*(ago|old|of effort|from (the )?date)", after, re.I)
            and "date" not in after
        ):
            continue
        unit = m.group("unit").lower()
        days = round(count * _UNIT_DAYS[unit])
        key = _duration_key(text, s0, m.end())
        if unit == "day":
            key = _day_key(text, s0, m.end())
            value: dict[str, Any] = {"days": days, "text": text[s0 : m.end()]}
            out.append(
                Mention(
                    key, value, f"days:{days}", s0, m.end(), "days", _context(text, s0, m.end())
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
                _context(text, s0, m.end()) or bool(re.match(r"\s*(ago|old)\b", after, re.I)),
            )
        )
    return out


def _day_key(text: str, start: int, end: int) -> str | None:
    """Which day count it is ("ninety days' notice", "a thirty-day cure period", "thirty days
    from invoice"): the nearest cue word in its clause."""
    s, e = _sentence_bounds(text, start)
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


def _payment_mentions(text: str) -> list[Mention]:
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
                _context(text, m.start(), end),
            )
        )
    return out


def _date_value(m: re.Match[str], meeting_date: date | None) -> tuple[str | None, str]:
    """(ISO date, precision) of a date match; precision "day" or "month"."""
    g = m.groupdict()
    base = meeting_date
    year = _year(g.get("y1") or g.get("y2") or g.get("y3") or g.get("y4") or g.get("y5"))
    if g.get("iso"):
        return g["iso"], "day"
    if g.get("today"):
        return (base.isoformat() if base else None), "day"
    if g.get("firstnext"):
        if base is None:
            return None, "day"
        ny, mo = (base.year + 1, 1) if base.month == 12 else (base.year, base.month + 1)
        return date(ny, mo, 1).isoformat(), "day"
    month_word = g.get("m1") or g.get("m2") or g.get("m3") or g.get("m4") or g.get("m5")
    day_word = g.get("d1") or g.get("d2") or g.get("d3") or g.get("d6")
    month = _MONTHS.get(month_word.lower().rstrip(".")) if month_word else None
    if g.get("m4") or g.get("m5"):
        assert month is not None
        y = year or _future_year(base, month, 28)
        if y is None:
            return None, "month"
        return date(y, month, calendar.monthrange(y, month)[1]).isoformat(), "month"
    day = _day_number(day_word or "")
    if day is None:
        return None, "day"
    if month is None:
        if base is None:
            return None, "day"
        d = base
        for _ in range(62):
            if d.day == day:
                return d.isoformat(), "day"
            d += timedelta(days=1)
        return None, "day"
    y = year or _future_year(base, month, day)
    if y is None:
        return None, "day"
    try:
        return date(y, month, day).isoformat(), "day"
    except ValueError:
        return None, "day"


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    tail = text.lower().split("twenty twenty", 1)[-1].strip(" -")
    ones = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
    ones.update({"eight": 8, "nine": 9})
    return 2020 + ones[tail] if tail in ones else None


def _future_year(base: date | None, month: int, day: int) -> int | None:
    if base is None:
        return None
    try:
        candidate = date(base.year, month, min(day, calendar.monthrange(base.year, month)[1]))
    except ValueError:
        return base.year
    return base.year if candidate >= base - timedelta(days=31) else base.year + 1


def _day_number(word: str) -> int | None:
    found = find_ordinals(word)
    if found:
        return found[0][0]
    digits = re.match(r"\d{1,2}", word)
    return int(digits.group(0)) if digits else None


def _date_key(text: str, start: int, end: int) -> str | bool | None:
    """The contract date a date is (``start_date`` …), None when only the talk can say, False
    when it is some other date (a kickoff, a deadline, an install week)."""
    s, _ = _sentence_bounds(text, start)
    before = text[max(s, start - 40) : start]
    after = text[end : end + 30]
    clause_start = max(
        [s] + [s + k.end() for k in re.finditer(r",|\band\b|\bbut\b|;", text[s:start])]
    )
    clause = text[clause_start:start]
    if re.match(r"\s*(for|as) the (\w+ )?(start|start date|commencement)", after, re.I):
        return "start_date"
    if re.match(r"\s*(start|start date)\b", after, re.I):
        return "start_date"
    if re.search(r"\bby\s+(?:\w+day,?\s+)?(?:the\s+)?$", before, re.I) or (
        re.search(r"\b(on|by|for|until)\s+(?:\w+day\s+)?$", before, re.I)
        and re.search(r"\b(i'll|we'll|i will|we will|i'm going to)\b", text[s:start], re.I)
    ):
        return False
    found: list[tuple[int, str | bool]] = []
    for rx, key in (
        (_EFFECTIVE_CUE_RX, "effective_date"),
        (_START_CUE_RX, "start_date"),
        (_END_CUE_RX, "end_date"),
        (_OTHER_DATE_RX, False),
    ):
        for m in rx.finditer(clause):
            found.append((m.start(), key))
    if _GERUND_AFTER_START_RX.search(clause):
        return False
    if re.search(r"\beffective\s+(?:as of|from|on)\s*$", clause, re.I):
        return "effective_date"  # "effective as of January 15"
    if found:
        return max(found, key=lambda f: f[0])[1]
    sentence = text[s:start]
    if _EFFECTIVE_CUE_RX.search(sentence):
        return "effective_date"
    if re.search(r"\bstart date\b", sentence, re.I):
        return "start_date"
    return None


def _date_mentions(text: str, meeting_date: date | None) -> list[Mention]:
    out: list[Mention] = []
    for m in _DATE_RX.finditer(text):
        if m.group("d6") and not re.match(
            r"\s*(?:[.,!?;:]|$|(?:is|works|would|for|then|and|sounds|at|fine)\b)",
            text[m.end() : m.end() + 12],
            re.I,
        ):
            continue  # "the first three" is not a date
        iso, _precision = _date_value(m, meeting_date)
        if iso is None:
            continue
        key = _date_key(text, m.start(), m.end())
        if m.group("today"):
            key = (
                "effective_date"
                if "effective" in m.group(0).lower()
                or _EFFECTIVE_CUE_RX.search(text[max(0, m.start() - 40) : m.start()])
                else (key or "start_date")
            )
        if key is False:
            continue
        if m.group("m4") or m.group("m5"):
            key = key if key == "end_date" else (key or "end_date")
        out.append(
            Mention(
                key if isinstance(key, str) else None,
                iso,
                iso,
                m.start(),
                m.end(),
                "date",
                _context(text, m.start(), m.end(), figure=False),
            )
        )
    # "from … through …" / "runs X through Y": the first is the start, the second the end.
    if len(out) >= 2 and re.search(
        r"\b(through|until|to|till)\b", text[out[0].end : out[1].start], re.I
    ):
        a, b = out[0], out[1]
        if a.key in (None, "end_date") and b.key in (None, "end_date"):
            out[0] = Mention("start_date", a.value, a.ident, a.start, a.end, "date", a.context)
            out[1] = Mention("end_date", b.value, b.ident, b.start, b.end, "date", b.context)
    return out


def _law_mentions(text: str, law_topic: bool) -> list[Mention]:
    out: list[Mention] = []
    if not (law_topic or LAW_TOPIC_RX.search(text)):
        return out
    for m in _LAW_PLACE_RX.finditer(text):
        place = m.group("place")
        if m.group("adj"):
            place = _DEMONYMS[m.group("adj").lower()]
        elif place == "BC":
            place = "British Columbia"
        assert place is not None
        if place in ("England", "Wales"):
            place = "England and Wales"
        before = text[max(0, m.start() - 40) : m.start()]
        s, e = _sentence_bounds(text, m.start())
        sentence = text[s:e]
        # "We're in Michigan", "we're a Delaware corporation": where a party is, said as a
        # reason — an offer only in a law sentence.
        located = bool(_WE_ARE_RX.search(before)) and not LAW_TOPIC_RX.search(sentence)
        ident = place.lower()
        ctx = located or _context(text, m.start(), m.end())
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


_LIABILITY_RX = re.compile(
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


def _deal_scope_mentions(text: str) -> list[Mention]:
    """Territory ("Sweden, Norway, Denmark and Finland"), exclusivity and a liability cap
    given as a multiple of the fees ("two times the annual fees")."""
    out: list[Mention] = []
    for off, sentence in ((m.start(), m.group(0)) for m in re.finditer(r"[^.!?]+[.!?]*", text)):
        if sentence.strip().endswith("?"):
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
                        _context(text, off + first, off + first + 1, figure=False),
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
                    _context(text, off + m.start(), off + m.end(), figure=False)
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
        if _LIABILITY_RX.search(sentence):
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


def _count_mentions(text: str) -> list[Mention]:
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
                kind_context or _context(text, n.start, n.end),
            )
        )
    return out


def segment_mentions(
    text: str, meeting_date: date | None, dollar: str | None, law_topic: bool
) -> list[Mention]:
    """Every term-value mention of one segment, in order."""
    out: list[Mention] = []
    payment = _payment_mentions(text)
    out += payment
    taken = [(m.start, m.end) for m in payment]
    for d in _duration_mentions(text):
        if not any(s <= d.start < e for s, e in taken):
            out.append(d)
            taken.append((d.start, d.end))
    dates = _date_mentions(text, meeting_date)
    out += dates
    taken += [(d.start, d.end) for d in dates]
    # Every date, also a deadline or a kickoff, hides its numbers from the figures.
    taken += [(m.start(), m.end()) for m in _DATE_RX.finditer(text)]
    counts = [c for c in _count_mentions(text) if not any(s <= c.start < e for s, e in taken)]
    out += counts
    taken += [(c.start, c.end) for c in counts]
    for m in _money_mentions(text, dollar):
        if any(s <= m.start < e or m.start <= s < m.end for s, e in taken):
            continue
        out.append(m)
    laws = _law_mentions(text, law_topic)
    out += laws
    scope = _deal_scope_mentions(text)
    if laws:
        scope = [m for m in scope if m.key != "territory"]
    out += [m for m in scope if not any(x.start <= m.start < x.end for x in out)]
    # Attribution: "your proposal came in at 72" is the listener's offer.
    if _ATTRIBUTED_RX.search(text):
        out = [
            Mention(m.key, m.value, m.ident, m.start, m.end, m.kind + ":theirs", m.context)
            if _ATTRIBUTED_RX.search(text[: m.start])
            else m
            for m in out
        ]
    out.sort(key=lambda m: m.start)
    return out
