"""API tokens of the client and frontend APIs, remembered in process so SDK polls skip the database.

Safe because every token write records an event: a write in this process clears the cache at
once (`app.state.changed()`), and one in another process moves the state revision, which the
revision watcher notices within its poll interval and clears the cache too. Expiry is checked on
every hit against the clock.

While the database is down, tokens validated before the outage keep working (`fallback`), even
when a change cleared the cache since: SDKs must go on being served the last good state. So that
an outage cannot revive a deleted token, those tokens are re-checked against the database each
time the revision moves (`recheck_remembered`: the watcher has just read the database, so it is
most likely up).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine

from leash.identity import Principal
from leash.revision import UNKNOWN, Revision
from leash.tokens import repository

log = logging.getLogger("leash.tokens")

CACHED_KINDS = frozenset({"client", "frontend"})
MAX_ENTRIES = 10_000
RECHECK_CHUNK = 500

Entry = tuple[Principal, float | None]


class TokenCache:
    def __init__(self, engine: Engine | None = None) -> None:
        self._engine = engine
        # secret digest -> (principal without a caller address, expiry as epoch seconds or None)
        self._entries: dict[str, Entry] = {}
        # Every token found valid, kept across clears: answered only while the database is down.
        self._validated: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self._revision = UNKNOWN
        self._rechecked = UNKNOWN

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
            if len(self._validated) >= MAX_ENTRIES:
                self._validated.clear()
            entry = (
                replace(principal, ip=None),
                expires_at.timestamp() if expires_at is not None else None,
            )
            self._entries[digest] = entry
            self._validated[digest] = entry

    def forget(self, digest: str) -> None:
        """The database says this token is gone or expired."""
        with self._lock:
            self._entries.pop(digest, None)
            self._validated.pop(digest, None)

    def fallback(self, digest: str) -> Principal | None:
        """The token as last validated, for use only when the database cannot be asked.

        A hit goes back into the cache, so the rest of the outage is served from memory.
        """
        found = self._validated.get(digest)
        if found is None or (found[1] is not None and found[1] <= time.time()):
            return None
        with self._lock:
            self._entries[digest] = found
        return found[0]

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries = {}

    def on_revision(self, revision: Revision) -> None:
        if revision != self._revision:
            self._revision = revision
            self.clear()

    def recheck_remembered(self, revision: Revision) -> None:
        """Drop validated tokens deleted since; take expiry changes. Retried until it works.

        A revision listener of its own, called after the SDK views are rebuilt: it costs a query,
        and a change should reach SDKs first.
        """
        if revision == self._rechecked:
            return
        if self._engine is None:
            self._rechecked = revision
            return
        digests = list(self._validated)
        found: dict[str, float | None] = {}
        try:
            with self._engine.connect() as conn:
                for start in range(0, len(digests), RECHECK_CHUNK):
                    chunk = digests[start : start + RECHECK_CHUNK]
                    for digest, expires in repository.expiries(conn, secret_hashes=chunk).items():
                        found[digest] = expires.timestamp() if expires else None
        except Exception as error:
            log.warning("cannot re-check remembered tokens: %s", error.__class__.__name__)
            return
        with self._lock:
            for digest in digests:
                entry = self._validated.get(digest)
                if entry is None:
                    continue
                if digest in found:
                    self._validated[digest] = (entry[0], found[digest])
                else:
                    del self._validated[digest]
        self._rechecked = revision
