"""One Settings object, read from the environment (and `.dev/services.env` for local runs)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = Path(os.environ.get("BRIDGE_DEV_DIR", REPO_ROOT / ".dev"))
SERVICES_ENV_FILE = DEV_DIR / "services.env"

# Values shipped in examples and runbooks; production must never run with them.
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "secret",
        "password",
        "secure_password",
        "your-256-bit-encryption-key-here",
        "your-jwt-secret-here",
        "your-secret-here",
        "dev-only-jwt-secret-do-not-use-in-production",
        "dev-only-encryption-key-do-not-use-in-production",
        "dev-only-audit-hmac-key-do-not-use-in-production",
    }
)
DEV_JWT_SECRET = "dev-only-jwt-secret-do-not-use-in-production"
DEV_ENCRYPTION_KEY = "dev-only-encryption-key-do-not-use-in-production"
DEV_AUDIT_HMAC_KEY = "dev-only-audit-hmac-key-do-not-use-in-production"

Environment = Literal["development", "test", "production"]
# Every name NODE_ENV / BRIDGE_ENV may hold; anything else refuses to start (a typo such as
# "prod-eu" must not quietly run as development with the public defaults).
ENVIRONMENT_NAMES: dict[str, Environment] = {
    "": "development",
    "development": "development",
    "dev": "development",
    "local": "development",
    "test": "test",
    "testing": "test",
    "production": "production",
    "prod": "production",
}
MIN_SECRET_CHARS = 32
SECURE_DATABASE_SSLMODES = ("require", "verify-ca", "verify-full")


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


def normalize_database_url(url: str) -> str:
    """Point plain `postgres://`/`postgresql://` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def libpq_url(url: str) -> str:
    """A URL pg_dump/psycopg understand (no SQLAlchemy driver suffix)."""
    return normalize_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


