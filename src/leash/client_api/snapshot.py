"""Client-features bodies, built once per state change and served as ready bytes.

A view holds, per environment, the state loaded from the database, and per distinct query
(token scope, filters, segment mode) the body rendered to bytes with its ETag (and a gzip copy
once a client asked for one), within a byte budget (leash.client_api.render_cache). Readers only
look things up in the current view; a change builds a new view beside it, from the database, and
swaps it in whole, so readers never wait for a rebuild: they serve the old view until the new
one is ready. The new view renders again only the queries used most recently; the others are
rendered when they are asked for again.

A write in this process rebuilds before its response is sent (so its author reads it back);
writes in other processes reach this one through the revision watcher (leash.revision). If the
database cannot be read, the current view stays and keeps being served. One flag that cannot be
rendered or compiled is left out (leash.client_api.isolation), never the others with it; what
was left out, and a rebuild that failed, show on /health.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from leash import changelog
from leash.client_api import repository
from leash.client_api.isolation import compile_isolated, described, error_name
from leash.client_api.render_cache import DEFAULT_BUDGET, RenderCache
from leash.revision import UNKNOWN, Revision, read_events_revision

log = logging.getLogger("leash.snapshot")

JSON_UTF8 = b"application/json; charset=utf-8"
# Express's compression middleware leaves bodies under 1 kB alone; so do we.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6
# A compiled engine is counted as this many times the bytes of its body: measured, 4.6x for
# 5,000 flags using large segments, 10x for small flags without segments.
COMPILED_BYTES_PER_BODY_BYTE = 8
# After a change, the queries served most recently (of each kind) are rendered again before the
# new view is served; the others are rendered the next time they are asked for.
EAGER_RERENDERS = 8
BODY = "body"
COMPILED = "compiled"


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

    @property
    def selects_all(self) -> bool:
        return self.projects is None and not self.name_prefix and not self.tags


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
        "on_gzip",
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
        # Told when the gzip copy is made, so the cache holding this body counts its bytes.
        self.on_gzip: Callable[[Rendered], None] | None = None

    @property
    def cost(self) -> int:
        """Bytes counted against the render cache: the body and its gzip copy."""
        return len(self.body) + (len(self._gzip) if self._gzip is not None else 0)

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
            if self.on_gzip is not None:
                self.on_gzip(self)
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

    features: dict[str, dict[str, Any]]  # the flags in the engine
    engine: Any
    # Per flag, in body order: (name, its compiled fast check or None, the frontend toggle as
    # ready JSON bytes when its variant cannot depend on the context, else None, impressionData).
    plan: tuple[tuple[str, Any, bytes | None, bool], ...] = ()
    segments: tuple[dict[str, Any], ...] = ()
    # Flags the engine compiled as always off: name -> its reason.
    failed: Mapping[str, str] = field(default_factory=dict)
    # Flags that broke the engine, left out of it (so off): name -> (their body, error class).
    left_out: Mapping[str, tuple[dict[str, Any], str]] = field(default_factory=dict)


class EnvironmentState:
    """Every non-archived flag of one environment; segment constraints inlined on demand.

    Built whole from a full load, or from the previous state and a partial load of the flags and
    segments a change touched: everything else (rows, feature dicts, segment dicts) is shared
    with the previous state, which also lets the engine delta skip it by identity. A flag whose
    rows cannot be rendered is left out, and named in `failures` (name -> error class).
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
        self.failures: dict[str, str] = {}
        # Failures already logged by the state this one follows.
        self._known_failures = previous.failures if previous is not None else {}
        if previous is None or not loaded.partial:
            self.rows: dict[str, Any] = {flag.name: flag for flag in loaded.flags}
            self.by_flag = loaded.strategies
            self.links = loaded.links
            self.dependencies = loaded.dependencies
            self.tags = loaded.tags
            self.all_segments = loaded.segments
            self.features = self._rendered_features(self.rows.items(), inline=False)
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
        self.features = {}
        for name, row in self.rows.items():
            kept = None if name in touched else previous.features.get(name)
            if kept is None and name not in touched and name in previous.failures:
                self.failures[name] = previous.failures[name]
                continue
            feature = kept if kept is not None else self._safe_feature(name, row, inline=False)
            if feature is not None:
                self.features[name] = feature
        self._serve_segments()
        old_inline = previous._inline
        if old_inline is not None:
            # Inlined flags embed segment constraints: redo those touched or using a segment
            # that changed, share the rest.
            changed_segments = loaded.segment_ids
            self._inline = {}
            for name, row in self.rows.items():
                if name in self.failures:
                    continue
                inlined = (
                    old_inline[name]
                    if name not in touched
                    and name in old_inline
                    and not self._uses(name, changed_segments)
                    else self._safe_feature(name, row, inline=True)
                )
                if inlined is not None:
                    self._inline[name] = inlined

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

    def same_flag(self, other: EnvironmentState, *, name: str) -> bool:
        """Is `name` served here as in `other`, its segments included? Then it compiles alike."""
        mine = self.features.get(name)
        if mine is None or mine != other.features.get(name):
            return False
        used = {sid for ids in self.links.get(name, {}).values() for sid in ids}
        return all(self.all_segments.get(sid) == other.all_segments.get(sid) for sid in used)

    def _uses(self, name: str, segment_ids: frozenset[int]) -> bool:
        if not segment_ids:
            return False
        by_strategy = self.links.get(name, {})
        return any(
            sid in segment_ids
            for strategy in self.by_flag.get(name, ())
            for sid in by_strategy.get(strategy.id, ())
        )

    def _rendered_features(
        self, rows: Iterable[tuple[str, Any]], *, inline: bool
    ) -> dict[str, dict[str, Any]]:
        rendered = {}
        for name, row in rows:
            feature = self._safe_feature(name, row, inline=inline)
            if feature is not None:
                rendered[name] = feature
        return rendered

    def _safe_feature(self, name: str, flag: Any, *, inline: bool) -> dict[str, Any] | None:
        """The flag's served form, or None (and noted in `failures`) if its rows break it: one
        bad row must not keep every other flag of the environment from being served."""
        try:
            return self._feature(flag, inline=inline)
        except Exception as error:
            if name not in self.failures and name not in self._known_failures:
                log.warning(
                    "flag %r cannot be rendered for SDKs, left out: %s", name, described(error)
                )
            self.failures[name] = error_name(error)
            return None

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
                self._inline = self._rendered_features(
                    ((name, row) for name, row in self.rows.items() if name not in self.failures),
                    inline=True,
                )
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
            feature = features.get(name)
            if feature is not None:  # else it cannot be rendered: see `failures`
                selected[name] = feature
        segments = self.segments if query.selects_all else self._segments_of(selected)
        body: dict[str, Any] = {
            "version": 2,
            "features": list(selected.values()),
            "query": query.as_json(),
        }
        if not query.inline_segments:
            body["segments"] = segments
        content = orjson.dumps(body)
        query_hash = hashlib.sha1(orjson.dumps(query.as_json())).hexdigest()[:8]
        content_hash = hashlib.sha1(content).hexdigest()[:12]
        etag = f'"{query_hash}:{content_hash}:v1"'
        meta = {"revisionId": max(self.revision.top, 0), "etag": etag, "queryHash": query_hash}
        # The body with "meta" appended is `content` with one more key: splice it in rather
        # than serialize every flag a second time (orjson writes no whitespace either way).
        full = b"".join((content[:-1], b',"meta":', orjson.dumps(meta), b"}"))
        return Rendered(body=full, etag=etag, features=selected, segments=segments)

    def _segments_of(self, selected: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The served segments the `selected` flags use. Unleash 8.2 sends every segment any
        strategy uses whatever the query; leash differs on purpose for a query narrowed by
        project, name or tag: a token of one project must not read other projects' segments."""
        used = {
            sid for name in selected for ids in self.links.get(name, {}).values() for sid in ids
        }
        return [segment for segment in self.segments if segment["id"] in used]


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


def _changes(
    rendered: Rendered, previous: Compiled, *, left_out: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The engine delta from `previous` to `rendered`: changed and removed flags and segments
    (flags still `left_out` of the engine stay out of it)."""
    events: list[dict[str, Any]] = []
    old_features = previous.features
    for name, feature in rendered.features.items():
        if name in left_out:
            continue
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


def _still_left_out(rendered: Rendered, previous: Compiled) -> dict[str, tuple[Any, str]]:
    """The flags `previous` left out of its engine whose body has not changed since."""
    kept = {}
    for name, (feature, error) in previous.left_out.items():
        now = rendered.features.get(name)
        if now is not None and (now is feature or now == feature):
            kept[name] = (now, error)
    return kept


def _delta(
    rendered: Rendered, previous: Compiled
) -> tuple[Any, dict[str, str], dict[str, tuple[Any, str]], set[str]] | None:
    """`previous`'s engine brought to `rendered` by a delta, with what failed, what stays left
    out and the flags updated; None if the delta breaks the engine (compile it whole then)."""
    left_out = _still_left_out(rendered, previous)
    changes = _changes(rendered, previous, left_out=left_out)
    engine = previous.engine
    try:
        failed = engine.take_state({"events": changes}) if changes else dict(previous.failed)
    except Exception:
        # The engine swaps its state only once a delta compiled: it is unchanged.
        return None
    changed = {e["feature"]["name"] for e in changes if e["type"] == "feature-updated"}
    return engine, failed, left_out, changed


def compile_rendered(rendered: Rendered, *, previous: Compiled | None = None) -> Compiled:
    """Compile for evaluation; given the previous compilation of the same query, recompile only
    what changed (the engine applies the difference as a delta, swapping its state whole).

    A flag that breaks the engine is left out of it (so it is off in server-side evaluation);
    backend SDKs are still sent its body, to evaluate it themselves.
    """
    from leash.engine.state import disabled_variant

    delta = _delta(rendered, previous) if previous is not None else None
    old_plan: dict[str, tuple[str, Any, bytes | None, bool]] = {}
    if delta is not None and previous is not None:
        engine, failed, left_out, changed = delta
        old_plan = {entry[0]: entry for entry in previous.plan}
    else:
        engine, failed, errors = compile_isolated(
            list(rendered.features.values()), rendered.segments
        )
        left_out = {name: (rendered.features[name], error) for name, error in errors.items()}
        changed = set()
    known = previous.failed if previous is not None else {}
    for name in failed.keys() - known.keys():
        reason = failed[name]
        log.warning("flag %r does not compile, evaluated off: %s", name, reason[:200])
    in_engine = (
        {name: feature for name, feature in rendered.features.items() if name not in left_out}
        if left_out
        else rendered.features
    )
    plan = []
    for name, feature in in_engine.items():
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
        features=in_engine,
        engine=engine,
        plan=tuple(plan),
        segments=tuple(rendered.segments),
        failed=failed,
        left_out=left_out,
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


# A rebuild that failed is tried again this often while the revision stands still.
REBUILD_RETRY_SECONDS = 5.0
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

    __slots__ = ("cache", "compile_failures", "mark", "revision", "states")

    def __init__(
        self, revision: Revision, mark: ChangeMark | None = None, *, budget: int = DEFAULT_BUDGET
    ) -> None:
        self.revision = revision
        self.mark = mark
        self.states: dict[str, EnvironmentState] = {}
        self.cache = RenderCache(budget=budget)
        # (environment, flag) of every flag a compilation of this view left out or compiled
        # as off; kept when the compiled engine leaves the cache.
        self.compile_failures: set[tuple[str, str]] = set()

    def body(self, query: Query) -> Rendered | None:
        found: Rendered | None = self.cache.get((BODY, query))
        return found

    def compiled(self, query: Query) -> Compiled | None:
        found: Compiled | None = self.cache.get((COMPILED, query))
        return found

    def keep_body(self, query: Query, rendered: Rendered) -> Rendered:
        """Keep `rendered` for `query` (unless a racing reader kept one first: that one wins)."""
        key = (BODY, query)
        # A weak reference: cache -> body -> callback -> cache would be a cycle, and a replaced
        # view's cache (its bodies included) would then wait for a full cyclic collection.
        cache_ref = weakref.ref(self.cache)

        def recharge(body: Rendered) -> None:
            cache = cache_ref()
            if cache is not None:
                cache.recharge(key, body, cost=body.cost)

        rendered.on_gzip = recharge
        kept: Rendered = self.cache.put(key, rendered, cost=rendered.cost)
        return kept

    def keep_compiled(self, query: Query, compiled: Compiled, *, body: Rendered) -> Compiled:
        for name in [*compiled.failed, *compiled.left_out]:
            self.compile_failures.add((query.environment, name))
        cost = COMPILED_BYTES_PER_BODY_BYTE * len(body.body)
        kept: Compiled = self.cache.put((COMPILED, query), compiled, cost=cost)
        return kept


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
