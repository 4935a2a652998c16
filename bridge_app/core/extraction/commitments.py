"""Commitments: first-person and team commitments as action items, with owner, party and due.

A commitment is a sentence in which the speaker (or the speaker's team) takes on a task: "I'll
send the draft by Friday", "my team will send the list by the eighteenth", "I'm going to send
you the timeline", "You'll have the revised SOW from me on Monday", "we'll get the amendment
drafted". Its owner is the speaker (the person who said it) and its party the speaker's
company; its due date is resolved against the meeting date ("end of next week", "by the
tenth", "Tuesday the 3rd", "tomorrow"). Negotiating lines ("I can do $38", "I'll be honest, …",
"we'll leave it at net 45"), parking ("we'll leave it in brackets") and introductions are not
commitments.

In a business negotiation (the meeting has agreed terms), these commitments replace the learned
action scorer's picks, which favour negotiating lines there; elsewhere the learned picks stay
and only gain a party.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta

from bridge_app.core.extraction.date_values import weekday_from
from bridge_app.core.extraction.grounding import evidence_for
from bridge_app.core.extraction.mentions import segment_mentions
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.negotiation import PARK_RX
from bridge_app.core.extraction.numbers import find_ordinals
from bridge_app.core.extraction.party_names import party_key
from bridge_app.core.extraction.party_sides import speaker_sides
from bridge_app.core.extraction.sentences import is_question, sentences
from bridge_app.core.transcript.model import Segment

_COMMIT_RX = re.compile(
    r"\b(?:(?P<i>i'll|i will|i'm going to|i am going to|i'm gonna|let me)|"
    r"(?P<team>(?:my|our) (?:\w+ )?(?:team|lawyers|legal|people|engineers|accountants|finance|ops)"
    r"(?: will|'ll)|we'll|we will|we're going to|we are going to|\w+ and i will|\w+ and i'll))"
    r"\s+(?:also\s+|then\s+|just\s+|definitely\s+|quickly\s+)?(?P<verb>[a-z]+)",
    re.I,
)
_FROM_ME_RX = re.compile(
    r"\byou'll (?:have|get|receive) (?P<what>.+?) from (?:me|us|my team|our side)\b"
    # Commitments said without "I'll": "expect the PO from us on Monday", "the order form is on
    # me", "I can have that to you by Wednesday".
    r"|\bexpect (?P<exp>.+?) from (?:me|us|my team|our side|our end)\b"
    r"|\b(?P<mine>(?:the|a|our|your) [\w -]{3,40}?) (?:is|are) on me\b"
    r"|\b(?:i|we|my team|our team) can (?:have|get) (?P<can>.+?) (?:to you|over to you|over|ready|"
    r"across|back to you|done)\b"
    # "The revised SOW will be with you on Monday", "the list … will come from me", "our
    # purchase order follows", "the credit application form goes out from me"
    r"|\b(?P<sent>(?:the|our|my|a) [\w ,'-]{3,60}?) (?:will be with you|will come from (?:me|us)|"
    r"(?:will )?follows?\b|(?:goes|will go) out from (?:me|us))",
    re.I,
)
# Said with a deadline only: "expect that tomorrow", "You'll have an answer by Friday".
_DUE_COMMIT_RX = re.compile(
    r"\bexpect (?:that|it|them|this|those)\b|\byou'll (?:have|get) (?:an answer|it|that|them|"
    r"(?:the|our|my) \w+(?: \w+){0,3})\b|\blet me come back to you\b",
    re.I,
)
# "That one's on me.": the task is what was asked just before.
_ON_ME_RX = re.compile(r"^\W*(?:that|this|it)(?: one)?(?:'s| is) on me\b", re.I)
_TASK_VERBS = frozenset(
    [
        "send",
        "get",
        "raise",
        "put",
        "pull",
        "set",
        "arrange",
        "take",
        "confirm",
        "check",
        "ask",
        "come",
        "share",
        "draft",
        "prepare",
        "follow",
        "book",
        "schedule",
        "circulate",
        "review",
        "provide",
        "give",
        "own",
        "look",
        "find",
        "write",
        "update",
        "forward",
        "introduce",
        "loop",
        "run",
        "organise",
        "organize",
        "sort",
        "chase",
        "email",
        "call",
        "reach",
        "make",
        "turn",
        "deliver",
        "submit",
        "file",
        "do",
        "bring",
        "walk",
        "line",
        "sound",
        "talk",
        "speak",
        "build",
        "configure",
        "install",
        "test",
        "issue",
        "sign",
        "countersign",
        "return",
        "compile",
        "gather",
        "collect",
        "produce",
        "contact",
        "ping",
        "brief",
        "nominate",
        "list",
        "hand",
        "upload",
        "present",
        "scope",
        "document",
        "have",
        "pass",
        "dig",
        "figure",
        "work",
    ]
)
_NOT_COMMIT_RX = re.compile(
    r"\b(i'll be (honest|frank|brief|quick)|i'll stop there|leave it at|leave it in brackets|"
    r"flag it|i'll take it from here|we'll see|i'll take (that|it) as|i'll let you|"
    r"we'll also (provide|offer|include|give|supply|throw)|we'll (provide|supply|include) |"
    r"(we|i)'ll need|we'll leave|we'll do the kickoff|we'll have you|(we|i)'ll have to|"
    r"we'll also (run|do|cover|add|bundle)|turn (the|my) (video|camera|mic)|"
    r"(put|keep|leave) (it|that|this) in (square )?brackets|bring \w+ up again|raise it again|"
    r"work with (that|it|this)|have a (deal|think)|i'll have (a|the) \w+ (please|thanks)|"
    r"hang on|one sec|give me a (sec|second|moment)|take it personally|look at it again|"
    r"(write|put|word) it that way)\b",
    re.I,
)
_MONTHS = {m.lower(): k for k, m in enumerate(calendar.month_name) if m}


def due_date(text: str, meeting_date: date | None) -> tuple[str, str] | None:
    """The deadline of a commitment as ``(iso_date, phrase)``, resolved against the meeting
    date; None without one (or without a meeting date for a relative deadline)."""
    low = text.lower()
    base = meeting_date
    m = re.search(
        rf"\b(?:by|on|before|for)?\s*(?:({'|'.join(_MONTHS)})\s+(?:the\s+)?)?"
        r"(?:(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?(?:the\s+)?"
        r"((?:\d{1,2}(?:st|nd|rd|th))|(?:twenty|thirty)[- ]\w+|first|second|third|fourth|fifth|"
        r"sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|"
        r"sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\b",
        low,
    )
    if m and (
        m.group(1) or m.group(2) or re.search(r"\b(by|on|before)\s+the\s*$", low[: m.start(3)])
    ):
        days = find_ordinals(m.group(3))
        if days and base is not None:
            day = days[0][0]
            if m.group(1):
                month = _MONTHS[m.group(1)]
                year = base.year if (month, day) >= (base.month, base.day) else base.year + 1
                try:
                    return date(year, month, day).isoformat(), m.group(0).strip()
                except ValueError:
                    return None
            d = base
            for _ in range(62):
                if d.day == day and d >= base:
                    return d.isoformat(), m.group(0).strip()
                d += timedelta(days=1)
    if base is None:
        return None
    if re.search(r"\btoday\b|\bby end of day\b|\btonight\b", low):
        return base.isoformat(), "today"
    if re.search(r"\btomorrow\b", low):
        return (base + timedelta(days=1)).isoformat(), "tomorrow"
    if re.search(r"\bend of (the )?next week\b", low):
        friday = base + timedelta(days=(4 - base.weekday()) % 7)
        return (friday + timedelta(days=7)).isoformat(), "end of next week"
    if re.search(r"\b(end of (the|this) week|this week)\b", low):
        return (base + timedelta(days=(4 - base.weekday()) % 7)).isoformat(), "end of the week"
    if re.search(r"\bend of (the|this) month\b", low):
        last = calendar.monthrange(base.year, base.month)[1]
        return date(base.year, base.month, last).isoformat(), "end of the month"
    wd = re.search(
        r"\b(?:by|on|before|until|this|next)?\s*(monday|tuesday|wednesday|thursday|friday)\b", low
    )
    if wd:
        said = low[wd.start() : wd.end()].strip()
        due = weekday_from(base, wd.group(1), next_week=said.startswith("next"))
        return due.isoformat(), wd.group(0).strip()
    return None


_DOCUMENT_VERBS = frozenset(
    [
        "send",
        "get",
        "raise",
        "put",
        "pull",
        "set",
        "arrange",
        "confirm",
        "check",
        "ask",
        "draft",
        "prepare",
        "share",
        "circulate",
        "forward",
        "write",
    ]
)
_ANAPHORIC_RX = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:i'll|i will|we'll|i'm going to|let me|\w+ and i will)\s+(?:\w+)\s+"
    r"(?:them|that|it|this|"
    r"by|on|before|tomorrow|later|back|out)\b",
    re.I,
)


_ANY_DAY = date(2000, 1, 3)


def _is_commitment(sentence: str, text: str) -> bool:
    if _NOT_COMMIT_RX.search(sentence) or is_question(sentence):
        return False
    m = _COMMIT_RX.search(sentence)
    if m:
        verb = m.group("verb").lower()
        if verb not in _TASK_VERBS:
            return False
        # A figure said in it makes it a negotiating line ("I can do $38 …", "we'll put sixty
        # thousand euros towards launch marketing"), unless a document is sent.
        said = segment_mentions(sentence, None, None, False)
        money = [
            x
            for x in said
            if x.kind.startswith("money") and x.key in (None, "price", "unit_price", "other_amount")
        ]
        if verb in _DOCUMENT_VERBS:
            return not money or verb in ("send", "share", "forward", "circulate", "write", "draft")
        if verb in ("take", "do") and said:
            return False  # "We'll take sixty days without a guarantee": a term, not a task
        if PARK_RX.search(sentence):
            return False
        if m.group(1) and m.group(1).lower() == "let me" and verb not in ("send", "check", "get"):
            return False
        return not money
    if _FROM_ME_RX.search(sentence) or _ON_ME_RX.search(sentence):
        return True
    # Any day will do to ask whether a deadline is said ("tomorrow", "by Friday").
    return bool(_DUE_COMMIT_RX.search(sentence)) and due_date(sentence, _ANY_DAY) is not None


def _refers_back(sentence: str) -> bool:
    """A commitment whose task was said before it: "I'll confirm that by Friday", "That one's
    on me", "You'll have an answer by Friday", "I'll ask the fleet team."."""
    return bool(
        _ANAPHORIC_RX.search(sentence)
        or _ON_ME_RX.search(sentence)
        or _DUE_COMMIT_RX.search(sentence)
        or re.search(r"\bcan (?:have|get) (?:that|it|this|them|those)\b", sentence, re.I)
        or len(sentence.split()) <= 5
    )


