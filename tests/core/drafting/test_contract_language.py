"""Drafts that read as contracts: the demo SOW, payment schedules, agreed terms, clause sets,
clause overrides kept over regeneration."""

from __future__ import annotations

from datetime import date

import pytest

from bridge_app.core.drafting import make_draft, regenerate, run_qa
from bridge_app.core.drafting.language import first_person_words
from bridge_app.core.drafting.payments import find_schedule
from bridge_app.core.extraction import extract_items
from bridge_app.core.transcript import parse_transcript
from bridge_app.demo import demo_transcript
from tests.core.drafting.factory import item, sow_items

MEETING = date(2026, 11, 26)


def demo_sow():
    transcript = parse_transcript(demo_transcript(), filename="sow_kickoff.vtt")
    items = extract_items(transcript.segments, meeting_date=MEETING)
    draft = make_draft(
        items, contract_type="sow", meeting_title="SOW kickoff", meeting_date=MEETING
    )
    return draft, items


def test_the_demo_sow_speaks_in_the_third_person_and_uses_every_agreed_term() -> None:
    draft, items = demo_sow()
    for clause in draft.clauses:
        assert first_person_words(clause.text) == [], (clause.key, clause.text)
    findings = run_qa(draft, items, today=MEETING)
    assert [f for f in findings if f.code in ("term_not_in_contract", "first_person_text")] == []
    used = {p.item_id for c in draft.clauses for p in c.provenance}
    agreed = {i.id for i in items if i.kind == "agreed_term"}
    assert agreed <= used
    responsibilities = draft.clause("responsibilities").text
    assert (
        "The Client shall send the list of warehouse sites and the data access forms to the "
        "Provider by" in responsibilities
    )
    assert "Priya Natarajan:" not in responsibilities
    # "for your analysts", said by the provider's Omar, is the Client's analysts.
    assert "handover workshop for the Client's analysts" in draft.clause("deliverables").text
    # "invoiced in two milestones" is a payment clause, not lost.
    payment = draft.clause("payment").text
    assert "in two milestones" in payment and "Milestone 2:" in payment
    assert any(p.term == "payment_schedule" for p in draft.clause("payment").provenance)


def test_the_obligations_quote_stays_in_the_provenance() -> None:
    draft, _ = demo_sow()
    (prov,) = [p for p in draft.clause("responsibilities").provenance if p.term == "obligation"][:1]
    assert prov.quotes[0].quote.startswith("I will send the list of warehouse sites")
    assert prov.quotes[0].speaker == "Priya Natarajan"


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        ("Half up front and the rest on completion.", ["50%", "50%"]),
        ("50% on signing, 30% on delivery and the balance on acceptance", ["50%", "30%", "20%"]),
        ("We'll bill it in three equal instalments", ["33.3333%", "33.3333%", "33.3333%"]),
        ("invoiced in two milestones", [None, None]),
        ("paid in four quarterly payments", ["25%", "25%", "25%", "25%"]),
    ],
)
def test_payment_schedules(said: str, lines: list[str | None]) -> None:
    items = [item("pay", {"payment_terms": {"text": "net 30", "days": 30}}, quote=said)]
    schedule = find_schedule(items, short="Statement of Work")
    assert schedule is not None and schedule.item_ids == ("pay",)
    shares = [None if p.percent is None else f"{p.percent:g}%" for p in schedule.instalments]
    assert shares == lines


def test_half_up_front_becomes_amounts_of_the_fee() -> None:
    items = sow_items()
    items[4] = item(
        "pay",
        {"payment_terms": {"text": "net 30", "days": 30}},
        quote="Net 30, with half up front and the rest on completion.",
    )
    d = make_draft(items, contract_type="sow", meeting_title="M", meeting_date=MEETING)
    text = d.clause("payment").text
    assert "(a) 50% of the Fees (USD 24,000.00) on signature of this Statement of Work;" in text
    assert "(b) 50% of the Fees (USD 24,000.00) on completion of the Services." in text


def test_monthly_billing_in_arrears() -> None:
    items = [
        item("p", {"price": {"amount": 100, "currency": "EUR"}}, quote="billed monthly in arrears")
    ]
    schedule = find_schedule(items, short="Order Form")
    assert schedule is not None and schedule.period == "monthly" and schedule.in_arrears is True


def test_no_schedule_said_none_invented() -> None:
    items = [item("pay", {"payment_terms": {"text": "net 30", "days": 30}}, quote="net 30 is ok")]
    assert find_schedule(items, short="Statement of Work") is None


