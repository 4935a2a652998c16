"""QA of the contract's wording: party names and defined terms used consistently, third-person
text, and clauses a legal user rewrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bridge_app.core.drafting.language import first_person_words
from bridge_app.core.drafting.model import PLACEHOLDER_RE, Draft, Finding
from bridge_app.core.drafting.qa.base import (
    QAContext,
    evidence_of,
    finding,
)
from bridge_app.core.drafting.terms import (
    party_key,
)
from bridge_app.core.extraction.model import Item

_ROLE_WORDS = (
    "Client",
    "Customer",
    "Provider",
    "Supplier",
    "Vendor",
    "Buyer",
    "Seller",
    "Contractor",
    "Consultant",
    "Licensee",
    "Licensor",
    "Investor",
)
_NAME_STOP = frozenset({"the", "and", "of", "for", "a", "an"})


def check_names(ctx: QAContext) -> list[Finding]:
    """Party names and defined terms used consistently."""
    return _name_findings(ctx.draft, ctx.usable)


def check_first_person(ctx: QAContext) -> list[Finding]:
    """A contract speaks of the Parties in the third person."""
    out = []
    for clause in ctx.draft.clauses:
        words = first_person_words(clause.text)
        if words:
            shown = ", ".join(f'"{w}"' for w in dict.fromkeys(words))
            out.append(
                finding(
                    "first_person_text",
                    "warning",
                    clause.key,
                    f"Clause {clause.number} ({clause.heading}) speaks in the first person "
                    f"({shown}); a contract names the Parties.",
                    data={"words": list(dict.fromkeys(words))},
                )
            )
    return out


def check_overrides(ctx: QAContext) -> list[Finding]:
    """Clauses a legal user rewrote by hand (their values are still checked above)."""
    out = []
    for clause in ctx.draft.clauses:
        if clause.override:
            by = clause.override.get("by") or "a legal user"
            reason = clause.override.get("reason")
            out.append(
                finding(
                    "clause_edited",
                    "info",
                    clause.key,
                    f"Clause {clause.number} ({clause.heading}) is {by}'s edit, kept over "
                    "regeneration" + (f": {reason}" if reason else "") + ".",
                    data={"by": by},
                )
            )
    return out


def _name_findings(draft: Draft, usable: Sequence[Item]) -> list[Finding]:
    out: list[Finding] = []
    # One party under several spellings in the meeting's items.
    spellings: dict[str, dict[str, list[Item]]] = {}
    for item in usable:
        value = item.values.get("party")
        values = value if isinstance(value, list) else [value] if value else []
        for v in values:
            name = str(v.get("name") if isinstance(v, dict) else v).strip()
            if name:
                spellings.setdefault(party_key(name), {}).setdefault(name, []).append(item)
    for names in spellings.values():
        if len(names) > 1:
            out.append(
                finding(
                    "party_name_inconsistent",
                    "warning",
                    "parties",
                    "One party is named in several ways: "
                    + ", ".join(f'"{n}"' for n in names)
                    + ". Use one legal name.",
                    evidence_of(i for group in names.values() for i in group),
                )
            )

    body = "\n".join(c.text for c in draft.clauses)
    # The text names a party differently from its definition ("Acme Corporation" for "Acme Corp").
    for party in draft.parties:
        words = [w for w in re.findall(r"[\w&'-]+", party.name) if w.lower() not in _NAME_STOP]
        if not words:
            continue
        anchor = words[0]
        variants: set[str] = set()
        for m in re.finditer(rf"\b{re.escape(anchor)}\b", body):
            if body.startswith(party.name, m.start()):
                continue
            tail = re.match(r"[\w&'.-]+(?:\s+[A-Z][\w&'.-]*)*", body[m.start() :])
            variants.add(tail.group(0).rstrip(".,") if tail else anchor)
        for clause in draft.clauses:
            found = sorted(v for v in variants if v in clause.text)
            if found:
                out.append(
                    finding(
                        "party_name_inconsistent",
                        "warning",
                        clause.key,
                        f"Clause {clause.number} calls {party.name} "
                        + ", ".join(f'"{v}"' for v in found)
                        + f'; the party is defined as "{party.name}" '
                        f'(the "{party.defined_as}").',
                        party.item_ids,
                    )
                )
                variants -= set(found)

    defined = {term for term, _ in draft.defined_terms}
    for clause in draft.clauses:
        # A placeholder names the missing term in words ("[[MISSING: effective date]]"): not
        # the contract's wording, and already reported as a blank.
        text = PLACEHOLDER_RE.sub(" ", clause.text)
        for role in _ROLE_WORDS:
            if role not in defined and re.search(rf"\b{role}s?\b", text):
                out.append(
                    finding(
                        "defined_term_inconsistent",
                        "warning",
                        clause.key,
                        f'Clause {clause.number} uses "{role}", which this contract does not '
                        "define" + _defined_hint(draft) + ".",
                    )
                )
        for term in defined:
            if " " in term or term in {p.defined_as for p in draft.parties}:
                lower = term.lower()
                if re.search(rf"\b{re.escape(lower)}\b", text):
                    out.append(
                        finding(
                            "defined_term_inconsistent",
                            "warning",
                            clause.key,
                            f'Clause {clause.number} writes "{lower}" where the defined term is '
                            f'"{term}".',
                        )
                    )
    return out


def _defined_hint(draft: Draft) -> str:
    roles = [p.defined_as for p in draft.parties if p.defined_as != "Party"]
    return f" (the parties are the {' and the '.join(roles)})" if roles else ""
