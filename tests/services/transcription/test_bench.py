"""`bench transcription` runs end to end on a few seconds of speech and reports its numbers."""

from __future__ import annotations

from bridge_app.bench.transcription import bench_transcription


def test_bench_transcription_reports_speed_and_memory() -> None:
    result = bench_transcription(runs=1, minutes=0.25)
    assert result["runs"] == 1
    assert 15 <= result["audio_s"] <= 40
    assert result["segments"] > 0
    assert 0 < result["realtime_factor"]["p95"] <= result["realtime_factor"]["p50"]
    assert result["one_hour_minutes"]["p95"] > 0
    assert 100 < result["peak_rss_mb"]["p95"] < 4000
