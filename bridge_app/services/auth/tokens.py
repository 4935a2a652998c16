"""Access tokens (HS256 JWTs) and refresh tokens (stored as SHA-256, rotated on use)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from sqlmodel import Session, col, select

from bridge_app.models import Membership, Organization, RefreshToken, User
from bridge_app.services import audit
from bridge_app.services.errors import AuthError
from bridge_app.services.principal import PERMISSIONS, Principal
from bridge_app.settings import Settings, get_settings

ALGORITHMS = ["HS256"]  # the allowlist: nothing else is ever accepted
CLOCK_LEEWAY_S = 30


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    principal: Principal
    token_type: str = "Bearer"


def jwt_old_secrets() -> list[str]:
    """Earlier JWT secrets still accepted during rotation (`JWT_OLD_SECRETS`, comma-separated).

    Read from the environment here only, until Settings carries the field.
    """
    raw = getattr(get_settings(), "JWT_OLD_SECRETS", None) or os.environ.get("JWT_OLD_SECRETS", "")
    return [s.strip() for s in str(raw).split(",") if s.strip()]


@lru_cache(maxsize=16)
def _key(secret: str) -> OctKey:
    return OctKey.import_key(secret.encode())


def issue_access_token(
    principal: Principal, *, settings: Settings | None = None, now: float | None = None
) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds."""
    settings = settings or get_settings()
    issued = int(now if now is not None else time.time())
    lifetime = settings.ACCESS_TOKEN_MINUTES * 60
    claims = {
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
        "sub": str(principal.user_id),
        "org": str(principal.organization_id),
        "role": principal.role,
        "email": principal.email,
        "iat": issued,
        "nbf": issued - 1,
        "exp": issued + lifetime,
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "tv": principal.token_version,
    }
    token = jwt.encode(
        {"alg": "HS256", "typ": "JWT"}, claims, _key(settings.JWT_SECRET), algorithms=ALGORITHMS
    )
    return token, lifetime


def decode_access_token(token: str, *, settings: Settings | None = None) -> Principal:
    """Verify signature (HS256 only; current or old secrets), iss, aud, exp, iat; or AuthError."""
    settings = settings or get_settings()
    if not token or token.count(".") != 2:
        raise AuthError("the access token is malformed")
    decoded = None
    for secret in (settings.JWT_SECRET, *jwt_old_secrets()):
        try:
            decoded = jwt.decode(token, _key(secret), algorithms=ALGORITHMS)
            break
        except JoseError:
            continue
        except (ValueError, TypeError) as exc:
            raise AuthError("the access token is malformed") from exc
    if decoded is None:
        raise AuthError("the access token's signature or algorithm is not accepted")
    if decoded.header.get("alg") not in ALGORITHMS:
        raise AuthError("the access token's algorithm is not accepted")
    registry = jwt.JWTClaimsRegistry(
        now=int(time.time()),
        leeway=CLOCK_LEEWAY_S,
        iss={"essential": True, "value": settings.JWT_ISSUER},
        aud={"essential": True, "value": settings.JWT_AUDIENCE},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
    )
    claims = decoded.claims
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise AuthError(f"the access token is not valid: {exc.description or exc}") from exc
    if claims.get("typ") != "access" or claims.get("role") not in PERMISSIONS["read"]:
        raise AuthError("the token is not an access token")
    iat = claims.get("iat")
    if not isinstance(iat, int) or iat > time.time() + CLOCK_LEEWAY_S:
        raise AuthError("the access token was issued in the future")
    try:
        return Principal(
            user_id=uuid.UUID(str(claims["sub"])),
            organization_id=uuid.UUID(str(claims["org"])),
            role=str(claims["role"]),
            email=str(claims.get("email", "")),
            token_version=int(claims.get("tv", 0)),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise AuthError("the access token's claims are incomplete") from exc


def sha256_hex(value: str) -> str:
    """How a token or code is stored and looked up (never the value itself)."""
    return hashlib.sha256(value.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def issue_pair(session: Session, principal: Principal, settings: Settings) -> TokenPair:
    """A new access token and a stored (hashed) refresh token for the principal."""
    version = session.exec(
        select(Membership.token_version).where(
            Membership.user_id == principal.user_id,
            Membership.organization_id == principal.organization_id,
        )
    ).first()
    principal = dataclasses.replace(principal, token_version=int(version or 0))
    raw = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            user_id=principal.user_id,
            organization_id=principal.organization_id,
            token_sha256=sha256_hex(raw),
            expires_at=_now() + timedelta(days=settings.REFRESH_TOKEN_DAYS),
        )
    )
    session.flush()
    access, lifetime = issue_access_token(principal, settings=settings)
    return TokenPair(access, raw, lifetime, principal)


