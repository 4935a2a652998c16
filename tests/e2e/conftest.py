"""Browser tests: the real services, the six workers and the production build of the app.

Session fixtures start, in order: the embedded test services (tests/conftest.py), an
organization with one user per role, the workers (`arq jobs.<stage>.WorkerSettings`), and
`reflex run --env prod --single-port` on port 3310, all with the same environment. Reflex
builds into `.tools/e2e/` (its own web dir), so a developer's `.web` and `make run` (3000/3001)
are never touched. Chromium is Debian's (`/usr/bin/chromium`), driven by Playwright.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
APP_PORT = int(os.environ.get("E2E_APP_PORT", "3310"))
STATIC_PORT = int(os.environ.get("E2E_STATIC_PORT", "3312"))
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
WORK = REPO / ".tools" / "e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WORKERS = ("transcript", "decision", "draft", "qa", "export", "maintenance")
PASSWORD = "e2e-Correct-Horse-9"


@dataclass(frozen=True)
class Users:
    org_id: uuid.UUID
    admin: str
    legal: str
    ops: str
    viewer: str


def reflex_env(base: dict[str, str], web_dir: Path) -> dict[str, str]:
    """What Reflex needs here: system bun from the venv, project-local state, no telemetry."""
    return {
        **base,
        "PATH": f"{BIN}:{base.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_DIR": str(REPO / ".tools" / "reflex"),
        "BUN_INSTALL_CACHE_DIR": str(REPO / ".tools" / "bun-cache"),
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_WEB_WORKDIR": str(web_dir / ".web"),
        "REFLEX_STATES_WORKDIR": str(web_dir / ".states"),
        "PYTHONUNBUFFERED": "1",
    }


def wait_http(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited ({proc.returncode}) before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except Exception as exc:
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f}s: {last}")


def stop(proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="package")
def oidc_provider() -> Iterator[Any]:
    """The API tests' loopback OIDC provider (auto-approves; a test sets who signs in next)."""
    import threading
    from http.server import ThreadingHTTPServer

    from tests.api.test_oidc import Provider, _handler

    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def e2e_env(service_urls: dict[str, str], migrated: str, oidc_provider: Any) -> dict[str, str]:
    """One environment for workers and app: the test services, local storage, test mode,
    single sign-on against the loopback provider."""
    import redis

    from tests.api.test_oidc import CLIENT_ID, CLIENT_SECRET

    redis.Redis.from_url(service_urls["REDIS_URL"]).flushdb()
    storage = WORK / "storage"
    shutil.rmtree(storage, ignore_errors=True)  # the test database is new each session too
    storage.mkdir(parents=True, exist_ok=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    return {
        **os.environ,
        **service_urls,
        "LOCAL_STORAGE_DIR": str(storage),
        "BRIDGE_ENV": "test",
        "API_URL": f"http://localhost:{APP_PORT}",
        "PUBLIC_URL": f"http://localhost:{APP_PORT}",
        # test_static_export serves the exported frontend from its own origin.
        "EXTRA_UI_ORIGINS": f"http://localhost:{STATIC_PORT}",
        "BRIDGE_WORKER_PORT_OFFSET": os.environ.get("E2E_WORKER_PORT_OFFSET", "100"),
        "PYTHONUNBUFFERED": "1",
        "OIDC_ISSUER": oidc_provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        # The provider's `bridge_org: e2e` means the `users` organization (made with this tag).
        "OIDC_ORG_MAP": f"e2e:e2e-{tag}",
        "BRIDGE_E2E_TAG": tag,
    }


def make_organization(slug: str) -> Users:
    """A fresh organization with one account per role (all with PASSWORD)."""
    from bridge_app.models import Membership, Organization, User
    from bridge_app.services.db import get_engine, session_scope
    from bridge_app.services.passwords import hash_password

    hashed = hash_password(PASSWORD)
    emails: dict[str, str] = {}
    with session_scope(get_engine()) as session:
        org = Organization(name=f"E2E {slug}", slug=slug)
        session.add(org)
        session.flush()
        for role in ("admin", "legal", "ops", "viewer"):
            email = f"{role}-{slug}@e2e.test"
            user = User(email=email, full_name=f"E2E {role}", password_hash=hashed)
            session.add(user)
            session.flush()
            session.add(Membership(organization_id=org.id, user_id=user.id, role=role))
            emails[role] = email
    return Users(org.id, emails["admin"], emails["legal"], emails["ops"], emails["viewer"])


@pytest.fixture(scope="package")
def users(e2e_env: dict[str, str]) -> Users:
    """The package's shared organization (the one single sign-on maps to)."""
    return make_organization(f"e2e-{e2e_env['BRIDGE_E2E_TAG']}")


@pytest.fixture(scope="package")
def workers(e2e_env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """The five stage workers and the maintenance worker, as `make run` starts them."""
    logs = ARTIFACTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    procs = []
    for name in WORKERS:
        log = (logs / f"worker-{name}.log").open("ab")
        procs.append(
            subprocess.Popen(
                [str(BIN / "arq"), f"jobs.{name}.WorkerSettings"],
                env=e2e_env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    yield procs
    for proc in procs:
        stop(proc)


@pytest.fixture(scope="package")
def app_url(e2e_env: dict[str, str], workers: list[Any]) -> Iterator[str]:
    """The production build on one port (UI, state websocket, /v1 API and file downloads)."""
    web_dir = WORK / "run"
    log_path = ARTIFACTS / "logs" / "reflex-prod.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            str(BIN / "reflex"),
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(APP_PORT),
            "--loglevel",
            "info",
        ],
        env=reflex_env(e2e_env, web_dir),
        cwd=REPO,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{APP_PORT}"
    try:
        wait_http(f"{url}/ping", timeout=300, proc=proc)
        wait_http(f"{url}/login", timeout=60, proc=proc)
        print(f"\n[e2e] production build served after {time.monotonic() - started:.1f}s")
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (make browser), never a download"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.wait_for_selector("#login-ready", state="attached")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/meetings", timeout=20_000)


def e2e_store() -> Any:
    """The object store the e2e workers and app use (this process's env is left alone)."""
    from bridge_app.services.storage import LocalStore, url_signing_key
    from bridge_app.settings import get_settings

    return LocalStore(
        WORK / "storage", url_signing_key(get_settings()), f"http://localhost:{APP_PORT}"
    )


@pytest.fixture(scope="package")
def ready_meeting(users: Users, workers: list[Any]) -> str:
    """A demo meeting of the test organization, processed by the workers to `ready`."""
    import asyncio
    import concurrent.futures

    from sqlmodel import Session

    from bridge_app.demo import demo_transcript
    from bridge_app.models import Meeting
    from bridge_app.services.db import get_engine, session_scope
    from bridge_app.services.queue import NextJob, enqueue_stage, get_pool
    from bridge_app.services.upload import submit_meeting

    with session_scope(get_engine()) as session:
        meeting, _ = submit_meeting(
            session,
            store=e2e_store(),
            organization_id=users.org_id,
            user_id=None,
            filename="sow_kickoff.vtt",
            data=demo_transcript(),
            title="Role test meeting",
        )
        job = NextJob("transcript", meeting.id, meeting.input_version)

    async def send() -> None:
        pool = await get_pool()
        try:
            await enqueue_stage(pool, job)
        finally:
            await pool.aclose()

    # In a thread of its own: Playwright's sync API may already run an event loop here.
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        executor.submit(asyncio.run, send()).result(timeout=30)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with Session(get_engine()) as session:
            row = session.get(Meeting, job.subject_id)
            assert row is not None
            if row.status == "ready":
                return str(row.id)
            assert row.status != "failed", row.failure_reason
        time.sleep(0.2)
    raise AssertionError("the role-test meeting did not get ready")
