"""The shared skeleton of every export format: the walk through a contract — title and meta
line, numbered clauses, signature block, provenance appendix, QA report — and the pieces of
text each format shows the same way (times, source lines, signature rows).

A format is a :class:`ContractWriter` that fills in the hooks the walk calls, in order
(``to_markdown``, ``to_html``, ``to_docx``, ``to_pdf``), so all of them carry the same parts
and a new part is added in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Generic, TypeVar

from bridge_app.core.drafting.model import Clause, Draft, Finding, Provenance
from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.drafting.terms import fmt_date
from bridge_app.core.review.terms import REVIEWER_ENTERED

LIST_LINE = re.compile(r"^\(([a-z]{1,3}|\d{1,2})\)\s")

Output = TypeVar("Output")


def fmt_time(seconds: float) -> str:
    """Seconds from the meeting start as ``HH:MM:SS``."""
    total = max(0, int(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def meta_line(draft: Draft) -> str:
    status = f"Approved version {draft.version} ({draft.approval})" if draft.approval else ""
    return (
        f"{status or f'Draft version {draft.version}'}, prepared on "
        f"{fmt_date(draft.prepared_on)} from the "
        f'meeting "{draft.meeting_title}" held on {fmt_date(draft.meeting_date)}.'
    )


def source_lines(prov: Provenance) -> list[str]:
    """One line per quote: ``[00:01:02-00:01:07] Dana (s12): "…"``."""
    if not prov.quotes:
        return [f"({REVIEWER_ENTERED})"]
    return [
        f"[{fmt_time(q.start)}-{fmt_time(q.end)}] {q.speaker or 'unknown speaker'} "
        f'({q.segment_id}): "{q.quote}"'
        for q in prov.quotes
    ]


def prov_heading(prov: Provenance) -> str:
    return f"{prov.term.replace('_', ' ')}: {prov.display} (item {prov.item_id})"


def edited(clause: Clause) -> str:
    """ " (edited by …: reason)" for a clause a legal user rewrote, else ""."""
    if not clause.override:
        return ""
    by = clause.override.get("by") or "a legal user"
    reason = clause.override.get("reason")
    return f" (edited by {by}" + (f": {reason}" if reason else "") + ")"


def signature_rows(draft: Draft) -> list[tuple[str, str]]:
    """(party name, defined term) per signature block, in party order; a party the meeting did
    not name keeps its placeholder here too."""
    roles = TEMPLATES[draft.contract_type].roles
    try:
        missing = set(draft.clause("parties").missing)
    except KeyError:
        missing = set()
    present = iter(draft.parties)
    rows = []
    for n, role in enumerate(roles, start=1):
        if f"party_{n}" in missing:
            label = ("first party", "second party")[n - 1] if role == "Party" else role.lower()
            rows.append((f"[[MISSING: {label}]]", role))
        else:
            party = next(present, None)
            if party is not None:
                rows.append((party.name, party.defined_as))
    return rows


class ContractWriter(Generic[Output]):
    """One export format. :meth:`write` walks the draft and calls the hooks in contract order;
    a format overrides the hooks it shows (a format without a QA report leaves ``qa`` alone)."""

    def write(self, draft: Draft, findings: Sequence[Finding] | None = None) -> Output:
        self.begin(draft, meta_line(draft))
        for n, clause in enumerate(draft.clauses, start=1):
            self.clause(clause, n)
        self.signatures(signature_rows(draft))
        self.appendix_start()
        for clause in draft.clauses:
            self.appendix_clause(clause)
        self.appendix_end()
        if findings is not None:
            self.qa(findings)
        return self.finish()

    def begin(self, draft: Draft, meta: str) -> None:
        """The title and the meta line (version, date, meeting)."""
        raise NotImplementedError

    def clause(self, clause: Clause, n: int) -> None:
        """One numbered clause (``n`` counts from 1)."""
        raise NotImplementedError

    def signatures(self, rows: list[tuple[str, str]]) -> None:
        """The signature block: (party name, defined term) per party."""
        raise NotImplementedError

    def appendix_start(self) -> None:
        """The provenance appendix's heading."""

    def appendix_clause(self, clause: Clause) -> None:
        """One clause's sources in the appendix (a clause with none may be left out)."""
        raise NotImplementedError

    def appendix_end(self) -> None:
        """After the appendix's last clause."""

    def qa(self, findings: Sequence[Finding]) -> None:
        """The QA report, for the formats that show one."""

    def finish(self) -> Output:
        """The finished file."""
        raise NotImplementedError
