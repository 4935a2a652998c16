"""Authentication and authorization: local logins, JWTs, refresh tokens, OIDC, permissions.

Access tokens are short-lived HS256 JWTs (only HS256 is accepted: `alg: none` and every other
algorithm are refused) carrying the user, organization and role, so checking a request costs
no database round trip. Refresh tokens are random strings stored only as their SHA-256; using
one rotates it, and presenting a revoked one revokes every token of that user (theft signal).
Logins are rate-limited per IP + email (Redis through `limits`) and lock the account after
repeated failures. Role changes and deactivation take effect at the next refresh.

JOSE work uses `joserfc` (Authlib's successor to the deprecated `authlib.jose`); single sign-on
uses Authlib's Starlette OIDC client (see `bridge_app.api.routes.auth`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from sqlmodel import Session, col, select

from bridge_app.models import Membership, Organization, RefreshToken, User
from bridge_app.services import audit, passwords
from bridge_app.settings import Settings, get_settings

ALGORITHMS = ["HS256"]  # the allowlist: nothing else is ever accepted
MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15
LOGIN_RATE = "10/minute"  # per IP + email
CLOCK_LEEWAY_S = 30
OIDC_ORG_CLAIM = "bridge_org"

# What each permission allows; admin can do everything.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"admin", "legal", "ops", "viewer"}),
    "upload": frozenset({"admin", "legal"}),
    "review": frozenset({"admin", "legal"}),
    "approve": frozenset({"admin", "legal"}),
    "export": frozenset({"admin", "legal"}),
    "operate": frozenset({"admin", "ops"}),
    "audit": frozenset({"admin"}),
    "admin": frozenset({"admin"}),
}


# ---------------------------------------------------------------------------- errors


class ServiceError(Exception):
    """A refusal with an HTTP-like status and a message meant for a person."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.code = code or type(self).__name__
        self.extra = extra


class AuthError(ServiceError):
    """Not authenticated (bad credentials, bad or expired token)."""

    status = 401
    title = "Not authenticated"


class RateLimited(ServiceError):
    """Too many attempts; `retry_after` seconds to wait."""

    status = 429
    title = "Too many requests"


class Forbidden(ServiceError):
    """Authenticated, but the role does not allow this."""

    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    """No such object in the caller's organization."""

    status = 404
    title = "Not found"


class Conflict(ServiceError):
    """The object is not in a state that allows this."""

    status = 409
    title = "Conflict"


class Invalid(ServiceError):
    """The request is well-formed but its values are not acceptable."""

    status = 422
    title = "Invalid request"


# ---------------------------------------------------------------------------- principal


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, their organization and their role there."""

    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: str
    email: str

    def can(self, permission: str) -> bool:
        """True when this role holds the permission."""
        return self.role in PERMISSIONS[permission]


def require(principal: Principal, permission: str) -> None:
    """Raise Forbidden unless the principal holds the permission."""
    if not principal.can(permission):
        raise Forbidden(f"your role ({principal.role}) may not do this ({permission})")


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    principal: Principal
    token_type: str = "Bearer"


# ---------------------------------------------------------------------------- JWTs


def jwt_old_secrets() -> list[str]:
    """Earlier JWT secrets still accepted during rotation (`JWT_OLD_SECRETS`, comma-separated).

    Read from the environment here only, until Settings carries the field.
    """
    raw = getattr(get_settings(), "JWT_OLD_SECRETS", None) or os.environ.get("JWT_OLD_SECRETS", "")
    return [s.strip() for s in str(raw).split(",") if s.strip()]


@lru_cache(maxsize=16)
def _key(secret: str) -> OctKey:
    return OctKey.import_key(secret.encode())


def issue_access_token(
    principal: Principal, *, settings: Settings | None = None, now: float | None = None
) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds."""
    settings = settings or get_settings()
    issued = int(now if now is not None else time.time())
    lifetime = settings.ACCESS_TOKEN_MINUTES * 60
    claims = {
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
        "sub": str(principal.user_id),
        "org": str(principal.organization_id),
        "role": principal.role,
        "email": principal.email,
        "iat": issued,
        "nbf": issued - 1,
        "exp": issued + lifetime,
        "jti": uuid.uuid4().hex,
        "typ": "access",
    }
    token = jwt.encode(
        {"alg": "HS256", "typ": "JWT"}, claims, _key(settings.JWT_SECRET), algorithms=ALGORITHMS
    )
    return token, lifetime


