"""Ops: the SLO report (runbook shape) and queue depths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from bridge_app.api.deps import Operator, PoolDep, SessionDep
from bridge_app.models.api import QueueReport
from bridge_app.services import metrics, queue, slo

router = APIRouter(prefix="/v1/monitoring", tags=["monitoring"])


@router.get("/slo-report")
def slo_report(
    *,
    window_days: Annotated[int, Query(ge=1, le=366)] = slo.DEFAULT_WINDOW_DAYS,
    principal: Operator,
    session: SessionDep,
) -> dict[str, Any]:
    """`{"sloCompliance": {meetingProcessing, draftGeneration, export, systemAvailability}}`
    (fraction within target over the window) with targets, p95s, counts and budgets."""
    return slo.slo_report(
        session, window_days=window_days, organization_id=principal.organization_id
    )


@router.get("/queues", response_model=QueueReport)
async def queues(
    *,
    principal: Operator,
    pool: PoolDep,
) -> QueueReport:
    """Jobs waiting per stage queue and each worker's latest heartbeat."""
    depths = await queue.queue_depths(pool)
    for name, depth in depths.items():
        metrics.QUEUE_DEPTH.labels(name).set(depth)
    return QueueReport(queues=depths, workers=await queue.worker_heartbeats(pool))
