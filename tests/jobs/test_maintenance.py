"""The maintenance worker: every coroutine it defines is scheduled, and the scheduled ones
write what the alerts and the SLO report read (real PostgreSQL, Redis and NATS; no worker)."""

from __future__ import annotations

import asyncio
import inspect

from sqlmodel import Session, select

from bridge_app.models import HealthProbe, Organization, OutboxEvent
from bridge_app.services import metrics, queue, slo
from bridge_app.services.db import get_engine, session_scope


def _maintenance() -> object:
    import jobs.maintenance  # imported late: its settings read the test services' URLs

    return jobs.maintenance


def test_every_maintenance_coroutine_is_scheduled(migrated: str) -> None:
    module = _maintenance()
    lifecycle = {module.startup, module.shutdown}  # type: ignore[attr-defined]
    defined = {
        fn
        for _, fn in inspect.getmembers(module, inspect.iscoroutinefunction)
        if fn.__module__ == module.__name__ and fn not in lifecycle  # type: ignore[attr-defined]
    }
    scheduled = {job.coroutine for job in module.WorkerSettings.cron_jobs}  # type: ignore[attr-defined]
    assert {f.__name__ for f in defined} >= {"probe_health", "reconcile_stuck", "report_slos"}
    assert defined == scheduled, f"defined but not scheduled: {defined - scheduled}"


def _gauge(metric: object) -> float:
    return float(metric._value.get())  # type: ignore[attr-defined]


def test_the_reconciler_cron_measures_the_outbox_backlog(migrated: str) -> None:
    with session_scope() as session:
        org = Organization(name="Backlog", slug=f"backlog-{id(session)}")
        session.add(org)
        session.flush()
        for n in range(3):
            session.add(
                OutboxEvent(organization_id=org.id, subject="bridge.qa.completed", payload={"n": n})
            )

    async def run() -> int:
        pool = await queue.get_pool()
        try:
            return await _maintenance().reconcile_stuck({"redis": pool})  # type: ignore[attr-defined]
        finally:
            await pool.aclose()

    metrics.OUTBOX_PENDING.set(-1)
    asyncio.run(run())
    with Session(get_engine()) as session:
        from bridge_app.services.events import pending_count

        assert _gauge(metrics.OUTBOX_PENDING) == pending_count(session) >= 3


def test_probes_are_recorded_and_feed_the_availability_slo(migrated: str) -> None:
    module = _maintenance()
    with Session(get_engine()) as session:
        before = len(session.exec(select(HealthProbe)).all())
    assert asyncio.run(module.probe_health({})) is True  # type: ignore[attr-defined]
    with Session(get_engine()) as session:
        assert len(session.exec(select(HealthProbe)).all()) == before + 1
        report = slo.slo_report(session)
    assert report["details"]["systemAvailability"]["total"] >= 1
    availability = asyncio.run(module.report_slos({}))  # type: ignore[attr-defined]
    assert availability == report["sloCompliance"]["systemAvailability"]
    gauge = metrics.SLO_COMPLIANCE.labels("systemAvailability")
    assert _gauge(gauge) == availability
