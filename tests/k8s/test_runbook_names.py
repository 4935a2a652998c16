"""Every name the runbook uses exists in the manifests, templates and build, as written.

Two directions: the names the runbook must use (the operators' commands: namespace,
Deployments, Services, HPAs, images, secrets, database, bucket, NATS users) are checked against
the files; and every `deploy/…`, `job/…`, `get hpa …`, `-l label=value`, secret and
`service:port` that docs/RUNBOOK.md mentions is looked up in the manifests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.k8s._manifests import K8S, MONITORING, REPO, all_resources, by_kind, documents

RUNBOOK = (REPO / "docs" / "RUNBOOK.md").read_text()
STAGE_WORKERS = {
    "transcript-worker": ("meeting.ingest", 8000),
    "decision-worker": ("decisions.extract", 8001),
    "draft-worker": ("draft.make", 8002),
    "qa-worker": ("qa.check", 8003),
    "export-worker": ("export.render", 8004),
}
IMAGES = {
    "ai-meeting-bridge-api",
    "ai-meeting-bridge-web",
    *(f"ai-meeting-bridge-{w}" for w in STAGE_WORKERS),
    "ai-meeting-bridge-maintenance-worker",
}
# The smallest resources the runbook gives the API; the manifests may give more, never less.
API_REQUESTS_FLOOR = {"cpu": 0.5, "memory": 512}
API_LIMITS_FLOOR = {"cpu": 1.0, "memory": 1024}


def _cpu(value: str | int | float) -> float:
    text = str(value)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def _mebibytes(value: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    for suffix, factor in units.items():
        if value.endswith(suffix):
            return float(value[: -len(suffix)]) * factor
    return float(value) / 2**20


def _container(deployment: str) -> dict:
    return by_kind("Deployment")[deployment]["spec"]["template"]["spec"]["containers"][0]


def test_api_deployment_service_and_hpa_have_the_runbook_names() -> None:
    api = by_kind("Deployment")["ai-meeting-bridge-api"]
    assert api["metadata"]["namespace"] == "production"
    assert api["spec"]["replicas"] == 3
    container = _container("ai-meeting-bridge-api")
    assert container["ports"][0]["containerPort"] == 3001
    for probe in ("livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["path"] == "/health"
    requests, limits = container["resources"]["requests"], container["resources"]["limits"]
    assert _cpu(requests["cpu"]) >= API_REQUESTS_FLOOR["cpu"]
    assert _mebibytes(requests["memory"]) >= API_REQUESTS_FLOOR["memory"]
    assert _cpu(limits["cpu"]) >= API_LIMITS_FLOOR["cpu"]
    assert _mebibytes(limits["memory"]) >= API_LIMITS_FLOOR["memory"]

    service = by_kind("Service")["api-service"]
    assert [p["port"] for p in service["spec"]["ports"]] == [3001]
    hpa = by_kind("HorizontalPodAutoscaler")["api-hpa"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == "ai-meeting-bridge-api"
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 10)
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 70


@pytest.mark.parametrize("worker", sorted(STAGE_WORKERS))
def test_worker_deployment_service_and_hpa_have_the_runbook_names(worker: str) -> None:
    queue, port = STAGE_WORKERS[worker]
    container = _container(worker)
    assert container["ports"][0]["containerPort"] == port
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    annotations = by_kind("Deployment")[worker]["spec"]["template"]["metadata"]["annotations"]
    assert (annotations["prometheus.io/port"], annotations["prometheus.io/path"]) == (
        str(port),
        "/metrics",
    )
    service = by_kind("Service")[worker]
    assert [p["port"] for p in service["spec"]["ports"]] == [port]
    hpa = by_kind("HorizontalPodAutoscaler")[f"{worker}-hpa"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == worker
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 8)
    external = hpa["spec"]["metrics"][0]["external"]
    assert external["metric"] == {
        "name": "nats_queue_depth",
        "selector": {"matchLabels": {"queue": queue}},
    }
    assert external["target"] == {"type": "AverageValue", "averageValue": "50"}
    assert f'nats_queue_depth{{queue="{queue}"}}' in RUNBOOK or worker != "transcript-worker"


def test_images_are_the_runbook_images_everywhere() -> None:
    used = {
        c["image"].split("/")[-1].split(":")[0]
        for _, doc in all_resources()
        if doc["kind"] in ("Deployment", "Job")
        for c in doc["spec"]["template"]["spec"]["containers"]
    }
    assert used == IMAGES
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert {i["name"].split("/")[-1] for i in kustomization["images"]} == IMAGES
    makefile = (REPO / "Makefile").read_text()
    assert "$(REGISTRY)/ai-meeting-bridge-$$t:$(TAG)" in makefile
    targets = re.search(r"^IMAGES := (.+)$", makefile, re.M)
    assert targets and {f"ai-meeting-bridge-{t}" for t in targets.group(1).split()} == IMAGES


def test_make_docker_build_tags_the_runbook_images() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run(
        [
            make,
            "-n",
            "--no-print-directory",
            "docker-build",
            "REGISTRY=registry.example.com",
            "TAG=1.4.0",
        ],
        cwd=REPO,
        # Under `make test` this runs as a sub-make, which would otherwise
        # print "Entering directory" lines into the recipe text.
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # make -n prints the loop; expand it the way the shell would.
    loop = subprocess.run(
        ["bash", "-c", out.replace("docker build", "echo docker build")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tags = set(re.findall(r"-t registry\.example\.com/(\S+):1\.4\.0", loop))
    assert tags == IMAGES
    assert "npm run docker:build" in RUNBOOK and "make docker-build REGISTRY=" in RUNBOOK


def test_secrets_database_bucket_and_nats_names() -> None:
    template = documents(K8S / "secret.template.yaml")
    assert [d["metadata"]["name"] for d in template] == ["ai-meeting-bridge-secrets"]
    data = template[0]["stringData"]
    assert data["DATABASE_URL"].startswith("postgresql://bridge_user:")
    assert data["DATABASE_URL"].split("?")[0].endswith("/ai_meeting_bridge")
    assert data["NATS_API_URL"].startswith("tls://bridge_api:")  # TLS: docs/SECURITY.md
    assert data["NATS_WORKER_URL"].startswith("tls://bridge_worker:")
    assert by_kind("ConfigMap")["ai-meeting-bridge-config"]["data"]["S3_BUCKET"] == (
        "ai-meeting-bridge-prod"
    )
    tls = by_kind("Ingress")["ai-meeting-bridge"]["spec"]["tls"]
    assert {t["secretName"] for t in tls} == {"ai-meeting-bridge-tls"}
    # Every pod that reads a secret reads this one, and the NATS user matches the component.
    for name, deployment in by_kind("Deployment").items():
        for c in deployment["spec"]["template"]["spec"]["containers"]:
            refs = [e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e]
            assert refs in ([], ["ai-meeting-bridge-secrets"]), name
            nats = [e for e in c.get("env", []) if e["name"] == "NATS_URL"]
            if refs:
                key = nats[0]["valueFrom"]["secretKeyRef"]["key"]
                assert key == (
                    "NATS_API_URL" if name == "ai-meeting-bridge-api" else "NATS_WORKER_URL"
                )
    for word in ("ai_meeting_bridge", "bridge_user", "ai-meeting-bridge-prod", "bridge_worker",
                 "bridge_api", "ai-meeting-bridge-secrets", "ai-meeting-bridge-tls"):  # fmt: skip
        assert word in RUNBOOK, word


def test_nats_server_config_names_and_validity() -> None:
    conf = (K8S / "nats-server.conf").read_text()
    assert re.search(r"^http_port: 8222$", conf, re.M)
    assert re.search(r"^server_name: \S+$", conf, re.M)
    assert "user: bridge_api" in conf and "user: bridge_worker" in conf
    from bridge_app.services.devservices import nats_server_binary

    proc = subprocess.run(
        [str(nats_server_binary()), "-t", "-c", str(K8S / "nats-server.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "http_port 8222" in RUNBOOK and "server_name" in RUNBOOK


def test_prometheus_scrapes_the_runbook_services() -> None:
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    keep = next(
        r for r in config["scrape_configs"][0]["relabel_configs"]
        if r["source_labels"] == ["__meta_kubernetes_service_name"] and r["action"] == "keep"
    )  # fmt: skip
    services = set(keep["regex"].split("|"))
    assert {"api-service", *STAGE_WORKERS} <= services
    assert services <= set(by_kind("Service"))
    for target in ("api-service:3001", *(f"{w}:{p}" for w, (_, p) in STAGE_WORKERS.items())):
        assert target in RUNBOOK, target


# ----------------------------------------------------- every name the runbook's commands use


def _runbook_commands() -> str:
    """The runbook's code: fenced blocks and inline `code` spans."""
    fenced = re.findall(r"```(?:bash)?\n(.*?)```", RUNBOOK, re.S)
    inline = re.findall(r"`([^`\n]+)`", RUNBOOK)
    return "\n".join(fenced + inline)


