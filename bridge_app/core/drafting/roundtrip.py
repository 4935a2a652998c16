"""A counterparty's edited copy back in: the clauses read from their DOCX, as a new version.

:func:`imported_version` lines the clauses read from the document up with the version that was
sent (by the ``clause_<key>`` bookmark each exported heading carries, else by heading), and
records what changed: clauses changed, deleted and added, with the provenance of what the
meeting agreed for each. QA (``counterparty_change``) then names every change that departs
from the meeting, with the transcript moment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bridge_app.core.drafting.model import Clause, Draft, find_placeholders

# Each exported clause heading carries the bookmark clause_<key> (render.py writes it,
# docx_import.py reads it), so a clause is recognised even when its heading was retyped.
BOOKMARK_PREFIX = "clause_"


@dataclass(frozen=True, slots=True)
class ReadClause:
    """One clause as read from a DOCX: its key (from the bookmark, when kept), heading, text
    (tracked changes accepted), and whether tracked changes touched it, by whom."""

    key: str | None
    heading: str
    text: str
    tracked: bool = False
    authors: tuple[str, ...] = ()


class ImportError_(ValueError):
    """The document is not an edited copy of this draft (message for a person)."""


def _norm(text: str) -> str:
    return " ".join(text.split())


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")[:48] or "clause"


def imported_version(base: Draft, read: Sequence[ReadClause]) -> Draft:
    """The counterparty's copy as the next version of ``base`` (see the module docstring)."""
    by_key = {c.key: c for c in base.clauses}
    by_heading = {_norm(c.heading).lower(): c for c in base.clauses}
    matched: set[str] = set()
    clauses: list[Clause] = []
    changes: list[dict[str, Any]] = []
    for n, rc in enumerate(read, start=1):
        origin = by_key.get(rc.key or "") or by_heading.get(_norm(rc.heading).lower())
        if origin is not None and origin.key in matched:
            origin = None
        if origin is None:
            key = f"added-{_slug(rc.heading)}"
            while any(c.key == key for c in clauses):
                key += "-x"
            clauses.append(
                Clause(
                    number=str(n),
                    key=key,
                    heading=rc.heading,
                    text=rc.text,
                    placeholders=tuple(find_placeholders(rc.text)),
                )
            )
            changes.append(_change("added", key, rc.heading, "", rc.text, (), rc))
            continue
        matched.add(origin.key)
        clause = replace(
            origin,
            number=str(n),
            heading=rc.heading or origin.heading,
            text=rc.text,
            placeholders=tuple(find_placeholders(rc.text)),
        )
        clauses.append(clause)
        if _norm(rc.text) != _norm(origin.text):
            changes.append(
                _change("changed", origin.key, origin.heading, origin.text, rc.text, origin, rc)
            )
    for origin in base.clauses:
        if origin.key not in matched:
            changes.append(
                _change("deleted", origin.key, origin.heading, origin.text, "", origin, None)
            )
    if not matched:
        raise ImportError_(
            "none of the document's clauses matches this draft; import a copy of a version "
            "exported from it"
        )
    return replace(
        base,
        clauses=tuple(clauses),
        version=base.version + 1,
        parent_version=base.version,
        origin="imported",
        counterparty_changes=tuple(changes),
    )


def _change(
    kind: str,
    key: str,
    heading: str,
    old: str,
    new: str,
    origin: Clause | tuple[()],
    rc: ReadClause | None,
) -> dict[str, Any]:
    provenance = [p.to_dict() for p in origin.provenance] if isinstance(origin, Clause) else []
    return {
        "kind": kind,
        "clause": key,
        "heading": heading,
        "old": old,
        "new": new,
        "provenance": provenance,
        "tracked": bool(rc and rc.tracked),
        "author": ", ".join(rc.authors) if rc and rc.authors else None,
    }
