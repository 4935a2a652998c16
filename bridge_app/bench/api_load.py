"""API load test: N concurrent clients on the list and detail endpoints for a fixed time.

The API runs in a Granian child process on a free loopback port against the configured
database (the same code and server as production: one Granian worker per core, as the k8s
API deployment runs it, `GRANIAN_WORKERS` from its CPU limit); the load comes from this
process through a minimal keep-alive HTTP/1.1 client on asyncio, so the measuring side costs
as little CPU as possible. A throwaway organization with `meetings` meetings is created first
and removed afterwards. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from bridge_app.bench.stats import percentile
from bridge_app.models import Meeting, Membership, Organization, User
from bridge_app.services import crypto, meeting_data
from bridge_app.services.auth import tokens
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.principal import Principal
from bridge_app.settings import REPO_ROOT

HOST = "127.0.0.1"
P99_TARGET_MS = 100.0  # paced: what a person at the UI sees
# Saturated (no pauses, 100 clients): the server's throughput, and queueing kept short.
SATURATED_P99_TARGET_MS = 250.0
SATURATED_RPS_TARGET = 500.0
LIST_PATH = "/v1/meetings?limit=50"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _seed(meetings: int) -> tuple[uuid.UUID, str, list[str]]:
    """A bench organization with a viewer and `meetings` meetings; (org id, token, ids)."""
    with session_scope() as session:
        org = Organization(name="Bench", slug=f"bench-{uuid.uuid4().hex[:10]}")
        session.add(org)
        session.flush()
        user = User(email=f"bench-{uuid.uuid4().hex[:10]}@example.invalid", full_name="Bench")
        session.add(user)
        session.flush()
        session.add(Membership(organization_id=org.id, user_id=user.id, role="viewer"))
        start = datetime.now(UTC) - timedelta(days=meetings)
        rows = [
            Meeting(
                organization_id=org.id,
                title="",
                meeting_date=date(2026, 1, 1) + timedelta(days=n % 365),
                source_filename=f"bench-{n}.vtt",
                source_format="vtt",
                status=("ready", "extracted", "failed")[n % 3],
                created_at=start + timedelta(hours=n),
                updated_at=start + timedelta(hours=n),
            )
            for n in range(meetings)
        ]
        # As uploads store them: a data key per meeting and the title encrypted under it, so
        # the list and detail pay for the key lookups and decryption that real meetings cost.
        for n, meeting in enumerate(rows):
            key_row = crypto.create_data_key(session, org.id)
            meeting.data_key_id = key_row.id
            meeting_data.set_title(session, meeting, crypto.data_key(key_row), f"Bench meeting {n}")
        session.add_all(rows)
        session.flush()
        principal = Principal(user.id, org.id, "viewer", user.email)
        ids = [str(m.id) for m in rows]
    token, _ = tokens.issue_access_token(principal, now=time.time() + 0)
    return org.id, token, ids


def _change(meeting_id: str, n: int) -> None:
    """One meeting moves on (its status alternates), as a pipeline stage commits it."""
    with session_scope() as session:
        session.execute(
            sa.update(Meeting)
            .where(col(Meeting.id) == uuid.UUID(meeting_id))
            .values(status=("extracted", "ready")[n % 2], updated_at=datetime.now(UTC))
        )


def _cleanup(org_id: uuid.UUID) -> None:
    with session_scope() as session:
        session.execute(sa.delete(Organization).where(col(Organization.id) == org_id))


def server_workers() -> int:
    """Granian workers: one per core (the production setting), `GRANIAN_WORKERS` overrides."""
    configured = os.environ.get("GRANIAN_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
            "bridge_app.api.main:api",
        ],
        cwd=str(REPO_ROOT),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


async def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"the API server exited: {err[-2000:]}")
        with suppress(OSError):
            conn = _Conn(port)
            await conn.open()
            status, _ = await conn.get("/health", {})
            await conn.close()
            if status == 200:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError("the API server did not become ready")


class _Conn:
    """One keep-alive HTTP/1.1 connection (GET only, Content-Length bodies)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(Exception):
                await self.writer.wait_closed()

    async def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.reader is None or self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        chunked = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lname = name.strip().lower()
            if lname == b"content-length":
                length = int(value.strip())
            elif lname == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
            return status, body
        return status, await self.reader.readexactly(length)


