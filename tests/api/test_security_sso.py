"""SSO takeover and login CSRF (issue 15, items 1 and 16), through the real callback.

Reuses the loopback OIDC provider of `test_oidc.py`: each test sets the claims the provider
signs next, goes through `/v1/auth/oidc/login` → provider → callback, and checks what the
app did with the claims.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from bridge_app.models import Membership, User
from bridge_app.services.auth import sso_codes
from bridge_app.services.errors import AuthError
from tests.api import test_oidc
from tests.api.support import PASSWORD, Org, make_org, session
from tests.api.test_oidc import Provider

provider = test_oidc.provider


def _callback(client: TestClient, query: str = "") -> httpx.Response:
    start = client.get("/v1/auth/oidc/login" + query, follow_redirects=False)
    assert start.status_code == 302, start.text
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    back = urlsplit(at_provider.headers["location"])
    return client.get(back.path + "?" + back.query, follow_redirects=False)


def _claims(org: Org, **extra: object) -> dict[str, object]:
    return {
        "sub": f"subject-{uuid.uuid4().hex}",
        "email": f"sso-{uuid.uuid4().hex[:8]}@example.test",
        "email_verified": True,
        "bridge_org": org.slug,
        **extra,
    }


def _user(email: str) -> User:
    with session() as s:
        from sqlmodel import select

        return s.exec(select(User).where(User.email == email)).one()


def test_unverified_email_is_refused(client: TestClient, provider: Provider, org_a: Org) -> None:
    provider.next_claims = _claims(org_a, email_verified=False, bridge_role="legal")
    response = _callback(client)
    assert response.status_code == 401, response.text
    assert "not verified" in response.json()["detail"]


def test_matching_local_account_is_never_linked_automatically(
    client: TestClient, provider: Provider
) -> None:
    victim_org = make_org("Victim", roles=("admin",))
    victim = victim_org.users["admin"]
    # The attacker's IdP account carries the victim's email in another letter case.
    provider.next_claims = {
        "sub": "attacker-subject",
        "email": victim.email.upper(),
        "email_verified": True,
        "bridge_role": "viewer",
    }
    response = _callback(client)
    assert response.status_code == 409, response.text
    assert response.json()["link_code"]
    stored = _user(victim.email)
    assert stored.oidc_subject is None and stored.oidc_issuer is None
    with session() as s:
        from sqlmodel import select

        roles = s.exec(select(Membership.role).where(Membership.user_id == victim.id)).all()
    assert roles == ["admin"], "the claim did not rewrite the role"


def test_signed_in_owner_links_explicitly_and_subject_is_never_overwritten(
    client: TestClient, provider: Provider
) -> None:
    org = make_org("Linker", roles=("legal",))
    owner = org.users["legal"]
    provider.next_claims = {"sub": "first-subject", "email": owner.email, "email_verified": True}
    link_code = _callback(client).json()["link_code"]
    # Someone else (signed in as another account) cannot take the pending link.
    other = make_org("Other", roles=("legal",))
    stolen = client.post(
        "/v1/auth/oidc/link", json={"code": link_code}, headers=other.headers("legal")
    )
    assert stolen.status_code == 401
    # The code is single-use, so ask again and link as the owner.
    link_code = _callback(client).json()["link_code"]
    linked = client.post(
        "/v1/auth/oidc/link", json={"code": link_code}, headers=org.headers("legal")
    )
    assert linked.status_code == 204, linked.text
    assert _user(owner.email).oidc_subject == "first-subject"
    signed_in = _callback(client)
    assert signed_in.status_code == 200 and signed_in.json()["principal"]["email"] == owner.email
    # A second identity with the same email does not replace the first.
    provider.next_claims = {"sub": "second-subject", "email": owner.email, "email_verified": True}
    second = _callback(client)
    assert second.status_code == 409
    again = client.post(
        "/v1/auth/oidc/link",
        json={"code": second.json()["link_code"]},
        headers=org.headers("legal"),
    )
    assert again.status_code == 409
    assert _user(owner.email).oidc_subject == "first-subject"
    password_login = client.post(
        "/v1/auth/login", json={"email": owner.email, "password": PASSWORD}
    )
    assert password_login.status_code == 200


def test_role_only_from_present_allow_listed_claim(
    client: TestClient, provider: Provider, org_a: Org
) -> None:
    claims = _claims(org_a, bridge_role=["viewer", "admin"])
    provider.next_claims = claims
    first = _callback(client)
    assert first.status_code == 200, first.text
    assert first.json()["principal"]["role"] == "viewer", "a list holding admin grants nothing"
    provider.next_claims = {**claims, "bridge_role": "admin"}  # admin is not allow-listed
    assert _callback(client).json()["principal"]["role"] == "viewer"
    provider.next_claims = {**claims, "bridge_role": "legal"}
    assert _callback(client).json()["principal"]["role"] == "legal"
    missing = {k: v for k, v in claims.items() if k != "bridge_role"}
    provider.next_claims = missing
    assert _callback(client).json()["principal"]["role"] == "legal", "no claim: role kept"


def test_org_claim_only_through_the_configured_map(client: TestClient, provider: Provider) -> None:
    unmapped = make_org("Unmapped", roles=("admin",))
    provider.next_claims = _claims(unmapped, bridge_role="legal")
    response = _callback(client)
    assert response.status_code == 401, response.text
    with session() as s:
        from sqlmodel import select

        members = s.exec(select(Membership).where(Membership.organization_id == unmapped.id)).all()
    assert len(members) == 1, "nobody joined an organization the map does not name"


def test_handoff_code_bound_to_the_browser_that_started(
    client: TestClient, provider: Provider, org_a: Org
) -> None:
    """Login CSRF: the attacker's own code, planted in the victim's browser, is refused."""
    provider.next_claims = _claims(org_a, bridge_role="viewer")
    response = _callback(client, "?next=ui")
    assert response.status_code == 302, response.text
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    attacker_nonce = client.cookies.get(sso_codes.SSO_NONCE_COOKIE)
    assert attacker_nonce
    with session() as s, pytest.raises(AuthError, match="another browser"):
        sso_codes.redeem_login_code(s, code, nonce="the-victim-browsers-own-nonce")
    with session() as s, pytest.raises(AuthError):
        sso_codes.redeem_login_code(s, code, nonce="")
