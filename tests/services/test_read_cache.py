"""The read cache against the real PostgreSQL: its triggers, notifications and listener."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from bridge_app.models import Meeting, Organization, StageRun
from bridge_app.services.db import session_scope
from bridge_app.services.read_cache import APPLICATION_NAME, ReadCache
from bridge_app.settings import libpq_url
from tests.factories import make_meeting, make_org


@pytest.fixture()
def cache(migrated: str) -> Iterator[ReadCache]:
    cache = ReadCache(libpq_url(migrated), max_age_s=60)
    wait_for(lambda: cache.live, "the listener to connect")
    yield cache
    cache.close()


def wait_for(check: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def committed_meeting(cache: ReadCache) -> tuple[uuid.UUID, uuid.UUID]:
    """A new organization with a meeting, once the cache has heard of their creation."""
    with session_scope() as session:
        org = make_org(session, f"Cache {uuid.uuid4().hex[:6]}")
        meeting = make_meeting(session, org)
        ids = org.id, meeting.id
    wait_for(lambda: generation(cache, ids[0]) >= 1, "the creation's notification")
    return ids


def generation(cache: ReadCache, org: uuid.UUID) -> int:
    token = cache.lookup(org, "probe")[1]
    return token[1] if token else -1


def set_status(session: Session, meeting_id: uuid.UUID, status: str) -> None:
    session.execute(
        sa.update(Meeting).where(Meeting.id == meeting_id).values(status=status)  # type: ignore[arg-type]
    )


def fill(cache: ReadCache, org: uuid.UUID, key: str, body: bytes) -> None:
    missing, token = cache.lookup(org, key)
    assert missing is None and token is not None
    cache.store(org, key, token, body)
    assert cache.lookup(org, key)[0] == body


def test_a_committed_change_drops_only_that_organizations_entries(cache: ReadCache) -> None:
    org_a, meeting_a = committed_meeting(cache)
    org_b, _ = committed_meeting(cache)
    fill(cache, org_a, "list", b"a")
    fill(cache, org_b, "list", b"b")
    with session_scope() as session:
        set_status(session, meeting_a, "failed")
    wait_for(lambda: cache.lookup(org_a, "list")[0] is None, "org A's entry to go")
    assert cache.lookup(org_b, "list")[0] == b"b"


def test_an_uncommitted_change_keeps_the_entry(cache: ReadCache) -> None:
    org, meeting_id = committed_meeting(cache)
    fill(cache, org, "detail", b"x")
    with session_scope() as session:
        set_status(session, meeting_id, "failed")
        session.flush()
        time.sleep(0.3)
        assert cache.lookup(org, "detail")[0] == b"x"  # nothing is sent before the commit
        session.rollback()
    time.sleep(0.3)
    assert cache.lookup(org, "detail")[0] == b"x"


def test_child_tables_notify_too(cache: ReadCache) -> None:
    """A stage run (the detail's progress) and a deleted organization's rows are changes."""
    org, meeting_id = committed_meeting(cache)
    fill(cache, org, "detail", b"x")
    with session_scope() as session:
        session.add(
            StageRun(
                organization_id=org,
                meeting_id=meeting_id,
                stage="transcript",
                job_id=f"t-{uuid.uuid4().hex[:6]}",
                attempt=1,
                outcome="running",
                started_at=datetime.now(UTC),
            )
        )
    wait_for(lambda: cache.lookup(org, "detail")[0] is None, "the stage run's notification")
    fill(cache, org, "detail", b"y")
    with session_scope() as session:
        session.execute(sa.delete(Organization).where(Organization.id == org))  # type: ignore[arg-type]
    wait_for(lambda: cache.lookup(org, "detail")[0] is None, "the cascade's notification")


def test_a_read_that_raced_a_change_is_not_kept(cache: ReadCache) -> None:
    org, _ = committed_meeting(cache)
    _, token = cache.lookup(org, "list")  # a read begins
    cache.changed(org)  # a change arrives while it runs
    cache.store(org, "list", token, b"stale")
    assert cache.lookup(org, "list")[0] is None


def test_entries_expire(migrated: str) -> None:
    cache = ReadCache(libpq_url(migrated), max_age_s=0.2)
    try:
        wait_for(lambda: cache.live, "the listener")
        org = uuid.uuid4()
        fill(cache, org, "list", b"a")
        time.sleep(0.3)
        assert cache.lookup(org, "list")[0] is None
    finally:
        cache.close()


def test_nothing_is_served_or_kept_while_the_listener_is_down() -> None:
    cache = ReadCache("postgresql://postgres@127.0.0.1:9/none?connect_timeout=1", max_age_s=60)
    try:
        org = uuid.uuid4()
        time.sleep(0.2)
        assert not cache.live
        body, token = cache.lookup(org, "list")
        assert body is None and token is None
        cache.store(org, "list", token, b"a")
        assert cache.lookup(org, "list") == (None, None)
    finally:
        cache.close()


def test_losing_the_listener_empties_the_cache(cache: ReadCache, migrated: str) -> None:
    org = uuid.uuid4()
    fill(cache, org, "list", b"a")
    with session_scope() as session:  # what a database restart does to the listener
        session.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": APPLICATION_NAME},
        )
    wait_for(lambda: cache.lookup(org, "list")[0] is None, "the entry to go with the listener")
    wait_for(lambda: cache.live, "the listener to reconnect")
    assert cache.lookup(org, "list")[0] is None


def test_a_meeting_change_keeps_the_other_meetings_details(cache: ReadCache) -> None:
    org, changed_id = committed_meeting(cache)
    with session_scope() as session:
        other_id = make_meeting(session, session.get(Organization, org)).id  # type: ignore[arg-type]
    wait_for(lambda: generation(cache, org) >= 2, "the second meeting's notification")
    cache.store(org, "other", cache.lookup(org, "other", other_id)[1], b"o", other_id)
    cache.store(org, "changed", cache.lookup(org, "changed", changed_id)[1], b"c", changed_id)
    fill(cache, org, "list", b"l")
    with session_scope() as session:
        set_status(session, changed_id, "failed")
    wait_for(lambda: cache.lookup(org, "changed", changed_id)[0] is None, "the detail to go")
    assert cache.lookup(org, "list")[0] is None  # lists show every meeting
    assert cache.lookup(org, "other", other_id)[0] == b"o"
    cache.changed(org)  # organization-wide (a matter renamed): everything goes
    assert cache.lookup(org, "other", other_id)[0] is None


def test_the_oldest_entry_makes_room(migrated: str) -> None:
    cache = ReadCache(libpq_url(migrated), max_age_s=60, max_entries=2)
    try:
        wait_for(lambda: cache.live, "the listener")
        org = uuid.uuid4()
        for key in ("a", "b", "c"):
            fill(cache, org, key, key.encode())
        assert cache.lookup(org, "a")[0] is None
        assert cache.lookup(org, "b")[0] == b"b" and cache.lookup(org, "c")[0] == b"c"
        cache.changed(org)
        assert cache.lookup(org, "b")[0] is None and cache.lookup(org, "c")[0] is None
    finally:
        cache.close()
