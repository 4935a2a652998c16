"""Admin (members and role changes) and the audit endpoints."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from bridge_app.services.principal import PERMISSIONS
from tests.api.support import PASSWORD, make_org


def test_members_and_role_changes_are_audited(client: TestClient) -> None:
    org = make_org("Admin")
    admin = org.headers("admin")
    email = f"new-{uuid.uuid4().hex[:8]}@example.test"
    created = client.post(
        "/v1/admin/users",
        json={"email": email, "role": "viewer", "password": "a long enough password"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    dup = client.post("/v1/admin/users", json={"email": email}, headers=admin)
    assert dup.status_code == 409
    login = client.post(
        "/v1/auth/login", json={"email": email, "password": "a long enough password"}
    ).json()
    changed = client.put(f"/v1/admin/users/{user_id}/role", json={"role": "legal"}, headers=admin)
    assert changed.status_code == 200 and changed.json()["role"] == "legal"
    # The role change revoked their refresh tokens: the next refresh re-reads the role.
    stale = client.post("/v1/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert stale.status_code == 401
    fresh = client.post(
        "/v1/auth/login", json={"email": email, "password": "a long enough password"}
    ).json()
    assert fresh["principal"]["role"] == "legal"
    users = client.get("/v1/admin/users", headers=admin).json()
    assert {u["email"]: u["role"] for u in users}[email] == "legal"
    events = client.get("/v1/audit", params={"action": "user.role_changed"}, headers=admin).json()[
        "items"
    ]
    assert events[0]["object_id"] == user_id
    assert events[0]["detail"] == {"from": "viewer", "to": "legal"}
    assert events[0]["actor_email"] == org.users["admin"].email and events[0]["ip"]


def test_last_admin_cannot_be_demoted(client: TestClient) -> None:
    org = make_org("OneAdmin")
    me = org.users["admin"].id
    response = client.put(
        f"/v1/admin/users/{me}/role", json={"role": "viewer"}, headers=org.headers("admin")
    )
    assert response.status_code == 409


def test_audit_page_cursor_and_verify(client: TestClient) -> None:
    org = make_org("AuditApi")
    for _ in range(3):
        client.post(
            "/v1/auth/login", json={"email": org.users["legal"].email, "password": PASSWORD}
        )
    admin = org.headers("admin")
    first = client.get("/v1/audit", params={"limit": 2}, headers=admin).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(
        "/v1/audit", params={"limit": 2, "before": first["next_cursor"]}, headers=admin
    ).json()
    assert [e["action"] for e in first["items"] + rest["items"]] == ["auth.login"] * 3
    assert first["items"][0]["prev_hash"] == first["items"][1]["hash"]
    verified = client.get("/v1/audit/verify", headers=admin).json()
    assert verified == {
        "ok": True,
        "checked": 3,
        "first_bad_id": None,
        "reason": None,
        "anchored": None,  # no head was relayed to NATS in this test
    }
    assert PERMISSIONS["audit"] == frozenset({"admin"})
