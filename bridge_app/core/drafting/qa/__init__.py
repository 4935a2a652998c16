"""QA of a draft version against the meeting's current items (pure; the clock is passed in).

Finding codes and severities:

=========================  ========  ==========================================================
code                       severity  when
=========================  ========  ==========================================================
missing_required_term      blocker   a clause needs a term the meeting did not settle
placeholder_left           blocker   a ``[[MISSING: …]]`` / ``[[CONFLICT: …]]`` is in the text
value_mismatch             blocker   a filled value differs from its item now (edited, rejected,
                                     superseded) or the clause text no longer shows it
source_missing             warning   an item a value came from no longer exists
conflicting_items          blocker   two unresolved items give a term the draft uses different
                                     values (warning when the draft does not use the term)
end_before_start           blocker   the end date is before the start date
date_in_past               warning   an effective/start/end or due date is before ``today``
amount_without_currency    blocker   an amount has no currency (warning when only in edited text)
currency_mismatch          warning   an amount's currency differs from the meeting's
party_name_inconsistent    warning   one party under several spellings, or the text names a
                                     party differently from its definition
defined_term_inconsistent  warning   a role term used but not defined, or a defined term written
                                     in lower case
obligation_unassigned      warning   an obligation in the draft has nobody responsible (info
                                     when the draft does not include it)
unreviewed_items           info      values come from items nobody has reviewed yet
open_question              info      the meeting left a question open
extra_party                info      a party named in the meeting is not a party to the draft
obligation_party_unknown   warning   an obligation's owner speaks for no known party, so it
                                     binds the person by name
first_person_text          warning   the contract text says "I", "we", "our" … outside quotes
term_not_in_contract       warning   an agreed term no clause of the draft uses
playbook_deviation         blocker   a meeting term falls outside the organization's playbook
                                     ("net 90 agreed; playbook allows up to net 45")
playbook_forbidden_text    blocker   a clause contains a phrase the playbook forbids
counterparty_change        blocker   an imported counterparty DOCX changes or deletes a value
                                     agreed in the meeting (warning for other edits)
clause_edited              info      a legal user's direct edit replaces the generated clause
=========================  ========  ==========================================================

The codes themselves are the vocabulary's ``QA_CODES`` (core/vocabulary.py). Each check is a
function of a :class:`~bridge_app.core.drafting.qa.base.QAContext`, in one module per group
(``terms``, ``dates_and_amounts``, ``wording``, ``open_points``, ``positions``); ``CHECKS``
lists them in order and ``run_qa`` runs them all. A blocker of an acceptable kind
(``ACCEPTABLE``) that a legal user accepted with a reason is kept, as a warning that names
the acceptance. A draft with a blocker cannot be approved (:func:`can_approve`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from bridge_app.core.drafting.model import Draft, Finding, Severity
from bridge_app.core.drafting.playbook import DEFAULT, Playbook
from bridge_app.core.drafting.qa.base import Check, QAContext
from bridge_app.core.drafting.qa.dates_and_amounts import check_currency, check_dates
from bridge_app.core.drafting.qa.open_points import (
    check_info,
    check_obligation_parties,
    check_unassigned,
)
from bridge_app.core.drafting.qa.positions import (
    check_counterparty_changes,
    check_forbidden_text,
    check_playbook,
)
from bridge_app.core.drafting.qa.terms import (
    check_conflicts,
    check_missing_terms,
    check_placeholders,
    check_unused_terms,
    check_values,
)
from bridge_app.core.drafting.qa.wording import check_first_person, check_names, check_overrides
from bridge_app.core.drafting.terms import superseded_ids, usable_items
from bridge_app.core.extraction.model import Item
from bridge_app.core.vocabulary import SEVERITIES

__all__ = [
    "ACCEPTABLE",
    "CHECKS",
    "Check",
    "QAContext",
    "can_approve",
    "finding_key",
    "qa_report",
    "run_qa",
]


CHECKS: tuple[Check, ...] = (
    check_missing_terms,
    check_placeholders,
    check_values,
    check_conflicts,
    check_dates,
    check_currency,
    check_names,
    check_info,
    check_unassigned,
    check_obligation_parties,
    check_first_person,
    check_unused_terms,
    check_playbook,
    check_forbidden_text,
    check_counterparty_changes,
    check_overrides,
)


# Blockers a legal user may accept with a reason (the others must be fixed in the text).
ACCEPTABLE = frozenset({"playbook_deviation", "playbook_forbidden_text", "counterparty_change"})


def finding_key(finding: Finding) -> str:
    """A finding's identity across QA runs and versions, for acceptances."""
    detail = (
        finding.data.get("variable") or finding.data.get("phrase") or finding.data.get("term") or ""
    )
    return f"{finding.code}:{finding.clause or ''}:{detail}"


def _accept(findings: list[Finding], accepted: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    out = []
    for f in findings:
        acceptance = accepted.get(finding_key(f))
        if acceptance is not None and f.code in ACCEPTABLE and f.severity == "blocker":
            by = acceptance.get("by") or "a legal user"
            f = replace(
                f,
                severity="warning",
                message=f"{f.message} Accepted by {by}: {acceptance.get('reason', '')}",
                data={**f.data, "accepted": dict(acceptance)},
            )
        out.append(f)
    return out


def run_qa(
    draft: Draft,
    items: Sequence[Item],
    *,
    today: date,
    playbook: Playbook | None = None,
    accepted: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Finding]:
    """Check one draft version against the meeting's current items. Sorted blockers first.

    ``playbook`` is the organization's (the built-in positions when None); ``accepted`` maps
    :func:`finding_key` to a legal user's acceptance (``{"by", "reason", "at"}``).
    """
    ctx = QAContext(
        draft=draft,
        items=items,
        usable=usable_items(items),
        by_id={i.id: i for i in items},
        gone=superseded_ids(items),
        today=today,
        playbook=playbook or DEFAULT,
    )
    out = _accept([f for check in CHECKS for f in check(ctx)], accepted or {})
    order = {c.key: n for n, c in enumerate(draft.clauses)}
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    out.sort(key=lambda f: (rank[f.severity], order.get(f.clause or "", len(order)), f.code))
    return out


def can_approve(findings: Iterable[Finding]) -> bool:
    """A draft can be approved only when QA found no blocker."""
    return not any(f.severity == "blocker" for f in findings)


def qa_report(draft: Draft, findings: Sequence[Finding]) -> dict[str, Any]:
    """The stored QA report: verdict, counts by severity, and the findings."""
    counts: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return {
        "contract_type": draft.contract_type,
        "version": draft.version,
        "can_approve": can_approve(findings),
        "counts": counts,
        "findings": [f.to_dict() for f in findings],
    }
