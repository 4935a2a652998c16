"""Contract language from what people said: speakers become parties, commitments obligations.

A meeting says "I will send the list by next Friday"; a contract says "The Client shall send
the list to the Provider by 4 December 2026". This module does that rewrite with rules, not a
model, so the same items always give the same words:

* :func:`speaker_sides` maps each speaker to a contracting party, from the parties extraction
  (the speaker who introduced a company, "this is Dana from Brightline Data", and the colleagues
  they introduced, "with me is Omar") and from an item's own ``party`` field;
* :func:`obligation_sentence` turns one commitment into a third-person obligation of the
  speaker's party: the subject and modal become "The <Party> shall", first- and second-person
  words become the parties' defined terms, names of people at the table become their party,
  the relative date the speaker used is replaced by the resolved due date, and a transfer verb
  without a recipient gets one ("to the Provider").

A commitment whose speaker belongs to no known party keeps the person's name as its subject;
QA warns about it (``obligation_party_unknown``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_names import party_key

# -------------------------------------------------------------------- speakers to parties

_INTRO_RX = re.compile(
    r"\b(?:this is|i'm|i am|my name is|we're|we are|i (?:work|run|lead|head|manage)|here|"
    r"joining|speaking|calling|representing|on behalf of)\b",
    re.IGNORECASE,
)
_COLLEAGUE_RX = re.compile(
    r"\b(?:with me (?:is|are|today is)|joined by|my colleagues?|and my colleague|along with)\s+"
    r"(?P<names>[A-Z][a-z]+(?:(?:,\s*|\s+and\s+)[A-Z][a-z]+)*)"
)


@dataclass(frozen=True, slots=True)
class Side:
    """The party a speaker speaks for: its name and its defined term in this contract."""

    name: str
    defined_as: str


def _speakers(items: Sequence[Item]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        for e in item.evidence:
            if e.speaker.strip():
                seen.setdefault(e.speaker.strip(), None)
        if item.owner and item.owner.strip():
            seen.setdefault(item.owner.strip(), None)
    return list(seen)


def _introduces(quote: str, name: str) -> bool:
    """Whether a quote introduces its speaker as being with the company ``name``."""
    at = quote.lower().find(name.lower())
    if at < 0:
        key = party_key(name)
        at = quote.lower().find(key) if key else -1
    return at >= 0 and bool(_INTRO_RX.search(quote[: at + len(name) + 12]))


def speaker_sides(items: Sequence[Item], parties: Sequence[tuple[str, str]]) -> dict[str, Side]:
    """Speaker (as labelled in the transcript) → the party they speak for.

    ``parties`` are the contract's (name, defined term) pairs. A speaker maps to a party when
    an item names the party and the speaker introduced themselves with it, when such a speaker
    introduced them as a colleague, or when one of their items carries that party in its
    ``party`` field (set by the extractor or a reviewer).
    """
    by_key = {party_key(name): Side(name, term) for name, term in parties if name}
    speakers = _speakers(items)
    out: dict[str, Side] = {}
    for item in items:
        value = item.values.get("party")
        values = value if isinstance(value, list) else [value] if value else []
        for v in values:
            name = str(v.get("name") if isinstance(v, dict) else v).strip()
            side = by_key.get(party_key(name))
            if side is None:
                continue
            for e in item.evidence:
                if not e.speaker or not _introduces(e.quote, name):
                    continue
                out.setdefault(e.speaker, side)
                for m in _COLLEAGUE_RX.finditer(e.quote):
                    for first in re.split(r",\s*|\s+and\s+", m.group("names")):
                        for other in speakers:
                            if other.split()[0].lower() == first.lower():
                                out.setdefault(other, side)
    for item in items:
        if item.party and item.owner:
            side = by_key.get(party_key(item.party))
            if side is not None:
                out.setdefault(item.owner.strip(), side)
    return out


# -------------------------------------------------------------------- obligations

_LEAD_RX = re.compile(
    r"^(?:(?:and|so|okay|ok|great|sure|right|also|then|yes|yeah|fine|good|perfect|alright|"
    r"well|next|finally|but|actually|which reminds me|that reminds me|(?:on|from) (?:our|my) "
    r"(?:side|end)|for (?:our|my) part)\b[,.!]?\s*)+",
    re.IGNORECASE,
)
# What follows the commitment in the same sentence and is not part of it: a second promise of
# the same thing (", I'll get it to you by tomorrow") or a remark (", that's agreed").
_AFTER_COMMITMENT_RX = re.compile(
    r",\s*(?:and\s+)?(?:(?:I|we)(?:'ll| will)\b|(?:that's|that is|it's|it is) "
    r"(?:agreed|settled|fine|done|decided)\b|but yes\b).*$",
    re.IGNORECASE,
)
# A purpose after the object ("… so you can plan the installation"): the recipient goes before it.
_PURPOSE_RX = re.compile(r"\s+(?:so that|so|in order to|for)\s+(?=the |you |\w+ can\b)")
_MODALS = (
    "'ll",
    "will",
    "shall",
    "can",
    "could",
    "would",
    "should",
    "must",
    "'d",
    "are going to",
    "'re going to",
    "am going to",
    "'m going to",
    "is going to",
    "need to",
    "'d need to",
    "would need to",
    "'d have to",
    "have to",
    "has to",
    "commit to",
    "promise to",
    "plan to",
    "agree to",
    "undertake to",
    "are able to",
    "will be able to",
    "'ll be able to",
    "will be",
    "'ll be",
    "'m",
    "am",
    "'re",
    "are",
    "will also",
    "'ll also",
    "can also",
)
# Longest first, so "'ll be able to" wins over "'ll"; contractions attach, words follow a space.
_MODAL = (
    "(?:"
    + "|".join(
        re.escape(m) if m.startswith("'") else r"\s+" + re.escape(m).replace(r"\ ", r"\s+")
        for m in sorted(_MODALS, key=len, reverse=True)
    )
    + ")"
)
_SUBJECT_RX = re.compile(
    r"^(?P<subject>i|we|you|our team|my team|your team|the team|let me|let us|let's)"
    r"(?P<modal>" + _MODAL + r")?\s+(?:also\s+|then\s+|personally\s+|both\s+)?(?P<rest>.+)$",
    re.IGNORECASE,
)
_NAMED_RX = re.compile(
    r"^(?P<subject>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?P<modal>" + _MODAL + r")\s+(?P<rest>.+)$"
)
_QUESTION_RX = re.compile(
    r"^(?:can|could|would|will) you (?:please )?(?P<rest>.+?)\??$", re.IGNORECASE
)
_TRANSFER_VERBS = frozenset(
    {
        "send",
        "deliver",
        "provide",
        "share",
        "give",
        "submit",
        "forward",
        "supply",
        "return",
        "email",
        "issue",
        "hand",
        "circulate",
        "make",
    }
)
_RECIPIENT_RX = re.compile(r"\b(?:to|with|for)\s+(?:the|you|us|him|her|them|[A-Z])", re.I)
# "Tuesday the 3rd": the day of the month said after a weekday or a date.
_ORDINAL_DAY = r"\s+the\s+\d{1,2}(?:st|nd|rd|th)\b"
# Relative dates a speaker used; replaced by the resolved due date when there is one.
_WHEN = (
    r"(?:next|this|coming|following)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|week|month|quarter)|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+next week|" + _ORDINAL_DAY + r")?|tomorrow|today|tonight|"
    r"end of (?:the )?(?:day|week|month|quarter)|"
    r"(?:the )?end of (?:next|this) (?:week|month)|eod|eow|close of business|"
    r"(?:in|within) (?:\w+ )?(?:days?|weeks?|business days?)|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"(?:\s+\d{4})?|\d{4}-\d{2}-\d{2}"
)
_WHEN_RX = re.compile(
    r",?\s*\b(?:by|before|on|until|no later than|at the latest by|at|in|within|for)?\s*"
    r"(?:the\s+)?"
    r"(?:" + _WHEN + r")\b(?:\s+at the latest)?",
    re.IGNORECASE,
)
_PLAIN_WHEN_RX = re.compile(r",?\s*\b(?:" + _WHEN + r")\b", re.IGNORECASE)


_PRONOUNS: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(p, flags), repl, mine)
    for p, flags, repl, mine in (
        (r"\b(?:ourselves|myself)\b", re.I, "the {own}", True),
        (r"\b(?:yourselves|yourself)\b", re.I, "the {other}", False),
        (r"\b(?:ours|mine)\b", re.I, "the {own}'s", True),
        (r"\byours\b", re.I, "the {other}'s", False),
        (r"\b(?:our|my)\b", re.I, "the {own}'s", True),
        (r"\byour\b", re.I, "the {other}'s", False),
        (r"\b(?:us|me)\b", 0, "the {own}", True),
        (r"\b(?:we|I|We)\b", 0, "the {own}", True),
        (r"\byou\b", re.I, "the {other}", False),
    )
)


def pronouns(text: str, own: str, other: str | None) -> str:
    """First person → the speaker's party, second person → the other party."""
    other_term = other or "other Party"
    for rx, repl, _mine in _PRONOUNS:
        text = rx.sub(repl.format(own=own, other=other_term), text)
    return re.sub(r"\bthe the\b", "the", text, flags=re.IGNORECASE)


