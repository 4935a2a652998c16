"""Login throttling (issue 15, item 8): no account lockout an attacker can trigger, one generic
message whether the email exists or not, a 429 for many emails from one address, and the
client address taken from X-Forwarded-For only behind a configured trusted proxy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from bridge_app.api.deps import get_queue_pool
from bridge_app.api.main import api
from bridge_app.settings import get_settings
from tests.api.support import PASSWORD, LoopPools, make_org


@pytest.fixture()
def clean_limits(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start each test with empty login counters (they live in the app's Redis), and count
    per hour instead of per minute: a password check takes a second or more on a loaded test
    machine, so a per-minute window would never fill and the test would measure the clock."""
    from bridge_app.services.auth import password_login

    monkeypatch.setattr(password_login, "IP_RATES", ("20/hour",))
    url = get_settings().REDIS_URL
    r = redis.Redis.from_url(url)
    for key in r.scan_iter("LIMITS:*login*"):
        r.delete(key)
    yield
    for key in r.scan_iter("LIMITS:*login*"):
        r.delete(key)


def _client_from(address: str, queue_redis_url: str) -> TestClient:
    api.dependency_overrides[get_queue_pool] = LoopPools(queue_redis_url)
    return TestClient(api, raise_server_exceptions=False, client=(address, 40000))


def test_guesses_never_lock_the_owner_out_and_say_nothing(
    client: TestClient, clean_limits: None, queue_redis_url: str
) -> None:
    org = make_org("NoLock", roles=("legal",))
    email = org.users["legal"].email
    attacker = _client_from("203.0.113.7", queue_redis_url)
    answers = [
        attacker.post("/v1/auth/login", json={"email": email, "password": "guess"})
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [401] * 5
    unknown = attacker.post(
        "/v1/auth/login", json={"email": f"nobody-{uuid.uuid4().hex}@x.test", "password": "p"}
    )
    details = {a.json()["detail"] for a in [*answers, unknown]}
    assert details == {"wrong email or password"}, "no hint whether the email exists"
    # The attacker is now throttled (429), with a message that says nothing about the account …
    throttled = attacker.post("/v1/auth/login", json={"email": email, "password": "guess"})
    assert throttled.status_code == 429 and "locked" not in throttled.text
    # … and the owner, from their own address, signs in at once.
    owner = _client_from("198.51.100.20", queue_redis_url)
    ok = owner.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert ok.status_code == 200, ok.text


def test_many_emails_from_one_address_get_429(
    client: TestClient, clean_limits: None, queue_redis_url: str
) -> None:
    sprayer = _client_from("192.0.2.44", queue_redis_url)
    codes = [
        sprayer.post(
            "/v1/auth/login", json={"email": f"spray-{n}@x.test", "password": "Winter2026!"}
        ).status_code
        for n in range(22)
    ]
    assert 429 in codes, codes
    blocked = sprayer.post("/v1/auth/login", json={"email": "z@x.test", "password": "p"})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1


def test_client_address_from_trusted_proxy_only(
    client: TestClient,
    clean_limits: None,
    queue_redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "TRUSTED_PROXIES", "10.0.0.0/8")
    ingress = _client_from("10.1.2.3", queue_redis_url)
    # Behind the ingress, two clients are two addresses: one's spraying does not block the other.
    for n in range(21):
        ingress.post(
            "/v1/auth/login",
            json={"email": f"s{n}@x.test", "password": "p"},
            headers={"X-Forwarded-For": "203.0.113.9, 10.1.2.3"},
        )
    org = make_org("Proxied", roles=("legal",))
    other = ingress.post(
        "/v1/auth/login",
        json={"email": org.users["legal"].email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.77"},
    )
    assert other.status_code == 200, other.text
    # An untrusted peer cannot choose its address by sending the header.
    direct = _client_from("192.0.2.99", queue_redis_url)
    for n in range(21):
        last = direct.post(
            "/v1/auth/login",
            json={"email": f"d{n}@x.test", "password": "p"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
    assert last.status_code == 429
