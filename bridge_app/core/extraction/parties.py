"""Contract parties: who the companies at the table are, and which side each one is on.

Parties come from

* self-introductions ("This is Dana from Brightline Data", "Priya here from Harborview
  Logistics", "I'm Sam, I lead procurement at Northwind Inc."): a capitalised multi-word name, a
  legal form or a business noun after "from/at/with/representing/on behalf of";
* "between X and Y" in a sentence about the agreement;
* names with a legal form (Inc, Ltd, LLC, GmbH, Corp, Co. …) in a sentence about the deal or
  tied to a role ("Quayside Software GmbH will be the provider").

Each distinct company (case, punctuation and legal form ignored) is one ``agreed_term`` with
``values.party = {"name", "role"}``. The role comes from the words next to the name when they
give one ("X as client", "the vendor, X"); otherwise from what the company's own speakers say
across the meeting (the speaker who introduced themselves with it, and colleagues they
introduced): "our fee", "we will deliver", "for your analysts" point to the provider; "our
budget", "procurement", "could you do …" to the client. Goods vocabulary ("order", "we can
ship") gives buyer/seller, and an NDA call disclosing/receiving. When the two sides are not
clearly apart, the role stays None rather than a guess.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bridge_app.core.extraction.grounding import evidence_for, merge_evidence
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_names import (
    LEGAL_SUFFIXES,
    NOT_COMPANY,
    PLACES,
    PartyMention,
    find_parties,
    role_near,
)
from bridge_app.core.transcript.model import Segment

_FIRST = r"\b(?:we|i)(?:'ll| will| can| could| would| are going to|'re going to)?\s+"
# Evidence that the speaker's side is the one named: weight per match (an explicit "we are the
# provider" counts three times).
_SIDE_CUES: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    "provider": (
        (
            re.compile(
                _FIRST + r"(deliver|build|provide|implement|develop|set up|migrate|train|"
                r"host|support|maintain|staff)\b",
                re.I,
            ),
            1.0,
        ),
        (
            re.compile(
                r"\bour (fee|rates?|price|pricing|quote|proposal|delivery|team will|"
                r"engineers|consultants|developers|platform|services?|product|offer)\b",
                re.I,
            ),
            1.0,
        ),
        (re.compile(r"\bwe (proposed|quoted|charge|bill|invoice)\b", re.I), 1.0),
        (
            re.compile(
                r"\b(for|to|train) your (analysts|team|users|staff|people|sites|engineers)\b", re.I
            ),
            1.0,
        ),
        (
            re.compile(
                r"\bwe('re| are) the (provider|vendor|contractor|consultant|supplier)s?\b", re.I
            ),
            3.0,
        ),
    ),
    "client": (
        (re.compile(r"\b(procurement|purchasing|our budget|budget approval)\b", re.I), 1.0),
        (
            re.compile(
                r"\byour (fee|rates?|price|pricing|quote|proposal|team|engineers|"
                r"consultants|platform|services?|product|offer)\b",
                re.I,
            ),
            1.0,
        ),
        (
            re.compile(
                _FIRST + r"(like to|want to|need to) (buy|order|purchase|hire|engage)\b", re.I
            ),
            1.0,
        ),
        (
            re.compile(r"\bour (scope|requirements|analysts|warehouses|sites|users|staff)\b", re.I),
            1.0,
        ),
        (
            re.compile(r"\b(could|can) you (do|go|come down|meet|include|lower|throw in)\b", re.I),
            1.0,
        ),
        (re.compile(r"\bwe('re| are) the (client|customer|buyer|purchaser)s?\b", re.I), 3.0),
    ),
    "seller": (
        (
            re.compile(
                r"\bwe (sell|stock|manufacture|make)\b|\b(we|i) can ship\b|\bin stock\b|"
                r"\bour (list price|catalog(ue)?|inventory|stock)\b",
                re.I,
            ),
            1.0,
        ),
        (re.compile(r"\bwe('re| are) the (seller|supplier|vendor)s?\b", re.I), 3.0),
    ),
    "buyer": (
        (
            re.compile(
                _FIRST + r"(like to|want to|need to) (order|buy|purchase)\b|\bpurchas(e|ing) "
                r"order\b|\bwe('ll| will) take \d+|\bwe need \d+|\border (of|for) \d+",
                re.I,
            ),
            1.0,
        ),
        (re.compile(r"\bwe('re| are) the (buyer|purchaser)s?\b", re.I), 3.0),
    ),
    "disclosing": (
        (
            re.compile(
                _FIRST + r"(share|disclose|show|give you access to|walk you through|send "
                r"you) (our|the|some of our|you our)\b",
                re.I,
            ),
            1.0,
        ),
        (
            re.compile(
                r"\bour (confidential|proprietary|source code|roadmap|designs?|formulas?|"
                r"customer data|trade secrets|pricing model)\b",
                re.I,
            ),
            1.0,
        ),
        (re.compile(r"\bwe('re| are) the disclosing party\b", re.I), 3.0),
    ),
    "receiving": (
        (
            re.compile(
                r"\byou(?:'ll| will| would| are going to|'re going to)?\s+(share|disclose|"
                r"send|show) (us|your)\b",
                re.I,
            ),
            1.0,
        ),
        (re.compile(_FIRST + r"(receive|review|evaluate|look at|get access to) your\b", re.I), 1.0),
        (
            re.compile(
                r"\byour (confidential|proprietary|source code|roadmap|designs?|data)\b", re.I
            ),
            1.0,
        ),
        (re.compile(r"\bwe('re| are) the receiving party\b", re.I), 3.0),
    ),
}
COUNTERPART = {
    "client": "provider",
    "customer": "vendor",
    "buyer": "seller",
    "purchaser": "seller",
    "licensee": "licensor",
    "receiving": "disclosing",
    "recipient": "disclosing",
    "provider": "client",
    "service provider": "client",
    "vendor": "customer",
    "supplier": "buyer",
    "contractor": "client",
    "consultant": "client",
    "seller": "buyer",
    "licensor": "licensee",
    "disclosing": "receiving",
}
_NDA_RX = re.compile(r"\b(nda|non-?disclosure|confidentiality agreement)\b", re.I)
_MUTUAL_RX = re.compile(r"\bmutual\b|\bboth (ways|directions|sides share)\b", re.I)
_SELF_INTRO_RX = re.compile(
    r"\b(this is|i'm|i am|my name is|here|we're|we are|i (work|run|lead|head|manage)|"
    r"joining|speaking|calling|representing|on behalf of)\b",
    re.I,
)
_PREP_BEFORE_RX = re.compile(r"\b(from|at|with|representing|on behalf of|for)\s+(the\s+)?$", re.I)
_COLLEAGUE_RX = re.compile(
    r"\b(?:with me (?:is|are|today is)|joined by|my colleagues?|and my colleague|along with)\s+"
    r"(?P<names>[A-Z][a-z]+(?:(?:,\s*|\s+and\s+)[A-Z][a-z]+)*)"
)
_DEAL_RX = re.compile(
    r"\b(agreement|contract|nda|deal|sow|statement of work|order|msa|amendment|parties|party|"
    r"entity|sign\w*|counterpart\w*|client|customer|vendor|supplier|provider|buyer|seller)\b",
    re.I,
)
_SUFFIX_RX = re.compile(
    r"[,.]?\s+(" + "|".join(re.escape(x) for x in LEGAL_SUFFIXES) + r")\.?$",
    re.I,
)


def party_key(name: str) -> str:
    """A company's identity: case, punctuation and the legal form ignored."""
    base = name.strip()
    while True:
        stripped = _SUFFIX_RX.sub("", base)
        if stripped == base:
            break
        base = stripped
    return re.sub(r"[^a-z0-9]+", " ", base.lower()).strip()


