"""Prometheus rules and config pass promtool; the dashboards are the generated ones."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import yaml

from tests.k8s._manifests import DASHBOARDS, MONITORING, alert_rules, dashboards
from tests.ops._tools import ensure_promtool


def _run(*args: str, cwd: Path = MONITORING) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, check=False)


def test_alert_rules_pass_promtool_check() -> None:
    proc = _run(ensure_promtool(), "check", "rules", "alerts.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_alert_rules_unit_tests_pass() -> None:
    proc = _run(ensure_promtool(), "test", "rules", "tests/alerts_test.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_prometheus_config_passes_promtool(tmp_path: Path) -> None:
    promtool = ensure_promtool()
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    job = config["scrape_configs"][0]
    assert job["kubernetes_sd_configs"][0]["namespaces"]["names"] == ["production"]
    # Debian's promtool is built without Kubernetes service discovery: check everything else
    # (relabelling, rule files) with the discovery swapped for a static target.
    del job["kubernetes_sd_configs"]
    job["static_configs"] = [{"targets": ["127.0.0.1:3001"]}]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "alerts.yml").write_text((MONITORING / "alerts.yml").read_text())
    proc = _run(promtool, "check", "config", "prometheus.yml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_runbook_alerts_exist_with_burn_rate_windows() -> None:
    alerts = {r["alert"]: r for r in alert_rules() if "alert" in r}
    assert {"HighErrorRate", "SLOViolation", "ErrorBudgetBurnFast", "ErrorBudgetBurnSlow"} <= set(
        alerts
    )
    fast, slow = alerts["ErrorBudgetBurnFast"]["expr"], alerts["ErrorBudgetBurnSlow"]["expr"]
    assert "rate1h > (14.4" in fast and "rate5m > (14.4" in fast
    assert "rate6h > (6" in slow and "rate30m > (6" in slow
    for rule in alerts.values():
        assert rule["labels"]["severity"] in ("critical", "warning")
        assert rule["annotations"]["runbook"].startswith("docs/RUNBOOK.md#")


def test_runbook_anchors_exist() -> None:
    runbook = (MONITORING.parent / "docs" / "RUNBOOK.md").read_text().lower()
    for rule in alert_rules():
        if "alert" in rule:
            anchor = rule["annotations"]["runbook"].split("#", 1)[1]
            heading = anchor.replace("-", " ")
            assert f"## {heading}" in runbook or f"### {heading}" in runbook, anchor


def test_four_dashboards_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_dashboards", MONITORING / "grafana" / "build_dashboards.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.render()
    assert set(rendered) == {p.name for p in DASHBOARDS.glob("*.json")}
    for name, text in rendered.items():
        assert (DASHBOARDS / name).read_text() == text, f"run build_dashboards.py ({name})"
    titles = {d["title"] for d in dashboards().values()}
    assert titles == {
        "Bridge · System Overview",
        "Bridge · Performance Metrics",
        "Bridge · SLO Tracking",
        "Bridge · Error Monitoring",
    }
    for dashboard in dashboards().values():
        assert dashboard["panels"] and all(p["targets"] for p in dashboard["panels"])
