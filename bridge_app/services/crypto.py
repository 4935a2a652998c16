"""Envelope encryption: AES-256-GCM data keys, wrapped by the master key `ENCRYPTION_KEY`.

Each meeting gets its own data key (a `data_keys` row holding the key wrapped by a master key
and that master key's id). Rotation re-wraps the rows under a new master key; the ciphertext
of transcripts, drafts and files never has to be rewritten.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session, select

from bridge_app.models import DataKey
from bridge_app.settings import Settings, get_settings

FORMAT_VERSION = b"\x01"
NONCE_BYTES = 12


class DecryptionError(RuntimeError):
    """Ciphertext could not be opened: wrong key, or it was tampered with."""


@lru_cache(maxsize=16)  # from_settings runs on every read path; HKDF each time showed up
def derive_master_key(secret: str) -> bytes:
    """32 bytes from the configured secret (any length) with HKDF-SHA256."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"bridge-kek-v1", info=b"master-key"
    ).derive(secret.encode())


@dataclass(frozen=True, eq=False)
class Keyring:
    """The current master key and any older ones still needed to unwrap data keys."""

    current_id: str
    keys: dict[str, bytes]

    def __hash__(self) -> int:
        return hash((self.current_id, tuple(sorted(self.keys.items()))))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Keyring) and (self.current_id, self.keys) == (
            other.current_id,
            other.keys,
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Keyring:
        settings = settings or get_settings()
        keys = {settings.ENCRYPTION_KEY_ID: derive_master_key(settings.ENCRYPTION_KEY)}
        for pair in filter(None, (p.strip() for p in settings.ENCRYPTION_OLD_KEYS.split(","))):
            key_id, _, secret = pair.partition(":")
            if key_id and secret and key_id not in keys:
                keys[key_id] = derive_master_key(secret)
        return cls(settings.ENCRYPTION_KEY_ID, keys)

    def wrap(self, data_key: bytes, organization_id: uuid.UUID) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current_id]).encrypt(nonce, data_key, organization_id.bytes)
        return nonce + sealed

    def unwrap(self, wrapped: bytes, kek_id: str, organization_id: uuid.UUID) -> bytes:
        key = self.keys.get(kek_id)
        if key is None:
            raise DecryptionError(f"master key '{kek_id}' is not configured (ENCRYPTION_OLD_KEYS?)")
        try:
            return AESGCM(key).decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], organization_id.bytes
            )
        except InvalidTag as exc:
            raise DecryptionError(
                f"data key could not be unwrapped with master key '{kek_id}'"
            ) from exc


@lru_cache(maxsize=256)
def _cipher(data_key: bytes) -> AESGCM:
    """One AES-GCM context per data key: a stage seals or opens thousands of rows with one."""
    return AESGCM(data_key)


def encrypt(data_key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """version | nonce | AES-256-GCM(ciphertext + tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_VERSION + nonce + _cipher(data_key).encrypt(nonce, plaintext, aad)


def decrypt(data_key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    if not blob.startswith(FORMAT_VERSION):
        raise DecryptionError("unknown ciphertext format")
    try:
        return _cipher(data_key).decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], aad)
    except InvalidTag as exc:
        raise DecryptionError("ciphertext failed authentication") from exc


def encrypt_text(data_key: bytes, text: str) -> bytes:
    return encrypt(data_key, text.encode("utf-8"))


def decrypt_text(data_key: bytes, blob: bytes) -> str:
    return decrypt(data_key, blob).decode("utf-8")


def create_data_key(
    session: Session, organization_id: uuid.UUID, keyring: Keyring | None = None
) -> DataKey:
    """A fresh data key row (flushed, not committed)."""
    keyring = keyring or Keyring.from_settings()
    row = DataKey(
        organization_id=organization_id,
        kek_id=keyring.current_id,
        wrapped_key=keyring.wrap(AESGCM.generate_key(bit_length=256), organization_id),
    )
    session.add(row)
    session.flush()
    return row


@lru_cache(maxsize=4096)
def _unwrap_cached(
    keyring: Keyring, wrapped: bytes, kek_id: str, organization_id: uuid.UUID
) -> bytes:
    return keyring.unwrap(wrapped, kek_id, organization_id)


def data_key(row: DataKey, keyring: Keyring | None = None) -> bytes:
    """The plaintext data key of a row (cached: unwrapping is on every read path)."""
    return unwrap_data_key(row.wrapped_key, row.kek_id, row.organization_id, keyring)


def unwrap_data_key(
    wrapped: bytes, kek_id: str, organization_id: uuid.UUID, keyring: Keyring | None = None
) -> bytes:
    """A data key from its wrapped bytes (as a query selected them), cached like `data_key`."""
    keyring = keyring or Keyring.from_settings()
    return _unwrap_cached(keyring, bytes(wrapped), kek_id, organization_id)


def load_data_key(
    session: Session, data_key_id: uuid.UUID, keyring: Keyring | None = None
) -> bytes:
    row = session.get(DataKey, data_key_id)
    if row is None:
        raise DecryptionError(f"data key {data_key_id} not found")
    return data_key(row, keyring)


def rotate_master_key(session: Session, keyring: Keyring, batch: int = 500) -> int:
    """Re-wrap every data key not under the current master key; returns how many."""
    count = 0
    while True:
        rows = session.exec(
            select(DataKey)
            .where(DataKey.kek_id != keyring.current_id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return count
        for row in rows:
            plain = keyring.unwrap(bytes(row.wrapped_key), row.kek_id, row.organization_id)
            row.wrapped_key = keyring.wrap(plain, row.organization_id)
            row.kek_id = keyring.current_id
            session.add(row)
        session.flush()
        count += len(rows)
