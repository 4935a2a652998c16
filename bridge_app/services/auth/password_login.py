"""Password sign-in: rate limit per IP + email, lockout after repeated failures, audit."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from bridge_app.models import User
from bridge_app.services import audit, passwords
from bridge_app.services.auth.tokens import TokenPair, first_membership, issue_pair
from bridge_app.services.errors import AuthError, RateLimited
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings

MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15
LOGIN_RATE = "10/minute"  # per IP + email


def _now() -> datetime:
    return datetime.now(UTC)


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
    found = first_membership(session, user, organization_slug)
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
    return issue_pair(session, principal, settings)


@lru_cache(maxsize=1)
def _DUMMY_HASH() -> str:
    return passwords.hash_password(secrets.token_hex(8))
