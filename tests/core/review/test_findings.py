"""QA findings presented for lawyers: merged per problem, plain words, fix targets (pure)."""

from __future__ import annotations

from datetime import date

from bridge_app.core.drafting import make_draft, run_qa
from bridge_app.core.drafting.model import Finding
from bridge_app.core.review.findings import (
    plain_findings,
    problem_count,
    template_defaults,
)
from tests.core.drafting.factory import item, sow_items

MEETING = date(2026, 2, 10)
TODAY = date(2026, 2, 12)


def _draft(items, title="SOW close"):
    return make_draft(items, contract_type="sow", meeting_title=title, meeting_date=MEETING)


def test_a_missing_term_is_one_finding_with_a_fix_link_and_no_codes() -> None:
    items = [i for i in sow_items() if "fee" not in i.values]
    doc = _draft(items)
    findings = run_qa(doc, items, today=TODAY)
    codes = [f.code for f in findings]
    assert "missing_required_term" in codes and "placeholder_left" in codes
    plain = plain_findings(findings, doc, items)
    fee = [p for p in plain if "price" in p.sentence or "fee" in p.sentence.lower()]
    assert len(fee) == 1, plain
    assert fee[0].sentence.startswith("The fee is missing"), fee[0].sentence
    (one,) = fee
    assert one.severity == "blocker" and one.fix == "term" and one.target == "price"
    assert set(one.codes) >= {"missing_required_term", "placeholder_left"}
    for p in plain:
        assert "_" not in p.sentence.replace("__", ""), p.sentence  # no codes in sentences
    blockers = [f for f in findings if f.severity == "blocker"]
    assert problem_count(blockers, "sow", "blocker") == sum(
        1 for p in plain if p.severity == "blocker"
    )


def test_a_name_inside_the_quoted_meeting_title_is_not_a_party_problem() -> None:
    items = sow_items()
    doc = _draft(items, title="Northwind kickoff")
    finding = Finding(
        "party_name_inconsistent",
        "warning",
        "background",
        'Clause 2 calls Northwind Analytics Inc. "Northwind kickoff"; the party is defined as '
        '"Northwind Analytics Inc." (the "Client").',
    )
    assert plain_findings([finding], doc, items) == []


def test_template_defaults_nobody_discussed_are_listed() -> None:
    items = sow_items()
    doc = _draft(items)
    sentences = [s for _k, s in template_defaults(doc, items)]
    assert any("within 10 business days" in s for s in sentences), sentences
    assert any("exclusive courts" in s for s in sentences)
    taxes = item("tax", {}, kind="decision", statement="Fees are plus VAT, as discussed.")
    assert not any("tax" in s for _k, s in template_defaults(doc, [*items, taxes]))
