"""Build the four Grafana dashboards (JSON) from the metrics the application exports.

    .venv/bin/python monitoring/grafana/build_dashboards.py   # rewrites dashboards/*.json

tests/k8s/test_monitoring.py checks the JSON files are what this script produces, and
tests/k8s/test_metric_names.py that every metric they query is registered by
bridge_app/services/metrics.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "dashboards"
DS = {"type": "prometheus", "uid": "${datasource}"}

# The scrape job of monitoring/prometheus.yml.
JOB = 'job="ai-meeting-bridge"'


def _panel(
    title: str, exprs: list[tuple[str, str]], *, unit: str = "short", kind: str = "timeseries"
) -> dict[str, Any]:
    return {
        "type": kind,
        "title": title,
        "datasource": DS,
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}}
        if kind == "timeseries"
        else {"reduceOptions": {"calcs": ["lastNotNull"]}},
        "targets": [
            {"refId": chr(ord("A") + i), "expr": expr, "legendFormat": legend, "datasource": DS}
            for i, (expr, legend) in enumerate(exprs)
        ],
    }


def _dashboard(uid: str, title: str, panels: list[dict[str, Any]]) -> dict[str, Any]:
    laid_out = []
    for i, panel in enumerate(panels):
        width = 8 if panel["type"] == "stat" else 12
        per_row = 24 // width
        panel = {
            "id": i + 1,
            "gridPos": {"h": 8, "w": width, "x": (i % per_row) * width, "y": (i // per_row) * 8},
            **panel,
        }
        laid_out.append(panel)
    return {
        "uid": uid,
        "title": title,
        "tags": ["bridge"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Prometheus",
                }
            ]
        },
        "panels": laid_out,
    }


ERR = 'sum(rate(http_requests_total{status=~"5.."}[5m]))'
ALL = "sum(rate(http_requests_total[5m]))"


def system_overview() -> dict[str, Any]:
    """Traffic, errors, queues, workers and dependencies at a glance."""
    return _dashboard(
        "bridge-system-overview",
        "Bridge · System Overview",
        [
            _panel("Requests / s", [(ALL, "requests/s")], unit="reqps", kind="stat"),
            _panel(
                "5xx ratio",
                [(f"{ERR} / clamp_min({ALL}, 1e-9)", "5xx")],
                unit="percentunit",
                kind="stat",
            ),
            _panel("Outbox pending", [("max(bridge_outbox_pending)", "pending")], kind="stat"),
            _panel("Queue depth (ZCARD)", [("max by (queue) (nats_queue_depth)", "{{queue}}")]),
            _panel("Live workers per queue", [("sum by (queue) (bridge_worker_up)", "{{queue}}")]),
            _panel(
                "Dependencies up",
                [("min by (dependency) (bridge_dependency_up)", "{{dependency}}")],
            ),
            _panel("Database connections", [("sum by (state) (db_connections)", "{{state}}")]),
            _panel("Scrape targets up", [(f"sum by (component) (up{{{JOB}}})", "{{component}}")]),
            _panel(
                "Events published to NATS / s",
                [("sum(rate(bridge_outbox_published_total[5m]))", "published")],
            ),
        ],
    )


def performance() -> dict[str, Any]:
    """Latency of the API, of each stage and end to end per SLO; process resources."""
    q = "histogram_quantile({p}, sum by (le{by}) (rate({m}_bucket[5m])))"
    return _dashboard(
        "bridge-performance",
        "Bridge · Performance Metrics",
        [
            _panel(
                "API latency",
                [
                    (q.format(p=0.5, by="", m="http_request_duration_seconds"), "p50"),
                    (q.format(p=0.95, by="", m="http_request_duration_seconds"), "p95"),
                    (q.format(p=0.99, by="", m="http_request_duration_seconds"), "p99"),
                ],
                unit="s",
            ),
            _panel(
                "API p95 by route",
                [(q.format(p=0.95, by=", route", m="http_request_duration_seconds"), "{{route}}")],
                unit="s",
            ),
            _panel(
                "Stage duration p95",
                [(q.format(p=0.95, by=", stage", m="bridge_stage_duration_seconds"), "{{stage}}")],
                unit="s",
            ),
            _panel(
                "End-to-end p95 per SLO",
                [(q.format(p=0.95, by=", slo", m="bridge_slo_latency_seconds"), "{{slo}}")],
                unit="s",
            ),
            _panel(
                "Stage runs / s by outcome",
                [
                    (
                        "sum by (stage, outcome) (rate(bridge_stage_runs_total[5m]))",
                        "{{stage}} {{outcome}}",
                    )
                ],
                unit="ops",
            ),
            _panel(
                "Requests / s by route",
                [("sum by (route) (rate(http_requests_total[5m]))", "{{route}}")],
                unit="reqps",
            ),
            _panel(
                "CPU per component",
                [
                    (
                        f"sum by (component) (rate(process_cpu_seconds_total{{{JOB}}}[5m]))",
                        "{{component}}",
                    )
                ],
                unit="percentunit",
            ),
            _panel(
                "Resident memory per pod",
                [(f"max by (pod) (process_resident_memory_bytes{{{JOB}}})", "{{pod}}")],
                unit="bytes",
            ),
        ],
    )


def slo_tracking() -> dict[str, Any]:
    """Compliance, error budget and burn rates (the alerts' recording rules)."""
    return _dashboard(
        "bridge-slo",
        "Bridge · SLO Tracking",
        [
            _panel(
                "Compliance (fraction within target)",
                [("min by (slo) (bridge_slo_compliance)", "{{slo}}")],
                unit="percentunit",
                kind="stat",
            ),
            _panel(
                "Error budget remaining",
                [("min by (slo) (slo_error_budget_remaining)", "{{slo}}")],
                unit="percentunit",
                kind="stat",
            ),
            _panel(
                "Availability (30 d)",
                [
                    (
                        '1 - (sum(increase(http_requests_total{status=~"5.."}[30d]))'
                        " / clamp_min(sum(increase(http_requests_total[30d])), 1))",
                        "availability",
                    )
                ],
                unit="percentunit",
                kind="stat",
            ),
            _panel(
                "Availability burn rate (x budget)",
                [
                    ("bridge:http_error_ratio:rate5m / 0.0005", "5m"),
                    ("bridge:http_error_ratio:rate1h / 0.0005", "1h"),
                    ("bridge:http_error_ratio:rate6h / 0.0005", "6h"),
                ],
            ),
            _panel(
                "Latency SLO burn rate (x budget)",
                [
                    ("bridge:slo_slow_ratio:rate1h / 0.05", "{{slo}} 1h"),
                    ("bridge:slo_slow_ratio:rate6h / 0.05", "{{slo}} 6h"),
                ],
            ),
            _panel(
                "Error budget over time",
                [("min by (slo) (slo_error_budget_remaining)", "{{slo}}")],
                unit="percentunit",
            ),
        ],
    )


def error_monitoring() -> dict[str, Any]:
    """Where errors come from: routes, status codes, failing stages, firing alerts."""
    return _dashboard(
        "bridge-errors",
        "Bridge · Error Monitoring",
        [
            _panel(
                "5xx / s by route",
                [('sum by (route) (rate(http_requests_total{status=~"5.."}[5m]))', "{{route}}")],
                unit="reqps",
            ),
            _panel(
                "4xx / s by route",
                [('sum by (route) (rate(http_requests_total{status=~"4.."}[5m]))', "{{route}}")],
                unit="reqps",
            ),
            _panel(
                "Responses / s by status",
                [("sum by (status) (rate(http_requests_total[5m]))", "{{status}}")],
                unit="reqps",
            ),
            _panel(
                "Failed or retried stage runs / s",
                [
                    (
                        "sum by (stage, outcome) "
                        '(rate(bridge_stage_runs_total{outcome=~"failed|retrying"}[5m]))',
                        "{{stage}} {{outcome}}",
                    )
                ],
                unit="ops",
            ),
            _panel(
                "Dependencies down",
                [("count by (dependency) (bridge_dependency_up == 0)", "{{dependency}}")],
            ),
            _panel(
                "Firing alerts",
                [('sum by (alertname) (ALERTS{alertstate="firing"})', "{{alertname}}")],
            ),
        ],
    )


DASHBOARDS = {
    "system-overview.json": system_overview,
    "performance-metrics.json": performance,
    "slo-tracking.json": slo_tracking,
    "error-monitoring.json": error_monitoring,
}


def render() -> dict[str, str]:
    """File name → JSON text."""
    return {name: json.dumps(build(), indent=2) + "\n" for name, build in DASHBOARDS.items()}


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text)
        print(f"wrote {OUT / name}")
