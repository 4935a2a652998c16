"""Secret rotation without losing access: JWT signing secrets and encryption master keys.

JWT (HS256 access tokens; refresh tokens are opaque and stored hashed, so unaffected):
  1. set `JWT_SECRET` to a new value and `JWT_OLD_SECRETS` to the previous one (comma-separated
     list, newest first); roll out. New tokens are signed with the new secret; tokens signed
     with an old one still verify.
  2. after the grace period (the access-token lifetime `ACCESS_TOKEN_MINUTES` plus clock skew),
     remove the old secret from `JWT_OLD_SECRETS`; roll out again.

Encryption (envelope; see services/crypto.py):
  1. set `ENCRYPTION_KEY`/`ENCRYPTION_KEY_ID` to the new key and id and add the old pair to
     `ENCRYPTION_OLD_KEYS` (`k1:old-secret`); roll out: new data keys are wrapped with the new
     key, old ones still unwrap.
  2. `python -m bridge_app rotate-key --new-key-id k2` re-wraps every data key under the new
     key (the data itself is never re-encrypted) and checks each one unwraps with it alone.
  3. remove the old pair from `ENCRYPTION_OLD_KEYS`; roll out.
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from bridge_app.models import DataKey
from bridge_app.services import crypto
from bridge_app.settings import Settings

JWT_CLOCK_SKEW_MINUTES = 5
MIN_SECRET_LENGTH = 32


class RotationError(RuntimeError):
    """Rotation cannot proceed safely; nothing was changed."""


# --- JWT ----------------------------------------------------------------------------------


def jwt_old_secrets(settings: Settings) -> list[str]:
    """Previous JWT secrets still accepted for verification (`JWT_OLD_SECRETS`, comma list).

    Read from Settings when it has the field, else from the environment.
    """
    raw = getattr(settings, "JWT_OLD_SECRETS", None)
    if raw is None:
        raw = os.environ.get("JWT_OLD_SECRETS", "")
    return [s.strip() for s in str(raw).split(",") if s.strip()]


def jwt_verification_secrets(settings: Settings) -> list[str]:
    """Secrets a token may be verified with: the current one first, then the old ones."""
    out = [settings.JWT_SECRET]
    out += [s for s in jwt_old_secrets(settings) if s not in out]
    return out


def new_secret() -> str:
    """A fresh random secret (64 URL-safe characters, 384 bits)."""
    return secrets.token_urlsafe(48)


@dataclass(frozen=True)
class JwtRotationPlan:
    """The environment for step 1 of a JWT rotation, and when step 2 may happen."""

    JWT_SECRET: str
    JWT_OLD_SECRETS: str
    grace_minutes: int
    after_grace_JWT_OLD_SECRETS: str = ""

    def env_lines(self) -> list[str]:
        return [f"JWT_SECRET={self.JWT_SECRET}", f"JWT_OLD_SECRETS={self.JWT_OLD_SECRETS}"]


def plan_jwt_rotation(settings: Settings, secret: str | None = None) -> JwtRotationPlan:
    """New secret in front, the current one kept for verification during the grace period."""
    secret = secret or new_secret()
    if len(secret) < MIN_SECRET_LENGTH:
        raise RotationError(f"a JWT secret needs at least {MIN_SECRET_LENGTH} characters")
    if secret in jwt_verification_secrets(settings):
        raise RotationError("the new JWT secret equals a current or old one")
    return JwtRotationPlan(
        JWT_SECRET=secret,
        JWT_OLD_SECRETS=settings.JWT_SECRET,
        grace_minutes=settings.ACCESS_TOKEN_MINUTES + JWT_CLOCK_SKEW_MINUTES,
    )


# --- encryption master key ----------------------------------------------------------------


@dataclass
class KeyRotationResult:
    """What `rotate_encryption_key` found and did."""

    current_id: str
    before: dict[str, int] = field(default_factory=dict)
    rewrapped: int = 0
    after: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False


def data_keys_by_kek(session: Session) -> dict[str, int]:
    """How many data keys each master key id wraps."""
    rows = session.execute(sa.text("SELECT kek_id, count(*) FROM data_keys GROUP BY kek_id")).all()
    return {str(kek): int(n) for kek, n in rows}


def rotate_encryption_key(
    session: Session,
    settings: Settings,
    *,
    expected_key_id: str,
    dry_run: bool = False,
    batch: int = 500,
) -> KeyRotationResult:
    """Re-wrap every data key under the current master key and prove each one opens.

    Refuses (raising RotationError, changing nothing) when `expected_key_id` is not the
    configured ENCRYPTION_KEY_ID (the new key has not been rolled out here), or when a data key
    is wrapped by an id that neither ENCRYPTION_KEY nor ENCRYPTION_OLD_KEYS provides. The
    caller commits the session.
    """
    keyring = crypto.Keyring.from_settings(settings)
    if keyring.current_id != expected_key_id:
        raise RotationError(
            f"ENCRYPTION_KEY_ID is '{keyring.current_id}', not '{expected_key_id}': set "
            "ENCRYPTION_KEY/ENCRYPTION_KEY_ID to the new key (old pair in ENCRYPTION_OLD_KEYS)"
        )
    result = KeyRotationResult(current_id=keyring.current_id, dry_run=dry_run)
    result.before = data_keys_by_kek(session)
    missing = sorted(k for k in result.before if k not in keyring.keys)
    if missing:
        raise RotationError(
            f"data keys are wrapped by {missing}, which ENCRYPTION_OLD_KEYS does not provide"
        )
    # Every old data key must open before anything is rewritten.
    for row in session.exec(select(DataKey).where(DataKey.kek_id != keyring.current_id)):
        try:
            keyring.unwrap(bytes(row.wrapped_key), row.kek_id, row.organization_id)
        except crypto.DecryptionError as exc:
            raise RotationError(f"data key {row.id}: {exc}") from exc
    if dry_run:
        result.after = dict(result.before)
        return result
    result.rewrapped = crypto.rotate_master_key(session, keyring, batch=batch)
    only_new = crypto.Keyring(
        keyring.current_id, {keyring.current_id: keyring.keys[keyring.current_id]}
    )
    bad = 0
    for row in session.exec(select(DataKey)):
        try:
            only_new.unwrap(bytes(row.wrapped_key), row.kek_id, row.organization_id)
        except crypto.DecryptionError:
            bad += 1
    if bad:
        raise RotationError(f"{bad} data keys do not open with the new key after re-wrapping")
    result.after = data_keys_by_kek(session)
    return result


def kek_usage(counts: dict[str, int]) -> str:
    """`k1=3 k2=10` for reports."""
    return " ".join(f"{k}={n}" for k, n in sorted(Counter(counts).items())) or "(no data keys)"
