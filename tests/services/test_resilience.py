"""Outages: which dependency an error means, one log line each way, and Redis clients that
wait for a restarted redis-server instead of failing."""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
import redis.asyncio
import sqlalchemy as sa

from bridge_app.services import resilience
from bridge_app.services.devservices import redis_server_binary
from bridge_app.services.storage import StorageError


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dependency_of_real_driver_errors() -> None:
    engine = sa.create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/x",
        connect_args={"connect_timeout": 2},
    )
    with pytest.raises(sa.exc.OperationalError) as pg:
        engine.connect()
    assert resilience.dependency_of(pg.value) == resilience.POSTGRESQL
    with pytest.raises(redis.exceptions.ConnectionError) as rd:
        redis.Redis(port=_closed_port(), socket_connect_timeout=1).ping()
    assert resilience.dependency_of(rd.value) == resilience.REDIS
    try:
        try:
            raise OSError("connection refused")
        except OSError as cause:
            raise StorageError("upload failed") from cause
    except StorageError as wrapped:
        assert resilience.dependency_of(wrapped) == resilience.STORAGE
    assert resilience.dependency_of(ValueError("a bug")) is None
    assert resilience.dependency_of(sa.exc.IntegrityError("x", {}, Exception())) is None


def test_one_line_per_outage_and_per_recovery(caplog: pytest.LogCaptureFixture) -> None:
    outages = resilience.Outages(settle_s=0.2)
    caplog.set_level(logging.WARNING, logger="bridge.outage")
    for _ in range(5):
        outages.down("Redis", ConnectionError("refused"))
    assert outages.is_down("Redis") and list(outages.current()) == ["Redis"]
    outages.up("Redis")
    outages.down("Redis", ConnectionError("refused again"))  # a flap before it settled
    outages.up("Redis")
    time.sleep(0.5)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("Redis is unreachable") and "refused" in messages[0]
    assert messages[1].startswith("Redis is reachable again after")
    assert outages.current() == {}


def _redis_server(port: int, folder: Path) -> subprocess.Popen[bytes]:
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)]
    proc = subprocess.Popen(
        [str(redis_server_binary()), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            return proc
        except redis.exceptions.ConnectionError:
            time.sleep(0.02)
    raise AssertionError("redis-server did not start")


def test_a_worker_client_waits_for_redis_to_come_back(tmp_path: Path) -> None:
    port = _closed_port()
    server = _redis_server(port, tmp_path)

    async def scenario() -> tuple[bytes | None, float]:
        client = redis.asyncio.Redis(
            port=port,
            socket_connect_timeout=1,
            retry=resilience.WaitingRetry(cap=0.2, base=0.05),
            retry_on_error=[redis.exceptions.ConnectionError],
        )
        await client.set("k", b"before")
        server.kill()
        server.wait()
        began = time.monotonic()
        pending = asyncio.ensure_future(client.get("k"))  # blocks while Redis is gone
        await asyncio.sleep(1.0)
        assert not pending.done(), "the command gave up instead of waiting"
        assert resilience.OUTAGES.is_down(resilience.REDIS)
        restarted = _redis_server(port, tmp_path)
        try:
            value = await asyncio.wait_for(pending, timeout=10)
        finally:
            await client.aclose()
            restarted.kill()
            restarted.wait()
        return value, time.monotonic() - began

    value, waited = asyncio.run(scenario())
    assert value is None  # a new, empty Redis: the command ran against it
    assert waited >= 1.0
    assert not resilience.OUTAGES.is_down(resilience.REDIS)
