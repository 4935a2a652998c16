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

import re
from datetime import date

from bridge_app.core.extraction.mention_dates import DATE_RX, date_mentions
from bridge_app.core.extraction.mention_money import money_mentions
from bridge_app.core.extraction.mention_periods import duration_mentions, payment_mentions
from bridge_app.core.extraction.mention_scope import (
    count_mentions,
    deal_scope_mentions,
    law_mentions,
)
from bridge_app.core.extraction.negotiation import Mention
from bridge_app.core.extraction.numbers import NumberMention
from bridge_app.core.extraction.sentences import sentence_bounds

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
_ATTRIBUTED_RX = re.compile(
    r"\b(your (proposal|quote|template|draft|paper|offer|number|price list)|the quote (had|said|"
    r"was)|you (proposed|quoted|said|asked for|want|wanted|are asking|'re asking|listed)|"
    r"(your|the) asking price|listed (it )?(at|for)|(proposal|quote|draft|offer|figure|"
    r"number|paper) (that )?you('ve)? (sent|gave|put|had|made|quoted|mentioned)|you (sent|"
    r"gave us|put forward|came in at|offered|mentioned|floated|pitched))\b",
    re.I,
)


def segment_mentions(
    text: str, meeting_date: date | None, dollar: str | None, law_topic: bool
) -> list[Mention]:
    """Every term-value mention of one segment, in order."""
    out: list[Mention] = []
    payment = payment_mentions(text)
    out += payment
    taken = [(m.start, m.end) for m in payment]
    for d in duration_mentions(text):
        if not any(s <= d.start < e for s, e in taken):
            out.append(d)
            taken.append((d.start, d.end))
    dates = date_mentions(text, meeting_date)
    out += dates
    taken += [(d.start, d.end) for d in dates]
    # Every date, also a deadline or a kickoff, hides its numbers from the figures.
    taken += [(m.start(), m.end()) for m in DATE_RX.finditer(text)]
    counts = [c for c in count_mentions(text) if not any(s <= c.start < e for s, e in taken)]
    out += counts
    taken += [(c.start, c.end) for c in counts]
    for m in money_mentions(text, dollar):
        if any(s <= m.start < e or m.start <= s < m.end for s, e in taken):
            continue
        out.append(m)
    laws = law_mentions(text, law_topic)
    out += laws
    scope = deal_scope_mentions(text)
    if laws:
        scope = [m for m in scope if m.key != "territory"]
    out += [m for m in scope if not any(x.start <= m.start < x.end for x in out)]
    # Attribution: "your proposal came in at 72" is the listener's offer; only in the sentence
    # that says so ("that is half the asking price. I would go 1900" is the speaker's own).
    if _ATTRIBUTED_RX.search(text):
        out = [
            Mention(m.key, m.value, m.ident, m.start, m.end, m.kind + ":theirs", m.context)
            if _ATTRIBUTED_RX.search(text[sentence_bounds(text, m.start)[0] : m.start])
            else m
            for m in out
        ]
    out = _without_rates(text, out)
    out.sort(key=lambda m: m.start)
    return _moved_to(text, out)


def _moved_to(text: str, out: list[Mention]) -> list[Mention]:
    """ "bring payment in from sixty days to thirty": the bare figure after "to" is the same
    kind of day count as the one it moves from (the "from" value is context)."""
    for k, m in enumerate(out):
        if not (m.kind.startswith("number") and k > 0 and isinstance(m.value, NumberMention)):
            continue
        prev = out[k - 1]
        if not (
            prev.kind.startswith("days")
            and prev.key in DAY_KEYS
            and re.fullmatch(r"\s+to\s+", text[prev.end : m.start])
            and re.search(r"\bfrom\s+$", text[max(0, prev.start - 8) : prev.start], re.I)
            and m.value.value == int(m.value.value)
            and 1 <= m.value.value <= 180
        ):
            continue
        days = int(m.value.value)
        value = {"days": days, "text": f"{text[m.start : m.end]} days"}
        out[k] = Mention(prev.key, value, f"days:{days}", m.start, m.end, "days", False)
    return out


_RATE_PERIOD_RX = re.compile(r"(a|an|per|each|every) (day|week|month|quarter|year)", re.I)


def _without_rates(text: str, out: list[Mention]) -> list[Mention]:
    """ "twenty-four pounds a month": the period after a price is its rate, not a duration."""
    # Also a bare figure: "thirty-six fifty a truck a month".
    money_ends = [m.end for m in out if m.kind.startswith(("money", "number"))]
    if not money_ends:
        return out
    return [
        m
        for m in out
        if not (
            m.kind.startswith("duration")
            and _RATE_PERIOD_RX.fullmatch(text[m.start : m.end].strip())
            and any(
                0 <= m.start - e <= 40 and not re.search(r"\d|[.;?!]", text[e : m.start])
                for e in money_ends
            )
        )
    ]