def first_membership(
    session: Session, user: User, organization_slug: str | None = None
) -> tuple[Membership, Organization] | None:
    """The user's oldest membership (in that organization when a slug is given)."""
    query = (
        select(Membership, Organization)
        .join(Organization, col(Organization.id) == col(Membership.organization_id))
        .where(Membership.user_id == user.id)
        .order_by(col(Membership.created_at))
    )
    if organization_slug:
        query = query.where(Organization.slug == organization_slug)
    row = session.exec(query).first()
    return (row[0], row[1]) if row else None


def refresh(session: Session, *, refresh_token: str, ip: str | None = None) -> TokenPair:
    """Exchange a refresh token for a new pair (the old one is revoked: rotation)."""
    settings = get_settings()
    row = session.exec(
        select(RefreshToken)
        .where(RefreshToken.token_sha256 == sha256_hex(refresh_token or ""))
        .with_for_update()
    ).first()
    if row is None:
        raise AuthError("the refresh token is not known")
    if row.revoked_at is not None:
        # A rotated token presented again: someone kept a copy. Revoke the whole family,
        # and end the access tokens already out there.
        revoke_all(session, row.user_id)
        bump_token_version(session, row.user_id)
        audit.append(
            session,
            action="auth.refresh_reuse",
            organization_id=row.organization_id,
            actor_user_id=row.user_id,
            ip=ip,
            object_type="user",
            object_id=str(row.user_id),
        )
        raise AuthError("the refresh token was already used; sign in again")
    if row.expires_at <= _now():
        raise AuthError("the refresh token has expired; sign in again")
    user = session.get(User, row.user_id)
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == row.user_id, Membership.organization_id == row.organization_id
        )
    ).first()
    if user is None or not user.is_active or membership is None:
        raise AuthError("the account is no longer active in this organization")
    row.revoked_at = _now()
    session.add(row)
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    return issue_pair(session, principal, settings)


def logout(session: Session, *, refresh_token: str) -> bool:
    """Revoke one refresh token and end that session's access tokens; True when it was live."""
    row = session.exec(
        sa.update(RefreshToken)
        .where(
            col(RefreshToken.token_sha256) == sha256_hex(refresh_token or ""),
            col(RefreshToken.revoked_at).is_(None),
        )
        .values(revoked_at=_now())
        .returning(col(RefreshToken.user_id), col(RefreshToken.organization_id))
    ).first()
    if row is None:
        return False
    bump_token_version(session, row[0], row[1])
    return True


def revoke_all(
    session: Session, user_id: uuid.UUID, organization_id: uuid.UUID | None = None
) -> None:
    """Revoke every live refresh token of a user (in one organization when given)."""
    query = sa.update(RefreshToken).where(
        col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None)
    )
    if organization_id is not None:
        query = query.where(col(RefreshToken.organization_id) == organization_id)
    session.execute(query.values(revoked_at=_now()))


def bump_token_version(
    session: Session, user_id: uuid.UUID, organization_id: uuid.UUID | None = None
) -> None:
    """End the access tokens already issued for a membership (every one when no org given):
    writes and exports check the version (`check_token_version`), so they stop at once
    instead of when the token expires."""
    query = sa.update(Membership).where(col(Membership.user_id) == user_id)
    if organization_id is not None:
        query = query.where(col(Membership.organization_id) == organization_id)
    session.execute(query.values(token_version=col(Membership.token_version) + 1))


def check_token_version(session: Session, principal: Principal) -> None:
    """AuthError unless the token is of the membership's current version and the account is
    active (one indexed read; done for writes and exports, not for every read)."""
    row = session.exec(
        select(Membership.token_version, User.is_active)
        .join(User, col(User.id) == col(Membership.user_id))
        .where(
            Membership.user_id == principal.user_id,
            Membership.organization_id == principal.organization_id,
        )
    ).first()
    if row is None or not row[1] or int(row[0]) != principal.token_version:
        raise AuthError("this session has ended (signed out, or access changed); sign in again")
