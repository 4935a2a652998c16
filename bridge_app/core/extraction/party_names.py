"""Company names in text and the role words next to them ("Northwind Inc. as the
vendor"). A company is a run of capitalised words ending in a legal form, or in a business
noun ("Brightline Data"), or a capitalised multi-word name after an introduction ("This is
Dana from Harborview Logistics"). ``parties`` turns them into party items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bridge_app.core.extraction.value_words import word_set


def find_party(text: str) -> dict[str, Any] | None:
    """The first company named in ``text`` ("Acme Corp"), with its role when the text ties one to
    it ("Acme Corp as client"); see :func:`find_parties` for all of them."""
    found = find_parties(text)
    if not found:
        return None
    p = found[0]
    role = role_near(text, p.start, p.end)
    if role is None:
        m = _ROLE_RX.search(text)
        role = _ROLE_WORDS[m.group(1).lower()] if m else None
    return {"name": p.name, "role": role}


# Parties. A company is a run of capitalised words ending in a legal form ("Northwind Inc."),
# or ending in a business noun ("Brightline Data"), or any capitalised multi-word name after an
# introduction ("This is Dana from Harborview Logistics").
LEGAL_SUFFIXES = (
    "Inc",
    "Incorporated",
    "Corp",
    "Corporation",
    "LLC",
    "L.L.C",
    "Ltd",
    "Limited",
    "GmbH",
    "AG",
    "SA",
    "S.A",
    "SAS",
    "SARL",
    "BV",
    "B.V",
    "NV",
    "N.V",
    "PLC",
    "LLP",
    "LP",
    "Co",
    "Company",
    "Pty",
    "Oy",
    "AB",
    "ApS",
    "KG",
    "SE",
    "S.p.A",
    "Srl",
    "KK",
    "Plc",
)
BUSINESS_NOUNS = word_set(
    "Data Logistics Software Systems Solutions Technologies Technology Tech Labs Laboratories "
    "Group Holdings Partners Consulting Consultants Analytics Health Healthcare Bank Capital "
    "Media Foods Industries Networks Services Studios Studio Ventures Digital Energy Robotics "
    "Pharma Pharmaceuticals Manufacturing Retail Motors Insurance Foundation Associates Agency "
    "Interactive Cloud Security Biotech Therapeutics Dynamics Engineering Construction "
    "Properties Realty Supply Supplies Trading Freight Shipping Airlines Telecom Communications "
    "Payments Finance Financial Markets Brands Apparel Designs Games Education Learning "
    "Enterprises Works Marine Mobility Medical Devices Electronics Instruments Materials "
    "Chemicals Logic Metrics Robotics Ai AI Bio Grid Power Water Transport Transit Motors "
    "Hospitality Hotels Publishing Press Records Entertainment Outfitters Bakery Coffee Farms "
    "Partnership Collective Cooperative Institute Clinic Hospital "
    # Further trades, so a name says "company" in any industry, not only software and goods.
    "Sciences Bioscience Biosciences Biologicals Biologics Genomics Diagnostics Imaging Optics "
    "Photonics Semiconductors Microsystems Automation Controls Sensors Skincare Cosmetics Beauty "
    "Agro Agri Agritech Produce Dairy Organics Seeds Nursery Roasters Roastery Brewing Brewery "
    "Distillery Winery Vineyards Bakeries Catering Restaurants Haulage Couriers Express Removals "
    "Storage Warehousing Rail Aviation Aerospace Automotive Mining Metals Steel Plastics "
    "Packaging Printing Paper Labels Textiles Fashion Furniture Interiors Architects Design "
    "Advisory Accountants Recruitment Staffing Training Academy Facilities Utilities Telecoms "
    "Renewables Solar Environmental Recycling Waste Cleaning Events Travel Tours Leisure Fitness "
    "Sports Wellness Clinics Dental Pharmacy Veterinary Care Trust Charity Hospice Homes Housing "
    "Estates Developments Builders Contractors Plumbing Electrical Roofing Landscaping Mills "
    "Foundry Workshop Apps Platforms Robotics Intelligence Research Insights Marketing "
    "Creative Productions Films Music Broadcasting Distribution Distributors Imports Exports "
    "Wholesale Merchants Traders Outfitters Stores Shops Markets Pharmacies Labs Lab"
)
_LEAD_WORDS = word_set(
    "And Or But So Also Between With From For At By Of To The Then Well Okay Ok Yes Yeah Hi "
    "Hello Thanks Thank Great Sure Because If When Our Your Their This That These I We You "
    "They He She It Both Either Once Now Here There Mr Ms Mrs Dr Dear As Is Are Was"
)
NOT_COMPANY = word_set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Q1 Q2 Q3 Q4 I Zoom Teams Slack"
)
# Places people call in from; a name after "from" that is only a place is not a company.
PLACES = word_set(
    "new york|new jersey|san francisco|los angeles|london|berlin|paris|boston|chicago|seattle|"
    "austin|toronto|sydney|singapore|munich|amsterdam|dublin|hong kong|tokyo|new delhi|"
    "the us|the uk|home|the office|"
    # Countries and regions: "Tevita from New Zealand" is a person's home, not a company.
    "new zealand|australia|canada|ireland|england|scotland|wales|germany|france|spain|italy|"
    "portugal|netherlands|the netherlands|belgium|denmark|sweden|norway|finland|poland|austria|"
    "switzerland|japan|china|india|brazil|mexico|chile|argentina|south africa|the states|"
    "europe|asia|victoria|new south wales|queensland|ontario|british columbia|quebec|texas|"
    "california|florida|delaware|bavaria|the netherlands office",
    "|",
)
_WORD = r"[A-Z][\w&'-]*"
_NAME = rf"{_WORD}(?:\s+(?:of\s+|&\s+|de\s+|the\s+)?{_WORD}){{0,4}}"
_SUFFIX_ALT = "|".join(re.escape(s) for s in sorted(LEGAL_SUFFIXES, key=len, reverse=True))
_LEGAL_RX = re.compile(
    rf"\b(?P<name>{_WORD}(?:\s+(?:&\s+|of\s+)?{_WORD}){{0,4}}?),?\s+"
    rf"(?P<suffix>{_SUFFIX_ALT})(?P<dot>\.)?(?![\w])"
)
_INTRO_PREP_RX = re.compile(
    rf"\b(?:from|at|with|representing|on behalf of|for)\s+(?:the\s+)?(?P<name>{_NAME})"
)
_INTRO_CONTEXT_RX = re.compile(
    r"\b(this is|i'm|i am|it's|my name|here|we're|we are|joining|representing|on behalf of|"
    r"i (work|run|lead|head|manage)|speaking|calling|on the line|with me)\b",
    re.I,
)
_BETWEEN_RX = re.compile(
    rf"\bbetween\s+(?:the\s+)?(?P<a>{_NAME})(?:,?\s+(?:{_SUFFIX_ALT})\.?)?\s+(?:and|&)\s+"
    rf"(?:the\s+)?(?P<b>{_NAME})"
)
_DEAL_CONTEXT_RX = re.compile(
    r"\b(agreement|contract|nda|deal|sow|statement of work|order|msa|amendment|parties|party)\b",
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


@dataclass(frozen=True, slots=True)
class PartyMention:
    """A company named in text: how it was found ("legal", "intro", "between") and where."""

    name: str
    start: int
    end: int
    how: str


_PRONOUNS = ("I", "I'm", "I'll", "I'd", "I've", "We", "We're", "We'll", "You", "They")


def _clean_name(name: str) -> str:
    words = name.replace(",", " ").split()
    while words and words[0] in _LEAD_WORDS:
        words.pop(0)
    while words and words[-1] in ("of", "&", "de", "the", "The", "And", "and", *_PRONOUNS):
        words.pop()  # "for Switzerland I'm not sure": the speaker is no part of a name
    return " ".join(words)


def _company_like(name: str, *, multiword_ok: bool) -> bool:
    words = name.split()
    if not words or any(w in NOT_COMPANY for w in words) or name.lower() in PLACES:
        return False
    if words[-1].rstrip(".") in LEGAL_SUFFIXES:
        return True
    if len(words) >= 2 and words[-1] in BUSINESS_NOUNS:
        return True
    return multiword_ok and len(words) >= 2


def find_parties(text: str, *, people: frozenset[str] = frozenset()) -> list[PartyMention]:
    """Companies named in ``text``: legal forms ("X Inc. and Y Ltd." gives both), names after
    "between … and …", and capitalised names after "from/at/with/representing" in an
    introduction. ``people`` holds lower-cased person names (speakers) that are never parties."""
    found: list[PartyMention] = []

    def add(name: str, start: int, end: int, how: str) -> None:
        first = name.split()[0].lower() if name else ""
        if not name or name.lower() in people or first in people:
            return
        for k, other in enumerate(found):
            if start < other.end and other.start < end:  # overlapping spans: keep the longer
                if len(name) > len(other.name):
                    found[k] = PartyMention(name, start, end, how)
                return
        found.append(PartyMention(name, start, end, how))

    for m in _LEGAL_RX.finditer(text):
        name = _clean_name(m.group("name"))
        if not name or name.split()[-1] in NOT_COMPANY:
            continue
        abbreviation = m.group("suffix") in ("Inc", "Corp", "Co", "Ltd")
        suffix = m.group("suffix") + (m.group("dot") if abbreviation and m.group("dot") else "")
        if (
            suffix.rstrip(".") in ("Co", "Company", "SA", "SE", "AB", "AG", "LP")
            and len(name.split()) < 1
        ):
            continue
        full = f"{name} {suffix}"
        start = m.start("name") + m.group("name").find(name.split()[0])
        add(full, start, m.end(), "legal")
    if re.search(r"\bbetween\b", text) and _DEAL_CONTEXT_RX.search(text):
        for m in _BETWEEN_RX.finditer(text):
            for g in ("a", "b"):
                name = _clean_name(m.group(g))
                if name and name.split()[0] not in NOT_COMPANY:
                    add(name, m.start(g), m.end(g), "between")
    if _INTRO_CONTEXT_RX.search(text):
        for m in _INTRO_PREP_RX.finditer(text):
            name = _clean_name(m.group("name"))
            if _company_like(name, multiword_ok=True):
                add(name, m.start("name"), m.end("name"), "intro")
    else:
        for m in _INTRO_PREP_RX.finditer(text):
            name = _clean_name(m.group("name"))
            if _company_like(name, multiword_ok=False):
                add(name, m.start("name"), m.end("name"), "intro")
    found.sort(key=lambda p: p.start)
    return found


# Role words as said ("customer", "vendor"), except the NDA sides, which keep one word each.
_ROLE_WORDS = {
    "client": "client",
    "customer": "customer",
    "provider": "provider",
    "service provider": "service provider",
    "vendor": "vendor",
    "supplier": "supplier",
    "contractor": "contractor",
    "consultant": "consultant",
    "buyer": "buyer",
    "purchaser": "purchaser",
    "seller": "seller",
    "licensor": "licensor",
    "licensee": "licensee",
    "disclosing party": "disclosing",
    "discloser": "disclosing",
    "receiving party": "receiving",
    "recipient": "recipient",
}
_ROLE_ALT = "|".join(sorted(_ROLE_WORDS, key=len, reverse=True))
_ROLE_RX = re.compile(rf"\b({_ROLE_ALT})s?\b", re.I)


def role_near(text: str, start: int, end: int) -> str | None:
    """A role word tied to the name at ``start:end`` ("Acme Corp as client", "the vendor,
    Acme", "Acme is the disclosing party"), in the same clause."""
    after = text[end : end + 40]
    m = re.match(
        r"[\s,(]*(?:\(|as|is|will be|would be|being|acts as|acting as|stays|remains|will remain|"
        r"will act as|,)\s+(?:the\s+|our\s+|a\s+)?"
        rf"({_ROLE_ALT})\b",
        after,
        re.I,
    )
    if m:
        return _ROLE_WORDS[m.group(1).lower()]
    before = text[max(0, start - 40) : start]
    m2 = re.search(
        rf"\b({_ROLE_ALT})s?\b(?:\s+(?:is|will be|would be|entity is))?[\s,:]*"
        r"(?:the\s+)?$",
        before,
        re.I,
    )
    if m2:
        return _ROLE_WORDS[m2.group(1).lower()]
    return None
