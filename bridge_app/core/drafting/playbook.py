"""Playbooks: an organization's house positions, and meeting terms checked against them.

A playbook is plain JSON (stored versioned per organization; see docs/CONTRACTS.md)::

    {
      "variables": {
        "payment_days":           {"standard": 30, "max": 45},
        "liability_cap_multiple": {"standard": 1, "min": 1, "max": 2},
        "confidentiality_months": {"standard": 36, "min": 24, "max": 60},
        "governing_law":          {"standard": "England and Wales",
                                   "fallbacks": ["New York"], "forbidden": ["Texas"]},
        ...
      },
      "clauses": {
        "limitation-of-liability": {"text": "…house wording (template)…",
                                    "forbidden": ["unlimited liability"]}
      }
    }

* A **variable** has a ``standard`` (what drafting writes when the meeting said nothing), and
  the positions legal accepts: a number range (``min``/``max``) or a list of ``fallbacks``;
  ``forbidden`` values are never acceptable. A meeting term outside them is a QA blocker
  (``playbook_deviation``) that a legal user may accept with a reason.
* A **clause** may replace the built-in wording with the house ``text`` (the same template
  language as the built-in clauses, run sandboxed) and list ``forbidden`` phrases that must
  never appear in it, whoever wrote them (an edit, a counterparty's DOCX).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bridge_app.core.extraction.model import Item


@dataclass(frozen=True, slots=True)
class Variable:
    """One house position: its label, unit, standard and what else is acceptable."""

    key: str
    label: str
    kind: str  # "number" or "text"
    unit: str = ""  # "days", "months", "× fees"
    describe: str = ""  # how a value reads in a sentence, e.g. "net {v}"


VARIABLES: dict[str, Variable] = {
    v.key: v
    for v in (
        Variable("payment_days", "payment days", "number", "days", "net {v}"),
        Variable(
            "liability_cap_multiple", "liability cap", "number", "× the fees", "{v} × the fees"
        ),
        Variable(
            "confidentiality_months", "confidentiality period", "number", "months", "{v} months"
        ),
        Variable("governing_law", "governing law", "text", "", "{v} law"),
        Variable("acceptance_days", "acceptance period", "number", "business days", "{v} days"),
        Variable("notice_days", "termination notice", "number", "days", "{v} days' notice"),
        Variable("renewal_months", "renewal term", "number", "months", "{v} months"),
        Variable("order_terms", "incorporated terms", "text", "", "{v}"),
    )
}

# The built-in positions, used where an organization's playbook says nothing: boilerplate
# numbers only. Terms a meeting normally settles (payment days, governing law, confidentiality
# period) have no built-in standard, so an unsettled one stays a visible placeholder.
DEFAULT_PLAYBOOK: dict[str, Any] = {
    "variables": {
        "payment_days": {"standard": None},
        "liability_cap_multiple": {"standard": 1},
        "confidentiality_months": {"standard": None},
        "governing_law": {"standard": None},
        "acceptance_days": {"standard": 10},
        "notice_days": {"standard": 30},
        "renewal_months": {"standard": 12},
        "order_terms": {"standard": None},
    },
    "clauses": {},
}


class PlaybookError(ValueError):
    """A playbook document that cannot be used, with a message for the person editing it."""


@dataclass(frozen=True, slots=True)
class Position:
    """A variable's standard and acceptable positions."""

    standard: Any
    min: float | None = None
    max: float | None = None
    fallbacks: tuple[Any, ...] = ()
    forbidden: tuple[Any, ...] = ()
    house: bool = True  # False: the built-in default, which no meeting term can deviate from

    def verdict(self, value: Any) -> str:
        """``standard``, ``fallback``, ``outside`` or ``forbidden`` for one value."""
        if _same(value, self.standard):
            return "standard"
        if any(_same(value, f) for f in self.forbidden):
            return "forbidden"
        if any(_same(value, f) for f in self.fallbacks):
            return "fallback"
        if isinstance(value, int | float) and (self.min is not None or self.max is not None):
            lo = self.min if self.min is not None else float("-inf")
            hi = self.max if self.max is not None else float("inf")
            return "fallback" if lo <= value <= hi else "outside"
        return "outside"

    def allowed(self, variable: Variable) -> str:
        """The acceptable positions in words ("up to net 45", "New York or Delaware")."""
        if self.min is not None or self.max is not None:
            fmt = variable.describe or "{v}"
            if self.min is not None and self.max is not None and self.min > 0:
                return f"{fmt.format(v=_num(self.min))} to {fmt.format(v=_num(self.max))}"
            if self.max is not None:
                return f"up to {fmt.format(v=_num(self.max))}"
            return f"at least {fmt.format(v=_num(self.min or 0))}"
        options = [self.standard, *self.fallbacks]
        return " or ".join(str(o) for o in options)


