"""The compute ceiling `bench pipeline` compares its burst with."""

from __future__ import annotations

import pytest

from bridge_app.bench.pipeline import compute_ceiling


def test_ceiling_is_cores_times_a_minute_over_the_meetings_stage_time() -> None:
    p50 = {"transcript": 0.091, "decision": 0.175, "draft": 0.010, "qa": 0.009, "export": 9.0}
    # The numbers: 2 cores x 60 s / 0.285 s; export is not part of a meeting's path.
    assert compute_ceiling(p50, 2) == pytest.approx(421.05, abs=0.01)
    assert compute_ceiling(p50, 1) == pytest.approx(210.53, abs=0.01)


def test_no_stage_time_means_no_ceiling() -> None:
    assert compute_ceiling(dict.fromkeys(("transcript", "decision", "draft", "qa"), 0.0), 2) == 0
