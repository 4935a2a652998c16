"""CPU-bound stage work in a pool of processes, so one stage worker can use every core.

A stage body runs in a thread of the worker's event loop; pure-Python work there holds the GIL,
so however many jobs a worker runs at once they share one core. A worker that calls `start()`
sends such work (the rules extraction) to `size()` spawned processes; without a pool (tests,
the command line, the UI) `run` calls the function in place. The functions must be picklable
and pure (core), and so must their arguments and results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

ResultT = TypeVar("ResultT")

_pool: ProcessPoolExecutor | None = None


def cpu_count() -> int:
    """Cores this process may use (`BRIDGE_CPU_WORKERS` overrides, e.g. for a CPU limit)."""
    configured = os.environ.get("BRIDGE_CPU_WORKERS", "").strip()
    if configured:
        return max(0, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _warm() -> None:
    """Import the extraction code in each pool process before its first job."""
    import bridge_app.core.extraction  # noqa: F401


def start(processes: int | None = None) -> int:
    """Start the pool (idempotent); 0 processes means no pool. Returns the pool size."""
    global _pool
    size = cpu_count() if processes is None else processes
    if _pool is None and size > 0:
        # spawn, not fork: the worker process has threads and an event loop.
        _pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm,
        )
        for future in [_pool.submit(os.getpid) for _ in range(size)]:
            future.result()
    return size if _pool is not None else 0


def stop() -> None:
    """Shut the pool down (running work finishes first)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def run(fn: Callable[..., ResultT], /, *args: Any, **kwargs: Any) -> ResultT:
    """`fn(*args, **kwargs)` in a pool process when a pool runs, else right here."""
    if _pool is None:
        return fn(*args, **kwargs)
    return _pool.submit(fn, *args, **kwargs).result()
