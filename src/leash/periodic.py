"""One way to run work every few seconds in the background: a daemon thread that calls `tick`
every `interval` seconds until stopped. The revision watcher, the potentially-stale job and the
integration-events clean-up all run this way, so they start, stop and fail alike."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("leash.periodic")


class Periodic:
    """`tick` runs in the thread; an exception it raises is logged and the next tick retries.
    `stop` waits (up to `join_seconds`) for a tick under way."""

    def __init__(
        self,
        *,
        name: str,
        interval: float,
        tick: Callable[[], object],
        join_seconds: float = 5.0,
    ) -> None:
        self.name = name
        self.interval = interval
        self._tick = tick
        self._join_seconds = join_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._join_seconds)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._tick()
            except Exception:  # a failed tick changes nothing; the next one retries
                log.exception("%s failed", self.name)
