"""Client-features bodies, built once per state change and served as ready bytes.

A view holds, per environment, the state loaded from the database, and per distinct query
(token scope, filters, segment mode) the body rendered to bytes with its ETag (and a gzip copy
once a client asked for one). Readers only look things up in the current view; a change builds a
new view beside it, from the database, and swaps it in whole, so readers never wait for a
rebuild: they serve the old view until the new one is ready.

A write in this process rebuilds before its response is sent (so its author reads it back);
writes in other processes reach this one through the revision watcher (leash.revision). If the
database cannot be read, the current view stays and keeps being served.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from leash import changelog
from leash.client_api import repository
from leash.revision import UNKNOWN, Revision, read_events_revision

log = logging.getLogger("leash.snapshot")

JSON_UTF8 = b"application/json; charset=utf-8"
# Express's compression middleware leaves bodies under 1 kB alone; so do we.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Query:
    environment: str
    projects: tuple[str, ...] | None  # None: every project
    name_prefix: str | None
    tags: tuple[tuple[str, str], ...]
    inline_segments: bool

    def as_json(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        if self.tags:
            query["tag"] = [list(tag) for tag in self.tags]
        if self.projects is not None:
            query["project"] = list(self.projects)
        if self.name_prefix:
            query["namePrefix"] = self.name_prefix
        query["environment"] = self.environment
        query["inlineSegmentConstraints"] = self.inline_segments
        return query


class Rendered:
    """One query's body as bytes, its ETag, and the ASGI headers to send it with."""

    __slots__ = (
        "_gzip",
        "body",
        "etag",
        "features",
        "gzip_headers",
        "gzip_pending",
        "headers",
        "segments",
    )

    def __init__(
        self,
        *,
        body: bytes,
        etag: str,
        features: dict[str, dict[str, Any]],
        segments: list[dict[str, Any]],
    ) -> None:
        self.body = body
        self.etag = etag
        self.features = features
        self.segments = segments
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-type", JSON_UTF8),
            (b"content-length", str(len(body)).encode()),
            (b"etag", etag.encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        self._gzip: bytes | None = None
        self.gzip_headers: list[tuple[bytes, bytes]] | None = None
        # Set while a rebuild compresses it in the background: serve identity meanwhile.
        self.gzip_pending = False

    @property
    def compressible(self) -> bool:
        return len(self.body) >= GZIP_MIN_BYTES

    @property
    def gzip_ready(self) -> bool:
        return self._gzip is not None

    def gzip_body(self) -> bytes:
        """The gzip copy, compressed on first use (racing callers compress twice, harmlessly)."""
        found = self._gzip
        if found is None:
            found = gzip.compress(self.body, compresslevel=GZIP_LEVEL, mtime=0)
            self.gzip_headers = [
                (b"content-type", JSON_UTF8),
                (b"content-length", str(len(found)).encode()),
                (b"etag", self.etag.encode()),
                (b"vary", b"Accept-Encoding"),
                (b"content-encoding", b"gzip"),
            ]
            self._gzip = found
        return found


def _stringify(parameters: dict[str, Any] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in (parameters or {}).items():
        if isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif value is None:
            result[key] = ""
        else:
            result[key] = value if isinstance(value, str) else orjson.dumps(value).decode()
    return result


@dataclass(frozen=True)
class Compiled:
    """A rendered state compiled once for server-side evaluation (frontend API, playground)."""

    features: dict[str, dict[str, Any]]
    engine: Any
    # Per flag, in body order: (name, its compiled fast check or None, the frontend toggle as
    # ready JSON bytes when its variant cannot depend on the context, else None, impressionData).
    plan: tuple[tuple[str, Any, bytes | None, bool], ...] = ()
    segments: tuple[dict[str, Any], ...] = ()


class EnvironmentState:
    """Every non-archived flag of one environment; segment constraints inlined on demand.

    Built whole from a full load, or from the previous state and a partial load of the flags and
    segments a change touched: everything else (rows, feature dicts, segment dicts) is shared
    with the previous state, which also lets the engine delta skip it by identity.
    """

    def __init__(
        self,
        loaded: repository.Loaded,
        *,
        revision: Revision,
        previous: EnvironmentState | None = None,
    ) -> None:
        self.revision = revision
        self._lock = threading.Lock()
        self._inline: dict[str, dict[str, Any]] | None = None
        if previous is None or not loaded.partial:
            self.rows: dict[str, Any] = {flag.name: flag for flag in loaded.flags}
            self.by_flag = loaded.strategies
            self.links = loaded.links
            self.dependencies = loaded.dependencies
            self.tags = loaded.tags
            self.all_segments = loaded.segments
            self.features = {
                name: self._feature(flag, inline=False) for name, flag in self.rows.items()
            }
            self._serve_segments()
            return
        touched = loaded.flag_names
        fresh = {flag.name: flag for flag in loaded.flags}
        order = loaded.flag_order if loaded.flag_order is not None else previous.rows
        self.rows = {}
        for name in order:
            row = fresh.get(name) if name in touched else previous.rows.get(name)
            if row is not None:
                self.rows[name] = row
        self.by_flag = _replaced(previous.by_flag, loaded.strategies, touched)
        self.links = _replaced(previous.links, loaded.links, touched)
        self.dependencies = _replaced(previous.dependencies, loaded.dependencies, touched)
        self.tags = _replaced(previous.tags, loaded.tags, touched)
        if loaded.segment_ids:
            merged = {**previous.all_segments, **loaded.segments}
            self.all_segments = {
                sid: merged[sid]
                for sid in loaded.segment_order or ()
                if sid in merged and (sid in loaded.segments or sid not in loaded.segment_ids)
            }
        else:
            self.all_segments = previous.all_segments
        self.features = {
            name: self._feature(row, inline=False) if name in touched else previous.features[name]
            for name, row in self.rows.items()
        }
        self._serve_segments()
        old_inline = previous._inline
        if old_inline is not None:
            # Inlined flags embed segment constraints: redo those touched or using a segment
            # that changed, share the rest.
            changed_segments = loaded.segment_ids
            self._inline = {
                name: old_inline[name]
                if name not in touched
                and name in old_inline
                and not self._uses(name, changed_segments)
                else self._feature(row, inline=True)
                for name, row in self.rows.items()
            }

    def _serve_segments(self) -> None:
        linked = {
            sid
            for by_strategy in self.links.values()
            for ids in by_strategy.values()
            for sid in ids
        }
        self.segments = [seg for sid, seg in self.all_segments.items() if sid in linked]
        self.segment_constraints: dict[int, list[dict[str, Any]]] = {
            seg["id"]: seg["constraints"] for seg in self.segments
        }

    def _uses(self, name: str, segment_ids: frozenset[int]) -> bool:
        if not segment_ids:
            return False
        by_strategy = self.links.get(name, {})
        return any(
            sid in segment_ids
            for strategy in self.by_flag.get(name, ())
            for sid in by_strategy.get(strategy.id, ())
        )

    def _feature(self, flag: Any, *, inline: bool) -> dict[str, Any]:
        rendered = []
        by_strategy = self.links.get(flag.name, {})
        for strategy in self.by_flag.get(flag.name, ()):
            ids = by_strategy.get(strategy.id, [])
            constraints = list(strategy.constraints)
            item: dict[str, Any] = {"name": strategy.strategy_name}
            if inline:
                for segment_id in ids:
                    constraints.extend(self.segment_constraints.get(segment_id, []))
            item["constraints"] = constraints
            item["parameters"] = _stringify(strategy.parameters)
            item["variants"] = strategy.variants or []
            if ids and not inline:
                item["segments"] = ids
            rendered.append(item)
        feature: dict[str, Any] = {
            "name": flag.name,
            "type": flag.type,
            "enabled": bool(flag.env_enabled),
            "project": flag.project,
            "stale": bool(flag.stale),
            "strategies": rendered,
            "variants": flag.env_variants or [],
            "description": flag.description,
            "impressionData": bool(flag.impression_data),
        }
        deps = self.dependencies.get(flag.name)
        if deps:
            feature["dependencies"] = [
                {
                    "feature": d.parent,
                    "enabled": bool(d.enabled),
                    **({"variants": d.variants} if d.variants else {}),
                }
                for d in deps
            ]
        return feature

    def _inline_features(self) -> dict[str, dict[str, Any]]:
        # Inlining copies every segment into every strategy using it: only old SDKs ask for it,
        # so it is built the first time one does, not for every state.
        with self._lock:
            if self._inline is None:
                self._inline = {
                    name: self._feature(row, inline=True) for name, row in self.rows.items()
                }
            return self._inline

    def render(self, query: Query) -> Rendered:
        inline = self._inline_features() if query.inline_segments else None
        wanted = set(query.tags)
        selected: dict[str, dict[str, Any]] = {}
        features = inline if inline is not None else self.features
        for name, row in self.rows.items():
            if query.projects is not None and row.project not in query.projects:
                continue
            if query.name_prefix and not name.startswith(query.name_prefix):
                continue
            if wanted and not (self.tags.get(name, set()) & wanted):
                continue
            selected[name] = features[name]
        body: dict[str, Any] = {
            "version": 2,
            "features": list(selected.values()),
            "query": query.as_json(),
        }
        if not query.inline_segments:
            body["segments"] = self.segments
        content = orjson.dumps(body)
        query_hash = hashlib.sha1(orjson.dumps(query.as_json())).hexdigest()[:8]
        content_hash = hashlib.sha1(content).hexdigest()[:12]
        etag = f'"{query_hash}:{content_hash}:v1"'
        meta = {"revisionId": max(self.revision.top, 0), "etag": etag, "queryHash": query_hash}
        # The body with "meta" appended is `content` with one more key: splice it in rather
        # than serialize every flag a second time (orjson writes no whitespace either way).
        full = b"".join((content[:-1], b',"meta":', orjson.dumps(meta), b"}"))
        return Rendered(body=full, etag=etag, features=selected, segments=self.segments)


def _replaced(
    previous: dict[str, Any], loaded: dict[str, Any], touched: frozenset[str]
) -> dict[str, Any]:
    """`previous` with the entries of the `touched` flags replaced by what was `loaded`."""
    merged = {name: value for name, value in previous.items() if name not in touched}
    merged.update(loaded)
    return merged


def toggle_bytes(name: str, variant: dict[str, Any], impression: bool) -> bytes:
    variant = dict(variant)
    # Unleash sends both spellings; older frontend SDKs read the snake_case one.
    variant["featureEnabled"] = variant.get("feature_enabled", True)
    return orjson.dumps(
        {"name": name, "enabled": True, "variant": variant, "impressionData": impression}
    )


def _changes(rendered: Rendered, previous: Compiled) -> list[dict[str, Any]]:
    """The engine delta from `previous` to `rendered`: changed and removed flags and segments."""
    events: list[dict[str, Any]] = []
    old_features = previous.features
    for name, feature in rendered.features.items():
        old = old_features.get(name)
        if old is not feature and old != feature:
            events.append({"type": "feature-updated", "feature": feature})
    for name in old_features.keys() - rendered.features.keys():
        events.append({"type": "feature-removed", "featureName": name})
    old_segments = {segment["id"]: segment for segment in previous.segments}
    new_ids = set()
    for segment in rendered.segments:
        new_ids.add(segment["id"])
        old = old_segments.get(segment["id"])
        if old is not segment and old != segment:
            events.append({"type": "segment-updated", "segment": segment})
    for segment_id in old_segments.keys() - new_ids:
        events.append({"type": "segment-removed", "segmentId": segment_id})
    return events


def compile_rendered(rendered: Rendered, *, previous: Compiled | None = None) -> Compiled:
    """Compile for evaluation; given the previous compilation of the same query, recompile only
    what changed (the engine applies the difference as a delta, swapping its state whole)."""
    from leash.engine import compile_state
    from leash.engine.state import disabled_variant

    changed: set[str] = set()
    old_plan: dict[str, tuple[str, Any, bytes | None, bool]] = {}
    if previous is None:
        engine = compile_state(
            {
                "version": 2,
                "features": list(rendered.features.values()),
                "segments": rendered.segments,
            }
        )
    else:
        engine = previous.engine
        changes = _changes(rendered, previous)
        if changes:
            engine.take_state({"events": changes})
        changed = {e["feature"]["name"] for e in changes if e["type"] == "feature-updated"}
        old_plan = {entry[0]: entry for entry in previous.plan}
    plan = []
    for name, feature in rendered.features.items():
        old_entry = old_plan.get(name)
        # Same flag, and the engine kept its compiled predicate (no segment of it changed).
        if old_entry is not None and name not in changed:
            compiled_feature = engine.feature(name)
            if compiled_feature is not None and compiled_feature.fast is old_entry[1]:
                plan.append(old_entry)
                continue
        impression = bool(feature.get("impressionData"))
        compiled = engine.feature(name)
        fast = compiled.fast if compiled is not None else None
        static: bytes | None = None
        has_variants = bool(feature.get("variants")) or any(
            s.get("variants") for s in feature.get("strategies") or []
        )
        if compiled is not None and not has_variants:
            # Without variants anywhere, an enabled flag always answers the same variant.
            static = toggle_bytes(name, disabled_variant(feature_enabled=True), impression)
        plan.append((name, fast, static, impression))
    return Compiled(
        features=rendered.features,
        engine=engine,
        plan=tuple(plan),
        segments=tuple(rendered.segments),
    )


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


# More changes than this since the served view: reading everything is about as quick.
MAX_INCREMENTAL_FLAGS = 500
MAX_INCREMENTAL_SEGMENTS = 100


@dataclass(frozen=True)
class ChangeMark:
    """The change-log ids a view has applied: the top, and every id of the window below it."""

    top: int
    ids: frozenset[int]

    @property
    def recent(self) -> int:
        return len(self.ids)


def read_mark(
    conn: Connection, *, since: ChangeMark | None
) -> tuple[ChangeMark, list[changelog.Change] | None]:
    """The change log as it is now, and the changes not in `since` (None: unknown, as when
    there is no `since` or the log went backwards)."""
    if since is None:
        top, _ = changelog.top_and_recent(conn)
        above = top - changelog.WINDOW
    else:
        above = since.top - changelog.WINDOW
    rows = changelog.read_window(conn, above=above)
    top = max([since.top if since is not None else 0, *(row.id for row in rows)])
    ids = frozenset(row.id for row in rows if row.id > top - changelog.WINDOW)
    mark = ChangeMark(top, ids)
    if since is None:
        return mark, None
    fresh = [row for row in rows if row.id not in since.ids]
    if rows and max(row.id for row in rows) < since.top:
        return mark, None  # ids went backwards: not the log this view was built from
    return mark, fresh


class View:
    """What one revision serves. Filled lazily by readers; replaced whole on a change."""

    __slots__ = ("compiled", "mark", "rendered", "revision", "states")

    def __init__(self, revision: Revision, mark: ChangeMark | None = None) -> None:
        self.revision = revision
        self.mark = mark
        self.states: dict[str, EnvironmentState] = {}
        self.rendered: dict[Query, Rendered] = {}
        self.compiled: dict[Query, Compiled] = {}


class ClientSnapshots:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._view = View(UNKNOWN)
        self._build_lock = threading.Lock()
        self._ticket_lock = threading.Lock()
        self._wanted = 0
        self._built = 0
        # A write in this process asked for a rebuild that has not run yet.
        self._write_pending = False
        # Rebuilds by kind, for tests and benchmarks: "full", "incremental".
        self.rebuilds: dict[str, int] = {"full": 0, "incremental": 0}

    @property
    def view(self) -> View:
        return self._view

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

    def _rendered(self, view: View, query: Query) -> Rendered:
        rendered = view.rendered.get(query)
        if rendered is None:
            rendered = self._state(view, query.environment).render(query)
            rendered = view.rendered.setdefault(query, rendered)
        return rendered

    def get(self, query: Query) -> Rendered:
        return self._rendered(self._view, query)

    def compiled(self, query: Query) -> Compiled:
        view = self._view
        found = view.compiled.get(query)
        if found is None:
            rendered = self._rendered(view, query)
            found = view.compiled.setdefault(query, compile_rendered(rendered))
        return found

    # -- changes ---------------------------------------------------------------------------

    def invalidate(self) -> None:
        """A write in this process committed: rebuild now, so its author reads it back. The
        change log names what it changed; if it names nothing new, the write is not one we can
        follow (or another rebuild took it already), and everything is reloaded."""
        self.refresh(write=True)

    def on_revision(self, revision: Revision) -> None:
        """The revision watcher saw `revision`: rebuild unless it is what we serve."""
        if revision != self._view.revision:
            self.refresh(seen=revision)

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
                log.warning(
                    "snapshot rebuild failed, serving the last one: %s", error.__class__.__name__
                )
                return
            self._view = new
            self._built = covering
        if gzip_wanted:
            threading.Thread(
                target=self._warm_gzip, args=(new, gzip_wanted), name="leash-gzip", daemon=True
            ).start()

    def _build(self, old: View, *, full: bool, write: bool) -> tuple[View, list[Query]]:
        environments = list(old.states)
        with self._engine.connect() as conn:
            # The change log first: the rows read after it are at least as new.
            mark, fresh = read_mark(conn, since=old.mark)
            revision = Revision(*read_events_revision(conn), mark.top, mark.recent)
            flags: set[str] = set()
            segment_ids: set[int] = set()
            for change in fresh or ():
                if change.feature_name is not None:
                    flags.add(change.feature_name)
                if change.segment_id is not None:
                    segment_ids.add(change.segment_id)
                if change.feature_name is None and change.segment_id is None:
                    full = True  # a change of unknown reach
            if (
                fresh is None
                or (write and not fresh)
                or len(flags) > MAX_INCREMENTAL_FLAGS
                or len(segment_ids) > MAX_INCREMENTAL_SEGMENTS
            ):
                full = True
            loads = {
                env: repository.load_environment(conn, environment=env)
                if full
                else repository.load_environment(
                    conn,
                    environment=env,
                    flag_names=flags,
                    segment_ids=segment_ids,
                    known_flags=old.states[env].rows,
                )
                for env in environments
            }
        self.rebuilds["full" if full else "incremental"] += 1
        new = View(revision, mark)
        for env, loaded in loads.items():
            new.states[env] = EnvironmentState(
                loaded, revision=revision, previous=None if full else old.states[env]
            )
        for query in list(old.rendered):
            state = new.states.get(query.environment)
            if state is not None:
                new.rendered[query] = state.render(query)
        for query, compiled in list(old.compiled.items()):
            rendered = new.rendered.get(query)
            if rendered is not None:
                new.compiled[query] = compile_rendered(rendered, previous=compiled)
        gzip_wanted = [q for q, r in list(old.rendered.items()) if r.gzip_ready]
        for query in gzip_wanted:
            if query in new.rendered:
                new.rendered[query].gzip_pending = True
        return new, gzip_wanted

    @staticmethod
    def _warm_gzip(view: View, queries: list[Query]) -> None:
        # After the swap: clients that took gzip get it again without paying for it; until
        # then they are served the identity body, which is always allowed.
        for query in queries:
            rendered = view.rendered.get(query)
            if rendered is not None:
                rendered.gzip_body()
                rendered.gzip_pending = False
