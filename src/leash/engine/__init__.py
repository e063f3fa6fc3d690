"""leash.engine: pure evaluation of Unleash feature flags.

Takes the ``GET /api/client/features`` body (or a delta body), compiles every strategy,
constraint and segment into predicates once, and answers ``is_enabled`` / ``get_variant`` with
the results of the official SDKs' engine (yggdrasil). ``evaluate`` explains an answer in full.
No I/O: no database, no HTTP.
"""

from leash.engine.compile import CompiledFeature
from leash.engine.context import normalize_context
from leash.engine.engine import Engine, compile_state
from leash.engine.errors import CompileError, StateError
from leash.engine.results import (
    ConstraintResult,
    DependencyResult,
    Evaluation,
    SegmentResult,
    StrategyResult,
)
from leash.engine.variants import VARIANT_SEED, normalized_hash

__all__ = [
    "VARIANT_SEED",
    "CompileError",
    "CompiledFeature",
    "ConstraintResult",
    "DependencyResult",
    "Engine",
    "Evaluation",
    "SegmentResult",
    "StateError",
    "StrategyResult",
    "compile_state",
    "normalize_context",
    "normalized_hash",
]