def _with_antecedent(
    segs: Sequence[Segment], i: int, sents: Sequence[tuple[int, str]], k: int, sentence: str
) -> tuple[str, list[int]]:
    """The commitment with what it refers to: the question just asked when it answers one
    ("Can we move the unit …?" — "That one's on me."), else the sentence before it."""
    answers = _ON_ME_RX.search(sentence) or _DUE_COMMIT_RX.search(sentence) or k == 0
    if answers:
        for j in range(i - 1, max(-1, i - 4), -1):
            qs = [q for _, q in sentences(segs[j].text) if is_question(q) and len(q.split()) >= 5]
            if qs and segs[j].speaker != segs[i].speaker:
                return qs[-1].strip() + " " + sentence.strip(), [j, i]
    if k > 0:
        return sents[k - 1][1].strip() + " " + sentence.strip(), [i]
    if i > 0:
        return sentences(segs[i - 1].text)[-1][1].strip() + " " + sentence.strip(), [i - 1, i]
    return sentence, [i]


def find_commitments(
    segs: Sequence[Segment], meeting_date: date | None, sides: dict[str, str], names: dict[str, str]
) -> list[Item]:
    """Every commitment sentence of the meeting as an ``action_item``."""
    out: list[Item] = []
    for i, seg in enumerate(segs):
        sents = sentences(seg.text)
        previous_committed = False  # whether the sentence before this one was a commitment
        for k, (_, sentence) in enumerate(sents):
            committed = _is_commitment(sentence, seg.text)
            follows, previous_committed = previous_committed, committed
            if not committed:
                continue
            due = due_date(sentence, meeting_date)
            if follows and _refers_back(sentence):
                # "That one's on me. You'll have an answer by Friday.": one task.
                last = out[-1]
                last.statement += " " + sentence.strip()
                if due and last.due is None:
                    last.due, last.values = due[0], {"due_text": due[1]}
                continue
            ev = [i]
            said = sentence
            if _refers_back(sentence):
                said, ev = _with_antecedent(segs, i, sents, k, sentence)
            statement = re.sub(
                r"^\s*(and|so|ok(ay)?|great|perfect|also)[,\s]+", "", said.strip(), flags=re.I
            )
            statement = statement[:1].upper() + statement[1:]
            party = names.get(sides.get(seg.speaker, ""))
            values = {"due_text": due[1]} if due else {}
            out.append(
                Item(
                    id=f"act-{seg.segment_id}",
                    kind="action_item",
                    statement=statement,
                    confidence=0.8 if due else 0.7,
                    evidence=evidence_for(segs, ev),
                    owner=seg.speaker or None,
                    party=party,
                    due=due[0] if due else None,
                    values=values,
                )
            )
    return out


