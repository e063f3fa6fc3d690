"""The engine: one compiled client-features state, swapped whole, and the answers on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leash.engine.compile import NO_STATE, CompiledFeature, default_hostname, next_state
from leash.engine.context import Context
from leash.engine.evaluate import EMPTY_CONTEXT, enabled, get_variant
from leash.engine.explain import explain
from leash.engine.results import Evaluation


class Engine:
    """Evaluates feature flags on client-features state, as the Unleash SDKs do.

    ``take_state`` compiles everything up front; evaluation only runs the compiled predicates.
    A new state is swapped in as a whole, so evaluating from other threads is safe.
    """

    def __init__(self, *, hostname: str | None = None, skip_disabled: bool = False) -> None:
        self._hostname = hostname
        self._skip_disabled = skip_disabled
        self._state = NO_STATE

    # -- state ---------------------------------------------------------------------------

    def take_state(self, state: Mapping[str, Any]) -> dict[str, str]:
        """Load a client-features body, or apply a delta body onto the current state.

        Returns the flags that failed to compile (name → reason); those are always off.
        """
        hostname = self._hostname if self._hostname is not None else default_hostname()
        self._state = next_state(
            self._state, state, hostname=hostname, skip_disabled=self._skip_disabled
        )
        return self.errors()

    def errors(self) -> dict[str, str]:
        """The flags of the current state that failed to compile (name → reason); those are
        always off. ``compile_state`` callers read them here."""
        return {f.name: f.error for f in self._state.features.values() if f.error}

    def feature_names(self) -> list[str]:
        return list(self._state.features)

    def feature(self, name: str) -> CompiledFeature | None:
        return self._state.features.get(name)

    def state(self) -> dict[str, Any]:
        """The current state as a client-features body (after any deltas)."""
        current = self._state
        return {
            "version": 2,
            "features": list(current.raw_features.values()),
            "segments": list(current.raw_segments.values()),
        }

    # -- evaluation ------------------------------------------------------------------------

    def is_enabled(self, name: str, context: Context | None = None) -> bool:
        state = self._state
        feature = state.features.get(name)
        if feature is None:
            return False
        ctx = EMPTY_CONTEXT if context is None else context
        # The fast check here, not in leash.engine.evaluate: one call less on the hot path.
        if feature.fast is not None:
            return feature.fast(ctx)
        return enabled(feature, ctx, state, name)

    def get_variant(self, name: str, context: Context | None = None) -> dict[str, Any]:
        """The SDK-shaped variant: ``{name, payload?, enabled, feature_enabled}``."""
        return get_variant(self._state, name, EMPTY_CONTEXT if context is None else context)

    def evaluate(self, name: str, context: Context | None = None) -> Evaluation:
        """Evaluate ``name`` and explain every strategy, constraint, segment and dependency.

        Nothing short-circuits, so the explanation also says what would pass if the flag were
        switched on. Random rollouts draw again, so the answer can differ from an earlier call.
        """
        return explain(self._state, name, EMPTY_CONTEXT if context is None else context)


def compile_state(
    state: Mapping[str, Any], *, hostname: str | None = None, skip_disabled: bool = False
) -> Engine:
    """An :class:`Engine` holding ``state`` (a client-features body or a delta body)."""
    engine = Engine(hostname=hostname, skip_disabled=skip_disabled)
    engine.take_state(state)
    return engine
