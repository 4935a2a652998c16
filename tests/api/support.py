"""Builders shared by the API and service tests: committed organizations, users, tokens,
and the pipeline run inline (no workers needed)."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from arq import ArqRedis
from sqlmodel import Session

from bridge_app.models import Membership, Organization, User
from bridge_app.services import queue
from bridge_app.services.auth import tokens
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.passwords import hash_password
from bridge_app.services.principal import Principal
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.runner import run_stage
from bridge_app.services.stages.transaction import RunInfo

PASSWORD = "correct horse battery staple"
ROLES = ("admin", "legal", "ops", "viewer")


@dataclass
class Org:
    """A committed organization with one user per role and their access tokens."""

    id: uuid.UUID
    slug: str
    users: dict[str, User] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)

    def token(self, role: str) -> str:
        """A fresh access token for the user with that role (at the membership's current
        token version, as a sign-in would issue it)."""
        from dataclasses import replace

        from sqlmodel import select

        principal = self.principals[role]
        try:
            with session_scope() as s:
                version = s.exec(
                    select(Membership.token_version).where(
                        Membership.user_id == principal.user_id,
                        Membership.organization_id == principal.organization_id,
                    )
                ).first()
        except Exception:  # a test that takes the database away still needs a token
            version = principal.token_version
        return tokens.issue_access_token(replace(principal, token_version=int(version or 0)))[0]

    def headers(self, role: str) -> dict[str, str]:
        """Authorization header for that role."""
        return {"Authorization": f"Bearer {self.token(role)}"}


def make_org(name: str = "Org", roles: tuple[str, ...] = ROLES) -> Org:
    """Commit an organization and one user (password PASSWORD) per role."""
    hashed = hash_password(PASSWORD)
    with session_scope() as session:
        org = Organization(name=name, slug=f"{name.lower()}-{uuid.uuid4().hex[:8]}")
        session.add(org)
        session.flush()
        result = Org(org.id, org.slug)
        for role in roles:
            user = User(
                email=f"{role}-{uuid.uuid4().hex[:8]}@example.test",
                full_name=f"{role.title()} User",
                password_hash=hashed,
            )
            session.add(user)
            session.flush()
            session.add(Membership(organization_id=org.id, user_id=user.id, role=role))
            result.users[role] = user
            result.principals[role] = Principal(user.id, org.id, role, user.email)
        session.flush()
    return result


def run_info() -> RunInfo:
    """What a worker would pass to a stage body."""
    return RunInfo("inline-test", 1, None, datetime.now(UTC))


def run_until_idle(job: NextJob | None, limit: int = 10) -> None:
    """Run stage bodies inline, following each NextJob, as the workers would."""
    for _ in range(limit):
        if job is None:
            return
        job = run_stage(job.stage, job.subject_id, job.version, run_info())
    raise AssertionError("the pipeline did not settle")


class LoopPools:
    """An arq pool per event loop, as the API dependency would make one per process."""

    def __init__(self, url: str):
        self.url = url
        # Keyed by the loop, weakly: a new loop can reuse a closed one's id() and must not get
        # its pool (bound to the dead loop, its enqueues fail and are dropped).
        self.pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ArqRedis] = (
            weakref.WeakKeyDictionary()
        )

    async def __call__(self) -> ArqRedis:
        loop = asyncio.get_running_loop()
        pool = self.pools.get(loop)
        if pool is None:
            pool = self.pools[loop] = await queue.get_pool(self.url)
        return pool


def session() -> Session:
    """A plain session on the test database (caller closes)."""
    return Session(get_engine(), expire_on_commit=False)


def api_routes(app: Any) -> list[Any]:
    """Every APIRoute of the app, including those of included routers."""
    out: list[Any] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            original = getattr(route, "original_router", None)
            if original is not None:
                walk(list(original.routes))
            elif hasattr(route, "dependant"):
                out.append(route)

    walk(list(app.routes))
    return out
