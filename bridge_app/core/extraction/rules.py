"""The ``rules`` backend: offline, deterministic, no model.

Four passes over the segments:

1. money negotiation: offers and the acceptance that closes them become agreed ``price``/``fee``
   terms (proposal → acceptance across speaker turns; a later acceptance supersedes);
2. parties (``parties.py``: self-introductions, "between X and Y", legal forms, with sides) and
   the other typed terms (``terms.py``: payment terms, quantities, durations, dates, governing
   law, deliverables) that are stated as settled or accepted by another speaker;
3. decisions and action items: key utterances ranked by the learned scorer, as many decisions as
   it expects the meeting to hold, with the nearest substantive neighbours as evidence;
4. open questions: decision questions that the answers leave open.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from bridge_app.core.extraction import cues, weights
from bridge_app.core.extraction.commitments import with_commitments
from bridge_app.core.extraction.date_values import find_due_date
from bridge_app.core.extraction.grounding import evidence_for
from bridge_app.core.extraction.model import Item, ItemKind
from bridge_app.core.extraction.money import money_terms
from bridge_app.core.extraction.parties import party_terms
from bridge_app.core.extraction.terms import agreed_terms
from bridge_app.core.extraction.word_model import Lexicon
from bridge_app.core.transcript.model import Segment

# Decisions kept per meeting: DECISIONS_PER_EXPECTED times the number of segments the decision
# scorer expects annotators to cite (the sum of its probabilities), so volume follows what the
# meeting contains rather than its length alone; at least DECISION_MIN of them when they clear
# the scorer's floor (``weights.py``), which keeps short meetings without outcomes empty.
# Actions likewise: ACTIONS_PER_EXPECTED times the segments the action scorer expects to be
# cited, between ACTION_MIN and ACTION_MAX (all chosen on the dev split, docs/EXTRACTION.md).
DECISIONS_PER_EXPECTED = 1.5
DECISION_MIN = 2
ACTIONS_PER_EXPECTED = 0.5
ACTION_MIN = 1
ACTION_MAX = 3
# Beyond that volume a speaker's own commitment ("and I'll prepare the project plan …") still
# becomes an action item when the scorer gives its evidence at least this probability.
ACTION_COMMITMENT_P = 0.25
OPEN_QUESTION_MAX = 3
# Segments between two key utterances of the same kind: nearby candidates mostly hit the same
# annotated item, so a wider suppression radius frees the volume for other parts of the meeting
# (chosen held out, docs/EXTRACTION.md).
_MIN_GAP = 6
# Restatement evidence: a rare word occurs in at most this share of the meeting's segments, and
# the restatement lies within this many segments of the key utterance.
RESTATEMENT_DF = 0.05
RESTATEMENT_RADIUS = 200

_DISFLUENCY_RX = re.compile(r"\b(um+|uh+|er+|erm|hmm+|mm+|you know|I mean),?\s*", re.I)
_REPEAT_RX = re.compile(r"\b(\w+)(\s+\1\b)+", re.I)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def clean_sentence(text: str, limit: int = 240) -> str:
    """One readable sentence from an utterance: disfluencies and stutters removed."""
    t = _DISFLUENCY_RX.sub("", text)
    t = _REPEAT_RX.sub(r"\1", t)
    t = re.sub(r"\s+", " ", t).strip(" ,.-")
    if not t:
        t = text.strip()
    if len(t) > limit:
        t = t[:limit].rsplit(" ", 1)[0] + "…"
    t = t[0].upper() + t[1:]
    if t[-1] not in ".!?…":
        t += "."
    return t


def _owner(seg: Segment, text: str) -> str | None:
    """The responsible party: a named role wins, else the speaker for first-person commitments."""
    role = cues.ROLE_RX.search(text)
    if role:
        return role.group(1).lower() if role.group(1).islower() else role.group(1)
    low = text.lower()
    if re.search(r"\b(everyone|everybody|all of us|each of us|we all)\b", low):
        return "all"
    if re.search(r"\b(i'll|i will|i'm going to|i am going to|i'm gonna|i can|let me)\b", low):
        return seg.speaker
    if re.search(r"\b(we'll|we will|we're going to|we are going to|we're gonna)\b", low):
        return "all"
    return seg.speaker or None


def _top(scores: list[float], k: int, floor: float, allowed: list[bool]) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= k or scores[i] < floor:
            break
        if allowed[i] and all(abs(i - j) > _MIN_GAP for j in chosen):
            chosen.append(i)
    return sorted(chosen)


_OWN_COMMITMENT_RX = re.compile(
    r"\b(I('ll| will| am going to|'m going to|'m gonna| can take| shall)|let me)\b", re.I
)


def _committer(seg: Segment) -> str | None:
    """The speaker when the segment is their own first-person commitment ("I'll send …")."""
    return seg.speaker if _OWN_COMMITMENT_RX.search(seg.text) else None


def _action_window(segs: Sequence[Segment], window: list[int], key: int) -> list[int]:
    """An action's evidence: the commitment and what leads to or confirms it, never a
    neighbouring commitment by someone else (that is its own action item)."""
    own = segs[key].speaker
    return [j for j in window if j == key or _committer(segs[j]) in (None, own)]


def _top_actions(
    segs: Sequence[Segment],
    scores: list[float],
    keys: list[int],
    floor: float,
    allowed: list[bool],
    volume: int,
) -> list[int]:
    """The best ``volume`` candidates above ``floor`` with distinct key utterances, more than
    ``_MIN_GAP`` segments apart unless they are two people's own commitments ("I will send …",
    "and I'll prepare …": two action items)."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= volume or scores[i] < floor:
            break
        if not allowed[i]:
            continue
        k = keys[i]
        mine = _committer(segs[k])
        if all(
            k != keys[j]
            and (
                abs(k - keys[j]) > _MIN_GAP
                or (mine is not None and _committer(segs[keys[j]]) not in (None, mine))
            )
            for j in chosen
        ):
            chosen.append(i)
    return sorted(chosen)


