"""Sign-in endpoints and the monitoring endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.support import PASSWORD, make_org


def test_login_endpoints(client: TestClient) -> None:
    org = make_org("LoginApi")
    email = org.users["admin"].email
    ok = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert ok.status_code == 200, ok.text
    tokens = ok.json()
    assert tokens["token_type"] == "Bearer" and tokens["principal"]["role"] == "admin"
    me = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json()["email"] == email
    bad = client.post("/v1/auth/login", json={"email": email, "password": "nope"})
    assert bad.status_code == 401
    assert bad.headers["content-type"].startswith("application/problem+json")
    refreshed = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    out = client.post("/v1/auth/logout", json={"refresh_token": refreshed.json()["refresh_token"]})
    assert out.status_code == 204
    again = client.post(
        "/v1/auth/refresh", json={"refresh_token": refreshed.json()["refresh_token"]}
    )
    assert again.status_code == 401
    for _ in range(12):
        last = client.post("/v1/auth/login", json={"email": "spray@example.test", "password": "x"})
    assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1


def test_slo_report_endpoint(client: TestClient) -> None:
    org = make_org("SloApi")
    response = client.get("/v1/monitoring/slo-report", headers=org.headers("ops"))
    assert response.status_code == 200
    body = response.json()
    assert set(body["sloCompliance"]) == {
        "meetingProcessing",
        "draftGeneration",
        "export",
        "systemAvailability",
    }
    assert all(0.0 <= v <= 1.0 for v in body["sloCompliance"].values())
    assert body["window"]["days"] == 30
    assert (
        client.get(
            "/v1/monitoring/slo-report", params={"window_days": 0}, headers=org.headers("ops")
        ).status_code
        == 422
    )
