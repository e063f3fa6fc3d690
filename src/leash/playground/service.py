"""Evaluate every flag of one environment for one context and explain it, in Unleash's shape.

The answers come from leash.engine, the engine behind the client and frontend APIs, so the
playground's `isEnabled` and `variant` are what SDKs get. What is shaped like Unleash 8.2.0's
playground (its answers equal 7.5.1's): disabled strategies are shown but never count
("unevaluated"), and strategies the playground cannot judge from a context alone
(applicationHostname, custom ones) are "incomplete", their result "unknown" unless a
constraint or segment already fails.

One deliberate difference: a dependency on a parent being off. Unleash 8.2.0's playground, as
7.5.1's, only compares the parent's on/off switch, so a parent that is switched on but fails its
strategies leaves the child "unsatisfied" there, while Unleash's own frontend API and SDKs
enable the child. leash says what the SDKs do (tests/playground/test_playground_reference.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Connection

from leash.engine import Evaluation, StrategyResult, compile_state
from leash.engine.results import ConstraintResult, SegmentResult
from leash.errors import BadDataError
from leash.features.views import strategy_json
from leash.playground import repository
from leash.playground.schemas import ALL_PROJECTS

UNKNOWN: Final = "unknown"
# The strategies Unleash's playground evaluates; others (applicationHostname, which depends on
# the server's host name, and custom strategies) it reports as incomplete.
EVALUATED: Final = frozenset(
    {
        "default",
        "flexibleRollout",
        "gradualRolloutRandom",
        "gradualRolloutUserId",
        "gradualRolloutSessionId",
        "remoteAddress",
    }
)


def engine_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as Unleash's playground evaluates it.

    Unknown top-level fields are read as they are, so only strings can match; the context's
    own `environment` (not the requested one) is the environment field, "default" if absent.
    """
    out = {k: v for k, v in context.items() if k == "properties" or isinstance(v, str)}
    out.setdefault("environment", "default")
    return out


def _state(raw: dict[str, Any], flags: Sequence[Any]) -> dict[str, Any]:
    by_flag: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in raw["strategies"]:
        by_flag[row.feature_name].append(strategy_json(row, raw["links"].get(row.id, [])))
    features = []
    for flag in flags:
        feature: dict[str, Any] = {
            "name": flag.name,
            "enabled": bool(flag.env_enabled),
            "project": flag.project,
            "strategies": by_flag[flag.name],
            "variants": flag.env_variants or [],
        }
        dependencies = raw["dependencies"].get(flag.name)
        if dependencies:
            feature["dependencies"] = [
                {
                    "feature": d.parent,
                    "enabled": bool(d.enabled),
                    **({"variants": d.variants} if d.variants else {}),
                }
                for d in dependencies
            ]
        features.append(feature)
    segments = [{"id": s.id, "name": s.name, "constraints": s.constraints} for s in raw["segments"]]
    return {"version": 2, "features": features, "segments": segments}


def _js_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _constraints(
    raw: Sequence[Mapping[str, Any]], results: Sequence[ConstraintResult], *, defaults: bool
) -> list[dict[str, Any]]:
    out = []
    for constraint, result in zip(raw, results, strict=True):
        item: dict[str, Any] = {"inverted": False, "values": []} if defaults else {}
        item.update(constraint)
        if item.get("value") is None:
            item.pop("value", None)
        else:
            item["value"] = _js_text(item["value"])
        item["result"] = result.result
        out.append(item)
    return out


def _strategy_result(strategy: Mapping[str, Any], explained: StrategyResult) -> dict[str, Any]:
    if strategy["name"] not in EVALUATED:
        possible = explained.constraints_result and explained.segments_result
        return {"enabled": UNKNOWN if possible else False, "evaluationStatus": "incomplete"}
    if explained.disabled:
        return {"enabled": UNKNOWN, "evaluationStatus": "unevaluated"}
    result: dict[str, Any] = {"enabled": explained.result, "evaluationStatus": "complete"}
    if explained.variant is not None:
        result["variant"] = _strategy_variant(explained.variant)
        result["variants"] = strategy["variants"]
    return result


