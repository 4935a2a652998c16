"""Meetings, segments, decisions: upload (idempotent, size-limited), list, detail, retry."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis
import sqlalchemy as sa
from arq.jobs import JobStatus
from fastapi.testclient import TestClient

from bridge_app.models import Meeting
from bridge_app.services import queue
from bridge_app.services.db import session_scope
from bridge_app.settings import get_settings
from tests.api.conftest import DEMO, World, upload
from tests.api.support import Org, make_org

VTT = DEMO.read_bytes()


def _job_status(url: str, stage: str, subject: str, version: int) -> JobStatus:
    async def run() -> JobStatus:
        pool = await queue.get_pool(url)
        try:
            (status,) = await queue.job_statuses(pool, [queue.NextJob(stage, subject, version)])
            return status
        finally:
            await pool.aclose()

    return asyncio.run(run())


def test_upload_enqueues_and_is_idempotent(client: TestClient, queue_redis_url: str) -> None:
    org = make_org("Upload")
    key = f"idem-{uuid.uuid4().hex}"
    first = upload(client, org, VTT, title="Idempotent", idempotency_key=key)
    assert first.status_code == 201, first.text
    meeting_id = first.json()["id"]
    again = upload(client, org, VTT, title="Idempotent", idempotency_key=key)
    assert again.status_code == 200
    assert again.json()["id"] == meeting_id
    assert _job_status(queue_redis_url, "transcript", meeting_id, 1) == JobStatus.queued
    depth = redis.Redis.from_url(queue_redis_url).zcard("meeting.ingest")
    assert depth >= 1
    with session_scope() as s:
        count = s.execute(
            sa.select(sa.func.count()).select_from(Meeting).where(Meeting.idempotency_key == key)  # type: ignore[arg-type]
        ).scalar_one()
    assert count == 1


def test_upload_size_limit_enforced_by_server(
    client: TestClient, org_a: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "MAX_UPLOAD_BYTES", 2000)
    response = upload(client, org_a, VTT)  # 2.7 kB
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "limit" in response.json()["detail"]
    # Far beyond the limit: refused from Content-Length before the body is read.
    big = upload(client, org_a, b"A: x\n" * 600_000)
    assert big.status_code == 413


def test_bad_transcript_is_422_with_a_message(client: TestClient, org_a: Org) -> None:
    response = upload(client, org_a, b"\x00\x01\x02 binary junk \xff\xfe")
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422 and body["title"] and body["detail"]


def test_list_filters_search_and_cursor(client: TestClient) -> None:
    org = make_org("Lister")
    ids = []
    for n in range(5):
        r = upload(client, org, VTT, title=f"Pagination {n}", matter="Matter X" if n % 2 else "")
        assert r.status_code == 201
        ids.append(r.json()["id"])
    headers = org.headers("viewer")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/meetings", params=params, headers=headers).json()
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))
    # Titles are encrypted: search matches whole words through keyed hashes.
    found = client.get("/v1/meetings", params={"q": "pagination 3"}, headers=headers).json()
    assert [m["title"] for m in found["items"]] == ["Pagination 3"]
    by_matter = client.get("/v1/meetings", params={"matter": "Matter X"}, headers=headers).json()
    assert len(by_matter["items"]) == 2
    assert {m["matter"] for m in by_matter["items"]} == {"Matter X"}
    by_status = client.get("/v1/meetings", params={"status": "ready"}, headers=headers).json()
    assert by_status["items"] == []
    bad = client.get("/v1/meetings", params={"cursor": "!!nope"}, headers=headers)
    assert bad.status_code == 422


def test_detail_segments_and_decisions(client: TestClient, world: World) -> None:
    headers = world.org.headers("viewer")
    detail = client.get(f"/v1/meetings/{world.meeting_id}", headers=headers).json()
    assert detail["status"] == "ready"
    assert [s["stage"] for s in detail["stages"]][:4] == ["transcript", "decision", "draft", "qa"]
    assert all(s["outcome"] == "succeeded" for s in detail["stages"][:4])
    assert detail["draft_ids"] == [world.draft_id]
    segs = client.get(
        f"/v1/meetings/{world.meeting_id}/segments", params={"limit": 5}, headers=headers
    ).json()
    assert len(segs["items"]) == 5 and segs["next_after"] == 4
    assert "Brightline Data" in segs["items"][0]["text"]
    decisions = client.get(f"/v1/meetings/{world.meeting_id}/decisions", headers=headers).json()
    assert len(decisions) == detail["decision_count"] > 0
    assert all(d["statement"] for d in decisions)
    one = client.get(f"/v1/decisions/{world.decision_id}", headers=headers)
    assert one.status_code == 200 and one.json()["evidence"]


def test_retry_only_failed_meetings(client: TestClient, queue_redis_url: str) -> None:
    org = make_org("Retry")
    meeting_id = upload(client, org, VTT).json()["id"]
    ops = org.headers("ops")
    refused = client.post(f"/v1/meetings/{meeting_id}/retry", headers=ops)
    assert refused.status_code == 409
    assert "failed" in refused.json()["detail"]
    with session_scope() as s:
        meeting = s.get(Meeting, uuid.UUID(meeting_id))
        assert meeting is not None
        meeting.status, meeting.failed_stage, meeting.failure_reason = "failed", "transcript", "x"
        s.add(meeting)
    accepted = client.post(f"/v1/meetings/{meeting_id}/retry", headers=ops)
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "uploaded"
    assert _job_status(queue_redis_url, "transcript", meeting_id, 1) == JobStatus.queued
    audit = client.get(
        "/v1/audit", params={"action": "meeting.retry"}, headers=org.headers("admin")
    ).json()
    assert audit["items"][0]["object_id"] == meeting_id


def test_unknown_route_and_method_are_problems(client: TestClient, org_a: Org) -> None:
    missing = client.get("/v1/nothing-here", headers=org_a.headers("viewer"))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    wrong = client.delete("/v1/meetings", headers=org_a.headers("viewer"))
    assert wrong.status_code == 405
    invalid = client.get("/v1/meetings/not-a-uuid", headers=org_a.headers("viewer"))
    assert invalid.status_code == 422 and "meeting_id" in invalid.json()["detail"]
