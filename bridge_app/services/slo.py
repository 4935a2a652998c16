"""The SLO report: compliance, p95, counts and error budget per SLO over a window.

Pipeline SLOs come from `stage_runs`: rows with `slo` set carry the end-to-end latency of the
span they completed; final failures (outcome `failed`) of the stages inside a span count as
misses. Availability is the share of recorded health probes that found every required
dependency up. The shape at the top is the runbook's: `{"sloCompliance": {...}}`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from bridge_app.services import metrics

DEFAULT_WINDOW_DAYS = 30
PIPELINE_SLOS = ("meetingProcessing", "draftGeneration", "export")
SLO_STAGES = {
    "meetingProcessing": ("transcript", "decision"),
    "draftGeneration": ("draft", "qa"),
    "export": ("export",),
}


def _budget(total: int, good: int, target: float) -> float:
    """Share of the error budget left: 1 untouched, 0 spent, negative overspent."""
    if total == 0:
        return 1.0
    allowed = (1.0 - target) * total
    misses = total - good
    if allowed <= 0:
        return 1.0 if misses == 0 else -float(misses)
    return round(1.0 - misses / allowed, 6)


def _pipeline(
    session: Session,
    slo: str,
    since: datetime,
    until: datetime,
    organization_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    threshold = metrics.SLO_THRESHOLDS[slo]
    # One organization's runs only, unless the whole system is asked for (the gauges).
    scope = "AND (CAST(:org AS uuid) IS NULL OR organization_id = CAST(:org AS uuid))"
    row = (
        session.execute(
            sa.text(
                """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE slo_latency_s <= :threshold) AS good,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY slo_latency_s) AS p95,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY slo_latency_s) AS p50
            FROM stage_runs
            WHERE slo = :slo AND slo_latency_s IS NOT NULL
              AND finished_at >= :since AND finished_at < :until
            """
                + scope
            ),
            {
                "threshold": threshold,
                "slo": slo,
                "since": since,
                "until": until,
                "org": str(organization_id) if organization_id else None,
            },
        )
        .mappings()
        .one()
    )
    failed = session.execute(
        sa.text(
            """
            SELECT count(*) FROM stage_runs
            WHERE outcome = 'failed' AND stage = ANY(:stages)
              AND finished_at >= :since AND finished_at < :until
            """
            + scope
        ),
        {
            "stages": list(SLO_STAGES[slo]),
            "since": since,
            "until": until,
            "org": str(organization_id) if organization_id else None,
        },
    ).scalar_one()
    total = int(row["total"]) + int(failed)
    good = int(row["good"])
    target = metrics.SLO_TARGET_FRACTION[slo]
    return {
        "compliance": round(good / total, 6) if total else 1.0,
        "thresholdSeconds": threshold,
        "target": target,
        "p95Seconds": None if row["p95"] is None else round(float(row["p95"]), 4),
        "p50Seconds": None if row["p50"] is None else round(float(row["p50"]), 4),
        "total": total,
        "withinTarget": good,
        "failed": int(failed),
        "errorBudgetRemaining": _budget(total, good, target),
    }


def _availability(session: Session, since: datetime, until: datetime) -> dict[str, Any]:
    row = (
        session.execute(
            sa.text(
                """
            SELECT count(*) AS total, count(*) FILTER (WHERE ok) AS good
            FROM health_probes WHERE checked_at >= :since AND checked_at < :until
            """
            ),
            {"since": since, "until": until},
        )
        .mappings()
        .one()
    )
    total, good = int(row["total"]), int(row["good"])
    target = metrics.AVAILABILITY_TARGET
    return {
        "compliance": round(good / total, 6) if total else 1.0,
        "target": target,
        "total": total,
        "withinTarget": good,
        "errorBudgetRemaining": _budget(total, good, target),
    }


def slo_report(
    session: Session,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    now: datetime | None = None,
    organization_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The runbook's `sloCompliance` plus targets, p95s, counts and budgets.

    With `organization_id` (what an organization's ops role sees) the pipeline SLOs count that
    organization's runs only; availability is the system's. Without it (the maintenance
    worker, for the Prometheus gauges) every run counts, and the gauges are updated."""
    if window_days < 1 or window_days > 366:
        raise ValueError("window_days must be between 1 and 366")
    until = now or datetime.now(UTC)
    since = until - timedelta(days=window_days)
    details: dict[str, dict[str, Any]] = {
        slo: _pipeline(session, slo, since, until, organization_id) for slo in PIPELINE_SLOS
    }
    details["systemAvailability"] = _availability(session, since, until)
    if organization_id is None:
        for name, detail in details.items():
            metrics.SLO_COMPLIANCE.labels(name).set(detail["compliance"])
            metrics.SLO_ERROR_BUDGET.labels(name).set(detail["errorBudgetRemaining"])
    return {
        "sloCompliance": {name: d["compliance"] for name, d in details.items()},
        "window": {"days": window_days, "from": since.isoformat(), "to": until.isoformat()},
        "targets": {
            name: {"target": d["target"], "thresholdSeconds": d.get("thresholdSeconds")}
            for name, d in details.items()
        },
        "p95Seconds": {slo: details[slo]["p95Seconds"] for slo in PIPELINE_SLOS},
        "counts": {
            name: {"total": d["total"], "withinTarget": d["withinTarget"]}
            for name, d in details.items()
        },
        "errorBudgetRemaining": {name: d["errorBudgetRemaining"] for name, d in details.items()},
        "details": details,
    }
