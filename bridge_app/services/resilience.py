"""Riding out a dependency outage: which dependency an error means, one log line when it goes
down and one when it is back, and Redis connections that wait instead of failing.

The API turns a dependency error into 503 + Retry-After (api/middleware.py), the workers retry
their jobs with backoff (jobs/common.py) and block on Redis until it returns (`waiting_retry`),
and `/health` of a worker reports the outages listed here as "degraded".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis.exceptions
import sqlalchemy.exc
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

log = logging.getLogger("bridge.outage")

T = TypeVar("T")

# What a client is told to wait before trying again while a dependency is down (seconds).
RETRY_AFTER_S = 5
# Human names, used in log lines, /health and 503 messages.
POSTGRESQL, REDIS, NATS, STORAGE = "PostgreSQL", "Redis", "NATS", "object storage"


def dependency_of(exc: BaseException) -> str | None:
    """The dependency an exception says is unreachable, or None when it is not an outage.

    Follows the `raise … from …` chain, because wrappers (our StorageError, SQLAlchemy's
    DBAPIError) keep the driver's error as the cause.
    """
    from bridge_app.services.storage import StorageError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(
            current,
            sqlalchemy.exc.OperationalError
            | sqlalchemy.exc.InterfaceError
            | sqlalchemy.exc.TimeoutError,
        ):
            return POSTGRESQL
        module = type(current).__module__
        if module.startswith("psycopg") and type(current).__name__ in (
            "OperationalError",
            "InterfaceError",
        ):
            return POSTGRESQL
        if isinstance(current, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return REDIS
        if module.startswith("nats"):
            return NATS
        if isinstance(current, StorageError):
            return STORAGE
        current = current.__cause__ or current.__context__
    return None


class Outages:
    """Which dependencies are down in this process, logging each outage exactly once.

    A connection pool rarely fails over cleanly: around an outage some commands succeed on an
    old connection while others fail. So "back" is logged only after the dependency stayed up
    for `settle_s`; a failure within that time continues the same outage, silently.
    """

    def __init__(self, settle_s: float = 2.0) -> None:
        self.settle_s = settle_s
        self._lock = threading.Lock()
        self._since: dict[str, float] = {}  # down since (monotonic)
        self._settling: dict[str, tuple[float, float, threading.Timer]] = {}

    def down(self, dependency: str, error: BaseException | str | None = None) -> None:
        with self._lock:
            if dependency in self._since:
                return
            settling = self._settling.pop(dependency, None)
            if settling is not None:  # it failed again before it settled: the same outage
                settling[2].cancel()
                self._since[dependency] = settling[0]
                return
            self._since[dependency] = time.monotonic()
        detail = f": {_one_line(error)}" if error is not None else ""
        log.warning("%s is unreachable; waiting and retrying%s", dependency, detail)

    def up(self, dependency: str) -> None:
        with self._lock:
            since = self._since.pop(dependency, None)
            if since is None:
                return
            timer = threading.Timer(self.settle_s, self._settled, (dependency,))
            timer.daemon = True
            self._settling[dependency] = (since, time.monotonic(), timer)
        timer.start()

    def _settled(self, dependency: str) -> None:
        with self._lock:
            settling = self._settling.pop(dependency, None)
        if settling is not None:
            since, back, _ = settling
            log.warning("%s is reachable again after %.1f s; resuming", dependency, back - since)

    def clear(self, *dependencies: str) -> None:
        """Mark these (default: all) as reachable again."""
        for dependency in dependencies or tuple(self.current()):
            self.up(dependency)

    def current(self) -> dict[str, float]:
        """Dependency → seconds it has been down."""
        now = time.monotonic()
        with self._lock:
            return {name: now - since for name, since in self._since.items()}

    def is_down(self, dependency: str) -> bool:
        with self._lock:
            return dependency in self._since


OUTAGES = Outages()


def _one_line(error: BaseException | str) -> str:
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.orig is not None:
        error = error.orig  # the driver's message, without the statement
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return " ".join(text.split())[:200]


class WaitingRetry(Retry):
    """redis-py's retry policy, forever, with outage bookkeeping: a command waits (backoff up to
    `cap` seconds) until Redis answers again instead of raising out of arq's poll loop."""

    def __init__(self, cap: float = 5.0, base: float = 0.2):
        super().__init__(
            ExponentialBackoff(cap=cap, base=base),
            -1,
            (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError),
        )

    async def call_with_retry(
        self,
        do: Callable[[], Awaitable[T]],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        async def observed() -> T:
            result = await do()
            if OUTAGES.is_down(REDIS):
                OUTAGES.up(REDIS)
            return result

        async def failed(error: Exception, *count: int) -> Any:
            # A pooled connection that went stale during an outage fails once and reconnects:
            # only a second failure in a row means Redis is down.
            if not count or count[0] >= 2:
                OUTAGES.down(REDIS, error)
            return await fail(error, *count) if count else await fail(error)

        return await super().call_with_retry(
            observed, failed, is_retryable, with_failure_count=with_failure_count
        )


def waiting_redis_settings(settings: Any) -> Any:
    """Make arq RedisSettings wait out an outage (workers only: the API must answer 503)."""
    settings.retry = WaitingRetry()
    settings.retry_on_error = [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    settings.conn_retries = 0  # the retry policy above already waits for the first ping
    return settings
