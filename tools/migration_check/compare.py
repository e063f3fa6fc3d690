"""Compare two Unleash-compatible servers: client payloads, admin views and SDK evaluation.

    python tools/migration_check/compare.py --a URL --a-token T --b URL --b-token T

Three judgements, each an agreement percentage, with the first differences printed:
1. client payloads: GET /api/client/features of every environment, in inline and in segments
   mode, normalized (order-independent where order means nothing, ids and dates left out,
   segment ids replaced by the segment's name); one unit per flag and per segment;
2. admin views: flags (every flag's admin view, archived ones through the search), strategy
   definitions, segments, context fields (their order kept: it is what the UI shows), tag types
   and tags; one unit per object;
3. evaluation: 2,000 deterministic contexts times every flag, with the official Python SDK
   (UnleashClient, its yggdrasil engine) fetching from each server: `is_enabled` and
   `get_variant` must give the same answer; one unit per (environment, flag, context).
The exit status is 0 only when all three agree 100%. The tokens are admin tokens (or PATs); a
client token per environment named `migration-check-<environment>` is created on a server that
has none (listed with its secret, as Unleash and leash list them) for the SDK and the payloads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `tools.migration_check` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.migration_check.admin import Admin

# Keys that differ between two faithful copies: ids the server made, times, who did it.
VOLATILE = frozenset(
    {
        "id",
        "createdAt",
        "updatedAt",
        "lastSeenAt",
        "seenAt",
        "archivedAt",
        "enteredStageAt",
        "createdBy",
        "createdByUserId",
        "collaborators",
        "lifecycle",
        "yes",
        "no",
        "changeRequestIds",
        "favorite",
        "meta",
    }
)
# Lists whose order means nothing to anyone (values of a constraint, tags, ...); strategies,
# variants and context fields keep theirs: SDKs and the UI read them in order.
UNORDERED = frozenset(
    {"values", "tags", "constraints", "segments", "dependencies", "children", "links"}
)
ENVIRONMENTS = ("development", "production")
CLIENT_SPECS = {"inline": None, "segments": "5.2.0"}


@dataclass
class Section:
    """One judgement: how many units agree, and the first differences."""

    name: str
    total: int = 0
    agreed: int = 0
    differences: list[str] = field(default_factory=list)

    # per group of units (an environment's flag in evaluation): [disagreeing, total]
    groups: dict[str, list[int]] = field(default_factory=dict)

    def add(self, *, unit: str, differences: list[str], group: str | None = None) -> None:
        self.total += 1
        counts = self.groups.setdefault(group, [0, 0]) if group is not None else [0, 0]
        counts[1] += 1
        if differences:
            counts[0] += 1
            self.differences.extend(f"{unit}: {d}" for d in differences)
        else:
            self.agreed += 1

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.agreed / self.total

    def summary(self) -> str:
        return f"{self.name}: {self.percent:.2f}% agree ({self.agreed}/{self.total})"


# ---------------------------------------------------------------- normalization


def canonical(value: Any, *, key: str = "") -> Any:
    """A value with volatile keys dropped and meaningless list orders fixed (sorted)."""
    if isinstance(value, Mapping):
        return {k: canonical(v, key=k) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        items = [canonical(item, key=key) for item in value]
        if key in UNORDERED:
            items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        return items
    return value


def normalize_client_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """features and segments by name; strategies' segment ids replaced by segment names."""
    names = {segment["id"]: segment["name"] for segment in payload.get("segments", [])}
    features: dict[str, Any] = {}
    for feature in payload.get("features", []):
        feature = dict(feature)
        strategies = []
        for strategy in feature.get("strategies", []):
            strategy = dict(strategy)
            if "segments" in strategy:
                strategy["segments"] = [
                    names.get(s, f"<unknown {s}>") for s in strategy["segments"]
                ]
            strategies.append(strategy)
        feature["strategies"] = strategies
        features[feature["name"]] = canonical(feature)
    segments = {segment["name"]: canonical(segment) for segment in payload.get("segments", [])}
    return {"features": features, "segments": segments}


def normalize_admin_feature(
    feature: Mapping[str, Any], *, segment_names: Mapping[int, str]
) -> dict[str, Any]:
    """An admin flag view, strategies' segment ids replaced by names."""
    feature = dict(feature)
    environments = []
    for environment in feature.get("environments", []):
        environment = dict(environment)
        strategies = []
        for strategy in environment.get("strategies", []):
            strategy = dict(strategy)
            strategy["segments"] = [
                segment_names.get(s, f"<unknown {s}>") for s in strategy.get("segments", [])
            ]
            strategies.append(strategy)
        environment["strategies"] = strategies
        environments.append(environment)
    feature["environments"] = sorted(environments, key=lambda e: str(e.get("name")))
    return dict(canonical(feature))


