"""Agreed contract terms of a meeting from the negotiation tracker, one item per accepted value.

``contract_terms(segs, meeting_date, sides)`` reads every segment's mentions (``mentions.py``),
gives keyless figures the term under discussion, runs the tracker (``negotiation.py``) and
returns

* one ``agreed_term`` per accepted value (``values[key]`` typed as in ``model.py``, plus
  ``values["negotiation"]``: every value said for that term with its state), and
* one ``open_question`` per term that was parked or never accepted after a real exchange
  ("Governing law not agreed (parked): California, Massachusetts").

Money: the agreed ``price`` is the accepted total or recurring amount; an accepted per-unit
figure is ``unit_price`` and, when no total is agreed, also the ``price`` (with ``per``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from bridge_app.core.extraction.grounding import evidence_for
from bridge_app.core.extraction.mention_keys import TOPIC_RXS, resolve_keyless, with_key
from bridge_app.core.extraction.mention_scope import LAW_TOPIC_RX
from bridge_app.core.extraction.mentions import (
    DATE_KEYS,
    DURATION_KEYS,
    MONEY_KEYS,
    segment_mentions,
)
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.money_values import meeting_dollar
from bridge_app.core.extraction.negotiation import (
    PARK_RX,
    Mention,
    Offer,
    Track,
    track,
    turn_stance,
)
from bridge_app.core.extraction.value_words import CONTRACT_TALK_RX
from bridge_app.core.transcript.model import Segment

LABELS = {
    "price": "price",
    "unit_price": "unit price",
    "rate": "rate",
    "payment_terms": "payment terms",
    "quantity": "quantity",
    "governing_law": "governing law",
    "start_date": "start date",
    "end_date": "end date",
    "effective_date": "effective date",
    "duration": "duration",
    "term": "term",
    "confidentiality_period": "confidentiality period",
    "renewal_period": "renewal period",
    "notice_period": "notice period",
    "cure_period": "cure period",
    "non_solicit_period": "non-solicit period",
    "return_period": "return-or-destroy period",
    "liability_cap": "liability cap",
    "territory": "territory",
    "exclusivity": "exclusivity",
}
# Emitted as agreed terms (other tracked keys only steer the talk: "other_amount", "percent").
EMITTED = frozenset(LABELS)
_PERCENT_RX = re.compile(r"(\d+(?:\.\d+)?)\s?(%|percent)|\b(percent|per cent)\b", re.I)


def _fmt_money(v: dict[str, Any]) -> str:
    amount = v.get("amount")
    text = f"{amount:,.2f}".removesuffix(".00") if isinstance(amount, (int, float)) else "?"
    cur = v.get("currency")
    per = v.get("per")
    return text + (f" {cur}" if cur else "") + (f" per {per}" if per else "")


def display(key: str, value: Any) -> str:
    if key == "exclusivity" and isinstance(value, dict):
        return "exclusive" if value.get("exclusive") else "non-exclusive"
    if key == "liability_cap" and isinstance(value, dict) and "multiple_of_fees" in value:
        return f"{value['multiple_of_fees']:g} × fees"
    if key in (*MONEY_KEYS, "liability_cap") and isinstance(value, dict):
        return _fmt_money(value)
    if isinstance(value, dict):
        if key == "quantity":
            n = value.get("value")
            shown = int(n) if isinstance(n, float) and n.is_integer() else n
            return f"{shown} {value.get('unit', '')}".strip()
        return str(value.get("text") or value.get("days"))
    return str(value)


def _normalise(key: str, value: Any) -> Any:
    """The ``model.py`` value shape of a key."""
    if key in ("payment_terms", *DURATION_KEYS, "return_period") and isinstance(value, dict):
        return {"days": value.get("days"), "text": value.get("text")}
    return value


def contract_terms(
    segs: Sequence[Segment], meeting_date: date | None, sides: dict[str, str]
) -> list[Item]:
    """Agreed terms and the terms left open, from the negotiation of the whole meeting."""
    texts = [s.text for s in segs]
    contract_talk = bool(CONTRACT_TALK_RX.search(" ".join(texts)))
    two_sides = len({sides.get(s.speaker, s.speaker) for s in segs if s.speaker}) == 2
    if not contract_talk and not two_sides:
        # A team meeting (a design review): nobody across a table, so no negotiation to track.
        return []
    dollar = meeting_dollar(texts)
    law_topic = [False] * len(segs)
    mentions: list[list[Mention]] = []
    for i, t in enumerate(texts):
        law_topic[i] = bool(LAW_TOPIC_RX.search(t)) or (
            i > 0 and bool(LAW_TOPIC_RX.search(texts[i - 1]))
        )
        ms = segment_mentions(t, meeting_date, dollar, law_topic[i]) if len(t) >= 3 else []
        ms = _corrected(t, ms)
        if _PERCENT_RX.search(t):
            ms = [*ms, Mention("percent", None, "", 0, 0, "percent")]
        mentions.append(
            _years_from_context(
                t, ms, list(zip(texts[max(0, i - 3) : i], mentions[-3:], strict=True))
            )
        )

    def side(i: int) -> str:
        sp = segs[i].speaker or f"#{i}"
        return sides.get(sp, sp)

    def other_side(i: int) -> str:
        me = side(i)
        for j in range(i - 1, -1, -1):
            if side(j) != me:
                return side(j)
        return "?" + me

    dated = [any(m.kind == "date" and m.key for m in ms) for ms in mentions]

    said_periods = [
        [
            x.key
            for x in ms
            if x.kind.startswith("duration")
            and x.key in ("term", "duration", "confidentiality_period")
            and not x.context
        ]
        for ms in mentions
    ]

    def resolve(i: int, m: Mention, tracks: dict[str, Track]) -> Mention | None:
        if m.kind.startswith("duration") and said_periods[i]:
            # "…caps it at two years. Two years?": the period this turn is about.
            return with_key(m, said_periods[i][-1], m.value)
        if m.kind.startswith("duration") and dated[i]:
            # "start on the 1st of April … so about six months": the engagement's length.
            return with_key(m, "duration", m.value)
        return resolve_keyless(i, m, tracks, texts)

    def park_keys(i: int, tracks: dict[str, Track]) -> list[str]:
        named = [k for k, rx in TOPIC_RXS.items() if rx.search(texts[i]) and k in tracks]
        m = PARK_RX.search(texts[i])
        if named:
            return named
        if m is None or re.search(r"\bthe [\w-]+(?: [\w-]+)? clause\b", texts[i], re.I):
            return []  # "the non-circumvention clause in square brackets": no tracked term
        recent = sorted(tracks.values(), key=lambda t: -t.last_seg)
        return [recent[0].key] if recent and i - recent[0].last_seg <= 3 else []

    tracks = track(
        len(segs),
        side,
        texts,
        mentions,
        resolve,
        park_keys,
        other_side=other_side,
    )
    return _items(segs, tracks, contract_talk)


_YEAR_RX = re.compile(r"\b(19|20)\d{2}\b")
_CORRECTION_RX = re.compile(
    r"\b(actually|sorry|i mean|rather|no, wait|make that|correction)\b", re.I
)


def _corrected(text: str, said: list[Mention]) -> list[Mention]:
    """ "I'd say the first of March. Actually, no, sorry … Let's say Monday the fifteenth of
    March": a date after a correction is the same term as the date it corrects."""
    out: list[Mention] = []
    for m in said:
        prev = next((x for x in reversed(out) if x.kind.startswith("date") and x.key), None)
        if (
            m.kind.startswith("date")
            and prev is not None
            and prev.key in DATE_KEYS
            and m.key != prev.key
            and _CORRECTION_RX.search(text, prev.end, m.start)
        ):
            m = with_key(m, prev.key, m.value)
        out.append(m)
    return out