def _people_to_parties(text: str, sides: Mapping[str, Side]) -> str:
    """Names of people at the table → their party ("share it with Priya" → "with the Client")."""
    for person, side in sorted(sides.items(), key=lambda kv: -len(kv[0])):
        names = [person, person.split()[0]] if " " in person else [person]
        for name in names:
            if len(name) < 3:
                continue
            text = re.sub(rf"\b{re.escape(name)}\b(?!'s)", f"the {side.defined_as}", text)
            text = re.sub(rf"\b{re.escape(name)}'s\b", f"the {side.defined_as}'s", text)
    return text


_GERUNDS = {
    "sending": "send",
    "making": "make",
    "preparing": "prepare",
    "sharing": "share",
    "providing": "provide",
    "writing": "write",
    "delivering": "deliver",
    "shipping": "ship",
    "setting": "set",
    "getting": "get",
    "putting": "put",
    "running": "run",
    "planning": "plan",
    "handling": "handle",
    "scheduling": "schedule",
    "organising": "organise",
    "organizing": "organize",
    "arranging": "arrange",
    "issuing": "issue",
    "updating": "update",
    "reviewing": "review",
    "drafting": "draft",
    "taking": "take",
    "giving": "give",
    "circulating": "circulate",
    "coordinating": "coordinate",
}


