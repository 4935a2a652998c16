"""The review loop over the API: the terms checklist, typed term input with evidence,
honest provenance, approval with acknowledged warnings that goes out of date, export names,
readable audit entries, impossible dates and duplicate uploads."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from bridge_app.core.review.terms import REVIEWER_ENTERED
from bridge_app.services.db import session_scope
from bridge_app.services.queue import NextJob
from bridge_app.state import data as ui_data
from tests.api.conftest import process_meeting, upload
from tests.api.support import make_org, run_until_idle

SAMPLE = Path(__file__).resolve().parents[1] / "e2e" / "samples" / "sow_missing_fee.vtt"


def _terms(client: TestClient, meeting_id: str, headers: dict[str, str]) -> dict[str, dict]:
    body = client.get(f"/v1/meetings/{meeting_id}/terms", headers=headers).json()
    assert body["contract_type"] == "sow"
    return {t["term"]: t for t in body["terms"]}


def _export(client: TestClient, draft_id: str, headers: dict[str, str], fmt: str) -> dict:
    made = client.post(f"/v1/drafts/{draft_id}/exports", json={"format": fmt}, headers=headers)
    assert made.status_code == 202, made.text
    run_until_idle(NextJob("export", uuid.UUID(made.json()["id"]), 1))
    return client.get(f"/v1/exports/{made.json()['id']}/download", headers=headers).json()


def test_terms_checklist_typed_input_approval_and_audit(client: TestClient) -> None:
    org = make_org("Terms")
    legal = org.headers("legal")
    data = SAMPLE.read_bytes()
    meeting_id = upload(
        client, org, data, title="Route pilot", contract_type="sow", meeting_date="2026-03-30"
    ).json()["id"]
    process_meeting(meeting_id)
    terms = _terms(client, meeting_id, legal)
    assert terms["price"]["status"] == "missing" and terms["deliverables"]["status"] == "missing"
    assert (
        terms["start_date"]["status"] == "missing" and terms["payment_terms"]["status"] == "found"
    )

    put = f"/v1/meetings/{meeting_id}/terms"
    bad = [
        ("price", {"amount": "forty", "currency": "EUR"}, "number"),
        ("price", {"amount": "42000", "currency": "XXX"}, "currency"),
        ("start_date", {"date": "22026-04-06"}, "date like"),
        ("start_date", {"date": "2026-02-30"}, "not a real calendar date"),
        ("payment_terms", {"days": "-3"}, "whole number"),
        ("nonsense", {}, "not a term"),
    ]
    for term, fields, words in bad:
        r = client.put(f"{put}/{term}", json={"fields": fields, "reason": "r"}, headers=legal)
        assert r.status_code == 422 and words in r.json()["detail"], (term, r.text)
    r = client.put(
        f"{put}/price",
        json={"fields": {"amount": "42000", "currency": "EUR"}, "evidence": ["zz"], "reason": "r"},
        headers=legal,
    )
    assert r.status_code == 422 and "not in this meeting" in r.json()["detail"]
    r = client.put(
        f"{put}/price",
        json={"fields": {"amount": "1", "currency": "EUR"}, "reason": ""},
        headers=legal,
    )
    assert r.status_code == 422 and "reason" in r.json()["detail"]

    fee = client.put(
        f"{put}/price",
        json={
            "fields": {"amount": "42,000", "currency": "eur"},
            "evidence": ["c4"],
            "reason": "fee stated by Priya",
        },
        headers=legal,
    )
    assert fee.status_code == 200, fee.text
    assert fee.json()["display"] == "EUR 42,000.00" and not fee.json()["reviewer_entered"]
    items = client.put(
        f"{put}/deliverables",
        json={
            "fields": {"items": ["Route model", "Planner screens", "Training day"]},
            "evidence": ["c5"],
            "reason": "hand-over list",
        },
        headers=legal,
    )
    assert items.status_code == 200, items.text
    start = client.put(
        f"{put}/start_date",
        json={"fields": {"date": "2026-04-06"}, "evidence": ["c7"], "reason": "start agreed"},
        headers=legal,
    )
    assert start.status_code == 200, start.text
    law = client.put(
        f"{put}/governing_law",
        json={"fields": {"law": "England and Wales"}, "reason": "counsel's instruction"},
        headers=legal,
    )
    assert law.status_code == 200 and law.json()["reviewer_entered"] is True
    corrected = client.put(
        f"{put}/payment_terms",
        json={"fields": {"days": "45"}, "evidence": ["c6"], "reason": "corrected to the offer"},
        headers=legal,
    )
    assert corrected.status_code == 200
    assert [k.startswith("term-payment_terms") for k in corrected.json()["replaced"]] == [True]

    terms = _terms(client, meeting_id, legal)
    assert terms["price"]["status"] == "found" and terms["price"]["display"] == "EUR 42,000.00"
    assert terms["deliverables"]["display"] == "Route model; Planner screens; Training day"
    assert terms["governing_law"]["reviewer_entered"] is True

    draft_id = client.get(f"/v1/meetings/{meeting_id}", headers=legal).json()["draft_ids"][0]
    regen = client.post(f"/v1/drafts/{draft_id}/regenerate", headers=legal)
    assert regen.status_code == 202
    run_until_idle(NextJob("draft", uuid.UUID(draft_id), regen.json()["version"]))
    version = regen.json()["version"]
    doc = client.get(f"/v1/drafts/{draft_id}/versions/{version}", headers=legal).json()
    clauses = {c["key"]: c for c in doc["document"]["clauses"]}
    assert "EUR 42,000.00" in clauses["fees"]["text"]
    fee_prov = clauses["fees"]["provenance"]
    assert [p["item_id"] for p in fee_prov] == ["reviewer-price-1"]
    assert [q["segment_id"] for q in fee_prov[0]["quotes"]] == ["c4"]
    assert "fee in the proposal" in fee_prov[0]["quotes"][0]["quote"]
    assert "Planner screens" in clauses["deliverables"]["text"]
    law_prov = clauses["governing-law"]["provenance"]
    assert law_prov and all(p["quotes"] == [] for p in law_prov)
    assert "Netherlands" not in clauses["governing-law"]["text"]

    # --- approval: warnings must be acknowledged; approver, comment recorded
    approval = client.get(f"/v1/drafts/{draft_id}/approval", headers=legal).json()
    assert approval["state"] == "none"
    assert doc["blocker_count"] == 0, doc["findings"]
    warnings = [w["id"] for w in approval["open_warnings"]]
    if warnings:
        refused = client.post(f"/v1/drafts/{draft_id}/approve", json={}, headers=legal)
        assert refused.status_code == 409 and "acknowledge" in refused.json()["detail"]
    ok = client.post(
        f"/v1/drafts/{draft_id}/approve",
        json={"comment": "Checked against the proposal.", "acknowledge": warnings},
        headers=legal,
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved", ok.text
    approval = client.get(f"/v1/drafts/{draft_id}/approval", headers=legal).json()
    assert approval["state"] == "approved" and approval["version"] == version
    assert approval["comment"] == "Checked against the proposal." and approval["approver"]

    link = _export(client, draft_id, legal, "md")
    assert link["filename"] == f"Brightline-Data_Harborview-Logistics_sow_v{version}_approved.md"
    parts = urlsplit(link["url"])
    text = client.get(parts.path + "?" + parts.query).content.decode()
    assert f"Approved version {version}" in text and "Draft version" not in text
    assert REVIEWER_ENTERED in text

    # --- an item change after approval: out of date, exports say draft again
    decisions = client.get(f"/v1/meetings/{meeting_id}/decisions", headers=legal).json()
    target = next(d for d in decisions if d["item_key"].startswith("term-party"))
    client.post(f"/v1/decisions/{target['id']}/review", json={"action": "accept"}, headers=legal)
    approval = client.get(f"/v1/drafts/{draft_id}/approval", headers=legal).json()
    assert (
        approval["state"] == "outdated" and "changed after approval" in approval["outdated_reason"]
    )
    link = _export(client, draft_id, legal, "md")
    assert link["filename"].endswith("_draft.md")
    text = client.get(urlsplit(link["url"]).path + "?" + urlsplit(link["url"]).query).text
    assert "Draft version" in text and "Approved version" not in text

    # --- audit: readable old → new values, object names, downloads with their user
    events = client.get("/v1/audit?limit=200", headers=org.headers("admin")).json()["items"]
    term_set = [e for e in events if e["action"] == "term.set"]
    fee_event = next(e for e in term_set if e["detail"]["term"] == "price")
    # The chain names the meeting by id, not by its (encrypted) title.
    assert fee_event["detail"]["object_name"].endswith(" · Fee")
    assert "Route pilot" not in json.dumps(fee_event["detail"])
    assert "42,000" not in json.dumps(fee_event["detail"])  # values are sealed in the chain
    with session_scope() as session:
        rows = ui_data.audit_events(session, org.id, object_id="· Fee")
    assert [r["change"] for r in rows if r["action"] == "term.set"] == [
        "Fee: (missing) → EUR 42,000.00"
    ]
    by_name = client.get("/v1/audit?object_name=Fee", headers=org.headers("admin")).json()
    assert by_name["items"] and all("Fee" in e["detail"]["object_name"] for e in by_name["items"])
    served = [e for e in events if e["action"] == "export.file_served"]
    assert served and all(e["detail"]["link_issued_to"] for e in served)


def test_upload_refuses_impossible_date_and_points_at_duplicates(client: TestClient) -> None:
    org = make_org("Uploads")
    data = SAMPLE.read_bytes() + b"\n"
    far = upload(client, org, data, title="Typo", meeting_date="2126-04-06")
    assert far.status_code == 422 and "not plausible" in json.dumps(far.json())
    first = upload(client, org, data, title="First")
    assert first.status_code == 201 and first.json()["duplicate_of"] is None
    second = upload(client, org, data, title="Second")
    assert second.status_code == 201 and second.json()["duplicate_of"] == first.json()["id"]