@dataclass(slots=True)
class _Party:
    name: str
    mentions: list[int] = field(default_factory=list)  # segment positions
    explicit_role: str | None = None
    role_segment: int | None = None
    speakers: set[str] = field(default_factory=set)
    how: set[str] = field(default_factory=set)


def _people(segs: Sequence[Segment]) -> frozenset[str]:
    out: set[str] = set()
    for s in segs:
        name = s.speaker.strip().lower()
        if name and not name.startswith("speaker"):
            out.add(name)
            out.add(name.split()[0])
    return frozenset(out)


def _counts(m: PartyMention, text: str) -> bool:
    """Whether a mention names a party to this deal rather than a company in passing."""
    if m.how in ("intro", "between"):
        return True
    before = text[: m.start]
    return bool(
        _DEAL_RX.search(text) or (_SELF_INTRO_RX.search(before) and _PREP_BEFORE_RX.search(before))
    )


def _collect(segs: Sequence[Segment]) -> tuple[dict[str, _Party], dict[str, str]]:
    """The companies named as parties and the speakers known to be from each."""
    people = _people(segs)
    parties: dict[str, _Party] = {}
    speaker_party: dict[str, str] = {}
    for i, seg in enumerate(segs):
        text = seg.text
        if not re.search(r"[A-Z]\w+\s+[A-Z]|\b(Inc|Ltd|LLC|GmbH|Corp|Co|AG|PLC|LLP)\b", text):
            continue  # no capitalised run and no legal form: no company name (fast path)
        for m in find_parties(text, people=people):
            if not _counts(m, text):
                continue
            key = party_key(m.name)
            if not key:
                continue
            p = parties.setdefault(key, _Party(m.name))
            if not p.mentions or p.mentions[-1] != i:
                p.mentions.append(i)
            p.how.add(m.how)
            if len(m.name) > len(p.name) and m.how == "legal":
                p.name = m.name  # the full legal name once it is said
            role = role_near(text, m.start, m.end)
            if role and p.explicit_role is None:
                p.explicit_role, p.role_segment = role, i
            self_intro = bool(
                _PREP_BEFORE_RX.search(text[: m.start]) and _SELF_INTRO_RX.search(text[: m.start])
            )
            if self_intro and seg.speaker and seg.speaker not in speaker_party:
                speaker_party[seg.speaker] = key
                p.speakers.add(seg.speaker)
                for c in _COLLEAGUE_RX.finditer(text):
                    for first in re.split(r",\s*|\s+and\s+", c.group("names")):
                        for other in {s.speaker for s in segs}:
                            if (
                                other
                                and other.split()[0].lower() == first.lower()
                                and (other not in speaker_party)
                            ):
                                speaker_party[other] = key
                                p.speakers.add(other)
    return parties, speaker_party