def differences(a: Any, b: Any, *, path: str = "", limit: int = 5) -> list[str]:
    """The first `limit` places where a and b differ, as 'path: a != b'."""
    out: list[str] = []

    def walk(x: Any, y: Any, where: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y)):
                if len(out) >= limit:
                    return
                if k not in y:
                    out.append(f"{where}.{k}: only in a ({short(x[k])})")
                elif k not in x:
                    out.append(f"{where}.{k}: only in b ({short(y[k])})")
                else:
                    walk(x[k], y[k], f"{where}.{k}")
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
                walk(xi, yi, f"{where}[{i}]")
        elif x != y:
            out.append(f"{where or '.'}: {short(x)} != {short(y)}")

    walk(a, b, path)
    return out


def short(value: Any, *, width: int = 160) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def compare_keyed(
    section: Section, *, kind: str, a: Mapping[str, Any], b: Mapping[str, Any]
) -> None:
    """One unit per key of either side."""
    for key in sorted(set(a) | set(b)):
        unit = f"{kind} {key}"
        if key not in b:
            section.add(unit=unit, differences=["missing in b"])
        elif key not in a:
            section.add(unit=unit, differences=["missing in a"])
        else:
            section.add(unit=unit, differences=differences(a[key], b[key], limit=50))


# ---------------------------------------------------------------- reading a server


_CLIENT_TOKENS: dict[tuple[str, str], str] = {}


def client_token(admin: Admin, *, environment: str) -> str:
    """A client token for `environment`, all projects: the check's own, made once per server
    (again in a new process when the server lists secrets masked, as leash does)."""
    key = (admin.url, environment)
    if key in _CLIENT_TOKENS:
        return _CLIENT_TOKENS[key]
    name = f"migration-check-{environment}"
    for token in admin.get("/api/admin/api-tokens")["tokens"]:
        secret = str(token.get("secret") or "")
        if token.get("tokenName") == name and secret and "*" not in secret.split(".", 1)[-1]:
            _CLIENT_TOKENS[key] = secret
            return secret
    created = admin.post(
        "/api/admin/api-tokens",
        {"tokenName": name, "type": "client", "environment": environment, "projects": ["*"]},
    )
    _CLIENT_TOKENS[key] = str(created["secret"])
    return _CLIENT_TOKENS[key]


def client_payload(admin: Admin, *, token: str, spec: str | None) -> dict[str, Any]:
    headers = {"Authorization": token}
    if spec is not None:
        headers["Unleash-Client-Spec"] = spec
    response = admin.http.get("/api/client/features", headers=headers)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def search_all(admin: Admin, *, archived: bool) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        query = f"limit=100&offset={len(found)}&sortBy=name"
        if archived:
            query += "&archived=IS%3Atrue"
        page = admin.get(f"/api/admin/search/features?{query}")
        found.extend(page["features"])
        if not page["features"] or len(found) >= int(page.get("total", 0)):
            return found


@dataclass
class AdminViews:
    flags: dict[str, Any]
    strategies: dict[str, Any]
    segments: dict[str, Any]
    context_fields: list[Any]
    tag_types: dict[str, Any]
    tags: dict[str, Any]


def admin_views(admin: Admin) -> AdminViews:
    segments = admin.get("/api/admin/segments")["segments"]
    names = {segment["id"]: segment["name"] for segment in segments}
    flags: dict[str, Any] = {}
    for entry in search_all(admin, archived=False):
        detail = admin.get(f"/api/admin/projects/{entry['project']}/features/{entry['name']}")
        tags = admin.get(f"/api/admin/features/{entry['name']}/tags")["tags"]
        flags[entry["name"]] = {
            **normalize_admin_feature(detail, segment_names=names),
            "tags": canonical(tags, key="tags"),
        }
    for entry in search_all(admin, archived=True):
        flags[entry["name"]] = {"archived": True, **canonical(entry)}
    context = admin.get("/api/admin/context")
    context_list = context if isinstance(context, list) else context.get("context", [])
    return AdminViews(
        flags=flags,
        strategies={
            s["name"]: canonical(s) for s in admin.get("/api/admin/strategies")["strategies"]
        },
        segments={s["name"]: canonical(s) for s in segments},
        # the order the server lists them in is part of the view
        context_fields=[canonical(f) for f in context_list],
        tag_types={t["name"]: canonical(t) for t in admin.get("/api/admin/tag-types")["tagTypes"]},
        tags={
            f"{t['type']}:{t['value']}": canonical(t) for t in admin.get("/api/admin/tags")["tags"]
        },
    )


