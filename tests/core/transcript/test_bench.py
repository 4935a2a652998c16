"""The parsing benchmark runs and reports p50/p95 for every format."""

from __future__ import annotations

from bridge_app.bench.parsing import BENCH_CASES, bench_parsing


def test_bench_parsing_reports_every_format():
    results = bench_parsing(runs=3)
    assert set(results) == {name for name, _, _ in BENCH_CASES}
    for row in results.values():
        assert row["runs"] == 3
        assert row["segments"] == 1000
        assert 0 < row["p50_ms"] <= row["p95_ms"]