def party_terms(segs: Sequence[Segment]) -> list[Item]:
    """One ``agreed_term`` per company at the table, in order of first mention."""
    parties, speaker_party = _collect(segs)
    _add_frame_parties(segs, parties)
    sides = speaker_sides(segs, parties, speaker_party)
    speaker_party = {sp: k for sp, k in sides.items() if k in parties}
    if not parties:
        return []
    roles, role_segments = _infer_roles(segs, parties, speaker_party)
    roles.update(_contract_roles(segs, parties, sides))
    return _party_items(segs, parties, roles, role_segments)


def _add_frame_parties(segs: Sequence[Segment], parties: dict[str, _Party]) -> None:
    """Companies named in a deal frame ("X supplying Y", "the order form for X"), with the side
    the frame gives them."""
    people = _people(segs) | frozenset(
        w for s in segs for w in s.speaker.lower().split() if s.speaker
    )
    for name, role, i in _frame_candidates(segs, people):
        key = party_key(name)
        known = next((k for k in parties if k.startswith(key) or key.startswith(k)), None)
        if known is None:
            if len(parties) >= 2:
                continue
            p = parties.setdefault(key, _Party(name))
        else:
            p = parties[known]
        if i not in p.mentions:
            p.mentions.append(i)
            p.mentions.sort()
        p.how.add("frame")
        if role and p.explicit_role is None:
            p.explicit_role, p.role_segment = role, i


def _party_items(
    segs: Sequence[Segment],
    parties: dict[str, _Party],
    roles: dict[str, str],
    role_segments: dict[str, list[int]],
) -> list[Item]:
    """One ``agreed_term`` per party, with its side and the segments that show it."""
    if len(parties) == 2:
        # Two parties and one side said in words: the other one is its counterpart (this beats
        # an inferred side, which may come from another pair of words).
        (ka, a), (kb, b) = parties.items()
        if a.explicit_role and not b.explicit_role and a.explicit_role in COUNTERPART:
            roles[kb] = COUNTERPART[a.explicit_role]
            role_segments.pop(kb, None)
        elif b.explicit_role and not a.explicit_role and b.explicit_role in COUNTERPART:
            roles[ka] = COUNTERPART[b.explicit_role]
            role_segments.pop(ka, None)
        elif not a.explicit_role and not b.explicit_role:
            ra, rb = roles.get(ka), roles.get(kb)
            if ra and not rb and ra in COUNTERPART:
                roles[kb] = COUNTERPART[ra]
            elif rb and not ra and rb in COUNTERPART:
                roles[ka] = COUNTERPART[rb]
    items: list[Item] = []
    for key, p in parties.items():
        role = p.explicit_role or roles.get(key)
        ev = p.mentions[:2]
        if p.explicit_role is not None and p.role_segment is not None:
            ev = [p.mentions[0], p.role_segment]
        elif key in role_segments:
            ev = [p.mentions[0], *role_segments[key][:2]]
        evidence = merge_evidence(evidence_for(segs, ev[:1]), evidence_for(segs, ev[1:]))
        conf = 0.7
        if p.how & {"legal", "between"}:
            conf += 0.1
        if p.speakers:
            conf += 0.1  # someone at the table said they are from it
        if role is not None and p.explicit_role is None:
            conf -= 0.05  # the side is inferred from how its people talk
        first = segs[p.mentions[0]]
        said = f"{p.name}" + (f" as {role}" if role else "")
        items.append(
            Item(
                id=f"term-party-{first.segment_id}",
                kind="agreed_term",
                statement=f"Party: {said} (named by {first.speaker or 'a participant'}).",
                confidence=round(min(conf, 0.9), 3),
                evidence=evidence,
                owner=first.speaker or None,
                party=p.name,
                values={"party": {"name": p.name, "role": role}},
            )
        )
    return items


