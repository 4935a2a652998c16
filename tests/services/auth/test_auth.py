"""Local sign-in, tokens, refresh rotation, lockout and rate limiting (real DB and Redis)."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlmodel import select

from bridge_app.models import AuditEvent, User
from bridge_app.services.auth import password_login, tokens
from bridge_app.services.db import session_scope
from bridge_app.services.errors import AuthError, RateLimited, ServiceError
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings
from tests.api.support import PASSWORD, make_org


def _login(email: str, password: str, ip: str = "10.0.0.1") -> tokens.TokenPair:
    error: ServiceError | None = None
    with session_scope() as s:
        try:
            return password_login.login(s, email=email, password=password, ip=ip)
        except ServiceError as exc:
            error = exc
    raise error


def test_access_token_round_trip(migrated: str) -> None:
    principal = Principal(uuid.uuid4(), uuid.uuid4(), "legal", "a@example.test")
    token, lifetime = tokens.issue_access_token(principal)
    assert lifetime == get_settings().ACCESS_TOKEN_MINUTES * 60
    assert tokens.decode_access_token(token) == principal


def test_expired_and_future_tokens_refused(migrated: str) -> None:
    principal = Principal(uuid.uuid4(), uuid.uuid4(), "legal", "a@example.test")
    old, _ = tokens.issue_access_token(principal, now=time.time() - 3600)
    with pytest.raises(AuthError):
        tokens.decode_access_token(old)
    future, _ = tokens.issue_access_token(principal, now=time.time() + 3600)
    with pytest.raises(AuthError):
        tokens.decode_access_token(future)


def test_login_success_refresh_rotation_and_reuse(migrated: str) -> None:
    org = make_org("Login")
    email = org.users["legal"].email
    pair = _login(email.upper(), PASSWORD)
    assert pair.principal.role == "legal" and pair.principal.organization_id == org.id
    assert tokens.decode_access_token(pair.access_token).user_id == org.users["legal"].id
    with session_scope() as s:
        new = tokens.refresh(s, refresh_token=pair.refresh_token)
    assert new.refresh_token != pair.refresh_token
    # The rotated-out token presented again revokes the whole family.
    with session_scope() as s, pytest.raises(AuthError, match="already used"):
        tokens.refresh(s, refresh_token=pair.refresh_token)
    with session_scope() as s, pytest.raises(AuthError):
        tokens.refresh(s, refresh_token=new.refresh_token)
    with session_scope() as s:
        events = s.exec(
            select(AuditEvent.action).where(AuditEvent.actor_user_id == org.users["legal"].id)
        ).all()
    assert "auth.login" in events and "auth.refresh_reuse" in events


def test_logout_revokes_refresh_token(migrated: str) -> None:
    org = make_org("Logout")
    pair = _login(org.users["viewer"].email, PASSWORD)
    with session_scope() as s:
        assert tokens.logout(s, refresh_token=pair.refresh_token)
    with session_scope() as s, pytest.raises(AuthError):
        tokens.refresh(s, refresh_token=pair.refresh_token)


def test_failed_logins_audited_and_account_locks(migrated: str) -> None:
    org = make_org("Lockout")
    user = org.users["ops"]
    for _ in range(password_login.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError, match="wrong email or password"):
            _login(user.email, "wrong password")
    with pytest.raises(AuthError, match="locked"):
        _login(user.email, PASSWORD)
    with session_scope() as s:
        row = s.get(User, user.id)
        assert row is not None and row.locked_until is not None
        reasons = [
            e.detail["reason"]
            for e in s.exec(
                select(AuditEvent).where(
                    AuditEvent.actor_user_id == user.id, AuditEvent.action == "auth.login_failed"
                )
            ).all()
        ]
    assert reasons.count("bad_password") == password_login.MAX_FAILED_LOGINS and "locked" in reasons


def test_unknown_email_failure_is_audited_without_org(migrated: str) -> None:
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.test"
    with pytest.raises(AuthError):
        _login(email, "whatever")
    with session_scope() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.actor_email == email)).one()
    assert event.organization_id is None and event.detail["reason"] == "unknown_email"
    assert event.ip == "10.0.0.1"


def test_login_rate_limited_per_ip_and_email(migrated: str) -> None:
    email = f"flood-{uuid.uuid4().hex[:8]}@example.test"
    for _ in range(10):
        with pytest.raises(AuthError):
            _login(email, "x", ip="192.0.2.7")
    with pytest.raises(RateLimited) as caught:
        _login(email, "x", ip="192.0.2.7")
    assert caught.value.extra["retry_after"] >= 1
    with pytest.raises(AuthError):  # another IP still gets its own budget
        _login(email, "x", ip="192.0.2.8")
