"""Shared API dependencies: settings, DB session, the caller, permissions, queue pool, errors.

`current_principal` is the ONE place a bearer token becomes a Principal; `Require(permission)`
wraps it with a role check (the route-table tests read the permission off each route).
Errors leave as RFC 9457 problem+json with a message meant for a person.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

from arq import ArqRedis
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from bridge_app.models import Draft, Meeting
from bridge_app.models.api import JobAccepted
from bridge_app.services import queue, read_cache
from bridge_app.services.auth import tokens
from bridge_app.services.client_address import forwarded_client
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.errors import AuthError, ServiceError, UploadRejected
from bridge_app.services.principal import PERMISSIONS, Principal, require
from bridge_app.services.queue import NextJob
from bridge_app.settings import get_settings

T = TypeVar("T")

log = logging.getLogger("bridge.api")

PROBLEM_JSON = "application/problem+json"
_bearer = HTTPBearer(auto_error=False, description="Access token from /v1/auth/login")

# Routes anyone may call (the route-table tests check this list against the app).
PUBLIC_ROUTES = frozenset(
    {
        ("GET", "/health"),
        ("GET", "/metrics"),
        ("GET", "/v1/health"),
        ("POST", "/v1/auth/login"),
        ("POST", "/v1/auth/refresh"),
        ("POST", "/v1/auth/logout"),
        ("GET", "/v1/auth/oidc/login"),
        ("GET", "/v1/auth/oidc/callback"),
        ("GET", "/v1/files/{key:path}"),
        # Guarded by a per-user signed, expiring link plus a membership check on every request
        # (an <audio> element cannot send a bearer token); the link itself needs sign-in.
        ("GET", "/v1/recordings/{meeting_id}/{track}"),
    }
)


def _finish(session: Session, ok: bool) -> None:
    try:
        if ok:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def get_session() -> AsyncIterator[Session]:
    """A session for read handlers (commits at the end; write handlers commit explicitly).

    Opening a session does no I/O (it connects on first use, in the handler's thread), so it
    opens on the event loop; only the commit and close go to a worker thread: one thread hop
    per request fewer than a sync generator dependency costs.
    """
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
    except BaseException:
        await run_in_threadpool(_finish, session, False)
        raise
    await run_in_threadpool(_finish, session, True)


def client_ip(request: Request) -> str | None:
    """The client's address: the peer, or, when the peer is a trusted proxy
    (`TRUSTED_PROXIES`, the ingress), the last X-Forwarded-For hop no trusted proxy added."""
    peer = request.client.host if request.client else None
    return forwarded_client(peer, request.headers.get("x-forwarded-for", ""))


# Verified access tokens → their principal, for a few seconds: a UI page fires several requests
# with one token, and verifying the signature and claims each time was a fifth of a list
# request's time on the event loop. Safe because the mapping is a pure function of the token
# while the secrets are unchanged (part of the key); an entry never outlives
# the token's own expiry, and nothing about a token is looked up in the database that this
# would skip (role changes and sign-out apply when the token is refreshed, as before).
PRINCIPAL_CACHE_TTL_S = 10.0
PRINCIPAL_CACHE_MAX = 10_000
_principals: dict[tuple[str, ...], tuple[float, Principal]] = {}


def _token_expiry(token: str) -> float:
    """The `exp` claim of a token already verified (0 when unreadable: not cached)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return 0.0


def principal_from_token(token: str) -> Principal:
    """`tokens.decode_access_token`, remembered for PRINCIPAL_CACHE_TTL_S (see above)."""
    now = time.time()
    # Keyed by the secrets too: a secret rotated out (tests reload settings) drops its tokens.
    key = (token, get_settings().JWT_SECRET, *tokens.jwt_old_secrets())
    hit = _principals.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    principal = tokens.decode_access_token(token)
    until = min(now + PRINCIPAL_CACHE_TTL_S, _token_expiry(token))
    if until > now:
        if len(_principals) >= PRINCIPAL_CACHE_MAX:
            _principals.clear()  # simple bound; refilled at one verification per token
        _principals[key] = (until, principal)
    return principal


async def current_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller from `Authorization: Bearer <jwt>`; 401 when missing or not valid."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthError("sign in first: this needs an access token (Authorization: Bearer)")
    return principal_from_token(credentials.credentials)


def check_session_current(principal: Principal) -> None:
    """AuthError unless the principal's token version is still the membership's."""
    with session_scope() as session:
        tokens.check_token_version(session, principal)


class Require:
    """Dependency: the caller, who must hold `permission` (403 otherwise)."""

    def __init__(self, permission: str):
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission}")
        self.permission = permission

    async def __call__(
        self, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        require(principal, self.permission)
        if self.permission != "read":
            # Writes and exports also check the membership's token version, so a signed-out,
            # demoted or revoked session stops here at once, not when its token expires.
            await run_in_threadpool(check_session_current, principal)
        return principal

    def __repr__(self) -> str:
        return f"Require({self.permission!r})"


# ------------------------------------------------------------------ arq pool


async def get_queue_pool() -> ArqRedis:
    """The process's shared arq pool (see `queue.shared_pool`)."""
    return await queue.shared_pool()


async def enqueue(pool: ArqRedis, job: NextJob | None) -> bool:
    """Enqueue a job after the commit; a lost enqueue is repaired by the reconciler."""
    return await queue.enqueue_after_commit(job, pool)


async def in_transaction(work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction on a worker thread: how a route calls a synchronous
    action (committed when it returns, rolled back when it raises)."""

    def run() -> T:
        with session_scope() as session:
            return work(session)

    return await run_in_threadpool(run)


# Reads being built, by (organization, key): concurrent misses of one key wait for the one
# build instead of each running it (after a change, every client misses at once).
_building: dict[tuple[Any, ...], asyncio.Future[bytes]] = {}


async def cached_read(
    request: Request,
    principal: Principal,
    build: Callable[[Session], BaseModel],
    meeting: uuid.UUID | None = None,
) -> Response:
    """A read route's JSON: from this process's read cache while what it shows (`meeting`, or
    the organization's meetings when None) has not changed (`services/read_cache.py`), else
    built in one transaction on a worker thread and kept. The body is what the route's
    response model would send."""
    cache = read_cache.shared()
    org = principal.organization_id
    key = (request.url.path, request.url.query)
    body, token = cache.lookup(org, key, meeting) if cache is not None else (None, None)
    if body is not None:
        return Response(body, media_type="application/json")
    loop = asyncio.get_running_loop()
    pending = _building.get((org, key))
    if pending is not None and pending.get_loop() is loop:
        try:
            return Response(await asyncio.shield(pending), media_type="application/json")
        except asyncio.CancelledError:
            if not pending.cancelled():
                raise  # this request was cancelled, not the build it waited for
            # The build's own request went away: build it here.

    def run() -> bytes:
        with session_scope() as session:
            return build(session).model_dump_json().encode()

    future: asyncio.Future[bytes] = loop.create_future()
    future.add_done_callback(lambda done: done.cancelled() or done.exception())
    _building[(org, key)] = future
    try:
        body = await run_in_threadpool(run)
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Exception as exc:
        future.set_exception(exc)
        raise
    finally:
        if _building.get((org, key)) is future:
            del _building[(org, key)]
    future.set_result(body)
    if cache is not None:
        cache.store(org, key, token, body, meeting)
    return Response(body, media_type="application/json")


async def accept_job(
    pool: ArqRedis, work: Callable[[Session], tuple[Meeting | Draft, NextJob]]
) -> JobAccepted:
    """Run ``work`` in one transaction (:func:`in_transaction`), enqueue the job it returns once
    that has committed, and answer with the subject's id and status (the 202 body)."""
    subject, job = await in_transaction(work)
    queued = await enqueue(pool, job)
    return JobAccepted(id=subject.id, status=subject.status, version=job.version, enqueued=queued)


# ------------------------------------------------------------------ annotated dependencies

Caller = Annotated[Principal, Depends(current_principal)]
Reader = Annotated[Principal, Depends(Require("read"))]
Uploader = Annotated[Principal, Depends(Require("upload"))]
Reviewer = Annotated[Principal, Depends(Require("review"))]
Approver = Annotated[Principal, Depends(Require("approve"))]
Exporter = Annotated[Principal, Depends(Require("export"))]
Operator = Annotated[Principal, Depends(Require("operate"))]
Auditor = Annotated[Principal, Depends(Require("audit"))]
Admin = Annotated[Principal, Depends(Require("admin"))]
SessionDep = Annotated[Session, Depends(get_session)]
PoolDep = Annotated[ArqRedis, Depends(get_queue_pool)]


async def optional_pool() -> ArqRedis | None:
    """The pool, or None when Redis cannot be reached (health and metrics still answer)."""
    try:
        return await asyncio.wait_for(get_queue_pool(), 3)
    except Exception:
        return None


OptionalPool = Annotated[ArqRedis | None, Depends(optional_pool)]


# ------------------------------------------------------------------ problem+json


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    if code:
        body["code"] = code
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    503: "Service unavailable",
}


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def install_error_handlers(app: FastAPI) -> None:
    """Every error as problem+json."""

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers: dict[str, str] = {}
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra["retry_after"])
        return problem(
            exc.status, exc.title, exc.message, code=exc.code, headers=headers or None, **exc.extra
        )

    @app.exception_handler(UploadRejected)
    async def _upload_rejected(request: Request, exc: UploadRejected) -> JSONResponse:
        status = 413 if exc.code == "too_large" else 422
        return problem(status, _TITLES[status], exc.message, code=exc.code, line=exc.line)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return problem(
            exc.status_code,
            _TITLES.get(exc.status_code, "Error"),
            detail,
            headers=dict(exc.headers or {}) or None,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return problem(422, "Invalid request", _validation_message(errors), errors=errors)

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # Values the database cannot hold (NUL characters, integers out of range): the
        # client's input, not our failure.
        reason = "a value is out of range or contains characters that cannot be stored"
        if "NUL" in str(exc.orig):
            reason = "text values must not contain NUL (\\x00) characters"
        return problem(422, "Invalid request", reason, code="invalid_value")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(
            500,
            "Internal error",
            "something went wrong on our side; the error was logged — please try again",
        )
