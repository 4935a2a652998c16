"""Administration: the organization's users, invitations and roles (audited).

An admin creates new local accounts directly, but an account that already exists (it may
belong to another organization) is only *invited*: it joins once its owner accepts, and the
admin sees none of its account-wide details (name, SSO link) before or after unless it
belongs to this organization alone. A role change ends that member's sessions in this
organization only.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Admin, Caller, SessionDep, client_ip
from bridge_app.models import Invitation, Membership, Organization, User
from bridge_app.models.api import InvitationPublic, RoleChange, UserCreate, UserPublic
from bridge_app.services import audit, passwords
from bridge_app.services.auth.tokens import bump_token_version, revoke_all
from bridge_app.services.db import session_scope
from bridge_app.services.errors import Conflict, NotFound

router = APIRouter(prefix="/v1/admin", tags=["admin"])
invitations_router = APIRouter(prefix="/v1/invitations", tags=["admin"])


def _only_here(session: Session, user: User, organization_id: uuid.UUID) -> bool:
    """True when the account is a member of this organization and no other."""
    others = session.exec(
        select(sa.func.count())
        .select_from(Membership)
        .where(Membership.user_id == user.id, Membership.organization_id != organization_id)
    ).one()
    return int(others) == 0


def _public(user: User, membership: Membership, own: bool) -> UserPublic:
    return UserPublic(
        id=user.id,
        email=user.email,
        full_name=user.full_name if own else "",
        role=membership.role,  # type: ignore[arg-type]
        is_active=user.is_active,
        sso=bool(user.oidc_subject) if own else None,
    )


@router.get("/users", response_model=list[UserPublic])
def list_users(
    *,
    principal: Admin,
    session: SessionDep,
) -> list[UserPublic]:
    """Members of the caller's organization."""
    rows = session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.organization_id == principal.organization_id)
        .order_by(col(User.email))
    ).all()
    return [_public(u, m, _only_here(session, u, principal.organization_id)) for u, m in rows]


@router.post(
    "/users",
    status_code=201,
    response_model=UserPublic | InvitationPublic,
    responses={202: {"description": "an existing account was invited (joins once it accepts)"}},
)
async def create_user(
    *, body: UserCreate, request: Request, response: Response, principal: Admin
) -> UserPublic | InvitationPublic:
    """Add a member: a new local account (201), or an invitation to an existing account (202)
    that joins only when its owner accepts (`POST /v1/invitations/{id}/accept`)."""
    ip = client_ip(request)
    hashed = passwords.hash_password(body.password) if body.password else None

    def work() -> UserPublic | InvitationPublic:
        with session_scope() as session:
            email = body.email.strip().lower()
            user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
            if user is not None:
                return _invite(session, user, email)
            user = User(email=email, full_name=body.full_name, password_hash=hashed)
            session.add(user)
            session.flush()
            membership = Membership(
                organization_id=principal.organization_id, user_id=user.id, role=body.role
            )
            session.add(membership)
            session.flush()
            audit.append_for(
                session,
                principal,
                action="user.added",
                ip=ip,
                object_type="user",
                object_id=user.id,
                detail={"email": email, "role": body.role},
            )
            return _public(user, membership, True)

    def _invite(session: Session, user: User, email: str) -> InvitationPublic:
        member = session.exec(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.organization_id == principal.organization_id,
            )
        ).first()
        if member is not None:
            raise Conflict("this person is already a member")
        pending = session.exec(
            select(Invitation).where(
                Invitation.user_id == user.id,
                Invitation.organization_id == principal.organization_id,
                col(Invitation.accepted_at).is_(None),
            )
        ).first()
        if pending is not None:
            raise Conflict("this person has already been invited")
        invitation = Invitation(
            organization_id=principal.organization_id,
            user_id=user.id,
            role=body.role,
            invited_by=principal.user_id,
        )
        session.add(invitation)
        session.flush()
        audit.append_for(
            session,
            principal,
            action="user.invited",
            ip=ip,
            object_type="invitation",
            object_id=invitation.id,
            detail={"email": email, "role": body.role},
        )
        response.status_code = 202
        return InvitationPublic(
            id=invitation.id,
            organization_id=invitation.organization_id,
            email=email,
            role=body.role,
        )

    return await run_in_threadpool(work)


