"""Picking the contract type a meeting's items call for (NDA, SOW, order form, …), by keywords in
the items and the kinds of value they carry, with the reasons for the pick.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bridge_app.core.drafting.model import (
    TypePick,
)
from bridge_app.core.drafting.terms import (
    usable_items,
)
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import CONTRACT_TYPES

# (pattern, weight) per type, matched on item statements and quotes. Value keys count more
# than words, since the extractor only sets them when a term was actually stated.
_KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "nda": (
        (r"\bnda\b", 3.0),
        (r"\bnon-?disclosure\b", 3.0),
        (r"\bconfidential(ity)?\b", 1.0),
    ),
    "sow": (
        (r"\bstatement of work\b", 3.0),
        (r"\bsow\b", 3.0),
        (r"\bdeliverables?\b", 1.0),
        (r"\bmilestones?\b", 1.0),
        (r"\b(consulting|implementation|professional services|migration)\b", 1.0),
    ),
    "msa-amendment": (
        (r"\bamend(ment|ed|ing)?\b", 2.0),
        (r"\bmsa\b", 3.0),
        (r"\bmaster (services )?agreement\b", 3.0),
        (r"\b(existing|current) (contract|agreement)\b", 1.5),
        (r"\b(renewal|renew|extend the (term|contract|agreement))\b", 1.0),
    ),
    "term-sheet": (
        (r"\bterm sheet\b", 3.0),
        (r"\b(letter of intent|loi)\b", 3.0),
        (r"\b(investment|valuation|equity|financing|shares)\b", 1.5),
        (r"\bnon-?binding\b", 1.0),
    ),
    "order-form": (
        (r"\border form\b", 3.0),
        (r"(?<!in )\b(purchase order|purchase|order)\b", 1.0),
        (r"\b(licen[cs]es|seats|subscriptions?|units)\b", 1.0),
        (r"\b(buy|sell|sold|bought)\b", 0.5),
    ),
}
_COMPILED_KEYWORDS = {
    t: tuple((re.compile(p, re.IGNORECASE), w) for p, w in pats) for t, pats in _KEYWORDS.items()
}
_VALUE_SIGNALS: dict[str, tuple[tuple[str, float], ...]] = {
    "nda": (("confidentiality_period", 3.0),),
    "sow": (("deliverable", 2.0), ("fee", 1.0)),
    "msa-amendment": (),
    "term-sheet": (),
    "order-form": (("quantity", 2.0), ("price", 1.0)),
}


def pick_contract_type(items: Sequence[Item]) -> TypePick:
    """The contract type the meeting's usable items call for, with a reason and a confidence.

    Rules, not a model: each type scores the value keys and words that point to it. The
    confidence is the winner's share of all scores, damped when there is little evidence. With
    no signal at all, a term sheet (a plain summary of what was agreed) is the safe default.
    """
    usable = usable_items(items)
    scores: dict[str, float] = dict.fromkeys(CONTRACT_TYPES, 0.0)
    signals: dict[str, dict[str, float]] = {t: {} for t in CONTRACT_TYPES}

    def add(ctype: str, label: str, weight: float) -> None:
        # A signal counts at most twice: a word repeated all meeting long is one topic, not
        # growing evidence for a contract type.
        seen = signals[ctype].get(label, 0.0)
        if seen < 2 * weight:
            signals[ctype][label] = seen + weight
            scores[ctype] += weight

    for item in usable:
        text = " ".join([item.statement, *(e.quote for e in item.evidence)])
        for ctype, pats in _COMPILED_KEYWORDS.items():
            for pat, weight in pats:
                for m in pat.finditer(text):
                    add(ctype, f'"{m.group(0).lower()}"', weight)
        for ctype, keys in _VALUE_SIGNALS.items():
            for key, weight in keys:
                if key in item.values:
                    add(ctype, f"{key.replace('_', ' ')} agreed", weight)
    commercial = any(
        k in item.values
        for item in usable
        for k in ("price", "fee", "party", "deliverable", "confidentiality_period")
    )
    total = sum(scores.values())
    ranked = tuple(sorted(scores.items(), key=lambda kv: (-kv[1], CONTRACT_TYPES.index(kv[0]))))
    if total <= 0:
        return TypePick(
            type="term-sheet",
            reason="No contract-type signal in the meeting; a term sheet summarises what was "
            "agreed without committing to a contract form.",
            confidence=0.2,
            scores=tuple((t, 0.0) for t, _ in ranked),
        )
    best, best_score = ranked[0]
    share = best_score / total
    confidence = share * min(1.0, best_score / 6.0)
    if not commercial:
        # No price, party, deliverable or confidentiality term: hardly a contract yet.
        confidence *= 0.5
    confidence = round(confidence, 2)
    top = sorted(signals[best].items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    reason = f"{best}: " + ", ".join(f"{name} ({weight:g})" for name, weight in top)
    if len(ranked) > 1 and ranked[1][1] > 0:
        reason += f"; runner-up {ranked[1][0]} ({ranked[1][1]:g} vs {best_score:g})"
    if not commercial:
        reason += "; no price, party or deliverable agreed, so confidence is halved"
    return TypePick(
        type=best,  # type: ignore[arg-type]
        reason=reason,
        confidence=max(0.05, confidence),
        scores=tuple((t, round(s, 2)) for t, s in ranked),
    )
