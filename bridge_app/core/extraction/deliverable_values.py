"""Deliverables: what is to be delivered or is in scope ("we'll deliver the migration plan",
"scope includes a discovery phase, a prototype and training").
"""

from __future__ import annotations

import re
from typing import Any

from bridge_app.core.extraction.value_words import Found

_DELIVERABLE_RX = re.compile(
    r"\b(?:deliver(?:s|ing)?|deliverable(?:s)? (?:is|are|will be)|hand over|ship)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<what>[a-z][\w -]{2,50}?)"
    r"(?=\s+(?:by|before|on|within|in|next)\b|[.,;!?]|$)",
    re.I,
)


def find_deliverable(text: str) -> dict[str, Any] | None:
    """What is to be delivered: "deliver the migration plan by Friday" → migration plan."""
    m = _DELIVERABLE_RX.search(text)
    if not m:
        return None
    what = m.group("what").strip()
    if what.lower() in {"it", "that", "this", "them", "on time"}:
        return None
    return {"text": what}


_DELIVERABLE_LEAD_RX = re.compile(
    r"\b(?:(?:the\s+)?deliverables?\s+(?:is|are|will be|would be|include|includes|cover)|"
    r"(?:we|i|they|you|the (?:provider|vendor|contractor|team))(?:'ll|\s+will|\s+would|\s+can|"
    r"\s+are going to|'re going to)?(?:\s+also|\s+then)?\s+(?:deliver|provide|hand over|build|"
    r"ship|run|supply|host|produce)|"
    # "So let me read the scope back. The volunteer scheduling web app, …", "So the proposal is
    # out-of-hours reactive maintenance …"
    r"\b(?:read|recap|run through|go over|sum up|summari[sz]e|confirm) the scope(?: back)?"
    r"(?: again)?\s*[.:]|"
    r"\b(?:the|our) proposal (?:is|covers|includes)(?= [a-z])|"
    r"(?:the\s+)?scope\s+(?:includes|include|covers|is|will be|will include)|"
    r"in scope (?:are|is)|"
    # "So, scope first. As we understood it, it's a discovery phase, then …"
    r"\bscope\b[^?!]{0,12}[.,]\s+[^.?!]{0,40}?\b(?:it's|it is|that's|we have)|"
    # "The idea is to add paid social management …", "the MDR service is 24/7 monitoring …"
    r"(?:the idea is|the plan is|we(?:'d| would) like) to (?:add|include|deliver|provide)|"
    r"\bthe [A-Z]{2,6} (?:service|package|module) (?:is|covers|includes))\s*:?\s+",
    re.I,
)
_DELIVERABLE_STOP_RX = re.compile(
    r"\s+(?:by|before|on|within|in the next|no later than|until|for \$|for (?:a|the) (?:fee|price)|"
    r"at (?:a|the|no)|starting|from)\b|[.;!?]|\s+-\s+|$",
    re.I,
)
_ARTICLE_RX = re.compile(
    r"^(?:(?:then|and|also|all)\s+)?(?:a|an|the|our|your|their|some|all)\s+",
    re.I,
)
_NOT_DELIVERABLE = frozenset(
    {
        "it",
        "that",
        "this",
        "them",
        "on time",
        "everything",
        "something",
        "results",
        "value",
        "the goods",
        "a lot",
        "more",
        "less",
    }
)


def find_deliverables(text: str) -> list[Found]:
    """Deliverables listed after "the deliverables are", "we will deliver", "scope includes":
    "a model, a dashboard, and a workshop" gives three; "the runbook and the cutover plan" two.
    A bare "and" splits only before an article ("sales and marketing dashboard" stays whole)."""
    out: list[Found] = []
    for lead in _DELIVERABLE_LEAD_RX.finditer(text):
        rest = text[lead.end() :]
        stop = _DELIVERABLE_STOP_RX.search(rest)
        span = rest[: stop.start() if stop else len(rest)]
        base = lead.end()
        named = re.search(r"\bthe ([A-Z]{2,6}) (service|package|module)\b", lead.group(0))
        if named and len(span.split()) >= 3:
            # "the MDR service is 24/7 monitoring …, threat hunting and a report": the service
            # as a whole is a deliverable too, with what it consists of.
            whole = f"{named.group(1)} {named.group(2)}: {span.strip()}"
            out.append(Found("deliverable", {"text": whole}, base, base + len(span)))
        parts: list[tuple[str, int]] = []
        pos = 0
        for m in re.finditer(
            # "the integration with your donor CRM" stays whole; ", with a results call" splits.
            r",\s*(?:and\s+|or\s+|then\s+|with\s+)?|\s+then\s+(?=(?:a|an|the|our|your)\s)|"
            r"\s+(?:and|plus|as well as)\s+"
            r"(?=(?:a|an|the|our|your|all|one|two|three|four|five|six)\s)",
            span,
            re.I,
        ):
            parts.append((span[pos : m.start()], pos))
            pos = m.end()
        parts.append((span[pos:], pos))
        for part, offset in parts:
            item = part.strip()
            lead_trim = len(part) - len(part.lstrip())
            m_art = _ARTICLE_RX.match(item)
            if m_art:
                item = item[m_art.end() :]
                lead_trim += m_art.end()
            item = re.sub(
                r"^(?:you|us|them|me|him|her)\s+with\s+(?:the\s+|a\s+|an\s+)?",
                "",
                item.strip(" ,"),
                flags=re.I,
            )
            if len(item) < 3 or item.lower() in _NOT_DELIVERABLE or len(item.split()) > 10:
                continue
            if re.fullmatch(r"(?:\w+[ -])?(?:days?|weeks?|months?|years?)", item, re.I):
                continue  # "two years": a term, not something delivered
            if not re.search(r"[a-z]", item, re.I) or re.match(
                r"(?:on|to|it|in|at|for|with|by)\b", item, re.I
            ):
                continue
            s = base + offset + lead_trim
            out.append(Found("deliverable", {"text": item}, s, s + len(item)))
    return out
