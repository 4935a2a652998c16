"""Single sign-on against a small OpenID Connect provider the test starts on loopback.

The provider (discovery, authorize, token, JWKS) signs RS256 ID tokens with a key it makes
itself; the app talks to it over real HTTP through Authlib's Starlette client and verifies the
ID token against the provider's JWKS. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from bridge_app.api.routes.auth import _oauth
from bridge_app.services.auth.tokens import decode_access_token
from bridge_app.settings import get_settings
from tests.api.support import Org

CLIENT_ID = "bridge-test-client"
CLIENT_SECRET = "bridge-test-client-secret"


@dataclass
class Provider:
    """A minimal OIDC provider: who signs in next is set by the test."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, private=True))
    next_claims: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    sign_with: RSAKey | None = None  # a different key simulates a forged ID token

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            **({"nonce": nonce} if nonce else {}),
            **self.next_claims,
        }
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key, algorithms=["RS256"])


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    {
                        "issuer": provider.issuer,
                        "authorization_endpoint": provider.issuer + "/authorize",
                        "token_endpoint": provider.issuer + "/token",
                        "jwks_uri": provider.issuer + "/jwks",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                )
            elif url.path == "/jwks":
                jwk = {**provider.key.as_dict(private=False), "kid": "test-key", "use": "sig"}
                self._json({"keys": [jwk]})
            elif url.path == "/authorize":
                assert query["client_id"] == CLIENT_ID and "openid" in query["scope"]
                code = uuid.uuid4().hex
                provider.codes[code] = {"nonce": query.get("nonce")}
                target = (
                    query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
                )
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            grant = provider.codes.pop(form.get("code", ""), None)
            if grant is None:
                self._json({"error": "invalid_grant"}, 400)
                return
            self._json(
                {
                    "access_token": uuid.uuid4().hex,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant["nonce"]),
                }
            )

    return Handler


@pytest.fixture(scope="module")
def provider(migrated: str, org_a: Org, org_b: Org) -> Iterator[Provider]:
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings = get_settings()
    saved = (settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)
    saved_map = settings.OIDC_ORG_MAP
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = provider.issuer, CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    # This provider's `bridge_org` values: each test organization by its own slug.
    settings.OIDC_ORG_MAP = f"{org_a.slug}:{org_a.slug},{org_b.slug}:{org_b.slug}"
    yield provider
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = saved
    settings.OIDC_ORG_MAP = saved_map
    _oauth.cache_clear()
    server.shutdown()
    server.server_close()


def _sign_in(client: TestClient) -> httpx.Response:
    start = client.get("/v1/auth/oidc/login", follow_redirects=False)
    assert start.status_code == 302, start.text
    assert "bridge_oidc=" in start.headers.get("set-cookie", "")
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["location"])
    return client.get(back.path + "?" + back.query)


def test_sso_provisions_user_with_role_from_claim(
    client: TestClient, provider: Provider, org_a: Org
) -> None:
    email = f"sso-{uuid.uuid4().hex[:8]}@example.test"
    provider.sign_with = None
    provider.next_claims = {
        "sub": f"subject-{uuid.uuid4().hex}",
        "email": email,
        "email_verified": True,
        "name": "Sso Person",
        "bridge_org": org_a.slug,
        "bridge_role": "legal",
    }
    response = _sign_in(client)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["principal"]["role"] == "legal"
    assert tokens["principal"]["organization_id"] == str(org_a.id)
    principal = decode_access_token(tokens["access_token"])
    assert principal.email == email
    # The role follows the provider's claim at the next sign-in (and the change is audited).
    provider.next_claims = {**provider.next_claims, "bridge_role": "viewer"}
    again = _sign_in(client)
    assert again.json()["principal"]["role"] == "viewer"
    audit = client.get(
        "/v1/audit", params={"action": "user.role_changed"}, headers=org_a.headers("admin")
    ).json()
    assert any(e["detail"].get("source") == "oidc" for e in audit["items"])


def test_forged_id_token_refused(client: TestClient, provider: Provider, org_a: Org) -> None:
    provider.next_claims = {
        "sub": "mallory",
        "email": "mallory@example.test",
        "bridge_org": org_a.slug,
        "bridge_role": "admin",
    }
    provider.sign_with = RSAKey.generate_key(2048, private=True)
    try:
        response = _sign_in(client)
    finally:
        provider.sign_with = None
    assert response.status_code == 401
    assert "single sign-on failed" in response.json()["detail"]


def test_callback_without_state_refused(client: TestClient, provider: Provider) -> None:
    response = client.get("/v1/auth/oidc/callback?code=abc&state=made-up")
    assert response.status_code == 401
