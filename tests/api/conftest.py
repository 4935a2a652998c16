"""API fixtures: the app under a TestClient, organizations with every role, and a meeting
taken through the whole pipeline inline (drafted, QA'd, exported)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlmodel import select

from bridge_app.api.deps import get_queue_pool
from bridge_app.api.main import api
from bridge_app.models import Decision, Draft, DraftVersion, Export
from bridge_app.services.queue import NextJob
from tests.api.support import LoopPools, Org, make_org, run_until_idle, session

DEMO = Path(__file__).resolve().parents[2] / "bridge_app" / "demo" / "sow_kickoff.vtt"


@pytest.fixture(scope="session")
def queue_redis_url(service_urls: dict[str, str]) -> Iterator[str]:
    """This session's own Redis database (flushed before and after). Not a fixed shared number:
    parallel test sessions flushed each other's queued jobs there. No worker runs during the
    API tests (tests/jobs stops its workers after each test), so nothing consumes the jobs."""
    url = service_urls["REDIS_URL"]
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def client(migrated: str, queue_redis_url: str) -> Iterator[TestClient]:
    """The API in-process; its job queue points at the tests' own Redis database."""
    api.dependency_overrides[get_queue_pool] = LoopPools(queue_redis_url)
    with TestClient(api, raise_server_exceptions=False) as test_client:
        yield test_client
    api.dependency_overrides.pop(get_queue_pool, None)


@pytest.fixture(scope="session")
def org_a(migrated: str) -> Org:
    return make_org("Alpha")


@pytest.fixture(scope="session")
def org_b(migrated: str) -> Org:
    return make_org("Beta")


@dataclass
class World:
    """Ids of org A's objects in every state the routes need."""

    org: Org
    meeting_id: str
    decision_id: str
    draft_id: str
    version: int
    export_id: str
    user_id: str
    file_key: str

    def params(self) -> dict[str, Any]:
        """Path parameter values by name."""
        return {
            "meeting_id": self.meeting_id,
            "decision_id": self.decision_id,
            "draft_id": self.draft_id,
            "version": self.version,
            "export_id": self.export_id,
            "user_id": self.user_id,
            "key": self.file_key,
            "invitation_id": "00000000-0000-4000-8000-000000000000",
            "term": "price",
            "position": 0,
        }


def upload(client: TestClient, org: Org, data: bytes, **form: Any) -> Any:
    """POST /v1/meetings as the org's legal user."""
    fields = {"title": "Kick-off", "redact": "false", **form}
    headers = org.headers("legal")
    if "idempotency_key" in fields:
        headers["Idempotency-Key"] = fields.pop("idempotency_key")
    return client.post(
        "/v1/meetings",
        files={"file": ("kickoff.vtt", data, "text/vtt")},
        data=fields,
        headers=headers,
    )


def process_meeting(meeting_id: str) -> None:
    """Run ingest → extract → draft → QA inline."""
    import uuid

    run_until_idle(NextJob("transcript", uuid.UUID(meeting_id), 1))


@pytest.fixture(scope="session")
def world(client: TestClient, org_a: Org) -> World:
    response = upload(client, org_a, DEMO.read_bytes(), title="SOW kick-off", matter="Harborview")
    assert response.status_code == 201, response.text
    meeting_id = response.json()["id"]
    process_meeting(meeting_id)
    with session() as s:
        draft = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        decision = s.exec(select(Decision).where(Decision.meeting_id == meeting_id)).first()
        assert decision is not None
        draft_id, version = str(draft.id), draft.current_version
        decision_id = str(decision.id)
    assert version == 1
    response = client.post(
        f"/v1/drafts/{draft_id}/exports", json={"format": "md"}, headers=org_a.headers("legal")
    )
    assert response.status_code == 202, response.text
    export_id = response.json()["id"]
    run_until_idle(NextJob("export", __import__("uuid").UUID(export_id), 1))
    with session() as s:
        export = s.get(Export, export_id)
        assert export is not None and export.status == "done"
        file_key = export.object_key or ""
        assert s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft_id)).first()
    return World(
        org=org_a,
        meeting_id=meeting_id,
        decision_id=decision_id,
        draft_id=draft_id,
        version=version,
        export_id=export_id,
        user_id=str(org_a.users["viewer"].id),
        file_key=file_key,
    )
