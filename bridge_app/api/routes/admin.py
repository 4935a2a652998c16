"""Administration: the organization's users and their roles (audited)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from fastapi import APIRouter, Request
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Admin, SessionDep, client_ip
from bridge_app.models import Membership, User
from bridge_app.models.api import RoleChange, UserCreate, UserPublic
from bridge_app.services import audit, passwords
from bridge_app.services.auth.tokens import revoke_all
from bridge_app.services.db import session_scope
from bridge_app.services.errors import Conflict, NotFound

router = APIRouter(prefix="/v1/admin", tags=["admin"])


def _public(user: User, membership: Membership) -> UserPublic:
    return UserPublic(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=membership.role,  # type: ignore[arg-type]
        is_active=user.is_active,
        sso=bool(user.oidc_subject),
        locked_until=user.locked_until,
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
    return [_public(u, m) for u, m in rows]


@router.post("/users", status_code=201, response_model=UserPublic)
async def create_user(*, body: UserCreate, request: Request, principal: Admin) -> UserPublic:
    """Add a member (a new local account, or an existing account joining this organization)."""
    ip = client_ip(request)
    hashed = passwords.hash_password(body.password) if body.password else None

    def work() -> UserPublic:
        with session_scope() as session:
            email = body.email.strip().lower()
            user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
            if user is None:
                user = User(email=email, full_name=body.full_name, password_hash=hashed)
                session.add(user)
                session.flush()
            existing = session.exec(
                select(Membership).where(
                    Membership.user_id == user.id,
                    Membership.organization_id == principal.organization_id,
                )
            ).first()
            if existing is not None:
                raise Conflict("this person is already a member")
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
            return _public(user, membership)

    return await run_in_threadpool(work)


@router.put("/users/{user_id}/role", response_model=UserPublic)
async def change_role(
    *,
    user_id: uuid.UUID,
    body: RoleChange,
    request: Request,
    principal: Admin,
) -> UserPublic:
    """Change a member's role; their refresh tokens are revoked so it applies at once."""
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
                revoke_all(session, user.id)
                audit.append_for(
                    session,
                    principal,
                    action="user.role_changed",
                    ip=ip,
                    object_type="user",
                    object_id=user.id,
                    detail={"from": old, "to": body.role},
                )
            return _public(user, membership)

    return await run_in_threadpool(work)
