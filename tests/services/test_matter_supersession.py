"""A later meeting of the same matter supersedes the terms it changes (decision stage)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bridge_app.core.stages import Stage
from bridge_app.models import Decision, Meeting, Organization
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.meeting_data import data_key, decision_content
from bridge_app.services.stages.runner import run_stage
from bridge_app.services.stages.transaction import RunInfo
from bridge_app.services.storage import LocalStore
from bridge_app.services.upload import submit_meeting

pytestmark = pytest.mark.services
SAMPLES = Path(__file__).parent / "samples"


def _process(org_id: object, store: LocalStore, name: str) -> object:
    with session_scope(get_engine()) as session:
        meeting, _ = submit_meeting(
            session,
            organization_id=org_id,
            user_id=None,
            filename=name,  # type: ignore[arg-type]
            data=(SAMPLES / name).read_bytes(),
            title=name,
            matter_name="Pilot fee",
            store=store,
        )
        meeting_id = meeting.id
    run = RunInfo(job_id="t", attempt=1, enqueued_at=None, started_at=datetime.now(UTC))
    assert run_stage(Stage.transcript, meeting_id, 1, run, store=store) is not None
    assert run_stage(Stage.decision, meeting_id, 1, run) is not None
    return meeting_id


def test_the_later_meeting_supersedes_the_earlier_fee(migrated: str, tmp_path: Path) -> None:
    store = LocalStore(tmp_path, os.urandom(32), "http://api.test")
    with session_scope(get_engine()) as session:
        org = Organization(name="Matter test", slug=f"matter-{tmp_path.name[-8:]}")
        session.add(org)
        session.flush()
        org_id = org.id
    first = _process(org_id, store, "matter_fee_40k.vtt")
    second = _process(org_id, store, "matter_fee_45k.vtt")
    with Session(get_engine()) as session:
        old = session.exec(
            select(Decision).where(Decision.meeting_id == first, Decision.kind == "agreed_term")
        ).one()
        new = session.exec(
            select(Decision).where(Decision.meeting_id == second, Decision.kind == "agreed_term")
        ).one()
    assert old.superseded_by == f"{second}/{new.item_key}"
    assert new.supersedes == [f"{first}/{old.item_key}"]
    with Session(get_engine()) as session:
        meeting = session.get(Meeting, second)
        assert meeting is not None
        values = decision_content(new, data_key(session, meeting))["values"]
    assert values["price"]["amount"] == 45000.0