def compare_admin(a: AdminViews, b: AdminViews) -> Section:
    section = Section("admin views")
    compare_keyed(section, kind="flag", a=a.flags, b=b.flags)
    compare_keyed(section, kind="strategy", a=a.strategies, b=b.strategies)
    compare_keyed(section, kind="segment", a=a.segments, b=b.segments)
    compare_keyed(
        section,
        kind="context field",
        a={f["name"]: f for f in a.context_fields},
        b={f["name"]: f for f in b.context_fields},
    )
    section.add(
        unit="context field order",
        differences=differences(
            [f["name"] for f in a.context_fields], [f["name"] for f in b.context_fields]
        ),
    )
    compare_keyed(section, kind="tag type", a=a.tag_types, b=b.tag_types)
    compare_keyed(section, kind="tag", a=a.tags, b=b.tags)
    return section


# ---------------------------------------------------------------- evaluation

TIERS = ("free", "pro", "enterprise", "trial")
COUNTRIES = ("NO", "SE", "DK", "DE", "US", "BR", "")
PLANS = ("gold", "silver", "GOLD-2", "bronze", "")
TIMES = ("2024-01-15T10:00:00.000Z", "2024-09-01T00:00:00.000Z", "2025-06-30T12:00:00.000Z")


def contexts(count: int = 2000, *, seed: int = 14) -> list[dict[str, Any]]:
    """`count` contexts, the same on every run: users, sessions, addresses and properties."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for index in range(count):
        properties = {
            "tier": rng.choice(TIERS),
            "country": rng.choice(COUNTRIES),
            "plan": rng.choice(PLANS),
            "appVersion": f"1.{rng.randint(0, 6)}.{rng.randint(0, 4)}"
            + rng.choice(("", "", "-beta.1", "-beta.3")),
            "age": str(rng.choice((rng.randint(0, 400), 30, 10, 200.5))),
            "orgId": f"org-{rng.randint(1, 40)}",
        }
        context: dict[str, Any] = {
            "userId": f"user-{index}",
            "sessionId": f"s-{rng.randint(0, 10**6)}x{rng.randint(0, 9)}",
            "remoteAddress": f"10.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            "properties": {k: v for k, v in properties.items() if v != ""},
        }
        if index % 3:
            context["currentTime"] = TIMES[index % len(TIMES)]
        if index % 11 == 0:
            del context["userId"]
        out.append(context)
    return out


class BetaTesters:
    """The seeded custom strategy, as an application would implement it."""

    def apply(self, parameters: dict[str, Any], context: dict[str, Any]) -> bool:
        user = str(context.get("userId", ""))
        users = [u.strip() for u in str(parameters.get("users", "")).split(",")]
        if user and user in users:
            return True
        try:
            share = int(str(parameters.get("percentage", "0")))
        except ValueError:
            return False
        return share > 0 and zlib.crc32(user.encode()) % 100 < share


def sdk_answers(
    *,
    url: str,
    token: str,
    flags: Iterable[str],
    cases: list[dict[str, Any]],
    served: Iterable[str],
) -> dict[str, list[Any]]:
    """Per flag, per context: (is_enabled, get_variant) from the official Python SDK, which
    must hold the flags the server `served` to the same token (else its answers are defaults)."""
    from UnleashClient.clients.unleash_client import UnleashClient
    from UnleashClient.utils import InstanceAllowType

    with tempfile.TemporaryDirectory(prefix="migration-check-sdk-") as cache:
        client = UnleashClient(
            url=url.rstrip("/") + "/api",
            app_name="migration-check",
            instance_id=f"migration-check-{zlib.crc32(url.encode())}",
            custom_headers={"Authorization": token},
            refresh_interval=3600,
            metrics_interval=3600,
            disable_metrics=True,
            disable_registration=True,
            cache_directory=cache,
            custom_strategies={"betaTesters": BetaTesters()},
            multiple_instance_mode=InstanceAllowType.SILENTLY_ALLOW,
        )
        client.initialize_client(fetch_toggles=True)
        try:
            known = set(client.feature_definitions())
            if not client.is_initialized or known != set(served):
                raise RuntimeError(
                    f"the Python SDK against {url} holds {len(known)} flags, "
                    f"the server served {len(set(served))}: a failed fetch or another server"
                )
            return {
                flag: [
                    (client.is_enabled(flag, case), client.get_variant(flag, case))
                    for case in cases
                ]
                for flag in flags
            }
        finally:
            client.destroy()


def compare_evaluation(
    section: Section,
    *,
    environment: str,
    a: Mapping[str, list[Any]],
    b: Mapping[str, list[Any]],
    cases: list[dict[str, Any]],
) -> None:
    for flag in sorted(set(a) | set(b)):
        for index, case in enumerate(cases):
            x, y = a[flag][index], b[flag][index]
            section.add(
                unit=f"{environment} {flag} context #{index}",
                group=f"{environment} {flag}",
                differences=[] if x == y else [f"{short(x)} != {short(y)} for {short(case)}"],
            )


# ---------------------------------------------------------------- the whole check


@dataclass
class Server:
    url: str
    admin: Admin


def judge(
    a: Server, b: Server, *, count: int = 2000, environments: Iterable[str] = ENVIRONMENTS
) -> list[Section]:
    payloads = Section("client payloads")
    evaluation = Section("evaluation")
    cases = contexts(count)
    for environment in environments:
        tokens = (
            client_token(a.admin, environment=environment),
            client_token(b.admin, environment=environment),
        )
        served: tuple[set[str], set[str]] = (set(), set())
        for mode, spec in CLIENT_SPECS.items():
            x = normalize_client_payload(client_payload(a.admin, token=tokens[0], spec=spec))
            y = normalize_client_payload(client_payload(b.admin, token=tokens[1], spec=spec))
            served[0].update(x["features"])
            served[1].update(y["features"])
            for kind in ("features", "segments"):
                compare_keyed(
                    payloads, kind=f"{environment} {mode} {kind[:-1]}", a=x[kind], b=y[kind]
                )
        flags = sorted(served[0] | served[1])
        evaluation_a = sdk_answers(
            url=a.url, token=tokens[0], flags=flags, cases=cases, served=served[0]
        )
        evaluation_b = sdk_answers(
            url=b.url, token=tokens[1], flags=flags, cases=cases, served=served[1]
        )
        compare_evaluation(
            evaluation, environment=environment, a=evaluation_a, b=evaluation_b, cases=cases
        )
    return [payloads, compare_admin(admin_views(a.admin), admin_views(b.admin)), evaluation]


def report(sections: list[Section], *, show: int = 20) -> Iterator[str]:
    for section in sections:
        yield section.summary()
    for section in sections:
        split = {g: c for g, c in section.groups.items() if c[0]}
        if split:
            yield f"{section.name}: where they disagree"
            yield from (f"  {g}: {c[0]}/{c[1]} differ" for g, c in sorted(split.items()))
        if section.differences:
            yield f"first differences in {section.name} (a != b):"
            yield from (f"  {d}" for d in section.differences[:show])


def as_json(section: Section) -> dict[str, Any]:
    return {
        "name": section.name,
        "total": section.total,
        "agreed": section.agreed,
        "percent": section.percent,
        "differences": section.differences,
        "groups": {g: c for g, c in section.groups.items() if c[0]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="URL of the first server (the source)")
    parser.add_argument("--a-token", required=True)
    parser.add_argument("--b", required=True, help="URL of the second server (the copy)")
    parser.add_argument("--b-token", required=True)
    parser.add_argument("--contexts", type=int, default=2000)
    parser.add_argument("--environments", default=",".join(ENVIRONMENTS))
    parser.add_argument("--show", type=int, default=20, help="differences printed per section")
    parser.add_argument("--json", type=Path, help="write the sections to this file too")
    args = parser.parse_args(argv)
    a = Server(args.a, Admin(url=args.a, token=args.a_token))
    b = Server(args.b, Admin(url=args.b, token=args.b_token))
    try:
        sections = judge(a, b, count=args.contexts, environments=args.environments.split(","))
    finally:
        a.admin.close()
        b.admin.close()
    for line in report(sections, show=args.show):
        print(line)
    if args.json is not None:
        args.json.write_text(json.dumps([as_json(s) for s in sections], indent=2))
    return 0 if all(s.agreed == s.total for s in sections) else 1


if __name__ == "__main__":
    raise SystemExit(main())
