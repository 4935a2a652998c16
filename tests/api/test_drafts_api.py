"""Decisions review, drafts (versions, redline, regenerate, approve), exports and downloads."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlmodel import select

from bridge_app.models import DraftVersion
from bridge_app.services.db import session_scope
from bridge_app.services.queue import NextJob
from tests.api.conftest import DEMO, process_meeting, upload
from tests.api.support import make_org, run_until_idle


def _fresh(client: TestClient, name: str) -> tuple:
    org = make_org(name)
    meeting_id = upload(client, org, DEMO.read_bytes(), title=name).json()["id"]
    process_meeting(meeting_id)
    draft_id = client.get(f"/v1/meetings/{meeting_id}", headers=org.headers("viewer")).json()[
        "draft_ids"
    ][0]
    return org, meeting_id, draft_id


def test_review_edit_regenerate_redline_and_approve(client: TestClient) -> None:
    org, meeting_id, draft_id = _fresh(client, "Reviewer")
    legal = org.headers("legal")
    decisions = client.get(f"/v1/meetings/{meeting_id}/decisions", headers=legal).json()
    target = next(d for d in decisions if "price" in d["values"])
    no_reason = client.post(
        f"/v1/decisions/{target['id']}/review",
        json={"action": "edit", "statement": "Changed."},
        headers=legal,
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    edited = client.post(
        f"/v1/decisions/{target['id']}/review",
        json={
            "action": "edit",
            "statement": "The parties agreed a fixed fee of USD 45,000.",
            "values": {"price": {"amount": 45000.0, "currency": "USD"}},
            "reason": "corrected after the follow-up call",
        },
        headers=legal,
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["review_status"] == "edited"
    assert body["statement"].startswith("The parties agreed a fixed fee of USD 45,000")
    assert body["original_statement"] == target["statement"]
    assert body["values"]["price"]["amount"] == 45000.0
    assert body["original_values"] == target["values"]
    rejected = client.post(
        f"/v1/decisions/{decisions[-1]['id']}/review",
        json={"action": "reject", "reason": "not actually agreed"},
        headers=legal,
    )
    assert rejected.json()["review_status"] == "rejected"

    regen = client.post(f"/v1/drafts/{draft_id}/regenerate", headers=legal)
    assert regen.status_code == 202 and regen.json()["version"] == 2
    run_until_idle(NextJob("draft", uuid.UUID(draft_id), 2))
    versions = client.get(f"/v1/drafts/{draft_id}/versions", headers=legal).json()
    assert [v["version"] for v in versions] == [1, 2]
    detail = client.get(f"/v1/drafts/{draft_id}/versions/2", headers=legal).json()
    assert detail["document"]["clauses"] and detail["qa_done"] is True
    findings = client.get(f"/v1/drafts/{draft_id}/versions/2/findings", headers=legal).json()
    assert findings == detail["findings"]
    red = client.get(f"/v1/drafts/{draft_id}/redline?from=1&to=2", headers=legal).json()
    assert red["stats"]["inserted"] + red["stats"]["deleted"] > 0
    assert "<ins>" in red["html"] or "<del>" in red["html"]
    same = client.get(f"/v1/drafts/{draft_id}/redline?from=2&to=2", headers=legal)
    assert same.status_code == 422

    old = client.post(f"/v1/drafts/{draft_id}/approve", json={"version": 1}, headers=legal)
    assert old.status_code == 409 and "current" in old.json()["detail"]
    warnings = client.get(f"/v1/drafts/{draft_id}/approval", headers=legal).json()
    acknowledge = [w["id"] for w in warnings["open_warnings"]]
    if acknowledge and not detail["blocker_count"]:
        unacknowledged = client.post(f"/v1/drafts/{draft_id}/approve", json={}, headers=legal)
        assert unacknowledged.status_code == 409
        assert "acknowledge" in unacknowledged.json()["detail"]
    approve = client.post(
        f"/v1/drafts/{draft_id}/approve", json={"acknowledge": acknowledge}, headers=legal
    )
    if detail["blocker_count"]:
        assert approve.status_code == 409 and "blocker" in approve.json()["detail"]
    else:
        assert approve.status_code == 200 and approve.json()["status"] == "approved"

    actions = [
        e["action"] for e in client.get("/v1/audit", headers=org.headers("admin")).json()["items"]
    ]
    assert {"meeting.upload", "decision.edit", "decision.reject", "draft.generate"} <= set(actions)
    if not detail["blocker_count"]:
        assert "draft.approve" in actions


def test_approve_refused_with_blockers(client: TestClient) -> None:
    org, _meeting_id, draft_id = _fresh(client, "Blocked")
    with session_scope() as s:
        version = s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft_id)).one()
        version.blocker_count = 2
        s.add(version)
    response = client.post(f"/v1/drafts/{draft_id}/approve", json={}, headers=org.headers("legal"))
    assert response.status_code == 409
    assert response.json()["blockers"] == 2 and "blocker" in response.json()["detail"]


def test_new_draft_of_another_type(client: TestClient) -> None:
    org, meeting_id, _draft_id = _fresh(client, "Second")
    response = client.post(
        f"/v1/meetings/{meeting_id}/drafts",
        json={"contract_type": "nda"},
        headers=org.headers("legal"),
    )
    assert response.status_code == 202
    run_until_idle(NextJob("draft", uuid.UUID(response.json()["id"]), 1))
    drafts = client.get(f"/v1/meetings/{meeting_id}/drafts", headers=org.headers("viewer")).json()
    assert sorted(d["contract_type"] for d in drafts)[0] == "nda" and len(drafts) == 2
    bad = client.post(
        f"/v1/meetings/{meeting_id}/drafts",
        json={"contract_type": "lease"},
        headers=org.headers("legal"),
    )
    assert bad.status_code == 422


def test_export_idempotency_download_and_signed_file(client: TestClient) -> None:
    org, _meeting_id, draft_id = _fresh(client, "Exporter")
    legal = org.headers("legal")
    key = {"Idempotency-Key": f"exp-{uuid.uuid4().hex}"}
    first = client.post(
        f"/v1/drafts/{draft_id}/exports", json={"format": "html"}, headers={**legal, **key}
    )
    assert first.status_code == 202 and first.json()["status"] == "pending"
    again = client.post(
        f"/v1/drafts/{draft_id}/exports", json={"format": "html"}, headers={**legal, **key}
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    export_id = first.json()["id"]
    not_ready = client.get(f"/v1/exports/{export_id}/download", headers=legal)
    assert not_ready.status_code == 409
    run_until_idle(NextJob("export", uuid.UUID(export_id), 1))
    status = client.get(f"/v1/exports/{export_id}", headers=org.headers("viewer")).json()
    assert status["status"] == "done" and status["size_bytes"] > 0
    link = client.get(f"/v1/exports/{export_id}/download", headers=org.headers("viewer")).json()
    assert link["filename"].endswith(".html")
    parts = urlsplit(link["url"])
    served = client.get(parts.path + "?" + parts.query)
    assert served.status_code == 200, served.text
    assert b"<html" in served.content.lower()  # decrypted on the way out
    assert "attachment" in served.headers["content-disposition"]
    tampered = client.get(parts.path + "?" + parts.query.replace("sig=", "sig=x"))
    assert tampered.status_code == 404
    listed = client.get(f"/v1/drafts/{draft_id}/exports", headers=legal).json()
    assert [e["id"] for e in listed] == [export_id]
    actions = [
        e["action"] for e in client.get("/v1/audit", headers=org.headers("admin")).json()["items"]
    ]
    assert {"export.request", "export.download", "export.file_served"} <= set(actions)
    bad_format = client.post(
        f"/v1/drafts/{draft_id}/exports", json={"format": "exe"}, headers=legal
    )
    assert bad_format.status_code == 422
