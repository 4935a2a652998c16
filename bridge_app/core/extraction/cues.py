"""Cue lexicons and per-segment features used by the rules backend.

The weights are hand-set from how meeting talk signals outcomes (proposal forms, agreement,
commitment forms, deadlines), checked against the shared AMI/ICSI meetings as a whole rather than
fitted per meeting: see docs/EXTRACTION.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bridge_app.core.extraction.word_model import (
    DA_CLASSES,
    Lexicon,
    plain_text,
    shipped_lexicon,
    tokens,
)
from bridge_app.core.transcript.model import Segment


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Forms that put an outcome on the table or state it ("let's", "we should", "we'll go with").
DECISION_CUES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (_rx(p), w)
    for p, w in (
        (r"\blet'?s\b", 1.2),
        (r"\bwe should\b", 1.0),
        (r"\bdefinitely\b", 1.0),
        (r"\bagree[ds]?\b|\bagreement\b", 0.9),
        (r"\bskip\b|\bdrop\b|\bleave (it|that)\b|\bget rid\b|\bwithout\b", 1.2),
        (r"\bkeep\b", 0.8),
        (r"\bgo (with|for)\b|\bstick with\b|\bsettle on\b", 0.8),
        (r"\b(it|that|this|which) (will|would|should) be\b", 0.8),
        (r"\bwe can\b", 0.6),
        (r"\bwe (want|wanna|need)\b", 0.6),
        (r"\bcould\b", 0.5),
        (r"\bshould\b", 0.5),
        (r"^(so|okay|ok|alright|right)\b.*\bwe\b", 0.6),
        (r"\bdecid|\bdecision\b|\bdetermined\b|\bcommitted\b|\bfinali[sz]e", 0.8),
        (r"\baction item\b", 2.0),
        (r"\bfinal\b", 0.7),
        (r"\bwe('ll| will) (go|use|have|do|make|include)\b", 0.8),
    )
)

# Forms that commit someone to do something.
ACTION_CUES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (_rx(p), w)
    for p, w in (
        (r"next (meeting|time|one)", 1.2),
        (r"\bsupposed to\b", 1.3),
        (r"\bwork(ing)? on\b", 1.2),
        (r"\b(by|for|until|till|before) (the )?next\b", 1.3),
        (r"\bI('ll| will| am going to|'m going to|'m gonna)\b", 0.7),
        (r"\byou('re| are)? (gonna|going to)\b|\byou('ll| will)\b", 1.0),
        (r"\b(gonna|going to)\b", 0.4),
        (
            r"\b(prepare|present|look into|find out|research|send|write|fill|draft|follow up|"
            r"circulate|share|review|schedule|set up|contact|email|call)\b",
            0.8,
        ),
        (r"\byou (can|could|should)\b|\bcan you\b|\bcould you\b", 0.4),
        (r"\baction item\b", 2.0),
        (r"\b(by|before|until) (monday|tuesday|wednesday|thursday|friday|tomorrow|end of)\b", 1.0),
    )
)

# Commitment forms: an action item needs at least one of these.
COMMITMENT_RX = _rx(
    r"\b(I('ll| will| am going to|'m going to|'m gonna| can)|we('ll| will| are going to|'re going "
    r"to|'re gonna)|you('re| are)? (gonna|going to)|you('ll| will)|supposed to|action item|"
    r"(can|could|would) you|please|(need|have) to|you (can|could|should)|(he|she|they)('ll| will)|"
    r"work(ing)? on|next (meeting|time))\b"
)

# Utterances that cannot carry an item on their own.
PENALTIES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (_rx(p), w)
    for p, w in (
        (r"\?\s*$", -1.0),
        (r"^.{0,25}$", -1.5),
        (r"\bmaybe\b|\bperhaps\b|\bmight\b", -0.2),
        (r"\b(I don't know|not sure|I'm not sure|no idea)\b", -0.6),
    )
)

# Hedges: "maybe we could" is a suggestion, not an agreement.
HEDGE_RX = _rx(
    r"\b(maybe|perhaps|might|possibly|not sure|I don't know|I guess|would it|what if|"
    r"how about|could we|should we|do we want)\b"
)
# Explicit statements that nothing was settled.
UNDECIDED_RX = _rx(
    r"\b(not (yet )?(decided|agreed|settled|final)|haven't (decided|agreed)|no decision|"
    r"to be (decided|determined|confirmed)|tbd|still open|open question|revisit|"
    r"park (that|this|it))\b"
)
ACCEPT_STRONG_RX = _rx(
    r"\b(deal|agreed|i agree|we agree|works for me|(that|it) (would|will|should) work|"
    r"sounds (good|great|fair|reasonable|fine|fantastic|perfect|awesome|simple|ok|okay|"
    r"like a (deal|plan))|(that's|that is|it's) (fine|good|great|perfect|fair)|"
    r"that works|i can do|we can do|(i|we)('d| would| could| will) do (that|it)|i'll take|"
    r"i will take|i accept|accept(ed)?|it's yours|sold|"
    r"(that|it) (would|will) be (fine|great|good|ok)|"
    r"you('ve)? got (it|a deal)|fine by me|fine with (me|that)|let's do (it|that)|done)\b"
)
ACCEPT_WEAK_RX = _rx(
    r"^\s*(?:(?:um+|uh+|oh|well|hmm+|ah)[,.!]?\s+)?(ok(ay)?|sure|yes|yeah|yep|great|perfect|alright|right|fine|good|cool|absolutely|"
    r"exactly|of course)\b"
)
REJECT_RX = _rx(
    r"\b(too (low|high|much|expensive)|can't (do|go|accept)|cannot|no way|not (that|so) low|"
    r"won't|how about|what about|would you (take|do|consider)|could you (do|go)|lower|higher|"
    r"counter)\b|^\s*no\b"
)
CHANGE_RX = _rx(
    r"\b(instead|make it|rather than|change (it|that|the)|actually|revise[ds]?|update[ds]?|"
    r"new (price|date|term)|switch)\b"
)
QUESTION_RX = _rx(
    r"(\?\s*$)|\b(should we|do we|shall we|what about|how (much|many|long)|who will|when will|"
    r"open question)\b"
)
OPEN_ANSWER_RX = _rx(
    r"\b(don't know|not sure|later|figure (it |that )?out|find out|check|depends|we'll see|tbd|"
    r"no idea|good question|think about it)\b"
)
BACKCHANNEL_RX = _rx(
    r"^(yeah|yes|okay|ok|mm-hmm|uh-huh|hmm|mm|right|um|uh|so|and|but|oh|sure|cool|alright)"
    r"[\s.,!?]*$"
)
ROLE_RX = re.compile(
    r"\b(project manager|industrial designer|user interface designer|interface designer|"
    r"marketing expert|marketing|legal|finance|procurement|engineering|sales|the client|"
    r"the vendor|the buyer|the seller)\b",
    re.I,
)
_WORD_RX = re.compile(r"[a-z']+")
_STOP_WORDS = (
    "the a an and or but so to of in on for with at by it is that this be we you i they he "
    "she um uh yeah okay ok just like have has do does did not no yes mm hmm gonna going can "
    "could would should will what which how there here then think know mean really well also "
    "kind sort one two get got are was were as if about from up out all some more very "
    "actually right because cause 'cause thing things maybe something me my our your us them "
    "its don't it's that's i'm we're you're they're"
)
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(slots=True)
class SegmentFeatures:
    """What the rules backend knows about one segment."""

    decision_score: float
    action_score: float
    hedged: bool
    substantive: bool
    committed: bool
    question: bool
    info: dict[str, Any] = field(default_factory=dict)


def content_words(segments: Sequence[Segment]) -> list[set[str]]:
    """Each segment's content words (longer than three letters, not a stop word)."""
    return [
        {w for w in _WORD_RX.findall(s.text.lower()) if len(w) > 3 and w not in _STOP}
        for s in segments
    ]


