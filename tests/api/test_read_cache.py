"""The meetings list and detail served from the read cache: same bodies, changes seen at once,
never another organization's."""

from __future__ import annotations

import time
import uuid

import sqlalchemy as sa
from fastapi.testclient import TestClient

from bridge_app.models import Meeting
from bridge_app.services import read_cache
from bridge_app.services.db import session_scope
from tests.api.conftest import World
from tests.api.support import Org


def _set_status(meeting_id: str, status: str) -> None:
    with session_scope() as session:
        session.execute(
            sa.update(Meeting)
            .where(Meeting.id == uuid.UUID(meeting_id))  # type: ignore[arg-type]
            .values(status=status)
        )


def _until(
    client: TestClient, path: str, headers: dict[str, str], meeting_id: str, status: str
) -> float:
    """Seconds until the response shows the meeting with `status` (fails after 3 s)."""
    start = time.monotonic()
    while time.monotonic() - start < 3:
        body = client.get(path, headers=headers).json()
        rows = body.get("items", [body])
        shown = next(row["status"] for row in rows if row["id"] == meeting_id)
        if shown == status:
            return time.monotonic() - start
        time.sleep(0.005)
    raise AssertionError(f"{path} still did not show {status!r} after 3 s")


def test_detail_and_list_follow_a_change_made_elsewhere(
    client: TestClient, world: World, org_a: Org
) -> None:
    cache = read_cache.shared()
    assert cache is not None
    deadline = time.monotonic() + 5
    while not cache.live and time.monotonic() < deadline:
        time.sleep(0.01)
    headers = org_a.headers("viewer")
    detail = f"/v1/meetings/{world.meeting_id}"
    listing = "/v1/meetings?limit=200"
    first = client.get(detail, headers=headers)
    again = client.get(detail, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content  # the second from memory, byte for byte
    assert first.json()["segment_count"] > 0 and first.json()["stages"]
    status = first.json()["status"]
    try:
        # A worker's commit (another connection): the next reads show it within moments.
        _set_status(world.meeting_id, "failed")
        assert _until(client, detail, headers, world.meeting_id, "failed") < 1.0
        assert _until(client, listing, headers, world.meeting_id, "failed") < 1.0
    finally:
        _set_status(world.meeting_id, status)
    assert _until(client, detail, headers, world.meeting_id, status) < 1.0


def test_a_cached_meeting_is_not_found_by_another_organization(
    client: TestClient, world: World, org_a: Org, org_b: Org
) -> None:
    detail = f"/v1/meetings/{world.meeting_id}"
    assert client.get(detail, headers=org_a.headers("viewer")).status_code == 200
    assert client.get(detail, headers=org_a.headers("viewer")).status_code == 200
    refused = client.get(detail, headers=org_b.headers("admin"))
    assert refused.status_code == 404
    assert "no such meeting" in refused.json()["detail"]
    listed = client.get("/v1/meetings", headers=org_b.headers("admin")).json()["items"]
    assert world.meeting_id not in {item["id"] for item in listed}
