"""Decisions: read one, and review it (accept / reject / edit with a reason)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Reader, Reviewer, SessionDep, client_ip
from bridge_app.api.shapes import decision_public
from bridge_app.models.api import DecisionPublic, DecisionReview
from bridge_app.services import actions, queries
from bridge_app.services.db import session_scope

router = APIRouter(prefix="/v1", tags=["decisions"])


@router.get("/decisions/{decision_id}", response_model=DecisionPublic)
def get_decision(
    *,
    decision_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> DecisionPublic:
    """One extracted item with its evidence and review state."""
    return decision_public(queries.decision(session, principal.organization_id, decision_id))


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
            row = actions.review_decision(
                session,
                principal=principal,
                decision_id=decision_id,
                action=body.action,
                statement=body.statement,
                values=body.values,
                reason=body.reason,
                ip=ip,
            )
            return decision_public(queries.decision(session, principal.organization_id, row.id))

    return await run_in_threadpool(work)
