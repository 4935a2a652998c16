"""Single sign-on: provision the user from verified ID-token claims and map the role.

What a provider's claims may do is deliberately narrow (an identity provider is an outside
party, and anyone it lets sign in reaches this code):
- the email must be verified by the provider (`email_verified: true`);
- an SSO identity is found by (issuer, subject) only. An email that matches an existing local
  account is never linked on its own: the owner of that account links it while signed in
  (`link_identity`, with the one-time link code the callback handed out); an account's
  issuer/subject, once set, is never overwritten;
- the role changes only from a present claim whose value is in `OIDC_ROLE_VALUES`;
- membership of an organization comes only from `OIDC_ORG_MAP` (the provider's `bridge_org`
  value → one slug), never from a slug the provider sends.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from bridge_app.models import Membership, Organization, User
from bridge_app.services import audit
from bridge_app.services.auth import sso_codes
from bridge_app.services.auth.tokens import (
    TokenPair,
    bump_token_version,
    first_membership,
    issue_pair,
    revoke_all,
)
from bridge_app.services.errors import AuthError, Conflict
from bridge_app.services.principal import PERMISSIONS, Principal
from bridge_app.settings import Settings, get_settings

OIDC_ORG_CLAIM = "bridge_org"
DEFAULT_SSO_ROLE = "viewer"


class LinkRequired(Conflict):
    """An SSO identity whose email belongs to an existing local account: the account's owner
    must sign in and link it (`link_code` is the one-time code for that)."""


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


def org_map(settings: Settings) -> dict[str, str]:
    """`OIDC_ORG_MAP` ("value:slug,…") as {claim value: organization slug}."""
    out: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in settings.OIDC_ORG_MAP.split(","))):
        value, _, slug = pair.partition(":")
        if value.strip() and slug.strip():
            out[value.strip()] = slug.strip()
    return out


def claimed_role(claims: dict[str, Any], settings: Settings) -> str | None:
    """The role the claim grants, or None when absent, ambiguous or not allow-listed."""
    allowed = {r.strip() for r in settings.OIDC_ROLE_VALUES.split(",")} & PERMISSIONS["read"]
    raw = claims.get(settings.OIDC_ROLE_CLAIM)
    if isinstance(raw, str):
        return raw if raw in allowed else None
    if isinstance(raw, list):
        granted = {r for r in raw if isinstance(r, str) and r in allowed}
        return granted.pop() if len(granted) == 1 else None
    return None


def _verified_identity(claims: dict[str, Any]) -> tuple[str, str]:
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip().lower()
    if not subject or not email:
        raise AuthError("the identity provider did not send a subject and an email")
    if claims.get("email_verified") is not True:
        raise AuthError("the identity provider has not verified this email address")
    return subject, email


def oidc_principal(
    session: Session,
    *,
    issuer: str,
    claims: dict[str, Any],
    ip: str | None = None,
    via: str = "api",
) -> Principal:
    """Provision the user from verified ID-token claims, map the role, audit the sign-in.

    The organization comes from the mapped `bridge_org` claim or the user's existing
    membership; the role from an allow-listed `OIDC_ROLE_CLAIM` (a new member without one is
    a viewer; an existing member keeps their role). `via` ("api" or "ui") is audited.
    """
    settings = get_settings()
    subject, email = _verified_identity(claims)
    user = session.exec(
        select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    ).first()
    if user is None:
        existing = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
        if existing is not None:
            code = sso_codes.issue_link_code({"issuer": issuer, "subject": subject, "email": email})
            raise LinkRequired(
                "an account with this email already exists: sign in with its password, then "
                "link single sign-on to it",
                link_code=code,
            )
        user = User(
            email=email,
            full_name=str(claims.get("name") or "")[:200],
            oidc_issuer=issuer,
            oidc_subject=subject,
        )
        session.add(user)
        session.flush()
    if not user.is_active:
        raise AuthError("the account is deactivated")
    role = claimed_role(claims, settings)
    value = claims.get(OIDC_ORG_CLAIM)
    membership: Membership | None = None
    if value is not None:
        slug = org_map(settings).get(str(value))
        org = (
            session.exec(select(Organization).where(Organization.slug == slug)).first()
            if slug
            else None
        )
        if org is None:
            raise AuthError("this identity provider's organization is not configured here")
        membership = session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organization_id == org.id
            )
        ).first()
        if membership is None:
            membership = Membership(
                organization_id=org.id, user_id=user.id, role=role or DEFAULT_SSO_ROLE
            )
    else:
        found = first_membership(session, user)
        if found is None:
            raise AuthError("this account has no organization; ask an administrator")
        membership = found[0]
    old_role = membership.role if membership.id and role and membership.role != role else None
    if role and old_role is not None:
        membership.role = role
    session.add(membership)
    session.flush()
    principal = Principal(user.id, membership.organization_id, membership.role, user.email)
    if old_role is not None:
        revoke_all(session, user.id, membership.organization_id)
        bump_token_version(session, user.id)
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


def link_identity(
    session: Session, principal: Principal, *, code: str, ip: str | None = None
) -> User:
    """Link a pending SSO identity (from the callback's `link_code`) to the signed-in account.

    Only the account whose email the provider verified may take it, and only while the
    account has no SSO identity yet.
    """
    raw = sso_codes.take_link_code(code)
    if raw is None:
        raise AuthError("this link code is invalid, expired or was already used")
    pending = json.loads(raw)
    user = session.exec(select(User).where(User.id == principal.user_id).with_for_update()).first()
    if user is None or user.email.strip().lower() != pending["email"]:
        raise AuthError("this single sign-on identity belongs to a different email address")
    if user.oidc_subject is not None:
        raise Conflict("this account is already linked to a single sign-on identity")
    taken = session.exec(
        select(User).where(
            User.oidc_issuer == pending["issuer"], User.oidc_subject == pending["subject"]
        )
    ).first()
    if taken is not None:
        raise Conflict("this single sign-on identity is already linked to another account")
    user.oidc_issuer, user.oidc_subject = pending["issuer"], pending["subject"]
    session.add(user)
    audit.append_for(
        session,
        principal,
        action="auth.sso_linked",
        ip=ip,
        object_type="user",
        object_id=str(user.id),
        detail={"iss": pending["issuer"]},
    )
    return user


__all__ = ["LinkRequired", "link_identity", "oidc_login", "oidc_principal"]
