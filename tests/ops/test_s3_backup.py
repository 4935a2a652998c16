"""Object-store backup and restore against a real S3 server (SeaweedFS from its wheel)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from bridge_app.ops import backup as ops
from bridge_app.services.storage import S3Store
from tests.s3server import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def s3_endpoint(s3_server: Any) -> str:
    return str(s3_server.endpoint)


def _store(endpoint: str, bucket: str) -> S3Store:
    # SeaweedFS 4.48 answers InternalError to SSE-S3 puts without a KMS: S3_SSE="" here.
    store = S3Store(
        endpoint=endpoint,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        bucket=bucket,
        region="us-east-1",
        sse="",
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
