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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_what_a_command_started_is_stopped_unless_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    profile = devservices.Profile("scratch", tmp_path, port, port, port)
    given = {"DATABASE_URL": "postgresql://elsewhere/x", "NATS_URL": "nats://elsewhere"}
    urls, started = devservices.start_missing(profile, environ=given)
    try:
        assert started == ["redis"] and urls["REDIS_URL"].endswith(f":{port}/0")
        # Already running: a second command did not start it, so it will not stop it.
        assert devservices.start_missing(profile, environ=given)[1] == []
        monkeypatch.setenv("KEEP_SERVICES", "1")
        assert devservices.stop_started(profile, started) == []
        assert devservices.status(profile)["redis"]
        monkeypatch.delenv("KEEP_SERVICES")
        assert devservices.stop_started(profile, started) == ["redis"]
        assert not devservices.status(profile)["redis"]
    finally:
        devservices.down(profile, ["redis"])


def test_with_every_url_given_nothing_is_started_or_stopped(tmp_path: Path) -> None:
    port = _free_port()
    profile = devservices.Profile("scratch", tmp_path, port, port, port)
    given = {"DATABASE_URL": "postgresql://x/y", "REDIS_URL": "redis://x", "NATS_URL": "nats://x"}
    urls, started = devservices.start_missing(profile, environ=given)
    assert started == [] and urls == given
    assert devservices.stop_started(profile, started) == []


def test_postgres_waits_for_a_port_that_a_stopped_postmaster_still_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    # The race the fault suite met: the port was free when checked, then held for a moment.
    monkeypatch.setattr(devservices, "_refuse_foreign_port", lambda *args: None)
    port = _free_port()
    profile = devservices.Profile("scratch", tmp_path, port, _free_port(), _free_port())
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", port))
    squatter.listen()
    # Released a moment after the first start fails, as a postmaster shutting down would.
    release = threading.Timer(devservices.PG_START_RETRY_S / 2, squatter.close)
    release.start()
    try:
        url = devservices.STARTERS["postgres"](profile)
        assert url.endswith(f":{port}/bridge")
        assert "Address already in use" in (tmp_path / "pg" / "postgres.log").read_text()
    finally:
        release.cancel()
        squatter.close()
        devservices.down(profile, ["postgres"])