def decode_access_token(token: str, *, settings: Settings | None = None) -> Principal:
    """Verify signature (HS256 only; current or old secrets), iss, aud, exp, iat; or AuthError."""
    settings = settings or get_settings()
    if not token or token.count(".") != 2:
        raise AuthError("the access token is malformed")
    decoded = None
    for secret in (settings.JWT_SECRET, *jwt_old_secrets()):
        try:
            decoded = jwt.decode(token, _key(secret), algorithms=ALGORITHMS)
            break
        except JoseError:
            continue
        except (ValueError, TypeError) as exc:
            raise AuthError("the access token is malformed") from exc
    if decoded is None:
        raise AuthError("the access token's signature or algorithm is not accepted")
    if decoded.header.get("alg") not in ALGORITHMS:
        raise AuthError("the access token's algorithm is not accepted")
    registry = jwt.JWTClaimsRegistry(
        now=int(time.time()),
        leeway=CLOCK_LEEWAY_S,
        iss={"essential": True, "value": settings.JWT_ISSUER},
        aud={"essential": True, "value": settings.JWT_AUDIENCE},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
    )
    claims = decoded.claims
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise AuthError(f"the access token is not valid: {exc.description or exc}") from exc
    if claims.get("typ") != "access" or claims.get("role") not in PERMISSIONS["read"]:
        raise AuthError("the token is not an access token")
    iat = claims.get("iat")
    if not isinstance(iat, int) or iat > time.time() + CLOCK_LEEWAY_S:
        raise AuthError("the access token was issued in the future")
    try:
        return Principal(
            user_id=uuid.UUID(str(claims["sub"])),
            organization_id=uuid.UUID(str(claims["org"])),
            role=str(claims["role"]),
            email=str(claims.get("email", "")),
        )
    except (KeyError, ValueError) as exc:
        raise AuthError("the access token's claims are incomplete") from exc


# ---------------------------------------------------------------------------- refresh tokens


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _issue_pair(session: Session, principal: Principal, settings: Settings) -> TokenPair:
    raw = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            user_id=principal.user_id,
            organization_id=principal.organization_id,
            token_sha256=_sha256(raw),
            expires_at=_now() + timedelta(days=settings.REFRESH_TOKEN_DAYS),
        )
    )
    session.flush()
    access, lifetime = issue_access_token(principal, settings=settings)
    return TokenPair(access, raw, lifetime, principal)


def _membership(
    session: Session, user: User, organization_slug: str | None = None
) -> tuple[Membership, Organization] | None:
    query = (
        select(Membership, Organization)
        .join(Organization, col(Organization.id) == col(Membership.organization_id))
        .where(Membership.user_id == user.id)
        .order_by(col(Membership.created_at))
    )
    if organization_slug:
        query = query.where(Organization.slug == organization_slug)
    row = session.exec(query).first()
    return (row[0], row[1]) if row else None


def refresh(session: Session, *, refresh_token: str, ip: str | None = None) -> TokenPair:
    """Exchange a refresh token for a new pair (the old one is revoked: rotation)."""
    settings = get_settings()
    row = session.exec(
        select(RefreshToken)
        .where(RefreshToken.token_sha256 == _sha256(refresh_token or ""))
        .with_for_update()
    ).first()
    if row is None:
        raise AuthError("the refresh token is not known")
    if row.revoked_at is not None:
        # A rotated token presented again: someone kept a copy. Revoke the whole family.
        revoke_all(session, row.user_id)
        audit.append(
            session,
            action="auth.refresh_reuse",
            organization_id=row.organization_id,
            actor_user_id=row.user_id,
            ip=ip,
            object_type="user",
            object_id=str(row.user_id),
        )
        raise AuthError("the refresh token was already used; sign in again")
    if row.expires_at <= _now():
        raise AuthError("the refresh token has expired; sign in again")
    user = session.get(User, row.user_id)
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == row.user_id, Membership.organization_id == row.organization_id
        )
    ).first()
    if user is None or not user.is_active or membership is None:
        raise AuthError("the account is no longer active in this organization")
    row.revoked_at = _now()
    session.add(row)
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    return _issue_pair(session, principal, settings)


def logout(session: Session, *, refresh_token: str) -> bool:
    """Revoke one refresh token; True when it existed and was live."""
    result = session.execute(
        sa.update(RefreshToken)
        .where(
            col(RefreshToken.token_sha256) == _sha256(refresh_token or ""),
            col(RefreshToken.revoked_at).is_(None),
        )
        .values(revoked_at=_now())
    )
    return bool(getattr(result, "rowcount", 0))


