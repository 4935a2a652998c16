"""Single sign-on into the UI: the callback hands over a one-time login code, never tokens.

Reuses the loopback OIDC provider of `test_oidc.py`. `/v1/auth/oidc/login?next=ui` makes the
callback answer 302 to `{PUBLIC_URL}/sso?code=…`; `sso_codes.redeem_login_code` (what the UI's
state calls) turns the code into the same token pair a password login gives, once, within
60 s. Without `next=ui`, or when the caller asks for JSON, the callback still answers JSON.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlmodel import select

from bridge_app.models import AuditEvent, User
from bridge_app.services.auth import sso_codes, tokens
from bridge_app.services.errors import AuthError
from bridge_app.settings import get_settings
from tests.api import test_oidc
from tests.api.support import Org, session
from tests.api.test_oidc import Provider

provider = test_oidc.provider  # the loopback provider fixture, reused (one per module)


def _through_provider(
    client: TestClient, login_query: str = "?next=ui", **headers: str
) -> httpx.Response:
    start = client.get("/v1/auth/oidc/login" + login_query, follow_redirects=False)
    assert start.status_code == 302, start.text
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["location"])
    return client.get(back.path + "?" + back.query, follow_redirects=False, headers=headers)


def _claims(org: Org, role: str = "legal") -> dict[str, str]:
    return {
        "sub": f"subject-{uuid.uuid4().hex}",
        "email": f"sso-ui-{uuid.uuid4().hex[:8]}@example.test",
        "email_verified": True,
        "name": "Sso Ui Person",
        "bridge_org": org.slug,
        "bridge_role": role,
    }


def _code_from(response: httpx.Response) -> str:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    public = get_settings().PUBLIC_URL.rstrip("/")
    assert location.startswith(f"{public}/sso?"), location
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"code"}, "only the one-time code travels in the URL"
    return query["code"][0]


NONCE = "browser-nonce-" + "n" * 30


def _redeem(code: str, nonce: str = NONCE) -> tokens.TokenPair:
    with session() as s:
        pair = sso_codes.redeem_login_code(s, code, nonce=nonce)
        s.commit()
        return pair


def test_ui_login_redirects_with_one_time_code(
    client: TestClient, provider: Provider, org_a: Org
) -> None:
    provider.sign_with = None
    provider.next_claims = _claims(org_a, "legal")
    response = _through_provider(client)
    code = _code_from(response)
    location = response.headers["location"]
    assert "access_token" not in location and "refresh_token" not in location
    assert location.count(".") <= 3, "no JWT in the URL"  # host dots only

    nonce = client.cookies.get(sso_codes.SSO_NONCE_COOKIE) or ""
    pair = _redeem(code, nonce)
    assert pair.principal.role == "legal"
    assert pair.principal.organization_id == org_a.id
    assert pair.principal.email == provider.next_claims["email"]
    assert tokens.decode_access_token(pair.access_token).role == "legal"
    # The refresh token is a real one (the same kind a password login issues).
    with session() as s:
        refreshed = tokens.refresh(s, refresh_token=pair.refresh_token)
        s.commit()
    assert refreshed.principal.user_id == pair.principal.user_id

    with pytest.raises(AuthError, match="already used"):
        _redeem(code, nonce)

    # The sign-in is audited at the callback, marked as a UI hand-off.
    with session() as s:
        user = s.exec(select(User).where(User.email == provider.next_claims["email"])).one()
        events = s.exec(
            select(AuditEvent).where(
                AuditEvent.actor_user_id == user.id, AuditEvent.action == "auth.login"
            )
        ).all()
    assert [e.detail for e in events] == [{"method": "oidc", "iss": provider.issuer, "via": "ui"}]


def test_json_callback_kept_for_api_clients(
    client: TestClient, provider: Provider, org_a: Org
) -> None:
    provider.sign_with = None
    provider.next_claims = _claims(org_a, "viewer")
    plain = _through_provider(client, login_query="")
    assert plain.status_code == 200, plain.text
    assert plain.json()["principal"]["role"] == "viewer"
    # Started from the UI but the caller asks for JSON: JSON it is.
    asked = _through_provider(client, accept="application/json")
    assert asked.status_code == 200, asked.text
    assert asked.json()["access_token"]
    # An unknown `next` is ignored (no open redirect): JSON.
    other = _through_provider(client, login_query="?next=https://evil.example")
    assert other.status_code == 200, other.text


def test_ui_login_failure_redirects_without_code(
    client: TestClient, provider: Provider, org_a: Org
) -> None:
    provider.next_claims = _claims(org_a, "admin")
    provider.sign_with = RSAKey.generate_key(2048, private=True)
    try:
        response = _through_provider(client)
    finally:
        provider.sign_with = None
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.endswith("/sso?error=sso_failed"), location


def test_expired_and_unknown_codes_refused(org_a: Org) -> None:
    principal = org_a.principals["viewer"]
    code = sso_codes.issue_login_code(principal, nonce=NONCE, ttl=1)
    time.sleep(1.2)
    with pytest.raises(AuthError, match="expired"):
        _redeem(code)
    for bad in ("", "short", "x" * 40, "y" * 500):
        with pytest.raises(AuthError):
            _redeem(bad)


def test_code_refused_when_account_deactivated_meanwhile(org_a: Org) -> None:
    from tests.api.support import make_org

    org = make_org("Handoff", roles=("legal",))
    code = sso_codes.issue_login_code(org.principals["legal"], nonce=NONCE)
    with session() as s:
        user = s.get(User, org.users["legal"].id)
        assert user is not None
        user.is_active = False
        s.add(user)
        s.commit()
    with pytest.raises(AuthError, match="no longer active"):
        _redeem(code)


def test_codes_without_redis_stay_single_use(org_a: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "REDIS_URL", "")
    code = sso_codes.issue_login_code(org_a.principals["ops"], nonce=NONCE)
    assert _redeem(code).principal.role == "ops"
    with pytest.raises(AuthError):
        _redeem(code)
