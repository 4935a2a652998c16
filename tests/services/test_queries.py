"""The shared read side on real PostgreSQL: search is literal, every query stays in its
organization, and the UI's and the API's lists are the same query."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bridge_app.models import Meeting
from bridge_app.services import queries
from bridge_app.services.errors import NotFound
from tests.factories import make_meeting, make_org


def _titles(rows: list[tuple[Meeting, str | None]]) -> set[str]:
    return {m.title for m, _ in rows}


def test_search_matches_like_wildcards_literally(session: Session) -> None:
    org = make_org(session, "Search")
    for title in ("100% done", "100 done", "a_b", "axb", "back\\slash"):
        make_meeting(session, org, title=title)
    assert _titles(queries.meeting_rows(session, org.id, search="100%")) == {"100% done"}
    assert _titles(queries.meeting_rows(session, org.id, search="a_b")) == {"a_b"}
    assert _titles(queries.meeting_rows(session, org.id, search="k\\s")) == {"back\\slash"}
    assert len(queries.meeting_rows(session, org.id, search="%")) == 1
    assert len(queries.meeting_rows(session, org.id)) == 5


def test_status_groups_and_organization_scope(session: Session) -> None:
    org, other = make_org(session, "Mine"), make_org(session, "Theirs")
    for title, status in (("a", "ready"), ("b", "failed"), ("c", "drafting")):
        meeting = make_meeting(session, org, title=title)
        meeting.status = status
        session.add(meeting)
    foreign = make_meeting(session, other, title="a")
    session.flush()
    assert _titles(queries.meeting_rows(session, org.id, status_group="processing")) == {"c"}
    assert _titles(queries.meeting_rows(session, org.id, status_group="failed")) == {"b"}
    assert _titles(queries.meeting_rows(session, org.id, status="ready")) == {"a"}
    assert foreign.id not in {m.id for m, _ in queries.meeting_rows(session, org.id)}
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
