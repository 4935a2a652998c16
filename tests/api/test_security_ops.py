"""Operations surface (issue 15): /metrics and /v1/health are not served through the ingress
(item 15), and the SLO report of one organization's ops role counts only that
organization's runs (item 17)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from bridge_app.api.deps import get_queue_pool
from bridge_app.api.main import api
from bridge_app.models import Meeting, StageRun
from bridge_app.services.db import session_scope
from bridge_app.settings import get_settings
from tests.api.support import LoopPools, make_org


def _from(address: str, queue_redis_url: str) -> TestClient:
    api.dependency_overrides[get_queue_pool] = LoopPools(queue_redis_url)
    return TestClient(api, raise_server_exceptions=False, client=(address, 40000))


def test_internal_endpoints_not_served_through_the_ingress(
    client: TestClient, queue_redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "TRUSTED_PROXIES", "10.0.0.0/8")
    via_ingress = _from("10.4.0.9", queue_redis_url)
    for path in ("/metrics", "/v1/health"):
        assert via_ingress.get(path, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 404
    prometheus = _from("172.20.3.4", queue_redis_url)  # a pod reaching the API directly
    scraped = prometheus.get("/metrics")
    assert scraped.status_code == 200 and "bridge_slo_compliance" in scraped.text


def test_slo_report_is_scoped_to_the_callers_organization(client: TestClient) -> None:
    mine, theirs = make_org("SloMine"), make_org("SloTheirs")
    now = datetime.now(UTC)
    with session_scope() as s:
        meeting = Meeting(organization_id=theirs.id, title="other tenant", source_filename="x")
        s.add(meeting)
        s.flush()
        for n in range(3):
            s.add(
                StageRun(
                    organization_id=theirs.id,
                    meeting_id=meeting.id,
                    stage="qa",
                    job_id=f"slo-{uuid.uuid4().hex}",
                    outcome="succeeded",
                    slo="meetingProcessing",
                    slo_latency_s=999.0,
                    started_at=now - timedelta(minutes=5),
                    finished_at=now - timedelta(minutes=n + 1),
                )
            )
    report = client.get(
        "/v1/monitoring/slo-report", params={"window_days": 1}, headers=mine.headers("ops")
    ).json()
    assert report["counts"]["meetingProcessing"]["total"] == 0, report["counts"]
    other = client.get(
        "/v1/monitoring/slo-report", params={"window_days": 1}, headers=theirs.headers("ops")
    ).json()
    assert other["counts"]["meetingProcessing"]["total"] >= 3
