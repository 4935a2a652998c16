"""Production checks (issue 15, item 7): every secret and key list is validated, no value is
reused, TLS everywhere, server-side encryption named, and an unknown environment refused."""

from __future__ import annotations

from typing import Any

import pytest

from bridge_app.settings import (
    DEV_ENCRYPTION_KEY,
    DEV_JWT_SECRET,
    Settings,
    SettingsError,
    public_origins,
)

GOOD: dict[str, Any] = {
    "NODE_ENV": "production",
    "DATABASE_URL": "postgresql://bridge_user:pw@db:5432/bridge?sslmode=verify-full",
    "REDIS_URL": "rediss://default:pw@redis:6379/0",
    "NATS_URL": "tls://bridge_api:pw@nats:4222",
    "PUBLIC_URL": "https://app.example.com",
    "API_URL": "https://api.example.com",
    "JWT_SECRET": "j" * 40,
    "ENCRYPTION_KEY": "e" * 40,
    "AUDIT_HMAC_KEY": "h" * 40,
    "S3_ENDPOINT": "https://s3.example.com",
    "S3_ACCESS_KEY": "AKIAEXAMPLE",
    "S3_SECRET_KEY": "s" * 40,
    "S3_SSE": "aws:kms",
    "TRUSTED_PROXIES": "10.0.0.0/8",
}


def _settings(**changes: Any) -> Settings:
    return Settings(_env_file=None, **{**GOOD, **changes})  # type: ignore[call-arg]


def test_good_production_settings_start() -> None:
    assert _settings().is_production


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"JWT_OLD_SECRETS": DEV_JWT_SECRET}, "JWT_OLD_SECRETS[0]"),
        ({"JWT_OLD_SECRETS": "o" * 40 + ",secret"}, "JWT_OLD_SECRETS[1]"),
        ({"ENCRYPTION_OLD_KEYS": f"k0:{DEV_ENCRYPTION_KEY}"}, "ENCRYPTION_OLD_KEYS[k0]"),
        ({"ENCRYPTION_OLD_KEYS": "k0:secret"}, "ENCRYPTION_OLD_KEYS[k0]"),
        ({"AUDIT_HMAC_KEY": ""}, "AUDIT_HMAC_KEY"),
        ({"JWT_SECRET": "e" * 40}, "reuses the value of"),
        ({"JWT_OLD_SECRETS": "e" * 40}, "reuses the value of"),
        ({"AUDIT_HMAC_KEY": "j" * 40}, "reuses the value of"),
        ({"S3_SSE": ""}, "S3_SSE"),
        ({"S3_ENDPOINT": "http://s3.example.com"}, "S3_ENDPOINT must be an https"),
        ({"OIDC_ISSUER": "http://idp.example.com"}, "OIDC_ISSUER must be an https"),
        ({"LLM_BASE_URL": "http://llm.internal"}, "LLM_BASE_URL must be an https"),
        ({"PUBLIC_URL": "http://app.example.com"}, "PUBLIC_URL must be an https"),
        ({"REDIS_URL": "redis://default:pw@redis:6379/0"}, "REDIS_URL must use TLS"),
        ({"NATS_URL": "nats://bridge_api:pw@nats:4222"}, "NATS_URL must use TLS"),
        ({"DATABASE_URL": "postgresql://u:pw@db/bridge"}, "DATABASE_URL must ask for TLS"),
        ({"TRUSTED_PROXIES": ""}, "TRUSTED_PROXIES must name the ingress"),
        ({"EXTRA_UI_ORIGINS": "http://cdn.example.com"}, "EXTRA_UI_ORIGINS: http://cdn"),
    ],
)
def test_production_refuses(changes: dict[str, Any], said: str) -> None:
    with pytest.raises(SettingsError, match="refusing to start in production") as info:
        _settings(**changes)
    assert said in str(info.value)


def test_dev_secret_in_old_list_cannot_sign_an_accepted_token() -> None:
    """The attack: a production process with the public dev secret as an old JWT secret."""
    with pytest.raises(SettingsError):
        _settings(JWT_OLD_SECRETS=DEV_JWT_SECRET)


@pytest.mark.parametrize("name", ["prod-eu", "staging", "Production1"])
def test_unknown_environment_name_refused(name: str) -> None:
    with pytest.raises(SettingsError, match="not a known environment"):
        Settings(_env_file=None, NODE_ENV=name)  # type: ignore[call-arg]
    with pytest.raises(SettingsError, match="not a known environment"):
        Settings(_env_file=None, BRIDGE_ENV=name)  # type: ignore[call-arg]


@pytest.mark.parametrize("name", ["production", "PROD", "development", "test", ""])
def test_known_environment_names(name: str) -> None:
    kind = Settings(
        _env_file=None, NODE_ENV=name, **{k: v for k, v in GOOD.items() if k != "NODE_ENV"}
    )  # type: ignore[call-arg]
    assert kind.environment in ("production", "development", "test")


def test_workers_start_without_a_jwt_secret() -> None:
    """k8s/workers.yaml blanks JWT_SECRET for the workers (they never sign a token)."""
    worker = _settings(BRIDGE_COMPONENT="worker", JWT_SECRET="")
    assert worker.is_production and worker.JWT_SECRET == ""
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        _settings(JWT_SECRET="")  # the API must have one


def test_cors_origins_are_the_ui_the_api_and_the_extra_ones() -> None:
    settings = _settings(
        EXTRA_UI_ORIGINS=" https://cdn.example.com/app/ ,, https://app.example.com"
    )
    assert public_origins(settings) == [
        "https://app.example.com",
        "https://api.example.com",
        "https://cdn.example.com",
    ]
