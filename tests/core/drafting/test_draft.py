"""Drafting: type pick, filled values and their provenance, placeholders, versions, round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge_app.core.drafting import (
    CONTRACT_TYPES,
    TEMPLATES,
    Draft,
    make_draft,
    pick_contract_type,
    regenerate,
    run_qa,
)
from bridge_app.core.drafting.draft import defined_terms_in
from bridge_app.core.drafting.model import find_placeholders
from bridge_app.core.drafting.terms import fmt_amount, fmt_value, usable_items

from .factory import item, sow_items

MEETING = date(2026, 2, 10)


def sow(items=None, **kw):
    return make_draft(
        sow_items() if items is None else items,
        contract_type=kw.pop("contract_type", "sow"),
        meeting_title="Data platform migration: SOW close",
        meeting_date=MEETING,
        **kw,
    )


def prov_of(draft: Draft, key: str, term: str):
    return [p for p in draft.clause(key).provenance if p.term == term]


# ---------------------------------------------------------------- filled values and provenance


def test_sow_fills_every_term_from_the_items():
    d = sow()
    text = d.body_text()
    assert 'Northwind Analytics Inc. (the "Client")' in text
    assert 'Brightpath Consulting LLC (the "Provider")' in text
    assert "USD 48,000.00" in d.clause("fees").text
    assert "within 30 days of the date of invoice (net 30)" in d.clause("payment").text
    schedule = d.clause("schedule").text
    assert "start on 2 March 2026 and shall be completed by 30 June 2026" in schedule
    assert "(a) migration runbook;\n(b) cutover plan." in d.clause("deliverables").text
    assert "laws of New York" in d.clause("governing-law").text
    assert (
        "The Provider shall send the signed statement of work to the Client by 20 February 2026."
        in d.clause("responsibilities").text
    )
    assert d.placeholders() == []
    assert [c.number for c in d.clauses] == [str(n) for n in range(1, len(d.clauses) + 1)]


def test_each_value_traces_to_item_segment_and_quote():
    d = sow()
    (fee,) = prov_of(d, "fees", "fee")
    assert fee.item_id == "fee"
    assert fee.value == {"amount": 48000.0, "currency": "USD"}
    assert fee.display == "USD 48,000.00"
    assert fee.segment_ids == ("s-fee",)
    (quote,) = fee.quotes
    assert quote.quote == "Okay, $48,000 works for us. Deal."
    assert (quote.start, quote.end, quote.speaker) == (45.5, 50.0, "Maya Chen")

    parties = prov_of(d, "parties", "party")
    assert [p.item_id for p in parties] == ["p1", "p2"]
    # The effective date falls back to the agreed start date, and says so in its provenance.
    (eff,) = prov_of(d, "parties", "start_date")
    assert eff.item_id == "dates" and eff.display == "2 March 2026"
    assert {p.display for p in prov_of(d, "deliverables", "deliverable")} == {
        "migration runbook",
        "cutover plan",
    }
    # Boilerplate clauses claim no sources.
    assert d.clause("acceptance").provenance == ()


def test_provenance_only_lists_values_the_clause_shows():
    d = sow()
    for clause in d.clauses:
        for p in clause.provenance:
            assert p.display in clause.text, (clause.key, p)


def test_rejected_items_are_never_used():
    d = sow()
    assert "52,000" not in d.body_text()
    assert all(p.item_id != "fee-old" for c in d.clauses for p in c.provenance)


def test_superseded_values_are_never_used():
    items = sow_items()
    items[2] = replace(items[2], review_status="proposed", superseded_by="fee-new")
    items.append(
        item("fee-new", {"fee": {"amount": 46500.0, "currency": "USD"}}, supersedes=["fee"])
    )
    d = sow(items)
    assert "USD 46,500.00" in d.clause("fees").text
    assert "48,000" not in d.body_text()
    # ... unless the replacement was itself rejected: then the earlier figure stands.
    items[-1] = replace(items[-1], review_status="rejected")
    assert "USD 48,000.00" in sow(items).clause("fees").text


def test_edited_items_are_used_with_the_persons_edit():
    items = sow_items()
    items[4] = replace(
        items[4], values={"payment_terms": {"text": "net 45", "days": 45}}, review_status="edited"
    )
    d = sow(items)
    assert "within 45 days of the date of invoice (net 45)" in d.clause("payment").text
    (p,) = prov_of(d, "payment", "payment_terms")
    assert p.value == {"text": "net 45", "days": 45}


def test_a_persons_review_settles_competing_values():
    items = sow_items()
    items[3] = replace(items[3], review_status="proposed")  # the $52k offer back in play
    # The $48k item was accepted: it wins, the proposed one is overridden.
    assert "USD 48,000.00" in sow(items).clause("fees").text
    # With nobody having reviewed either, the fee is not settled: a visible conflict.
    items[2] = replace(items[2], review_status="proposed")
    d = sow(items)
    assert "[[CONFLICT: price]]" in d.clause("fees").text
    assert d.clause("fees").conflicts == ("price",)
    assert prov_of(d, "fees", "fee") == []


def test_same_value_from_two_items_is_not_a_conflict_and_cites_both():
    items = [*sow_items(), item("fee-2", {"fee": {"amount": 48000, "currency": "usd"}})]
    d = sow(items)
    assert [p.item_id for p in prov_of(d, "fees", "fee")] == ["fee", "fee-2"]


def test_unsettled_terms_stay_visible_placeholders():
    items = [i for i in sow_items() if i.id not in {"pay", "law", "p2"}]
    d = sow(items)
    assert "[[MISSING: payment terms]]" in d.clause("payment").text
    assert "[[MISSING: governing law]]" in d.clause("governing-law").text
    assert '[[MISSING: provider]] (the "Provider")' in d.clause("parties").text
    assert d.clause("payment").missing == ("payment_terms",)
    assert d.clause("parties").missing == ("party_2",)
    assert d.placeholders() == find_placeholders(d.body_text())


def test_amount_without_currency_is_not_given_one():
    assert fmt_amount({"amount": 1200, "currency": None}) == "[[MISSING: currency]] 1,200.00"


def test_the_new_term_keys_are_worded_and_a_recurring_amount_keeps_its_period():
    per_seat = {"amount": 38.0, "currency": "USD", "per": "seat/month"}
    assert fmt_value("unit_price", per_seat) == "USD 38.00 per seat per month"
    assert fmt_value("price", {"amount": 900, "currency": "EUR", "per": "month"}) == (
        "EUR 900.00 per month"
    )
    assert fmt_value("rate", {"amount": 850.0, "currency": "GBP"}) == "GBP 850.00"
    assert fmt_value("cure_period", {"days": 30, "text": "thirty days"}) == "thirty days"
    assert fmt_value("liability_cap", {"multiple_of_fees": 2.0, "text": "2x fees"}) == (
        "an amount equal to 2 times the fees paid and payable"
    )
    assert fmt_value("territory", {"text": "Sweden, Norway", "places": ["Sweden", "Norway"]}) == (
        "Sweden, Norway"
    )
    assert fmt_value("exclusivity", {"exclusive": True, "text": "exclusive"}) == "exclusive"


def test_no_items_gives_a_skeleton_of_placeholders_for_every_type():
    for ctype in CONTRACT_TYPES:
        d = make_draft([], contract_type=ctype, meeting_title="m", meeting_date=MEETING)
        assert d.contract_type == ctype
        needed = {n for c in d.clauses for n in c.needs}
        assert all(c.provenance == () for c in d.clauses)
        missing = {n for c in d.clauses for n in c.missing}
        assert missing == needed
        if needed:
            assert d.placeholders()


def test_every_template_declares_its_needs_and_only_known_slots():
    d = sow()
    for tpl in TEMPLATES.values():
        assert len({c.key for c in tpl.clauses}) == len(tpl.clauses)
        assert tpl.clauses[0].key == "parties"
    assert d.title == "Statement of Work"


def test_other_contract_types_fill_their_own_terms():
    items = [
        *sow_items(),
        item("conf", {"confidentiality_period": {"days": 1095, "text": "three years"}}),
        item("qty", {"quantity": {"value": 40.0, "unit": "licenses"}}),
        item("dec", kind="decision", statement="Weekly status calls on Mondays"),
    ]
    nda = sow(items, contract_type="nda")
    assert "continue for three years" in nda.clause("term").text
    assert "between Northwind Analytics Inc. and Brightpath Consulting LLC" in nda.body_text()
    order = sow(items, contract_type="order-form")
    assert "orders from the Vendor 40 licenses" in order.clause("order").text
    assert "USD 48,000.00" in order.clause("order").text
    sheet = sow(items, contract_type="term-sheet")
    assert "Price: USD 48,000.00" in sheet.clause("principal-terms").text
    assert "(a) Weekly status calls on Mondays." in sheet.clause("agreed-points").text
    amend = sow(items, contract_type="msa-amendment")
    text = amend.clause("amendments").text
    assert "(a) the fees payable by the Customer are USD 48,000.00 for 40 licenses;" in text
    assert text.endswith(".")
    assert amend.placeholders() == []


def test_msa_amendment_without_amended_terms_says_so():
    d = make_draft(
        [i for i in sow_items() if i.id in {"p1", "p2"}],
        contract_type="msa-amendment",
        meeting_title="m",
        meeting_date=MEETING,
    )
    assert "[[MISSING: amended terms]]" in d.clause("amendments").text
    assert "amended_terms" in d.clause("amendments").missing


def test_defined_terms_are_collected():
    d = sow()
    terms = dict(d.defined_terms)
    assert terms["Client"] == "parties" and terms["Provider"] == "parties"
    assert terms["Fees"] == "fees" and terms["Deliverable"] == "deliverables"
    assert [p.defined_as for p in d.parties] == ["Client", "Provider"]
    assert defined_terms_in('"Confidential Information" means x (the "Purpose")') == [
        "Confidential Information",
        "Purpose",
    ]


# ---------------------------------------------------------------- contract type


def test_pick_contract_type_from_the_items():
    pick = pick_contract_type(sow_items())
    assert pick.type == "sow"
    assert "deliverable agreed" in pick.reason
    assert 0 < pick.confidence <= 1

    nda = [
        item(
            "n1",
            {"confidentiality_period": {"days": 730, "text": "two years"}},
            quote="We need a mutual NDA before the demo",
        ),
    ]
    assert pick_contract_type(nda).type == "nda"

    order = [
        item(
            "o1",
            {
                "quantity": {"value": 25, "unit": "seats"},
                "price": {"amount": 9000, "currency": "USD"},
            },
            quote="25 seats of the subscription",
        )
    ]
    assert pick_contract_type(order).type == "order-form"

    amend = [item("a1", {"end_date": "2027-12-31"}, quote="Let's amend the MSA to extend it")]
    assert pick_contract_type(amend).type == "msa-amendment"

    invest = [item("t1", quote="the term sheet for the seed investment at that valuation")]
    assert pick_contract_type(invest).type == "term-sheet"


def test_pick_with_no_signal_is_a_low_confidence_term_sheet():
    pick = pick_contract_type([item("x", kind="decision", statement="Use blue for the logo")])
    assert pick.type == "term-sheet" and pick.confidence <= 0.25
    assert "No contract-type signal" in pick.reason


def test_rejected_items_do_not_steer_the_type():
    nda = item("n1", quote="a mutual NDA please", review_status="rejected")
    assert pick_contract_type([nda]).type == "term-sheet"


def test_auto_and_user_choice_recorded():
    auto = sow(contract_type="auto")
    assert auto.contract_type == "sow" and auto.type_pick.chosen_by == "auto"
    user = sow(contract_type="nda")
    assert user.type_pick.chosen_by == "user" and user.type_pick.confidence == 1.0
    with pytest.raises(ValueError, match="unknown contract type"):
        sow(contract_type="lease")


# ---------------------------------------------------------------- versions and round trip


def test_round_trip_through_json_is_exact():
    for ctype in CONTRACT_TYPES:
        d = sow(contract_type=ctype, today=date(2026, 2, 11))
        again = Draft.from_dict(json.loads(json.dumps(d.to_dict())))
        assert again == d
        assert again.to_dict() == d.to_dict()


def test_edit_creates_a_new_version_and_leaves_the_old_one():
    v1 = sow()
    v2 = v1.with_clause_text("fees", "The Client shall pay [[MISSING: price]] in total.")
    assert (v2.version, v2.parent_version, v2.origin) == (2, 1, "edited")
    assert v1.version == 1 and "USD 48,000.00" in v1.clause("fees").text
    assert v2.clause("fees").placeholders == ("[[MISSING: price]]",)
    with pytest.raises(KeyError):
        v1.with_clause_text("nope", "x")


def test_regenerate_makes_the_next_version_from_new_reviews():
    v1 = sow()
    items = sow_items()
    items[2] = replace(
        items[2], values={"fee": {"amount": 50000.0, "currency": "USD"}}, review_status="edited"
    )
    v2 = regenerate(v1, items, today=date(2026, 2, 12))
    assert (v2.version, v2.parent_version, v2.origin) == (2, 1, "generated")
    assert "USD 50,000.00" in v2.clause("fees").text
    assert v2.type_pick == v1.type_pick


def test_drafting_is_deterministic_and_ignores_the_clock():
    a, b = sow(), sow()
    assert a == b
    assert a.prepared_on == MEETING.isoformat()
    assert sow(today=date(2026, 3, 1)).prepared_on == "2026-03-01"


def test_usable_items_keep_their_order():
    items = sow_items()
    assert [i.id for i in usable_items(items)] == [i.id for i in items if i.id != "fee-old"]


@settings(max_examples=40, deadline=None)
@given(
    amount=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    currency=st.sampled_from(["USD", "EUR", "GBP", None]),
    text=st.text(min_size=1, max_size=40),
    ctype=st.sampled_from(CONTRACT_TYPES),
)
def test_any_values_round_trip_and_never_break_drafting(amount, currency, text, ctype):
    items = [
        item("a", {"price": {"amount": amount, "currency": currency}}, quote=text),
        item("b", {"party": {"name": text, "role": "client"}}),
        item("c", {"deliverable": {"text": text}, "governing_law": {"text": text}}),
        item("d", kind="action_item", statement=text, owner=None),
    ]
    d = make_draft(items, contract_type=ctype, meeting_title=text, meeting_date=MEETING)
    assert Draft.from_dict(json.loads(json.dumps(d.to_dict()))) == d
    run_qa(d, items, today=MEETING)
