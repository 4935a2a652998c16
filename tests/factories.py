"""Small builders for rows the tests need (flushed, inside the test's transaction)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from bridge_app.models import Decision, Meeting, Membership, Organization, User


def make_org(session: Session, name: str = "Acme") -> Organization:
    org = Organization(name=name, slug=f"{name.lower()}-{uuid.uuid4().hex[:8]}")
    session.add(org)
    session.flush()
    return org


def make_user(session: Session, org: Organization, role: str = "legal") -> User:
    user = User(email=f"{uuid.uuid4().hex[:8]}@example.test", full_name="Test User")
    session.add(user)
    session.flush()
    session.add(Membership(organization_id=org.id, user_id=user.id, role=role))
    session.flush()
    return user


def make_meeting(session: Session, org: Organization, title: str = "Kick-off") -> Meeting:
    meeting = Meeting(organization_id=org.id, title=title)
    session.add(meeting)
    session.flush()
    return meeting


def make_decision(
    session: Session,
    meeting: Meeting,
    *,
    created_at: datetime | None = None,
    confidence: float = 0.8,
) -> Decision:
    decision = Decision(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        input_version=1,
        item_key=f"d{uuid.uuid4().hex[:6]}",
        kind="decision",
        content_ciphertext=b"x",
        confidence=confidence,
    )
    if created_at is not None:
        decision.created_at = created_at
    session.add(decision)
    session.flush()
    return decision
