"""The Kubernetes manifests: schema-valid offline, and saying what the runbook says."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.k8s._manifests import K8S, K8S_VERSION, all_resources, by_kind, documents, manifest_files

WORKERS = {
    "transcript-worker": ("meeting.ingest", 8000),
    "decision-worker": ("decisions.extract", 8001),
    "draft-worker": ("draft.make", 8002),
    "qa-worker": ("qa.check", 8003),
    "export-worker": ("export.render", 8004),
}
ARQ_JOB_COMPLETION_WAIT = 25


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_manifest_validates_against_the_kubernetes_schema(path: Path) -> None:
    for doc in documents(path):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_validator_really_rejects_a_bad_manifest() -> None:
    bad = by_kind("Deployment")["ai-meeting-bridge-api"]
    bad = yaml.safe_load(yaml.safe_dump(bad))
    bad["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)
    bad["spec"]["replicas"] = 3
    bad["spec"]["template"]["spec"]["containers"][0]["livenessProb"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_everything_is_in_namespace_production() -> None:
    for path, doc in all_resources():
        if doc["kind"] == "Namespace":
            assert doc["metadata"]["name"] == "production"
        else:
            assert doc["metadata"].get("namespace") == "production", f"{path.name} {doc['kind']}"


def test_kustomization_lists_every_manifest_but_the_secret_template_and_job() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    expected = {p.name for p in manifest_files()} - {"secret.template.yaml", "migrate-job.yaml"}
    assert set(kustomization["resources"]) == expected
    kubectl = shutil.which("kubectl")
    if kubectl:
        out = subprocess.run(
            [kubectl, "kustomize", str(K8S)], capture_output=True, text=True, check=True
        ).stdout
        rendered = [d for d in yaml.safe_load_all(out) if d]
        for doc in rendered:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        assert not [d for d in rendered if d["kind"] == "Secret"]


def test_secret_template_holds_no_values() -> None:
    for doc in documents(K8S / "secret.template.yaml"):
        for key, value in doc["stringData"].items():
            assert value == "" or "<password>" in value, f"{key} looks like a real value"


def test_api_deployment_as_in_the_runbook() -> None:
    api = by_kind("Deployment")["ai-meeting-bridge-api"]
    assert api["spec"]["replicas"] == 3
    pod = api["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["ports"][0]["containerPort"] == 3001
    for probe in ("livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["path"] == "/health"
        assert container[probe]["httpGet"]["port"] in ("http", 3001)
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert pod["initContainers"][0]["command"][:3] == ["python", "-m", "bridge_app.ops.schema"]
    annotations = api["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == "3001"


def test_api_hpa_cpu_70_between_3_and_10() -> None:
    hpa = by_kind("HorizontalPodAutoscaler")["api-hpa"]
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 10)
    metric = hpa["spec"]["metrics"][0]["resource"]
    assert metric["name"] == "cpu" and metric["target"]["averageUtilization"] == 70


@pytest.mark.parametrize("worker", sorted(WORKERS))
def test_worker_deployment_hpa_and_shutdown(worker: str) -> None:
    queue, port = WORKERS[worker]
    deployment = by_kind("Deployment")[worker]
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["image"].endswith(f"/ai-meeting-bridge-{worker}:latest")
    assert container["ports"][0]["containerPort"] == port
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert deployment["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] == str(
        port
    )
    # arq waits job_completion_wait for running jobs after SIGTERM; Kubernetes must wait longer.
    assert pod["terminationGracePeriodSeconds"] > ARQ_JOB_COMPLETION_WAIT

    hpa = by_kind("HorizontalPodAutoscaler")[f"{worker}-hpa"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == worker
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 8)
    external = hpa["spec"]["metrics"][0]["external"]
    assert external["metric"]["name"] == "nats_queue_depth"
    assert external["metric"]["selector"]["matchLabels"] == {"queue": queue}
    assert external["target"] == {"type": "AverageValue", "averageValue": "50"}
    assert f"{worker}-pdb" in by_kind("PodDisruptionBudget")


def test_worker_queues_match_the_pipeline() -> None:
    stages = pytest.importorskip("bridge_app.core.stages")
    expected = {spec.queue: spec.port for spec in stages.STAGE_TABLE}
    assert {q: p for q, p in WORKERS.values()} == expected
    deployment = by_kind("Deployment")["maintenance-worker"]
    port = deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"]
    assert port == stages.MAINTENANCE_PORT


def test_every_pod_is_restricted_and_has_resources() -> None:
    for _, doc in all_resources():
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        for container in pod.get("initContainers", []) + pod["containers"]:
            sc = container["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False
            assert sc["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["limits"]["memory"]


def test_migration_job_runs_alembic_upgrade_head() -> None:
    job = by_kind("Job")["ai-meeting-bridge-migrate"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["alembic", "upgrade", "head"]


def test_ingress_has_tls_for_every_host() -> None:
    ingress = by_kind("Ingress")["ai-meeting-bridge"]
    tls_hosts = {h for t in ingress["spec"]["tls"] for h in t["hosts"]}
    assert {r["host"] for r in ingress["spec"]["rules"]} <= tls_hosts


def test_services_point_at_existing_pods() -> None:
    deployments = by_kind("Deployment")
    pod_labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments.values()]
    for name, svc in by_kind("Service").items():
        selector = svc["spec"]["selector"]
        assert any(selector.items() <= labels.items() for labels in pod_labels), name
    for name, pdb in by_kind("PodDisruptionBudget").items():
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert any(selector.items() <= labels.items() for labels in pod_labels), name


def test_network_policies_admit_ingress_and_prometheus() -> None:
    policies = by_kind("NetworkPolicy")
    assert policies["default-deny-ingress"]["spec"]["podSelector"] == {}
    ports = {
        p["port"]
        for p in policies["ai-meeting-bridge-from-prometheus"]["spec"]["ingress"][0]["ports"]
    }
    assert {3001, 8000} <= ports
