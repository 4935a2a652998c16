"""Security tests generated from the application's route table.

Every /v1 route that is not public: no token → 401; a token of another organization → 404
(routes with object ids); a role below the route's permission → 403; tokens with
`alg: none`, a wrong key, an expired `exp` or a wrong audience → 401.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey

from bridge_app.api.deps import PUBLIC_ROUTES, Require, current_principal
from bridge_app.api.main import api
from bridge_app.services.principal import PERMISSIONS
from bridge_app.settings import get_settings
from tests.api.conftest import World
from tests.api.support import ROLES, Org, api_routes

# A valid body (and query) per write route, so a refusal is about access and nothing else.
SAMPLE_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/v1/meetings/{meeting_id}/retry"): None,
    ("POST", "/v1/meetings/{meeting_id}/drafts"): {"contract_type": "nda"},
    ("POST", "/v1/decisions/{decision_id}/review"): {"action": "accept"},
    ("POST", "/v1/drafts/{draft_id}/regenerate"): None,
    ("POST", "/v1/drafts/{draft_id}/approve"): {},
    ("POST", "/v1/drafts/{draft_id}/exports"): {"format": "md"},
    ("PUT", "/v1/meetings/{meeting_id}/terms/{term}"): {
        "fields": {"amount": "1000", "currency": "USD"},
        "reason": "access check",
    },
    ("PUT", "/v1/admin/users/{user_id}/role"): {"role": "viewer"},
    ("POST", "/v1/admin/users"): {"email": "new@example.test", "role": "viewer"},
    ("POST", "/v1/auth/oidc/link"): {"code": "not-a-real-link-code"},
    ("POST", "/v1/invitations/{invitation_id}/accept"): None,
    ("PUT", "/v1/playbook"): {"body": {"variables": {"payment_days": {"standard": 30}}}},
    ("PUT", "/v1/drafts/{draft_id}/clauses"): {"clause_key": "fees", "text": "Edited."},
    ("POST", "/v1/drafts/{draft_id}/findings/accept"): {
        "finding_key": "playbook_deviation:payment:payment_days",
        "reason": "accepted",
    },
    ("POST", "/v1/drafts/{draft_id}/import"): None,
    ("PATCH", "/v1/meetings/{meeting_id}/segments/{position}"): {
        "version": 1,
        "text": "Access check.",
        "reason": "access check",
    },
    ("POST", "/v1/meetings/{meeting_id}/speakers/rename"): {
        "version": 1,
        "speaker": "Dana Whitfield",
        "name": "Dana W.",
        "reason": "access check",
    },
    ("POST", "/v1/meetings/{meeting_id}/speakers/merge"): {
        "version": 1,
        "speaker": "Omar Haddad",
        "into": "Dana Whitfield",
        "reason": "access check",
    },
}
SAMPLE_QUERIES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/v1/drafts/{draft_id}/redline"): {"from": 1, "to": 2},
    ("GET", "/v1/drafts/{draft_id}/redline.docx"): {"from": 1, "to": 2},
}


def _permission(route: Any) -> str | None:
    """The permission the route's Require dependency asks for ("any" = just signed in)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Require):
            return dep.call.permission
        if dep.call is current_principal:
            return "any"
        stack.extend(dep.dependencies)
    return None


ROUTES = [
    (method, route.path, _permission(route))
    for route in api_routes(api)
    for method in sorted(route.methods)
    if method != "HEAD" and (route.path.startswith("/v1") or route.path in ("/health", "/metrics"))
]
PROTECTED = [r for r in ROUTES if (r[0], r[1]) not in PUBLIC_ROUTES]
WITH_IDS = [r for r in PROTECTED if "{" in r[1]]


def _ids(routes: list[tuple[str, str, Any]]) -> list[str]:
    return [f"{m} {p}" for m, p, _ in routes]


def _url(path: str, world: World) -> str:
    url = path.replace("{key:path}", "{key}")
    return url.format(**world.params())


def _call(client: TestClient, method: str, path: str, world: World, headers: dict[str, str]) -> Any:
    body = SAMPLE_BODIES.get((method, path))
    kwargs: dict[str, Any] = {"headers": headers, "params": SAMPLE_QUERIES.get((method, path))}
    if method == "POST" and path == "/v1/meetings":
        kwargs["files"] = {"file": ("x.txt", b"A: hello", "text/plain")}
    elif method == "POST" and path == "/v1/drafts/{draft_id}/import":
        kwargs["files"] = {"file": ("x.docx", b"PK not a docx", "application/octet-stream")}
    elif body is not None:
        kwargs["json"] = body
    return client.request(method, _url(path, world), **kwargs)


