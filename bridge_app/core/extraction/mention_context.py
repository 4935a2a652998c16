"""Where a mention sits and what the words around it make of it: its sentence and clause, and
whether it is ``context`` — a comparison or the current state ("another vendor quoted $35",
"our current fee is …", "under a hundred thousand") that sets the scale of the talk but is
never an offer. Shared by the mention kinds (``mention_money``, ``mention_periods``, …).
"""

from __future__ import annotations

import re

from bridge_app.core.extraction.sentences import sentence_bounds

_CONTEXT_RX = re.compile(
    r"\b(for (context|comparison|reference)|(as|just as) a (reference|benchmark|comparison)"
    r"( point)?|reference point|benchmark|by comparison|compared (to|with)|"
    r"(charges?|bills?|billed|quoted) us|(provider|supplier|vendor|agency) (charges|quoted|"
    r"bills)|(would|could|might) (stretch|drag|push|blow) (us|it|this|that|the \w+) (out )?to|"
    r"(would|could|might) (easily )?take (us )?(at least|more than|over)|"
    r"another (\w+ )?(vendor|agency|supplier|provider|msp|app|tool|platform|firm|"
    r"company|customer|client|roaster|listing)|(been|were|was|got) quoted|"
    r"other (vendor|agency|supplier)s?|competitors?|"
    r"current(ly)?|right now[^.]{0,40}\b(is|are|costs?|pay|covers?)\b|previous|used to|"
    r"pitch(ed)? us|charged|we pay (our|for|about)|"
    r"elsewhere|at the moment|no longer|otherwise|or else|not \d+ \w+ anymore|anymore|"
    r"(some|most|many|all|a (couple|few)|several) of (our|the|their) (\w+ )?(contracts|deals|"
    r"agreements)|last (two|few|three) deals|"
    r"(other|previous|past) (deals|contracts|agreements)|"
    r"(leases|contracts|agreements|licen[cs]es|of them)\b[^.,;?!]{0,30}\b(run|last)s?( for)?)\b",
    re.I,
)
# A bound before a figure ("under a hundred thousand", "at least 290"): the scale of the talk,
# unless the speaker states it as their own offer (see _OWN_OFFER_FRAME_RX).
_BOUNDS = r"under|over|above|below|(?<!come )(?<!go )up to|less than|more than|at least|at most"
_BEFORE_CONTEXT_RX = re.compile(
    rf"\b({_BOUNDS}|from|instead of|rather than|not|was|originally)\s+"
    # "instead of the standard one year"
    r"(?:(?<=instead of )(?:the\s+)?(?:standard\s+|usual\s+|normal\s+)?|(?<=rather than )"
    r"(?:the\s+)?(?:standard\s+|usual\s+|normal\s+)?)?(?:net\s+|\$|€|£)?$",
    re.I,
)
_BOUND_BEFORE_RX = re.compile(rf"\b({_BOUNDS})\s+(?:\$|€|£)?$", re.I)
# A speaker's own offer said right before the figure ("I can do", "I'd be able to lower it to",
# "I need at least", "lowest we can accept is"): the figure is on the table, whatever else the
# sentence says ("the space is currently vacant and …") and even as a bound ("I can't take less
# than $700" is the seller's price).
_OWN_OFFER_FRAME_RX = re.compile(
    r"\b(i|we)(?:'d|'ll|\s+(?:can(?:not|'t)?|could(?:n't)?|would(?:n't)?|will|won't|need|want|"
    r"must|have to|am willing|'m willing|simply|only|just)\b)[^.!?;]{0,45}$",
    re.I,
)
# Figures named as the worth of something else ("a gold chain that's worth 250", "parking which
# is usually $50", "I'll even throw in a $20 case", "I paid $500 for it"): not the price on the
# table.
_WORTH_BEFORE_RX = re.compile(
    r"(\b(worth|(usually|normally|typically)(?: (costs?|sells? for|goes for|runs?|is|are))?|"
    r"paid(?: over| about| around)?|cost (?:me|us)|bought (?:it|them) for|"
    r"throw(?:ing)? in(?: an?| the)?)|"
    r"\b(they|these|those|others|new ones?|new)\b[^.!?,]{0,20}\b(sell|go|retail|cost)s? (at|for)|"
    r"\bit (sells|goes|retails) (at|for)|\bit costs)\s+(?:about |around )?(?:\$|€|£)?$",
    re.I,
)
_CLAUSE_BREAK_RX = re.compile(r"[,;:]|\b(and|but|so)\b", re.I)
UNIT_NOUNS = (
    r"seats?|sensors?|licen[cs]es?|users?|units?|devices?|endpoints?|laptops?|servers?|"
    r"kits?|cases?|pallets?|boxes|copies|subscriptions?|stores?|locations?|sites?|vehicles?|"
    r"trucks?|machines?|terminals?|tablets?|phones?|meters?|metres?|readers?|scanners?|"
    r"cameras?|chargers?|printers?|routers?|handsets?|accounts?|workstations?|probes?|gauges?|"
    r"loggers?|trackers?|beacons?|tags?|modules?|panels?|kiosks?|lockers?|badges?|robots?|drones?"
)

# Words that make a figure the whole amount ("all in, that's £32,274 a month").
TOTAL_RX = re.compile(
    r"\b(total|in total|all in|contract value|over the (two|three|four|five|\d+) years|"
    r"for the (two|three|four|five|\d+) years|altogether|overall|minimum)\b",
    re.I,
)


def is_context(text: str, start: int, end: int, figure: bool = True) -> bool:
    s, e = sentence_bounds(text, start)
    sentence = text[s:e]
    before = text[max(s, start - 36) : start]
    after = text[end : end + 14]
    if figure and _WORTH_BEFORE_RX.search(text[max(s, start - 30) : start]):
        return True
    if re.match(r"\s*(off|discount|cheaper|less than|more than)\b", after, re.I):
        return True
    frame = _OWN_OFFER_FRAME_RX.search(text, s, start) if figure else None
    if frame is not None:
        # The clause the frame opens: from the last break before it (looked for within 200
        # characters, so a run-on line is not rescanned for every figure in it).
        lo = max(s, frame.start() - 200)
        cut = max((b.end() for b in _CLAUSE_BREAK_RX.finditer(text, lo, frame.start())), default=lo)
        if not _CONTEXT_RX.search(text, cut, start):
            return bool(_BEFORE_CONTEXT_RX.search(before) and not _BOUND_BEFORE_RX.search(before))
    return bool(_context_in(sentence, start - s) or (figure and _BEFORE_CONTEXT_RX.search(before)))


_CLAUSE_TURN_RX = re.compile(r";|\b(so|but|which means)\b", re.I)


def _context_in(sentence: str, at: int) -> bool:
    """A context phrase of the sentence, unless a new clause starts between it and the figure
    at ``at`` ("from the end of the current term in April, so the retainer goes through to
    October 2028": the current term is context, October is not)."""
    for m in _CONTEXT_RX.finditer(sentence):
        if m.end() <= at and _CLAUSE_TURN_RX.search(sentence, m.end(), at):
            continue
        return True
    return False


def clause_around(text: str, start: int, end: int, width: int = 45) -> str:
    s, e = sentence_bounds(text, start)
    return text[max(s, start - width) : min(e, end + width)]