class Settings(BaseSettings):
    """Everything configurable, by the runbook's variable names."""

    model_config = SettingsConfigDict(
        env_file=(str(SERVICES_ENV_FILE),),
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=True,
    )

    NODE_ENV: str | None = None
    BRIDGE_ENV: str | None = None
    # "worker" for the arq workers: they never sign or check tokens, so they hold no JWT
    # secret (k8s/workers.yaml blanks it) and the production checks do not ask for one.
    BRIDGE_COMPONENT: Literal["api", "worker", "migrate"] = "api"

    DATABASE_URL: str = ""
    REDIS_URL: str = ""
    NATS_URL: str = ""
    S3_ENDPOINT: str = ""
    S3_ACCESS_KEY: str = ""
    S3_SECRET_KEY: str = ""
    S3_BUCKET: str = "bridge-artifacts"
    S3_REGION: str = "us-east-1"
    LOCAL_STORAGE_DIR: str = str(DEV_DIR / "storage")
    ENCRYPTION_KEY: str = DEV_ENCRYPTION_KEY
    ENCRYPTION_KEY_ID: str = "k1"
    # Older keys still able to unwrap data keys during rotation: "id1:key1,id2:key2".
    ENCRYPTION_OLD_KEYS: str = ""
    JWT_SECRET: str = DEV_JWT_SECRET
    # Previous JWT secrets still accepted for verification during a rotation (comma-separated).
    JWT_OLD_SECRETS: str = ""
    JWT_ISSUER: str = "meeting-contract-bridge"
    JWT_AUDIENCE: str = "bridge-api"
    ACCESS_TOKEN_MINUTES: int = 15
    REFRESH_TOKEN_DAYS: int = 7

    OIDC_ISSUER: str = ""
    OIDC_CLIENT_ID: str = ""
    OIDC_CLIENT_SECRET: str = ""
    OIDC_ROLE_CLAIM: str = "bridge_role"
    # Roles the identity provider may grant through OIDC_ROLE_CLAIM (admin only when listed).
    OIDC_ROLE_VALUES: str = "legal,ops,viewer"
    # Which organization a `bridge_org` claim value of this provider means: "value:slug,…".
    # A value that is not mapped here never makes anyone a member.
    OIDC_ORG_MAP: str = ""
    # Keys the audit chain's HMAC; it must not live in the database the chain protects.
    AUDIT_HMAC_KEY: str = DEV_AUDIT_HMAC_KEY
    # Peers (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed: the ingress.
    TRUSTED_PROXIES: str = ""
    # The API keeps meetings list and detail responses in memory for at most this long,
    # dropping them at once when the database notifies a change (services/read_cache.py);
    # 0 turns the cache off.
    READ_CACHE_SECONDS: float = Field(default=30.0, ge=0)

    LLM_BASE_URL: str = ""
    LLM_MODEL: str = ""
    LLM_API_KEY: str = ""
    EXTRACTION_BACKEND: Literal["rules", "llm"] = "rules"

    # Recordings (see docs/recordings.md): speech-to-text on the bundled tiny.en or any
    # CTranslate2 Whisper model (WHISPER_MODEL, a directory), or an OpenAI-compatible server.
    TRANSCRIPTION_BACKEND: Literal["local", "openai"] = "local"
    WHISPER_MODEL: str = ""
    WHISPER_THREADS: int = Field(default=0, ge=0)
    WHISPER_BEAM_SIZE: int = Field(default=1, ge=1, le=10)
    TRANSCRIPTION_BASE_URL: str = ""
    TRANSCRIPTION_MODEL: str = "whisper-1"
    TRANSCRIPTION_API_KEY: str = ""
    TRANSCRIPTION_TIMEOUT_S: float = Field(default=120.0, gt=0)
    TRANSCRIPTION_FALLBACK_LOCAL: bool = False
    # Auto-detection invents text in the wrong language on short or noisy audio: fix it.
    TRANSCRIPTION_LANGUAGE: str = "en"
    MAX_RECORDING_BYTES: int = Field(default=500 * 1024 * 1024, gt=0)
    MAX_RECORDING_SECONDS: float = Field(default=4 * 3600.0, gt=0)
    # Audio per chunk, and the wall time after which a transcript job hands over to a new one,
    # so no job nears its timeout (BRIDGE_JOB_TIMEOUT_S) and a crash loses one chunk at most.
    TRANSCRIPTION_CHUNK_S: float = Field(default=60.0, ge=5)
    TRANSCRIPTION_JOB_BUDGET_S: float = Field(default=12.0, gt=0)

    # Server-side encryption header for S3 puts ("" for servers without SSE, e.g. SeaweedFS).
    S3_SSE: str = "AES256"
    MAX_UPLOAD_BYTES: int = Field(default=25 * 1024 * 1024, gt=0)
    API_PORT: int = 3001
    FRONTEND_PORT: int = 3000
    PUBLIC_URL: str = "http://localhost:3000"
    API_URL: str = "http://localhost:3001"
    # More browser origins of the UI (comma-separated), e.g. a CDN serving the static export
    # beside the app's own frontend; CORS and the event socket answer these too.
    EXTRA_UI_ORIGINS: str = ""

    @property
    def environment(self) -> Environment:
        """`NODE_ENV=production` (the runbook's name) or `BRIDGE_ENV` decide."""
        # Either variable saying production wins: a stray BRIDGE_ENV must never relax checks.
        names = [(v or "").strip().lower() for v in (self.NODE_ENV, self.BRIDGE_ENV)]
        kinds = [ENVIRONMENT_NAMES.get(n, "production") for n in names]
        if "production" in kinds:
            return "production"
        if "test" in kinds:
            return "test"
        return "development"

    def secrets(self) -> list[tuple[str, str]]:
        """Every secret and key by its setting name (old ones included), for the checks."""
        found = [
            ("ENCRYPTION_KEY", self.ENCRYPTION_KEY),
            ("AUDIT_HMAC_KEY", self.AUDIT_HMAC_KEY),
        ]
        if self.BRIDGE_COMPONENT != "worker" or self.JWT_SECRET.strip():
            found.insert(0, ("JWT_SECRET", self.JWT_SECRET))
        for n, secret in enumerate(s.strip() for s in self.JWT_OLD_SECRETS.split(",")):
            if secret:
                found.append((f"JWT_OLD_SECRETS[{n}]", secret))
        for pair in filter(None, (p.strip() for p in self.ENCRYPTION_OLD_KEYS.split(","))):
            key_id, _, secret = pair.partition(":")
            found.append((f"ENCRYPTION_OLD_KEYS[{key_id or '?'}]", secret))
        return found

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def sqlalchemy_url(self) -> str:
        return normalize_database_url(self.DATABASE_URL)

    @model_validator(mode="after")
    def _refuse_local_defaults_in_production(self) -> Settings:
        for name in ("NODE_ENV", "BRIDGE_ENV"):
            value = (getattr(self, name) or "").strip().lower()
            if value not in ENVIRONMENT_NAMES:
                known = ", ".join(sorted(n for n in ENVIRONMENT_NAMES if n))
                raise SettingsError(
                    f"{name}={getattr(self, name)!r} is not a known environment ({known})."
                )
        if not self.is_production:
            return self
        problems = production_problems(self)
        if problems:
            raise SettingsError("refusing to start in production: " + "; ".join(problems) + ".")
        return self


