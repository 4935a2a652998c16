"""QA findings presented for lawyers: merged per problem, plain words, fix targets (pure)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bridge_app.core.drafting import Draft, make_draft, run_qa
from bridge_app.core.drafting.model import Finding
from bridge_app.core.extraction.model import Item
from bridge_app.core.review.findings import (
    PLAIN_TEXT,
    plain_findings,
    problem_count,
    template_defaults,
)
from bridge_app.core.vocabulary import QA_CODES
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


def _real_findings() -> tuple[list[Finding], Draft, list[Item]]:
    """Findings real QA runs give: a missing fee, two competing fees, an agreed quantity no
    clause uses, an open question, an unowned action, a third party, past dates, and items
    changed or gone after drafting."""
    base = sow_items()
    items = [i for i in base if "fee" not in i.values] + [
        item("fee-a", {"fee": {"amount": 40000.0, "currency": "USD"}}),
        item("fee-b", {"fee": {"amount": 44000.0, "currency": "USD"}}),
        item("seats", {"quantity": {"value": 20.0, "unit": "licenses"}}),
        item("q1", {}, kind="open_question", statement="Who hosts the data?"),
        item("a1", {}, kind="action_item", statement="Send the migration plan."),
        item("p3", {"party": {"name": "Harbor Subcontracting Ltd", "role": "subcontractor"}}),
    ]
    doc = _draft(items)
    findings = run_qa(doc, items, today=date(2026, 7, 1))
    changed = [replace(i, review_status="rejected") if i.id == "pay" else i for i in items]
    changed = [i for i in changed if i.id != "dates"]
    findings += run_qa(doc, changed, today=TODAY)
    return findings, doc, items


def _synthetic(doc: Draft, items: list[Item]) -> list[Finding]:
    """The codes the scenarios above do not raise, with messages as their checks write them."""
    fees = next(c for c in doc.clauses if c.key == "fees")
    n, h = fees.number, fees.heading
    ev = (items[0].id, items[0].evidence[0].segment_id)
    return [
        Finding("missing_required_term", "blocker", "fees", "…", data={"term": "price"}),
        Finding(
            "end_before_start",
            "blocker",
            "term",
            "The end date 1 March 2026 is before the start date 2 March 2026.",
            ev,
            data={"term": "end_date"},
        ),
        Finding(
            "amount_without_currency",
            "blocker",
            "fees",
            f"The amount 48000.0 in clause {n} has no currency.",
            ev,
        ),
        Finding(
            "currency_mismatch",
            "warning",
            "fees",
            "The amount EUR 48,000.00 is in EUR, but the meeting's amounts are in USD.",
            ev,
        ),
        Finding(
            "party_name_inconsistent",
            "warning",
            "parties",
            'One party is named in several ways: "Northwind", "Northwind Inc.". Use one '
            "legal name.",
            ev,
        ),
        Finding(
            "defined_term_inconsistent",
            "warning",
            "fees",
            f'Clause {n} writes "client" where the defined term is "Client".',
        ),
        Finding(
            "obligation_party_unknown",
            "warning",
            "fees",
            f"Sam is not known to speak for either party, so clause {n} binds them by "
            'name: "Sam sends the plan". Say which party they are with (edit the item\'s '
            "party) and regenerate.",
            ev,
            data={"owner": "Sam"},
        ),
        Finding(
            "first_person_text",
            "warning",
            "fees",
            f'Clause {n} ({h}) speaks in the first person ("we"); a contract names the Parties.',
            data={"words": ["we"]},
        ),
        Finding(
            "playbook_deviation",
            "blocker",
            "fees",
            "Net 90 agreed; playbook allows up to net 45 (agreed at 01:14, said by Tom "
            "Okafor). A legal user may accept it with a reason.",
            ev,
            data={"variable": "payment_terms"},
        ),
        Finding(
            "playbook_forbidden_text",
            "blocker",
            "fees",
            f'Clause {n} ({h}) says "unlimited liability", which the playbook forbids.',
            data={"phrase": "unlimited liability"},
        ),
        Finding(
            "counterparty_change",
            "blocker",
            "fees",
            "Counterparty changed the fee to USD 52,000.00; agreed USD 48,000.00 at 00:45 "
            "(tracked change (Tom Okafor)).",
            ev,
            data={"kind": "changed", "term": "fee"},
        ),
        Finding(
            "clause_edited",
            "info",
            "fees",
            f"Clause {n} ({h}) is Priya's edit, kept over regeneration: client wording.",
            data={"by": "Priya"},
        ),
    ]


def test_every_qa_code_has_plain_words_and_a_fix_link() -> None:
    assert set(PLAIN_TEXT) == set(QA_CODES)
    findings, doc, items = _real_findings()
    findings += _synthetic(doc, items)
    assert {f.code for f in findings} == set(QA_CODES), set(QA_CODES) - {f.code for f in findings}
    ids = {i.id for i in items} | {e.segment_id for i in items for e in i.evidence}
    for f in findings:
        plain = plain_findings([f], doc, items)
        assert len(plain) == 1, f
        (one,) = plain
        words = set(re.findall(r"[\w-]+", one.sentence))
        assert one.sentence and not words & set(QA_CODES), (f.code, one.sentence)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", one.sentence), (f.code, one.sentence)
        assert not words & ids, (f.code, one.sentence)
        assert "a term" not in one.sentence and "'" not in one.sentence.replace("'s", "")
        assert one.fix != "none" and one.fix_label, (f.code, one)
        assert one.target or one.fix == "regenerate", (f.code, one)
    unused = next(f for f in findings if f.code == "term_not_in_contract")
    (said,) = plain_findings([unused], doc, items)
    assert said.sentence == (
        "The meeting agreed the fee (USD 40,000.00), but no clause of the draft uses it."
    )
    # the two competing fees are one problem, not a conflict plus two unused terms
    real, _doc, _items = _real_findings()
    fees = [p for p in plain_findings(real, doc, items) if "fee" in p.sentence]
    assert [p.sentence for p in fees] == [
        "The meeting gave different values for the fee: USD 40,000.00 or USD 44,000.00. Pick one."
    ]