def test_agreed_terms_no_clause_names_go_to_additional_terms() -> None:
    items = [
        *sow_items(),
        item("terr", {"territory": {"text": "the European Union"}}, quote="EU only"),
        item("excl", {"exclusivity": True}, quote="exclusive, yes"),
    ]
    d = make_draft(items, contract_type="sow", meeting_title="M", meeting_date=MEETING)
    other = d.clause("other-terms").text
    assert "Territory: the European Union" in other and "Exclusivity: yes" in other
    assert {p.item_id for p in d.clause("other-terms").provenance} == {"terr", "excl"}
    findings = run_qa(d, items, today=MEETING)
    assert not [f for f in findings if f.code == "term_not_in_contract"]
    # Edited away by hand: QA says the agreed term is no longer in the contract.
    edited = d.with_clause_text("other-terms", "The Parties agreed nothing else.")
    codes = {f.code for f in run_qa(edited, items, today=MEETING)}
    assert "value_mismatch" in codes


def test_without_extra_terms_the_clause_is_left_out_and_numbering_stays_sequential() -> None:
    d = make_draft(sow_items(), contract_type="sow", meeting_title="M", meeting_date=MEETING)
    assert "other-terms" not in {c.key for c in d.clauses}
    assert [c.number for c in d.clauses] == [str(n) for n in range(1, len(d.clauses) + 1)]


REQUIRED = {
    "nda": {
        "definitions",
        "exclusions",
        "permitted-disclosure",
        "compelled-disclosure",
        "return",
        "no-licence",
        "no-warranty",
        "remedies",
        "term",
    },
    "sow": {
        "precedence",
        "change-control",
        "term-termination",
        "ip",
        "warranties",
        "limitation-of-liability",
    },
    "msa-amendment": {
        "precedence",
        "change-control",
        "term-termination",
        "ip",
        "warranties",
        "limitation-of-liability",
    },
    "order-form": {"subscription-term", "renewal", "usage-limits", "incorporated-terms"},
}


@pytest.mark.parametrize("ctype", sorted(REQUIRED))
def test_each_contract_type_has_its_full_clause_set(ctype: str) -> None:
    d = make_draft(sow_items(), contract_type=ctype, meeting_title="M", meeting_date=MEETING)  # type: ignore[arg-type]
    assert REQUIRED[ctype] <= {c.key for c in d.clauses}
    for clause in d.clauses:
        assert first_person_words(clause.text) == [], clause.key


def test_order_form_says_which_placeholder_blocks_approval() -> None:
    items = sow_items()
    d = make_draft(items, contract_type="order-form", meeting_title="M", meeting_date=MEETING)
    blockers = [f for f in run_qa(d, items, today=MEETING) if f.code == "placeholder_left"]
    assert any("[[MISSING: governing terms]]" in f.message for f in blockers)
    assert all(f.severity == "blocker" and f.data["blocks_approval"] for f in blockers)


def test_a_clause_override_survives_regeneration_and_is_marked() -> None:
    items = sow_items()
    v1 = make_draft(items, contract_type="sow", meeting_title="M", meeting_date=MEETING)
    text = v1.clause("acceptance").text.replace("either accept", "promptly either accept")
    overrides = {"acceptance": {"text": text, "by": "legal@x.test", "reason": "house style"}}
    v2 = regenerate(v1, items, overrides=overrides)
    assert v2.clause("acceptance").text == text
    assert v2.clause("acceptance").override == {"by": "legal@x.test", "reason": "house style"}
    # The items change (a new fee): the fee clause follows them, the edit stays.
    items[2] = item(
        "fee", {"fee": {"amount": 50000.0, "currency": "USD"}}, review_status="accepted"
    )
    v3 = regenerate(v2, items, overrides=overrides)
    assert "USD 50,000.00" in v3.clause("fees").text
    assert v3.clause("acceptance").text == text
    findings = run_qa(v3, items, today=MEETING)
    assert any(f.code == "clause_edited" and f.clause == "acceptance" for f in findings)
    assert type(v3).from_dict(v3.to_dict()) == v3


def test_an_override_that_drops_a_value_is_still_checked() -> None:
    items = sow_items()
    v1 = make_draft(items, contract_type="sow", meeting_title="M", meeting_date=MEETING)
    overrides = {"fees": {"text": "The Client shall pay the Provider USD 1.00.", "by": "a"}}
    v2 = regenerate(v1, items, overrides=overrides)
    assert any(
        f.code == "value_mismatch" and f.clause == "fees" for f in run_qa(v2, items, today=MEETING)
    )