def _strategy_variant(variant: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": variant["name"], "enabled": True}
    if "payload" in variant:
        out["payload"] = variant["payload"]
    return out


def _strategy(
    strategy: Mapping[str, Any],
    explained: StrategyResult,
    *,
    segments: Mapping[int, Any],
    feature: str,
    project: str,
    environment: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": strategy["name"], "id": strategy["id"]}
    if strategy["title"]:
        out["title"] = strategy["title"]
    out["disabled"] = bool(strategy["disabled"])
    out["parameters"] = strategy["parameters"]
    out["result"] = _strategy_result(strategy, explained)
    out["constraints"] = _constraints(strategy["constraints"], explained.constraints, defaults=True)
    out["segments"] = [
        {
            "name": segment.name,
            "id": segment.id,
            "result": segment.result,
            "constraints": _constraints(
                segments[segment.id].constraints, segment.constraints, defaults=False
            ),
        }
        for segment in explained.segments
    ]
    out["links"] = {
        "edit": f"/projects/{project}/features/{feature}/strategies/edit"
        f"?environmentId={environment}&strategyId={strategy['id']}"
    }
    return out


def _failed_constraints(raw: Sequence[Mapping[str, Any]]) -> tuple[ConstraintResult, ...]:
    return tuple(
        ConstraintResult(
            context_name=str(c.get("contextName")),
            operator=str(c.get("operator")),
            values=(),
            value=None,
            inverted=c.get("inverted") is True,
            case_insensitive=c.get("caseInsensitive") is True,
            context_value=None,
            result=False,
        )
        for c in raw
    )


def _unexplained(
    strategy: Mapping[str, Any], index: int, *, segments: Mapping[int, Any]
) -> StrategyResult:
    """A strategy of a flag the engine could not compile at all: nothing in it passes."""
    return StrategyResult(
        name=strategy["name"],
        index=index,
        id=strategy["id"],
        parameters=strategy["parameters"],
        strategy_result=False,
        constraints_result=False,
        segments_result=False,
        result=False,
        constraints=_failed_constraints(strategy["constraints"]),
        segments=tuple(
            SegmentResult(
                id=sid,
                name=segments[sid].name,
                found=True,
                result=False,
                constraints=_failed_constraints(segments[sid].constraints),
            )
            for sid in strategy["segments"]
            if sid in segments
        ),
        variant_names=(),
        disabled=bool(strategy["disabled"]),
    )


def _overall(data: Sequence[Mapping[str, Any]], *, flag_enabled: bool) -> bool | str:
    if not data:
        return flag_enabled
    results = [entry["result"] for entry in data]
    if any(r["enabled"] is True and r["evaluationStatus"] == "complete" for r in results):
        return True
    if any(r["enabled"] == UNKNOWN for r in results):
        return UNKNOWN
    return False


def _variant(sdk: Mapping[str, Any], *, enabled: bool, from_strategy: bool) -> dict[str, Any]:
    """The engine's variant in the shape Unleash's playground gives for where it came from."""
    if not enabled:
        return {"name": "disabled", "enabled": False, "feature_enabled": False}
    if not sdk.get("enabled"):
        return {
            "feature_enabled": True,
            "featureEnabled": True,
            "name": "disabled",
            "enabled": False,
        }
    if from_strategy:
        return {**_strategy_variant(sdk), "feature_enabled": True}
    variant = {"name": sdk["name"]}
    if "payload" in sdk:
        variant["payload"] = sdk["payload"]
    variant.update(enabled=True, feature_enabled=True, featureEnabled=True)
    return variant


def _feature(
    flag: Any,
    strategies: Sequence[Mapping[str, Any]],
    evaluation: Evaluation,
    *,
    segments: Mapping[int, Any],
    environment: str,
) -> dict[str, Any]:
    explained = {s.id: s for s in evaluation.strategies + evaluation.disabled_strategies}
    data = [
        _strategy(
            strategy,
            explained.get(strategy["id"]) or _unexplained(strategy, index, segments=segments),
            segments=segments,
            feature=flag.name,
            project=flag.project,
            environment=environment,
        )
        for index, strategy in enumerate(strategies)
    ]
    overall = _overall(data, flag_enabled=evaluation.flag_enabled)
    # The engine has the last word (a definition it cannot compile keeps the flag off), but
    # a flag the playground cannot fully judge is off, as Unleash's playground says.
    enabled = overall is True and evaluation.enabled
    # The strategy SDKs would take the variant from, whether or not the flag is on.
    matched = next((s for s in evaluation.strategies if s.result), None)
    from_strategy = matched is not None and matched.variant is not None
    variants = (
        next(s["variants"] for s in strategies if s["id"] == matched.id)
        if from_strategy and matched is not None
        else flag.env_variants or []
    )
    return {
        "isEnabled": enabled,
        "isEnabledInCurrentEnvironment": evaluation.flag_enabled,
        "hasUnsatisfiedDependency": not evaluation.dependencies_result,
        "variant": _variant(evaluation.variant, enabled=enabled, from_strategy=from_strategy),
        "variants": variants,
        "name": flag.name,
        "projectId": flag.project,
        "strategies": {"result": overall, "data": data},
    }


def evaluate(
    conn: Connection, *, environment: str, projects: str | list[str], context: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every non-archived flag of `projects` ("*": all) evaluated in `environment`."""
    raw = repository.load_environment(conn, environment=environment)
    flags = [flag for flag in raw["flags"] if projects == ALL_PROJECTS or flag.project in projects]
    state = _state(raw, flags)
    # Only the selected projects' flags are compiled: a parent in another project is missing,
    # so its children's dependency is unsatisfied, as in Unleash.
    engine = compile_state(state, skip_disabled=True)
    strategies = {feature["name"]: feature["strategies"] for feature in state["features"]}
    segments = {segment.id: segment for segment in raw["segments"]}
    ctx = engine_context(context)
    return [
        _feature(
            flag,
            strategies[flag.name],
            engine.evaluate(flag.name, ctx),
            segments=segments,
            environment=environment,
        )
        for flag in flags
    ]


# Unleash's advanced playground refuses more evaluations (environments x flags x contexts).
ADVANCED_LIMIT: Final = 15_000


def _split_context(context: Mapping[str, Any]) -> tuple[dict[str, list[Any]], list[str]]:
    """Unleash's cleanContext and splitByComma: fields that are not strings are dropped (and
    named), appName goes last, `properties` are lifted to the top, strings split at commas."""
    removed = [
        k
        for k, v in context.items()
        if k != "appName" and k != "properties" and not isinstance(v, str)
    ]
    kept = {k: v for k, v in context.items() if k != "appName" and k not in removed}
    kept["appName"] = context["appName"]
    split: dict[str, list[Any]] = {}
    for key, value in kept.items():
        if key == "properties" and isinstance(value, dict):
            split.update({k: v.split(",") if isinstance(v, str) else [v] for k, v in value.items()})
        elif isinstance(value, str):
            split[key] = value.split(",")
        else:
            split[key] = [value]
    return split, removed


def _combinations(split: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    combos: list[dict[str, Any]] = [{}]
    for key, values in split.items():
        combos = [{**combo, key: value} for combo in combos for value in values]
    return combos


def _flags_of(raw: Mapping[str, Any], projects: str | list[str]) -> list[Any]:
    return [flag for flag in raw["flags"] if projects == ALL_PROJECTS or flag.project in projects]


def evaluate_advanced(
    conn: Connection,
    *,
    environments: Sequence[str],
    projects: str | list[str],
    context: Mapping[str, Any],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every flag of `projects` in each environment for each combination of the context's
    comma-separated values: the features, and the context fields left out."""
    split, removed = _split_context(context)
    loaded = [(env, repository.load_environment(conn, environment=env)) for env in environments]
    flag_count = len(_flags_of(loaded[0][1], projects)) if loaded else 0
    count = 1
    for values in split.values():
        count *= len(values)
    total = len(environments) * flag_count * count
    if total > ADVANCED_LIMIT:
        raise BadDataError.single(
            f"Rejecting evaluation as it would generate {total} combinations exceeding "
            f"{ADVANCED_LIMIT} limit. Please reduce the number of selected environments "
            f"({len(environments)}), features ({flag_count}), context field combinations "
            f"({count})."
        )
    if total == 0:
        return [], removed
    contexts = _combinations(split)
    by_name: dict[str, dict[str, Any]] = {}
    for environment, raw in loaded:
        flags = _flags_of(raw, projects)
        state = _state(raw, flags)
        engine = compile_state(state, skip_disabled=True)
        strategies = {feature["name"]: feature["strategies"] for feature in state["features"]}
        segments = {segment.id: segment for segment in raw["segments"]}
        for combination in contexts:
            ctx = engine_context(combination)
            for flag in flags:
                result = _feature(
                    flag,
                    strategies[flag.name],
                    engine.evaluate(flag.name, ctx),
                    segments=segments,
                    environment=environment,
                )
                entry = by_name.setdefault(
                    flag.name, {"name": flag.name, "projectId": flag.project, "environments": {}}
                )
                entry["environments"].setdefault(environment, []).append(
                    {
                        "isEnabled": result["isEnabled"],
                        "isEnabledInCurrentEnvironment": result["isEnabledInCurrentEnvironment"],
                        "hasUnsatisfiedDependency": result["hasUnsatisfiedDependency"],
                        "variant": result["variant"],
                        "context": combination,
                        "variants": result["variants"],
                        "name": flag.name,
                        "environment": environment,
                        "projectId": flag.project,
                        "strategies": result["strategies"],
                    }
                )
    return list(by_name.values()), removed
