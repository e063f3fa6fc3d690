"""Per environment, the state SDKs are served: every non-archived flag's rows and served JSON,
and the segments they use; built whole, or from the state before it and the flags and segments
a change touched."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from leash.client_api import repository
from leash.client_api.isolation import described, error_name
from leash.client_api.rendering import Query, Rendered, feature_json, render_body
from leash.revision import Revision

log = logging.getLogger("leash.snapshot")


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
        return feature_json(
            flag,
            strategies=self.by_flag.get(flag.name, ()),
            links=self.links.get(flag.name, {}),
            dependencies=self.dependencies.get(flag.name),
            inline=self.segment_constraints if inline else None,
        )

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
        return render_body(
            query, features=selected, segments=segments, revision_id=max(self.revision.top, 0)
        )

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
