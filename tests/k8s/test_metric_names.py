"""Every metric a dashboard, an alert, an HPA or the adapter uses is one the application exports.

Names are checked against prometheus_client's registry after importing
bridge_app.services.metrics (the module every process imports), with the suffixes the
exposition adds (_total, _bucket, _count, _sum, _created). A later test scrapes the real
/metrics endpoints of the API and the workers as well.
"""

from __future__ import annotations

import re

import pytest
import yaml
from prometheus_client import REGISTRY

import bridge_app.services.metrics  # noqa: F401  (registers the application's metrics)
from tests.k8s._manifests import MONITORING, alert_rules, by_kind, dashboard_exprs, dashboards

# Series Prometheus itself makes, not the application.
SYNTHETIC = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds"}

KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
    "offset", "bool", "inf", "nan", "atan2",
}  # fmt: skip


def exported_names() -> set[str]:
    """Sample names the default registry exposes, whether or not a sample exists yet."""
    names: set[str] = set()
    for family in REGISTRY.collect():
        base = family.name
        if family.type == "counter":
            names |= {f"{base}_total", f"{base}_created"}
        elif family.type == "histogram":
            names |= {f"{base}_bucket", f"{base}_count", f"{base}_sum", f"{base}_created"}
        elif family.type == "summary":
            names |= {base, f"{base}_count", f"{base}_sum", f"{base}_created"}
        else:
            names.add(base)
        names |= {s.name for s in family.samples}
    return names


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression (labels, functions, keywords, durations removed)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)  # range selectors / durations
    text = re.sub(
        r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text
    )  # grouping label lists
    text = re.sub(r"(?<![A-Za-z0-9_:.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", " ", text)  # numbers
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        name = match.group(0)
        following = text[match.end() :].lstrip()
        if following.startswith("(") or name.lower() in KEYWORDS:
            continue  # a function or an operator
        if re.fullmatch(r"\d+(?:ms|s|m|h|d|w|y)", name) or name.startswith("$"):
            continue
        names.add(name)
    return names


def recorded_names() -> set[str]:
    return {rule["record"] for rule in alert_rules() if "record" in rule}


def referenced() -> dict[str, set[str]]:
    """Where each metric is used: 'alerts.yml', a dashboard file, 'hpa/<name>', 'adapter'."""
    uses: dict[str, set[str]] = {}

    def add(where: str, names: set[str]) -> None:
        for name in names:
            uses.setdefault(name, set()).add(where)

    for rule in alert_rules():
        add("alerts.yml", metric_names(rule["expr"]))
    for file, dashboard in dashboards().items():
        for expr in dashboard_exprs(dashboard):
            add(file, metric_names(expr))
    for name, hpa in by_kind("HorizontalPodAutoscaler").items():
        for metric in hpa["spec"]["metrics"]:
            if metric["type"] in ("External", "Pods", "Object"):
                add(f"hpa/{name}", {metric[metric["type"].lower()]["metric"]["name"]})
    adapter = yaml.safe_load((MONITORING / "prometheus-adapter.yaml").read_text())
    for rule in adapter["externalRules"]:
        add("adapter", metric_names(rule["seriesQuery"]))
    return uses


def test_parser_finds_metric_names() -> None:
    expr = (
        "histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket"
        '{route=~"/v1.*"}[5m]))) / on (slo) group_left bridge:x:rate5m > bool 2.5e-3'
    )
    assert metric_names(expr) == {"http_request_duration_seconds_bucket", "bridge:x:rate5m"}
    # A name the application does not export is caught.
    assert "meeting_queue_length" not in exported_names()
    assert "nats_queue_depth" in exported_names()


def test_every_referenced_metric_is_exported() -> None:
    uses = referenced()
    assert "nats_queue_depth" in uses and "http_requests_total" in uses
    known = exported_names() | recorded_names() | SYNTHETIC
    missing = {name: sorted(where) for name, where in uses.items() if name not in known}
    assert not missing, f"metrics used but not exported by the application: {missing}"


@pytest.mark.parametrize("name", sorted(recorded_names()))
def test_recording_rules_only_build_on_exported_metrics(name: str) -> None:
    rule = next(r for r in alert_rules() if r.get("record") == name)
    assert metric_names(rule["expr"]) <= exported_names()


def test_slo_thresholds_have_a_bucket_the_rules_use() -> None:
    from bridge_app.services.metrics import SLO_THRESHOLDS

    exprs = " ".join(r["expr"] for r in alert_rules())
    for slo, seconds in SLO_THRESHOLDS.items():
        # prometheus_client renders the bucket bound as a float: le="30.0".
        assert f'slo="{slo}", le="{float(seconds)}"' in exprs
