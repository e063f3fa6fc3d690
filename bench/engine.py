"""Engine micro-benchmark: leash.engine against the official Python SDK, per call, same state.

    python bench/engine.py [--flags 200] [--segments 20] [--values 1000] [--calls 20000]

Both sides load the same client-features state (flags with constraints, flags using two segments
of many values, a flag with variants). The SDK side is `UnleashClient` bootstrapped from that
state with no network, called as applications call it: `client.is_enabled(name, context)`,
which enriches the context and hands it to yggdrasil (Rust) over FFI, serialized on every call.
The raw `UnleashEngine` call without the client's enrichment is printed too. leash's side is
`compile_state(state).is_enabled(name, context)`. Contexts vary per call. Prints µs per call and
the SDK/leash ratio, best of several rounds, and writes bench/engine_results.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def build_state(*, flags: int, segments: int, values: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    segment_list = []
    for s in range(segments):
        segment_list.append(
            {
                "id": s + 1,
                "name": f"seg-{s}",
                "constraints": [
                    {
                        "contextName": "userId",
                        "operator": "IN",
                        "values": [f"user-{rng.randrange(1_000_000)}" for _ in range(values)],
                        "inverted": False,
                        "caseInsensitive": False,
                    },
                    {
                        "contextName": "country",
                        "operator": "NOT_IN",
                        "values": ["XX", "YY"],
                        "inverted": False,
                        "caseInsensitive": False,
                    },
                ],
            }
        )
    constraints = [
        {"contextName": "appName", "operator": "IN", "values": ["web", "api", "worker"]},
        {
            "contextName": "plan",
            "operator": "STR_STARTS_WITH",
            "values": ["pro", "ent"],
            "caseInsensitive": True,
        },
    ]
    features = []

    def flag(name: str, *, strategy_segments: list[int], variants: list[Any]) -> dict[str, Any]:
        strategy: dict[str, Any] = {
            "name": "flexibleRollout",
            "parameters": {"rollout": "50", "stickiness": "default", "groupId": name},
            "constraints": constraints,
            "variants": [],
        }
        if strategy_segments:
            strategy["segments"] = strategy_segments
        return {
            "name": name,
            "type": "release",
            "enabled": True,
            "project": "default",
            "stale": False,
            "strategies": [strategy],
            "variants": variants,
            "impressionData": False,
        }

    features.append(flag("two-segments", strategy_segments=[1, 2], variants=[]))
    features.append(flag("no-segments", strategy_segments=[], variants=[]))
    variants = [
        {"name": v, "weight": 500, "weightType": "variable", "stickiness": "default",
         "payload": {"type": "string", "value": v}}
        for v in ("blue", "green")
    ]  # fmt: skip
    features.append(flag("two-segments-variants", strategy_segments=[1, 2], variants=variants))
    for f in range(max(0, flags - len(features))):
        ids = rng.sample(range(1, segments + 1), k=2) if f % 3 and segments >= 2 else []
        features.append(flag(f"flag-{f}", strategy_segments=ids, variants=[]))
    return {"version": 2, "features": features, "segments": segment_list}


def contexts(state: dict[str, Any], *, count: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    known = state["segments"][0]["constraints"][0]["values"]
    out = []
    for i in range(count):
        # One in four users is in the first segment, so both outcomes are exercised.
        user = rng.choice(known) if i % 4 == 0 else f"user-{rng.randrange(1_000_000)}"
        out.append(
            {
                "userId": user,
                "appName": "web",
                "properties": {"plan": "pro" if i % 2 else "free", "country": "NO"},
            }
        )
    return out


def per_call_us(call: Callable[[str, dict[str, Any]], Any], name: str, ctxs: list[dict[str, Any]],
                *, calls: int, rounds: int) -> float:  # fmt: skip
    n = len(ctxs)
    for ctx in ctxs:  # warm up: caches, branch predictors, lazy imports
        call(name, ctx)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(calls):
            call(name, ctxs[i % n])
        best = min(best, (time.perf_counter() - start) / calls)
    return best * 1e6


def sdk_client(state: dict[str, Any]) -> Any:
    from UnleashClient import UnleashClient
    from UnleashClient.cache import FileCache

    logging.getLogger("UnleashClient").setLevel(logging.ERROR)
    cache = FileCache("leash-engine-bench", directory=tempfile.mkdtemp(prefix="leash-bench-"))
    cache.bootstrap_from_dict(state)
    client = UnleashClient(
        url="http://127.0.0.1:9/api",
        app_name="bench",
        disable_metrics=True,
        disable_registration=True,
        cache=cache,
    )
    client.initialize_client(fetch_toggles=False)
    return client


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--flags", type=int, default=200)
    parser.add_argument("--segments", type=int, default=20)
    parser.add_argument("--values", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from yggdrasil_engine.engine import UnleashEngine

    from leash.engine import compile_state

    state = build_state(flags=args.flags, segments=args.segments, values=args.values)
    ctxs = contexts(state, count=1000)
    leash = compile_state(state)
    client = sdk_client(state)
    raw = UnleashEngine()
    raw.take_state(json.dumps(state))

    for name in ("two-segments", "two-segments-variants"):
        for ctx in ctxs[:200]:
            ours = leash.is_enabled(name, ctx)
            theirs = client.is_enabled(name, ctx)
            if ours != theirs:
                raise SystemExit(f"engines disagree on {name} for {ctx}: {ours} vs {theirs}")

    cases = [
        ("is_enabled", "two-segments", leash.is_enabled, client.is_enabled, raw.is_enabled),
        ("is_enabled", "no-segments", leash.is_enabled, client.is_enabled, raw.is_enabled),
        ("get_variant", "two-segments-variants", leash.get_variant, client.get_variant,
         raw.get_variant),
    ]  # fmt: skip
    results = []
    header = f"{'call':<12}{'flag':<24}{'leash µs':>10}{'SDK µs':>10}{'yggdrasil µs':>14}"
    print(f"{header}{'SDK/leash':>11}")
    for kind, name, ours, sdk, ygg in cases:
        ours_us = per_call_us(ours, name, ctxs, calls=args.calls, rounds=args.rounds)
        sdk_us = per_call_us(sdk, name, ctxs, calls=args.calls // 4, rounds=args.rounds)
        ygg_us = per_call_us(ygg, name, ctxs, calls=args.calls // 4, rounds=args.rounds)
        ratio = sdk_us / ours_us
        print(f"{kind:<12}{name:<24}{ours_us:>10.2f}{sdk_us:>10.2f}{ygg_us:>14.2f}{ratio:>10.1f}x")
        results.append(
            {"call": kind, "flag": name, "leash_us": round(ours_us, 3), "sdk_us": round(sdk_us, 3),
             "yggdrasil_raw_us": round(ygg_us, 3), "sdk_over_leash": round(ratio, 2)}
        )  # fmt: skip
    client.destroy()
    report = {"args": vars(args), "python": sys.version.split()[0], "results": results}
    (HERE / "engine_results.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
