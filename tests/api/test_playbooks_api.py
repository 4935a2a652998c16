"""Playbooks, clause edits, accepted blockers and the DOCX round trip through the API, on the
demo meeting, with the stages run inline."""

from __future__ import annotations

import io
import uuid
import zipfile

from docx import Document
from fastapi.testclient import TestClient
from sqlmodel import select

from bridge_app.core.drafting.model import Draft as DraftDoc
from bridge_app.core.stages import Stage
from bridge_app.models import AuditEvent
from bridge_app.services.queue import NextJob
from bridge_app.services.render.to_docx import render_docx
from tests.api.conftest import DEMO, process_meeting, upload
from tests.api.support import make_org, run_until_idle, session

HOUSE = {
    "variables": {
        "payment_days": {"standard": 15, "max": 20},
        "governing_law": {"standard": "New York"},
    },
    "clauses": {"limitation-of-liability": {"forbidden": ["unlimited liability"]}},
}


def _fresh(client: TestClient, name: str) -> tuple:
    org = make_org(name)
    meeting_id = upload(client, org, DEMO.read_bytes(), title=name).json()["id"]
    process_meeting(meeting_id)
    draft_id = client.get(f"/v1/meetings/{meeting_id}", headers=org.headers("viewer")).json()[
        "draft_ids"
    ][0]
    return org, meeting_id, draft_id


def _actions(org_id: uuid.UUID) -> list[str]:
    with session() as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.organization_id == org_id)).all()
        return [r.action for r in rows]


def _regenerate(client: TestClient, org, draft_id: str) -> int:
    r = client.post(f"/v1/drafts/{draft_id}/regenerate", headers=org.headers("legal"))
    assert r.status_code == 202, r.text
    run_until_idle(NextJob(Stage.draft, uuid.UUID(draft_id), r.json()["version"]))
    return int(r.json()["version"])


def test_playbook_is_versioned_audited_and_checked(client: TestClient) -> None:
    org = make_org("Playbook owner")
    legal, viewer = org.headers("legal"), org.headers("viewer")
    built_in = client.get("/v1/playbook", headers=viewer).json()
    assert built_in["version"] == 0 and "payment_days" in built_in["body"]["variables"]
    bad = client.put(
        "/v1/playbook", json={"body": {"variables": {"payment_days": {"max": 3}}}}, headers=legal
    )
    assert bad.status_code == 422 and "needs a 'standard'" in bad.json()["detail"]
    bad_text = client.put(
        "/v1/playbook",
        json={"body": {"clauses": {"fees": {"text": "{% if %}"}}}},
        headers=legal,
    )
    assert bad_text.status_code == 422 and "does not compile" in bad_text.json()["detail"]
    one = client.put("/v1/playbook", json={"body": HOUSE, "note": "first"}, headers=legal)
    assert one.status_code == 200 and one.json()["version"] == 1
    two = client.put(
        "/v1/playbook", json={"body": HOUSE, "note": "second"}, headers=org.headers("admin")
    )
    assert two.json()["version"] == 2
    assert client.get("/v1/playbook", headers=viewer).json()["note"] == "second"
    versions = client.get("/v1/playbook/versions", headers=viewer).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert client.put("/v1/playbook", json={"body": HOUSE}, headers=viewer).status_code == 403
    assert _actions(org.principals["legal"].organization_id).count("playbook.update") == 2


