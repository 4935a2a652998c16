"""ASGI middleware: request metrics by route template, request body limit, OIDC state cookie."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bridge_app.services import metrics, resilience
from bridge_app.settings import get_settings

MULTIPART_OVERHEAD = 1024 * 1024


def _route_label(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    return path or "/"


class MetricsMiddleware:
    """`http_requests_total{method,route,status}` and `http_request_duration_seconds`.

    The route label is the matched template (`/v1/meetings/{meeting_id}`), never the raw path,
    so the series stay few however many ids are requested.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = _route_label(scope)
            method = scope.get("method", "GET")
            metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
            metrics.HTTP_DURATION.labels(method, route).observe(time.perf_counter() - start)


class BodyTooLarge(Exception):
    """Raised inside the app when a request body exceeds the limit."""


class BodyLimitMiddleware:
    """Refuse request bodies over MAX_UPLOAD_BYTES (+ multipart overhead) with 413.

    Checks Content-Length first; for chunked bodies counts bytes as they arrive, so a client
    cannot stream an unbounded upload into the server's spool files.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        limit = settings.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
        if scope.get("method") == "POST" and scope.get("path") == "/v1/meetings":
            # A recording (with an optional speakers transcript) has its own, larger limit.
            limit += max(settings.MAX_RECORDING_BYTES, settings.MAX_UPLOAD_BYTES)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(send, limit)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Payload too large",
                "status": 413,
                "detail": f"the upload is larger than the limit of "
                f"{get_settings().MAX_UPLOAD_BYTES / 1e6:.0f} MB",
                "code": "too_large",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class OIDCStateMiddleware:
    """A small signed-cookie session for the OIDC login round trip only (state and nonce).

    Authlib's Starlette client keeps its state in `request.session`; this provides it for
    paths under `/v1/auth/oidc/` with an HMAC-signed, short-lived, HttpOnly cookie.
    """

    cookie = "bridge_oidc"
    max_age = 600

    def __init__(self, app: ASGIApp, prefix: str = "/v1/auth/oidc/"):
        self.app = app
        self.prefix = prefix

    @staticmethod
    def _key() -> bytes:
        return hmac.new(get_settings().JWT_SECRET.encode(), b"oidc-state-cookie", "sha256").digest()

    def _load(self, raw: str) -> dict[str, Any]:
        try:
            payload_b64, sig = raw.rsplit(".", 1)
            payload = base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4))
            expected = hmac.new(self._key(), payload, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, sig):
                return {}
            data = json.loads(payload)
            if data.get("_exp", 0) < time.time():
                return {}
            return dict(data.get("s", {}))
        except (ValueError, TypeError):
            return {}

    def _dump(self, data: dict[str, Any]) -> str:
        payload = json.dumps({"s": data, "_exp": time.time() + self.max_age}).encode()
        sig = hmac.new(self._key(), payload, hashlib.sha256).hexdigest()
        return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + sig

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = {}
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    key, _, val = part.strip().partition("=")
                    if key == self.cookie and val:
                        session = self._load(val)
        scope["session"] = session
        before = json.dumps(session, sort_keys=True)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                after = json.dumps(scope["session"], sort_keys=True)
                if after != before:
                    headers = MutableHeaders(scope=message)
                    secure = "; Secure" if get_settings().is_production else ""
                    value = self._dump(scope["session"]) if scope["session"] else ""
                    age = self.max_age if scope["session"] else 0
                    headers.append(
                        "Set-Cookie",
                        f"{self.cookie}={value}; Path={self.prefix.rstrip('/')}; "
                        f"Max-Age={age}; HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, send_wrapper)


class ConcurrencyLimitMiddleware:
    """At most `limit` /v1 requests in the application at once; the rest wait on the loop.

    Handlers use blocking database sessions in worker threads; keeping fewer requests in
    flight than the database pool has connections means no thread ever blocks waiting for a
    connection (which under a burst starved the thread pool), and queueing happens here, in
    the event loop, where it is cheap.
    """

    def __init__(self, app: ASGIApp, limit: int = 16):
        self.app = app
        self.limit = limit
        self._semaphores: dict[int, tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/v1/") or path == "/v1/health":
            await self.app(scope, receive, send)
            return
        import asyncio

        loop = asyncio.get_running_loop()
        entry = self._semaphores.get(id(loop))
        if entry is None or entry[0] is not loop:  # one per event loop (tests start several)
            entry = self._semaphores[id(loop)] = (loop, asyncio.Semaphore(self.limit))
        async with entry[1]:
            await self.app(scope, receive, send)


class DependencyDownMiddleware:
    """A request that fails because PostgreSQL, Redis, NATS or storage is unreachable answers
    503 with Retry-After and says which, instead of the generic 500; one log line per outage.

    It sits inside the app's catch-all error handler (Starlette runs that one outermost), so
    it sees the driver's exception first. Its transaction was rolled back: nothing was saved.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        started = False
        status = 0

        async def tracking_send(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            dependency = resilience.dependency_of(exc)
            if dependency is None or started:
                raise
            resilience.OUTAGES.down(dependency, exc)
            await self._unavailable(send, dependency)
            return
        if status < 500 and scope.get("path") != "/v1/health":
            resilience.OUTAGES.up(resilience.POSTGRESQL)  # a request got through the database

    @staticmethod
    async def _unavailable(send: Send, dependency: str) -> None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Service unavailable",
                "status": 503,
                "detail": f"{dependency} is unavailable right now, so nothing was saved; "
                f"please try again in {resilience.RETRY_AFTER_S} seconds",
                "code": "dependency_unavailable",
                "dependency": dependency,
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(resilience.RETRY_AFTER_S).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
