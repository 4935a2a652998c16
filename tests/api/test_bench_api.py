"""The API load test, short: real server process, loopback only, zero errors."""

from __future__ import annotations

import asyncio

from bridge_app.bench.api_load import bench_api


def test_bench_api_short_run(migrated: str) -> None:
    result = asyncio.run(bench_api(duration_s=3, clients=20, meetings=40, think_s=0.2))
    assert result["errors"] == 0, result["error_kinds"]
    assert result["requests"] > 50
    assert result["endpoints"]["list"]["requests"] and result["endpoints"]["detail"]["requests"]
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
