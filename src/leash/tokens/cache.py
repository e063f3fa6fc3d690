"""API tokens of the client and frontend APIs, remembered in process so SDK polls skip the database.

Safe because every token write records an event: a write in this process clears the cache at
once (`app.state.changed()`), and one in another process moves the state revision, which the
revision watcher notices within its poll interval and clears the cache too. Expiry is checked on
every hit against the clock. While the database is down, remembered tokens keep working.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import datetime

from leash.auth import Principal
from leash.revision import UNKNOWN, Revision

CACHED_KINDS = frozenset({"client", "frontend"})
MAX_ENTRIES = 10_000


class TokenCache:
    def __init__(self) -> None:
        # secret digest -> (principal without a caller address, expiry as epoch seconds or None)
        self._entries: dict[str, tuple[Principal, float | None]] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self._revision = UNKNOWN

    @property
    def generation(self) -> int:
        """Read before a database lookup; `put` drops the result if a change came in between."""
        return self._generation

    def get(self, digest: str) -> Principal | None:
        found = self._entries.get(digest)
        if found is None:
            return None
        principal, expires_at = found
        if expires_at is not None and expires_at <= time.time():
            self._entries.pop(digest, None)
            return None
        return principal

    def put(
        self, digest: str, principal: Principal, *, expires_at: datetime | None, generation: int
    ) -> None:
        if principal.kind not in CACHED_KINDS:
            return
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (
                replace(principal, ip=None),
                expires_at.timestamp() if expires_at is not None else None,
            )

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries = {}

    def on_revision(self, revision: Revision) -> None:
        if revision != self._revision:
            self._revision = revision
            self.clear()
