"""What one view keeps per query (bodies, compiled engines), within a byte budget.

Every distinct query (token scope and filters) gets a body of its own, so a client that varies
its query could otherwise grow a worker without limit. Entries leave least recently used first
once their bytes pass the budget; one left out is rendered again when it is asked for. The most
recently used entry always stays, even alone above the budget: serving it from memory beats
rendering it on every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

# A leash process holding a few full-size bodies of a large state (5,000 flags, 6.6 MB) and its
# compiled engine stays within this; a small state fits hundreds of queries.
DEFAULT_BUDGET = 128 * 1024 * 1024

Key = tuple[str, Hashable]  # (kind, query)


class RenderCache:
    """Least recently used entries out first, once their counted bytes pass `budget`.

    Keys are (kind, query); costs are given by the caller and updated with `recharge` (a gzip
    copy made later). Safe from many threads: every operation holds one short lock.
    """

    def __init__(self, *, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._entries: OrderedDict[Key, tuple[Any, int]] = OrderedDict()
        self.bytes = 0  # the sum of the kept entries' costs
        self.evictions = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Key, value: Any, *, cost: int) -> Any:
        """Keep `value` unless the key is taken; the value kept is returned (the first wins,
        as with dict.setdefault, so racing readers all serve one object)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry[0]
            self._entries[key] = (value, cost)
            self.bytes += cost
            self._evict()
            return value

    def recharge(self, key: Key, value: Any, *, cost: int) -> None:
        """`value` (if still kept under `key`) now costs `cost`; its place in the order stays."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] is not value:
                return
            self.bytes += cost - entry[1]
            self._entries[key] = (value, cost)
            self._evict()

    def recent(self, kind: str, count: int) -> list[tuple[Any, Any]]:
        """Up to `count` (query, value) of `kind`, the most recently used first."""
        found: list[tuple[Any, Any]] = []
        with self._lock:
            for key in reversed(self._entries):
                if len(found) >= count:
                    break
                if key[0] == kind:
                    found.append((key[1], self._entries[key][0]))
        return found

    def _evict(self) -> None:
        while self.bytes > self.budget and len(self._entries) > 1:
            _, (_, cost) = self._entries.popitem(last=False)
            self.bytes -= cost
            self.evictions += 1