@router.put("/users/{user_id}/role", response_model=UserPublic)
async def change_role(
    *,
    user_id: uuid.UUID,
    body: RoleChange,
    request: Request,
    principal: Admin,
) -> UserPublic:
    """Change a member's role; their sessions in this organization end so it applies at once."""
    ip = client_ip(request)

    def work() -> UserPublic:
        with session_scope() as session:
            membership = session.exec(
                select(Membership)
                .where(
                    Membership.user_id == user_id,
                    Membership.organization_id == principal.organization_id,
                )
                .with_for_update()
            ).first()
            user = session.get(User, user_id) if membership else None
            if membership is None or user is None:
                raise NotFound("no such member")
            old = membership.role
            if old == "admin" and body.role != "admin":
                admins = session.exec(
                    select(sa.func.count())
                    .select_from(Membership)
                    .where(
                        Membership.organization_id == principal.organization_id,
                        Membership.role == "admin",
                    )
                ).one()
                if admins <= 1:
                    raise Conflict("the organization needs at least one admin")
            if old != body.role:
                membership.role = body.role
                session.add(membership)
                session.flush()
                revoke_all(session, user.id, principal.organization_id)
                bump_token_version(session, user.id, principal.organization_id)
                audit.append_for(
                    session,
                    principal,
                    action="user.role_changed",
                    ip=ip,
                    object_type="user",
                    object_id=user.id,
                    detail={"from": old, "to": body.role},
                )
            session.refresh(membership)
            return _public(user, membership, _only_here(session, user, principal.organization_id))

    return await run_in_threadpool(work)


@invitations_router.get("", response_model=list[InvitationPublic])
def my_invitations(*, principal: Caller, session: SessionDep) -> list[InvitationPublic]:
    """Invitations waiting for the signed-in account."""
    rows = session.exec(
        select(Invitation, Organization)
        .join(Organization, col(Organization.id) == col(Invitation.organization_id))
        .where(Invitation.user_id == principal.user_id, col(Invitation.accepted_at).is_(None))
        .order_by(col(Invitation.created_at))
    ).all()
    return [
        InvitationPublic(
            id=i.id,
            organization_id=i.organization_id,
            organization_name=o.name,
            email=principal.email,
            role=i.role,  # type: ignore[arg-type]
        )
        for i, o in rows
    ]


@invitations_router.post("/{invitation_id}/accept", response_model=InvitationPublic)
async def accept_invitation(
    *, invitation_id: uuid.UUID, request: Request, principal: Caller
) -> InvitationPublic:
    """Join the inviting organization (only the invited account can)."""
    ip = client_ip(request)

    def work() -> InvitationPublic:
        with session_scope() as session:
            invitation = session.exec(
                select(Invitation)
                .where(Invitation.id == invitation_id, Invitation.user_id == principal.user_id)
                .with_for_update()
            ).first()
            if invitation is None or invitation.accepted_at is not None:
                raise NotFound("no such invitation")
            invitation.accepted_at = datetime.now(UTC)
            session.add(invitation)
            session.add(
                Membership(
                    organization_id=invitation.organization_id,
                    user_id=principal.user_id,
                    role=invitation.role,
                )
            )
            session.flush()
            audit.append(
                session,
                action="user.joined",
                organization_id=invitation.organization_id,
                actor_user_id=principal.user_id,
                actor_email=principal.email,
                ip=ip,
                object_type="invitation",
                object_id=invitation.id,
                detail={"role": invitation.role},
            )
            return InvitationPublic(
                id=invitation.id,
                organization_id=invitation.organization_id,
                email=principal.email,
                role=invitation.role,  # type: ignore[arg-type]
                status="accepted",
            )

    return await run_in_threadpool(work)
