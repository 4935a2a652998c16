"""Recordings at rest: encrypted 1 MiB parts, read back by range, tampering detected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bridge_app.services.crypto import DecryptionError
from bridge_app.services.storage import LocalStore
from bridge_app.services.transcription import playback
from bridge_app.services.transcription.store import (
    PART_BYTES,
    EncryptedReader,
    part_key,
    put_parts,
)


@pytest.fixture()
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path, b"k" * 32, "http://localhost")


def test_parts_read_back_exactly_by_any_range(store: LocalStore) -> None:
    key = AESGCM.generate_key(bit_length=256)
    data = os.urandom(2 * PART_BYTES + 12345)
    stored = put_parts(store, "org/meetings/m/recording/v1/t0", key, data)
    assert stored["parts"] == 3
    blobs = [store.get(part_key(stored["prefix"], i)) for i in range(3)]
    assert all(data[:64] not in b for b in blobs)  # ciphertext only
    reader = EncryptedReader(store, stored, key)
    assert reader.read() == data
    for start, end in [(0, 0), (PART_BYTES - 10, PART_BYTES + 10), (len(data) - 5, len(data) - 1)]:
        assert reader.read_range(start, end) == data[start : end + 1]


def test_swapped_parts_are_detected(store: LocalStore) -> None:
    key = AESGCM.generate_key(bit_length=256)
    stored = put_parts(store, "p", key, os.urandom(2 * PART_BYTES))
    first, second = (store.get(part_key("p", i)) for i in range(2))
    store.put(part_key("p", 0), second, content_type="application/octet-stream")
    store.put(part_key("p", 1), first, content_type="application/octet-stream")
    with pytest.raises(DecryptionError):
        EncryptedReader(store, stored, key).read(10)


def test_byte_ranges() -> None:
    assert playback.byte_range(None, 100) == playback.ByteRange(0, 99, partial=False)
    assert playback.byte_range("bytes=10-", 100) == playback.ByteRange(10, 99, partial=True)
    assert playback.byte_range("bytes=-5", 100) == playback.ByteRange(95, 99, partial=True)
    big = playback.byte_range("bytes=0-", 10 * playback.MAX_RANGE_BYTES)
    assert big.end == playback.MAX_RANGE_BYTES - 1
    for bad in ("bytes=200-", "bytes=5-2", "items=0-1", "bytes=0-1,4-5"):
        with pytest.raises(playback.RangeNotSatisfiable):
            playback.byte_range(bad, 100)