@dataclass(frozen=True, slots=True)
class Playbook:
    """An organization's playbook, parsed (``version`` 0 is the built-in default)."""

    positions: Mapping[str, Position]
    clause_texts: Mapping[str, str] = field(default_factory=dict)
    clause_forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    version: int = 0

    def standard(self, key: str) -> Any:
        """The standard value of a variable (the default playbook's when this one has none)."""
        pos = self.positions.get(key)
        if pos is None:
            return DEFAULT_PLAYBOOK["variables"][key]["standard"]
        return pos.standard


def _num(v: float) -> str:
    return f"{int(v)}" if float(v).is_integer() else f"{v:g}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _norm_text(a) == _norm_text(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


def _norm_text(text: str) -> str:
    text = re.sub(r"\b(?:the\s+)?(?:state|commonwealth) of\s+", "", text.lower())
    return re.sub(r"[^a-z0-9]+", " ", text.replace(" law", "")).strip()


def parse_playbook(doc: Mapping[str, Any], *, version: int = 0) -> Playbook:
    """Check and parse a playbook document; :class:`PlaybookError` says what is wrong."""
    if not isinstance(doc, Mapping):
        raise PlaybookError("a playbook is a JSON object with 'variables' and 'clauses'")
    unknown = set(doc) - {"variables", "clauses", "name", "notes"}
    if unknown:
        raise PlaybookError(f"unknown playbook field(s): {', '.join(sorted(unknown))}")
    positions: dict[str, Position] = {}
    for key, spec in (doc.get("variables") or {}).items():
        variable = VARIABLES.get(key)
        if variable is None:
            raise PlaybookError(f"unknown variable {key!r}; known: {', '.join(sorted(VARIABLES))}")
        if not isinstance(spec, Mapping) or "standard" not in spec:
            raise PlaybookError(f"variable {key!r} needs a 'standard' value")
        extra = set(spec) - {"standard", "min", "max", "fallbacks", "forbidden"}
        if extra:
            raise PlaybookError(f"variable {key!r}: unknown field(s) {', '.join(sorted(extra))}")
        standard = spec["standard"]
        if variable.kind == "number":
            for name in ("standard", "min", "max"):
                value = spec.get(name)
                if value is not None and (
                    isinstance(value, bool) or not isinstance(value, int | float) or value < 0
                ):
                    raise PlaybookError(f"variable {key!r}: {name} must be a number ≥ 0")
            lo, hi = spec.get("min"), spec.get("max")
            if lo is not None and hi is not None and lo > hi:
                raise PlaybookError(f"variable {key!r}: min is larger than max")
            if (lo is not None and standard < lo) or (hi is not None and standard > hi):
                raise PlaybookError(f"variable {key!r}: the standard is outside min/max")
        elif not isinstance(standard, str) or not standard.strip():
            raise PlaybookError(f"variable {key!r}: standard must be a non-empty text")
        for name in ("fallbacks", "forbidden"):
            if not isinstance(spec.get(name, []), list):
                raise PlaybookError(f"variable {key!r}: {name} must be a list")
        positions[key] = Position(
            standard=standard,
            min=spec.get("min"),
            max=spec.get("max"),
            fallbacks=tuple(spec.get("fallbacks") or ()),
            forbidden=tuple(spec.get("forbidden") or ()),
        )
    for key, spec in DEFAULT_PLAYBOOK["variables"].items():
        positions.setdefault(key, Position(standard=spec["standard"], house=False))
    texts: dict[str, str] = {}
    forbidden: dict[str, tuple[str, ...]] = {}
    for key, spec in (doc.get("clauses") or {}).items():
        if not isinstance(spec, Mapping) or set(spec) - {"text", "forbidden"}:
            raise PlaybookError(f"clause {key!r}: give 'text' and/or 'forbidden' only")
        if spec.get("text") is not None:
            if not isinstance(spec["text"], str) or not spec["text"].strip():
                raise PlaybookError(f"clause {key!r}: text must be a non-empty text")
            texts[key] = spec["text"]
        phrases = spec.get("forbidden") or []
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
            raise PlaybookError(f"clause {key!r}: forbidden must be a list of phrases")
        if phrases:
            forbidden[key] = tuple(phrases)
    return Playbook(positions, texts, forbidden, version)


