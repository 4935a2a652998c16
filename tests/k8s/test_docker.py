"""The container build: one target per image the manifests run, with the right command."""

from __future__ import annotations

import re

from tests.k8s._manifests import REPO, all_resources

DOCKERFILE = REPO / "docker" / "Dockerfile"
WORKER_MODULES = {
    "transcript-worker": ("transcript", 8000),
    "decision-worker": ("decision", 8001),
    "draft-worker": ("draft", 8002),
    "qa-worker": ("qa", 8003),
    "export-worker": ("export", 8004),
    "maintenance-worker": ("maintenance", 8005),
}


def _stages() -> dict[str, str]:
    """Target name → the Dockerfile text of that stage."""
    text = DOCKERFILE.read_text()
    parts = re.split(r"^FROM\s+\S+\s+AS\s+(\S+)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_runbook_image_is_a_target() -> None:
    stages = _stages()
    assert {"api", "web", *WORKER_MODULES} <= set(stages)
    images = {
        c["image"].split("/")[-1].split(":")[0].removeprefix("ai-meeting-bridge-")
        for _, doc in all_resources()
        if doc["kind"] in ("Deployment", "Job")
        for c in doc["spec"]["template"]["spec"]["containers"]
    }
    assert images <= set(stages)


def test_commands_match_the_implementation() -> None:
    stages = _stages()
    assert '"--backend-only"' in stages["api"] and '"3001"' in stages["api"]
    for target, (module, port) in WORKER_MODULES.items():
        # jobs/worker.py: arq's Worker for jobs.<worker>.WorkerSettings, outage-proof.
        assert f'CMD ["python", "-m", "jobs", "{module}"]' in stages[target]
        source = (REPO / "jobs" / f"{module}.py").read_text()
        assert "class WorkerSettings" in source or "WorkerSettings = " in source
        assert f"EXPOSE {port}" in stages[target]
    assert "reflex export --frontend-only" in stages["frontend-build"]
    assert "docker/nginx.conf" in stages["web"]
    assert "USER 10001" in stages["runtime"]
    assert "arq==0.28.0" in stages["python-deps"]


def test_web_serves_the_export_with_a_health_endpoint() -> None:
    nginx = (REPO / "docker" / "nginx.conf").read_text()
    assert "listen 8080;" in nginx and "location = /healthz" in nginx
    assert "try_files $uri $uri.html $uri/ /index.html;" in nginx


def test_build_context_leaves_out_local_state_and_secrets() -> None:
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".dev", ".web", "*.env", ".env"} <= ignored
    assert "docker" not in ignored
