"""Decisions: read one, and review it (accept / reject / edit with a reason)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Reader, Reviewer, SessionDep, client_ip
from bridge_app.api.routes.meetings import decision_public, load_meeting
from bridge_app.models import Decision
from bridge_app.models.api import DecisionPublic, DecisionReview
from bridge_app.services import crypto, review
from bridge_app.services.db import get_owned, session_scope
from bridge_app.services.errors import Conflict, NotFound
from bridge_app.services.principal import Principal

router = APIRouter(prefix="/v1", tags=["decisions"])


def _public(session: Session, principal: Principal, row: Decision) -> DecisionPublic:
    meeting = load_meeting(session, principal, row.meeting_id)
    if meeting.data_key_id is None:
        raise Conflict("the meeting has no data key")
    return decision_public(row, crypto.load_data_key(session, meeting.data_key_id))


@router.get("/decisions/{decision_id}", response_model=DecisionPublic)
def get_decision(
    *,
    decision_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> DecisionPublic:
    """One extracted item with its evidence and review state."""
    row = get_owned(session, Decision, decision_id, principal.organization_id)
    if row is None:
        raise NotFound("no such decision")
    return _public(session, principal, row)


@router.post("/decisions/{decision_id}/review", response_model=DecisionPublic)
async def review_decision(
    *,
    decision_id: uuid.UUID,
    body: DecisionReview,
    request: Request,
    principal: Reviewer,
) -> DecisionPublic:
    """Accept, reject or edit an item (reject and edit need a reason); audited."""
    ip = client_ip(request)

    def work() -> DecisionPublic:
        with session_scope() as session:
            row = review.review_decision(
                session,
                principal=principal,
                decision_id=decision_id,
                action=body.action,
                statement=body.statement,
                values=body.values,
                reason=body.reason,
                ip=ip,
            )
            return _public(session, principal, row)

    return await run_in_threadpool(work)
