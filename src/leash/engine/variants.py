"""Hashing and variant selection, bit-compatible with Unleash SDKs."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import mmh3

from leash.engine.context import Context, Resolver, raw_resolver
from leash.engine.errors import CompileError

# Unleash hashes variant assignment with a different seed from rollout so that a user's
# rollout bucket and variant bucket are independent.
VARIANT_SEED: Final = 86028157


def normalized_hash(group: str, identifier: str, modulus: int = 100, seed: int = 0) -> int:
    """The 1-based bucket of ``identifier`` within ``group`` (murmur3 x86 32-bit)."""
    return mmh3.hash(f"{group}:{identifier}", seed, signed=False) % modulus + 1


@dataclass(frozen=True, slots=True)
class VariantOverride:
    context_name: str
    values: frozenset[str]
    resolve: Resolver


@dataclass(frozen=True, slots=True)
class CompiledVariant:
    name: str
    weight: int
    payload: Mapping[str, Any] | None
    stickiness: str | None
    overrides: tuple[VariantOverride, ...]

    def as_result(self) -> dict[str, Any]:
        result: dict[str, Any] = {"name": self.name}
        if self.payload is not None:
            result["payload"] = dict(self.payload)
        result["enabled"] = True
        result["feature_enabled"] = True
        return result


def _weight(raw: Any) -> int:
    """A variant's weight: Unleash serves an integer; int() of unbounded text is not taken."""
    if raw is None or raw is False or raw == "":
        return 0
    if isinstance(raw, int):
        return int(raw)
    if isinstance(raw, float) and raw == raw and abs(raw) != float("inf"):
        return int(raw)
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 10:
        return int(raw)
    raise CompileError(f"variant weight {str(raw)[:40]!r} is not a whole number")


def compile_variants(raw: Any, *, with_overrides: bool) -> tuple[CompiledVariant, ...]:
    """Compile feature variants, or strategy variants (whose overrides yggdrasil ignores)."""
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        overrides: list[VariantOverride] = []
        for o in (item.get("overrides") or []) if with_overrides else []:
            name = o.get("contextName")
            if isinstance(name, str):
                values = frozenset(str(v) for v in (o.get("values") or []))
                overrides.append(VariantOverride(name, values, raw_resolver(name)))
        payload = item.get("payload")
        stickiness = item.get("stickiness")
        out.append(
            CompiledVariant(
                name=str(item.get("name", "")),
                weight=_weight(item.get("weight")),
                payload=payload if isinstance(payload, Mapping) else None,
                stickiness=stickiness if isinstance(stickiness, str) else None,
                overrides=tuple(overrides),
            )
        )
    return tuple(out)


_user_id: Final = raw_resolver("userId")
_session_id: Final = raw_resolver("sessionId")


def _default_seed(ctx: Context) -> str | None:
    value = _user_id(ctx)
    return _session_id(ctx) if value is None else value


def seed_resolver(stickiness: str | None) -> Resolver:
    """Where a variant's sticky value comes from; "default" is userId, then sessionId."""
    if stickiness is None or stickiness == "default":
        return _default_seed
    return raw_resolver(stickiness)


def select_variant(
    variants: Sequence[CompiledVariant], *, group: str, seed: Resolver, ctx: Context
) -> CompiledVariant | None:
    """Pick a variant: first matching override, else the weighted bucket of the sticky value.

    Without a sticky value the pick is random, as in every SDK.
    """
    if not variants:
        return None
    for variant in variants:
        for override in variant.overrides:
            value = override.resolve(ctx)
            if value is not None and value in override.values:
                return variant
    total = sum(v.weight for v in variants)
    if total <= 0:
        # yggdrasil panics here (division by zero); no variant is the sane reading.
        return None
    sticky = seed(ctx)
    if sticky is None:
        target = random.randint(1, total)
    else:
        target = normalized_hash(group, sticky, total, VARIANT_SEED)
    running = 0
    for variant in variants:
        running += variant.weight
        if running >= target:
            return variant
    return None
