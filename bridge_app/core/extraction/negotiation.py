"""The negotiation state of every contract term: who holds the open offer, and whether the other
side took it.

Each segment brings *mentions* of term values (``mentions.py``): keyed ("net 30" is payment
terms) or keyless ("Forty-five?" — a bare figure whose term is the one under discussion). The
tracker walks the meeting once and keeps, per term key, the open offer (value, holder side,
segments) and the accepted value:

* a value said by a side that holds no open offer of that term is a **proposal**;
* a different value by the other side is a **counter** (the open offer becomes ``countered``);
  by the same side a revision (``withdrawn``);
* the other side **accepts** the open offer when it says the same value with an assenting or
  neutral echo ("Forty-five, OK", "April first.", "I'll take 80"), or assents without naming a
  value of that term right after the offering turn ("Works for me") — then every offer of that
  turn is accepted, unless the reply counters it;
* a restatement that ends in a question, a deferral ("I'd need to check with finance") or a
  refusal accepts nothing;
* "let's park …", "leave it open", "in brackets" **park** the term: its open offer lapses and
  an earlier accepted value stays.

Only accepted values become agreed terms; every other value keeps its state (``Outcome``), so
drafting and QA can show what was said but not agreed. Sides are parties when the speakers'
companies are known (a colleague's "any objections?" is not the other side), else speakers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from bridge_app.core.extraction.mention_context import TOTAL_RX
from bridge_app.core.extraction.sentences import is_question, sentences, statements

OfferState = Literal["proposed", "countered", "accepted", "withdrawn", "parked"]
OFFER_STATES: tuple[OfferState, ...] = ("proposed", "countered", "accepted", "withdrawn", "parked")


@dataclass(frozen=True, slots=True)
class Mention:
    """A term value said in a segment. ``key`` is None for a keyless figure (its ``kind`` says
    what it can be: "money", "days", "duration", "date", "place", "count")."""

    key: str | None
    value: Any
    ident: str
    start: int
    end: int
    kind: str
    context: bool = False  # a comparison or the current state, not an offer ("another vendor")


@dataclass(slots=True)
class Offer:
    """One value of one term and where the negotiation left it."""

    key: str
    value: Any
    ident: str
    side: str
    seg: int
    state: OfferState = "proposed"
    evidence: list[int] = field(default_factory=list)
    accepted_at: int | None = None
    how: str = ""  # "restated" or "assent" for an accepted offer


Stance = Literal["assent", "reject", "defer", "question", "park", "neutral"]

_ASSENT_RX = re.compile(
    r"\b(ok(ay)?|fine|yes|yeah|yep|sure|agreed|agree|deal|works|work for|good|great|perfect|"
    r"accept|live with|it is(?=\W*$)|that matches|matches|correct|exactly|alright|all right|fair|"
    r"happy with|no objection|sounds (good|right|fair|great)|done|settled|absolutely|of course|"
    r"that's right|that is right|go on then|no problem|not a problem|no argument|"
    r"reasonable|i guess (so|that)|that's fair|agreeable|acceptable|suits (us|me|both|everyone)|"
    r"lock (it|that|this) in|locked in|on board with|we can work with|we can manage|count us in|"
    r"(we|i) can sign (that|this|it|up to that|off on that)|sign off on (that|this|it)|"
    r"i'll take|we'll take|i can do|we can do|willing to|let's do|let's go with|go with)\b|"
    r"^\W*(i|we) (would|could)\b(?! (like|prefer|need|want|rather))|"
    # "April first for the licence start, then.": the other side's value, concluded
    r",\s*then\W*$",
    re.I,
)
_STRONG_ASSENT_RX = re.compile(
    r"\b(works|deal|fine|agree|agreed|accept\w*|take it|sounds (good|great|fair)|fair|"
    r"reasonable|live with|it is(?=\W*$)|matches|correct|exactly|can do|happy with|no objection|"
    r"acceptable|suits (us|me|both|everyone)|lock (it|that|this) in|locked in|"
    r"can sign (that|this|it))\b",
    re.I,
)
_SETTLED_RX = re.compile(
    # "Thirty days stays, then.", "net 30 remains": the current term kept
    r"(?<=days) (stays|remains)\b|\b(stays|remains) (as it is|where it is|unchanged)\b|"
    r"\b(we(?:'ve| have)? agreed|agreed on|as agreed|it's agreed|that's agreed|we decided|"
    r"(?:is|are) (?:settled|decided|confirmed))\b",
    re.I,
)
_FAREWELL_RX = re.compile(
    r"\b(thanks|thank you|bye|talk soon|talk then|see you|have a good|cheers|take care)\b", re.I
)
_CLOSING_RX = re.compile(
    r"^(?!.*\b(if|unless|provided|as long as)\b).*\b(deal!|it's a deal|we have a deal|"
    r"you(?:'ve| have)(?: got)?(?: yourself)? a deal|sold)\b",
    re.I,
)
_LEADING_ASSENT_RX = re.compile(
    r"^\W*(ok(ay)?|yes|yeah|sure|deal|great|alright|sounds good|perfect|(i|we)('ll| will) take "
    r"(it|that))\b",
    re.I,
)
_REJECT_RX = re.compile(
    # "no" refuses on its own ("No, that's too low", "no way", "no room to move"), not before
    # what is left out ("Thirty-six months, no uplift", "Sixty days, no guarantee").
    r"(?:^|(?<=[.!?]\s)|(?<=^\W))no\b(?!\s+(?:need|rush|hurry|doubt|problem|worries|argument|"
    r"objection|issue|bother)s?\b)|"
    r"\bno(?=\s*(?:[,.!?;]|$)|\s+(?:way|deal|thanks|chance|can do|sorry|longer|room|budget|"
    r"flexibility|more|further|lower|less|good|appetite|interest)\b)|"
    r"\b("
    r"not|can't|cannot|won't|don't|too|rather not|"
    r"a lot|long|short|stretch|tight|"
    r"difficult|high|low|gap|less than|more than|doesn't work|not realistic|unfortunately|"
    r"afraid|never|pass on|going to pass|no thanks|no deal|nah)\b",
    re.I | re.M,
)
_DEFER_RX = re.compile(
    r"\b(need to|have to|'d have to|'d need|would need|let me) (check|confirm|ask|think|talk|take)"
    r"|\bneed (\w+ ){1,2}to (ok|okay|approve|sign off)|\bcheck with\b|\btake (that|it|this) to\b|"
    r"\bget back to you\b|\bcome back to you\b|\bthink about it\b",
    re.I,
)
_IN_PRINCIPLE_RX = re.compile(
    r"\bbut,? (in principle|otherwise|basically|broadly),? (yes|yeah|agreed|fine|that works)\b",
    re.I,
)
PARK_RX = re.compile(
    r"\b(park|parked|leave (it|that|this|them)? ?(open|in brackets|for now|out)|"
    r"in (square )?brackets|bracket(ed|s)?|leave (it|that|this|the [\w ]{3,30}?) to the "
    r"(lawyers|legal teams?|counsel)|sort it out later|let the lawyers|come back to (it|this|that)|"
    r"open (point|question|item)|tbd|to be (decided|determined|confirmed)|leave that open|"
    r"keep that open|deal with it later|(mark|leave|keep|flag) (it|that|this) (as )?(open|tbd|"
    r"pending)|settle (it|that|this|the \w+(?: \w+)?) between them(selves)?|(counsel|lawyers|"
    r"legal teams?) (can|could|will|should) (settle|sort|agree|work) (it|that|this|\w+ out)|"
    r"take (it|that|this) offline|revisit (it|that|this) later|pick (it|that|this) up later|"
    r"table (it|that|this) for now|hold off on (it|that|this))\b",
    re.I,
)
_LOOKBACK = 3  # segments after an offering turn in which a bare assent still answers it


# Stances are pure functions of the words and the tracker asks for the same turn once per figure
# in it: cached (the last few hundred texts; the tracker walks the meeting in order), so a long
# turn with many figures is read once, not once per figure.
@lru_cache(maxsize=256)
def stance(sentence: str) -> Stance:
    """How a sentence answers an offer."""
    s = sentence.strip()
    if PARK_RX.search(s):
        return "park"
    if _FAREWELL_RX.search(s):
        return "neutral"  # "Great, thanks everyone, talk soon" closes the call, not a term
    if _DEFER_RX.search(s):
        # "I'll just double-check with our counsel, but in principle, yes, Ireland": agreed.
        if _IN_PRINCIPLE_RX.search(s):
            return "assent"
        return "defer"
    if is_question(s):
        # "okay I will take it provided you deliver?": an acceptance with a condition.
        if _LEADING_ASSENT_RX.match(s) and len(s.split()) > 3:
            return "assent"
        return "question"
    assent = bool(_ASSENT_RX.search(s))
    reject = bool(_REJECT_RX.search(s))
    if reject and not re.search(
        r"\b(not from me|no objection|not a problem|no problem)\b", s, re.I
    ):
        if not assent or re.match(r"\W*(no|not|nah|nope)\b", s, re.I):
            return "reject"
        # "I can't get to thirty-six. I can do 38": the assent words belong to the counter.
        return "reject" if re.search(r"\b(can't|cannot|won't|rather not)\b", s, re.I) else "assent"
    return "assent" if assent else "neutral"


@lru_cache(maxsize=256)
def turn_stance(text: str) -> Stance:
    """The stance a turn ends on: its last sentence that takes one."""
    last: Stance = "neutral"
    sents = sentences(text)
    for k, (_, s) in enumerate(sents):
        st = stance(s)
        # A question after an acceptance ("that works. Will you deliver?") keeps the acceptance.
        if st == "question" and last == "assent" and k > 0:
            continue
        if st != "neutral":
            last = st
    return last


def _stance_at(text: str, pos: int) -> tuple[Stance, Stance]:
    """(stance of the sentence at ``pos``, stance of the rest of the turn from there)."""
    sents = sentences(text)
    for k, (off, s) in enumerate(sents):
        if off <= pos < off + len(s):
            rest = " ".join(x for _, x in sents[k:])
            return stance(s), turn_stance(rest)
    return "neutral", turn_stance(text)


@dataclass(slots=True)
class Track:
    """The negotiation of one term."""

    key: str
    offers: list[Offer] = field(default_factory=list)
    open: Offer | None = None
    accepted: Offer | None = None
    last_seg: int = -1
    scale: float | None = None  # the amounts talked about, offers or not (money terms)


def _short_echo(sentence: str, m: Mention, text: str) -> bool:
    """A sentence that is little more than the value ("April first.", "Twelve months.")."""
    words = re.findall(r"[A-Za-z0-9$€£]+", sentence)
    return len(words) <= 6


def track(
    n_segments: int,
    speaker_side: Callable[[int], str],
    texts: Sequence[str],
    mentions: Sequence[list[Mention]],
    resolve_keyless: Callable[[int, Mention, dict[str, Track]], Mention | None],
    park_keys: Callable[[int, dict[str, Track]], list[str]],
    other_side: Callable[[int], str] | None = None,
) -> dict[str, Track]:
    """Run the negotiation over the meeting; ``tracks[key].offers`` hold every value's state.

    ``resolve_keyless(i, mention, tracks)`` gives a keyless figure its term (or None);
    ``park_keys(i, tracks)`` says which terms a parking sentence in segment ``i`` parks.
    """
    tracks: dict[str, Track] = {}
    last_offer_turn: dict[str, int] = {}  # side -> last segment with an offer of that side
    keyless_dates: list[tuple[int, str, str]] = []  # (segment, side, ident) of unkeyed dates
    for i in range(n_segments):
        text = texts[i]
        speaker = speaker_side(i)
        resolved: list[Mention] = []
        for m in mentions[i]:
            if m.key in ("unit_price", "rate") and m.key in tracks and not m.context:
                # "the add-on is normally two dollars a seat" beside a 12.50 seat price: another
                # amount, not a counter.
                ref = tracks[m.key].open or tracks[m.key].accepted
                amount = m.value.get("amount") if isinstance(m.value, dict) else None
                if ref is not None and isinstance(ref.value, dict) and amount:
                    scale = ref.value.get("amount") or 0
                    if scale and not 0.25 <= amount / scale <= 4:
                        m = Mention("other_amount", m.value, m.ident, m.start, m.end, m.kind)
            if m.key is None:
                r = resolve_keyless(i, m, tracks)
                if r is not None:
                    resolved.append(r)
                elif m.kind.startswith("date") and not m.context:
                    keyless_dates.append((i, speaker, m.ident))
            else:
                resolved.append(m)
        by_key: dict[str, list[Mention]] = {}
        for m in resolved:
            if m.context:
                t = tracks.setdefault(m.key or "", Track(m.key or ""))
                amount = m.value.get("amount") if isinstance(m.value, dict) else None
                if isinstance(amount, (int, float)) and amount > 0:
                    t.scale = float(amount)
                continue
            by_key.setdefault(m.key or "", []).append(m)
        touched: set[str] = set()
        for key, ms in by_key.items():
            t = tracks.setdefault(key, Track(key))
            theirs = [m for m in ms if m.kind.endswith(":theirs")]
            side = other_side(i) if theirs and other_side is not None else speaker
            t.last_seg = i
            touched.add(key)
            op = t.open
            other_open = op if op is not None and op.side != side else None
            new = [m for m in ms if other_open is None or not _same(m.ident, other_open.ident)]
            restates = [
                m for m in ms if other_open is not None and _same(m.ident, other_open.ident)
            ]
            last = max(ms, key=lambda x: x.start)
            if restates and (
                not [m for m in new if m.ident != restates[0].ident]
                or (last in restates and _stance_at(text, last.start)[1] == "assent")
            ):
                # Any sentence that says the value back may take it ("Swiss law is no problem
                # for us. We have other customers in Switzerland on the same basis.").
                ok = any(_takes(text, x) for x in restates)
                if ok and other_open is not None:
                    _accept(t, other_open, i, "restated")
                continue
            # Of several new values, the one on offer is not in a refusing sentence ("Give me
            # three. I can't justify having you pay 5").
            offered = [x for x in new if _stance_at(text, x.start)[0] != "reject"] or new
            # "All in, that's £32,274 a month: a base of 27,324 plus 4,950": the total.
            totals = [x for x in offered if TOTAL_RX.search(text[max(0, x.start - 30) : x.start])]
            m = (totals or offered)[-1]
            # The other side's latest offer said back, even after a counter ("I'm willing to
            # go down to 2000"): accepted.
            # Also an earlier one of theirs, when a colleague floated another meanwhile ("Or New
            # Zealand law?" … "New South Wales is acceptable to them").
            their_offers = [o for o in t.offers if o.side != side]
            said_back = [o for o in their_offers if o.ident == m.ident and o.state == "countered"]
            here_rest = _stance_at(text, m.start)
            if said_back and (
                (their_offers[-1] is said_back[-1] and here_rest[1] in ("assent", "neutral"))
                or "assent" in here_rest
            ):
                if op is not None:
                    op.state = "withdrawn" if op.side == side else "countered"
                _accept(t, said_back[-1], i, "restated")
                continue
            if t.accepted is not None and m.ident == t.accepted.ident and op is None:
                t.accepted.evidence = _more(t.accepted.evidence, i)
                continue
            if op is not None and op.ident == m.ident and op.side == side:
                op.evidence = _more(op.evidence, i)
                op.seg = i
                last_offer_turn[side] = i
                continue
            if op is not None:
                op.state = "countered" if op.side != side else "withdrawn"
            offer = Offer(key, m.value, m.ident, side, i, evidence=[i])
            t.offers.append(offer)
            t.open = offer
            last_offer_turn[side] = i
            sent = next((x for off, x in sentences(text) if off <= m.start < off + len(x)), "")
            if _SETTLED_RX.search(sent) and not is_question(sent):
                # "We agreed on payment net 30": said as already settled.
                _accept(t, offer, i, "stated")
                continue
            closing = _CLOSING_RX.search(text)
            if op is not None and op.side != side and closing and closing.start(2) < m.start:
                # "Deal! 250!": a counter said as the close of the deal ("250 and you have a
                # deal" is still an offer: the other side has to take it).
                _accept(t, offer, i, "restated")
                continue
            # The other side said this date a moment ago without saying which date it was
            # ("September first?" — "September first for the licence start"): agreed.
            for j, s_side, ident in keyless_dates:
                if ident == m.ident and s_side != side and 0 < i - j <= 3:
                    offer.evidence = sorted({j, i})
                    offer.side = s_side
                    _accept(t, offer, i, "restated")
                    break
        # A bare assent answers the other side's latest offering turn.
        side = speaker
        st = turn_stance(text)
        # "Okay. Great. Are you a smoker?" acknowledges and moves on; with a question in the
        # turn only a real acceptance ("that works", "deal") takes the offer.
        acknowledges = any(is_question(x) for _, x in sentences(text)) and not (
            _STRONG_ASSENT_RX.search(statements(text))
        )
        # "Then you have yourself a deal" closes the offer still open however long the talk
        # about credit or pick-up took; a bare "sure" only answers the latest turns.
        reach = n_segments if _CLOSING_RX.search(text) else _LOOKBACK
        if st == "assent" and not acknowledges:
            for key, t in tracks.items():
                op = t.open
                if op is None or op.side == side or key in touched:
                    continue
                if i - op.seg > reach or last_offer_turn.get(op.side, -1) != op.seg:
                    continue
                if any(
                    texts[j]
                    and speaker_side(j) == op.side
                    and j != op.seg
                    and _offers_other(mentions[j], key)
                    for j in range(op.seg + 1, i)
                ):
                    continue
                _accept(t, op, i, "assent")
        elif st == "park" or PARK_RX.search(text):
            for key in park_keys(i, tracks):
                parked = tracks.get(key)
                if parked is not None and parked.open is not None:
                    parked.open.state = "parked"
                    parked.open = None
    return tracks


def _takes(text: str, m: Mention) -> bool:
    """Whether the sentence that says an open offer back accepts it."""
    here, rest = _stance_at(text, m.start)
    off, sent = next(((o, s) for o, s in sentences(text) if o <= m.start < o + len(s)), (0, ""))
    before = text[:off]
    return (
        rest == "assent"
        or (rest == "neutral" and here in ("neutral", "assent") and _short_echo(sent, m, text))
        # "okay, that sounds doable. 1900 at a month to month basis?": taken, with a condition
        # asked after it.
        or (here == "question" and bool(before.strip()) and turn_stance(before) == "assent")
        # "Then let's lock that in. Three years, thirty-six fifty a truck a month."
        or (
            here == "neutral"
            and rest != "reject"
            and bool(before.strip())
            and turn_stance(before) == "assent"
        )
    )


def _same(said: str, offered: str) -> bool:
    """The value said is the one offered; for a list ("Canada|Quebec") a part of it said back
    ("including Quebec, yes") restates it."""
    if said == offered:
        return True
    if said.startswith("days:") and offered.startswith("days:"):
        # "Thirty-six months" says back "three years" (1,080 and 1,095 days).
        a, b = float(said[5:]), float(offered[5:])
        return b > 60 and abs(a - b) <= 0.02 * b
    return "|" in offered and bool(said) and set(said.split("|")) <= set(offered.split("|"))


def _offers_other(ms: list[Mention], key: str) -> bool:
    return any(m.key is not None and m.key != key and not m.context for m in ms)


def _more(ev: list[int], i: int) -> list[int]:
    return ev if i in ev else [*ev, i]


def _accept(t: Track, offer: Offer, i: int, how: str) -> None:
    offer.state = "accepted"
    offer.accepted_at = i
    offer.how = how
    offer.evidence = _more(offer.evidence, i)
    t.accepted = offer
    t.open = None
