"""The UI's view-model shaping (no database, no browser): steps, times, anchors, item rows."""

from __future__ import annotations

import uuid
from datetime import date

from bridge_app.models import Decision
from bridge_app.services.queries import DecisionView
from bridge_app.state import data


def _states(status: str, failed: str | None = None, exported: bool = False) -> list[str]:
    return [s["state"] for s in data.stage_steps(status, failed, exported)]


def test_steps_follow_the_stage_table() -> None:
    steps = data.stage_steps("uploaded", None, False)
    assert [s["label"] for s in steps] == ["Transcript", "Decisions", "Draft", "QA", "Export"]
    assert [s["key"] for s in steps] == ["transcript", "decision", "draft", "qa", "export"]
    assert _states("uploaded") == ["pending"] * 5
    assert _states("extracting") == ["done", "active", "pending", "pending", "pending"]
    assert _states("drafted") == ["done", "done", "done", "pending", "pending"]
    assert _states("ready") == ["done"] * 4 + ["pending"]
    assert _states("ready", exported=True) == ["done"] * 5


def test_a_failed_stage_is_marked_and_the_ones_before_it_are_done() -> None:
    assert _states("failed", "draft") == ["done", "done", "failed", "pending", "pending"]
    assert _states("failed", "transcript") == ["failed"] + ["pending"] * 4


def test_times_and_anchors() -> None:
    assert data.fmt_ts(65.9) == "01:05"
    assert data.fmt_ts(3725) == "01:02:05"
    assert data.fmt_ts(-3) == "00:00"
    assert data.segment_anchor("cue 1/a") == "seg-cue-1-a"


def test_an_item_row_shows_the_review_values_evidence_and_flags() -> None:
    row = Decision(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        meeting_id=uuid.uuid4(),
        input_version=1,
        item_key="term-price-1",
        kind="agreed_term",
        content_ciphertext=b"",
        confidence=0.876,
        due=date(2026, 3, 1),
        superseded_by="m2/term-price-4",
        conflicts_with=["term-price-2"],
        review_status="edited",
    )
    view = DecisionView(
        row=row,
        statement="Fee is 12,000 USD.",
        original_statement="Fee is 10,000 USD.",
        evidence=[{"segment_id": "c7", "start": 75.0, "speaker": "Ana", "quote": "twelve"}],
        values={"price": {"amount": 12000.0, "currency": "USD"}, "payment_terms": "net 30"},
        original_values={},
    )
    item = data.item_view(view, {"c7": "01:15"})
    assert item["statement"] == "Fee is 12,000 USD."
    assert item["kind_label"] == "Agreed terms"
    assert item["confidence_pct"] == "88%"
    assert item["values_text"] == "price: USD 12,000.00; payment terms: net 30"
    assert "values_json" not in item  # reviewers edit typed fields, never JSON
    assert item["evidence"] == [
        {
            "key": "c7",
            "anchor": "seg-c7",
            "time": "01:15",
            "speaker": "Ana",
            "quote": "twelve",
            "start": 75.0,
        }
    ]
    assert item["due"] == "2026-03-01"
    assert item["superseded"] and item["conflicting"]
    assert item["flags"] == "superseded by m2/term-price-4; conflicts with term-price-2"
