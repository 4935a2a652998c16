"""Which term a keyless figure belongs to ("Forty-five?", "two years", "the first of June"):
the term under discussion, by the figures' scale and the topic of the talk around them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bridge_app.core.extraction.mention_context import UNIT_NOUNS
from bridge_app.core.extraction.mention_periods import side_period_topic
from bridge_app.core.extraction.mention_scope import LAW_TOPIC_RX
from bridge_app.core.extraction.mentions import DATE_KEYS, DAY_KEYS, DURATION_KEYS, MONEY_KEYS
from bridge_app.core.extraction.negotiation import Mention, Track
from bridge_app.core.extraction.numbers import NumberMention, reading_near

# The longest contract term a bare figure can mean (ten years): "thirty" after a three-year
# term is another figure, never thirty years.
MAX_TERM_DAYS = 3650

PAYMENT_DAYS_MIN = 7  # fewer days than this is a lead time, never payment terms

TOPIC_RXS: dict[str, re.Pattern[str]] = {
    "payment_terms": re.compile(r"\b(payment|payment terms|pay|invoic\w*|billing)\b", re.I),
    "start_date": re.compile(r"\b(start date|when (would|do|can) (you|we) start|start)\b", re.I),
    "effective_date": re.compile(r"\beffective\b", re.I),
    "end_date": re.compile(r"\b(end date|until when)\b", re.I),
    "term": re.compile(r"\b(term|how long)\b", re.I),
    "governing_law": LAW_TOPIC_RX,
    "quantity": re.compile(rf"\b(how many|{UNIT_NOUNS})\b", re.I),
    "confidentiality_period": re.compile(r"\bconfidential\w*\b", re.I),
    "price": re.compile(r"\b(price|fee|cost|budget|minimum|quote)\b", re.I),
}


def _day_term_ok(key: str, days: int) -> bool:
    """Whether a day count can be that day term: payment terms are never a few days."""
    return key != "payment_terms" or days >= PAYMENT_DAYS_MIN


def _recent(tracks: dict[str, Track], keys: Sequence[str], i: int, window: int) -> Track | None:
    cands = [t for k, t in tracks.items() if k in keys and i - t.last_seg <= window]
    return max(cands, key=lambda t: t.last_seg) if cands else None


@lru_cache(maxsize=256)
def _names_topic(key: str, text: str) -> bool:
    rx = TOPIC_RXS.get(key)
    return rx is not None and rx.search(text) is not None


def talk_topic(texts: Sequence[str], i: int, keys: Sequence[str]) -> str | None:
    """The first of ``keys`` whose topic words this segment or the two before it say (cached
    per segment text: a turn with many figures asks once per figure)."""
    for j in (i, i - 1, i - 2):
        if j < 0:
            continue
        for k in keys:
            if _names_topic(k, texts[j]):
                return k
    return None


def _scale(t: Track) -> float | None:
    ref = t.open or t.accepted or (t.offers[-1] if t.offers else None)
    if ref is None or not isinstance(ref.value, dict):
        return t.scale
    amount = ref.value.get("amount")
    return float(amount) if isinstance(amount, (int, float)) and amount > 0 else t.scale


def resolve_keyless(
    i: int, m: Mention, tracks: dict[str, Track], texts: Sequence[str]
) -> Mention | None:
    if m.kind.startswith("money"):
        # An explicit amount without a "per" or "total" cue: the money term under discussion
        # when it is on its scale, else the price.
        t = _recent(tracks, ("price", "unit_price", "rate"), i, 8)
        amount = m.value.get("amount") if isinstance(m.value, dict) else None
        if t is not None and amount:
            scale = _scale(t)
            if scale and 0.3 <= amount / scale <= 3.5:
                return with_key(m, t.key, m.value)
            if scale and amount / scale < 0.25 and t.key == "price":
                return with_key(m, "other_amount", m.value)
        return with_key(m, "price", m.value)
    if m.kind.startswith("number"):
        assert isinstance(m.value, NumberMention)
        n = m.value
        cands: list[tuple[int, Mention]] = []
        day_echo = _echoes_days(texts, i, n) or _echoes_day_offer(tracks, i, n)
        for t in tracks.values():
            if day_echo and t.key not in DAY_KEYS:
                continue  # "the forty-five-day payment run … can we make it forty-five?"
            # A money talk pauses for questions about the item and resumes with bare figures
            # ("1800 and you have a deal" nine turns after "How about 2800?").
            reach = 20 if t.key in MONEY_KEYS or (day_echo and t.key in DAY_KEYS) else 6
            if t.key in MONEY_KEYS and _has_value(t, "amount", n.readings):
                reach = 60  # an amount of this term said back ("at seven seventy-five") later on
            if i - t.last_seg > reach or (not t.offers and t.key not in MONEY_KEYS):
                continue
            if t.key in MONEY_KEYS:
                scale = _scale(t)
                if scale is None:
                    continue
                r = reading_near(n, scale, 3.0)
                if r is None:
                    continue
                ref = t.open or t.accepted or (t.offers[-1] if t.offers else None)
                if ref is None or not isinstance(ref.value, dict):
                    continue
                value = {"amount": r, "currency": ref.value.get("currency")}
                if ref.value.get("per"):
                    value["per"] = ref.value["per"]
                cands.append((t.last_seg, with_key(m, t.key, value, f"{round(r, 2)}", "money")))
            elif (
                t.key in DAY_KEYS
                and n.value == int(n.value)
                and 1 <= n.value <= 180
                and _day_term_ok(t.key, int(n.value))
            ):
                d = int(n.value)
                cands.append(
                    (
                        t.last_seg,
                        with_key(m, t.key, {"days": d, "text": f"{d} days"}, f"days:{d}", "days"),
                    )
                )
            elif t.key in DURATION_KEYS and 1 <= n.value <= 36 and n.value == int(n.value):
                ref = t.open or t.accepted or t.offers[-1]
                assert ref is not None
                unit_days = _unit_of(ref.value)
                if unit_days is None:
                    continue
                d = round(n.value * unit_days)
                if d > MAX_TERM_DAYS:
                    continue  # "could we make that thirty?" after "three years … sixty days"
                cands.append(
                    (
                        t.last_seg,
                        with_key(
                            m,
                            t.key,
                            {"days": d, "text": f"{int(n.value)} x"},
                            f"days:{d}",
                            "duration",
                        ),
                    )
                )
            elif t.key == "quantity" and n.value == int(n.value) and t.open is not None:
                # Only while a count is on the table: after "One-twenty, yep" a bare
                # "thirty-five" is a price.
                ref = t.open or t.accepted or t.offers[-1]
                q = ref.value.get("value") if isinstance(ref.value, dict) else None
                if q and 0.2 <= n.value / q <= 5:
                    value = {"value": float(n.value), "unit": ref.value.get("unit")}
                    cands.append(
                        (t.last_seg, with_key(m, "quantity", value, f"{int(n.value)}", "count"))
                    )
            elif t.key == "quantity" and not t.offers:
                continue
            elif t.key == "percent" and 0 < n.value <= 100:
                cands.append((t.last_seg, with_key(m, "percent", n.value, str(n.value), "percent")))
        if (
            not cands
            and talk_topic(texts, i, ("quantity",)) == "quantity"
            and n.value >= 2
            and n.value == int(n.value)
            and i > 0
            and re.search(r"\bhow many\b", texts[i - 1], re.I)
        ):
            value = {"value": float(n.value), "unit": None}
            return with_key(m, "quantity", value, f"{int(n.value)}", "count")
        if not cands:
            if m.kind == "number+price" and not any(
                t.key in MONEY_KEYS and t.offers for t in tracks.values()
            ):
                # The first figure of a money talk, said with an offer word.
                value = {"amount": n.value, "currency": None}
                return with_key(m, "price", value, f"{round(n.value, 2)}", "money")
            return None
        # "at seven seventy-five" after the unit price was agreed at £7.75 and a £1,200 add-on
        # came up: the term that already has this amount.
        said = [
            c
            for c in cands
            if c[1].kind == "money"
            and c[1].key in tracks
            and _has_value(tracks[c[1].key], "amount", (c[1].value.get("amount"),))
        ]
        # "I could do one thirty-two, if it's thirty percent at kickoff": a figure on the money
        # scale is money, whatever percentage came up in the turn.
        money = [c for c in cands if c[1].kind == "money"]
        if money and not said:
            cands = [c for c in cands if c[1].key != "percent"] or cands
        return max(said or cands, key=lambda c: c[0])[1]
    if m.kind.startswith("days"):
        # A bare day count answers the day term talked about ("Forty-five days?" after "net 30",
        # "aren't we moving everyone to thirty days?" much later), but payment terms are never a
        # few days ("two days would be enough" for the training is no counter to net 60).
        t = _recent(tracks, DAY_KEYS, i, 10**6)
        # "Payment terms. For distributors we normally do thirty days.": the turn's own topic
        # before a side period of the turn before.
        own = side_period_topic(texts[i : i + 1], 0) or (
            "payment_terms" if _names_topic("payment_terms", texts[i]) else None
        )
        key = (
            own
            or side_period_topic(texts, i)
            or (t.key if t is not None else talk_topic(texts, i, ("payment_terms",)))
        )
        days = m.value.get("days") if isinstance(m.value, dict) else None
        if key is None or (isinstance(days, int) and not _day_term_ok(key, days)):
            return None
        return with_key(m, key, m.value)
    if m.kind.startswith("duration"):
        topic = talk_topic(texts, i, ("confidentiality_period", "term"))
        t = _recent(tracks, DURATION_KEYS, i, 4)
        if t is not None:
            return with_key(m, t.key, m.value)
        if topic:
            return with_key(m, topic, m.value)
        dated = _recent(tracks, DATE_KEYS, i, 0)
        return with_key(m, "duration", m.value) if dated is not None else None
    if m.kind.startswith("date"):
        m = _day_said_back(m, tracks, texts[i][m.start : m.end], i)
        # "The eighteenth of December is tight" after a start and an end were both offered:
        # the term that has this date on the table.
        same = [
            t
            for t in tracks.values()
            if t.key in DATE_KEYS and i - t.last_seg <= 3 and t.open and t.open.ident == m.ident
        ]
        t = same[0] if len(same) == 1 else _recent(tracks, DATE_KEYS, i, 3)
        topic = talk_topic(texts, i, ("start_date", "effective_date", "end_date"))
        if t is not None:
            return with_key(m, t.key, m.value)
        if topic:
            return with_key(m, topic, m.value)
        return None
    return None


@lru_cache(maxsize=256)
def _day_count_rx(said: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(said)}[\s-]*(?:calendar |business )?days?\b", re.I)


def _echoes_days(texts: Sequence[str], i: int, n: NumberMention) -> bool:
    """Whether a bare number repeats a day count said just before it, in its own segment or the
    one before ("forty-five-day payment run … can we make it forty-five?")."""
    said = texts[i][n.start : n.end]
    if not said.strip():
        return False
    rx = _day_count_rx(said)
    return bool(rx.search(texts[i][: n.start]) or (i > 0 and rx.search(texts[i - 1])))


_MONTH_RX = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}[/.-]\d{1,2}", re.I
)


def _day_said_back(m: Mention, tracks: dict[str, Track], said: str, i: int) -> Mention:
    """ "The eighteenth is OK." after "Monday the eighteenth of May": the day of the date on the
    table, not the next eighteenth after the meeting."""
    if _MONTH_RX.search(said) or not isinstance(m.value, str):
        return m
    day = m.value[-2:]
    for t in sorted(tracks.values(), key=lambda t: -t.last_seg):
        if t.key in DATE_KEYS and t.open is not None and i - t.last_seg <= 3:
            offered = t.open.value
            if isinstance(offered, str) and offered[-2:] == day and offered != m.value:
                return Mention(m.key, offered, offered, m.start, m.end, m.kind, m.context)
    return m


def _has_value(t: Track, field: str, values: Sequence[Any]) -> bool:
    """Whether one of the track's offers has ``field`` (amount, days) among ``values``."""
    return any(isinstance(o.value, dict) and o.value.get(field) in values for o in t.offers)


def _echoes_day_offer(tracks: dict[str, Track], i: int, n: NumberMention) -> bool:
    """Whether a bare number is a day count already offered in a day term of the last twenty
    segments ("So sixty's off the table" after "Sixty? … we can do sixty")."""
    return any(
        t.key in DAY_KEYS and i - t.last_seg <= 20 and _has_value(t, "days", (n.value,))
        for t in tracks.values()
    )


def _unit_of(value: Any) -> float | None:
    if not isinstance(value, dict):
        return None
    text = str(value.get("text", "")).lower()
    for unit, days in (("year", 365.0), ("month", 30.0), ("week", 7.0), ("day", 1.0)):
        if unit in text:
            return days
    return None


def with_key(
    m: Mention, key: str, value: Any, ident: str | None = None, kind: str | None = None
) -> Mention:
    return Mention(
        key,
        value,
        ident if ident is not None else m.ident,
        m.start,
        m.end,
        kind or m.kind,
        m.context,
    )