def _is_substantive(text: str) -> bool:
    return len(text) >= 20 and not BACKCHANNEL_RX.match(text)


def analyse(segments: Sequence[Segment]) -> list[SegmentFeatures]:
    """Score every segment for being the key utterance of a decision or an action item.

    Besides the cue phrases, three signals from the whole meeting matter: topical salience (the
    segment names things the meeting keeps returning to), position (assignments cluster at the
    end of a meeting) and dialogue structure (a proposal followed by another speaker's assent).
    """
    n = len(segments)
    if n == 0:
        return []
    tokens = [
        {w for w in _WORD_RX.findall(s.text.lower()) if len(w) > 2 and w not in _STOP}
        for s in segments
    ]
    df: Counter[str] = Counter(w for t in tokens for w in t)
    salient_max = max(4.0, n / 15)
    talk: Counter[str] = Counter(s.speaker for s in segments)
    chair = talk.most_common(1)[0][0]
    out: list[SegmentFeatures] = []
    for i, seg in enumerate(segments):
        text = seg.text
        d = 0.0
        a = 0.0
        for rx, w in DECISION_CUES:
            if rx.search(text):
                d += w
        for rx, w in ACTION_CUES:
            if rx.search(text):
                a += w
        penalty = sum(w for rx, w in PENALTIES if rx.search(text))
        salience = sum(1 for w in tokens[i] if 4 <= df[w] <= salient_max)
        d += 0.25 * min(salience, 4) + penalty
        position = i / n
        a += (1.5 if position > 0.85 else 0.0) + penalty + (0.3 if seg.speaker == chair else 0.0)
        # Proposal → acceptance: another speaker assents right after.
        for j in (i + 1, i + 2):
            if (
                j < n
                and segments[j].speaker != seg.speaker
                and ACCEPT_WEAK_RX.match(segments[j].text)
            ):
                d += 0.4
                break
        if UNDECIDED_RX.search(text):
            d -= 1.5
        out.append(
            SegmentFeatures(
                decision_score=d,
                action_score=a,
                hedged=bool(HEDGE_RX.search(text)),
                substantive=_is_substantive(text),
                committed=bool(COMMITMENT_RX.search(text)),
                question=bool(QUESTION_RX.search(text)),
            )
        )
    return out