def _base_verb(rest: str) -> str:
    """The verb phrase in base form after "shall" ("be sending" → "send")."""
    m = re.match(r"^(?:be\s+)?(\w+ing)\b", rest)
    if m and m.group(1).lower() in _GERUNDS:
        return _GERUNDS[m.group(1).lower()] + rest[m.end() :]
    if m and rest.startswith("be "):
        return rest[3:]
    return rest


def _strip_when(text: str, due_text: str | None) -> str:
    if due_text:
        text = re.sub(
            r",?\s*\b(?:(?:by|before|on|until|no later than|for)\s+)?(?:the\s+)?"
            + re.escape(due_text)
            + r"\b(?:"
            + _ORDINAL_DAY
            + r")?",
            "",
            text,
            flags=re.IGNORECASE,
        )
    text = _WHEN_RX.sub("", text)
    return _PLAIN_WHEN_RX.sub("", text)


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".!?,;: ")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text[:1].upper() + text[1:] + "." if text else ""


@dataclass(frozen=True, slots=True)
class Obligation:
    """A commitment rewritten as contract language, and who it binds."""

    text: str
    party: str | None  # the defined term of the bound party, None when unknown
    subject: str  # "the Client", or the person's name when their party is unknown


def _counterpart(terms: Sequence[str], term: str | None) -> str | None:
    others = [t for t in terms if t != term]
    return others[0] if term is not None and len(others) == 1 else None


