"""The compute pool: work runs in other processes when a pool runs, in place otherwise."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bridge_app.core.extraction import extract_items
from bridge_app.core.transcript import parse_transcript
from bridge_app.demo import demo_transcript
from bridge_app.services import compute


@pytest.fixture()
def pool() -> Iterator[int]:
    size = compute.start(2)
    yield size
    compute.stop()


def test_without_a_pool_work_runs_in_this_process() -> None:
    assert compute.run(os.getpid) == os.getpid()


def test_a_pool_runs_the_extraction_elsewhere_with_the_same_result(pool: int) -> None:
    assert pool == 2
    assert compute.run(os.getpid) != os.getpid()
    segments = parse_transcript(demo_transcript(), filename="demo.vtt").segments
    inline = extract_items(segments, backend="rules")
    pooled = compute.run(extract_items, segments, backend="rules")
    assert pooled == inline and pooled


def test_zero_processes_means_no_pool() -> None:
    assert compute.start(0) == 0
    assert compute.run(os.getpid) == os.getpid()


def test_cpu_count_honours_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIDGE_CPU_WORKERS", "3")
    assert compute.cpu_count() == 3
    monkeypatch.delenv("BRIDGE_CPU_WORKERS")
    assert compute.cpu_count() >= 1
