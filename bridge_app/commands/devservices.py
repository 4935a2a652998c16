"""`devservices up|down|status`: the embedded PostgreSQL, Redis and NATS."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bridge_app.services import devservices


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("devservices", help="start/stop the embedded services")
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--profile", choices=sorted(devservices.PROFILES), default="dev")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    profile = devservices.PROFILES[args.profile]
    if args.action == "up":
        started = time.monotonic()
        try:
            urls = devservices.up(profile)
        except (devservices.DevServicesError, subprocess.CalledProcessError, OSError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            text = detail.decode(errors="replace").strip() if isinstance(detail, bytes) else ""
            print(f"error: could not start services: {exc} {text}".strip(), file=sys.stderr)
            return 1
        for variable, url in urls.items():
            print(f"{variable}={url}")
        print(
            f"services ready in {time.monotonic() - started:.1f}s "
            f"(URLs written to {profile.env_file})"
        )
        return 0
    if args.action == "down":
        devservices.down(profile)
        print(f"embedded services of profile '{profile.name}' stopped")
        return 0
    states = devservices.status(profile)
    for name, running in states.items():
        print(f"{name}: {'running' if running else 'stopped'}")
    return 0 if all(states.values()) else 3
