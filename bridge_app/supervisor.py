"""A process supervisor for `python -m bridge_app run`: keep every worker, the web app and the
embedded services running, restart what crashes, stop everything only when asked.

Why not a library: supervisor (supervisord) is a daemon of its own with an INI file and an
XML-RPC control socket, so `run` would hand its children to another process and lose the
Ctrl-C-stops-everything contract; circus needs ZeroMQ and a separate arbiter; honcho (foreman)
stops all processes when one exits, which is the behaviour being replaced. None supervises
daemons that are not its children (pg_ctl and redis-server daemonize; their liveness is a pid
file and a port), which the embedded services need. So: a small class, one poll loop.

Policy: a program that exits, or a service that stops answering, is restarted after a delay
that doubles with each crash in the last `crash_window_s` (0.5 s, 1 s, 2 s … capped). One log
line per crash, one per restart. More than `crash_limit` crashes of one program within the
window is a crash loop: everything is stopped and `run` exits 1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass
class Program:
    """A child process: started here, in its own process group, output to `log` (or ours)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log: Path | None = None


@dataclass
class Service:
    """Something that runs on its own (a daemon): checked with `is_up`, revived with `start`."""

    name: str
    is_up: Callable[[], bool]
    start: Callable[[], object]


class CrashLoop(RuntimeError):
    """One program keeps crashing; the supervisor gives up."""


@dataclass
class _State:
    crashes: deque[float] = field(default_factory=deque)
    restart_at: float | None = None
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


class Supervisor:
    """Start, watch and restart programs and services; see the module docstring."""

    def __init__(
        self,
        programs: Sequence[Program],
        services: Sequence[Service] = (),
        *,
        restart_delay_s: float = 0.5,
        service_restart_delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        crash_limit: int = 5,
        crash_window_s: float = 60.0,
        service_check_s: float = 1.0,
        out: TextIO | None = None,
    ):
        self.programs = {p.name: p for p in programs}
        self.services = {s.name: s for s in services}
        self.restart_delay_s = restart_delay_s
        self.service_restart_delay_s = service_restart_delay_s
        self.max_delay_s = max_delay_s
        self.crash_limit = crash_limit
        self.crash_window_s = crash_window_s
        self.service_check_s = service_check_s
        self.out = out or sys.stderr
        self._state = {name: _State() for name in (*self.programs, *self.services)}
        self._next_service_check = 0.0

    # ------------------------------------------------------------------ public

    def start(self) -> None:
        for program in self.programs.values():
            self._spawn(program)

    def run(self, should_stop: Callable[[], bool], interval_s: float = 0.2) -> None:
        """Supervise until `should_stop()`; raises CrashLoop when a child will not stay up."""
        while not should_stop():
            self.poll()
            time.sleep(interval_s)

    def poll(self, now: float | None = None) -> None:
        """One round: notice exits, restart what is due, check the services."""
        now = time.monotonic() if now is None else now
        for name, program in self.programs.items():
            state = self._state[name]
            if state.proc is not None and state.proc.poll() is not None:
                returncode = state.proc.returncode
                state.proc = None
                self._crashed(name, describe_exit(returncode), now, self.restart_delay_s)
            if state.proc is None and state.restart_at is not None and now >= state.restart_at:
                state.restart_at = None
                state.restarts += 1
                self._spawn(program)
                self._say(f"{name} restarted (restart {state.restarts})")
        if now >= self._next_service_check:
            self._next_service_check = now + self.service_check_s
            for name, service in self.services.items():
                self._check_service(name, service, now)

    def pid(self, name: str) -> int | None:
        proc = self._state[name].proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def restarts(self, name: str) -> int:
        return self._state[name].restarts

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM every program's process group, wait, then SIGKILL what is left."""
        procs = [s.proc for s in self._state.values() if s.proc is not None]
        for proc in procs:
            if proc.poll() is None:
                _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=5)
        for state in self._state.values():
            state.proc = None

    # ------------------------------------------------------------------ internals

    def _spawn(self, program: Program) -> None:
        if program.log is not None:
            program.log.parent.mkdir(parents=True, exist_ok=True)
            with program.log.open("ab") as handle:
                proc = subprocess.Popen(
                    program.argv,
                    env=program.env,
                    cwd=program.cwd,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        else:
            proc = subprocess.Popen(
                program.argv, env=program.env, cwd=program.cwd, start_new_session=True
            )
        self._state[program.name].proc = proc

    def _check_service(self, name: str, service: Service, now: float) -> None:
        state = self._state[name]
        if state.restart_at is None:
            if _answers(service):
                return
            self._crashed(name, "stopped answering", now, self.service_restart_delay_s)
            return
        if now < state.restart_at:
            return
        state.restart_at = None
        try:
            service.start()
        except Exception as exc:  # e.g. PostgreSQL still recovering: try again, later
            self._crashed(
                name, f"restart failed: {_one_line(exc)}", now, self.service_restart_delay_s
            )
            return
        state.restarts += 1
        self._say(f"{name} restarted (restart {state.restarts})")

    def _crashed(self, name: str, how: str, now: float, base_delay_s: float) -> None:
        state = self._state[name]
        state.crashes.append(now)
        while state.crashes and state.crashes[0] < now - self.crash_window_s:
            state.crashes.popleft()
        count = len(state.crashes)
        if count > self.crash_limit:
            self._say(
                f"{name} {how}: {count} crashes in {self.crash_window_s:.0f} s, a crash loop; "
                "stopping everything"
            )
            raise CrashLoop(f"{name} crashed {count} times in {self.crash_window_s:.0f} s")
        delay = min(base_delay_s * 2 ** (count - 1), self.max_delay_s)
        state.restart_at = now + delay
        self._say(f"{name} {how}; restarting in {delay:.1f} s")

    def _say(self, message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} supervisor: {message}", file=self.out, flush=True)


def _answers(service: Service) -> bool:
    try:
        return bool(service.is_up())
    except Exception:
        return False


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    stderr = getattr(exc, "stderr", None)
    if isinstance(stderr, bytes) and stderr.strip():
        text += " " + stderr.decode(errors="replace")
    return " ".join(text.split())[:200]
