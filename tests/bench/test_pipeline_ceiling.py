"""The compute ceiling `bench pipeline` compares its burst with."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge_app.bench.pipeline import compute_ceiling


def test_ceiling_is_cores_times_a_minute_over_the_meetings_stage_time() -> None:
    p50 = {"transcript": 0.091, "decision": 0.175, "draft": 0.010, "qa": 0.009, "export": 9.0}
    # The numbers: 2 cores x 60 s / 0.285 s; export is not part of a meeting's path.
    assert compute_ceiling(p50, 2) == pytest.approx(421.05, abs=0.01)
    assert compute_ceiling(p50, 1) == pytest.approx(210.53, abs=0.01)


def test_no_stage_time_means_no_ceiling() -> None:
    assert compute_ceiling(dict.fromkeys(("transcript", "decision", "draft", "qa"), 0.0), 2) == 0


def test_workers_cpu_counts_a_process_and_its_children() -> None:
    """A worker whose pool child burns CPU: the child's seconds are the worker's."""
    import subprocess
    import sys
    import time

    from bridge_app.bench.pipeline import workers_cpu_s

    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass\n"
    worker = f"import subprocess, sys, time; subprocess.run([sys.executable, '-c', {burn!r}]); "
    parent = subprocess.Popen([sys.executable, "-c", worker + "time.sleep(5)"])
    try:
        deadline = time.monotonic() + 10
        while workers_cpu_s([parent]) < 0.5 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # the child has finished and been reaped: its time stays counted
        assert 0.5 <= workers_cpu_s([parent]) < 3.0
    finally:
        parent.kill()
        parent.wait()


@pytest.mark.parametrize("shared", [True, False], ids=["shared data", "synthetic"])
def test_the_one_hour_meeting_is_valid_webvtt(shared: bool, tmp_path: Path) -> None:
    from bridge_app.bench.pipeline import one_hour_vtt
    from bridge_app.core.transcript import parse_transcript

    # The synthetic meeting's cue times once rounded to "00:00:60.000", which ingest refuses.
    transcript = parse_transcript(
        one_hour_vtt(None if shared else tmp_path / "absent"), filename="bench.vtt"
    )
    assert len(transcript.segments) > 1000
    assert transcript.segments[-1].end >= 3000
