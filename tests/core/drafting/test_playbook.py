"""Playbooks: house positions fill the draft, meeting terms outside them are blockers that a
legal user may accept, forbidden wording is found wherever it came from."""

from __future__ import annotations

from datetime import date

import pytest

from bridge_app.core.drafting import make_draft, run_qa
from bridge_app.core.drafting.playbook import PlaybookError, deviations, parse_playbook
from bridge_app.core.drafting.qa import can_approve, finding_key
from tests.core.drafting.factory import item, sow_items

TODAY = date(2026, 1, 10)
HOUSE = {
    "variables": {
        "payment_days": {"standard": 30, "max": 45},
        "liability_cap_multiple": {"standard": 1, "min": 1, "max": 2},
        "confidentiality_months": {"standard": 36, "min": 24, "max": 60},
        "governing_law": {
            "standard": "England and Wales",
            "fallbacks": ["New York"],
            "forbidden": ["Texas"],
        },
        "notice_days": {"standard": 60},
    },
    "clauses": {
        "limitation-of-liability": {"forbidden": ["unlimited liability"]},
        "confidentiality": {
            "text": "Each Party shall keep the other's information confidential for "
            "{{ pb.confidentiality }}."
        },
    },
}


def draft(items, ctype="sow", playbook=None):
    return make_draft(
        items, contract_type=ctype, meeting_title="M", meeting_date=TODAY, playbook=playbook
    )


def with_payment(days: int):
    items = sow_items()
    items[4] = item("pay", {"payment_terms": {"text": f"net {days}", "days": days}})
    return items


def test_net_90_against_a_net_45_playbook_is_a_blocker() -> None:
    pb = parse_playbook(HOUSE, version=3)
    items = with_payment(90)
    d = draft(items, playbook=pb)
    assert d.playbook_version == 3
    (f,) = [f for f in run_qa(d, items, today=TODAY, playbook=pb) if f.code == "playbook_deviation"]
    assert f.severity == "blocker" and f.clause == "payment"
    assert f.message.startswith("Net 90 agreed; playbook allows up to net 45")
    assert "pay" in f.evidence


def test_terms_inside_the_playbook_pass() -> None:
    pb = parse_playbook(HOUSE)
    items = with_payment(45)  # the limit itself is allowed; New York is a fallback
    assert deviations(items, pb) == []


def test_a_forbidden_governing_law_is_a_blocker() -> None:
    pb = parse_playbook(HOUSE)
    items = [*sow_items()]
    items[6] = item("law", {"governing_law": {"text": "the State of Texas"}})
    (dev,) = deviations(items, pb)
    assert dev.verdict == "forbidden" and "forbids" in dev.message


def test_a_legal_user_accepts_the_blocker_with_a_reason() -> None:
    pb = parse_playbook(HOUSE)
    items = with_payment(90)
    d = draft(items, playbook=pb)
    findings = run_qa(d, items, today=TODAY, playbook=pb)
    (f,) = [f for f in findings if f.code == "playbook_deviation"]
    accepted = {finding_key(f): {"by": "legal@x.test", "reason": "strategic customer"}}
    after = run_qa(d, items, today=TODAY, playbook=pb, accepted=accepted)
    (g,) = [x for x in after if x.code == "playbook_deviation"]
    assert g.severity == "warning" and "strategic customer" in g.message
    assert can_approve(after) and not can_approve(findings)


def test_a_non_acceptable_blocker_stays_a_blocker() -> None:
    items = [i for i in sow_items() if i.id != "pay"]
    d = draft(items)
    findings = run_qa(d, items, today=TODAY)
    keys = {finding_key(f): {"by": "x", "reason": "y"} for f in findings}
    assert not can_approve(run_qa(d, items, today=TODAY, accepted=keys))