def obligation_sentence(
    statement: str,
    *,
    speaker: str | None,
    sides: Mapping[str, Side],
    due_display: str | None = None,
    due_text: str | None = None,
    parties: Sequence[str] = (),
) -> Obligation:
    """One commitment as a third-person obligation (see the module docstring).

    ``parties`` are the contract's defined terms for its parties (the speakers' sides are
    added to them), so "the other party" is known even when only one side's people spoke.
    """
    terms = sorted({*parties, *(s.defined_as for s in sides.values())})
    own = sides.get((speaker or "").strip())
    own_term = own.defined_as if own else None
    text = _LEAD_RX.sub("", statement.strip().strip('"').strip()).strip()
    # One commitment per sentence: what follows ("Thanks everyone.") is not part of it.
    text = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0].rstrip(".!? ")
    text = _AFTER_COMMITMENT_RX.sub("", text)

    # Who is bound: the speaker's side, the person addressed, or a person named as subject.
    bound: str | None = own_term
    person_subject: str | None = (speaker or "").strip() or None
    if (q := _QUESTION_RX.match(text)) is not None:
        rest = q.group("rest")
        bound, person_subject = _counterpart(terms, own_term), None
    elif (m := _SUBJECT_RX.match(text)) is not None:
        rest = m.group("rest")
        if m.group("subject").lower().startswith(("you", "your")):
            bound, person_subject = _counterpart(terms, own_term), None
    elif (n := _NAMED_RX.match(text)) is not None and n.group("subject").split()[0] not in {
        "The",
        "This",
        "That",
        "It",
    }:
        who = n.group("subject")
        rest = n.group("rest")
        person = next((p for p in sides if p == who or p.split()[0] == who), None)
        bound = sides[person].defined_as if person else None
        person_subject = person or who
    else:
        rest = text

    if rest[:1].isupper() and not rest[1:2].isupper():
        rest = rest[:1].lower() + rest[1:]  # "Send the forms" after "shall"
    rest = _strip_when(_base_verb(rest), due_text)
    rest = _people_to_parties(rest, sides)
    if own_term is not None:
        rest = pronouns(rest, own_term, _counterpart(terms, own_term))
    elif bound is not None:
        rest = pronouns(rest, bound, _counterpart(terms, bound))
    verb = rest.split(" ", 1)[0].lower() if rest else ""
    recipient = _counterpart(terms, bound)
    # A purpose after the object ("… so the Provider can plan the installation") stays last: the
    # recipient goes with the object.
    purpose = _PURPOSE_RX.search(rest) if verb in _TRANSFER_VERBS else None
    tail = rest[purpose.start() :].rstrip(".!?, ") if purpose is not None else ""
    rest = rest[: purpose.start()] if purpose is not None else rest
    if verb in _TRANSFER_VERBS:
        # "send the Provider the forms" → "send the forms to the Provider"
        rest = re.sub(
            r"^(\w+) the (" + "|".join(map(re.escape, terms or ["Party"])) + r") "
            r"((?:the|a|an|its|all|any|their|each|both)\b.+)$",
            r"\1 \3 to the \2",
            rest,
        )
    if verb in _TRANSFER_VERBS and recipient and not _RECIPIENT_RX.search(rest):
        rest = f"{rest.rstrip('.!?, ')} to the {recipient}"
    rest += tail
    if bound is not None:
        subject = f"the {bound}"
    else:
        subject = person_subject or "[[MISSING: responsible party]]"
    body = f"{subject} shall {rest}"
    if due_display:
        body = f"{body.rstrip('.!?, ')} by {due_display}"
    return Obligation(text=_sentence(body), party=bound, subject=subject)


_FIRST_PERSON_RX = re.compile(
    r"\b(?:I'm|I'll|I've|I'd|I|we'll|we're|we've|we|ours|our|us|my|me)\b(?!')", re.IGNORECASE
)


def first_person_words(text: str) -> list[str]:
    """First-person words in contract text ("I", "we", "our" …), which a contract never uses.

    Quoted passages (the meeting's words cited in the text) are skipped, as are the roman
    numeral "(i)" and "US" (the country).
    """
    unquoted = re.sub(r'"[^"\n]*"|“[^”\n]*”', "", text)
    found = []
    for m in _FIRST_PERSON_RX.finditer(unquoted):
        word = m.group(0)
        if (word.lower() == "i" and word != "I") or word == "US":
            continue
        found.append(word)
    return found
