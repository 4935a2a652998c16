"""Embedded services: idempotent start, status, and a clear refusal when a port is taken."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bridge_app.services import devservices

pytestmark = pytest.mark.services


def test_up_is_idempotent_and_status_reports_running(service_urls: dict[str, str]) -> None:
    profile = devservices.PROFILES["test"]
    if devservices.status(profile) != {"postgres": True, "redis": True, "nats": True}:
        pytest.skip("the test services are external (TEST_*_URL)")
    again = devservices.up(profile, environ={})
    assert again["DATABASE_URL"].endswith(f":{profile.pg_port}/bridge")
    assert profile.env_file.read_text().count("=") >= 3


def test_a_port_taken_by_another_process_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        profile = devservices.Profile("scratch", tmp_path, port, port, port)
        with pytest.raises(devservices.DevServicesError, match=f"port {port} .* taken"):
            devservices.up(profile, environ={"DATABASE_URL": "x", "NATS_URL": "y"})
