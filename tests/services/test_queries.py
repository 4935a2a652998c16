"""The shared read side on real PostgreSQL: search is literal, every query stays in its
organization, and the UI's and the API's lists are the same query."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bridge_app.models import Meeting
from bridge_app.services import crypto, meeting_data, meeting_list, queries
from bridge_app.services.errors import NotFound
from tests.factories import make_decision, make_meeting, make_org


def _titles(rows: list[meeting_list.MeetingRow]) -> set[str]:
    return {m.title for m in rows}


def test_search_matches_like_wildcards_literally(session: Session) -> None:
    org = make_org(session, "Search")
    for title in ("100% done", "100 done", "a_b", "axb", "back\\slash"):
        make_meeting(session, org, title=title)
    assert _titles(meeting_list.meeting_rows(session, org.id, search="100%")) == {"100% done"}
    assert _titles(meeting_list.meeting_rows(session, org.id, search="a_b")) == {"a_b"}
    assert _titles(meeting_list.meeting_rows(session, org.id, search="k\\s")) == {"back\\slash"}
    assert len(meeting_list.meeting_rows(session, org.id, search="%")) == 1
    assert len(meeting_list.meeting_rows(session, org.id)) == 5


def test_status_groups_and_organization_scope(session: Session) -> None:
    org, other = make_org(session, "Mine"), make_org(session, "Theirs")
    for title, status in (("a", "ready"), ("b", "failed"), ("c", "drafting")):
        meeting = make_meeting(session, org, title=title)
        meeting.status = status
        session.add(meeting)
    foreign = make_meeting(session, other, title="a")
    session.flush()
    assert _titles(meeting_list.meeting_rows(session, org.id, status_group="processing")) == {"c"}
    assert _titles(meeting_list.meeting_rows(session, org.id, status_group="failed")) == {"b"}
    assert _titles(meeting_list.meeting_rows(session, org.id, status="ready")) == {"a"}
    assert foreign.id not in {m.id for m in meeting_list.meeting_rows(session, org.id)}
    with pytest.raises(NotFound, match="no such meeting"):
        queries.owned(session, Meeting, foreign.id, org.id)


def test_audit_filters_exact_or_literal_substring(session: Session) -> None:
    from bridge_app.services import audit

    org = make_org(session, "Audit")
    for action in ("meeting.upload", "draft.approve", "draft_approve"):
        audit.append(session, action=action, organization_id=org.id)
    exact = queries.audit_events(session, org.id, action="draft.approve")
    assert [e.action for e in exact] == ["draft.approve"]
    contains = queries.audit_events(session, org.id, action="t_a", contains=True)
    assert [e.action for e in contains] == ["draft_approve"]  # "_" is not a wildcard


def test_latest_runs_and_counts_of_a_meeting(session: Session) -> None:
    from datetime import UTC, datetime, timedelta

    from bridge_app.models import StageRun

    org = make_org(session, "Runs")
    meeting, other = make_meeting(session, org), make_meeting(session, org, title="other")
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for stage, attempt, minutes, outcome in (
        ("transcript", 1, 1, "failed"),
        ("transcript", 2, 3, "succeeded"),
        ("transcript", 3, None, "running"),  # not finished: never the latest
        ("decision", 1, 2, "failed"),
    ):
        session.add(
            StageRun(
                organization_id=org.id,
                meeting_id=meeting.id,
                stage=stage,
                job_id=f"{stage}-{attempt}",
                attempt=attempt,
                outcome=outcome,
                finished_at=start + timedelta(minutes=minutes) if minutes else None,
            )
        )
    session.add(StageRun(organization_id=org.id, meeting_id=other.id, stage="draft", job_id="x"))
    session.flush()
    latest = queries.latest_runs(session, meeting)
    assert {k: (v.attempt, v.outcome) for k, v in latest.items()} == {
        "transcript": (2, "succeeded"),
        "decision": (1, "failed"),
    }
    summary = queries.meeting_summary(session, meeting)
    assert (summary.segment_count, summary.decision_count, summary.draft_ids) == (0, 0, [])
    assert summary.matter is None
    make_decision(session, meeting)
    make_decision(session, meeting)
    make_decision(session, other)
    assert queries.meeting_summary(session, meeting).decision_count == 2


def test_list_rows_decrypt_each_title_with_its_own_meetings_key(session: Session) -> None:
    org = make_org(session, "Sealed")
    for title in ("Harbor SOW", "Vendor NDA"):
        meeting = make_meeting(session, org, title="")
        key_row = crypto.create_data_key(session, org.id)
        meeting.data_key_id = key_row.id
        meeting_data.set_title(session, meeting, crypto.data_key(key_row), title)
        session.add(meeting)
    keyless = make_meeting(session, org, title="")
    keyless.title_ciphertext = b"\x01sealed-but-its-key-is-gone"
    session.add(keyless)
    session.flush()
    rows = meeting_list.meeting_rows(session, org.id)
    assert {m.title for m in rows} == {"Harbor SOW", "Vendor NDA", ""}
    assert all(m.matter is None for m in rows)
    assert _titles(meeting_list.meeting_rows(session, org.id, search="harbor")) == {"Harbor SOW"}
