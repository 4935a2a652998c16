"""A dependency that is down answers 503 with Retry-After and says which — never 500."""

from __future__ import annotations

import socket
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bridge_app.services import db
from tests.api.conftest import DEMO, upload
from tests.api.support import Org

pytestmark = pytest.mark.services


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def postgresql_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions connect to a port where no server answers: the driver's real connect error."""
    dead = sa.create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/bridge",
        pool_pre_ping=True,
        connect_args={"connect_timeout": 2},
    )
    monkeypatch.setattr(db, "get_engine", lambda url=None: dead)


def _assert_unavailable(response: Any, dependency: str) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["dependency"] == dependency and body["code"] == "dependency_unavailable"
    assert "nothing was saved" in body["detail"]


def test_upload_while_postgresql_is_down_is_503_not_500(
    client: TestClient, org_a: Org, postgresql_down: None
) -> None:
    _assert_unavailable(
        upload(client, org_a, DEMO.read_bytes(), title="during outage"), "PostgreSQL"
    )


def test_sign_in_while_postgresql_is_down_is_503(client: TestClient, postgresql_down: None) -> None:
    response = client.post(
        "/v1/auth/login", json={"email": "someone@example.com", "password": "x" * 12}
    )
    _assert_unavailable(response, "PostgreSQL")


def test_an_ordinary_bug_is_still_a_500(
    client: TestClient, org_a: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(url: str | None = None) -> Any:
        raise RuntimeError("not a dependency")

    monkeypatch.setattr(db, "get_engine", broken)
    response = upload(client, org_a, DEMO.read_bytes(), title="bug")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


def test_after_the_outage_uploads_work_again(client: TestClient, org_a: Org) -> None:
    response = upload(client, org_a, DEMO.read_bytes(), title="after outage")
    assert response.status_code == 201, response.text
