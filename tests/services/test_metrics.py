"""Every metric a dashboard, an alert, an HPA or the adapter uses is WRITTEN by running code
(not only registered): some module of the application sets, increments or observes it.

tests/k8s/test_metric_names.py checks the names exist; this checks each one has a writer, so
an alert like OutboxBacklog cannot silently watch a gauge nothing ever sets. The maintenance
tests (tests/jobs/test_maintenance.py) then run the writers of the cron-fed gauges.
"""

from __future__ import annotations

import ast
from pathlib import Path

from prometheus_client.metrics import MetricWrapperBase

from bridge_app.services import metrics
from bridge_app.settings import REPO_ROOT
from tests.k8s._manifests import alert_rules
from tests.k8s.test_metric_names import metric_names, referenced

WRITES = {"set", "inc", "dec", "observe", "set_function"}
SUFFIXES = ("_total", "_bucket", "_count", "_sum", "_created")


def _metric_objects() -> dict[str, str]:
    """Exposed base name → the attribute of bridge_app.services.metrics that defines it."""
    return {
        obj._name: attr for attr, obj in vars(metrics).items() if isinstance(obj, MetricWrapperBase)
    }


def _base(name: str, known: dict[str, str]) -> str | None:
    if name in known:
        return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)] in known:
            return name[: -len(suffix)]
    return None


def _written_attributes() -> set[str]:
    """Attributes of `metrics` that code outside metrics.py writes: `metrics.X.set(…)`,
    `metrics.X.labels(…).inc()`, …"""
    written: set[str] = set()
    files = [*(REPO_ROOT / "bridge_app").rglob("*.py"), *(REPO_ROOT / "jobs").rglob("*.py")]
    for path in files:
        if path.name == "metrics.py":
            continue
        for node in ast.walk(ast.parse(Path(path).read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in WRITES:
                continue
            target = node.func.value
            if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
                target = target.func.value if target.func.attr == "labels" else target
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "metrics"
            ):
                written.add(target.attr)
    return written


def _monitored_bases() -> dict[str, set[str]]:
    known = _metric_objects()
    rules = {r["record"]: r["expr"] for r in alert_rules() if "record" in r}
    uses: dict[str, set[str]] = {}
    for name, where in referenced().items():
        # A recording rule stands for the metrics its expression reads.
        for used in metric_names(rules[name]) if name in rules else {name}:
            base = _base(used, known)
            if base is not None:
                uses.setdefault(base, set()).update(where)
    return uses


def test_the_scan_finds_writers() -> None:
    written = _written_attributes()
    assert {"STAGE_RUNS", "QUEUE_DEPTH", "OUTBOX_PENDING", "HTTP_REQUESTS"} <= written


def test_every_monitored_metric_is_written_by_running_code() -> None:
    known = _metric_objects()
    uses = _monitored_bases()
    assert "bridge_outbox_pending" in uses and "nats_queue_depth" in uses
    written = _written_attributes()
    unwritten = {base: sorted(where) for base, where in uses.items() if known[base] not in written}
    assert not unwritten, f"monitored but never written: {unwritten}"