def _years_from_context(
    text: str, ms: list[Mention], before: Sequence[tuple[str, list[Mention]]]
) -> list[Mention]:
    """A date said without its year ("March 2 works") is the same day said with a year in this
    turn or just before ("March 2, 2026"), not that day's next occurrence after the meeting."""
    with_year = [
        m.value
        for t, xs in [*before, (text, ms)]
        for m in xs
        if m.kind == "date" and isinstance(m.value, str) and _YEAR_RX.search(t[m.start : m.end])
    ]
    out = []
    for m in ms:
        if (
            m.kind == "date"
            and isinstance(m.value, str)
            and not _YEAR_RX.search(text[m.start : m.end])
        ):
            same = [v for v in with_year if v[4:] == m.value[4:] and v != m.value]
            if same:
                m = replace(m, value=same[-1], ident=same[-1])
        out.append(m)
    return out


def _items(segs: Sequence[Segment], tracks: dict[str, Track], contract_talk: bool) -> list[Item]:
    """Items for every track; outside a contract talk (a design meeting, a chat) only the
    money terms, since a "two weeks" or "40 people" there is no contract term."""
    items: list[Item] = []
    total = tracks.get("price")
    unit = tracks.get("unit_price")
    for key, t in tracks.items():
        if key not in EMITTED or (not contract_talk and key not in ("price", "unit_price")):
            continue
        history = [
            {"value": o.value, "state": o.state, "by": segs[o.seg].speaker or None}
            for o in t.offers
        ]
        accepted = [o for o in t.offers if o.state == "accepted"]
        standing = _standing_offer(segs, t, tracks)
        if standing is not None:
            # A money talk that ends on an offer nobody opposes: chat tools record the
            # acceptance as a click, outside the transcript. Kept, with a low confidence.
            item = _term_item(segs, key, standing, history)
            item.confidence = 0.45
            item.statement = item.statement.replace("accepted by", "unopposed; last said by")
            items.append(item)
            if key == "unit_price" and (
                total is None or not any(o.state == "accepted" for o in total.offers)
            ):
                # The unit price said again at the end is no total when one was agreed.
                items.append(_term_item(segs, "price", standing, history))
            continue
        if not accepted:
            if t.offers and (
                len({o.side for o in t.offers}) > 1 or any(o.state == "parked" for o in t.offers)
            ):
                items.append(_open_item(segs, key, t))
            continue
        for o in accepted:
            items.append(_term_item(segs, key, o, history))
        if key == "unit_price" and (
            total is None or not any(o.state == "accepted" for o in total.offers)
        ):
            last = accepted[-1]
            items.append(_term_item(segs, "price", last, history))
    del unit
    return items


