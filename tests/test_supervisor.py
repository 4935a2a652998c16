"""The supervisor of `run`: restarts what crashes with backoff, leaves the rest alone, gives up
on a crash loop, revives services, and stops everything it started."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from bridge_app.supervisor import CrashLoop, Program, Service, Supervisor, describe_exit

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _program(name: str, argv: list[str], tmp_path: Path) -> Program:
    return Program(name, argv, dict(os.environ), tmp_path, tmp_path / f"{name}.log")


def _until(predicate, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_a_killed_child_is_restarted_and_the_others_keep_running(tmp_path: Path) -> None:
    out = io.StringIO()
    sup = Supervisor(
        [_program("a", SLEEPER, tmp_path), _program("b", SLEEPER, tmp_path)],
        restart_delay_s=0.05,
        out=out,
    )
    sup.start()
    try:
        a, b = sup.pid("a"), sup.pid("b")
        assert a and b
        os.kill(a, signal.SIGKILL)
        _until(lambda: (sup.poll(), sup.pid("a") not in (None, a))[1])
        assert sup.pid("b") == b and sup.restarts("a") == 1 and sup.restarts("b") == 0
        lines = out.getvalue().splitlines()
        assert any("a killed by SIGKILL; restarting in 0.1 s" in line for line in lines), lines
        assert sum("restarted" in line for line in lines) == 1
    finally:
        sup.stop()
    assert sup.pid("a") is None and sup.pid("b") is None


def test_backoff_doubles_and_a_crash_loop_stops_everything(tmp_path: Path) -> None:
    out = io.StringIO()
    crasher = [sys.executable, "-c", "raise SystemExit(3)"]
    sup = Supervisor(
        [_program("bad", crasher, tmp_path), _program("good", SLEEPER, tmp_path)],
        restart_delay_s=0.01,
        crash_limit=3,
        crash_window_s=60,
        out=out,
    )
    sup.start()
    good = sup.pid("good")
    try:
        with pytest.raises(CrashLoop, match="bad crashed 4 times"):
            sup.run(lambda: False, interval_s=0.01)
    finally:
        sup.stop()
    delays = [
        line.rsplit("restarting in ", 1)[1]
        for line in out.getvalue().splitlines()
        if "restarting in" in line
    ]
    assert len(delays) == 3  # three restarts, then the fourth crash is the loop
    assert "exit code 3" in out.getvalue() and "crash loop" in out.getvalue()
    assert good is not None


def test_delays_grow_with_each_crash_in_the_window(tmp_path: Path) -> None:
    sup = Supervisor(
        [],
        [Service("x", lambda: True, lambda: None)],
        max_delay_s=4,
        crash_limit=10,
        out=io.StringIO(),
    )
    delays = []
    for n in range(5):
        sup._crashed("x", "exit code 1", now=100.0 + n, base_delay_s=0.5)
        delays.append(round(sup._state["x"].restart_at - (100.0 + n), 2))  # type: ignore[operator]
    assert delays == [0.5, 1.0, 2.0, 4.0, 4.0]
    # Crashes older than the window no longer count.
    sup._crashed("x", "exit code 1", now=1000.0, base_delay_s=0.5)
    assert sup._state["x"].restart_at == 1000.5


def test_a_service_that_dies_is_started_again_even_after_a_failed_start(tmp_path: Path) -> None:
    up = {"flag": True, "starts": 0}

    def start() -> None:
        up["starts"] += 1
        if up["starts"] == 1:
            raise RuntimeError("still shutting down")
        up["flag"] = True

    out = io.StringIO()
    sup = Supervisor(
        [],
        [Service("db", lambda: up["flag"], start)],
        service_restart_delay_s=0.01,
        service_check_s=0.0,
        out=out,
    )
    sup.poll()
    assert up["starts"] == 0
    up["flag"] = False
    _until(lambda: (sup.poll(), up["flag"])[1])
    assert up["starts"] == 2 and sup.restarts("db") == 1
    text = out.getvalue()
    assert (
        "db stopped answering" in text
        and "restart failed: RuntimeError: still shutting down" in text
    )


def test_exit_descriptions() -> None:
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(2) == "exit code 2"
