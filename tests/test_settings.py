"""Settings: URL normalisation and refusal of local defaults in production."""

from __future__ import annotations

import pytest

from bridge_app.settings import Settings, SettingsError, normalize_database_url

STRONG = "x" * 40
PROD_URLS = {
    "DATABASE_URL": "postgresql://bridge:pw@db:5432/bridge?sslmode=require",
    "REDIS_URL": "rediss://redis:6379/0",
    "NATS_URL": "tls://nats:4222",
    "PUBLIC_URL": "https://app.example.com",
    "API_URL": "https://api.example.com",
    "AUDIT_HMAC_KEY": "a" * 40,
    "TRUSTED_PROXIES": "10.0.0.0/8",
}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_urls_use_psycopg3(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


@pytest.mark.parametrize("env_name", ["NODE_ENV", "BRIDGE_ENV"])
@pytest.mark.parametrize(
    "placeholder",
    ["your-256-bit-encryption-key-here", "your-jwt-secret-here", "secure_password", ""],
)
def test_production_refuses_placeholder_secrets(env_name: str, placeholder: str) -> None:
    with pytest.raises(SettingsError, match="refusing to start in production"):
        Settings(
            _env_file=None,
            **{env_name: "production"},
            **PROD_URLS,  # type: ignore[arg-type]
            ENCRYPTION_KEY=placeholder,
            JWT_SECRET="j" * 40,
        )
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        Settings(
            _env_file=None,
            **{env_name: "production"},
            **PROD_URLS,  # type: ignore[arg-type]
            ENCRYPTION_KEY=STRONG,
            JWT_SECRET=placeholder,
        )


def test_production_refuses_missing_service_urls_and_default_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROD_URLS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError) as info:
        Settings(_env_file=None, NODE_ENV="production")  # type: ignore[call-arg]
    message = str(info.value)
    assert "DATABASE_URL must be set" in message and "ENCRYPTION_KEY" in message


def test_production_accepts_real_secrets_and_development_accepts_defaults() -> None:
    prod = Settings(
        _env_file=None,
        NODE_ENV="production",
        ENCRYPTION_KEY=STRONG,  # type: ignore[call-arg]
        JWT_SECRET="j" * 40,
        **PROD_URLS,
    )
    assert prod.is_production and prod.sqlalchemy_url.startswith("postgresql+psycopg://")
    assert not Settings(_env_file=None).is_production  # type: ignore[call-arg]
