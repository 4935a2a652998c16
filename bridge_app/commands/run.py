"""`run`: embedded services, migrations, demo data, the five workers + maintenance, the web app.

Everything it starts is stopped on Ctrl-C (services that were already running are left alone).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bridge_app.core.stages import STAGE_NAMES
from bridge_app.services import devservices
from bridge_app.settings import REPO_ROOT, get_settings

WORKERS = (*STAGE_NAMES, "maintenance")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="start everything for local use (Ctrl-C stops it)")
    parser.add_argument("--frontend-port", type=int, default=3000)
    parser.add_argument("--backend-port", type=int, default=3001)
    parser.add_argument("--no-web", action="store_true", help="workers only")
    parser.set_defaults(handler=run)


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = log.open("ab")
    return subprocess.Popen(
        cmd, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO_ROOT, start_new_session=True
    )


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run(args: argparse.Namespace) -> int:
    profile = devservices.PROFILES["dev"]
    before = devservices.status(profile)
    started = time.monotonic()
    urls = devservices.up(profile)
    print(f"services ready in {time.monotonic() - started:.1f}s: " + ", ".join(urls.values()))
    env = {**os.environ, **urls, "PYTHONUNBUFFERED": "1"}
    get_settings.cache_clear()
    bin_dir = Path(sys.executable).parent
    for step in (["migrate"], ["seed"]):
        result = subprocess.run([sys.executable, "-m", "bridge_app", *step], env=env, cwd=REPO_ROOT)
        if result.returncode != 0:
            return result.returncode
    logs = REPO_ROOT / ".dev" / "logs"
    procs = [
        _start(
            [str(bin_dir / "arq"), f"jobs.{name}.WorkerSettings"], env, logs / f"worker-{name}.log"
        )
        for name in WORKERS
    ]
    print(f"workers started: {', '.join(WORKERS)} (logs in {logs})")
    if not args.no_web:
        web_env = {**env, "API_URL": f"http://localhost:{args.backend_port}"}
        procs.append(
            subprocess.Popen(
                [
                    str(bin_dir / "reflex"),
                    "run",
                    "--frontend-port",
                    str(args.frontend_port),
                    "--backend-port",
                    str(args.backend_port),
                ],
                env=web_env,
                cwd=REPO_ROOT,
                start_new_session=True,
            )
        )
        print(
            f"\n  Open http://localhost:{args.frontend_port}  (API http://localhost:{args.backend_port}/v1/docs)\n"
            "  Log in with the admin account printed above. Ctrl-C stops everything.\n"
        )
    stopping = False

    def _signal(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _signal)
    signal.signal(signal.SIGTERM, _signal)
    try:
        while not stopping:
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                print(f"a process exited ({dead[0].args!r}); stopping", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        print("stopping…")
        _stop(procs)
        # Only what this command started: a developer's already-running services stay up.
        if not any(before.values()):
            devservices.down(profile)
    return 0