def revoke_all(session: Session, user_id: uuid.UUID) -> None:
    """Revoke every live refresh token of a user."""
    session.execute(
        sa.update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=_now())
    )


# ---------------------------------------------------------------------------- login


@lru_cache(maxsize=4)
def _limiter(redis_url: str) -> Any:
    from limits.storage import MemoryStorage, RedisStorage
    from limits.strategies import MovingWindowRateLimiter

    storage = RedisStorage(redis_url) if redis_url else MemoryStorage()
    return MovingWindowRateLimiter(storage)


def check_login_rate(ip: str | None, email: str) -> None:
    """Count one attempt for IP + email; RateLimited when over LOGIN_RATE."""
    from limits import parse

    item = parse(LOGIN_RATE)
    limiter = _limiter(get_settings().REDIS_URL)
    ident = (ip or "-", email.strip().lower())
    try:
        allowed = limiter.hit(item, "login", *ident)
    except Exception:  # Redis down: a login must not fail open to brute force, nor crash
        allowed = _limiter("").hit(item, "login", *ident)
    if not allowed:
        stats = limiter.get_window_stats(item, "login", *ident)
        wait = max(1, int(stats.reset_time - time.time()))
        raise RateLimited(
            f"too many sign-in attempts; try again in {wait} seconds", retry_after=wait
        )


def login(
    session: Session,
    *,
    email: str,
    password: str,
    ip: str | None = None,
    organization_slug: str | None = None,
) -> TokenPair:
    """Check a local password and return tokens; or AuthError (audited either way).

    On failure the failed-login counter and the audit event are written to `session`: the
    caller commits even when this raises.
    """
    check_login_rate(ip, email)
    settings = get_settings()
    user = session.exec(
        select(User).where(sa.func.lower(User.email) == email.strip().lower()).with_for_update()
    ).first()

    def fail(reason: str, message: str = "wrong email or password") -> AuthError:
        audit.append(
            session,
            action="auth.login_failed",
            organization_id=None,
            actor_user_id=user.id if user else None,
            actor_email=email.strip().lower()[:320],
            ip=ip,
            object_type="user",
            object_id=str(user.id) if user else None,
            detail={"reason": reason},
        )
        return AuthError(message)

    if user is None:
        passwords.verify_password(_DUMMY_HASH(), password)  # same cost as a real check
        raise fail("unknown_email")
    if user.locked_until is not None and user.locked_until > _now():
        raise fail("locked", "the account is locked after repeated failures; try again later")
    if not user.is_active:
        raise fail("inactive")
    if not passwords.verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = _now() + timedelta(minutes=LOCKOUT_MINUTES)
            user.failed_logins = 0
        session.add(user)
        raise fail("bad_password")
    found = _membership(session, user, organization_slug)
    if found is None:
        raise fail("no_membership", "this account has no access to that organization")
    membership, _org = found
    user.failed_logins = 0
    user.locked_until = None
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.add(user)
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    audit.append_for(session, principal, action="auth.login", ip=ip, detail={"method": "password"})
    return _issue_pair(session, principal, settings)


@lru_cache(maxsize=1)
def _DUMMY_HASH() -> str:
    return passwords.hash_password(secrets.token_hex(8))


# ---------------------------------------------------------------------------- OIDC


def oidc_login(
    session: Session,
    *,
    issuer: str,
    claims: dict[str, Any],
    ip: str | None = None,
) -> TokenPair:
    """Sign in (and provision) a user from verified ID-token claims; role from the claim."""
    principal = oidc_principal(session, issuer=issuer, claims=claims, ip=ip)
    return _issue_pair(session, principal, get_settings())


