"""`seed`: a demo organization, its admin (password printed once) and a demo meeting."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys

from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bridge_app.core.stages import Stage
from bridge_app.demo import demo_transcript
from bridge_app.models import Meeting, Membership, Organization, User
from bridge_app.services.db import session_scope
from bridge_app.services.passwords import hash_password
from bridge_app.services.queue import NextJob, enqueue_stage, get_pool
from bridge_app.services.upload import submit_meeting

DEMO_SLUG = "demo"
ADMIN_EMAIL = "admin@demo.local"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("seed", help="create the demo organization, admin and meeting")
    parser.add_argument("--no-meeting", action="store_true", help="skip the demo meeting")
    parser.set_defaults(handler=run)


def seed(with_meeting: bool = True) -> tuple[str | None, NextJob | None]:
    """Create what is missing; returns (new admin password or None, job to enqueue)."""
    password: str | None = None
    job: NextJob | None = None
    with session_scope() as session:
        org = session.exec(select(Organization).where(Organization.slug == DEMO_SLUG)).first()
        if org is None:
            org = Organization(name="Demo Legal Co", slug=DEMO_SLUG)
            session.add(org)
            session.flush()
        admin = session.exec(select(User).where(User.email == ADMIN_EMAIL)).first()
        if admin is None:
            password = os.environ.get("BRIDGE_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            admin = User(
                email=ADMIN_EMAIL, full_name="Demo Admin", password_hash=hash_password(password)
            )
            session.add(admin)
            session.flush()
            session.add(Membership(organization_id=org.id, user_id=admin.id, role="admin"))
        has_meeting = session.exec(select(Meeting).where(Meeting.organization_id == org.id)).first()
        if with_meeting and has_meeting is None:
            meeting, _ = submit_meeting(
                session,
                organization_id=org.id,
                user_id=admin.id,
                filename="sow_kickoff.vtt",
                data=demo_transcript(),
                title="Brightline × Harborview: SOW kick-off",
                matter_name="Harborview forecasting dashboard",
                idempotency_key="demo-seed",
            )
            job = NextJob(Stage.transcript, meeting.id, meeting.input_version)
    return password, job


async def _enqueue(job: NextJob) -> None:
    pool = await get_pool()
    try:
        await enqueue_stage(pool, job)
    finally:
        await pool.aclose()


def run(args: argparse.Namespace) -> int:
    try:
        password, job = seed(with_meeting=not args.no_meeting)
    except OperationalError as exc:
        print(f"error: cannot reach the database: {exc.orig}", file=sys.stderr)
        return 1
    if job is not None:
        asyncio.run(_enqueue(job))
        print("demo meeting uploaded; the workers will process it")
    if password:
        source = (
            "from BRIDGE_ADMIN_PASSWORD"
            if os.environ.get("BRIDGE_ADMIN_PASSWORD")
            else "shown once"
        )
        print(f"admin login: {ADMIN_EMAIL} / {password}  ({source})")
    else:
        print(f"admin login: {ADMIN_EMAIL} (already created; password shown when it was created)")
    return 0
