"""Compiling activation strategies (with their constraints and segments) into predicates."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from leash.engine.constraints import CompiledConstraint, compile_constraint, failure
from leash.engine.context import Context, Resolver, resolver
from leash.engine.errors import CompileError, quoted_value, rule_string
from leash.engine.values import context_ip, rule_ip_network, rust_unsigned
from leash.engine.variants import (
    CompiledVariant,
    compile_variants,
    normalized_hash,
    seed_resolver,
)

# A strategy rule gets the context and the name of the flag being evaluated: that name is the
# default rollout group, and yggdrasil evaluates a parent flag under its child's name.
Rule = Callable[[Context, str], bool]

KNOWN_STRATEGIES: Final = frozenset(
    {
        "default",
        "userWithId",
        "gradualRolloutUserId",
        "gradualRolloutSessionId",
        "gradualRolloutRandom",
        "flexibleRollout",
        "remoteAddress",
        "applicationHostname",
    }
)

# yggdrasil runs on 64-bit targets: a rollout parameter is read as a u64.
_USIZE_BITS: Final = 64

_user_id: Final = resolver("userId")
_session_id: Final = resolver("sessionId")
_remote_address_of: Final = resolver("remoteAddress")


def always(_: Context, __: str) -> bool:
    return True


def never(_: Context, __: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class CompiledSegment:
    id: int
    name: str | None
    constraints: tuple[CompiledConstraint, ...]
    error: str | None = None
    found: bool = True


def compile_segment(raw: Mapping[str, Any]) -> CompiledSegment:
    """Compile one segment (its ``id`` an int); anything wrong in it is its ``error``, which
    fails the flags that use it, never the others."""
    name = raw.get("name")
    name = name if isinstance(name, str) else None
    try:
        listed = raw.get("constraints") or []
        if not isinstance(listed, list):
            raise CompileError("segment constraints must be a list")
        constraints = tuple(compile_constraint(c) for c in listed)
    except CompileError as exc:
        return CompiledSegment(raw["id"], name, (), f"segment {raw['id']}: {exc}")
    except Exception as exc:  # whatever it is, it stays in this one definition
        return CompiledSegment(raw["id"], name, (), f"segment {raw['id']} {failure(exc)}")
    error = next((c.error for c in constraints if c.error), None)
    return CompiledSegment(raw["id"], name, constraints, error)


def segment_id(value: Any) -> int | None:
    """A strategy's segment reference as the int Unleash serves; ``None`` if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    return None


def missing_segment(segment_id: int) -> CompiledSegment:
    return CompiledSegment(segment_id, None, (), f"segment {segment_id} does not exist", False)


@dataclass(frozen=True, slots=True)
class CompiledStrategy:
    name: str
    index: int
    id: str | None
    parameters: Mapping[str, str]
    rule: Rule
    constraints: tuple[CompiledConstraint, ...]
    segments: tuple[CompiledSegment, ...]
    # rule, own constraints and segment constraints, ANDed, short-circuiting
    check: Rule
    variants: tuple[CompiledVariant, ...]
    # strategy variants stick on the strategy's "stickiness" parameter, not the variants'
    variant_seed: Resolver
    variant_group: str
    error: str | None = field(default=None)
    disabled: bool = False
    title: str | None = None


def _percentage(params: Mapping[str, str], key: str) -> int | None:
    """A rollout parameter parsed as Rust's usize; ``None`` makes the strategy false.

    A number too large for a usize does not parse either (yggdrasil's ``parse::<usize>()``
    fails), so it turns the strategy off rather than failing the flag as 101 does.
    """
    value = params.get(key)
    return None if value is None else rust_unsigned(value, bits=_USIZE_BITS)


def _bounded(percent: int) -> int:
    # The rule grammar only knows 0..100%; anything larger fails the whole flag.
    if percent > 100:
        raise CompileError(f"rollout percentage {percent} is above 100")
    return percent


def _random_bucket() -> str:
    # yggdrasil hashes a random number in 0..99 (exclusive) as the sticky value.
    return str(random.randrange(99))


def _sticky_rollout(percent: int, get: Resolver | None, group_id: str | None) -> Rule:
    """``percent`` % of sticky values, bucketed in ``group_id`` (default: the flag's name).

    ``get`` ``None`` means the default chain userId → sessionId → random.
    """
    if percent == 0:
        return never

    def rollout(ctx: Context, group: str) -> bool:
        if get is None:
            value = _user_id(ctx)
            if value is None:
                value = _session_id(ctx)
            if value is None:
                value = _random_bucket()
        else:
            value = get(ctx)
            if value is None:
                return False
        return normalized_hash(group if group_id is None else group_id, value) <= percent

    return rollout


def _random_sticky(percent: int, group_id: str | None) -> Rule:
    def rollout(ctx: Context, group: str) -> bool:
        return normalized_hash(group if group_id is None else group_id, _random_bucket()) <= percent

    return rollout


def _flexible(params: Mapping[str, str]) -> Rule:
    percent = _percentage(params, "rollout")
    if percent is None:
        return never
    percent = _bounded(percent)
    group = params.get("groupId")
    group_id = rule_string(group, what="groupId") if group is not None else None
    stickiness = params.get("stickiness")
    if stickiness is None or stickiness == "default":
        return _sticky_rollout(percent, None, group_id)
    if stickiness == "random":
        return _random_sticky(percent, group_id)
    return _sticky_rollout(percent, resolver(rule_string(stickiness, what="stickiness")), group_id)


