"""The companies a meeting names as parties to the deal, and the speakers known to be from each:
self-introductions, "between X and Y", names with a legal form in a sentence about the deal, and
deal frames ("X supplying Y", "the order form for X") with the side the frame gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bridge_app.core.extraction.party_names import (
    BUSINESS_NOUNS,
    LEGAL_SUFFIXES,
    NOT_COMPANY,
    PLACES,
    PartyMention,
    find_parties,
    party_key,
    role_near,
)
from bridge_app.core.extraction.value_words import CONTRACT_TALK_RX
from bridge_app.core.transcript.model import Segment

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


@dataclass(slots=True)
class Party:
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


def collect_parties(segs: Sequence[Segment]) -> tuple[dict[str, Party], dict[str, str]]:
    """The companies named as parties and the speakers known to be from each."""
    people = _people(segs)
    parties: dict[str, Party] = {}
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
            p = parties.setdefault(key, Party(m.name))
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


def add_frame_parties(segs: Sequence[Segment], parties: dict[str, Party]) -> None:
    """Companies named in a deal frame ("X supplying Y", "the order form for X"), with the side
    the frame gives them."""
    people = _people(segs) | frozenset(
        w for s in segs for w in s.speaker.lower().split() if s.speaker
    )
    # A frame without a side ("Kevin Murphy has developed …") names a company only when the
    # meeting is about a contract or companies are already at the table.
    deal_talk = bool(parties) or bool(CONTRACT_TALK_RX.search(" ".join(s.text for s in segs)))
    for name, role, i in _frame_candidates(segs, people):
        key = party_key(name)
        known = next((k for k in parties if k.startswith(key) or key.startswith(k)), None)
        if known is None:
            if len(parties) >= 2 or (role is None and not deal_talk):
                continue
            p = parties.setdefault(key, Party(name))
        else:
            p = parties[known]
        if i not in p.mentions:
            p.mentions.append(i)
            p.mentions.sort()
        p.how.add("frame")
        if role and p.explicit_role is None:
            p.explicit_role, p.role_segment = role, i


# A run of capitalised words, joined by "&" ("Tansy & Holt"), that may name a company.
_NAME_RUN_RX = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:&\s+)?[A-Z][\w'-]*){0,3}")


def _company_names(segs: Sequence[Segment], people: frozenset[str]) -> dict[str, list[int]]:
    """Company-like names said anywhere in the meeting (ending in a business noun or a legal
    form, or "X & Y"), each with the segments that name it in full or by its first word alone
    ("Tallowmere Freight" … "Tallowmere")."""
    full: dict[str, list[int]] = {}
    for i, seg in enumerate(segs):
        for m in _NAME_RUN_RX.finditer(seg.text):
            words = [w.removesuffix("'s") for w in m.group(0).split()]
            while words and (words[0] in _NOT_NAME_WORDS or words[0] in NOT_COMPANY):
                words.pop(0)
            if len(words) < 2 or words[0].lower() in people or words[0] == "&":
                continue
            last = words[-1].rstrip(".")
            if not (last in BUSINESS_NOUNS or last in LEGAL_SUFFIXES or "&" in words[1:-1]):
                continue
            name = " ".join(words)
            if name.lower() in PLACES or any(w in NOT_COMPANY for w in words):
                continue
            rows = full.setdefault(name, [])
            if i not in rows:
                rows.append(i)
    out: dict[str, list[int]] = {}
    for name, rows in full.items():
        first = name.split()[0]
        alias_rx = re.compile(rf"\b{re.escape(first)}\b")
        alias_rows = [i for i, seg in enumerate(segs) if alias_rx.search(seg.text)]
        out[name] = sorted(set(rows) | set(alias_rows))
    return out


# A company named by what it does in the deal, even without a business noun: "Varmedal sent
# over the quote", "Ginestrelli has decided", "roll Corravin out", "Hollowmere's master services
# agreement".
_DEAL_DOER_RX = re.compile(
    r"\b(?P<a>[A-Z][a-z][\w-]*(?:\s+(?:&\s+)?[A-Z][a-z][\w-]*){0,2})(?:'s)?\s+"
    r"(?:sent (?:over|through|us)|has (?:decided|agreed|asked|signed)|is the only (?:side|party|"
    r"one)|(?:order form|quote|proposal|master services agreement|msa|retainer|sow|statement of "
    r"work|subscription|licen[cs]e|platform|software)\b)"
    r"|\broll(?:s|ing)? (?P<b>[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){0,2}) out\b"
    r"|\b(?:agreement|contract|deal|retainer) with (?P<c>[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z]"
    r"[\w'-]*){0,2})"
    # "from Kaldmark we sent you the quote", "At Brisk we usually sign for three years"
    r"|\b(?:from|at) (?P<d>[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){0,2}),? we(?:'ve|'d)? "
    r"(?:sent|quoted|offer|usually|normally|always|sell|provide|supply|licen[cs]e|need|want)\b"
)


def _deal_doers(segs: Sequence[Segment], people: frozenset[str]) -> dict[str, list[int]]:
    """Names in a deal frame (see ``_DEAL_DOER_RX``) with the segments that say them."""
    out: dict[str, list[int]] = {}
    for i, seg in enumerate(segs):
        for m in _DEAL_DOER_RX.finditer(seg.text):
            name = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").strip()
            words = name.split()
            while words and (words[0] in _NOT_NAME_WORDS or words[0] in NOT_COMPANY):
                words.pop(0)
            name = " ".join(words)
            if (
                not name
                or any(w.lower() in people for w in words)
                or name.lower() in PLACES
                or any(w in NOT_COMPANY for w in words)
            ):
                continue
            rows = out.setdefault(name, [])
            if i not in rows:
                rows.append(i)
    return out


def known_party(parties: dict[str, Party], name: str) -> str | None:
    """The party a name said in passing refers to: its full key or a prefix of it, after
    dropping words around the name ("Brisk Lantern" → "brisk lantern software"; "Tallowmere
    drivers", "So, Varmedal")."""
    words = name.split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            key = party_key(" ".join(words[start : start + size]))
            found = next(
                (k for k in parties if key and (k == key or k.startswith(key + " "))), None
            )
            if found:
                return found
    return None


def add_named_parties(segs: Sequence[Segment], parties: dict[str, Party]) -> None:
    """In a contract talk with fewer than two parties found, the company names said most often
    ("so Merrowby Haulage Group can roll Corravin out") are the other parties: a deal has two
    sides, and the companies at the table are the ones the meeting keeps naming."""
    if len(parties) >= 2 or not CONTRACT_TALK_RX.search(" ".join(s.text for s in segs)):
        return
    people = _people(segs) | frozenset(
        w for s in segs for w in s.speaker.lower().split() if s.speaker
    )
    ranked = sorted(_company_names(segs, people).items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
    ranked += sorted(_deal_doers(segs, people).items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
    for name, rows in ranked:
        if len(parties) >= 2:
            break
        key = party_key(name)
        if not key or any(
            k.startswith(key) or key.startswith(k) or set(key.split()) <= set(k.split())
            for k in parties
        ):
            continue
        parties[key] = Party(name, mentions=rows, how={"named"})


_CAPS = r"[A-Z][\w'-]*(?:\s+(?:and|&|of)\s+[A-Z][\w'-]*|\s+[A-Z][\w'-]*){0,3}"
# Sentences that name the two sides of the deal, with the side each name takes.
_FRAMES: tuple[tuple[re.Pattern[str], str | None, str | None], ...] = (
    (re.compile(rf"(?P<a>{_CAPS}) supplying (?P<b>{_CAPS})"), "seller", "buyer"),
    (
        re.compile(rf"(?P<a>{_CAPS}) to be the (?:distributor|reseller) (?:for|of) (?P<b>{_CAPS})"),
        "buyer",
        "seller",
    ),
    # "Ledgerline Partners does Hollybush Brewing's payroll", "Bramblecrest Digital does SEO and
    # the blog content for Tamsin Lane"
    (re.compile(rf"(?P<a>{_CAPS}) does (?P<b>{_CAPS})'s\b"), "provider", "client"),
    (
        re.compile(rf"(?P<a>{_CAPS}) does [\w-]+(?: [\w-]+){{0,6}} for (?P<b>{_CAPS})"),
        "provider",
        "client",
    ),
    # One-way NDAs: "X is on the receiving end", "with X receiving", "X as the recipient",
    # "X is handing over its store P&Ls".
    (
        re.compile(
            rf"(?P<a>{_CAPS}),? (?:is on the receiving end|as the (?:recipient|receiving party))"
        ),
        "receiving",
        None,
    ),
    (re.compile(rf"\bwith (?P<a>{_CAPS}) receiving\b"), "receiving", None),
    (
        re.compile(rf"(?P<a>{_CAPS}) is (?:handing over|disclosing|sharing) its\b"),
        "disclosing",
        None,
    ),
    (
        re.compile(rf"(?P<a>{_CAPS}) to (?:distribute|resell|stock) (?:the )?(?P<b>{_CAPS})"),
        "buyer",
        "seller",
    ),
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
