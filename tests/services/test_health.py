"""Dependency checks and the recorded probes behind the availability SLO."""

from __future__ import annotations

import asyncio
import socket

import pytest
from sqlmodel import Session

from bridge_app.core.stages import QUEUE_NAMES
from bridge_app.services import health, queue
from bridge_app.settings import get_settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_required_checks_pass_on_live_services(session: Session) -> None:
    checks = {c.name: c for c in health.check_required(session)}
    assert set(checks) == {"database", "redis", "nats", "storage"}
    assert all(c.ok for c in checks.values()), checks
    assert all(c.latency_ms >= 0 for c in checks.values())
    assert checks["nats"].detail == "jetstream"


def test_record_health_probe(session: Session) -> None:
    probe = health.record_health_probe(session)
    assert probe.id is not None and probe.ok is True
    assert probe.detail["database"]["status"] == "up"


def test_probe_records_a_down_dependency(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "NATS_URL", f"nats://127.0.0.1:{_closed_port()}")
    probe = health.record_health_probe(session)
    assert probe.ok is False
    assert probe.detail["nats"]["status"] == "down" and probe.detail["nats"]["error"]


def test_check_all_reports_workers(migrated: str) -> None:
    async def run() -> dict:
        pool = await queue.get_pool()
        try:
            return await health.check_all(pool)
        finally:
            await pool.aclose()

    body = asyncio.run(run())
    assert body["dependencies"]["database"]["status"] == "up"
    assert set(body["workers"]) >= set(QUEUE_NAMES)
    for worker in body["workers"].values():
        assert worker["status"] in ("up", "down") and "latency_ms" in worker
    assert body["status"] in ("ok", "degraded")
