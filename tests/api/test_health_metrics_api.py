"""/health, /v1/health (503 when a required dependency is down) and /metrics."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from bridge_app.settings import get_settings
from tests.api.conftest import World


def test_liveness(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_dependency_health(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200, response.text
    body = response.json()
    for name in ("database", "redis", "nats", "storage"):
        assert body["dependencies"][name]["status"] == "up"
        assert body["dependencies"][name]["latency_ms"] >= 0
    assert "meeting.ingest" in body["workers"]


def test_dependency_down_is_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(get_settings(), "NATS_URL", f"nats://127.0.0.1:{port}")
    response = client.get("/v1/health")
    assert response.status_code == 503
    assert response.json()["dependencies"]["nats"]["status"] == "down"
    assert response.json()["status"] == "down"


def test_metrics_names_and_route_templates(client: TestClient, world: World) -> None:
    client.get(f"/v1/meetings/{world.meeting_id}", headers=world.org.headers("viewer"))
    client.get("/v1/monitoring/slo-report", headers=world.org.headers("ops"))
    text = client.get("/metrics").text
    assert (
        'http_requests_total{method="GET",route="/v1/meetings/{meeting_id}",status="200"}' in text
    )
    assert world.meeting_id not in text  # the raw path never becomes a label
    assert "http_request_duration_seconds_bucket" in text
    assert 'db_connections{state="in_use"}' in text
    assert 'nats_queue_depth{queue="meeting.ingest"}' in text
    assert 'slo_error_budget_remaining{slo="meetingProcessing"}' in text
    for bound in ("5.0", "12.0", "30.0"):
        assert f'bridge_stage_duration_seconds_bucket{{le="{bound}"' in text
