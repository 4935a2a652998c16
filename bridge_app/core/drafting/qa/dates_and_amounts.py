"""QA of dates and money: dates in the past, an end before the start, amounts without a
currency or in another currency than the meeting's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from bridge_app.core.drafting.model import Draft, Finding, Provenance
from bridge_app.core.drafting.qa.base import AMOUNT_TERMS, QAContext, finding, provenance_evidence
from bridge_app.core.drafting.terms import (
    fmt_date,
    parse_date,
)
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import CURRENCY_CODES, CURRENCY_SYMBOLS

_DATE_TERMS = frozenset({"effective_date", "start_date", "end_date"})
_CURRENCY_CODE_RE = re.compile(r"\b(" + "|".join(CURRENCY_CODES) + r")\b")
_AMOUNT_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*\.\d{2}\b|(?<![\w.,])\d{4,}\.\d{2}\b")


def check_dates(ctx: QAContext) -> list[Finding]:
    """Dates in the past, and an end before the start."""
    return _date_findings(ctx.draft, ctx.today)


def check_currency(ctx: QAContext) -> list[Finding]:
    """Amounts without a currency, and currencies the meeting did not use."""
    return _currency_findings(ctx.draft, ctx.items)


def _date_findings(draft: Draft, today: date) -> list[Finding]:
    out: list[Finding] = []
    dates: dict[str, tuple[date, str, Provenance]] = {}
    for clause in draft.clauses:
        for prov in clause.provenance:
            if prov.term in _DATE_TERMS:
                d = parse_date(prov.value)
                if d is not None:
                    dates.setdefault(prov.term, (d, clause.key, prov))
            elif prov.term == "obligation" and isinstance(prov.value, dict):
                due = parse_date(prov.value.get("due"))
                if due is not None and due < today:
                    out.append(
                        finding(
                            "date_in_past",
                            "warning",
                            clause.key,
                            f"The due date {fmt_date(prov.value['due'])} of "
                            f'"{prov.value.get("text")}" is in the past.',
                            provenance_evidence(prov),
                        )
                    )
    for term, (d, key, prov) in dates.items():
        if d < today:
            out.append(
                finding(
                    "date_in_past",
                    "warning",
                    key,
                    f"The {term.replace('_', ' ')} {fmt_date(d.isoformat())} is in the past "
                    f"(today is {fmt_date(today.isoformat())}).",
                    provenance_evidence(prov),
                    data={"term": term},
                )
            )
    start = dates.get("start_date") or dates.get("effective_date")
    end = dates.get("end_date")
    if start and end and end[0] < start[0]:
        out.append(
            finding(
                "end_before_start",
                "blocker",
                end[1],
                f"The end date {fmt_date(end[0].isoformat())} is before the start date "
                f"{fmt_date(start[0].isoformat())}.",
                (*provenance_evidence(start[2]), *provenance_evidence(end[2])),
                data={"term": "end_date"},
            )
        )
    return out


def _meeting_currency(items: Sequence[Item]) -> str | None:
    """The currency the meeting talked in: the most frequent one over all its amounts, rejected
    and superseded offers included, since they too show how the parties count money."""
    counts: Counter[str] = Counter()
    for item in items:
        for key in AMOUNT_TERMS:
            value = item.values.get(key)
            if isinstance(value, dict) and value.get("currency"):
                counts[str(value["currency"]).upper()] += 1
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _currency_findings(draft: Draft, items: Sequence[Item]) -> list[Finding]:
    out: list[Finding] = []
    meeting = _meeting_currency(items)
    for clause in draft.clauses:
        for prov in clause.provenance:
            if prov.term not in AMOUNT_TERMS or not isinstance(prov.value, dict):
                continue
            currency = str(prov.value.get("currency") or "").upper()
            if not currency:
                out.append(
                    finding(
                        "amount_without_currency",
                        "blocker",
                        clause.key,
                        f"The amount {prov.value.get('amount')} in clause {clause.number} has "
                        "no currency.",
                        provenance_evidence(prov),
                    )
                )
            elif meeting and currency != meeting:
                out.append(
                    finding(
                        "currency_mismatch",
                        "warning",
                        clause.key,
                        f"The amount {prov.display} is in {currency}, but the meeting's "
                        f"amounts are in {meeting}.",
                        provenance_evidence(prov),
                    )
                )
        # Edited text can bring amounts and currencies no item backs.
        text = clause.text
        if meeting:
            seen = {c for c in _CURRENCY_CODE_RE.findall(text)} | {
                code for sym, code in CURRENCY_SYMBOLS.items() if sym in text
            }
            for code in sorted(seen - {meeting}):
                if any(
                    str((p.value or {}).get("currency", "")).upper() == code
                    for p in clause.provenance
                    if isinstance(p.value, dict)
                ):
                    continue  # already reported from its item
                out.append(
                    finding(
                        "currency_mismatch",
                        "warning",
                        clause.key,
                        f"Clause {clause.number} mentions {code}, but the meeting's amounts are "
                        f"in {meeting}.",
                    )
                )
        for m in _AMOUNT_RE.finditer(text):
            before = text[max(0, m.start() - 6) : m.start()]
            if (
                _CURRENCY_CODE_RE.search(before)
                or any(s in before for s in CURRENCY_SYMBOLS)
                or before.rstrip().endswith("]]")
            ):
                continue
            out.append(
                finding(
                    "amount_without_currency",
                    "warning",
                    clause.key,
                    f"The amount {m.group(0)} in clause {clause.number} has no currency.",
                )
            )
    return out
