"""What one revision serves: per environment its state, per query its body and its compiled
engine (in the render cache). Filled lazily by readers; replaced whole on a change."""

from __future__ import annotations

import weakref

from leash.client_api.change_marks import ChangeMark
from leash.client_api.compiled import COMPILED_BYTES_PER_BODY_BYTE, Compiled
from leash.client_api.environment import EnvironmentState
from leash.client_api.render_cache import DEFAULT_BUDGET, RenderCache
from leash.client_api.rendering import Query, Rendered
from leash.revision import Revision

BODY = "body"
COMPILED = "compiled"


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
