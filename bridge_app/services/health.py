"""Dependency checks for /v1/health and the recorded probes behind the availability SLO.

Required dependencies (the API cannot serve without them): database, Redis, NATS, storage.
Workers are reported (from their arq heartbeats) but do not make the API unhealthy: jobs wait
in their queues until a worker is back.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa
from sqlmodel import Session

from bridge_app.models import HealthProbe
from bridge_app.services import metrics
from bridge_app.services.db import get_engine
from bridge_app.services.storage import get_store
from bridge_app.settings import get_settings

TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Check:
    """One dependency's answer."""

    name: str
    ok: bool
    latency_ms: float
    required: bool = True
    error: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: status up/down, latency and why."""
        data = asdict(self)
        data["status"] = "up" if self.ok else "down"
        data.pop("ok")
        data.pop("name")
        return {k: v for k, v in data.items() if v is not None}


def _timed(name: str, fn: Callable[[], str | None], required: bool = True) -> Check:
    start = time.perf_counter()
    try:
        detail = fn()
        ok, error = True, None
    except Exception as exc:
        ok, error, detail = False, f"{type(exc).__name__}: {exc}"[:300], None
    latency = round((time.perf_counter() - start) * 1000, 2)
    metrics.DEPENDENCY_UP.labels(name).set(1 if ok else 0)
    return Check(name, ok, latency, required, error, detail)


def check_database(session: Session | None = None) -> Check:
    """SELECT 1 on the pool (or the given session)."""

    def run() -> None:
        if session is not None:
            session.execute(sa.text("SELECT 1"))
            return
        with get_engine().connect() as conn:
            conn.execute(sa.text("SET LOCAL statement_timeout = 2000"))
            conn.execute(sa.text("SELECT 1"))

    return _timed("database", run)


@lru_cache(maxsize=4)
def _redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)


def check_redis() -> Check:
    """PING."""
    return _timed("redis", lambda: None if _redis_client(get_settings().REDIS_URL).ping() else "")


def check_nats() -> Check:
    """Connect and read the server's INFO line (cheap; no client session)."""

    def run() -> str:
        url = (get_settings().NATS_URL or "nats://127.0.0.1:4222").split(",")[0]
        parsed = urlparse(url)
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 4222), timeout=TIMEOUT_S
        ) as sock:
            sock.settimeout(TIMEOUT_S)
            line = sock.recv(4096)
        if not line.startswith(b"INFO "):
            raise ConnectionError("the server did not greet like NATS")
        return "jetstream" if b'"jetstream":true' in line else "no-jetstream"

    return _timed("nats", run)


def check_storage() -> Check:
    """The store's own check (bucket reachable / directory writable)."""

    def run() -> str:
        store = get_store()
        store.check()
        return store.kind

    return _timed("storage", run)


def check_required(session: Session | None = None) -> list[Check]:
    """Every required dependency, one after the other (for the recorded probe)."""
    return [check_database(session), check_redis(), check_nats(), check_storage()]


async def check_all(pool: Any | None = None) -> dict[str, Any]:
    """Every dependency concurrently, plus worker heartbeats; the /v1/health body."""

    async def bounded(fn: Callable[[], Check], name: str) -> Check:
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn), TIMEOUT_S + 1)
        except TimeoutError:
            metrics.DEPENDENCY_UP.labels(name).set(0)
            return Check(name, False, (TIMEOUT_S + 1) * 1000, True, "timed out")

    checks = list(
        await asyncio.gather(
            bounded(check_database, "database"),
            bounded(check_redis, "redis"),
            bounded(check_nats, "nats"),
            bounded(check_storage, "storage"),
        )
    )
    workers: dict[str, Any] = {}
    if pool is not None:
        from bridge_app.services.queue import worker_heartbeats

        start = time.perf_counter()
        try:
            beats = await asyncio.wait_for(worker_heartbeats(pool), TIMEOUT_S)
        except Exception as exc:
            beats = {}
            workers["error"] = f"{type(exc).__name__}: {exc}"[:300]
        latency = round((time.perf_counter() - start) * 1000, 2)
        for queue, beat in beats.items():
            metrics.WORKER_UP.labels(queue).set(1 if beat else 0)
            workers[queue] = {
                "status": "up" if beat else "down",
                "latency_ms": latency,
                "required": False,
                **({"heartbeat": beat} if beat else {}),
            }
    required_ok = all(c.ok for c in checks if c.required)
    workers_ok = all(isinstance(w, dict) and w.get("status") == "up" for w in workers.values())
    return {
        "status": "ok" if required_ok and workers_ok else ("degraded" if required_ok else "down"),
        "dependencies": {c.name: c.to_dict() for c in checks},
        "workers": workers,
    }


def record_health_probe(session: Session) -> HealthProbe:
    """Check the required dependencies now and record the result (the availability SLO).

    Synchronous, for the maintenance worker (run it in a thread from async code); the caller
    commits.
    """
    checks = check_required(session)
    probe = HealthProbe(
        ok=all(c.ok for c in checks),
        detail={c.name: c.to_dict() for c in checks},
    )
    session.add(probe)
    session.flush()
    return probe