Weights = tuple[tuple[float, ...], float, tuple[float, ...], float]
"""(decision weights + bias, decision floor, action weights + bias, action floor)."""

SHIPPED_WEIGHTS: Weights = (
    weights.DECISION_WEIGHTS,
    weights.DECISION_FLOOR,
    weights.ACTION_WEIGHTS,
    weights.ACTION_FLOOR,
)


def _logits(rows: list[list[float]], w: tuple[float, ...]) -> list[float]:
    bias = w[-1]
    return [bias + sum(a * b for a, b in zip(w, row, strict=False) if b) for row in rows]


def _window_scores(
    segs: Sequence[Segment], logits: list[float], windows: list[list[int]]
) -> list[float]:
    """Log-odds that at least one segment of each candidate evidence window carries the item."""
    p = [_sigmoid(z) for z in logits]
    out = []
    for w in windows:
        miss = math.prod(1.0 - p[j] for j in w)
        out.append(math.log(max(1e-12, 1.0 - miss)) - math.log(max(1e-12, miss)))
    return out


def _key(window: list[int], logits: list[float]) -> int:
    """The segment of an evidence window that states the item best (highest own score)."""
    return max(window, key=lambda j: (logits[j], -j))


def _confidence(score: float, floor: float) -> float:
    """0.5 at the floor, rising with the margin above it; always within [0.05, 0.95]."""
    return round(0.05 + 0.9 * _sigmoid(score - floor), 3)


