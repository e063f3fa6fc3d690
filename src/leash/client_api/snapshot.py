"""Client-features bodies, built once per state change and served as ready bytes: when to
rebuild, building the new view beside the served one, swapping it, retrying a rebuild that
failed, and what /health reports of it.

A view (leash.client_api.view) holds, per environment, the state loaded from the database
(leash.client_api.environment), and per distinct query (token scope, filters, segment mode) the
body rendered to bytes with its ETag (and a gzip copy once a client asked for one), within a
byte budget (leash.client_api.render_cache). Readers only look things up in the current view; a
change builds a new view beside it, from the database, and swaps it in whole, so readers never
wait for a rebuild: they serve the old view until the new one is ready. The new view renders
again only the queries used most recently; the others are
rendered when they are asked for again.

A write in this process rebuilds before its response is sent (so its author reads it back);
writes in other processes reach this one through the revision watcher (leash.revision). If the
database cannot be read, the current view stays and keeps being served. One flag that cannot be
rendered or compiled is left out (leash.client_api.isolation), never the others with it; what
was left out, and a rebuild that failed, show on /health.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine

from leash.client_api import repository
from leash.client_api.change_marks import reach, read_mark
from leash.client_api.compiled import Compiled, compile_rendered
from leash.client_api.environment import EnvironmentState
from leash.client_api.isolation import described, error_name
from leash.client_api.render_cache import DEFAULT_BUDGET
from leash.client_api.rendering import Query, Rendered
from leash.client_api.view import BODY, COMPILED, View
from leash.revision import UNKNOWN, Revision, read_events_revision

log = logging.getLogger("leash.snapshot")

# After a change, the queries served most recently (of each kind) are rendered again before the
# new view is served; the others are rendered the next time they are asked for.
EAGER_RERENDERS = 8
# A rebuild that failed is tried again this often while the revision stands still.
REBUILD_RETRY_SECONDS = 5.0


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Building a state allocates a million small containers, which triggers the cyclic GC
    over and over, each pass walking every live object (the served view included). The state
    holds no cycles, so collection is paused while it is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Unserved:
    """What /health reports of the served snapshot: a failed rebuild, flags left out."""

    rebuild_error: str | None  # the error class of the last rebuild, if it failed
    # {"name", "environment", "failed": "render" | "compile"}, by environment and name: a flag
    # that fails both is reported as failing to render (it is served nowhere then).
    flags: list[dict[str, str]]


class ClientSnapshots:
    def __init__(self, engine: Engine, *, cache_bytes: int = DEFAULT_BUDGET) -> None:
        self._engine = engine
        self._cache_bytes = cache_bytes
        self._view = View(UNKNOWN, budget=cache_bytes)
        self._build_lock = threading.Lock()
        self._ticket_lock = threading.Lock()
        self._wanted = 0
        self._built = 0
        # A write in this process asked for a rebuild that has not run yet.
        self._write_pending = False
        # Rebuilds by kind, for tests and benchmarks: "full", "incremental".
        self.rebuilds: dict[str, int] = {"full": 0, "incremental": 0}
        # Bodies rendered and states compiled, for tests and benchmarks.
        self.renders = 0
        self.compiles = 0
        # The error class of the last rebuild when it failed (the view before it is served).
        self.rebuild_error: str | None = None
        self._failed_at = 0.0
        # False while this process may have missed pruned change-log rows (it was not heard
        # from for a while: leash.revision); every rebuild is then a full one.
        self.log_trusted: Callable[[], bool] = lambda: True

    @property
    def view(self) -> View:
        return self._view

    def distrust_log(self) -> None:
        """Forget what the change log was applied up to: the next rebuild reloads everything
        (and so does every one after it, until one succeeds)."""
        self._view.mark = None

    def unserved(self) -> Unserved | None:
        """None when the last rebuild worked and every flag is served as stored."""
        view = self._view
        flags: dict[tuple[str, str], dict[str, str]] = {}
        for environment, name in list(view.compile_failures):
            flags[(environment, name)] = _unserved(name, environment, "compile")
        for environment, state in list(view.states.items()):
            for name in list(state.failures):
                flags[(environment, name)] = _unserved(name, environment, "render")
        if self.rebuild_error is None and not flags:
            return None
        return Unserved(
            rebuild_error=self.rebuild_error,
            flags=[flags[key] for key in sorted(flags)],
        )

    # -- readers ---------------------------------------------------------------------------

    def _state(self, view: View, environment: str) -> EnvironmentState:
        state = view.states.get(environment)
        if state is None:
            with _no_cycle_collection(), self._engine.connect() as conn:
                mark = view.mark
                if view.revision == UNKNOWN:
                    # The change log first: what is read after it is at least as new.
                    mark, _ = read_mark(conn, since=None)
                    revision = Revision(*read_events_revision(conn), mark.top, mark.recent)
                else:
                    revision = view.revision
                loaded = repository.load_environment(conn, environment=environment)
                state = EnvironmentState(loaded, revision=revision)
            if view.revision == UNKNOWN:
                view.mark = mark
                view.revision = revision
            state = view.states.setdefault(environment, state)
        return state

    def _render(self, state: EnvironmentState, query: Query) -> Rendered:
        self.renders += 1
        return state.render(query)

    def _compile(self, rendered: Rendered, *, previous: Compiled | None) -> Compiled:
        self.compiles += 1
        return compile_rendered(rendered, previous=previous)

    def _rendered(self, view: View, query: Query) -> Rendered:
        rendered = view.body(query)
        if rendered is None:
            rendered = self._render(self._state(view, query.environment), query)
            rendered = view.keep_body(query, rendered)
        return rendered

    def get(self, query: Query) -> Rendered:
        return self._rendered(self._view, query)

    def compiled(self, query: Query) -> Compiled:
        view = self._view
        found = view.compiled(query)
        if found is None:
            rendered = self._rendered(view, query)
            compiled = self._compile(rendered, previous=None)
            found = view.keep_compiled(query, compiled, body=rendered)
        return found

    # -- changes ---------------------------------------------------------------------------

    def invalidate(self) -> None:
        """A write in this process committed: rebuild now, so its author reads it back. The
        change log names what it changed; if it names nothing new, the write is not one we can
        follow (or another rebuild took it already), and everything is reloaded."""
        self.refresh(write=True)

    def on_revision(self, revision: Revision) -> None:
        """The revision watcher saw `revision`: rebuild unless it is what we serve, or retry a
        rebuild that failed (every RETRY_SECONDS: it may fail for a while, and reloads)."""
        if revision != self._view.revision:
            self.refresh(seen=revision)
        elif (
            self.rebuild_error is not None
            and time.monotonic() - self._failed_at >= REBUILD_RETRY_SECONDS
        ):
            self.refresh()

    def refresh(
        self, *, write: bool = False, full: bool = False, seen: Revision | None = None
    ) -> None:
        """Rebuild; `seen`: the revision that prompted it, skipped if it is served by then (a
        write in this process rebuilt for it while the watcher was reading it)."""
        with self._ticket_lock:
            self._wanted += 1
            ticket = self._wanted
            if write:
                self._write_pending = True
        with self._build_lock:
            if self._built >= ticket:
                return  # a rebuild that started after our change already covered it
            if seen is not None and self._view.revision == seen:
                return
            with self._ticket_lock:
                covering = self._wanted
                write_pending, self._write_pending = self._write_pending, False
            try:
                with _no_cycle_collection():
                    new, gzip_wanted = self._build(self._view, full=full, write=write_pending)
            except Exception as error:
                if write_pending:
                    with self._ticket_lock:
                        self._write_pending = True
                # Retried at the next revision move or after REBUILD_RETRY_SECONDS: logged when
                # it starts failing, or fails otherwise.
                if self.rebuild_error != error_name(error):
                    log.warning(
                        "snapshot rebuild failed, serving the last one: %s", described(error)
                    )
                self.rebuild_error = error_name(error)
                self._failed_at = time.monotonic()
                return
            self._view = new
            self._built = covering
            self.rebuild_error = None
        if gzip_wanted:
            threading.Thread(
                target=self._warm_gzip, args=(gzip_wanted,), name="leash-gzip", daemon=True
            ).start()

    def _build(self, old: View, *, full: bool, write: bool) -> tuple[View, list[Rendered]]:
        environments = list(old.states)
        with self._engine.connect() as conn:
            # The change log first: the rows read after it are at least as new.
            since = old.mark if self.log_trusted() else None
            mark, fresh = read_mark(conn, since=since)
            revision = Revision(*read_events_revision(conn), mark.top, mark.recent)
            changed = None if full else reach(fresh, write=write)
            loads = {
                env: repository.load_environment(conn, environment=env)
                if changed is None
                else repository.load_environment(
                    conn,
                    environment=env,
                    flag_names=changed.flags,
                    segment_ids=changed.segment_ids,
                    known_flags=old.states[env].rows,
                )
                for env in environments
            }
        self.rebuilds["full" if changed is None else "incremental"] += 1
        new = View(revision, mark, budget=self._cache_bytes)
        for env, loaded in loads.items():
            # A full load ignores the previous state but for the failures it already logged.
            new.states[env] = EnvironmentState(loaded, revision=revision, previous=old.states[env])
        # Only the queries served most recently are rendered before the swap (least recent
        # first, to keep their order); the rest are rendered when asked for again.
        bodies = old.cache.recent(BODY, EAGER_RERENDERS)
        engines = old.cache.recent(COMPILED, EAGER_RERENDERS)
        gzip_wanted: list[Rendered] = []
        for query, old_body in reversed(bodies):
            state = new.states.get(query.environment)
            if state is not None:
                rendered = new.keep_body(query, self._render(state, query))
                if old_body.gzip_ready and rendered.compressible:
                    rendered.gzip_pending = True
                    gzip_wanted.append(rendered)
        # A flag that failed to compile stays reported while it is unchanged, even when the
        # only query compiling it is one left to be compiled when asked for again.
        for environment, name in old.compile_failures:
            state, before = new.states.get(environment), old.states.get(environment)
            if state is not None and before is not None and state.same_flag(before, name=name):
                new.compile_failures.add((environment, name))
        for query, compiled in reversed(engines):
            state = new.states.get(query.environment)
            if state is not None:
                body = new.body(query) or new.keep_body(query, self._render(state, query))
                new.keep_compiled(query, self._compile(body, previous=compiled), body=body)
        return new, gzip_wanted

    @staticmethod
    def _warm_gzip(bodies: list[Rendered]) -> None:
        # After the swap: clients that took gzip get it again without paying for it; until
        # then they are served the identity body, which is always allowed.
        for rendered in bodies:
            rendered.gzip_body()
            rendered.gzip_pending = False


def _unserved(name: str, environment: str, failed: str) -> dict[str, str]:
    return {"name": name, "environment": environment, "failed": failed}