def oidc_principal(
    session: Session,
    *,
    issuer: str,
    claims: dict[str, Any],
    ip: str | None = None,
    via: str = "api",
) -> Principal:
    """Provision the user from verified ID-token claims, map the role, audit the sign-in.

    The organization comes from the `bridge_org` claim (a slug) or the user's existing
    membership; the role from `OIDC_ROLE_CLAIM` (unknown values fall back to viewer).
    `via` ("api" or "ui") is recorded in the audit event.
    """
    settings = get_settings()
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip().lower()
    if not subject or not email:
        raise AuthError("the identity provider did not send a subject and an email")
    user = session.exec(
        select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    ).first()
    if user is None:
        user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
    if user is None:
        user = User(email=email, full_name=str(claims.get("name") or "")[:200])
        session.add(user)
        session.flush()
    if not user.is_active:
        raise AuthError("the account is deactivated")
    user.oidc_issuer, user.oidc_subject = issuer, subject
    session.add(user)
    role_claim = claims.get(settings.OIDC_ROLE_CLAIM)
    if isinstance(role_claim, list):
        role_claim = next((r for r in ("admin", "legal", "ops", "viewer") if r in role_claim), None)
    role = role_claim if role_claim in PERMISSIONS["read"] else "viewer"
    slug = claims.get(OIDC_ORG_CLAIM)
    membership: Membership | None = None
    if slug:
        org = session.exec(select(Organization).where(Organization.slug == str(slug))).first()
        if org is None:
            raise AuthError(f"unknown organization '{slug}'")
        membership = session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organization_id == org.id
            )
        ).first()
        if membership is None:
            membership = Membership(organization_id=org.id, user_id=user.id, role=role)
    else:
        found = _membership(session, user)
        if found is None:
            raise AuthError("this account has no organization; ask an administrator")
        membership = found[0]
    old_role = membership.role if membership.id and membership.role != role else None
    membership.role = str(role)
    session.add(membership)
    session.flush()
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    if old_role is not None:
        audit.append_for(
            session,
            principal,
            action="user.role_changed",
            ip=ip,
            object_type="user",
            object_id=str(user.id),
            detail={"from": old_role, "to": membership.role, "source": "oidc"},
        )
    audit.append_for(
        session,
        principal,
        action="auth.login",
        ip=ip,
        detail={"method": "oidc", "iss": issuer, "via": via},
    )
    return principal


# ---------------------------------------------------------------------------- SSO hand-off
#
# The browser's single sign-on ends at the API's callback, but the session lives in the UI's
# (Reflex) state. The callback hands over a one-time login code instead of tokens: a random
# value whose SHA-256 keys the principal in Redis for LOGIN_CODE_TTL_S seconds. The UI redeems
# it server-side (GETDEL: a code works once) and only then are tokens issued. Tokens never
# appear in a URL; the code alone is useless after one use or a minute.

LOGIN_CODE_TTL_S = 60
_LOGIN_CODE_PREFIX = "bridge:sso-code:"
_local_codes: dict[str, tuple[float, str]] = {}  # no REDIS_URL (a single dev process only)
_local_lock = threading.Lock()


@lru_cache(maxsize=4)
def _code_redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def _code_put(key: str, value: str, ttl: int) -> None:
    url = get_settings().REDIS_URL
    if url:
        _code_redis(url).set(key, value, ex=ttl)
        return
    with _local_lock:
        now = time.monotonic()
        for stale in [k for k, (exp, _) in _local_codes.items() if exp <= now]:
            _local_codes.pop(stale, None)
        _local_codes[key] = (now + ttl, value)


def _code_take(key: str) -> str | None:
    url = get_settings().REDIS_URL
    if url:
        raw = _code_redis(url).getdel(key)
        return raw.decode() if isinstance(raw, bytes) else raw
    with _local_lock:
        found = _local_codes.pop(key, None)
    if found is None or found[0] <= time.monotonic():
        return None
    return found[1]


def issue_login_code(principal: Principal, *, ttl: int = LOGIN_CODE_TTL_S) -> str:
    """A one-time code (valid `ttl` seconds) that `redeem_login_code` turns into tokens."""
    code = secrets.token_urlsafe(32)
    payload = {
        "user_id": str(principal.user_id),
        "organization_id": str(principal.organization_id),
        "role": principal.role,
        "email": principal.email,
    }
    _code_put(_LOGIN_CODE_PREFIX + _sha256(code), json.dumps(payload), ttl)
    return code


def redeem_login_code(session: Session, code: str, *, ip: str | None = None) -> TokenPair:
    """Exchange a one-time login code for a token pair (the same as a password login's).

    AuthError when the code is unknown, already used or expired, or the account lost its
    access in between.
    """
    code = (code or "").strip()
    raw = _code_take(_LOGIN_CODE_PREFIX + _sha256(code)) if 16 <= len(code) <= 128 else None
    if raw is None:
        raise AuthError("this sign-in link is invalid, expired or was already used")
    data = json.loads(raw)
    user = session.get(User, uuid.UUID(data["user_id"]))
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == uuid.UUID(data["user_id"]),
            Membership.organization_id == uuid.UUID(data["organization_id"]),
        )
    ).first()
    if user is None or not user.is_active or membership is None:
        raise AuthError("the account is no longer active in this organization")
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    return _issue_pair(session, principal, get_settings())