def test_a_term_outside_the_playbook_blocks_until_legal_accepts_it(client: TestClient) -> None:
    org, _, draft_id = _fresh(client, "Net 20 house")
    legal = org.headers("legal")
    assert client.put("/v1/playbook", json={"body": HOUSE}, headers=legal).status_code == 200
    version = _regenerate(client, org, draft_id)
    findings = client.get(
        f"/v1/drafts/{draft_id}/versions/{version}/findings", headers=legal
    ).json()
    (dev,) = [f for f in findings if f["code"] == "playbook_deviation"]
    assert dev["severity"] == "blocker"
    assert dev["message"].startswith("Net 30 agreed; playbook allows up to net 20")
    before = client.get(f"/v1/drafts/{draft_id}/versions", headers=legal).json()[-1]
    key = f"playbook_deviation:{dev['clause'] or ''}:payment_days"
    no_reason = client.post(
        f"/v1/drafts/{draft_id}/findings/accept",
        json={"finding_key": key, "reason": " "},
        headers=legal,
    )
    assert no_reason.status_code == 422
    other = client.post(
        f"/v1/drafts/{draft_id}/findings/accept",
        json={"finding_key": "placeholder_left:payment:", "reason": "x"},
        headers=legal,
    )
    assert other.status_code == 422 and "cannot be accepted" in other.json()["detail"]
    ok = client.post(
        f"/v1/drafts/{draft_id}/findings/accept",
        json={"finding_key": key, "reason": "strategic account, CFO approved"},
        headers=legal,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["blockers"] == before["blocker_count"] - 1
    after = client.get(f"/v1/drafts/{draft_id}/versions/{version}/findings", headers=legal).json()
    (accepted,) = [f for f in after if f["code"] == "playbook_deviation"]
    assert accepted["severity"] == "warning" and "CFO approved" in accepted["message"]
    # The acceptance holds for the next version too.
    version = _regenerate(client, org, draft_id)
    later = client.get(f"/v1/drafts/{draft_id}/versions/{version}/findings", headers=legal).json()
    assert [f["severity"] for f in later if f["code"] == "playbook_deviation"] == ["warning"]
    assert "finding.accept" in _actions(org.principals["legal"].organization_id)


def test_a_clause_edit_survives_regeneration(client: TestClient) -> None:
    org, _, draft_id = _fresh(client, "Clause editor")
    legal = org.headers("legal")
    text = "The Client shall review each Deliverable within five business days of receipt."
    missing = client.put(
        f"/v1/drafts/{draft_id}/clauses", json={"clause_key": "nope", "text": text}, headers=legal
    )
    assert missing.status_code == 404
    empty = client.put(
        f"/v1/drafts/{draft_id}/clauses",
        json={"clause_key": "acceptance", "text": " "},
        headers=legal,
    )
    assert empty.status_code == 422
    r = client.put(
        f"/v1/drafts/{draft_id}/clauses",
        json={"clause_key": "acceptance", "text": text, "reason": "house review period"},
        headers=legal,
    )
    assert r.status_code == 202, r.text
    run_until_idle(NextJob(Stage.draft, uuid.UUID(draft_id), r.json()["version"]))
    for version in (r.json()["version"], _regenerate(client, org, draft_id)):
        doc = client.get(f"/v1/drafts/{draft_id}/versions/{version}", headers=legal).json()
        (clause,) = [c for c in doc["document"]["clauses"] if c["key"] == "acceptance"]
        assert clause["text"] == text
        assert clause["override"]["reason"] == "house review period"
        assert clause["override"]["by"] == org.principals["legal"].email
        assert any(f["code"] == "clause_edited" for f in doc["findings"])
    red = client.get(f"/v1/drafts/{draft_id}/redline?from=1&to=2", headers=legal).json()
    assert "<ins>five</ins>" in red["html"] and "<del>10</del>" in red["html"]
    undo = client.put(
        f"/v1/drafts/{draft_id}/clauses",
        json={"clause_key": "acceptance", "text": None},
        headers=legal,
    )
    run_until_idle(NextJob(Stage.draft, uuid.UUID(draft_id), undo.json()["version"]))
    doc = client.get(
        f"/v1/drafts/{draft_id}/versions/{undo.json()['version']}", headers=legal
    ).json()
    (clause,) = [c for c in doc["document"]["clauses"] if c["key"] == "acceptance"]
    assert clause["text"] != text and "override" not in clause
    actions = _actions(org.principals["legal"].organization_id)
    assert "clause.edit" in actions and "clause.edit_removed" in actions


def test_a_counterpartys_docx_comes_back_with_its_departures_flagged(client: TestClient) -> None:
    org, _, draft_id = _fresh(client, "Round trip")
    legal = org.headers("legal")
    current = client.get(f"/v1/drafts/{draft_id}/versions/1", headers=legal).json()
    doc = Document(io.BytesIO(render_docx(DraftDoc.from_dict(current["document"]))))
    for p in doc.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("38,000.00", "42,000.00")
    out = io.BytesIO()
    doc.save(out)
    bad = client.post(
        f"/v1/drafts/{draft_id}/import",
        files={"file": ("x.docx", b"not a word file", "application/octet-stream")},
        headers=legal,
    )
    assert bad.status_code == 422 and "not a Word document" in bad.json()["detail"]
    r = client.post(
        f"/v1/drafts/{draft_id}/import",
        files={"file": ("counterparty.docx", out.getvalue(), "application/octet-stream")},
        headers=legal,
    )
    assert r.status_code == 202, r.text
    assert r.json()["version"] == 2
    with session() as s:
        from bridge_app.models import DraftVersion

        row = s.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == uuid.UUID(draft_id), DraftVersion.version == 2
            )
        ).one()
        assert row.source == "imported"
        run_until_idle(NextJob(Stage.qa, row.id, 1))
    detail = client.get(f"/v1/drafts/{draft_id}/versions/2", headers=legal).json()
    (fee,) = [f for f in detail["findings"] if f["code"] == "counterparty_change"]
    assert fee["severity"] == "blocker"
    assert fee["message"].startswith(
        "Counterparty changed the price to USD 42,000.00; agreed USD 38,000.00 at 01:14, "
        "accepted by Priya Natarajan"
    )
    red = client.get(f"/v1/drafts/{draft_id}/redline?from=1&to=2", headers=legal).json()
    assert "<del>38,000.00</del><ins>42,000.00</ins>" in red["html"].replace(" ", "")
    word = client.get(f"/v1/drafts/{draft_id}/redline.docx?from=1&to=2", headers=legal)
    assert word.status_code == 200
    with zipfile.ZipFile(io.BytesIO(word.content)) as z:
        xml = z.read("word/document.xml").decode()
    assert "<w:del " in xml and "<w:ins " in xml and "42,000.00" in xml
    assert "draft.import" in _actions(org.principals["legal"].organization_id)
