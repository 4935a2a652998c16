"""Password sign-in: throttled per client address, per email (failures, with backoff) and
globally; one generic message for every failure; audited in the account's organization."""

from __future__ import annotations

import secrets
import time
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

# Throttles (limits' moving windows in Redis). Every answer to a failed sign-in is the same
# "wrong email or password", whether the email exists or not, so nothing here tells an
# attacker which accounts exist; and no account is ever locked by someone else's guesses.
IP_RATES = ("20/minute", "200/hour")  # every attempt from one client address
GLOBAL_RATE = "600/minute"  # every attempt, from anywhere (a distributed guessing run)
# Failures per client address + email, escalating (backoff): a few quick retries, then
# minutes, then hours. Keyed with the address so guesses from elsewhere never block the
# account's owner (no lockout); guessing one account from many addresses meets GLOBAL_RATE.
EMAIL_FAILURE_RATES = ("5/15 minutes", "20/day")
GENERIC_FAILURE = "wrong email or password"


@lru_cache(maxsize=4)
def _limiter(redis_url: str) -> Any:
    from limits.storage import MemoryStorage, RedisStorage
    from limits.strategies import MovingWindowRateLimiter

    storage = RedisStorage(redis_url) if redis_url else MemoryStorage()
    return MovingWindowRateLimiter(storage)


def _refuse(limiter: Any, item: Any, *ident: str) -> RateLimited:
    stats = limiter.get_window_stats(item, *ident)
    wait = max(1, int(stats.reset_time - time.time()))
    return RateLimited(f"too many sign-in attempts; try again in {wait} seconds", retry_after=wait)


def _run(check: Any) -> Any:
    try:
        return check(_limiter(get_settings().REDIS_URL))
    except RateLimited:
        raise
    except Exception:  # Redis down: a login must not fail open to brute force, nor crash
        return check(_limiter(""))


def check_login_rate(ip: str | None, email: str) -> None:
    """Count one attempt per client address and globally; refuse while the email's failures
    are over their windows. RateLimited (429) with Retry-After when over any."""
    from limits import parse

    address = ip or "-"
    email_key = email.strip().lower()

    def check(limiter: Any) -> None:
        for rate in EMAIL_FAILURE_RATES:
            item = parse(rate)
            if not limiter.test(item, "login-fail", address, email_key):
                raise _refuse(limiter, item, "login-fail", address, email_key)
        for rate in IP_RATES:
            item = parse(rate)
            if not limiter.hit(item, "login-ip", address):
                raise _refuse(limiter, item, "login-ip", address)
        item = parse(GLOBAL_RATE)
        if not limiter.hit(item, "login-all"):
            raise _refuse(limiter, item, "login-all")

    _run(check)


def count_failure(ip: str | None, email: str) -> None:
    """One failed sign-in for this address + email (existing or not: the same either way)."""
    from limits import parse

    address, email_key = ip or "-", email.strip().lower()

    def check(limiter: Any) -> None:
        for rate in EMAIL_FAILURE_RATES:
            limiter.hit(parse(rate), "login-fail", address, email_key)

    _run(check)


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

    def fail(reason: str) -> AuthError:
        count_failure(ip, email)
        # The account's own organization sees its failed sign-ins (its admins audit them);
        # only unknown emails go to the global chain.
        found = first_membership(session, user, organization_slug) if user else None
        found = found or (first_membership(session, user) if user else None)
        audit.append(
            session,
            action="auth.login_failed",
            organization_id=found[0].organization_id if found else None,
            actor_user_id=user.id if user else None,
            actor_email=email.strip().lower()[:320],
            ip=ip,
            object_type="user",
            object_id=str(user.id) if user else None,
            detail={"reason": reason},
        )
        return AuthError(GENERIC_FAILURE)

    if user is None:
        passwords.verify_password(_DUMMY_HASH(), password)  # same cost as a real check
        raise fail("unknown_email")
    if not passwords.verify_password(user.password_hash, password):
        user.failed_logins += 1
        session.add(user)
        raise fail("bad_password")
    if not user.is_active:
        raise fail("inactive")
    found = first_membership(session, user, organization_slug)
    if found is None:
        raise fail("no_membership")
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
