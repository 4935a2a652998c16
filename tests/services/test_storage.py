"""Object storage: the S3 adapter against a real S3 server with signature checks, and the
local store's atomic writes and signed, expiring URLs."""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from bridge_app.services.storage import LocalStore, ObjectNotFound, S3Store, StorageError


@pytest.fixture(scope="module")
def s3(s3_server: Any) -> S3Store:
    # SeaweedFS 4.48 has no SSE-S3 without a KMS: the header is off here (S3_SSE="").
    store = S3Store(
        endpoint=s3_server.endpoint,
        access_key=s3_server.access_key,
        secret_key=s3_server.secret_key,
        bucket=f"bridge-{uuid.uuid4().hex[:8]}",
        region="us-east-1",
        sse="",
    )
    deadline = time.monotonic() + 30
    while True:  # volumes are allocated lazily on a fresh server
        try:
            store.ensure_bucket()
            store.put("probe", b"ok", content_type="text/plain")
            return store
        except StorageError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.services
def test_s3_put_get_list_delete_with_checksum(s3: S3Store) -> None:
    data = b"contract bytes " * 1000
    stored = s3.put("org/exports/a.docx", data, content_type="application/octet-stream")
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    assert s3.get("org/exports/a.docx") == data
    assert "org/exports/a.docx" in s3.list_keys("org/")
    assert s3.exists("org/exports/a.docx")
    s3.delete("org/exports/a.docx")
    assert not s3.exists("org/exports/a.docx")
    with pytest.raises(ObjectNotFound):
        s3.get("org/exports/a.docx")


@pytest.mark.services
def test_s3_refuses_wrong_credentials(s3: S3Store, s3_server: Any) -> None:
    intruder = S3Store(
        endpoint=s3_server.endpoint,
        access_key=s3_server.access_key,
        secret_key="not-the-secret",
        bucket=s3.bucket,
        region="us-east-1",
        sse="",
    )
    with pytest.raises(StorageError):
        intruder.get("probe")


@pytest.mark.services
def test_presigned_url_downloads_and_a_tampered_one_is_refused(s3: S3Store) -> None:
    s3.put("org/exports/b.pdf", b"%PDF-1.7 test", content_type="application/pdf")
    url = s3.download_url("org/exports/b.pdf", filename="b.pdf", expires_in=60)
    assert _fetch(url) == (200, b"%PDF-1.7 test")
    tampered = url.replace("b.pdf", "a.pdf", 1)
    assert _fetch(tampered)[0] == 403
    query = parse_qs(urlparse(url).query)
    forged_sig = url.replace(query["X-Amz-Signature"][0], "0" * 64)
    assert _fetch(forged_sig)[0] == 403


@pytest.mark.services
def test_an_expired_presigned_url_is_refused(s3: S3Store) -> None:
    s3.put("org/exports/c.md", b"# c", content_type="text/markdown")
    url = s3.download_url("org/exports/c.md", filename="c.md", expires_in=1)
    time.sleep(2.5)
    assert _fetch(url)[0] == 403


def test_local_store_writes_atomically_and_rejects_escaping_keys(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, b"k" * 32, "http://api.test")
    store.put("org/m/source", b"one", content_type="text/plain")
    store.put("org/m/source", b"two", content_type="text/plain")
    assert store.get("org/m/source") == b"two"
    assert not [p for p in tmp_path.rglob(".tmp-*")]
    for bad in ("../etc/passwd", "org/../../x", "", "a/\x00b"):
        with pytest.raises(StorageError):
            store.put(bad, b"x", content_type="text/plain")


def test_local_signed_urls_expire_and_detect_tampering(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, b"k" * 32, "http://api.test")
    url = store.download_url("org/exports/e.docx", filename="e.docx", expires_in=60)
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    expires = int(query["expires"])
    assert store.verify("org/exports/e.docx", expires, "e.docx", query["sig"])
    assert not store.verify("org/exports/other.docx", expires, "e.docx", query["sig"])
    assert not store.verify("org/exports/e.docx", expires + 60, "e.docx", query["sig"])
    assert not store.verify("org/exports/e.docx", expires, "x.docx", query["sig"])
    assert not store.verify("org/exports/e.docx", expires, "e.docx", query["sig"], now=expires + 1)
    other_key = LocalStore(tmp_path, b"z" * 32, "http://api.test")
    assert not other_key.verify("org/exports/e.docx", expires, "e.docx", query["sig"])


def test_a_non_ascii_signature_is_refused_not_an_error(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, b"k" * 32, "http://api.test")
    url = store.download_url("org/exports/e.docx", filename="e.docx", expires_in=60)
    expires = int(parse_qs(urlparse(url).query)["expires"][0])
    assert not store.verify("org/exports/e.docx", expires, "e.docx", "sïgnature")
