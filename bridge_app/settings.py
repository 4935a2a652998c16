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
    }
)
DEV_JWT_SECRET = "dev-only-jwt-secret-do-not-use-in-production"
DEV_ENCRYPTION_KEY = "dev-only-encryption-key-do-not-use-in-production"

Environment = Literal["development", "test", "production"]


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


def normalize_database_url(url: str) -> str:
    """Point plain `postgres://`/`postgresql://` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


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

    @property
    def environment(self) -> Environment:
        """`NODE_ENV=production` (the runbook's name) or `BRIDGE_ENV` decide."""
        # Either variable saying production wins: a stray BRIDGE_ENV must never relax checks.
        names = [(v or "").strip().lower() for v in (self.NODE_ENV, self.BRIDGE_ENV)]
        if any(n in ("production", "prod") for n in names):
            return "production"
        if "test" in names:
            return "test"
        return "development"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def sqlalchemy_url(self) -> str:
        return normalize_database_url(self.DATABASE_URL)

    @model_validator(mode="after")
    def _refuse_local_defaults_in_production(self) -> Settings:
        if not self.is_production:
            return self
        problems: list[str] = []
        for name in ("ENCRYPTION_KEY", "JWT_SECRET"):
            value = getattr(self, name)
            if value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < 32:
                problems.append(f"{name} is missing, a placeholder, or shorter than 32 characters")
        for name in ("DATABASE_URL", "REDIS_URL", "NATS_URL"):
            if not getattr(self, name):
                problems.append(f"{name} must be set in production")
        if "secure_password" in self.DATABASE_URL or "secure_password" in self.REDIS_URL:
            problems.append(
                "DATABASE_URL/REDIS_URL still contain the placeholder 'secure_password'"
            )
        if self.S3_ENDPOINT and (
            self.S3_SECRET_KEY.strip().lower() in PLACEHOLDER_SECRETS or not self.S3_ACCESS_KEY
        ):
            problems.append("S3_ACCESS_KEY/S3_SECRET_KEY are missing or placeholders")
        if problems:
            raise SettingsError("refusing to start in production: " + "; ".join(problems) + ".")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call `get_settings.cache_clear()`)."""
    return Settings()
