"""Invitations across organizations (issue 15, item 6) and the per-membership token version
that ends access tokens at logout, family revocation and demotion (item 14)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import World
from tests.api.support import PASSWORD, make_org


def _login(client: TestClient, email: str) -> dict[str, str]:
    response = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()


def test_existing_account_is_invited_not_added(client: TestClient) -> None:
    home = make_org("Home", roles=("admin", "legal"))
    other = make_org("Grabber", roles=("admin",))
    target = home.users["legal"]
    home_session = _login(client, target.email)
    added = client.post(
        "/v1/admin/users",
        json={"email": target.email.upper(), "role": "admin"},
        headers=other.headers("admin"),
    )
    assert added.status_code == 202, added.text
    body = added.json()
    assert body["status"] == "invited"
    assert not {"full_name", "sso", "locked_until", "is_active"} & set(body), body
    members = client.get("/v1/admin/users", headers=other.headers("admin")).json()
    assert target.email not in {m["email"] for m in members}, "no membership without consent"

    # The invited account sees and accepts the invitation itself.
    mine = client.get(
        "/v1/invitations", headers={"Authorization": f"Bearer {home_session['access_token']}"}
    ).json()
    assert [i["id"] for i in mine] == [body["id"]]
    accepted = client.post(
        f"/v1/invitations/{body['id']}/accept",
        headers={"Authorization": f"Bearer {home_session['access_token']}"},
    )
    assert accepted.status_code == 200, accepted.text
    members = client.get("/v1/admin/users", headers=other.headers("admin")).json()
    row = next(m for m in members if m["email"] == target.email)
    assert row["full_name"] == "" and row["sso"] is None, "no account-wide fields shown"

    # The other organization's admin changes the role there: the home sessions live on.
    changed = client.put(
        f"/v1/admin/users/{target.id}/role", json={"role": "viewer"}, headers=other.headers("admin")
    )
    assert changed.status_code == 200, changed.text
    refreshed = client.post(
        "/v1/auth/refresh", json={"refresh_token": home_session["refresh_token"]}
    )
    assert refreshed.status_code == 200, "a role change elsewhere never ends home sessions"


def test_someone_elses_invitation_cannot_be_accepted(client: TestClient) -> None:
    a = make_org("InvA", roles=("admin", "legal"))
    b = make_org("InvB", roles=("admin", "legal"))
    invite = client.post(
        "/v1/admin/users", json={"email": a.users["legal"].email}, headers=b.headers("admin")
    ).json()
    stolen = client.post(f"/v1/invitations/{invite['id']}/accept", headers=b.headers("legal"))
    assert stolen.status_code == 404


def _export(client: TestClient, world: World, token: str) -> int:
    return client.post(
        f"/v1/drafts/{world.draft_id}/exports",
        json={"format": "md"},
        headers={"Authorization": f"Bearer {token}"},
    ).status_code


def test_logout_ends_the_access_token_for_writes_and_exports(
    client: TestClient, world: World
) -> None:
    session = _login(client, world.org.users["legal"].email)
    assert _export(client, world, session["access_token"]) in (200, 202)
    client.post("/v1/auth/logout", json={"refresh_token": session["refresh_token"]})
    assert _export(client, world, session["access_token"]) == 401


def test_refresh_reuse_ends_every_access_token(client: TestClient, world: World) -> None:
    first = _login(client, world.org.users["legal"].email)
    rotated = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    replay = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert _export(client, world, rotated.json()["access_token"]) == 401


def test_demotion_ends_the_old_token_at_once(client: TestClient) -> None:
    org = make_org("Demote")
    legal = _login(client, org.users["legal"].email)
    demoted = client.put(
        f"/v1/admin/users/{org.users['legal'].id}/role",
        json={"role": "viewer"},
        headers=org.headers("admin"),
    )
    assert demoted.status_code == 200
    # The old token still says "legal"; a write with it is refused without waiting for expiry.
    response = client.post(
        "/v1/meetings",
        files={"file": ("x.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", "text/vtt")},
        data={"title": "t"},
        headers={"Authorization": f"Bearer {legal['access_token']}"},
    )
    assert response.status_code == 401, response.text
