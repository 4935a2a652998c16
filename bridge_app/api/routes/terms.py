"""A meeting's terms checklist and typed term input (reviewers)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Reader, Reviewer, SessionDep, client_ip
from bridge_app.models import Meeting
from bridge_app.models.api import TermChecklist, TermPublic, TermSetBody, TermSetPublic
from bridge_app.services import queries, terms
from bridge_app.services.db import session_scope

router = APIRouter(prefix="/v1", tags=["terms"])


@router.get("/meetings/{meeting_id}/terms", response_model=TermChecklist)
def get_terms(*, meeting_id: uuid.UUID, principal: Reader, session: SessionDep) -> TermChecklist:
    """Every term the meeting's contract type needs: found, missing or not agreed."""
    meeting = queries.owned(session, Meeting, meeting_id, principal.organization_id)
    ctype, rows = terms.meeting_checklist(session, meeting)
    return TermChecklist(
        contract_type=ctype,
        terms=[
            TermPublic(
                term=r.term,
                label=r.label,
                kind=r.kind,
                status=r.status,
                display=r.display,
                item_ids=list(r.item_ids),
                reviewer_entered=r.reviewer_entered,
            )
            for r in rows
        ],
    )


@router.put("/meetings/{meeting_id}/terms/{term}", response_model=TermSetPublic)
async def set_term(
    *,
    meeting_id: uuid.UUID,
    term: Annotated[str, Path(max_length=40)],
    body: TermSetBody,
    request: Request,
    principal: Reviewer,
) -> TermSetPublic:
    """Add or correct a term from typed fields; 422 with a message for an impossible value."""
    ip = client_ip(request)

    def work() -> TermSetPublic:
        with session_scope() as session:
            result = terms.set_term(
                session,
                principal=principal,
                meeting_id=meeting_id,
                term=term,
                fields=dict(body.fields),
                segment_keys=list(body.evidence),
                reason=body.reason,
                ip=ip,
            )
            return TermSetPublic(
                decision_id=result.decision.id,
                item_key=result.decision.item_key,
                display=result.display,
                reviewer_entered=not result.decision.evidence_segment_keys,
                replaced=result.replaced,
            )

    return await run_in_threadpool(work)