async def bench_api(
    duration_s: float = 60,
    clients: int = 100,
    meetings: int = 300,
    think_s: float = 1.0,
    changes_per_s: float = 2.0,
) -> dict:
    """Run the load test; returns requests, errors, throughput and p50/p90/p99 in ms.

    Each client is a person at the UI: it holds one keep-alive connection and alternates
    between the meetings list (`GET /v1/meetings?limit=50`) and a meeting's detail
    (`GET /v1/meetings/{id}`), waiting a random 0..2*think_s seconds (mean think_s) between
    requests. `think_s=0` is a closed loop that saturates the server: its latency is then
    mostly queueing (clients / throughput). Meanwhile `changes_per_s` times a second one
    meeting changes status, as the pipeline changes them, so the read cache (which each change
    empties for the organization) is measured with the misses that follow.
    """
    get_engine()  # fail early when the database is not configured
    org_id, token, ids = await asyncio.to_thread(_seed, meetings)
    port = _free_port()
    workers = server_workers()
    proc = _start_server(port, workers)
    latencies: dict[str, list[float]] = {"list": [], "detail": []}
    errors: dict[str, int] = {}
    try:
        await _wait_ready(port, proc)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

        # Warm-up: connections, pools, imports.
        async def warm_up(seed: int) -> None:
            conn = _Conn(port)
            for n in range(10):
                path = LIST_PATH if n % 2 else f"/v1/meetings/{ids[(seed + n) % len(ids)]}"
                await conn.get(path, headers)
            await conn.close()

        await asyncio.gather(*(warm_up(i * 10) for i in range(4 * workers)))
        stop_at = time.monotonic() + duration_s

        async def client(seed: int) -> None:
            rng = random.Random(seed)
            conn = _Conn(port)
            if think_s > 0:  # staggered start: people do not all click at the same moment
                await asyncio.sleep(rng.uniform(0, 2 * think_s))
            n = seed
            while time.monotonic() < stop_at:
                kind = "list" if n % 2 else "detail"
                path = LIST_PATH if kind == "list" else f"/v1/meetings/{rng.choice(ids)}"
                start = time.perf_counter()
                try:
                    status, _body = await conn.get(path, headers)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    await conn.close()
                    conn = _Conn(port)
                    continue
                latencies[kind].append((time.perf_counter() - start) * 1000)
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                n += 1
                if think_s > 0:
                    await asyncio.sleep(rng.uniform(0, 2 * think_s))
            await conn.close()

        changes = 0

        async def changer() -> None:
            nonlocal changes
            rng = random.Random(7)
            while changes_per_s > 0 and time.monotonic() < stop_at:
                await asyncio.sleep(1 / changes_per_s)
                await asyncio.to_thread(_change, rng.choice(ids), changes)
                changes += 1

        started = time.monotonic()
        await asyncio.gather(changer(), *(client(i) for i in range(clients)))
        elapsed = time.monotonic() - started
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
        await asyncio.to_thread(_cleanup, org_id)
    every = sorted(latencies["list"] + latencies["detail"])
    result: dict[str, Any] = {
        "clients": clients,
        "think_s": think_s,
        "duration_s": round(elapsed, 2),
        "requests": len(every),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "throughput_rps": round(len(every) / elapsed, 1) if elapsed else 0.0,
        "changes": changes,
        "p50_ms": round(percentile(every, 0.50), 2),
        "p90_ms": round(percentile(every, 0.90), 2),
        "p99_ms": round(percentile(every, 0.99), 2),
        "max_ms": round(every[-1], 2) if every else 0.0,
        "p99_target_ms": P99_TARGET_MS if think_s > 0 else SATURATED_P99_TARGET_MS,
        "endpoints": {},
        "server": f"granian, {workers} worker(s), 127.0.0.1",
        "cpus": os.cpu_count(),
    }
    for kind, values in latencies.items():
        values.sort()
        result["endpoints"][kind] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 0.50), 2),
            "p99_ms": round(percentile(values, 0.99), 2),
        }
    result["p99_within_target"] = result["p99_ms"] <= result["p99_target_ms"]
    if think_s == 0:
        result["throughput_target_rps"] = SATURATED_RPS_TARGET
        result["throughput_within_target"] = result["throughput_rps"] >= SATURATED_RPS_TARGET
    return result


if __name__ == "__main__":  # pragma: no cover - manual runs
    import json

    print(json.dumps(asyncio.run(bench_api(float(sys.argv[1]) if len(sys.argv) > 1 else 60))))
