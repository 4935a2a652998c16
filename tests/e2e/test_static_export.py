"""The frontend as a static export (for a CDN) against a separately running backend.

`reflex export --frontend-only` is built with REFLEX_API_URL pointing at the backend the
session already runs; a plain static file server serves the files on another port, and the
login and meetings-list steps run against it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    BIN,
    PASSWORD,
    REPO,
    STATIC_PORT,
    WORK,
    Users,
    reflex_env,
    shot,
    stop,
    wait_http,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def static_site(app_url: str, e2e_env: dict[str, str]) -> Any:
    web_dir = WORK / "export"
    env = {**reflex_env(e2e_env, web_dir), "REFLEX_API_URL": app_url}
    started = time.monotonic()
    log = ARTIFACTS / "logs" / "reflex-export.log"
    result = subprocess.run(
        [str(BIN / "reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"],
        env=env,
        cwd=REPO,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        timeout=600,
    )
    assert result.returncode == 0, f"reflex export failed; see {log}"
    site = web_dir / ".web" / "build" / "client"
    assert (site / "index.html").is_file()
    built_in = time.monotonic() - started
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(STATIC_PORT), "--bind", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://localhost:{STATIC_PORT}"
    try:
        wait_http(f"{url}/", timeout=20, proc=server)
        print(f"\n[e2e] static export built in {built_in:.1f}s")
        yield url, site
    finally:
        stop(server)


def test_static_export_logs_in_and_lists_meetings(
    static_site: tuple[str, Path], app_url: str, users: Users, ready_meeting: str, page: Any
) -> None:
    url, site = static_site
    # The backend URL was fixed at build time; nothing in the bundle points at the static host.
    env_json = (site / "env.json") if (site / "env.json").exists() else None
    if env_json is not None:
        assert app_url.split("//")[1] in env_json.read_text()
    page.goto(f"{url}/login/")
    page.wait_for_selector("#login-ready", state="attached")
    page.fill("#login-email", users.legal)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{url}/meetings**")
    assert page.url.startswith(url)
    page.locator(".meeting-row", has_text="Role test meeting").wait_for()
    shot(page, "static-export-meetings")
