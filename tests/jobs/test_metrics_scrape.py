"""Every metric a dashboard, alert or HPA uses is served by a running process's /metrics:
the six workers (scraped over HTTP) and the API (scraped through its ASGI app)."""

from __future__ import annotations

import urllib.request

import pytest
from fastapi.testclient import TestClient

from bridge_app.core.stages import STAGES
from tests.jobs.conftest import Workers, submit, wait_for, wait_status, worker_port
from tests.k8s.test_metric_names import SYNTHETIC, recorded_names, referenced

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("redis_clean")]

SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
}


def names_in(exposition: str) -> set[str]:
    """Sample names an exposition offers, from its TYPE lines and its samples."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, family, kind = line.split(" ", 3)
            if kind == "counter":  # TYPE lines of counters carry the _total already
                family = family.removesuffix("_total")
            names |= {family + s for s in SUFFIXES.get(kind, ("",))}
        elif line and not line.startswith("#"):
            names.add(line.split("{", 1)[0].split(" ", 1)[0])
    return names


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=3) as response:
        return response.read().decode()


def test_every_referenced_metric_is_served_by_a_running_process(workers: Workers, org) -> None:
    workers.start_all()
    ports = [worker_port(i) for i in range(6)]
    wait_for(lambda: all(_try(p) for p in ports), 20, "every worker's /metrics")
    wait_status(submit(org), "ready", timeout=30)
    served: set[str] = set()
    for port in ports:
        served |= names_in(_scrape(port))
    from bridge_app.api.main import api

    with TestClient(api) as client:
        response = client.get("/metrics")
        assert response.status_code == 200
        served |= names_in(response.text)
    uses = referenced()
    missing = {
        name: sorted(where)
        for name, where in uses.items()
        if name not in served | recorded_names() | SYNTHETIC
    }
    assert not missing, f"used by monitoring but served by no process: {missing}"


def _try(port: int) -> bool:
    try:
        _scrape(port)
        return True
    except OSError:
        return False


def test_each_stage_worker_exports_its_queue_depth_for_the_hpa(workers: Workers) -> None:
    """The HPAs select nats_queue_depth{queue=<the stage's queue>}: a sample must exist."""
    workers.start_all(names=tuple(STAGES))
    offset = int(workers.env["BRIDGE_WORKER_PORT_OFFSET"])
    for stage, target in STAGES.items():
        port = target.port + offset
        sample = f'nats_queue_depth{{queue="{target.queue}"}}'
        wait_for(lambda p=port, s=sample: _try(p) and s in _scrape(p), 20, f"{stage}: {sample}")
