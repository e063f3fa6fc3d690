"""Client-features bodies, built once per state change and served as ready bytes.

A body is built from the database once per environment and state revision, then each
distinct query (token scope, filters, segment mode) is rendered to bytes with its ETag once.
Any write in this process invalidates at once; writes in other processes are noticed through
the events table's high-water mark, checked at most once a second.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, func, select

from leash.client_api import repository
from leash.events.models import events

RECHECK_SECONDS = 1.0


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


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    features: dict[str, dict[str, Any]]


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


class EnvironmentState:
    """Every non-archived flag of one environment, in both segment modes."""

    def __init__(self, raw: dict[str, Any], *, revision: int) -> None:
        self.revision = revision
        segment_constraints = {row.id: row.constraints for row in raw["segments"]}
        self.segments = [
            {"id": row.id, "name": row.name, "constraints": row.constraints} for row in raw["segments"]
        ]
        by_flag: dict[str, list[Any]] = defaultdict(list)
        for strategy in raw["strategies"]:
            by_flag[strategy.feature_name].append(strategy)
        self.flags: list[tuple[Any, dict[str, Any], dict[str, Any]]] = []
        self.tags: dict[str, set[tuple[str, str]]] = raw["tags"]
        for flag in raw["flags"]:
            with_ids = self._feature(flag, by_flag[flag.name], raw, segment_constraints, inline=False)
            inline = self._feature(flag, by_flag[flag.name], raw, segment_constraints, inline=True)
            self.flags.append((flag, with_ids, inline))

    @staticmethod
    def _feature(
        flag: Any,
        strategies: list[Any],
        raw: dict[str, Any],
        segment_constraints: dict[int, list[dict[str, Any]]],
        *,
        inline: bool,
    ) -> dict[str, Any]:
        rendered = []
        for strategy in strategies:
            ids = raw["links"].get(strategy.id, [])
            constraints = list(strategy.constraints)
            item: dict[str, Any] = {"name": strategy.strategy_name}
            if inline:
                for segment_id in ids:
                    constraints.extend(segment_constraints.get(segment_id, []))
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
        deps = raw["dependencies"].get(flag.name)
        if deps:
            feature["dependencies"] = [
                {"feature": d.parent, "enabled": bool(d.enabled), **({"variants": d.variants} if d.variants else {})}
                for d in deps
            ]
        return feature

    def render(self, query: Query) -> Rendered:
        selected: dict[str, dict[str, Any]] = {}
        for flag, with_ids, inline in self.flags:
            if query.projects is not None and flag.project not in query.projects:
                continue
            if query.name_prefix and not flag.name.startswith(query.name_prefix):
                continue
            if query.tags and not (self.tags.get(flag.name, set()) & set(query.tags)):
                continue
            selected[flag.name] = inline if query.inline_segments else with_ids
        body: dict[str, Any] = {"version": 2, "features": list(selected.values()), "query": query.as_json()}
        if not query.inline_segments:
            body["segments"] = self.segments
        content = orjson.dumps(body)
        query_hash = hashlib.sha1(orjson.dumps(query.as_json())).hexdigest()[:8]
        content_hash = hashlib.sha1(content).hexdigest()[:12]
        etag = f'"{query_hash}:{content_hash}:v1"'
        body["meta"] = {"revisionId": self.revision, "etag": etag, "queryHash": query_hash}
        return Rendered(body=orjson.dumps(body), etag=etag, features=selected)


class ClientSnapshots:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._states: dict[str, EnvironmentState] = {}
        self._rendered: dict[Query, Rendered] = {}
        self._compiled: dict[Query, Compiled] = {}
        self._generation = 0
        self._revision = -1
        self._checked_at = 0.0

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._states.clear()
            self._rendered.clear()
            self._compiled.clear()
            self._checked_at = 0.0

    def _revision_now(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one())

    def _recheck(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < RECHECK_SECONDS:
            return
        revision = self._revision_now()
        with self._lock:
            self._checked_at = now
            if revision != self._revision:
                self._revision = revision
                self._states.clear()
                self._rendered.clear()
                self._compiled.clear()

    def get(self, query: Query) -> Rendered:
        self._recheck()
        rendered = self._rendered.get(query)
        if rendered is not None:
            return rendered
        with self._lock:
            generation = self._generation
            state = self._states.get(query.environment)
        if state is None:
            with self._engine.connect() as conn:
                raw = repository.load_environment(conn, environment=query.environment)
            state = EnvironmentState(raw, revision=max(self._revision, 0))
        rendered = state.render(query)
        with self._lock:
            # Only keep what was built from the state still current.
            if generation == self._generation:
                self._states.setdefault(query.environment, state)
                self._rendered[query] = rendered
        return rendered

    def compiled(self, query: Query) -> Compiled:
        self._recheck()
        found = self._compiled.get(query)
        if found is not None:
            return found
        with self._lock:
            generation = self._generation
        rendered = self.get(query)
        from leash.engine import compile_state

        state = orjson.loads(rendered.body)
        compiled = Compiled(features=rendered.features, engine=compile_state(state))
        with self._lock:
            if generation == self._generation:
                self._compiled[query] = compiled
        return compiled
