"""Object storage: S3 (boto3) in production, a local directory by default.

Both stores take and return bytes. What is stored is decided by the caller: transcripts are
always encrypted with the meeting's data key first; exports are encrypted in the local store
(downloads go through the API, which decrypts) and sent with server-side encryption to S3
(downloads are presigned S3 URLs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from bridge_app.settings import Settings, get_settings


class StorageError(RuntimeError):
    """The store could not complete the operation (transient unless said otherwise)."""


class ObjectNotFound(StorageError):
    """No object under that key."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    content_type: str


class ObjectStore(Protocol):
    """What the pipeline and the API need from a store."""

    kind: str
    encrypts_at_rest_itself: bool

    def put(self, key: str, data: bytes, *, content_type: str) -> StoredObject: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def list_keys(self, prefix: str = "") -> list[str]: ...
    def download_url(self, key: str, *, filename: str, expires_in: int = 300) -> str: ...
    def check(self) -> None: ...


def _safe_key(key: str) -> str:
    parts = [p for p in key.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts) or "\x00" in key:
        raise StorageError(f"invalid object key: {key!r}")
    return "/".join(parts)


class LocalStore:
    """Files under a directory; URLs are HMAC-signed and expire, served by the API."""

    kind = "local"
    encrypts_at_rest_itself = False

    def __init__(self, root: Path, signing_key: bytes, public_base_url: str):
        self.root = root
        self.signing_key = signing_key
        self.public_base_url = public_base_url.rstrip("/")

    def _path(self, key: str) -> Path:
        return self.root / _safe_key(key)

    def put(self, key: str, data: bytes, *, content_type: str) -> StoredObject:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename: a reader never sees half a file, a crash leaves no partial object.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StoredObject(
            _safe_key(key), len(data), hashlib.sha256(data).hexdigest(), content_type
        )

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str = "") -> list[str]:
        if not self.root.exists():
            return []
        keys = [
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        ]
        return sorted(k for k in keys if k.startswith(prefix))

    def _signature(self, key: str, expires: int, filename: str) -> str:
        message = f"{_safe_key(key)}\n{expires}\n{filename}".encode()
        digest = hmac.new(self.signing_key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def download_url(self, key: str, *, filename: str, expires_in: int = 300) -> str:
        expires = int(time.time()) + expires_in
        query = urlencode(
            {
                "expires": expires,
                "filename": filename,
                "sig": self._signature(key, expires, filename),
            }
        )
        return f"{self.public_base_url}/v1/files/{quote(_safe_key(key))}?{query}"

    def verify(
        self, key: str, expires: int, filename: str, sig: str, *, now: float | None = None
    ) -> bool:
        """True when the signature matches and the URL has not expired."""
        if (now if now is not None else time.time()) > expires:
            return False
        try:
            expected = self._signature(key, expires, filename)
        except StorageError:
            return False
        # compare_digest refuses non-ASCII str: compare bytes, so a tampered link is a 403/404.
        return hmac.compare_digest(expected.encode(), sig.encode("utf-8", "replace"))

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / ".health"
        probe.write_bytes(b"ok")
        probe.unlink()


class S3Store:
    """An S3 bucket via boto3: server-side encryption, checksums, presigned GET URLs."""

    kind = "s3"
    encrypts_at_rest_itself = True

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        region: str,
        sse: str = "AES256",
    ):
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.sse = sse
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            region_name=region,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=3,
                read_timeout=10,
            ),
        )

    def _call(self, name: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, name)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "NotFound"):
                raise ObjectNotFound(kwargs.get("Key", "")) from exc
            raise StorageError(f"S3 {name} failed: {code or exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"S3 {name} failed: {exc}") from exc

    def ensure_bucket(self) -> None:
        try:
            self._call("head_bucket", Bucket=self.bucket)
        except (ObjectNotFound, StorageError):
            self._call("create_bucket", Bucket=self.bucket)

    def put(self, key: str, data: bytes, *, content_type: str) -> StoredObject:
        digest = hashlib.sha256(data)
        extra: dict[str, Any] = {"ServerSideEncryption": self.sse} if self.sse else {}
        self._call(
            "put_object",
            Bucket=self.bucket,
            Key=_safe_key(key),
            Body=data,
            ContentType=content_type,
            ChecksumSHA256=base64.b64encode(digest.digest()).decode(),
            **extra,
        )
        return StoredObject(_safe_key(key), len(data), digest.hexdigest(), content_type)

    def get(self, key: str) -> bytes:
        response = self._call("get_object", Bucket=self.bucket, Key=_safe_key(key))
        return bytes(response["Body"].read())

    def delete(self, key: str) -> None:
        self._call("delete_object", Bucket=self.bucket, Key=_safe_key(key))

    def exists(self, key: str) -> bool:
        try:
            self._call("head_object", Bucket=self.bucket, Key=_safe_key(key))
        except ObjectNotFound:
            return False
        return True

    def list_keys(self, prefix: str = "") -> list[str]:
        keys: list[str] = []
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._call("list_objects_v2", **kwargs)
            keys.extend(item["Key"] for item in page.get("Contents", []))
            token = page.get("NextContinuationToken")
            if not token:
                return keys

    def download_url(self, key: str, *, filename: str, expires_in: int = 300) -> str:
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": _safe_key(key),
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                },
                ExpiresIn=expires_in,
            )
        )

    def check(self) -> None:
        self._call("head_bucket", Bucket=self.bucket)


def url_signing_key(settings: Settings) -> bytes:
    """A key for local download URLs, derived so it never equals a secret used elsewhere."""
    return hmac.new(
        settings.ENCRYPTION_KEY.encode(), b"local-download-urls", hashlib.sha256
    ).digest()


def build_store(settings: Settings) -> ObjectStore:
    if settings.S3_ENDPOINT or settings.is_production:
        return S3Store(
            endpoint=settings.S3_ENDPOINT,
            access_key=settings.S3_ACCESS_KEY,
            secret_key=settings.S3_SECRET_KEY,
            bucket=settings.S3_BUCKET,
            region=settings.S3_REGION,
            sse=settings.S3_SSE,
        )
    return LocalStore(Path(settings.LOCAL_STORAGE_DIR), url_signing_key(settings), settings.API_URL)


@lru_cache(maxsize=1)
def get_store() -> ObjectStore:
    """The configured store (S3 when S3_ENDPOINT is set or in production)."""
    return build_store(get_settings())
