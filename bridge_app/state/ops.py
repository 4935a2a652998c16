"""The ops page (ops and admin roles): dependencies, workers, queues, SLOs, failures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from bridge_app.core.stages import QUEUE_NAMES
from bridge_app.services import actions, health, slo
from bridge_app.services.queue import queue_depths, shared_pool
from bridge_app.state import data
from bridge_app.state.auth import AuthState
from bridge_app.state.common import enqueue, follow_live, read_db, run_db
from bridge_app.state.rows import DependencyRow, FailureRow, QueueRow, SloRow

POLL_S = 2.0
LIVE_MAX_S = 30 * 60
HISTORY = 60
SLO_LABELS = {
    "meetingProcessing": "Meeting processing",
    "draftGeneration": "Draft generation",
    "export": "Export",
    "systemAvailability": "Availability",
}


def _pct(value: float) -> str:
    return f"{value * 100:.2f} %"


def slo_rows(report: dict[str, Any]) -> list[SloRow]:
    rows = []
    for name, label in SLO_LABELS.items():
        target = report["targets"][name]
        compliance = float(report["sloCompliance"][name])
        threshold = target.get("thresholdSeconds")
        p95 = report["p95Seconds"].get(name) if name != "systemAvailability" else None
        counts = report["counts"][name]
        rows.append(
            SloRow(
                name=name,
                label=label,
                target=(f"p95 ≤ {threshold:g} s, " if threshold else "")
                + f"{float(target['target']) * 100:g} % of runs",
                compliance=_pct(compliance) if counts["total"] else "no data",
                p95="—" if p95 is None else f"{float(p95):.3f} s",
                budget=_pct(float(report["errorBudgetRemaining"][name])),
                counts=f"{counts['withinTarget']} / {counts['total']}",
                ok=compliance >= float(target["target"]) or counts["total"] == 0,
            )
        )
    return rows


class OpsState(AuthState):
    overall: str = ""
    dependencies: list[DependencyRow] = []
    workers: list[DependencyRow] = []
    queues: list[QueueRow] = []
    history: list[dict[str, Any]] = []
    slos: list[SloRow] = []
    failures: list[FailureRow] = []
    updated: str = ""

    _live_generation: int = 0

    async def _load(self) -> bool:
        principal = await self.principal_for("operate")
        if principal is None:
            return False
        pool = await shared_pool()
        report, depths, failures = await asyncio.gather(
            health.check_all(pool),
            queue_depths(pool),
            read_db(data.recent_failures, principal.organization_id),
        )
        slo_report = await read_db(lambda s: slo.slo_report(s))
        self.overall = str(report.get("status", ""))
        self.dependencies = [
            DependencyRow(
                name=name,
                status=str(check.get("status", "")),
                latency=f"{float(check.get('latency_ms', 0)):.1f} ms",
                detail=str(check.get("error") or check.get("detail") or ""),
            )
            for name, check in report.get("dependencies", {}).items()
        ]
        self.workers = [
            DependencyRow(
                name=name,
                status=str(w.get("status", "")) if isinstance(w, dict) else "down",
                latency="",
                detail=str(w.get("heartbeat", ""))[:120] if isinstance(w, dict) else str(w),
            )
            for name, w in report.get("workers", {}).items()
        ]
        self.queues = [QueueRow(name=q, depth=int(depths.get(q, 0))) for q in QUEUE_NAMES]
        now = datetime.now(UTC).strftime("%H:%M:%S")
        self.history = [
            *self.history[-(HISTORY - 1) :],
            {"t": now, "total": sum(depths.values())},
        ]
        self.slos = slo_rows(slo_report)
        self.failures = [FailureRow(**f) for f in failures]
        self.updated = now
        return True

    @rx.event
    async def on_load(self) -> Any:
        principal = await self.current_principal()
        if principal is None:
            return rx.redirect("/login")
        if not principal.can("operate"):
            self.error = "The ops page is for the ops and admin roles."
            return None
        self.history = []
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
        return None

    @rx.event
    def stop_live(self) -> None:
        self._live_generation += 1

    @rx.event(background=True)
    async def start_live(self) -> None:
        """Refresh health, queues and SLOs while the page is open."""
        await follow_live(self, self._load, poll_s=POLL_S, max_s=LIVE_MAX_S)

    @rx.event
    async def retry(self, meeting_id: str) -> None:
        principal = await self.principal_for("operate")
        if principal is None:
            return
        ip = self._client_ip()

        def work(session: Any) -> Any:
            _meeting, job = actions.retry(
                session, principal=principal, meeting_id=meeting_id, ip=ip
            )
            return job

        try:
            job = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return
        await enqueue(job)
        self.notice = "Retry queued."
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
