"""The SLO report: runbook shape, compliance from stage_runs and health probes, budgets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from prometheus_client import generate_latest
from sqlmodel import Session

from bridge_app.models import HealthProbe, Meeting, StageRun
from bridge_app.services import metrics, slo
from tests.factories import make_meeting, make_org

FUTURE = datetime(2031, 1, 1, tzinfo=UTC)  # a window no other test writes into


def _run(
    session: Session,
    meeting: Meeting,
    *,
    stage: str,
    slo_name: str | None,
    latency: float | None,
    outcome: str = "succeeded",
    at: datetime = FUTURE,
) -> None:
    session.add(
        StageRun(
            organization_id=meeting.organization_id,
            meeting_id=meeting.id,
            stage=stage,
            job_id=f"t:{uuid.uuid4()}",
            outcome=outcome,
            slo=slo_name,
            slo_latency_s=latency,
            started_at=at - timedelta(seconds=1),
            finished_at=at - timedelta(seconds=1),
        )
    )


def test_report_shape_and_numbers(session: Session) -> None:
    org = make_org(session, "Slo")
    meeting = make_meeting(session, org)
    for latency in (1.0, 2.0, 3.0, 29.0, 31.0):  # 4 of 5 within 30 s
        _run(session, meeting, stage="decision", slo_name="meetingProcessing", latency=latency)
    _run(session, meeting, stage="transcript", slo_name=None, latency=None, outcome="failed")
    for latency in (0.5, 11.9, 12.0, 12.5):  # 3 of 4 within 12 s (the bucket bound is inclusive)
        _run(session, meeting, stage="qa", slo_name="draftGeneration", latency=latency)
    _run(session, meeting, stage="export", slo_name="export", latency=0.2)
    for ok in (True,) * 9 + (False,):
        session.add(HealthProbe(ok=ok, checked_at=FUTURE - timedelta(minutes=5)))
    # Outside the window: ignored.
    _run(
        session,
        meeting,
        stage="export",
        slo_name="export",
        latency=99,
        at=FUTURE - timedelta(days=40),
    )
    session.flush()

    report = slo.slo_report(session, window_days=30, now=FUTURE)
    assert set(report["sloCompliance"]) == {
        "meetingProcessing",
        "draftGeneration",
        "export",
        "systemAvailability",
    }
    assert report["sloCompliance"]["meetingProcessing"] == round(4 / 6, 6)  # a failure misses
    assert report["sloCompliance"]["draftGeneration"] == 0.75
    assert report["sloCompliance"]["export"] == 1.0
    assert report["sloCompliance"]["systemAvailability"] == 0.9
    assert report["counts"]["meetingProcessing"] == {"total": 6, "withinTarget": 4}
    assert report["targets"]["draftGeneration"] == {"target": 0.95, "thresholdSeconds": 12.0}
    assert report["p95Seconds"]["draftGeneration"] > 12.0
    # 2 misses of 6 with a 5 % budget (0.3 misses allowed) is overspent.
    assert report["errorBudgetRemaining"]["meetingProcessing"] < 0
    assert report["errorBudgetRemaining"]["export"] == 1.0
    text = generate_latest().decode()
    assert 'slo_error_budget_remaining{slo="export"} 1.0' in text


def test_empty_window_is_fully_compliant(session: Session) -> None:
    report = slo.slo_report(session, window_days=1, now=FUTURE + timedelta(days=400))
    assert report["sloCompliance"] == {
        "meetingProcessing": 1.0,
        "draftGeneration": 1.0,
        "export": 1.0,
        "systemAvailability": 1.0,
    }
    assert report["counts"]["export"]["total"] == 0


def test_histograms_have_a_bucket_at_each_threshold() -> None:
    for histogram in (metrics.STAGE_DURATION, metrics.PIPELINE_LATENCY):
        bounds = set(histogram._upper_bounds)  # type: ignore[attr-defined]
        assert {30.0, 12.0, 5.0} <= bounds
