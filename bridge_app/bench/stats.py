"""Percentiles for the benchmarks (nearest-rank on the sorted samples)."""

from __future__ import annotations


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at `fraction` (0–1) of the sorted list; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    position = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[position]


def summary(samples: list[float], digits: int = 4) -> dict[str, float]:
    """{"p50", "p95"} rounded."""
    return {
        "p50": round(percentile(samples, 0.5), digits),
        "p95": round(percentile(samples, 0.95), digits),
    }
