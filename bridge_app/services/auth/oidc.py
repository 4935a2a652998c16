"""Single sign-on: provision the user from verified ID-token claims and map the role."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from bridge_app.core.vocabulary import ROLES
from bridge_app.models import Membership, Organization, User
from bridge_app.services import audit
from bridge_app.services.auth.tokens import TokenPair, first_membership, issue_pair
from bridge_app.services.errors import AuthError
from bridge_app.services.principal import PERMISSIONS, Principal
from bridge_app.settings import get_settings

OIDC_ORG_CLAIM = "bridge_org"


def oidc_login(
    session: Session,
    *,
    issuer: str,
    claims: dict[str, Any],
    ip: str | None = None,
) -> TokenPair:
    """Sign in (and provision) a user from verified ID-token claims; role from the claim."""
    principal = oidc_principal(session, issuer=issuer, claims=claims, ip=ip)
    return issue_pair(session, principal, get_settings())


def oidc_principal(
    session: Session,
    *,
    issuer: str,
    claims: dict[str, Any],
    ip: str | None = None,
    via: str = "api",
) -> Principal:
    """Provision the user from verified ID-token claims, map the role, audit the sign-in.

    The organization comes from the `bridge_org` claim (a slug) or the user's existing
    membership; the role from `OIDC_ROLE_CLAIM` (unknown values fall back to viewer).
    `via` ("api" or "ui") is recorded in the audit event.
    """
    settings = get_settings()
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip().lower()
    if not subject or not email:
        raise AuthError("the identity provider did not send a subject and an email")
    user = session.exec(
        select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    ).first()
    if user is None:
        user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
    if user is None:
        user = User(email=email, full_name=str(claims.get("name") or "")[:200])
        session.add(user)
        session.flush()
    if not user.is_active:
        raise AuthError("the account is deactivated")
    user.oidc_issuer, user.oidc_subject = issuer, subject
    session.add(user)
    role_claim = claims.get(settings.OIDC_ROLE_CLAIM)
    if isinstance(role_claim, list):
        role_claim = next((r for r in ROLES if r in role_claim), None)
    role = role_claim if role_claim in PERMISSIONS["read"] else "viewer"
    slug = claims.get(OIDC_ORG_CLAIM)
    membership: Membership | None = None
    if slug:
        org = session.exec(select(Organization).where(Organization.slug == str(slug))).first()
        if org is None:
            raise AuthError(f"unknown organization '{slug}'")
        membership = session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organization_id == org.id
            )
        ).first()
        if membership is None:
            membership = Membership(organization_id=org.id, user_id=user.id, role=role)
    else:
        found = first_membership(session, user)
        if found is None:
            raise AuthError("this account has no organization; ask an administrator")
        membership = found[0]
    old_role = membership.role if membership.id and membership.role != role else None
    membership.role = str(role)
    session.add(membership)
    session.flush()
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    if old_role is not None:
        audit.append_for(
            session,
            principal,
            action="user.role_changed",
            ip=ip,
            object_type="user",
            object_id=str(user.id),
            detail={"from": old_role, "to": membership.role, "source": "oidc"},
        )
    audit.append_for(
        session,
        principal,
        action="auth.login",
        ip=ip,
        detail={"method": "oidc", "iss": issuer, "via": via},
    )
    return principal
