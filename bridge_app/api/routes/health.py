"""/v1/health (every dependency) and /metrics (Prometheus)."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import OptionalPool
from bridge_app.services import health, metrics, queue, slo
from bridge_app.services.db import get_engine, session_scope

router = APIRouter(tags=["health"])


@router.get("/v1/health")
async def dependency_health(pool: OptionalPool) -> JSONResponse:
    """Database, Redis, NATS, storage and each worker's heartbeat: status and latency each;
    503 when a required dependency is down."""
    body = await health.check_all(pool)
    return JSONResponse(body, status_code=503 if body["status"] == "down" else 200)


def update_pool_gauges() -> None:
    """db_connections{state} from the SQLAlchemy pool."""
    pool: Any = get_engine().pool
    with contextlib.suppress(AttributeError):
        metrics.DB_CONNECTIONS.labels("in_use").set(pool.checkedout())
        metrics.DB_CONNECTIONS.labels("idle").set(pool.checkedin())
        metrics.DB_CONNECTIONS.labels("overflow").set(max(0, pool.overflow()))
        metrics.DB_CONNECTIONS.labels("size").set(pool.size())


def update_slo_gauges() -> None:
    """bridge_slo_compliance / bridge_slo_error_budget_remaining over every organization
    (only /metrics, which the ingress never serves, shows system-wide numbers)."""
    with session_scope() as session:
        slo.slo_report(session)


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def prometheus_metrics(pool: OptionalPool) -> Response:
    """Prometheus exposition (runbook names); queue depths and pool state read at scrape."""
    update_pool_gauges()
    with contextlib.suppress(Exception):  # the system-wide SLO gauges, fresh at each scrape
        await run_in_threadpool(update_slo_gauges)
    if pool is not None:
        with contextlib.suppress(Exception):
            for name, depth in (await queue.queue_depths(pool)).items():
                metrics.QUEUE_DEPTH.labels(name).set(depth)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
