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
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine

from leash.client_api import repository
from leash.revision import UNKNOWN, Revision, read_revision

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
        "_gzip", "body", "etag", "features", "gzip_headers", "gzip_pending", "headers", "segments"
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
    """Every non-archived flag of one environment; segment constraints inlined on demand."""

    def __init__(self, raw: dict[str, Any], *, revision: Revision) -> None:
        self.revision = revision
        self.segment_constraints: dict[int, list[dict[str, Any]]] = {
            row.id: row.constraints for row in raw["segments"]
        }
        self.segments = [
            {"id": row.id, "name": row.name, "constraints": row.constraints}
            for row in raw["segments"]
        ]
        self.by_flag: dict[str, list[Any]] = defaultdict(list)
        for strategy in raw["strategies"]:
            self.by_flag[strategy.feature_name].append(strategy)
        self.raw = raw
        self.tags: dict[str, set[tuple[str, str]]] = raw["tags"]
        self.flags: list[tuple[Any, dict[str, Any]]] = [
            (flag, self._feature(flag, inline=False)) for flag in raw["flags"]
        ]
        self._inline: dict[str, dict[str, Any]] | None = None
        self._lock = threading.Lock()

    def _feature(self, flag: Any, *, inline: bool) -> dict[str, Any]:
        rendered = []
        for strategy in self.by_flag.get(flag.name, ()):
            ids = self.raw["links"].get(strategy.id, [])
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
        deps = self.raw["dependencies"].get(flag.name)
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
                    flag.name: self._feature(flag, inline=True) for flag, _ in self.flags
                }
            return self._inline

    def render(self, query: Query) -> Rendered:
        inline = self._inline_features() if query.inline_segments else None
        wanted = set(query.tags)
        selected: dict[str, dict[str, Any]] = {}
        for flag, with_ids in self.flags:
            if query.projects is not None and flag.project not in query.projects:
                continue
            if query.name_prefix and not flag.name.startswith(query.name_prefix):
                continue
            if wanted and not (self.tags.get(flag.name, set()) & wanted):
                continue
            selected[flag.name] = inline[flag.name] if inline is not None else with_ids
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
        body["meta"] = {
            "revisionId": max(self.revision.top, 0),
            "etag": etag,
            "queryHash": query_hash,
        }
        return Rendered(
            body=orjson.dumps(body), etag=etag, features=selected, segments=self.segments
        )


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

    if previous is None:
        engine = compile_state(
            {"version": 2, "features": list(rendered.features.values()),
             "segments": rendered.segments}
        )  # fmt: skip
    changed: set[str] = set()
    if previous is not None:
        engine = previous.engine
        changes = _changes(rendered, previous)
        if changes:
            engine.take_state({"events": changes})
        changed = {e["feature"]["name"] for e in changes if e["type"] == "feature-updated"}
    old_plan = {entry[0]: entry for entry in previous.plan} if previous is not None else {}
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


class View:
    """What one revision serves. Filled lazily by readers; replaced whole on a change."""

    __slots__ = ("compiled", "rendered", "revision", "states")

    def __init__(self, revision: Revision) -> None:
        self.revision = revision
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

    @property
    def view(self) -> View:
        return self._view

    # -- readers ---------------------------------------------------------------------------

    def _state(self, view: View, environment: str) -> EnvironmentState:
        state = view.states.get(environment)
        if state is None:
            with _no_cycle_collection(), self._engine.connect() as conn:
                revision = read_revision(conn) if view.revision == UNKNOWN else view.revision
                raw = repository.load_environment(conn, environment=environment)
                state = EnvironmentState(raw, revision=revision)
            if view.revision == UNKNOWN:
                view.revision = revision
            state = view.states.setdefault(environment, state)
        return state

    def get(self, query: Query) -> Rendered:
        view = self._view
        rendered = view.rendered.get(query)
        if rendered is None:
            rendered = self._state(view, query.environment).render(query)
            rendered = view.rendered.setdefault(query, rendered)
        return rendered

    def compiled(self, query: Query) -> Compiled:
        view = self._view
        found = view.compiled.get(query)
        if found is None:
            rendered = view.rendered.get(query)
            if rendered is None:
                rendered = self._state(view, query.environment).render(query)
                rendered = view.rendered.setdefault(query, rendered)
            found = view.compiled.setdefault(query, compile_rendered(rendered))
        return found

    # -- changes ---------------------------------------------------------------------------

    def invalidate(self) -> None:
        """A write in this process committed: rebuild now, so its author reads it back."""
        self.refresh()

    def on_revision(self, revision: Revision) -> None:
        """The revision watcher saw `revision`: rebuild unless it is what we serve."""
        if revision != self._view.revision:
            self.refresh()

    def refresh(self) -> None:
        with self._ticket_lock:
            self._wanted += 1
            ticket = self._wanted
        with self._build_lock:
            if self._built >= ticket:
                return  # a rebuild that started after our change already covered it
            with self._ticket_lock:
                covering = self._wanted
            try:
                with _no_cycle_collection():
                    new, gzip_wanted = self._build(self._view)
            except Exception as error:
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

    def _build(self, old: View) -> tuple[View, list[Query]]:
        environments = list(old.states)
        with self._engine.connect() as conn:
            revision = read_revision(conn)
            raws = {env: repository.load_environment(conn, environment=env) for env in environments}
        new = View(revision)
        for env, raw in raws.items():
            new.states[env] = EnvironmentState(raw, revision=revision)
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