def _gradual(params: Mapping[str, str], field_name: str) -> Rule:
    percent = _percentage(params, "percentage")
    group = params.get("groupId")
    if percent is None or group is None:
        return never
    return _sticky_rollout(
        _bounded(percent), resolver(field_name), rule_string(group, what="groupId")
    )


def _random(params: Mapping[str, str]) -> Rule:
    percent = _percentage(params, "percentage")
    if percent is None:
        return never

    def rollout(_: Context, __: str) -> bool:
        # yggdrasil draws 1..99 and compares with "<", so 100 % is always and 1 % never on.
        return random.randint(1, 99) < percent

    return rollout


def _user_with_id(params: Mapping[str, str]) -> Rule:
    raw = params.get("userIds")
    if raw is None:
        return never
    ids = frozenset(quoted_value(part.strip(), what="userId") for part in raw.split(","))

    def user_with_id(ctx: Context, _: str) -> bool:
        return _user_id(ctx) in ids

    return user_with_id


def _remote_address(params: Mapping[str, str]) -> Rule:
    raw = params.get("IPs")
    if raw is None:
        return never
    entries = [rule_string(part.strip(), what="IP") for part in raw.split(",")]
    nets = tuple(n for n in (rule_ip_network(e) for e in entries) if n is not None)

    def remote_address(ctx: Context, _: str) -> bool:
        value = _remote_address_of(ctx)
        if value is None:
            return False
        ip = context_ip(value)
        return ip is not None and any(ip in net for net in nets)

    return remote_address


def _application_hostname(params: Mapping[str, str], hostname: str | None) -> Rule:
    # Unleash sends "" when no host names are set.
    raw = params.get("hostNames", "")
    hosts = {rule_string(part.strip(), what="host name").lower() for part in raw.split(",")}
    if hostname is None or hostname.lower() not in hosts:
        return never
    return always


def strategy_rule(name: str, params: Mapping[str, str], *, hostname: str | None) -> Rule:
    """The strategy's own test, before constraints; unknown (custom) strategies are off."""
    if name == "default":
        return always
    if name == "flexibleRollout":
        return _flexible(params)
    if name == "userWithId":
        return _user_with_id(params)
    if name == "gradualRolloutUserId":
        return _gradual(params, "userId")
    if name == "gradualRolloutSessionId":
        return _gradual(params, "sessionId")
    if name == "gradualRolloutRandom":
        return _random(params)
    if name == "remoteAddress":
        return _remote_address(params)
    if name == "applicationHostname":
        return _application_hostname(params, hostname)
    return never


def _combine(rule: Rule, constraints: tuple[CompiledConstraint, ...]) -> Rule:
    predicates = tuple(c.predicate for c in constraints)
    if not predicates:
        return rule
    if len(predicates) == 1:
        only = predicates[0]
        if rule is always:
            return lambda ctx, _: only(ctx)

        def one(ctx: Context, group: str) -> bool:
            return rule(ctx, group) and only(ctx)

        return one
    if rule is always:

        def constrained(ctx: Context, _: str) -> bool:
            # Plain loops: all() over a generator costs about twice as much per call.
            for predicate in predicates:  # noqa: SIM110
                if not predicate(ctx):
                    return False
            return True

        return constrained

    def ruled(ctx: Context, group: str) -> bool:
        if not rule(ctx, group):
            return False
        for predicate in predicates:  # noqa: SIM110
            if not predicate(ctx):
                return False
        return True

    return ruled


def _params(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): v if isinstance(v, str) else str(v) for k, v in raw.items() if v is not None}


def compile_strategy(
    raw: Mapping[str, Any],
    *,
    index: int,
    feature_name: str,
    segments: Mapping[int, CompiledSegment],
    hostname: str | None,
) -> CompiledStrategy:
    name = str(raw.get("name", ""))
    params = _params(raw.get("parameters"))
    errors: list[str] = []
    try:
        rule = strategy_rule(name, params, hostname=hostname)
    except CompileError as exc:
        rule, errors = never, [str(exc)]
    listed = raw.get("constraints") or []
    if not isinstance(listed, list):
        listed, errors = [], [*errors, "strategy constraints must be a list"]
    constraints = tuple(compile_constraint(c) for c in listed)
    errors += [c.error for c in constraints if c.error]
    ids = raw.get("segments") or []
    if not isinstance(ids, list):
        ids, errors = [], [*errors, "strategy segments must be a list"]
    used: list[CompiledSegment] = []
    for raw_id in ids:
        sid = segment_id(raw_id)
        if sid is None:
            errors.append(f"segment id {str(raw_id)[:40]!r} is not an integer")
        else:
            used.append(segments.get(sid) or missing_segment(sid))
    errors += [s.error for s in used if s.error]
    all_constraints = constraints + tuple(c for s in used for c in s.constraints)
    strategy_id = raw.get("id")
    title = raw.get("title")
    return CompiledStrategy(
        name=name,
        index=index,
        id=strategy_id if isinstance(strategy_id, str) else None,
        parameters=params,
        rule=rule,
        constraints=constraints,
        segments=tuple(used),
        check=never if errors else _combine(rule, all_constraints),
        variants=compile_variants(raw.get("variants"), with_overrides=False),
        variant_seed=seed_resolver(params.get("stickiness", "default")),
        variant_group=params.get("groupId", feature_name),
        error=errors[0] if errors else None,
        disabled=raw.get("disabled") is True,
        title=title if isinstance(title, str) else None,
    )
