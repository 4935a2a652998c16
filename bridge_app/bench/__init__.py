"""Benchmarks reported by `make bench` (pure measurements, no services needed)."""