def _restatements(
    segs: Sequence[Segment],
    chosen: list[int],
    windows: list[list[int]],
    logits: list[float],
    feats: list[cues.SegmentFeatures],
) -> dict[int, list[int]]:
    """Evidence that links each decision to where it is said again.

    A decision is often proposed in one place and restated or confirmed elsewhere ("so the
    power button stays"). For each chosen window, the best-scoring substantive segment outside
    every chosen window that shares a rare content word with the key utterance replaces the
    window's weaker neighbour, so the evidence is the two strongest local segments plus the
    restatement (still at most three). Each restatement serves one decision only. Measured held
    out in docs/EXTRACTION.md.
    """
    n = len(segs)
    words = cues.content_words(segs)
    df = Counter(w for ws in words for w in ws)
    rare_limit = max(3, RESTATEMENT_DF * n)
    used = {j for i in chosen for j in windows[i]}
    out: dict[int, list[int]] = {}
    for i in sorted(chosen, key=lambda c: -max(logits[j] for j in windows[c])):
        key = _key(windows[i], logits)
        rare = {w for w in words[key] if df[w] <= rare_limit}
        best: tuple[float, int] | None = None
        for j in range(max(0, key - RESTATEMENT_RADIUS), min(n, key + RESTATEMENT_RADIUS + 1)):
            if abs(j - key) <= 1 or j in used or not feats[j].substantive:
                continue
            shared = len(words[j] & rare)
            if shared:
                score = _sigmoid(logits[j]) * (1 + shared)
                if best is None or score > best[0]:
                    best = (score, j)
        if best is None:
            continue
        used.add(best[1])
        strongest = sorted(windows[i], key=lambda j: (-logits[j], j))[:2]
        out[i] = sorted([*strongest, best[1]])
    return out


def _expected_cited(logits: Sequence[float]) -> float:
    """How many segments a scorer expects annotators to cite: the sum of its probabilities."""
    return sum(_sigmoid(z) for z in logits)


def decision_volume(logits: Sequence[float]) -> int:
    """How many decisions a meeting gets: DECISIONS_PER_EXPECTED × the segments the decision
    scorer expects to be cited, at least DECISION_MIN."""
    return max(DECISION_MIN, round(DECISIONS_PER_EXPECTED * _expected_cited(logits)))


def action_volume(logits: Sequence[float]) -> int:
    """How many action items a meeting gets: ACTIONS_PER_EXPECTED × the segments the action
    scorer expects to be cited, within [ACTION_MIN, ACTION_MAX]: a kick-off full of "I'll look
    into it" gets three, a design review with one hand-over one."""
    return max(ACTION_MIN, min(ACTION_MAX, round(ACTIONS_PER_EXPECTED * _expected_cited(logits))))


def _decisions_and_actions(
    segs: Sequence[Segment],
    meeting_date: date | None,
    feats: list[cues.SegmentFeatures],
    scorer: Weights,
    lexicon: Lexicon | None = None,
) -> list[Item]:
    n = len(segs)
    items: list[Item] = []
    rows = cues.model_features(segs, feats, lexicon)
    d_w, d_floor, a_w, a_floor = scorer
    windows = [cues.neighbours(segs, i) for i in range(n)]
    d_logits = _logits(rows, d_w)
    d_scores = _window_scores(segs, d_logits, windows)
    d_allowed = [f.substantive and not f.question for f in feats]
    chosen = _top(d_scores, decision_volume(d_logits), d_floor, d_allowed)
    restated = _restatements(segs, chosen, windows, d_logits, feats)
    for i in chosen:
        key = _key(windows[i], d_logits)
        seg = segs[key]
        items.append(
            Item(
                id=f"dec-{seg.segment_id}",
                kind="decision",
                statement=clean_sentence(seg.text),
                confidence=_confidence(d_scores[i], d_floor),
                evidence=evidence_for(segs, restated.get(i, windows[i])),
                owner=seg.speaker or None,
            )
        )
    a_logits = _logits(rows, a_w)
    a_windows = [_action_window(segs, windows[i], i) for i in range(n)]
    a_scores = _window_scores(segs, a_logits, a_windows)
    a_keys = [_key(w, a_logits) for w in a_windows]
    a_allowed = [f.substantive for f in feats]
    ranked = sorted(
        _top_actions(segs, a_scores, a_keys, a_floor, a_allowed, ACTION_MAX),
        key=lambda i: -a_scores[i],
    )
    volume = action_volume(a_logits)
    picked = ranked[:volume] + [
        i
        for i in ranked[volume:]
        if _sigmoid(a_scores[i]) >= ACTION_COMMITMENT_P and _committer(segs[a_keys[i]])
    ]
    for i in sorted(picked):
        key = a_keys[i]
        seg = segs[key]
        due = find_due_date(seg.text, meeting_date)
        values: dict[str, Any] = {}
        if due:
            values["due_text"] = due[1]
        items.append(
            Item(
                id=f"act-{seg.segment_id}",
                kind="action_item",
                statement=clean_sentence(seg.text),
                confidence=_confidence(a_scores[i], a_floor),
                evidence=evidence_for(segs, a_windows[i]),
                owner=_owner(seg, seg.text),
                due=due[0] if due else None,
                values=values,
            )
        )
    return items