def _infer_roles(
    segs: Sequence[Segment], parties: dict[str, _Party], speaker_party: dict[str, str]
) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Sides of the parties from what their own speakers say (see the module docstring)."""
    if not speaker_party:
        return {}, {}
    score: dict[str, defaultdict[str, float]] = {k: defaultdict(float) for k in parties}
    where: dict[tuple[str, str], list[int]] = {}
    totals: defaultdict[str, float] = defaultdict(float)
    for i, seg in enumerate(segs):
        key = speaker_party.get(seg.speaker)
        if key is None:
            continue
        for side, cues_ in _SIDE_CUES.items():
            for rx, w in cues_:
                if rx.search(seg.text):
                    score[key][side] += w
                    totals[side] += w
                    where.setdefault((key, side), []).append(i)
    meeting = " ".join(s.text for s in segs)
    if _NDA_RX.search(meeting):
        if _MUTUAL_RX.search(meeting):
            return {}, {}
        pair = ("receiving", "disclosing")
    elif 0 < totals["buyer"] + totals["seller"] >= totals["client"] + totals["provider"]:
        pair = ("buyer", "seller")
    else:
        pair = ("client", "provider")
    low, high = pair
    lean = {k: score[k][high] - score[k][low] for k in parties if k in speaker_party.values()}
    roles: dict[str, str] = {}
    if len(lean) >= 2:
        ranked = sorted(lean, key=lambda k: lean[k])
        a, b = ranked[0], ranked[-1]
        if (lean[b] - lean[a] >= 2 and lean[b] > 0 > lean[a]) or (
            lean[b] - lean[a] >= 3 and (lean[b] > 0 or lean[a] < 0)
        ):
            roles[a], roles[b] = low, high
    elif len(lean) == 1:
        (k,) = lean
        if abs(lean[k]) >= 2:
            roles[k] = high if lean[k] > 0 else low
        others = [o for o in parties if o != k]
        if k in roles and len(others) == 1:
            roles[others[0]] = low if roles[k] == high else high
    role_segments = {k: where.get((k, r), []) for k, r in roles.items()}
    return roles, {k: v for k, v in role_segments.items() if v}


_WITH_ME_RX = re.compile(
    r"\b(with me|joining( us)?( too| as well| from)?|is joining|here too|is here|'s here|"
    r"on as well|on the call too|our [a-z]+( [a-z]+)? (lead|manager|engineer|director|officer|"
    r"counsel|team)|from our|our (cfo|ceo|cto|coo|vp|head|sales engineer))\b",
    re.I,
)
_ASK_COLLEAGUE_RX = re.compile(
    r"^(?:[^.?!]*[.?!]\s+)?(?P<name>[A-Z][a-z]+)(?:,\s*(any objections|do we care|thoughts|"
    r"what do you think|are you ok with that|happy with that|ok with you)[^?]*)?\?\s*$"
    r"|\bneed (?P<name2>[A-Z][a-z]+) to (ok|okay|approve|sign off)",
)
_OUR_COMPANY_RX = re.compile(
    r"\b(?:[Aa]t|[Ff]rom)\s+(?P<name>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}),?\s+we\b|"
    r"\b(?P<name2>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}) (?:would like|will contribute|has\b)"
)


def speaker_sides(
    segs: Sequence[Segment],
    parties: dict[str, _Party] | None = None,
    known: dict[str, str] | None = None,
) -> dict[str, str]:
    """Which side each speaker is on: the party key of their company when the meeting says it
    (their own introduction, a colleague introducing them — "Jess is joining too", "I have
    Karin, our category manager, with me" —, asking them for approval — "Raj, any
    objections?" —, or "at Sensicor we …"), else a group named after one of its speakers."""
    if parties is None or known is None:
        return dict(_meeting_sides(tuple((s.speaker, s.text) for s in segs)))
    speakers = [s for s in dict.fromkeys(seg.speaker for seg in segs) if s]
    first = {sp.split()[0].lower(): sp for sp in speakers}
    parent = {sp: sp for sp in speakers}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    party_of: dict[str, str] = dict(known)
    for seg in segs:
        sp = seg.speaker
        if not sp:
            continue
        text = seg.text
        for m in _OUR_COMPANY_RX.finditer(text):
            key = party_key(m.group("name") or m.group("name2"))
            if m.group("name2") and not re.search(r"\b(we|our|us)\b", text, re.I):
                continue
            match = next((k for k in parties if k.startswith(key) or key.startswith(k)), None)
            if match and sp not in party_of:
                party_of[sp] = match
        for s_text in re.split(r"(?<=[.!?])\s+", text):
            names = [
                first[w.lower()]
                for w in re.findall(r"\b[A-Z][a-z]+\b", s_text)
                if w.lower() in first
            ]
            names = [n for n in names if n != sp]
            if names and _WITH_ME_RX.search(s_text):
                for n in names:
                    union(sp, n)
        ask = _ASK_COLLEAGUE_RX.search(text.strip())
        if ask:
            name = (ask.group("name") or ask.group("name2") or "").lower()
            if name in first and first[name] != sp:
                union(sp, first[name])
    groups: dict[str, list[str]] = {}
    for sp in speakers:
        groups.setdefault(find(sp), []).append(sp)
    out: dict[str, str] = {}
    used: set[str] = set()
    unlabelled: list[list[str]] = []
    for members in groups.values():
        labels = [party_of[who] for who in members if who in party_of]
        if labels:
            label = max(set(labels), key=labels.count)
            used.add(label)
            for who in members:
                out[who] = party_of.get(who, label)
        else:
            unlabelled.append(members)
    free = [k for k in parties if k not in used]
    if len(unlabelled) == 1 and len(free) == 1:
        for who in unlabelled[0]:
            out[who] = free[0]
    else:
        for members in unlabelled:
            for who in members:
                out[who] = "group:" + members[0]
    return out


@functools.lru_cache(maxsize=4)
def _meeting_sides(lines: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``speaker_sides`` of a meeting given as (speaker, text) lines; cached because the
    parties, the terms and the commitments all ask for the same meeting's sides."""
    segs = [Segment(i, sp, float(i), float(i), text) for i, (sp, text) in enumerate(lines)]
    parties, known = _collect(segs)
    _add_frame_parties(segs, parties)
    return tuple(speaker_sides(segs, parties, known).items())


_CAPS = r"[A-Z][\w'-]*(?:\s+(?:and|&|of)\s+[A-Z][\w'-]*|\s+[A-Z][\w'-]*){0,3}"
# Sentences that name the two sides of the deal, with the side each name takes.
_FRAMES: tuple[tuple[re.Pattern[str], str | None, str | None], ...] = (
    (re.compile(rf"(?P<a>{_CAPS}) supplying (?P<b>{_CAPS})"), "seller", "buyer"),
    (re.compile(rf"(?P<a>{_CAPS}) to be the distributor for (?P<b>{_CAPS})"), "buyer", "seller"),
    (re.compile(rf"(?P<a>{_CAPS}) licensing (?:the )?(?P<b>{_CAPS})"), "licensee", "licensor"),
    (re.compile(rf"(?P<a>{_CAPS}) wants (?P<b>{_CAPS})"), "buyer", "seller"),
    (
        re.compile(
            rf"(?P<a>{_CAPS})'s (?:retainer|contract|subscription|licen[cs]e) with (?P<b>{_CAPS})"
        ),
        "client",
        "provider",
    ),
    (re.compile(rf"(?P<a>{_CAPS}) is the only one sharing"), "disclosing", None),
    (re.compile(rf"(?P<a>{_CAPS}) is (?:the one )?receiving"), "receiving", None),
    (
        re.compile(rf"(?P<a>{_CAPS}) (?:does|will do|takes on) the \w+ (?:in-house|itself)"),
        "client",
        None,
    ),
    (
        re.compile(
            rf"\b(?:amendment to the \w+|the MSA|the agreement|the contract) with (?P<a>{_CAPS})"
        ),
        None,
        None,
    ),
    (re.compile(rf"\b(?:[Aa]t|[Ff]or) (?P<a>{_CAPS}),? we\b"), None, None),
    (re.compile(rf"\b(?:the order form|the SOW|the NDA) for (?P<a>{_CAPS})"), None, None),
    (re.compile(rf"(?P<a>{_CAPS}) (?:would like|will contribute)\b"), None, None),
    (re.compile(r"(?P<a>[A-Z][\w'-]*(?:\s+(?:and|&)\s+|\s+)[A-Z][\w'-]*) has\b"), None, None),
)
_NOT_NAME_WORDS = frozenset(
    [
        "I",
        "We",
        "You",
        "They",
        "The",
        "This",
        "That",
        "So",
        "Okay",
        "OK",
        "Hi",
        "Hello",
        "Yes",
        "No",
        "And",
        "But",
        "Our",
        "Your",
        "Their",
        "Today",
        "Great",
        "Perfect",
        "Right",
        "Well",
        "Look",
        "Fair",
        "Then",
        "Also",
        "Now",
        "Oh",
        "Um",
        "Second",
        "First",
        "Term",
        "Price",
        "Scope",
        "Fee",
        "Payment",
        "Governing",
        "Delivery",
        "SSO",
        "MSA",
        "SOW",
        "NDA",
        "Can",
        "Could",
        "Would",
        "It",
        "Mine",
        "User",
        "Interface",
    ]
)


def _frame_candidates(
    segs: Sequence[Segment], people: frozenset[str]
) -> list[tuple[str, str | None, int]]:
    """(name, side or None, segment) for every company named in a deal frame."""
    out: list[tuple[str, str | None, int]] = []
    for i, seg in enumerate(segs):
        for rx, ra, rb in _FRAMES:
            for m in rx.finditer(seg.text):
                for g, role in (("a", ra), ("b", rb)):
                    if g not in rx.groupindex or not m.group(g):
                        continue
                    words = m.group(g).split()
                    while words and words[0] in _NOT_NAME_WORDS:
                        words.pop(0)
                    while words and words[-1].lower() in ("and", "of", "&"):
                        words.pop()
                    name = " ".join(words).removesuffix("'s")
                    if not name or all(w.lower().strip("'s") in people for w in words):
                        continue
                    if name.lower() in PLACES or name.split()[0] in NOT_COMPANY:
                        continue
                    out.append((name, role, i))
    return out


def _first_offer_side(segs: Sequence[Segment], sides: dict[str, str]) -> str | None:
    """The side that named the first price: the provider or seller."""
    from bridge_app.core.extraction.mentions import segment_mentions

    for i, seg in enumerate(segs):
        if not re.search(r"\d|thousand|million|hundred", seg.text):
            continue
        for m in segment_mentions(seg.text, None, None, False):
            if m.kind.startswith("money") and not m.context and m.key != "other_amount":
                mine = sides.get(seg.speaker, seg.speaker)
                if m.kind.endswith(":theirs"):
                    for j in range(i - 1, -1, -1):
                        other = sides.get(segs[j].speaker, segs[j].speaker)
                        if other != mine:
                            return other
                    return None
                return mine
    return None


def _contract_roles(
    segs: Sequence[Segment],
    parties: dict[str, _Party],
    sides: dict[str, str],
) -> dict[str, str]:
    """Sides from the contract type and the negotiation: the party that names the first price
    is the provider (seller, licensor); an NDA where one party shares is one-way."""
    if len(parties) != 2 or any(p.explicit_role for p in parties.values()):
        return {}
    meeting = " ".join(s.text for s in segs)
    if _NDA_RX.search(meeting):
        return {}
    seller = _first_offer_side(segs, sides)
    keys = list(parties)
    if seller not in keys:
        return {}
    buyer = keys[1] if seller == keys[0] else keys[0]
    if re.search(r"\blicen[cs]\w*", meeting, re.I) and re.search(
        r"\blicens(ing|or|ee)\b", meeting, re.I
    ):
        pair = ("licensor", "licensee")
    elif re.search(
        r"\b(order form|distribut\w*|supply\w*|seats?|units|sensors|purchase order)\b",
        meeting,
        re.I,
    ):
        pair = ("seller", "buyer")
    else:
        pair = ("provider", "client")
    return {seller: pair[0], buyer: pair[1]}