def neighbours(segments: Sequence[Segment], i: int, span: int = 3) -> list[int]:
    """The key segment plus the nearest substantive segment before and after it.

    Backchannels ("yeah", "okay") carry no content, so evidence skips over them to the proposal
    or the restatement around the key utterance.
    """
    n = len(segments)
    picked = [i]
    for step in (-1, 1):
        j = i + step
        while 0 <= j < n and abs(j - i) <= span and not _is_substantive(segments[j].text):
            j += step
        if 0 <= j < n and abs(j - i) <= span:
            picked.append(j)
    return sorted(picked)


# --- Features of the learned decision/action scorer (weights: ``weights.py``) -----------------

_LEXICAL_FEATURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, _rx(p))
    for name, p in (
        (
            "we_modal",
            r"\bwe (can|could|should|would|will|'ll|need|want|wanna|have to|just)\b|"
            r"\bwe'?(ll|d)\b",
        ),
        ("lets", r"\blet'?s\b"),
        (
            "it_will_be",
            r"\b(it|that|this|which|they|these) ?('ll|'s| will| would| should| could|"
            r"'d)? ?(be|have|go|need)\b",
        ),
        ("probably", r"\bprobably\b|\bdefinitely\b|\bjust\b"),
        (
            "settle",
            r"\b(decid\w*|decision|agree[ds]?|agreement|determined|committed|final\w*|"
            r"settled?|chose|choose|go (with|for)|stick with)\b",
        ),
        (
            "drop",
            r"\b(skip|drop|leave (it|that)|get rid|without|no more|not (have|use|include|"
            r"need))\b",
        ),
        ("keep", r"\b(keep|include|use|add|make it|put)\b"),
        ("think", r"\bI think\b|\bI guess\b"),
        ("hedge", r"\b(maybe|perhaps|might|possibly|not sure|I don't know)\b"),
        (
            "action_first",
            r"\bI('ll| will| am going to|'m going to|'m gonna)\b|\bI can\b|"
            r"\blet me\b",
        ),
        (
            "action_you",
            r"\byou('re| are)? (gonna|going to)\b|\byou('ll| will)\b|\byou (can|could|"
            r"should|have to|need to)\b|\b(can|could|would) you\b",
        ),
        ("supposed", r"\bsupposed to\b|\b(have|need) to\b"),
        (
            "next_mtg",
            r"\bnext (meeting|time|one)\b|\b(by|for|until|before) (the )?next\b|"
            r"\bafter (the )?(meeting|lunch)\b|\bmeantime\b",
        ),
        (
            "task_verb",
            r"\b(prepare|present|look into|look at|find out|research|send|write|fill|"
            r"draft|follow up|circulate|share|review|schedule|set up|contact|email|call|"
            r"work(ing)? on|come up with|think about|bring)\b",
        ),
        ("question", r"\?\s*$"),
    )
)
_ASSENT_RX = _rx(
    r"^\s*(?:(?:um+|uh+|oh|well|hmm+|ah|so)[,.!]?\s+)?(ok(ay)?|sure|yes|yeah|yep|great|perfect|"
    r"alright|right|fine|good|cool|absolutely|exactly|of course|sounds good|agreed|I agree|"
    r"that's (good|fine|great|cool)|mm-?hmm)\b"
)
_LEAD_RX = _rx(r"^(yeah|yes|okay|ok|right|so)\b")

FEATURE_NAMES: tuple[str, ...] = (
    *(name for name, _ in _LEXICAL_FEATURES),
    "log_words",
    "short",
    "start",
    "middle",
    "end",
    "chair",
    "assent_next",
    "salience",
    "content",
    "recap",
    "rare_terms",
    "long",
    "lead_content",
    "uptake",
    "cue_decision",
    "cue_action",
    *(f"da_{c}" for c in DA_CLASSES),
    "da_assess_next",
    "da_suggest_before",
    "da_commit_before",
    "words_decision",
    "words_action",
)