DEFAULT = Playbook(
    {
        k: Position(standard=v["standard"], house=False)
        for k, v in DEFAULT_PLAYBOOK["variables"].items()
    }
)


# ---------------------------------------------------------------- meeting terms as variables


def _days(value: Any) -> float | None:
    if isinstance(value, Mapping):
        days = value.get("days")
        if isinstance(days, int | float) and not isinstance(days, bool):
            return float(days)
    return None


def liability_multiple(value: Any) -> float | None:
    """A liability cap as a multiple of the fees: ``{"multiple_of_fees": 2}`` or "2x the fees"."""
    if isinstance(value, Mapping):
        for k in ("multiple_of_fees", "multiple", "times", "multiplier"):
            v = value.get(k)
            if isinstance(v, int | float) and not isinstance(v, bool):
                return float(v)
        value = value.get("text")
    if isinstance(value, str):
        m = re.search(r"(\d+(?:\.\d+)?)\s*(?:x|×|times)\b", value, re.I)
        if m:
            return float(m.group(1))
        words = {"one": 1.0, "two": 2.0, "three": 3.0, "twice": 2.0, "double": 2.0}
        for word, n in words.items():
            if re.search(rf"\b{word}\b", value, re.I):
                return n
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("text") or value.get("name")
    return str(value).strip() if value else None


# (value key, variable, reader): how an agreed term reads as a playbook variable. New term
# keys from the extractor need one line here.
TERM_VARIABLES: tuple[tuple[str, str, Any], ...] = (
    ("payment_terms", "payment_days", _days),
    ("payment_days", "payment_days", lambda v: _days(v) if isinstance(v, Mapping) else v),
    (
        "confidentiality_period",
        "confidentiality_months",
        lambda v: None if _days(v) is None else round((_days(v) or 0) / 30.4375),
    ),
    ("governing_law", "governing_law", _text),
    ("liability_cap", "liability_cap_multiple", liability_multiple),
    ("notice_period", "notice_days", _days),
    (
        "renewal_period",
        "renewal_months",
        lambda v: None if _days(v) is None else round((_days(v) or 0) / 30.4375),
    ),
)


@dataclass(frozen=True, slots=True)
class Deviation:
    """A meeting term outside the playbook."""

    variable: str
    key: str  # the item value key
    value: Any
    verdict: str  # "outside" or "forbidden"
    item_ids: tuple[str, ...]
    message: str


def deviations(usable: Sequence[Item], playbook: Playbook) -> list[Deviation]:
    """Every agreed term of the usable items that the playbook does not accept."""
    out: list[Deviation] = []
    seen: set[tuple[str, str]] = set()
    for key, var_key, read in TERM_VARIABLES:
        variable = VARIABLES[var_key]
        pos = playbook.positions.get(var_key)
        if pos is None:
            continue
        for item in usable:
            if key not in item.values:
                continue
            value = read(item.values[key])
            if value is None or not pos.house or (var_key, repr(value)) in seen:
                continue  # no house position on it: nothing to deviate from
            verdict = pos.verdict(value)
            if verdict not in ("outside", "forbidden"):
                continue
            seen.add((var_key, repr(value)))
            said = (variable.describe or "{v}").format(
                v=_num(value) if isinstance(value, int | float) else value
            )
            if verdict == "forbidden":
                message = f"{said} agreed; the playbook forbids it"
            else:
                message = f"{said} agreed; playbook allows {pos.allowed(variable)}"
            out.append(Deviation(var_key, key, value, verdict, (item.id,), message))
    return out


def forbidden_phrases(clause_key: str, text: str, playbook: Playbook) -> list[str]:
    """The playbook's forbidden phrases that appear in a clause's text."""
    low = " ".join(text.lower().split())
    return [p for p in playbook.clause_forbidden.get(clause_key, ()) if p.lower() in low]
