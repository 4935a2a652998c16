"""Which side of the table each speaker is on: the party of their company when the meeting says
it (their own introduction, a colleague introducing them, asking them for approval, "at
Sensicor we …"), else a group named after one of its speakers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bridge_app.core.extraction.party_collect import (
    Party,
    add_frame_parties,
    add_named_parties,
    collect_parties,
    known_party,
)
from bridge_app.core.extraction.party_names import (
    party_key,
)
from bridge_app.core.extraction.sentences import sentences
from bridge_app.core.transcript.model import Segment

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
# A speaker placing themselves at a company in their own words: "I look after operations at
# Tallowmere", "I'll be running delivery on the Brisk Lantern side", "Aroha here, Tasman Ridge".
_FIRST_PERSON_RX = re.compile(r"\b(I|I'm|I'll|I've|my|me|we|we're|we'll|our|us)\b")
# "On our side, Groenmeer will …": the speaker's own company.
_OUR_SIDE_RX = re.compile(
    r"\b(?:on our side|for our part|here at|we at|us at),?\s+"
    r"(?P<name>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3})"
)
# "Marcus looks after IT across all our clinics", "Lucia handles our vendor contracts": a
# colleague named with what they do for the speaker's company.
_COLLEAGUE_ROLE_RX = re.compile(
    r"(?:^\s*|\band\s+|,\s*)(?P<name>[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?\s+(?:looks after|handles|runs|"
    r"leads|heads up|heads|manages|owns|is our|is my|works (?:in|on) our)\b[^.?!]*\b(?:our|my|"
    r"for us)\b"
)
_AT_COMPANY_RX = re.compile(
    r"\b(?:at|from|representing|on behalf of|work(?:s|ing)? for|on the|for us at|here at|"
    r"over at|here from|(?:side|part|team|division|arm) of)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w&'-]*(?:\s+(?:&\s+)?[A-Z][\w&'-]*){0,3})"
    r"(?P<side>\s+(?:side|end|team))?"
)
# A speaker addressing the other company: "your Tallowmere drivers", "you at Corravin".
_YOUR_COMPANY_RX = re.compile(
    r"\b(?:your|you at|you guys at|you folks at|you at the)\s+"
    r"(?P<name>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3})"
)
_OUR_COMPANY_RX = re.compile(
    r"\b(?:[Aa]t|[Ff]rom)\s+(?P<name>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}),?\s+we\b|"
    r"\b(?P<name2>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}) (?:would like|will contribute|has\b)"
)


def speaker_sides(
    segs: Sequence[Segment],
    parties: dict[str, Party] | None = None,
    known: dict[str, str] | None = None,
) -> dict[str, str]:
    """Which side each speaker is on: the party key of their company when the meeting says it
    (their own introduction, a colleague introducing them — "Jess is joining too", "I have
    Karin, our category manager, with me" —, asking them for approval — "Raj, any
    objections?" —, or "at Sensicor we …"), else a group named after one of its speakers."""
    if parties is None or known is None:
        return dict(meeting_sides(tuple((s.speaker, s.text) for s in segs)))
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
    named_by: dict[str, str] = {}  # colleague -> the speaker who said they are with them
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
        for _, s_text in sentences(text):
            for m in _OUR_SIDE_RX.finditer(s_text):
                match = known_party(parties, m.group("name"))
                if match and sp not in party_of:
                    party_of[sp] = match
            for m in _COLLEAGUE_ROLE_RX.finditer(s_text):
                name = m.group("name").lower()
                if name in first and first[name] != sp:
                    union(sp, first[name])
                    named_by.setdefault(first[name], sp)
            if sp not in party_of and _FIRST_PERSON_RX.search(s_text):
                for m in _AT_COMPANY_RX.finditer(s_text):
                    if m.group(0).startswith("on the") and not m.group("side"):
                        continue  # "on the Friday call": only "on the X side" places a speaker
                    match = known_party(parties, m.group("name"))
                    if match:
                        party_of[sp] = match
                        break
            for m in _YOUR_COMPANY_RX.finditer(s_text):
                match = known_party(parties, m.group("name"))
                others = [k for k in parties if k != match]
                if match and len(others) == 1 and sp not in party_of:
                    party_of[sp] = others[0]
            names = [
                first[w.lower()]
                for w in re.findall(r"\b[A-Z][a-z]+\b", s_text)
                if w.lower() in first
            ]
            names = [n for n in names if n != sp]
            if names and _WITH_ME_RX.search(s_text):
                for n in names:
                    union(sp, n)
                    named_by.setdefault(n, sp)
        ask = _ASK_COLLEAGUE_RX.search(text.strip())
        if ask:
            name = (ask.group("name") or ask.group("name2") or "").lower()
            if name in first and first[name] != sp:
                union(sp, first[name])
                named_by.setdefault(first[name], sp)
    groups: dict[str, list[str]] = {}
    for sp in speakers:
        groups.setdefault(find(sp), []).append(sp)
    out: dict[str, str] = {}
    used: set[str] = set()
    unlabelled: list[list[str]] = []
    for members in groups.values():
        labels = [party_of[who] for who in members if who in party_of]
        if labels:
            # The most named company; a tie goes to the one named first (never to set order,
            # which changes from run to run).
            label = max(dict.fromkeys(labels), key=labels.count)
            used.update(labels)
            for who in members:
                # "Hello Pieter, Hugo is with me": Hugo is on the side of whoever said so,
                # also when the greeting put Pieter of the other company in the same group.
                out[who] = party_of.get(who) or party_of.get(named_by.get(who, ""), label)
        else:
            unlabelled.append(members)
    free = [k for k in parties if k not in used]
    if len(unlabelled) == 1 and len(free) == 1:
        for who in unlabelled[0]:
            out[who] = free[0]
    elif len(parties) == 2 and unlabelled:
        # Two companies at the table: a speaker answering "your proposal says …" from one
        # side, or saying it to them, is on the other side.
        for group, side in _across(segs, out, unlabelled, list(parties)).items():
            for who in group:
                out[who] = side
        for members in unlabelled:
            for who in members:
                out.setdefault(who, "group:" + members[0])
    else:
        for members in unlabelled:
            for who in members:
                out[who] = "group:" + members[0]
    return out


_YOUR_RX = re.compile(
    r"\byour (proposal|quote|offer|price|pricing|fee|draft|paper|template|team|side|standard|"
    r"list price|terms|number|budget|board|system|company|business|end|people|legal|lawyers|"
    r"finance|CFO|sites?|fleet|staff)\b",
    re.I,
)


def _across(
    segs: Sequence[Segment], sides: dict[str, str], groups: list[list[str]], parties: list[str]
) -> dict[tuple[str, ...], str]:
    """The side of each unplaced group from "your …" said between it and a placed speaker in
    neighbouring turns (see ``speaker_sides``)."""
    votes: dict[tuple[str, ...], list[str]] = {}
    member_of = {who: tuple(g) for g in groups for who in g}
    for i in range(1, len(segs)):
        a, b = segs[i - 1], segs[i]
        for said, other in ((a, b), (b, a)):
            if not _YOUR_RX.search(said.text):
                continue
            if said.speaker in member_of and other.speaker in sides:
                placed = sides[other.speaker]
            elif other.speaker in member_of and said.speaker in sides:
                placed, said = sides[said.speaker], other
            else:
                continue
            if placed in parties:
                votes.setdefault(member_of[said.speaker], []).append(
                    parties[1] if placed == parties[0] else parties[0]
                )
    return {g: max(dict.fromkeys(v), key=v.count) for g, v in votes.items()}


@functools.lru_cache(maxsize=4)
def meeting_sides(lines: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``speaker_sides`` of a meeting given as (speaker, text) lines; cached because the
    parties, the terms and the commitments all ask for the same meeting's sides."""
    segs = [Segment(i, sp, float(i), float(i), text) for i, (sp, text) in enumerate(lines)]
    parties, known = collect_parties(segs)
    add_frame_parties(segs, parties)
    add_named_parties(segs, parties)
    return tuple(speaker_sides(segs, parties, known).items())