def chair_of(segments: Sequence[Segment]) -> str:
    """The chair: whoever talks most in the opening and closing tenth of the meeting."""
    n = len(segments)
    w = max(20, n // 10)
    edges: Counter[str] = Counter(s.speaker for s in segments[:w])
    edges.update(s.speaker for s in segments[-w:])
    return edges.most_common(1)[0][0]


def model_features(
    segments: Sequence[Segment],
    analysed: Sequence[SegmentFeatures] | None = None,
    lexicon: Lexicon | None = None,
) -> list[list[float]]:
    """One feature vector (in ``FEATURE_NAMES`` order) per segment for the learned scorer.

    Cue forms (on text without fillers), length, relative position (start / middle / end),
    whether the chair speaks, whether another speaker assents right after, topical salience,
    overlap with the wrap-up (words the last 15 % of the meeting comes back to), uptake of the
    previous speaker's words, the hand-set cue scores of ``analyse``, and the word model of
    ``lexicon`` (default: the shipped one): predicted dialogue act of the segment, whether
    another speaker assesses it next or suggested / committed just before, and the words'
    decision and action log-odds.
    """
    n = len(segments)
    if n == 0:
        return []
    assess, suggest, commit = (DA_CLASSES.index(c) for c in ("assess", "suggest", "commit"))
    hand = list(analysed) if analysed is not None else analyse(segments)
    chair = chair_of(segments)
    texts = [plain_text(s.text) for s in segments]
    lex = lexicon or shipped_lexicon()
    learned = [lex.scores(tokens(t, plain=True)) for t in texts]
    words = [
        {w for w in _WORD_RX.findall(t.lower()) if len(w) > 2 and w not in _STOP} for t in texts
    ]
    long_words = [{w for w in ws if len(w) > 3} for ws in words]
    df: Counter[str] = Counter(w for ws in words for w in ws)
    df_long: Counter[str] = Counter(w for ws in long_words for w in ws)
    salient_max = max(4.0, n / 15)
    wrap_up = {w for i in range(int(0.85 * n), n) for w in long_words[i]}
    out: list[list[float]] = []
    for i, seg in enumerate(segments):
        t = texts[i]
        n_words = len(t.split())
        row = [1.0 if rx.search(t) else 0.0 for _, rx in _LEXICAL_FEATURES]
        position = i / n
        assent = any(
            j < n
            and segments[j].speaker != seg.speaker
            and _ASSENT_RX.match(texts[j] or segments[j].text)
            for j in (i + 1, i + 2)
        )
        lw = long_words[i]
        recap = sum(1 for w in lw if w in wrap_up and 2 <= df_long[w] <= n / 10)
        rare = sum(1 for w in lw if 3 <= df_long[w] <= 10)
        uptake = (
            i > 0
            and segments[i - 1].speaker != seg.speaker
            and bool(lw & (long_words[i - 1] | long_words[max(0, i - 2)]))
        )
        row += [
            math.log1p(n_words),
            1.0 if n_words < 5 else 0.0,
            1.0 if position < 0.15 else 0.0,
            1.0 if 0.4 <= position < 0.85 else 0.0,
            1.0 if position >= 0.85 else 0.0,
            1.0 if seg.speaker == chair else 0.0,
            1.0 if assent else 0.0,
            min(4, sum(1 for w in words[i] if 4 <= df[w] <= salient_max)) / 4,
            min(8, len(words[i])) / 8,
            min(3, recap) / 3,
            min(4, rare) / 4,
            1.0 if n_words >= 10 else 0.0,
            1.0 if _LEAD_RX.match(t) and n_words >= 8 else 0.0,
            1.0 if uptake else 0.0,
            max(-2.0, min(4.0, hand[i].decision_score)) / 4,
            max(-2.0, min(4.0, hand[i].action_score)) / 4,
        ]
        da, dec, act = learned[i]
        after = [
            learned[j][0] for j in (i + 1, i + 2) if j < n and segments[j].speaker != seg.speaker
        ]
        before = [
            learned[j][0] for j in (i - 1, i - 2) if j >= 0 and segments[j].speaker != seg.speaker
        ]
        row += [
            *da,
            max((p[assess] for p in after), default=0.0),
            max((p[suggest] for p in before), default=0.0),
            max((p[commit] for p in before), default=0.0),
            max(-10.0, min(10.0, dec)) / 5,
            max(-10.0, min(10.0, act)) / 5,
        ]
        out.append(row)
    return out