def _open_questions(segs: Sequence[Segment], feats: list[cues.SegmentFeatures]) -> list[Item]:
    found: list[tuple[float, int, int]] = []
    for i, seg in enumerate(segs):
        text = seg.text
        explicit = bool(re.search(r"\b(open question|still open|tbd|to be decided)\b", text, re.I))
        if not explicit and not (feats[i].question and text.rstrip().endswith("?")):
            continue
        if not explicit and (
            len(text.split()) < 6
            or not re.search(
                r"\b(should we|do we|shall we|what about|how (much|many|long)|who (will|is going)|"
                r"when (will|do|are|should))\b",
                text,
                re.I,
            )
        ):
            continue
        answer = None
        for j in range(i + 1, min(i + 4, len(segs))):
            if segs[j].speaker != seg.speaker and cues.OPEN_ANSWER_RX.search(segs[j].text):
                answer = j
                break
        if answer is None and not explicit:
            continue
        found.append((2.0 if explicit else 1.0, i, answer if answer is not None else i))
    found.sort(key=lambda t: (-t[0], t[1]))
    items = []
    for score, i, j in sorted(found[:OPEN_QUESTION_MAX], key=lambda t: t[1]):
        items.append(
            Item(
                id=f"oq-{segs[i].segment_id}",
                kind="open_question",
                statement=clean_sentence(segs[i].text),
                confidence=0.6 if score > 1 else 0.45,
                evidence=evidence_for(segs, [i, j]),
                owner=segs[i].speaker or None,
            )
        )
    return items


def extract_rules(
    segments: Sequence[Segment],
    *,
    meeting_date: date | None = None,
    scorer: Weights | None = None,
    lexicon: Lexicon | None = None,
) -> list[Item]:
    """Run the rules backend over ``segments``; items come back in transcript order.

    ``scorer`` and ``lexicon`` replace the shipped decision/action weights and word model (used
    by ``tools/`` to refit and evaluate them); leave them out otherwise.
    """
    segs = list(segments)
    if not segs:
        return []
    feats = cues.analyse(segs)
    items: list[Item] = []
    items += money_terms(segs)
    items += party_terms(segs)
    items += agreed_terms(segs, meeting_date, feats)
    items += _decisions_and_actions(segs, meeting_date, feats, scorer or SHIPPED_WEIGHTS, lexicon)
    items = with_commitments(items, segs, meeting_date)
    # A business meeting's commitments step already names its open questions: a generic pick
    # that cites the same moment would be the same question twice.
    asked = {e.segment_id for it in items if it.kind == "open_question" for e in it.evidence}
    items += [
        q
        for q in _open_questions(segs, feats)
        if not any(e.segment_id in asked for e in q.evidence)
    ]
    order = {s.segment_id: s.index for s in segs}
    items.sort(key=lambda it: (min(order.get(e.segment_id, 0) for e in it.evidence), it.id))
    return _unique_ids(items)


def _unique_ids(items: list[Item]) -> list[Item]:
    seen: dict[str, int] = {}
    for it in items:
        if it.id in seen:
            seen[it.id] += 1
            it.id = f"{it.id}-{seen[it.id]}"
        else:
            seen[it.id] = 0
    return items


KINDS: tuple[ItemKind, ...] = ("decision", "action_item", "agreed_term", "open_question")
