"""External tools the ops tests need, found or (as root, from Debian) installed."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def ensure_promtool() -> str:
    """Path of `promtool` (Debian package `prometheus`); skips the test when unavailable.

    Installed with apt-get only when running as root (as `make test` does in CI); otherwise
    the skip message says what to install.
    """
    found = shutil.which("promtool")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("promtool not found: install Debian's `prometheus` package (make tools)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus"],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            pytest.skip(f"could not install promtool ({' '.join(cmd)}): {proc.stderr[-500:]}")
    found = shutil.which("promtool")
    if not found:
        pytest.skip("the prometheus package installed no promtool")
    return found