def with_commitments(
    items: list[Item], segs: Sequence[Segment], meeting_date: date | None
) -> list[Item]:
    """``items`` with the meeting's commitments: in a business negotiation they replace the
    learned action picks; otherwise the learned picks stay."""
    terms = [it for it in items if it.kind == "agreed_term"]
    # A business negotiation: two companies at the table (AMI-style design meetings name none),
    # or one named in a talk about a contract document (the other side's name never said in
    # full; a design meeting's "the agreement" or "the licence" is not enough: on the AMI
    # training meetings that cost the learned action picks 0.02 F1).
    named = sum(1 for it in terms if "party" in it.values)
    if named < 2 and not (named == 1 and _DEAL_DOCUMENT_RX.search(" ".join(s.text for s in segs))):
        return items
    sides = speaker_sides(segs)
    names: dict[str, str] = {}
    for it in terms:
        party = it.values.get("party")
        if isinstance(party, dict) and party.get("name"):
            names[party_key(str(party["name"]))] = str(party["name"])
    found = find_commitments(segs, meeting_date, sides, names)
    if len(found) < 2:
        return items
    # Open questions: the tracker's unsettled terms stay; the generic ones make way for the
    # questions the meeting really left open.
    kept = [
        it
        for it in items
        if it.kind != "action_item"
        and not (it.kind == "open_question" and not it.values.get("term"))
    ]
    return kept + found + find_open_questions(segs)


