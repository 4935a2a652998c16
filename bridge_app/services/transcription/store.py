"""Recordings at rest: encrypted in 1 MiB parts, so a worker or a range request reads only
the parts it needs (a whole 500 MB recording is never decrypted into memory at once).

Each part is AES-256-GCM under the meeting's data key with its object key, index and the part
count as associated data: parts cannot be swapped, reordered or dropped unnoticed.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import Any

from bridge_app.services import crypto
from bridge_app.services.storage import ObjectStore

PART_BYTES = 1024 * 1024
_CACHED_PARTS = 8


def part_key(prefix: str, index: int) -> str:
    return f"{prefix}/p{index:06d}"


def _aad(prefix: str, index: int, count: int) -> bytes:
    return f"{prefix}|{index}|{count}".encode()


def put_parts(store: ObjectStore, prefix: str, data_key: bytes, data: bytes) -> dict[str, Any]:
    """Store ``data`` encrypted under ``prefix``; returns what reading it back needs."""
    count = max(1, -(-len(data) // PART_BYTES))
    for index in range(count):
        chunk = data[index * PART_BYTES : (index + 1) * PART_BYTES]
        store.put(
            part_key(prefix, index),
            crypto.encrypt(data_key, chunk, _aad(prefix, index, count)),
            content_type="application/octet-stream",
        )
    return {"prefix": prefix, "size": len(data), "parts": count, "part_bytes": PART_BYTES}


class EncryptedReader(io.RawIOBase):
    """A seekable, read-only file over the encrypted parts (what PyAV and range requests read)."""

    def __init__(self, store: ObjectStore, stored: dict[str, Any], data_key: bytes):
        super().__init__()
        self.store = store
        self.prefix = str(stored["prefix"])
        self.size = int(stored["size"])
        self.count = int(stored["parts"])
        self.part_bytes = int(stored["part_bytes"])
        self.data_key = data_key
        self.position = 0
        self._cache: OrderedDict[int, bytes] = OrderedDict()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _part(self, index: int) -> bytes:
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        blob = self.store.get(part_key(self.prefix, index))
        plain = crypto.decrypt(self.data_key, blob, _aad(self.prefix, index, self.count))
        self._cache[index] = plain
        if len(self._cache) > _CACHED_PARTS:
            self._cache.popitem(last=False)
        return plain

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self.size - self.position)
        if wanted <= 0:
            return 0
        filled = 0
        while filled < wanted:
            index, offset = divmod(self.position, self.part_bytes)
            part = self._part(index)
            take = min(wanted - filled, len(part) - offset)
            if take <= 0:
                break
            view[filled : filled + take] = part[offset : offset + take]
            filled += take
            self.position += take
        return filled

    def read_range(self, start: int, end: int) -> bytes:
        """Bytes ``start``..``end`` inclusive (an HTTP range)."""
        self.seek(start)
        return self.read(end - start + 1) or b""
