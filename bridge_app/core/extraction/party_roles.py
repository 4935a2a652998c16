"""The role each party plays (client/provider, buyer/seller, disclosing/receiving), inferred when
no one says it: from what the company's own speakers say ("our fee", "our budget"), from who
named the first price, and from the counterpart of a role said in words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from bridge_app.core.extraction.mentions import segment_mentions
from bridge_app.core.extraction.party_collect import Party, known_party
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
                r"\b(we|i) (can|could|would|'d) offer\b|\bour (standard|draft|list price|"
                r"licen[cs]e|software|system|app|tool|support|implementation|onboarding|"
                r"rollout|sla)\b|\bwe('ll| will) (send (you )?the invoice|host|install|roll)",
                re.I,
            ),
            1.0,
        ),
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
        (
            re.compile(
                r"\byour (draft|list price|licen[cs]e|software|system|app|tool|support|"
                r"implementation|onboarding|rollout|invoices?|sla)\b|\b(another|other) "
                r"(vendor|provider|supplier)\b|\bcompetitor\b|\ba quote from\b|\bour "
                r"(finance (director|team)|accounts payable|board|cfo|drivers|clinics|depots|"
                r"technicians|members|hotels|stores|branches)\b|\bsign-?off\b",
                re.I,
            ),
            1.0,
        ),
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
# What kind of deal the meeting is about, by the words for it, and the pair of sides it has.
_DEAL_FAMILIES: tuple[tuple[re.Pattern[str], tuple[str, str]], ...] = (
    (
        re.compile(
            r"\b(statement of work|sow|msa|master services|retainer|consult\w*|services "
            r"agreement|managed service)\b",
            re.I,
        ),
        ("client", "provider"),
    ),
    (
        re.compile(
            r"\b(order form|purchase order|distribut\w*|supply agreement|supplier|wholesale|"
            # Not a bare "units": "the extraction units" of a cleaning contract are no sale.
            r"minimum purchase|per (seat|unit|user|licence|license)|seats)\b",
            re.I,
        ),
        ("buyer", "seller"),
    ),
)


def _deal_pair(meeting: str) -> tuple[str, str] | None:
    """(low side, high side) of the deal family the meeting names most, or None."""
    counts = [(len(rx.findall(meeting)), pair) for rx, pair in _DEAL_FAMILIES]
    best = max(counts, key=lambda c: c[0])
    if best[0] == 0 or sum(1 for c in counts if c[0] == best[0]) > 1:
        return None
    return best[1]


_NDA_RX = re.compile(r"\b(nda|non-?disclosure|confidentiality agreement)\b", re.I)
_MUTUAL_RX = re.compile(r"\bmutual\b|\bboth (ways|directions|sides share)\b", re.I)
_ONE_WAY_RX = re.compile(r"\b(one-way|one way|unilateral)\b", re.I)


def _mutual(meeting: str) -> bool:
    """A mutual NDA: said so, and not "our template is mutual … so it's one-way"."""
    return bool(_MUTUAL_RX.search(meeting)) and not _ONE_WAY_RX.search(meeting)


def infer_roles(
    segs: Sequence[Segment], parties: dict[str, Party], speaker_party: dict[str, str]
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
        if _mutual(meeting):
            return {}, {}
        pair = ("receiving", "disclosing")
    elif family := _deal_pair(meeting):
        pair = family
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


_OUR_PRICE_RX = re.compile(r"\bour (proposal|quote|price|fee|offer|list price)\b", re.I)


def _first_offer_side(segs: Sequence[Segment], sides: dict[str, str]) -> str | None:
    """The side that named the first price: the provider or seller."""
    for i, seg in enumerate(segs):
        if not re.search(r"\d|thousand|million|hundred", seg.text):
            continue
        for m in segment_mentions(seg.text, None, None, False):
            # "our proposal was three hundred and ten thousand": set as the past state of the
            # talk, but still whose price it is.
            ours = m.context and _OUR_PRICE_RX.search(seg.text[max(0, m.start - 40) : m.start])
            if m.kind.startswith("money") and (ours or not m.context) and m.key != "other_amount":
                mine = sides.get(seg.speaker, seg.speaker)
                if m.kind.endswith(":theirs"):
                    # "Callum, the proposal you sent over has …": the figure is Callum's.
                    addressed = _addressee(seg.text, segs, seg.speaker)
                    if addressed:
                        return sides.get(addressed, addressed)
                    for j in range(i - 1, -1, -1):
                        other = sides.get(segs[j].speaker, segs[j].speaker)
                        if other != mine:
                            return other
                    return None
                return mine
    return None


def _addressee(text: str, segs: Sequence[Segment], speaker: str) -> str | None:
    """The speaker a turn addresses by first name ("Callum, the proposal …", "… , Callum?")."""
    firsts = {s.speaker.split()[0]: s.speaker for s in segs if s.speaker and s.speaker != speaker}
    for m in re.finditer(r"(?:^|[.!?]\s+|,\s*)([A-Z][a-z]+)(?=,|\?)", text):
        if m.group(1) in firsts:
            return firsts[m.group(1)]
    return None


def contract_roles(
    segs: Sequence[Segment],
    parties: dict[str, Party],
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
    elif family := _deal_pair(meeting):
        pair = (family[1], family[0])
    elif re.search(
        r"\b(order form|distribut\w*|supply\w*|seats?|sensors|purchase order)\b",
        meeting,
        re.I,
    ):
        pair = ("seller", "buyer")
    else:
        pair = ("provider", "client")
    return {seller: pair[0], buyer: pair[1]}


# A company named as the side that offers: it sends the quote or the draft, its product is
# rolled out, it is the one opening its books ("Varmedal sent over the quote", "roll Corravin
# out to the drivers", "Quenby Creameries is the only side opening its books").
_OFFERING_RX = re.compile(
    r"\b(?P<a>[A-Z][\w&'-]*(?:\s+(?:&\s+)?[A-Z][\w&'-]*){0,3})(?:'s)?\s+(?:sent (?:over|through|"
    r"us|across)?\s*(?:the|a|its|their|our) (?:\w+ ){0,3}(?:quote|proposal|draft|pricing|order "
    r"form|sow|statement of work|offer)|(?:quote|proposal|pricing|platform|software|product)\b)"
    r"|\broll(?:s|ing)? (?P<b>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,2}) out\b"
    r"|\bthe (?P<d>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,2}) (?:order form|quote|proposal|"
    r"platform|software|product|licen[cs]e)\b"
    r"|\b(?P<c>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}) is the only (?:side|party|one) "
    r"(?:opening|sharing|disclosing|showing)",
)


def offering_roles(segs: Sequence[Segment], parties: dict[str, Party]) -> dict[str, str]:
    """Both sides from the one company named as offering (see ``_OFFERING_RX``), with the pair
    of roles the deal has; empty unless exactly one of two parties is named that way."""
    if len(parties) != 2:
        return {}
    offering: set[str] = set()
    for seg in segs:
        for m in _OFFERING_RX.finditer(seg.text):
            name = m.group("a") or m.group("b") or m.group("c") or m.group("d") or ""
            hit = known_party(parties, name)
            if hit:
                offering.add(hit)
    if len(offering) != 1:
        return {}
    (high,) = offering
    low = next(k for k in parties if k != high)
    meeting = " ".join(s.text for s in segs)
    if _NDA_RX.search(meeting):
        if _mutual(meeting):
            return {}
        pair = ("receiving", "disclosing")
    elif re.search(r"\blicens(ing|or|ee)\b", meeting, re.I):
        pair = ("licensee", "licensor")
    else:
        pair = _deal_pair(meeting) or ("client", "provider")
    return {low: pair[0], high: pair[1]}