_DEAL_DOCUMENT_RX = re.compile(
    r"\b(nda|non-?disclosure|sow|statement of work|order form|term sheet|msa|master services|"
    r"purchase order|governing law|payment terms)\b",
    re.I,
)
_LEFT_OPEN_RX = re.compile(
    r"\b(leave (that|this|it)( one)? (as an )?open( question)?|keep (that|this|it)( one)? open|"
    r"(note|mark|park|flag) (that|this|it)( one)? as (an )?open|"
    r"open (point|question)|(that's|it's|that is) (still )?open|let's leave (that|it) open|"
    r"leave that open|i don't (have an answer|know which)|haven't solved|let me think about it|"
    r"we'll leave that open)\b",
    re.I,
)
_UNSURE_RX = re.compile(
    r"\b(not sure|don't know|no idea|i'd have to check|i'd need to (check|see)|have to confirm|"
    r"let me (confirm|check) with|before i promise|i'd have to price|need to check with|"
    r"don't have an answer|separate conversation|not in the current)\b",
    re.I,
)


def find_open_questions(segs: Sequence[Segment]) -> list[Item]:
    """Questions the meeting leaves open: one that is answered with "not sure" / "I'd have to
    check" or explicitly left open ("let's leave that open", "an open point"), and not a
    counter-offer ("Could we do net 45?" is a proposal, handled by the negotiation)."""
    out: list[Item] = []
    used: set[int] = set()
    for i, seg in enumerate(segs):
        if not (_LEFT_OPEN_RX.search(seg.text) or _UNSURE_RX.search(seg.text)):
            continue
        # The question this answers: the nearest question sentence at or before it.
        for j in range(i, max(-1, i - 4), -1):
            qs = [s for _, s in sentences(segs[j].text) if is_question(s)]
            qs = [q for q in qs if len(q.split()) >= 4 and not _COUNTER_RX.search(q)]
            if not qs or j in used:
                continue
            if j == i and not _LEFT_OPEN_RX.search(seg.text):
                continue
            confirmed = any(
                _LEFT_OPEN_RX.search(segs[k].text) or _UNSURE_RX.search(segs[k].text)
                for k in range(j, min(len(segs), j + 4))
                if k != j or _LEFT_OPEN_RX.search(segs[k].text)
            )
            if not confirmed:
                break
            used.add(j)
            question = qs[-1].strip()
            out.append(
                Item(
                    id=f"oq-{segs[j].segment_id}",
                    kind="open_question",
                    statement=question[:1].upper() + question[1:],
                    confidence=0.6 if _LEFT_OPEN_RX.search(seg.text) else 0.5,
                    evidence=evidence_for(segs, sorted({j, i})),
                    owner=segs[j].speaker or None,
                )
            )
            break
    return out


# A question that proposes a value is a counter-offer, not an open question.
_COUNTER_RX = re.compile(
    r"\b(could (we|you) (do|say|go)|what about|how about|would you (take|accept|do)|can we do|"
    r"net \w+\?|\d+\s*\?$)",
    re.I,
)