def public_origins(settings: Settings) -> list[str]:
    """The browser origins of the UI and the API (PUBLIC_URL, API_URL, EXTRA_UI_ORIGINS): the
    only origins CORS with credentials and the event socket answer."""
    from urllib.parse import urlsplit

    origins: list[str] = []
    extra = [o.strip() for o in settings.EXTRA_UI_ORIGINS.split(",") if o.strip()]
    for url in (settings.PUBLIC_URL, settings.API_URL, *extra):
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def production_problems(settings: Settings) -> list[str]:
    """Why these settings must not run in production (empty when they may)."""
    problems: list[str] = []
    named = settings.secrets()
    for name, value in named:
        if value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_CHARS:
            problems.append(f"{name} is missing, a placeholder, or shorter than 32 characters")
    by_value: dict[str, str] = {}
    for name, value in named:
        if value and value in by_value:
            problems.append(f"{name} reuses the value of {by_value[value]}; each must differ")
        by_value.setdefault(value, name)
    for name in ("DATABASE_URL", "REDIS_URL", "NATS_URL"):
        if not getattr(settings, name):
            problems.append(f"{name} must be set in production")
    if "secure_password" in settings.DATABASE_URL or "secure_password" in settings.REDIS_URL:
        problems.append("DATABASE_URL/REDIS_URL still contain the placeholder 'secure_password'")
    if settings.DATABASE_URL and not any(
        f"sslmode={mode}" in settings.DATABASE_URL for mode in SECURE_DATABASE_SSLMODES
    ):
        problems.append("DATABASE_URL must ask for TLS (sslmode=require or verify-full)")
    if settings.REDIS_URL and _scheme(settings.REDIS_URL) != "rediss":
        problems.append("REDIS_URL must use TLS (rediss://): job data in Redis is executable")
    if settings.NATS_URL and _scheme(settings.NATS_URL) != "tls":
        problems.append("NATS_URL must use TLS (tls://)")
    for name in ("S3_ENDPOINT", "OIDC_ISSUER", "LLM_BASE_URL", "PUBLIC_URL", "API_URL"):
        value = getattr(settings, name)
        if value and _scheme(value) != "https":
            problems.append(f"{name} must be an https:// URL in production")
    for origin in (o.strip() for o in settings.EXTRA_UI_ORIGINS.split(",")):
        if origin and _scheme(origin) != "https":
            problems.append(f"EXTRA_UI_ORIGINS: {origin} must be an https:// origin in production")
    if settings.S3_ENDPOINT and (
        settings.S3_SECRET_KEY.strip().lower() in PLACEHOLDER_SECRETS or not settings.S3_ACCESS_KEY
    ):
        problems.append("S3_ACCESS_KEY/S3_SECRET_KEY are missing or placeholders")
    if not settings.TRUSTED_PROXIES.strip():
        problems.append(
            "TRUSTED_PROXIES must name the ingress (its pod network): without it every client "
            "shares the ingress's address and /metrics, /v1/health are served to the internet"
        )
    if settings.S3_ENDPOINT and not settings.S3_SSE.strip():
        problems.append("S3_SSE must name a server-side encryption (e.g. AES256 or aws:kms)")
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call `get_settings.cache_clear()`)."""
    return Settings()
