"""Agreed money terms: offers and the acceptance that closes them (``price`` / ``fee``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bridge_app.core.extraction import cues
from bridge_app.core.extraction.grounding import evidence_for
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.money_amounts import Money, find_money
from bridge_app.core.extraction.money_values import meeting_dollar
from bridge_app.core.extraction.sentences import ends_with_question, statements
from bridge_app.core.transcript.model import Segment

_PRICE_CONTEXT_RX = re.compile(
    r"\b(offer|pay|take|do|accept|price|asking|sell|sold|deal|go|how about|come down|meet|split|"
    r"give|spend|cash|sounds|"
    r"budget|cost|charge|fee|rate|for|at|make it|final|lowest|best)\b|\$|€|£",
    re.I,
)
_FEE_RX = re.compile(r"\b(fee|retainer|rate|hourly|per hour|per day|subscription)\b", re.I)
_NOT_VALUE_RX = re.compile(r"(instead of|rather than|not|from|than|was|were|originally)\s*$", re.I)
_CLOCK_BEFORE_RX = re.compile(r"\b(at|by|around|about|after|before|till|until|from)\s*$", re.I)
_FINAL_OFFER_RX = re.compile(
    r"\b(take it or leave it|final offer|(highest|lowest|most|least) i (can|could|will) (go|do|"
    r"pay|take)|best i can do|firm)\b",
    re.I,
)


def _prices(seg: Segment, scale: float | None, dollar: str | None) -> list[Money]:
    """Money in a segment, minus replaced figures, clock times and numbers off the price scale."""
    text = seg.text
    # In a running negotiation a bare number is a price even without a price word ("29,500?").
    bare = scale is not None or bool(_PRICE_CONTEXT_RX.search(text))
    found = find_money(text, bare=bare, dollar=dollar)
    kept = []
    for m in found:
        before = text[max(0, m.start - 16) : m.start]
        # "45k instead of 40k": the amount after "instead of" is the one being replaced.
        if _NOT_VALUE_RX.search(before):
            continue
        if not m.explicit:
            if m.amount <= 12 and _CLOCK_BEFORE_RX.search(before):
                continue  # "I'll be there about 5"
            # A bare number far off the figures discussed so far is a count, not a price; without a
            # price word it must sit close to them.
            if scale is not None and not (0.3 * scale <= m.amount <= 3 * scale):
                continue
            if not _PRICE_CONTEXT_RX.search(text) and (
                scale is None or not 0.7 * scale <= m.amount <= 1.3 * scale
            ):
                continue
        kept.append(m)
    return kept


def _accepts(text: str) -> tuple[bool, bool]:
    """(strong, weak) acceptance, ignoring questions ("do we have a deal?")."""
    strong = bool(cues.ACCEPT_STRONG_RX.search(statements(text)))
    weak = bool(cues.ACCEPT_WEAK_RX.match(text)) and not ends_with_question(text)
    return strong, weak


def _money_terms(
    segs: Sequence[Segment], meeting_currency: str | None, dollar: str | None
) -> list[Item]:
    """Agreed price/fee terms: each acceptance closes the offer it answers."""
    items: list[Item] = []
    last_offer: tuple[Money, int] | None = None
    scale: float | None = None
    final_offer: tuple[Money, int] | None = None
    offer_speakers: set[str] = set()
    for i, seg in enumerate(segs):
        text = seg.text
        prices = _prices(seg, scale, dollar)
        strong, weak = _accepts(text)
        rejecting = bool(cues.REJECT_RX.search(text))
        hedged = bool(re.search(r"\b(maybe|perhaps|might|would you|could you|if)\b", text, re.I))
        agreed: Money | None = None
        offer_i: int | None = None
        accepted_other = (
            last_offer is not None
            and segs[last_offer[1]].speaker != seg.speaker
            and i - last_offer[1] <= 4
        )
        if prices and strong and not (hedged and not re.search(r"\bdeal\b", text, re.I)):
            agreed = prices[-1]
            if accepted_other and last_offer is not None and last_offer[0].amount == agreed.amount:
                offer_i = last_offer[1]  # "Okay, $38,000 works": the offer it accepts is evidence
        elif (
            prices
            and weak
            and accepted_other
            and last_offer is not None
            and prices[-1].amount == last_offer[0].amount
        ):
            agreed, offer_i = last_offer  # "Great! $350 it is."
        elif not prices and accepted_other and (strong or (weak and not rejecting)):
            assert last_offer is not None
            agreed, offer_i = last_offer
        if prices:
            scale = prices[-1].amount
        if agreed is None:
            if prices:
                last_offer = (prices[-1], i)
                offer_speakers.add(seg.speaker)
                final_offer = (prices[-1], i)
            elif (
                final_offer is not None
                and seg.speaker != segs[final_offer[1]].speaker
                and (rejecting or ends_with_question(text))
            ):
                final_offer = None
            continue
        final_offer = None
        said = text + (" " + segs[offer_i].text if offer_i is not None else "")
        if _FEE_RX.search(said):
            key = "fee"
        elif items and not re.search(r"\bprice\b", said, re.I):
            key = next(iter(items[-1].values))  # a revised figure keeps the term it revises
        else:
            key = "price"
        currency = agreed.currency or meeting_currency
        value = {"amount": agreed.amount, "currency": currency}
        ev = [i] if offer_i is None else [offer_i, i]
        conf = 0.9 if strong else 0.72
        if not agreed.explicit and offer_i is None:
            conf -= 0.1
        prev = items[-1] if items else None
        if prev is not None and prev.values.get(key) == value:
            # The other side confirms the same figure: one term, more evidence.
            merged = {e.segment_id for e in prev.evidence}
            extra = [e for e in evidence_for(segs, ev) if e.segment_id not in merged]
            prev.evidence = (prev.evidence + extra)[-3:]
            prev.confidence = max(prev.confidence, conf)
        else:
            items.append(_price_item(segs, i, ev, key, value, conf))
        last_offer = None
    if (
        final_offer is not None
        and len(offer_speakers) > 1
        and len(segs) - final_offer[1] <= 3
        and (not items or final_offer[1] > _last_index(items, segs))
    ):
        # An exchange of offers that ends on one offer nobody objects to: likely the deal (chat
        # tools often take the "accept" as a click), but nobody said yes in the transcript, so it
        # gets a low confidence. A "final offer" wording makes it a little more likely.
        money, i = final_offer
        conf = 0.5 if _FINAL_OFFER_RX.search(segs[i].text) else 0.4
        value = {"amount": money.amount, "currency": money.currency or meeting_currency}
        items.append(_price_item(segs, i, [i], "price", value, conf))
    return items


def _last_index(items: list[Item], segs: Sequence[Segment]) -> int:
    pos = {s.segment_id: k for k, s in enumerate(segs)}
    return max(pos.get(e.segment_id, -1) for it in items for e in it.evidence)


def _price_item(
    segs: Sequence[Segment], i: int, ev: list[int], key: str, value: dict[str, Any], conf: float
) -> Item:
    seg = segs[i]
    amount_text = f"{value['amount']:,.2f}".removesuffix(".00")
    currency = value.get("currency")
    statement = (
        f"Agreed {key}: {amount_text}"
        + (f" {currency}" if currency else "")
        + f" (accepted by {seg.speaker or 'a participant'})."
    )
    return Item(
        id=f"term-{key}-{seg.segment_id}",
        kind="agreed_term",
        statement=statement,
        confidence=round(conf, 3),
        evidence=evidence_for(segs, ev),
        owner=seg.speaker or None,
        values={key: value},
    )


def meeting_currency(segs: Sequence[Segment], dollar: str | None = None) -> str | None:
    for seg in segs:
        for m in find_money(seg.text, dollar=dollar):
            if m.currency:
                return m.currency
    return None


def money_terms(segs: Sequence[Segment]) -> list[Item]:
    """Agreed price/fee terms now come from the negotiation tracker (``contract_terms``, called
    by ``terms.agreed_terms``); this hook stays for rules.py's call."""
    return []


def offer_sequence_terms(segs: Sequence[Segment]) -> list[Item]:
    """Price terms read from the sequence of offers alone (the chat reading: an acceptance
    closes the last offer; an exchange ending on an unopposed offer keeps it)."""
    dollar = meeting_dollar(s.text for s in segs)
    return _money_terms(segs, meeting_currency(segs, dollar), dollar)