def test_the_playbook_fills_what_the_meeting_left_open() -> None:
    pb = parse_playbook(HOUSE)
    items = [i for i in sow_items() if i.id not in ("pay", "law")]
    d = draft(items, playbook=pb)
    assert "within 30 days of the date of invoice" in d.clause("payment").text
    assert "laws of England and Wales" in d.clause("governing-law").text
    assert "within 60 days of receiving notice" in d.clause("term-termination").text
    blockers = [f for f in run_qa(d, items, today=TODAY, playbook=pb) if f.severity == "blocker"]
    assert blockers == []
    # Without the playbook the same meeting leaves placeholders that block approval.
    bare = draft(items)
    assert "[[MISSING: payment terms]]" in bare.clause("payment").text
    assert not can_approve(run_qa(bare, items, today=TODAY))


def test_house_clause_wording_replaces_the_built_in_one() -> None:
    pb = parse_playbook(HOUSE)
    d = draft(sow_items(), playbook=pb)
    assert d.clause("confidentiality").text == (
        "Each Party shall keep the other's information confidential for three years."
    )


def test_forbidden_wording_is_found_in_edited_text() -> None:
    pb = parse_playbook(HOUSE)
    items = sow_items()
    d = draft(items, playbook=pb)
    edited = d.with_clause_text(
        "limitation-of-liability", "The Provider accepts Unlimited Liability for all loss."
    )
    (f,) = [
        f
        for f in run_qa(edited, items, today=TODAY, playbook=pb)
        if f.code == "playbook_forbidden_text"
    ]
    assert f.severity == "blocker" and f.data["phrase"] == "unlimited liability"


def test_a_liability_cap_from_the_meeting_is_checked_and_written() -> None:
    pb = parse_playbook(HOUSE)
    items = [*sow_items(), item("cap", {"liability_cap": {"text": "3x the fees"}})]
    (dev,) = deviations(items, pb)
    assert dev.variable == "liability_cap_multiple" and dev.value == 3.0
    assert "playbook allows 1 × the fees to 2 × the fees" in dev.message


def test_without_an_organization_playbook_nothing_deviates() -> None:
    items = with_payment(120)
    d = draft(items)
    assert not [f for f in run_qa(d, items, today=TODAY) if f.code == "playbook_deviation"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "JSON object"),
        ({"variables": {"payment_dayz": {"standard": 30}}}, "unknown variable 'payment_dayz'"),
        ({"variables": {"payment_days": {"max": 30}}}, "needs a 'standard'"),
        ({"variables": {"payment_days": {"standard": "thirty"}}}, "must be a number"),
        ({"variables": {"payment_days": {"standard": 30, "min": 50, "max": 40}}}, "min is larger"),
        ({"variables": {"governing_law": {"standard": ""}}}, "non-empty text"),
        ({"variables": {"payment_days": {"standard": 60, "max": 45}}}, "outside min/max"),
        ({"clauses": {"fees": {"wording": "x"}}}, "'text' and/or 'forbidden'"),
        ({"clauses": {"fees": {"forbidden": "x"}}}, "list of phrases"),
        ({"extra": 1}, "unknown playbook field"),
    ],
)
def test_bad_playbooks_are_refused_with_a_reason(doc, message) -> None:
    with pytest.raises(PlaybookError, match=message):
        parse_playbook(doc)


def test_meeting_terms_beat_the_playbook_in_the_text() -> None:
    pb = parse_playbook(HOUSE)
    items = [
        *sow_items(),
        item("cap", {"liability_cap": {"text": "2x the fees"}}),
        item("notice", {"notice_period": {"days": 45, "text": "45 days"}}),
    ]
    d = draft(items, playbook=pb)
    assert (
        "limited to an amount equal to 2 times the fees paid and payable"
        in d.clause("limitation-of-liability").text
    )
    assert "within 45 days of receiving notice" in d.clause("term-termination").text
    assert "45 days' written notice" in d.clause("term-termination").text
    used = {p.item_id for c in d.clauses for p in c.provenance}
    assert {"cap", "notice"} <= used
    assert not [
        f for f in run_qa(d, items, today=TODAY, playbook=pb) if f.code.startswith("term_not")
    ]
