"""Read responses kept in memory per organization, dropped when PostgreSQL says they changed.

Each table a cached response reads has statement-level triggers (migration
`20261202_change_notify`) that send `NOTIFY bridge_changes` with '<organization>/<meeting>'
(or '<organization>' for a matter); PostgreSQL delivers it at commit to every API process,
whose listener thread then drops the entries showing that meeting and the organization's
lists. Whoever writes (API, UI, any worker) is seen, because the database sends the
notification. While the listener is not connected (start-up, a database restart)
nothing is served from memory, and connecting again empties it, so no change can be missed.
An entry filled from a read that raced a change is refused (the generation it depends on
moved on in between), and each entry expires after READ_CACHE_SECONDS in any case.
A change reaches the other processes a few milliseconds after its commit.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Hashable

import psycopg

from bridge_app.settings import get_settings, libpq_url

log = logging.getLogger("bridge.read_cache")

CHANNEL = "bridge_changes"
APPLICATION_NAME = "bridge-read-cache"  # the listener in pg_stat_activity
MAX_ENTRIES = 4096
# The listener checks its connection this often when no notification arrives, and waits
# this long between connection attempts while the database is away.
IDLE_CHECK_S = 5.0
RECONNECT_S = 1.0

Token = tuple[int, ...]  # the generations an entry depends on, when its read started
Scope = uuid.UUID | None  # the meeting an entry shows (None: it lists the organization's)


class ReadCache:
    """Bodies by (organization, key); `lookup` → hit or a token for `store`.

    An entry is scoped to one meeting (a detail) or to the organization (a list). A change of
    a meeting drops that meeting's entries and the organization's lists; a change of the
    organization itself (a matter renamed) drops all of its entries.
    """

    def __init__(self, dsn: str, max_age_s: float, max_entries: int = MAX_ENTRIES):
        self.dsn = dsn
        self.max_age_s = max_age_s
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: dict[tuple[uuid.UUID, Hashable], tuple[float, bytes, Scope]] = {}
        # Each organization's keys, so a change looks at its own entries, not at all of them.
        self._keys: dict[uuid.UUID, set[Hashable]] = {}
        # Bumped by every change in the organization (lists depend on all of them), by its
        # organization-wide changes, and by each meeting's changes.
        self._org_gen: dict[uuid.UUID, int] = {}
        self._wide_gen: dict[uuid.UUID, int] = {}
        self._meeting_gen: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
        self._epoch = 0
        self._live = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="read-cache", daemon=True)
        self._thread.start()

    @property
    def live(self) -> bool:
        return self._live

    def _token(self, org: uuid.UUID, meeting: Scope) -> Token:
        if meeting is None:
            return (self._epoch, self._org_gen.get(org, 0))
        return (
            self._epoch,
            self._wide_gen.get(org, 0),
            self._meeting_gen.get((org, meeting), 0),
        )

    def lookup(
        self, org: uuid.UUID, key: Hashable, meeting: Scope = None
    ) -> tuple[bytes | None, Token | None]:
        """The body kept for this key, else None and the token to store a fresh one with
        (None while the listener is down: nothing is stored then)."""
        now = time.monotonic()
        with self._lock:
            if not self._live:
                return None, None
            hit = self._entries.get((org, key))
            if hit is not None and hit[0] > now:
                return hit[1], None
            return None, self._token(org, meeting)

    def store(
        self,
        org: uuid.UUID,
        key: Hashable,
        token: Token | None,
        body: bytes,
        meeting: Scope = None,
    ) -> None:
        """Keep `body` unless what it shows changed (or the listener reconnected) since the
        read that made it began."""
        if token is None:
            return
        with self._lock:
            if not self._live or token != self._token(org, meeting):
                return
            if (org, key) not in self._entries and len(self._entries) >= self.max_entries:
                oldest_org, oldest_key = next(iter(self._entries))
                del self._entries[(oldest_org, oldest_key)]
                self._keys[oldest_org].discard(oldest_key)
            self._entries[(org, key)] = (time.monotonic() + self.max_age_s, body, meeting)
            self._keys.setdefault(org, set()).add(key)

    def changed(self, org: uuid.UUID, meeting: Scope = None) -> None:
        """A meeting (or, with None, the organization as a whole) changed: drop the entries
        that show it and refuse the reads of it begun before."""
        with self._lock:
            self._org_gen[org] = self._org_gen.get(org, 0) + 1
            if meeting is None:
                self._wide_gen[org] = self._wide_gen.get(org, 0) + 1
            else:
                self._meeting_gen[(org, meeting)] = self._meeting_gen.get((org, meeting), 0) + 1
            keys = self._keys.get(org, set())
            for key in list(keys):
                scope = self._entries[(org, key)][2]
                if meeting is None or scope is None or scope == meeting:
                    del self._entries[(org, key)]
                    keys.discard(key)
            if len(self._meeting_gen) > 16 * self.max_entries:
                self._reset()  # bounded memory; a new epoch refuses every read in flight

    def _reset(self) -> None:
        self._epoch += 1
        self._entries.clear()
        self._keys.clear()
        self._org_gen.clear()
        self._wide_gen.clear()
        self._meeting_gen.clear()

    def _set_live(self, live: bool) -> None:
        with self._lock:
            self._live = live
            self._reset()

    def _on_notify(self, payload: str) -> None:
        org, _, meeting = payload.partition("/")
        try:
            self.changed(uuid.UUID(org), uuid.UUID(meeting) if meeting else None)
        except ValueError:
            log.warning("read cache: ignored a change notification for %r", payload)

    def _listen(self) -> None:
        down_since: float | None = None
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self.dsn, autocommit=True, connect_timeout=5, application_name=APPLICATION_NAME
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._set_live(True)  # after LISTEN: every later commit is heard
                    if down_since is not None:
                        log.warning("read cache: database reachable again, cache on")
                        down_since = None
                    while not self._stop.is_set():
                        for notify in conn.notifies(timeout=IDLE_CHECK_S):
                            self._on_notify(notify.payload)
                        conn.execute("SELECT 1")  # a dead connection raises here
            except psycopg.Error as exc:
                if self._live or down_since is None:
                    log.warning("read cache: change listener lost (%s); serving uncached", exc)
                    down_since = time.monotonic()
            self._set_live(False)
            self._stop.wait(RECONNECT_S)

    def close(self) -> None:
        self._stop.set()


_shared: tuple[int, str, float, ReadCache] | None = None
_shared_lock = threading.Lock()


def shared() -> ReadCache | None:
    """This process's cache (None when READ_CACHE_SECONDS is 0). Started on first use, and
    again in a forked child (Granian's workers), whose threads do not survive the fork."""
    global _shared
    settings = get_settings()
    if settings.READ_CACHE_SECONDS <= 0:
        return None
    pid = os.getpid()
    current = _shared
    if (
        current is not None
        and current[0] == pid
        and current[1] == settings.DATABASE_URL
        and current[2] == settings.READ_CACHE_SECONDS
    ):
        return current[3]
    with _shared_lock:
        if _shared is not current:  # another thread got here first
            return _shared[3] if _shared is not None else None
        if current is not None and current[0] == pid:
            current[3].close()
        cache = ReadCache(libpq_url(settings.DATABASE_URL), settings.READ_CACHE_SECONDS)
        _shared = (pid, settings.DATABASE_URL, settings.READ_CACHE_SECONDS, cache)
        return cache
