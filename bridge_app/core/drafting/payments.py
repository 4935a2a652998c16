"""Payment schedules said in a meeting: milestones, instalments, "half up front".

:func:`find_schedule` reads the words of the items behind the price and payment terms (and a
``payment_schedule`` value, when the extractor gives one) and returns the instalments the
meeting settled. Parts the meeting did not settle (what triggers milestone 2, how much each
milestone is) stay placeholders: a schedule is never invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bridge_app.core.drafting.terms import missing
from bridge_app.core.extraction.model import Item

_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "twelve": 12,
    "2": 2,
    "3": 3,
    "4": 4,
    "5": 5,
    "6": 6,
    "12": 12,
}
_PARTS = r"(?:milestones?|instal?lments?|tranches?|payments?|invoices?)"
_COUNT_RX = re.compile(
    r"\b(?:in|into|across|over|as)\s+(?P<n>two|three|four|five|six|twelve|\d{1,2})\s+"
    r"(?P<equal>equal\s+)?(?:(?P<period>monthly|quarterly|annual)\s+)?" + _PARTS,
    re.IGNORECASE,
)
_HALF = r"(?:half|50\s?%|50 percent|fifty percent)"
_UPFRONT_RX = re.compile(
    r"\b" + _HALF + r"\s+(?:of (?:it|the (?:fee|price|total))\s+)?"
    r"(?:up ?front|in advance|on (?:signing|signature|kick-?off)|at (?:signing|signature|the start|"
    r"kick-?off))",
    re.IGNORECASE,
)
_PERCENT_RX = re.compile(
    r"\b(?P<pct>\d{1,2})\s?(?:%|percent)\s+(?:of (?:it|the (?:fee|price|total))\s+)?"
    r"(?P<when>up ?front|in advance|on (?:signing|signature|kick-?off|completion|delivery|"
    r"acceptance|go-?live|handover)|"
    r"at (?:signing|signature|kick-?off|completion|the end|go-?live))",
    re.IGNORECASE,
)
_BALANCE_RX = re.compile(
    r"\b(?:the rest|the balance|the remainder|the other half|the remaining (?:half|\d{1,2}\s?%)|"
    r"and half)\s+(?P<when>on|at|upon|after)\s+(?P<event>completion|delivery|acceptance|go-?live|"
    r"handover|sign-?off|the end)",
    re.IGNORECASE,
)
_BILLING_RX = re.compile(
    r"\b(?:invoiced|billed|paid|payable)\s+(?P<period>monthly|quarterly|annually|yearly)"
    r"(?:\s+in\s+(?P<when>advance|arrears))?",
    re.IGNORECASE,
)
_EVENTS = {
    "up front": "on signature of this {short}",
    "upfront": "on signature of this {short}",
    "in advance": "on signature of this {short}",
    "signing": "on signature of this {short}",
    "signature": "on signature of this {short}",
    "kickoff": "at the start of the Services",
    "kick-off": "at the start of the Services",
    "the start": "at the start of the Services",
    "completion": "on completion of the Services",
    "the end": "on completion of the Services",
    "delivery": "on delivery of the final Deliverable",
    "acceptance": "on acceptance of the final Deliverable",
    "golive": "on go-live",
    "go-live": "on go-live",
    "handover": "on handover",
    "signoff": "on sign-off of the final Deliverable",
    "sign-off": "on sign-off of the final Deliverable",
}


@dataclass(frozen=True, slots=True)
class Instalment:
    """One part of the price: a share (percent, None when not said) and when it is invoiced."""

    percent: float | None
    when: str


@dataclass(frozen=True, slots=True)
class Schedule:
    """How the price is invoiced, and the items whose words said so."""

    instalments: tuple[Instalment, ...] = ()
    period: str | None = None  # "monthly", "quarterly" … for recurring billing
    in_arrears: bool | None = None
    said: str = ""  # the words that gave the schedule
    item_ids: tuple[str, ...] = ()


def _event(phrase: str, short: str) -> str:
    key = re.sub(r"^(?:on|at|upon|after)\s+", "", phrase.strip().lower())
    key = key.replace(" ", " ")
    return _EVENTS.get(key, _EVENTS.get(key.replace("-", ""), f"on {key}")).format(short=short)


def _texts(item: Item) -> list[str]:
    value: Any = item.values.get("payment_schedule")
    out = []
    if isinstance(value, dict) and value.get("text"):
        out.append(str(value["text"]))
    elif isinstance(value, str):
        out.append(value)
    out += [item.statement, *(e.quote for e in item.evidence)]
    return out


def find_schedule(items: Sequence[Item], *, short: str) -> Schedule | None:
    """The payment schedule the meeting settled, read from the items that carry price or
    payment terms (or a ``payment_schedule``); None when nobody said one."""
    carriers = [
        i
        for i in items
        if any(k in i.values for k in ("payment_schedule", "payment_terms", "price", "fee"))
    ]
    for item in carriers:
        for text in _texts(item):
            found = _parse(text, short)
            if found is not None:
                return Schedule(
                    instalments=found.instalments,
                    period=found.period,
                    in_arrears=found.in_arrears,
                    said=found.said,
                    item_ids=(item.id,),
                )
    return None


def _parse(text: str, short: str) -> Schedule | None:
    pcts = list(_PERCENT_RX.finditer(text))
    if pcts:
        found = [Instalment(float(p.group("pct")), _event(p.group("when"), short)) for p in pcts]
        total = sum(p.percent or 0 for p in found)
        balance = _BALANCE_RX.search(text, pcts[-1].end())
        if total < 100 and balance:
            found.append(
                Instalment(
                    100 - total, _event(f"{balance.group('when')} {balance.group('event')}", short)
                )
            )
        elif total < 100:
            found.append(Instalment(100 - total, missing("when the balance is invoiced")))
        return Schedule(tuple(found), said=text[pcts[0].start() : pcts[-1].end()])
    if (m := _UPFRONT_RX.search(text)) is not None:
        balance = _BALANCE_RX.search(text, m.end())
        rest = (
            _event(f"{balance.group('when')} {balance.group('event')}", short)
            if balance
            else missing("when the balance is invoiced")
        )
        return Schedule(
            (Instalment(50.0, _event("signature", short)), Instalment(50.0, rest)),
            said=text[m.start() : balance.end() if balance else m.end()],
        )
    if (m := _COUNT_RX.search(text)) is not None:
        n = _NUMBERS.get(m.group("n").lower(), int(m.group("n")) if m.group("n").isdigit() else 0)
        if not 2 <= n <= 24:
            return None
        equal = bool(m.group("equal")) or bool(m.group("period"))
        pct = round(100 / n, 4) if equal else None
        kind = "milestone" if "milestone" in m.group(0).lower() else "instalment"
        parts = tuple(
            Instalment(pct, missing(f"{kind} {k} trigger") if not m.group("period") else "")
            for k in range(1, n + 1)
        )
        return Schedule(parts, period=(m.group("period") or None), said=m.group(0))
    if (m := _BILLING_RX.search(text)) is not None:
        when = (m.group("when") or "").lower()
        return Schedule(
            period=m.group("period").lower().replace("yearly", "annually"),
            in_arrears=None if not when else when == "arrears",
            said=m.group(0),
        )
    return None


def schedule_lines(schedule: Schedule, price: dict[str, Any] | None, fmt: Any) -> list[str]:
    """The instalments as clause lines ("50% of the Fees (USD 19,000.00) on signature …")."""
    lines = []
    amount = None
    if isinstance(price, dict):
        try:
            amount = float(price.get("amount"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            amount = None
    for n, part in enumerate(schedule.instalments, start=1):
        if part.percent is None and part.when.startswith("[[MISSING"):
            kind = "Milestone" if "milestone" in schedule.said.lower() else "Instalment"
            lines.append(f"{kind} {n}: {missing(f'{kind.lower()} {n} amount and trigger')}")
            continue
        if part.percent is None:
            share = missing(f"amount of instalment {n}")
        else:
            pct = f"{part.percent:g}%"
            share = f"{pct} of the Fees"
            if amount is not None and isinstance(price, dict):
                share += f" ({fmt({**price, 'amount': round(amount * part.percent / 100, 2)})})"
        when = f" {part.when}" if part.when else ""
        lines.append(f"{share}{when}")
    return lines
