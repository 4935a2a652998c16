"""`run`: embedded services, migrations, demo data, the five workers + maintenance, the web app,
all supervised (bridge_app/supervisor.py): what crashes is restarted, the rest keeps running.

Ctrl-C stops everything this command started; the embedded services it started are stopped
too unless KEEP_SERVICES=1 (services that were already running are left alone).
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
from bridge_app.supervisor import CrashLoop, Program, Service, Supervisor

WORKERS = (*STAGE_NAMES, "maintenance")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="start everything for local use (Ctrl-C stops it)")
    parser.add_argument("--frontend-port", type=int, default=3000)
    parser.add_argument("--backend-port", type=int, default=3001)
    parser.add_argument("--no-web", action="store_true", help="workers only")
    parser.add_argument(
        "--api-only",
        action="store_true",
        help="serve the API (no UI) on --backend-port with granian instead of `reflex run`",
    )
    parser.add_argument("--no-seed", action="store_true", help="skip the demo data")
    parser.add_argument(
        "--profile",
        choices=sorted(devservices.PROFILES),
        default="dev",
        help="which embedded services (ports, data folder) to use",
    )
    parser.set_defaults(handler=run)


def programs(args: argparse.Namespace, env: dict[str, str], logs: Path) -> list[Program]:
    """The children: one `python -m jobs <worker>` each, plus the web app or the API."""
    children = [
        Program(
            f"worker-{name}",
            [sys.executable, "-m", "jobs", name],
            env,
            REPO_ROOT,
            logs / f"worker-{name}.log",
        )
        for name in WORKERS
    ]
    bin_dir = Path(sys.executable).parent
    if args.api_only:
        children.append(
            Program(
                "api",
                [
                    str(bin_dir / "granian"),
                    "--interface",
                    "asgi",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(args.backend_port),
                    "--workers",
                    "1",
                    "--log-level",
                    "warning",
                    "bridge_app.api.main:api",
                ],
                env,
                REPO_ROOT,
                logs / "api.log",
            )
        )
    elif not args.no_web:
        web_env = {**env, "API_URL": f"http://localhost:{args.backend_port}"}
        children.append(
            Program(
                "web",
                [
                    str(bin_dir / "reflex"),
                    "run",
                    "--frontend-port",
                    str(args.frontend_port),
                    "--backend-port",
                    str(args.backend_port),
                ],
                web_env,
                REPO_ROOT,
            )
        )
    return children


def services(profile: devservices.Profile, started: list[str]) -> list[Service]:
    """The embedded services this command started: revived if they die."""
    return [
        Service(
            name,
            lambda name=name: devservices.status(profile)[name],  # type: ignore[misc]
            lambda name=name: devservices.STARTERS[name](profile),  # type: ignore[misc]
        )
        for name in started
    ]


def run(args: argparse.Namespace) -> int:
    profile = devservices.PROFILES[args.profile]
    began = time.monotonic()
    urls, started = devservices.start_missing(profile)
    print(f"services ready in {time.monotonic() - began:.1f}s: " + ", ".join(urls.values()))
    env = {
        **os.environ,
        **urls,
        "LOCAL_STORAGE_DIR": os.environ.get(
            "LOCAL_STORAGE_DIR", str(profile.directory / "storage")
        ),
        "PYTHONUNBUFFERED": "1",
    }
    get_settings.cache_clear()
    supervisor: Supervisor | None = None
    stopping = False

    def _signal(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _signal)
    signal.signal(signal.SIGTERM, _signal)
    code = 0
    try:
        steps = [["migrate"]] + ([] if args.no_seed else [["seed"]])
        for step in steps:
            result = subprocess.run(
                [sys.executable, "-m", "bridge_app", *step], env=env, cwd=REPO_ROOT
            )
            if result.returncode != 0:
                return result.returncode
        logs = profile.directory / "logs"
        supervisor = Supervisor(
            programs(args, env, logs),
            services(profile, started),
            service_restart_delay_s=float(os.environ.get("BRIDGE_SERVICE_RESTART_DELAY_S", "1")),
        )
        supervisor.start()
        print(f"workers started: {', '.join(WORKERS)} (logs in {logs}); supervised", flush=True)
        if args.api_only:
            print(f"  API http://127.0.0.1:{args.backend_port}/v1/docs", flush=True)
        elif not args.no_web:
            print(
                f"\n  Open http://localhost:{args.frontend_port}  "
                f"(API http://localhost:{args.backend_port}/v1/docs)\n"
                "  Log in with the admin account printed above. Ctrl-C stops everything.\n",
                flush=True,
            )
        supervisor.run(lambda: stopping)
    except CrashLoop as exc:
        print(f"error: {exc}; stopped everything", file=sys.stderr)
        code = 1
    finally:
        print("stopping…", flush=True)
        if supervisor is not None:
            supervisor.stop()
        stopped = devservices.stop_started(profile, started)
        if started and not stopped:
            print(f"KEEP_SERVICES: left running: {', '.join(started)}")
    return code
