"""One-time sign-in codes: the hand-off from the API's SSO callback to the UI session.

The browser's single sign-on ends at the API's callback, but the session lives in the UI's
(Reflex) state. The callback hands over a one-time login code instead of tokens: a random
value whose SHA-256 keys the principal in Redis for LOGIN_CODE_TTL_S seconds. The UI redeems
it server-side (GETDEL: a code works once) and only then are tokens issued. Tokens never
appear in a URL; the code alone is useless after one use or a minute.

A code is also bound to the browser that started the sign-in: `/v1/auth/oidc/login` sets a
random nonce in an HttpOnly cookie (SSO_NONCE_COOKIE), the code records its SHA-256, and the
UI redeems the code only together with that cookie. A code planted in someone else's browser
(login CSRF: signing the victim into the attacker's account) is refused.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
import uuid
from functools import lru_cache
from typing import Any

from sqlmodel import Session, select

from bridge_app.models import Membership, User
from bridge_app.services.auth.tokens import TokenPair, issue_pair, sha256_hex
from bridge_app.services.errors import AuthError
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings

LOGIN_CODE_TTL_S = 60
_LOGIN_CODE_PREFIX = "bridge:sso-code:"
_LINK_CODE_PREFIX = "bridge:sso-link:"
LINK_CODE_TTL_S = 600
SSO_NONCE_COOKIE = "bridge_sso_nonce"
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


def new_nonce() -> str:
    """The browser-binding nonce `/v1/auth/oidc/login` puts in SSO_NONCE_COOKIE."""
    return secrets.token_urlsafe(32)


def nonce_from_cookies(cookie_header: str) -> str:
    """SSO_NONCE_COOKIE's value from a Cookie header ("" when absent)."""
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SSO_NONCE_COOKIE:
            return value.strip()
    return ""


def issue_link_code(identity: dict[str, str]) -> str:
    """A one-time code (10 minutes) naming a verified SSO identity waiting to be linked."""
    code = secrets.token_urlsafe(32)
    _code_put(_LINK_CODE_PREFIX + sha256_hex(code), json.dumps(identity), LINK_CODE_TTL_S)
    return code


def take_link_code(code: str) -> str | None:
    """The pending identity of a link code (once), or None."""
    code = (code or "").strip()
    if not 16 <= len(code) <= 128:
        return None
    return _code_take(_LINK_CODE_PREFIX + sha256_hex(code))


def issue_login_code(principal: Principal, *, nonce: str, ttl: int = LOGIN_CODE_TTL_S) -> str:
    """A one-time code (valid `ttl` seconds) that `redeem_login_code` turns into tokens,
    only together with the browser's `nonce`."""
    if not nonce:
        raise AuthError("single sign-on was not started from this browser")
    code = secrets.token_urlsafe(32)
    payload = {
        "nonce_sha256": sha256_hex(nonce),
        "user_id": str(principal.user_id),
        "organization_id": str(principal.organization_id),
        "role": principal.role,
        "email": principal.email,
    }
    _code_put(_LOGIN_CODE_PREFIX + sha256_hex(code), json.dumps(payload), ttl)
    return code


def redeem_login_code(
    session: Session, code: str, *, nonce: str, ip: str | None = None
) -> TokenPair:
    """Exchange a one-time login code for a token pair (the same as a password login's).

    AuthError when the code is unknown, already used or expired, was issued to another
    browser (`nonce` is the SSO_NONCE_COOKIE this browser sent), or the account lost its
    access in between.
    """
    code = (code or "").strip()
    raw = _code_take(_LOGIN_CODE_PREFIX + sha256_hex(code)) if 16 <= len(code) <= 128 else None
    if raw is None:
        raise AuthError("this sign-in link is invalid, expired or was already used")
    data = json.loads(raw)
    if not nonce or not hmac.compare_digest(data.get("nonce_sha256", ""), sha256_hex(nonce)):
        raise AuthError("this sign-in link was started in another browser; sign in again")
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
    return issue_pair(session, principal, get_settings())
