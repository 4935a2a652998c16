"""Deployment hardening (issue 15, item 18), read from the manifests themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]


def _docs(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((REPO / "k8s" / name).read_text()) if d]


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def test_workers_do_not_receive_the_jwt_secret() -> None:
    workers = [d for d in _docs("workers.yaml") if d["kind"] == "Deployment"]
    assert len(workers) == 6
    for doc in workers:
        for container in _containers(doc):
            env = {e["name"]: e for e in container.get("env", [])}
            # env overrides the envFrom secret: the value never reaches the container.
            assert env["JWT_SECRET"] == {"name": "JWT_SECRET", "value": ""}, doc["metadata"]
            assert env["JWT_OLD_SECRETS"]["value"] == ""
            assert env["BRIDGE_COMPONENT"]["value"] == "worker"


def test_api_root_filesystem_is_read_only() -> None:
    api = next(d for d in _docs("api.yaml") if d["kind"] == "Deployment")
    for container in _containers(api):
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, container["name"]


def test_egress_is_limited_by_destination() -> None:
    policy = next(
        d
        for d in _docs("networkpolicy.yaml")
        if d["metadata"]["name"] == "ai-meeting-bridge-egress"
    )
    for rule in policy["spec"]["egress"]:
        assert rule.get("to"), f"an egress rule open to any destination: {rule}"
        for peer in rule["to"]:
            block = peer.get("ipBlock")
            if block and block["cidr"] == "0.0.0.0/0":
                assert {"10.0.0.0/8", "169.254.0.0/16"} <= set(block["except"])
                assert [p["port"] for p in rule["ports"]] == [443]


def test_nginx_sends_a_csp_on_every_location() -> None:
    conf = (REPO / "docker" / "nginx.conf").read_text()
    assert "Content-Security-Policy" in conf and "frame-ancestors 'none'" in conf
    # An add_header inside a location would drop the server-level headers there.
    for block in conf.split("location")[1:]:
        assert "add_header" not in block.split("}")[0], block[:80]


def test_secret_template_uses_tls_for_redis_and_nats() -> None:
    secret = _docs("secret.template.yaml")[0]["stringData"]
    for name in ("REDIS_URL", "REFLEX_REDIS_URL"):
        assert secret[name].startswith("rediss://"), name
    for name in ("NATS_API_URL", "NATS_WORKER_URL"):
        assert secret[name].startswith("tls://"), name
    assert "AUDIT_HMAC_KEY" in secret
