"""The audit log (admin): newest first with a cursor, and a chain check."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Auditor, SessionDep
from bridge_app.models.api import AuditEventPublic, AuditPage, ChainStatus
from bridge_app.services import audit, queries
from bridge_app.services.db import session_scope

log = logging.getLogger("bridge.api.audit")

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get("/audit", response_model=AuditPage)
def list_audit(
    *,
    action: Annotated[str | None, Query(max_length=64)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    object_name: Annotated[
        str | None, Query(max_length=200, description="part of the object's name")
    ] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62, description="cursor: events below")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    principal: Auditor,
    session: SessionDep,
) -> AuditPage:
    """Events of the caller's organization, newest first."""
    rows = queries.audit_events(
        session,
        principal.organization_id,
        action=action or "",
        object_id=object_id or "",
        object_name=object_name or "",
        before=before,
        limit=limit + 1,
    )
    items = [AuditEventPublic.model_validate(r) for r in rows[:limit]]
    return AuditPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


@router.get("/audit/verify", response_model=ChainStatus)
async def verify_audit(*, principal: Auditor) -> ChainStatus:
    """Recompute the organization's HMAC chain against its head anchored in NATS JetStream;
    the first tampered event, or the missing anchored head, if any (`anchored` is null when
    NATS could not be reached: the chain itself is still checked)."""
    try:
        anchor = await audit.latest_anchor(principal.organization_id)
        have_anchor = True
    except Exception as exc:  # NATS down: still check the chain, say the anchor was not
        log.warning("audit verify: the anchor could not be read: %s", exc)
        anchor, have_anchor = None, False

    def work() -> audit.ChainReport:
        with session_scope() as session:
            return audit.verify_chain(session, principal.organization_id, anchor)

    report = await run_in_threadpool(work)
    return ChainStatus(
        ok=report.ok,
        checked=report.checked,
        first_bad_id=report.first_bad_id,
        reason=report.reason,
        anchored=report.anchored if have_anchor else None,
    )