def test_every_kubectl_name_in_the_runbook_exists() -> None:
    code = _runbook_commands()
    deployments, jobs = set(by_kind("Deployment")), set(by_kind("Job"))
    hpas, services = set(by_kind("HorizontalPodAutoscaler")), set(by_kind("Service"))
    named = set(re.findall(r"deploy/([a-z0-9-]+)", code))
    assert {"ai-meeting-bridge-api", "transcript-worker", "maintenance-worker"} <= named
    assert named <= deployments, named - deployments
    job_names = set(re.findall(r"(?:job/|delete job |Job `)([a-z][a-z0-9-]+)", code + RUNBOOK))
    assert job_names and job_names <= jobs, job_names - jobs
    hpa_names = set(re.findall(r"get hpa ([a-z][a-z0-9-]+)", code))
    assert {"api-hpa", "transcript-worker-hpa"} <= hpa_names <= hpas
    assert set(re.findall(r"-n (\S+)", code)) == {"production"}
    labels = {
        (k, v)
        for _, doc in all_resources()
        if doc["kind"] == "Deployment"
        for k, v in doc["spec"]["template"]["metadata"]["labels"].items()
    }
    for key, value in re.findall(r"-l (app\.kubernetes\.io/[a-z-]+)=([a-z0-9-]+)", code):
        assert (key, value) in labels, f"{key}={value}"
    for name, port in re.findall(r"\b([a-z][a-z-]+-(?:service|worker)):(\d{4})\b", RUNBOOK):
        assert name in services, name
        assert int(port) in [p["port"] for p in by_kind("Service")[name]["spec"]["ports"]]
    policies = set(by_kind("NetworkPolicy"))
    for policy in re.findall(r"NetworkPolicy `([a-z0-9-]+)`", RUNBOOK):
        assert policy in policies
    for config in re.findall(r"ConfigMap `([a-z0-9-]+)`", RUNBOOK):
        assert config in by_kind("ConfigMap")


def test_the_runbook_shows_the_working_queue_command_next_to_llen() -> None:
    for line in RUNBOOK.splitlines():
        if "LLEN" in line:
            assert "ZCARD" in line or "queue-check" in line or "WRONGTYPE" in line, line
    alerts = (MONITORING / "alerts.yml").read_text()
    assert "ZCARD" in alerts and "queue-check" in alerts
