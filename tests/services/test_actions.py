"""Review actions as the UI calls them: permissions, organization scoping, reasons, audit."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bridge_app.models import AuditEvent, Decision, Draft, DraftVersion, Meeting
from bridge_app.services import actions, crypto, draft_actions, export_actions
from bridge_app.services.errors import Conflict, Forbidden, Invalid, NotFound
from bridge_app.services.principal import Principal
from tests.factories import make_org, make_user


def _setup(session: Session) -> tuple[dict[str, Principal], Meeting, Decision, bytes]:
    org = make_org(session, "Review")
    principals = {}
    for role in ("admin", "legal", "ops", "viewer"):
        user = make_user(session, org, role=role)
        principals[role] = Principal(user.id, org.id, role, user.email)
    key_row = crypto.create_data_key(session, org.id)
    key = crypto.data_key(key_row)
    meeting = Meeting(organization_id=org.id, title="M", data_key_id=key_row.id, status="ready")
    session.add(meeting)
    session.flush()
    content = {"statement": "Fee is 10,000 USD.", "evidence": []}
    decision = Decision(
        organization_id=org.id,
        meeting_id=meeting.id,
        input_version=1,
        item_key="term-price-c1",
        kind="agreed_term",
        content_ciphertext=crypto.encrypt(key, json.dumps(content).encode()),
        values={"price": {"amount": 10000.0, "currency": "USD"}},
        confidence=0.9,
    )
    session.add(decision)
    session.flush()
    return principals, meeting, decision, key


def test_edit_encrypts_statement_and_audits(session: Session) -> None:
    principals, _meeting, decision, key = _setup(session)
    row = actions.review_decision(
        session,
        principal=principals["legal"],
        decision_id=decision.id,
        action="edit",
        statement="Fee is 12,000 USD.",
        values={"price": {"amount": 12000.0, "currency": "USD"}},
        reason="corrected",
        ip="10.9.9.9",
    )
    assert row.review_status == "edited" and row.reviewed_by == principals["legal"].user_id
    assert row.edited_statement_ciphertext is not None
    assert b"12,000" not in row.edited_statement_ciphertext
    assert crypto.decrypt_text(key, row.edited_statement_ciphertext) == "Fee is 12,000 USD."
    event = session.exec(select(AuditEvent).where(AuditEvent.object_id == str(decision.id))).one()
    assert event.action == "decision.edit" and event.ip == "10.9.9.9"
    assert event.detail["changed"] == ["statement", "values"]
    assert "12,000" not in json.dumps(event.detail)  # the audit log holds no contract text


def test_reasons_permissions_and_scoping(session: Session) -> None:
    principals, _meeting, decision, _key = _setup(session)
    with pytest.raises(Invalid, match="reason"):
        actions.review_decision(
            session, principal=principals["legal"], decision_id=decision.id, action="reject"
        )
    for role in ("viewer", "ops"):
        with pytest.raises(Forbidden):
            actions.review_decision(
                session,
                principal=principals[role],
                decision_id=decision.id,
                action="accept",
            )
    other, *_ = _setup(session)
    with pytest.raises(NotFound):
        actions.review_decision(
            session, principal=other["admin"], decision_id=decision.id, action="accept"
        )
    accepted = actions.review_decision(
        session, principal=principals["admin"], decision_id=decision.id, action="accept"
    )
    assert accepted.review_status == "accepted"


def test_drafts_approve_export_and_retry(session: Session) -> None:
    principals, meeting, _decision, key = _setup(session)
    legal = principals["legal"]
    draft, job = draft_actions.create_draft(
        session, principal=legal, meeting_id=meeting.id, contract_type="nda"
    )
    assert (job.stage, job.subject_id, job.version) == ("draft", draft.id, 1)
    with pytest.raises(Conflict, match="no version"):
        draft_actions.approve_draft(session, principal=legal, draft_id=draft.id)
    version = DraftVersion(
        organization_id=draft.organization_id,
        draft_id=draft.id,
        version=1,
        body_ciphertext=crypto.encrypt(key, b"{}"),
        qa_done=True,
        blocker_count=1,
    )
    session.add(version)
    draft.current_version = 1
    session.add(draft)
    session.flush()
    with pytest.raises(Conflict, match="blocker"):
        draft_actions.approve_draft(session, principal=legal, draft_id=draft.id)
    version.blocker_count = 0
    session.add(version)
    approved = draft_actions.approve_draft(session, principal=legal, draft_id=draft.id)
    assert approved.status == "approved"
    first = export_actions.request_export(
        session, principal=legal, draft_id=draft.id, version=None, fmt="pdf", idempotency_key="k1"
    )
    again = export_actions.request_export(
        session, principal=legal, draft_id=draft.id, version=None, fmt="pdf", idempotency_key="k1"
    )
    assert first.created and not again.created and again.export.id == first.export.id
    assert first.job is not None and first.job.stage == "export" and again.job is None
    with pytest.raises(Forbidden):
        export_actions.request_export(
            session, principal=principals["viewer"], draft_id=draft.id, version=1, fmt="md"
        )
    regen_draft, regen = draft_actions.request_regeneration(
        session, principal=legal, draft_id=draft.id
    )
    assert regen.version == 2 and regen_draft.requested_version == 2
    with pytest.raises(Conflict):
        actions.retry(session, principal=principals["ops"], meeting_id=meeting.id)
    with pytest.raises(Forbidden):
        actions.retry(session, principal=legal, meeting_id=meeting.id)
    recorded = set(
        session.exec(
            select(AuditEvent.action).where(AuditEvent.organization_id == draft.organization_id)
        ).all()
    )
    assert {"draft.generate", "draft.approve", "export.request"} <= recorded
    assert session.get(Draft, draft.id) is not None
