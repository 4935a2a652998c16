"""QA: one test per finding type, plus the approval gate and the stored report."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from bridge_app.core.drafting import Finding, can_approve, make_draft, qa_report, run_qa

from .factory import item, sow_items

MEETING = date(2026, 2, 10)
TODAY = date(2026, 2, 12)


def draft(items, ctype="sow"):
    return make_draft(items, contract_type=ctype, meeting_title="SOW close", meeting_date=MEETING)


def codes(findings, severity=None):
    return [f.code for f in findings if severity is None or f.severity == severity]


def only(findings, code):
    found = [f for f in findings if f.code == code]
    assert found, f"no {code} in {codes(findings)}"
    return found


def reviewed(items):
    return [
        replace(i, review_status="accepted") if i.review_status == "proposed" else i for i in items
    ]


def test_clean_reviewed_draft_has_no_blocker_or_warning_and_can_be_approved():
    items = reviewed(sow_items())
    findings = run_qa(draft(items), items, today=TODAY)
    assert codes(findings) == [], findings
    assert can_approve(findings)


def test_required_term_missing_and_placeholder_left():
    items = [i for i in sow_items() if i.id != "pay"]
    findings = run_qa(draft(items), items, today=TODAY)
    (missing,) = only(findings, "missing_required_term")
    assert missing.severity == "blocker" and missing.clause == "payment"
    assert "payment terms" in missing.message
    (left,) = only(findings, "placeholder_left")
    assert left.clause == "payment" and left.data["placeholder"] == "[[MISSING: payment terms]]"
    assert not can_approve(findings)


def test_placeholder_typed_by_a_person_is_flagged_too():
    items = reviewed(sow_items())
    v2 = draft(items).with_clause_text("general", "Notices: [[MISSING: notice address]].")
    (left,) = only(run_qa(v2, items, today=TODAY), "placeholder_left")
    assert left.clause == "general" and left.severity == "blocker"


def test_missing_term_filled_in_by_hand_is_no_longer_missing():
    items = reviewed([i for i in sow_items() if i.id != "law"])
    d = draft(items)
    fixed = d.with_clause_text(
        "governing-law", "This Statement of Work is governed by the laws of Delaware."
    )
    findings = run_qa(fixed, items, today=TODAY)
    assert "missing_required_term" not in codes(findings)
    assert "placeholder_left" not in codes(findings)


def test_value_differs_from_the_item_after_an_edit_of_the_item():
    items = reviewed(sow_items())
    d = draft(items)
    items[2] = replace(
        items[2], values={"fee": {"amount": 50000.0, "currency": "USD"}}, review_status="edited"
    )
    (f,) = only(run_qa(d, items, today=TODAY), "value_mismatch")
    assert f.severity == "blocker" and f.clause == "fees"
    assert f.evidence == ("fee", "s-fee")
    assert "50000" in f.message


def test_value_no_longer_in_the_text_after_a_text_edit():
    items = reviewed(sow_items())
    v2 = draft(items).with_clause_text(
        "fees", 'The Client shall pay the Provider USD 45,000.00 (the "Fees").'
    )
    (f,) = only(run_qa(v2, items, today=TODAY), "value_mismatch")
    assert "no longer shows" in f.message and f.clause == "fees"


def test_value_from_an_item_rejected_or_superseded_since():
    items = reviewed(sow_items())
    d = draft(items)
    rejected = [replace(i, review_status="rejected") if i.id == "law" else i for i in items]
    (f,) = only(run_qa(d, rejected, today=TODAY), "value_mismatch")
    assert "rejected" in f.message and f.clause == "governing-law"
    superseded = [
        *[replace(i, superseded_by="law2") if i.id == "law" else i for i in items],
        item("law2", {"governing_law": {"text": "Delaware"}}, review_status="accepted"),
    ]
    (f,) = only(run_qa(d, superseded, today=TODAY), "value_mismatch")
    assert "superseded" in f.message


def test_source_item_deleted():
    items = reviewed(sow_items())
    d = draft(items)
    (f,) = only(run_qa(d, [i for i in items if i.id != "law"], today=TODAY), "source_missing")
    assert f.severity == "warning"


def test_two_unresolved_prices_conflict():
    items = sow_items()
    items[2] = replace(items[2], review_status="proposed")
    items[3] = replace(items[3], review_status="proposed")
    findings = run_qa(draft(items), items, today=TODAY)
    (f,) = only(findings, "conflicting_items")
    assert f.severity == "blocker" and f.clause == "fees"
    assert set(f.evidence) >= {"fee", "fee-old", "s-fee", "s-fee-old"}
    assert "48000" in f.message and "52000" in f.message
    assert not can_approve(findings)


def test_two_start_dates_conflict():
    items = [*sow_items(), item("d2", {"start_date": "2026-03-16"})]
    (f,) = only(run_qa(draft(items), items, today=TODAY), "conflicting_items")
    assert f.severity == "blocker" and "start date" in f.message


def test_conflict_on_a_term_the_contract_does_not_use_is_a_warning():
    items = [
        *reviewed(sow_items()),
        item("c1", {"confidentiality_period": {"days": 365, "text": "one year"}}),
        item("c2", {"confidentiality_period": {"days": 730, "text": "two years"}}),
    ]
    (f,) = only(run_qa(draft(items), items, today=TODAY), "conflicting_items")
    assert f.severity == "warning"


def test_items_flagged_as_conflicting_by_the_extractor():
    items = [
        *reviewed(sow_items()),
        item("x1", kind="decision", statement="Kickoff on site", conflicts_with=["x2"]),
        item("x2", kind="decision", statement="Kickoff remote", conflicts_with=["x1"]),
    ]
    (f,) = only(run_qa(draft(items), items, today=TODAY), "conflicting_items")
    assert set(f.evidence[:2]) == {"x1", "x2"}
    # Accepting one side settles it.
    items[-1] = replace(items[-1], review_status="accepted")
    assert "conflicting_items" not in codes(run_qa(draft(items), items, today=TODAY))


def test_dates_in_the_past():
    items = reviewed(sow_items())
    findings = run_qa(draft(items), items, today=date(2026, 4, 1))
    past = only(findings, "date_in_past")
    messages = " ".join(f.message for f in past)
    assert "start date 2 March 2026" in messages
    assert "due date 20 February 2026" in messages  # the action item's deadline
    assert all(f.severity == "warning" for f in past)
    assert can_approve(findings)


def test_end_before_start():
    items = reviewed(sow_items())
    items[5] = replace(items[5], values={"start_date": "2026-06-30", "end_date": "2026-03-02"})
    (f,) = only(run_qa(draft(items), items, today=TODAY), "end_before_start")
    assert f.severity == "blocker" and f.clause == "schedule"
    assert "dates" in f.evidence


def test_amount_without_currency():
    items = reviewed(sow_items())
    items[2] = replace(items[2], values={"fee": {"amount": 48000.0, "currency": None}})
    findings = run_qa(draft(items), items, today=TODAY)
    (f,) = [f for f in only(findings, "amount_without_currency") if f.severity == "blocker"]
    assert f.clause == "fees" and f.evidence[0] == "fee"


def test_amount_typed_without_currency_in_an_edit():
    items = reviewed(sow_items())
    v2 = draft(items).with_clause_text("acceptance", "A late fee of 250.00 applies.")
    (f,) = only(run_qa(v2, items, today=TODAY), "amount_without_currency")
    assert f.severity == "warning" and "250.00" in f.message


def test_currency_differs_from_the_meeting():
    items = reviewed(sow_items())
    items[2] = replace(items[2], values={"fee": {"amount": 48000.0, "currency": "EUR"}})
    # The meeting talked in dollars: both earlier offers were in USD.
    items.append(item("x", {"fee": {"amount": 500.0, "currency": "USD"}}, review_status="rejected"))
    findings = run_qa(draft(items), items, today=TODAY)
    (f,) = only(findings, "currency_mismatch")
    assert f.severity == "warning" and f.clause == "fees"
    assert "EUR" in f.message and "USD" in f.message


def test_currency_typed_in_an_edit_differs_from_the_meeting():
    items = reviewed(sow_items())
    v2 = draft(items).with_clause_text("acceptance", "Travel is reimbursed up to GBP 500.00.")
    (f,) = only(run_qa(v2, items, today=TODAY), "currency_mismatch")
    assert "GBP" in f.message


def test_party_named_two_ways_in_the_meeting():
    items = [
        *reviewed(sow_items()),
        item("p3", {"party": {"name": "Northwind Analytics Incorporated", "role": "client"}}),
    ]
    (f,) = only(run_qa(draft(items), items, today=TODAY), "party_name_inconsistent")
    assert "Northwind Analytics Inc." in f.message and "Incorporated" in f.message
    assert {"p1", "p3"} <= set(f.evidence)


def test_party_named_differently_in_the_text():
    items = reviewed(sow_items())
    v2 = draft(items).with_clause_text(
        "acceptance", "Northwind Analytics Corporation shall review each Deliverable."
    )
    (f,) = only(run_qa(v2, items, today=TODAY), "party_name_inconsistent")
    assert f.clause == "acceptance" and "Northwind Analytics Corporation" in f.message


def test_defined_terms_used_inconsistently():
    items = reviewed(sow_items())
    v2 = draft(items).with_clause_text(
        "acceptance", "The Supplier shall correct each Deliverable the client rejects."
    )
    found = only(run_qa(v2, items, today=TODAY), "defined_term_inconsistent")
    messages = " ".join(f.message for f in found)
    assert '"Supplier"' in messages and '"client"' in messages
    assert all(f.clause == "acceptance" and f.severity == "warning" for f in found)


def test_a_placeholder_naming_a_defined_term_is_not_its_lower_case_use():
    items = reviewed([i for i in sow_items() if "start_date" not in i.values])
    doc = draft(items)
    assert "[[MISSING: effective date]]" in doc.clauses[0].text
    assert "defined_term_inconsistent" not in codes(run_qa(doc, items, today=TODAY))


def test_obligation_assigned_to_nobody():
    items = [
        *reviewed(sow_items()),
        item("act2", kind="action_item", statement="Book the kickoff room", owner=None),
    ]
    findings = run_qa(draft(items), items, today=TODAY)
    (f,) = only(findings, "obligation_unassigned")
    assert f.severity == "warning" and f.clause == "responsibilities"
    assert "[[MISSING: responsible party]]" in draft(items).clause("responsibilities").text
    # An NDA does not carry obligations: still reported, as information.
    (f,) = only(run_qa(draft(items, "nda"), items, today=TODAY), "obligation_unassigned")
    assert f.severity == "info" and f.clause is None


def test_information_findings():
    items = [
        *sow_items(),
        item("q", kind="open_question", statement="Who hosts the staging database?"),
        item("p9", {"party": {"name": "Harbor Freight Logistics Ltd.", "role": "partner"}}),
    ]
    findings = run_qa(draft(items), items, today=TODAY)
    (unreviewed,) = only(findings, "unreviewed_items")
    assert "p1" in unreviewed.message and "fee," not in unreviewed.message
    assert only(findings, "open_question")[0].evidence == ("q", "s-q")
    assert "Harbor Freight" in only(findings, "extra_party")[0].message
    assert all(f.severity == "info" for f in findings)


def test_findings_are_sorted_blockers_first_and_report_is_json():
    items = [i for i in sow_items() if i.id not in {"pay", "law"}]
    d = draft(items)
    findings = run_qa(d, items, today=date(2027, 1, 1))
    ranks = [("blocker", "warning", "info").index(f.severity) for f in findings]
    assert ranks == sorted(ranks)
    report = json.loads(json.dumps(qa_report(d, findings)))
    assert report["can_approve"] is False
    assert report["counts"]["blocker"] == len([f for f in findings if f.severity == "blocker"])
    assert [Finding.from_dict(f) for f in report["findings"]] == findings


def test_can_approve():
    assert can_approve([])
    assert can_approve([Finding("x", "warning", None, "m"), Finding("y", "info", None, "m")])
    assert not can_approve([Finding("x", "blocker", "fees", "m")])
