"""The remembered token check: same answers as verifying each time, never past a token's life."""

from __future__ import annotations

import time
import uuid

import pytest

from bridge_app.api import deps
from bridge_app.services.auth import tokens
from bridge_app.services.errors import AuthError
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings


def _principal() -> Principal:
    return Principal(uuid.uuid4(), uuid.uuid4(), "viewer", "cache@example.test")


def test_a_verified_token_is_remembered_until_its_expiry_at_most() -> None:
    principal = _principal()
    lifetime = get_settings().ACCESS_TOKEN_MINUTES * 60
    # Issued so that it expires in 3 s: the entry must not outlive that.
    token, _ = tokens.issue_access_token(principal, now=time.time() - lifetime + 3)
    assert deps.principal_from_token(token) == principal
    (until, cached), *_ = [v for k, v in deps._principals.items() if k[0] == token]
    assert cached == principal
    assert until <= time.time() + 3.5
    assert deps.principal_from_token(token) == principal  # served from the entry


def test_a_token_of_a_rotated_out_secret_is_not_served_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    principal = _principal()
    token, _ = tokens.issue_access_token(principal)
    assert deps.principal_from_token(token) == principal
    monkeypatch.setenv("JWT_SECRET", "a-different-secret-" + "x" * 40)
    get_settings.cache_clear()
    try:
        with pytest.raises(AuthError):
            deps.principal_from_token(token)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_invalid_tokens_are_never_remembered() -> None:
    before = len(deps._principals)
    for bad in ("x.y.z", "not-a-token"):
        with pytest.raises(AuthError):
            deps.principal_from_token(bad)
    assert len(deps._principals) == before