STANDING_TAIL = 3  # segments after which a final unopposed offer still counts as the deal


def _standing_offer(segs: Sequence[Segment], t: Track, tracks: dict[str, Track]) -> Offer | None:
    """The final open price offer of a talk that ends with it (see ``_items``)."""
    if t.key not in ("price", "unit_price") or t.open is None or t.open is not t.offers[-1]:
        return None
    if len(segs) - 1 - t.open.seg > STANDING_TAIL:
        return None
    last_money = max(
        (o.seg for k, tr in tracks.items() if k in MONEY_KEYS for o in tr.offers), default=-1
    )
    if last_money > t.open.seg or (len({o.side for o in t.offers}) < 2 and len(t.offers) > 1):
        return None
    holder = segs[t.open.seg].speaker
    if any(
        segs[j].speaker != holder and turn_stance(segs[j].text) == "reject"
        for j in range(t.open.seg + 1, len(segs))
    ):
        return None  # "no way I can go that low": refused in words, not left unopposed
    done = t.accepted
    if (
        done is not None
        and done.side == t.open.side
        and not any(o.side != done.side and o.seg > (done.accepted_at or 0) for o in t.offers)
    ):
        # "85?" "sounds reasonable" "For 90 I'll deliver it": after the deal only the side whose
        # price was taken asks for more; that needs its own yes, and the accepted price stands.
        return None
    return t.open


def _term_item(segs: Sequence[Segment], key: str, o: Offer, history: list[dict[str, Any]]) -> Item:
    first = segs[o.seg]
    acc = segs[o.accepted_at] if o.accepted_at is not None else first
    value = _normalise(key, o.value)
    conf = 0.88 if o.how == "restated" else 0.8
    ev = sorted(set(o.evidence))
    ev = ev[:1] + ev[1:][-2:]
    return Item(
        id=f"term-{key}-{acc.segment_id}",
        kind="agreed_term",
        statement=(
            f"Agreed {LABELS.get(key, key)}: {display(key, value)} (proposed by "
            f"{first.speaker or 'a participant'}, accepted by "
            f"{acc.speaker or 'another participant'})."
        ),
        confidence=conf,
        evidence=evidence_for(segs, ev),
        owner=acc.speaker or None,
        values={key: value, "negotiation": history},
    )


def _open_item(segs: Sequence[Segment], key: str, t: Track) -> Item:
    said = ", ".join(dict.fromkeys(display(key, o.value) for o in t.offers))
    parked = any(o.state == "parked" for o in t.offers)
    ev = [t.offers[0].seg, t.offers[-1].seg]
    return Item(
        id=f"oq-{key}-{segs[t.offers[-1].seg].segment_id}",
        kind="open_question",
        statement=(
            f"Which {LABELS.get(key, key)} applies? Not agreed"
            f"{' (parked)' if parked else ''}: {said}."
        ),
        confidence=0.55 if parked else 0.45,
        evidence=evidence_for(segs, ev),
        owner=segs[t.offers[-1].seg].speaker or None,
        values={
            "term": key,
            "negotiation": [{"value": o.value, "state": o.state} for o in t.offers],
        },
    )