def test_every_route_is_public_or_guarded() -> None:
    """A new route cannot slip in without a permission (or a place on the public list)."""
    for method, path, permission in ROUTES:
        if (method, path) in PUBLIC_ROUTES:
            assert permission is None, f"{method} {path} is public but asks for a token"
        else:
            assert permission is not None, f"{method} {path} has no auth dependency"
    assert {(m, p) for m, p, _ in ROUTES} >= PUBLIC_ROUTES - {("GET", "/health")}
    assert len(PROTECTED) >= 25


def test_sample_bodies_cover_write_routes() -> None:
    writes = {(m, p) for m, p, _ in PROTECTED if m in ("POST", "PUT", "PATCH", "DELETE")}
    assert writes - {("POST", "/v1/meetings")} <= set(SAMPLE_BODIES)


@pytest.mark.parametrize(("method", "path", "permission"), PROTECTED, ids=_ids(PROTECTED))
def test_no_token_is_401(
    client: TestClient, world: World, method: str, path: str, permission: str
) -> None:
    response = _call(client, method, path, world, {})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers.get("www-authenticate") == "Bearer"
    assert response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "permission"), WITH_IDS, ids=_ids(WITH_IDS))
def test_other_organization_is_404(
    client: TestClient, world: World, org_b: Org, method: str, path: str, permission: str
) -> None:
    response = _call(client, method, path, world, org_b.headers("admin"))
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("method", "path", "permission"), PROTECTED, ids=_ids(PROTECTED))
def test_too_small_role_is_403(
    client: TestClient, world: World, method: str, path: str, permission: str
) -> None:
    if permission == "any":
        allowed: frozenset[str] = frozenset(ROLES)
    else:
        allowed = PERMISSIONS[permission]
    refused = [role for role in ROLES if role not in allowed]
    for role in refused:
        response = _call(client, method, path, world, world.org.headers(role))
        assert response.status_code == 403, f"{role}: {response.text}"
    assert "admin" in allowed


def _forge(claims_over: dict[str, Any], *, secret: str | None = None, alg: str = "HS256") -> str:
    settings = get_settings()
    now = int(time.time())
    claims = {
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
        "sub": str(uuid.uuid4()),
        "org": str(uuid.uuid4()),
        "role": "admin",
        "email": "forger@example.test",
        "iat": now,
        "exp": now + 600,
        "typ": "access",
        **claims_over,
    }
    if alg == "none":

        def b64(data: dict[str, Any]) -> str:
            raw = json.dumps(data).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    key = OctKey.import_key((secret or settings.JWT_SECRET).encode())
    return jwt.encode({"alg": alg}, claims, key, algorithms=[alg])


def _bad_tokens(world: World) -> dict[str, str]:
    principal = world.org.principals["admin"]
    own = {"sub": str(principal.user_id), "org": str(principal.organization_id)}
    now = int(time.time())
    return {
        "alg-none": _forge(own, alg="none"),
        "wrong-key": _forge(own, secret="an-attacker-guessed-this-secret-value-0123"),
        "expired": _forge({**own, "iat": now - 7200, "exp": now - 3600}),
        "wrong-audience": _forge({**own, "aud": "some-other-api"}),
        "wrong-issuer": _forge({**own, "iss": "https://evil.example"}),
        "hs512": _forge(own, alg="HS512"),
        "garbage": "not-a-jwt",
    }


@pytest.mark.parametrize(("method", "path", "permission"), PROTECTED, ids=_ids(PROTECTED))
def test_bad_tokens_are_401(
    client: TestClient, world: World, method: str, path: str, permission: str
) -> None:
    for name, token in _bad_tokens(world).items():
        response = _call(client, method, path, world, {"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"


def test_forged_token_with_right_key_is_accepted(client: TestClient, world: World) -> None:
    """The control: the same forging code with the real key and claims is accepted, so the
    401s above are about the one thing each token gets wrong."""
    principal = world.org.principals["viewer"]
    token = _forge(
        {"sub": str(principal.user_id), "org": str(principal.organization_id), "role": "viewer"}
    )
    response = client.get("/v1/meetings", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


def test_old_jwt_secret_accepted_during_rotation(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    principal = world.org.principals["viewer"]
    claims = {"sub": str(principal.user_id), "org": str(principal.organization_id)}
    old = "the-previous-jwt-secret-still-valid-for-a-while"
    token = _forge({**claims, "role": "viewer"}, secret=old)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/meetings", headers=headers).status_code == 401
    monkeypatch.setenv("JWT_OLD_SECRETS", f"unrelated-secret-value-xxxxxxxxxxxxxxxx,{old}")
    assert client.get("/v1/meetings", headers=headers).status_code == 200
