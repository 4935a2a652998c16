"""Agreed contract terms other than money and parties: proposal → acceptance across speakers.

Each typed value found in a segment (payment terms, quantity, governing law, start/end/effective
date, duration/term/confidentiality period, deliverables; see ``values.find_terms``) is a
*proposal*. It becomes an ``agreed_term`` when

* another speaker accepts it within the next few turns ("Yes, New York law is fine", "March 2
  works", "That matches our scope") before anyone counters it with a different value for the
  same term, or
* its own speaker states it as settled ("So the start date is March 2, 2026, decided"), or
* for deliverables, a first-person commitment or a scope statement lists them ("We will
  deliver the runbook and the cutover plan", "The deliverables are …").

Hedged ("maybe we could …") and undecided ("TBD") values are skipped unless accepted. Every
value gets its own item (so a later change of the start date cannot take the duration with it);
the same value stated again merges into the earlier item as more evidence (at most three
segments: the proposal and the latest confirmations).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from bridge_app.core.extraction import cues
from bridge_app.core.extraction.contract_terms import contract_terms
from bridge_app.core.extraction.grounding import evidence_for, merge_evidence
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.money import offer_sequence_terms
from bridge_app.core.extraction.party_sides import speaker_sides
from bridge_app.core.extraction.sentences import (
    ends_with_question,
    is_question,
    sentence_at,
    statements,
)
from bridge_app.core.extraction.value_words import Found
from bridge_app.core.extraction.values import find_terms
from bridge_app.core.transcript.model import Segment

# Acceptance of a non-money term, on top of cues.ACCEPT_STRONG_RX: "March 2 works", "New York
# law is fine", "that matches our scope", "decided", "confirmed".
TERM_ACCEPT_RX = re.compile(
    r"\b(\w+ works( for (me|us|both))?|(is|are|'s|be) (fine|acceptable|ok|okay|good|agreed)|"
    r"fine with|acceptable|decided|confirmed|approved|settled|locked in|"
    r"(we're|we are|i'm|i am) (ok|okay|good|happy|fine) with|happy with (that|it)|no objection|"
    r"matches|makes sense|go ahead|that's right|correct|we can live with|we accept)\b",
    re.I,
)
# An alternative put on the table ("Or we project this over two years"), not a proposal to settle.
_ALTERNATIVE_RX = re.compile(
    r"^\s*(or|either|alternatively|if|unless)\b|\bor (maybe|perhaps)\b", re.I
)
# A value named only to refuse it ("I can't accept German law").
_REFUSED_RX = re.compile(
    r"\b(can't|cannot|can not|won't|will not|don't|do not|unable to) (accept|agree|do|use|go with|"
    r"work with)\b|\bnot (acceptable|an option|possible)\b",
    re.I,
)
_LOOKAHEAD = 4  # segments after a proposal in which an acceptance counts
_OTHER_TURNS = 2  # turns of the other side after which an unaccepted proposal lapses

LABELS = {
    "payment_terms": "payment terms",
    "quantity": "quantity",
    "governing_law": "governing law",
    "start_date": "start date",
    "end_date": "end date",
    "effective_date": "effective date",
    "duration": "duration",
    "term": "term",
    "confidentiality_period": "confidentiality period",
    "deliverable": "deliverable",
}


def identity(key: str, value: Any) -> str:
    """What makes two values of one term the same ("Net 30" = "net 30"; dates by ISO string)."""
    if isinstance(value, dict):
        if "days" in value and value.get("days") is not None and key != "deliverable":
            return f"days:{value['days']}"
        if "value" in value:
            return f"{value['value']}:{str(value.get('unit', '')).lower()}"
        return re.sub(r"[^a-z0-9]+", " ", str(value.get("text", "")).lower()).strip()
    return str(value).lower()


def display(key: str, value: Any) -> str:
    if isinstance(value, dict):
        if key == "quantity":
            n = value.get("value")
            shown = int(n) if isinstance(n, float) and n.is_integer() else n
            return f"{shown} {value.get('unit', '')}".strip()
        return str(value.get("text") or value.get("days"))
    return str(value)


def _accepts(text: str) -> tuple[bool, bool]:
    """(strong, weak) acceptance of a term in a reply."""
    said = statements(text)
    if not said.strip():
        return False, False
    strong = bool(cues.ACCEPT_STRONG_RX.search(said) or TERM_ACCEPT_RX.search(said))
    weak = bool(cues.ACCEPT_WEAK_RX.match(text)) and not ends_with_question(text)
    if cues.REJECT_RX.search(said) or cues.UNDECIDED_RX.search(said):
        return False, False
    return strong, weak


def _acceptance(
    segs: Sequence[Segment], found: list[list[Found]], i: int, f: Found
) -> tuple[int, str] | None:
    """The segment that accepts proposal ``f`` of segment ``i`` and how ("restated", "strong",
    "weak"), or None when nobody accepts it before it is countered or lapses."""
    speaker = segs[i].speaker
    other_turns = 0
    want = identity(f.key, f.value)
    for j in range(i + 1, min(i + 1 + _LOOKAHEAD, len(segs))):
        seg = segs[j]
        same_key = [g for g in found[j] if g.key == f.key]
        if f.key == "deliverable":
            same_key = []  # another deliverable adds to the list, it does not counter
        differs = any(identity(g.key, g.value) != want for g in same_key)
        restates = any(identity(g.key, g.value) == want for g in same_key)
        if seg.speaker == speaker:
            if differs or (found[j] and not restates):
                return None  # revised, or moved on to another term: a reply answers that one
            continue
        if differs and not restates:
            return None  # countered
        strong, weak = _accepts(seg.text)
        if strong or (weak and j == i + 1):
            how = "restated" if restates else ("strong" if strong else "weak")
            return j, how
        if cues.REJECT_RX.search(seg.text):
            return None
        other_turns += 1
        if other_turns >= _OTHER_TURNS:
            return None
    return None


# A scope statement lists what is delivered ("the idea is to add …", "the MDR service is …").
_SCOPE_LEAD_RX = re.compile(
    r"(?i:\b(the idea is|the plan is) to (add|include))|\bthe [A-Z]{2,6} (service|package|module) "
    r"(is|covers|includes)\b|(?i:\b(we|i)('ll| will) also provide\b)",
)
_COMMIT_DELIVERABLE_RX = re.compile(
    r"\b(deliverables?\s+(is|are|will be|include)|(we|i)('ll| will| are going to|'re going to)\s+"
    r"(also\s+)?(deliver|provide|hand over|build|run|supply|host|produce)|"
    r"scope\s+(includes|covers|will include)|(read|recap|go over|confirm) the scope( back)?|"
    r"(the|our) proposal (is|covers|includes))\b",
    re.I,
)


def agreed_terms(
    segs: Sequence[Segment], meeting_date: date | None, feats: list[cues.SegmentFeatures]
) -> list[Item]:
    """Agreed terms of a meeting: the negotiated ones from the tracker (``contract_terms``)
    and the deliverables, one item per value, in order of first mention."""
    items = contract_terms(segs, meeting_date, speaker_sides(segs))
    if not any(k in it.values for it in items if it.kind == "agreed_term" for k in ("price",)):
        # No price accepted in words: chats often close with a click, which the offer
        # sequence of ``money.offer_sequence_terms`` reads (last unopposed offer).
        items += offer_sequence_terms(segs)
    return items + _deliverables(segs, meeting_date, feats)


def _deliverables(
    segs: Sequence[Segment], meeting_date: date | None, feats: list[cues.SegmentFeatures]
) -> list[Item]:
    """Deliverables listed in a scope statement or accepted by the other side."""
    found = [
        [f for f in find_terms(s.text, meeting_date) if f.key == "deliverable"]
        if len(s.text) >= 8
        else []
        for s in segs
    ]
    items: list[Item] = []
    latest: dict[tuple[str, str], Item] = {}  # (key, identity) → the item carrying that value
    for i, seg in enumerate(segs):
        if not found[i]:
            continue
        said = statements(seg.text)
        stated_here = bool(
            said.strip()
            and (cues.ACCEPT_STRONG_RX.search(said) or TERM_ACCEPT_RX.search(said))
            and not cues.REJECT_RX.search(said)
        )
        for f in found[i]:
            sentence = sentence_at(seg.text, f.start)
            if cues.UNDECIDED_RX.search(sentence) or _REFUSED_RX.search(sentence):
                continue
            question = is_question(sentence)
            hedged = bool(cues.HEDGE_RX.search(sentence) or _ALTERNATIVE_RX.search(sentence))
            if question and f.key == "deliverable":
                continue  # "did they provide the picture?" asks, it does not list the scope
            accepted = _acceptance(segs, found, i, f)
            stated = not question and not hedged and (stated_here or feats[i].decision_score >= 1.5)
            committed = (
                f.key == "deliverable"
                and not question
                and not hedged
                and bool(
                    _COMMIT_DELIVERABLE_RX.search(sentence)
                    or _SCOPE_LEAD_RX.search(sentence)
                    # "Let me read the scope back. The web app, …": the lead is the sentence before.
                    or _COMMIT_DELIVERABLE_RX.search(seg.text[max(0, f.start - 80) : f.start])
                )
            )
            if accepted is None and not stated and not committed:
                continue
            if hedged and accepted is not None and accepted[1] == "weak":
                continue  # "it might be six months" — "sure." is not agreement to a guess
            if accepted is not None:
                conf = {"restated": 0.88, "strong": 0.82, "weak": 0.72}[accepted[1]]
                conf += 0.04 if stated else 0.0
                conf -= 0.1 if hedged else 0.0
            elif stated:
                conf = 0.68 if stated_here else 0.6
            else:
                conf = 0.6
            ev = [i] + ([accepted[0]] if accepted is not None else [])
            _add(items, latest, segs, i, f, ev, min(conf, 0.92), accepted)
    return items


def _add(
    items: list[Item],
    latest: dict[tuple[str, str], Item],
    segs: Sequence[Segment],
    i: int,
    f: Found,
    ev: list[int],
    conf: float,
    accepted: tuple[int, str] | None,
) -> None:
    ident = (f.key, identity(f.key, f.value))
    evidence = evidence_for(segs, ev)
    prev = latest.get(ident)
    newest = latest.get((f.key, "")) if f.key != "deliverable" else prev
    # The same value again (the acceptance restating it, a recap): one term, more evidence —
    # unless another value of the same term came in between, which makes it a new statement.
    if prev is not None and newest is prev:
        prev.evidence = merge_evidence(prev.evidence, evidence)
        prev.confidence = round(max(prev.confidence, conf), 3)
        return
    seg = segs[i]
    who = seg.speaker or "a participant"
    how = (
        f"proposed by {who}, accepted by {segs[accepted[0]].speaker or 'another participant'}"
        if accepted is not None
        else f"stated by {who}"
    )
    item = Item(
        id=f"term-{f.key}-{seg.segment_id}",
        kind="agreed_term",
        statement=f"Agreed {LABELS.get(f.key, f.key)}: {display(f.key, f.value)} ({how}).",
        confidence=round(conf, 3),
        evidence=evidence,
        owner=seg.speaker or None,
        values={f.key: f.value},
    )
    items.append(item)
    latest[ident] = item
    latest[(f.key, "")] = item  # the newest value of this term
