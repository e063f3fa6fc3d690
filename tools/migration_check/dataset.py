"""The realistic data set seed.py writes into an Unleash 8.2.0: pure data, the same on every run.

What it holds, and why (issue 14 names what Unleash-into-Unleash loses):
- 4 projects (default + 3), both environments (development, production) in each;
- context fields in an order that is not alphabetical, some with legal values, one with
  stickiness, two (`country`, `plan`) referenced only inside segments;
- a custom strategy definition (`betaTesters`) and flags using it;
- global and project segments;
- ~60 flags of every type: gradual rollouts with each stickiness and groupIds, constraints of
  every operator (semver, date, number, string), inverted and caseInsensitive, strategy variants
  where the order of two matching strategies decides the variant, disabled strategies, titles,
  environment variants with overrides, dependencies on a parent's variants or enabled state,
  tags, links, stale and impression data, archived flags.
"""

from __future__ import annotations

from typing import Any, TypedDict


class Project(TypedDict):
    id: str
    name: str
    description: str


class Strategy(TypedDict, total=False):
    name: str
    title: str
    disabled: bool
    parameters: dict[str, str]
    constraints: list[dict[str, Any]]
    segments: list[str]  # segment names, turned into ids when seeding
    variants: list[dict[str, Any]]


class EnvironmentSetup(TypedDict, total=False):
    enabled: bool
    strategies: list[Strategy]
    variants: list[dict[str, Any]]


class Dependency(TypedDict, total=False):
    feature: str
    enabled: bool
    variants: list[str]


class Flag(TypedDict, total=False):
    name: str
    project: str
    type: str
    description: str
    impressionData: bool
    stale: bool
    archived: bool
    tags: list[tuple[str, str]]
    links: list[dict[str, str]]
    environments: dict[str, EnvironmentSetup]
    dependencies: list[Dependency]


ENVIRONMENTS = ("development", "production")

PROJECTS: list[Project] = [
    {"id": "payments", "name": "Payments", "description": "Checkout and billing"},
    {"id": "growth", "name": "Growth", "description": "Experiments and onboarding"},
    {"id": "platform", "name": "Platform", "description": "Kill switches and operations"},
]

# Created in this order, which is not the alphabetical one (Unleash keeps sortOrder).
CONTEXT_FIELDS: list[dict[str, Any]] = [
    {
        "name": "tier",
        "sortOrder": 10,
        "description": "Customer tier",
        "stickiness": False,
        "legalValues": [
            {"value": "free", "description": "Free plan"},
            {"value": "pro", "description": "Paying"},
            {"value": "enterprise", "description": "Contract"},
        ],
    },
    {
        "name": "orgId",
        "sortOrder": 20,
        "description": "Organisation, sticky for rollouts",
        "stickiness": True,
        "legalValues": [],
    },
    {
        "name": "country",
        "sortOrder": 30,
        "description": "ISO country, used only in segments",
        "stickiness": False,
        "legalValues": [{"value": v} for v in ("NO", "SE", "DK", "DE", "US", "BR")],
    },
    {
        "name": "appVersion",
        "sortOrder": 40,
        "description": "Client version (semver)",
        "legalValues": [],
    },
    {"name": "age", "sortOrder": 50, "description": "Account age in days", "legalValues": []},
    {
        "name": "plan",
        "sortOrder": 60,
        "description": "Billing plan, used only in segments",
        "legalValues": [],
    },
]

TAG_TYPES: list[dict[str, str]] = [
    {"name": "team", "description": "Owning team", "icon": ""},
    {"name": "jira", "description": "Ticket", "icon": ""},
]

CUSTOM_STRATEGY: dict[str, Any] = {
    "name": "betaTesters",
    "description": "Named beta testers, then a share of the rest",
    "parameters": [
        {"name": "users", "type": "list", "description": "user ids", "required": True},
        {"name": "percentage", "type": "percentage", "description": "share", "required": False},
    ],
}


def c(
    context: str,
    operator: str,
    values: list[str] | str,
    *,
    inverted: bool = False,
    case_insensitive: bool = False,
) -> dict[str, Any]:
    """One constraint: a list for the list operators, a single value for the others."""
    constraint: dict[str, Any] = {
        "contextName": context,
        "operator": operator,
        "inverted": inverted,
        "caseInsensitive": case_insensitive,
    }
    if isinstance(values, list):
        constraint["values"] = values
    else:
        constraint["value"] = values
    return constraint


SEGMENTS: list[dict[str, Any]] = [
    {
        "name": "nordics",
        "description": "Nordic countries",
        "constraints": [c("country", "IN", ["NO", "SE", "DK"])],
    },
    {
        "name": "paying",
        "description": "Paying plans, recent apps",
        "constraints": [
            c("plan", "IN", ["gold", "silver"]),
            c("appVersion", "SEMVER_GT", "1.4.0"),
        ],
    },
    {
        "name": "not-brazil",
        "description": "Everyone but Brazil",
        "constraints": [c("country", "IN", ["BR"], inverted=True)],
    },
    {
        "name": "payments-vip",
        "description": "A project segment",
        "project": "payments",
        "constraints": [c("plan", "STR_STARTS_WITH", ["GOLD"], case_insensitive=True)],
    },
    {"name": "empty", "description": "A segment with no constraints", "constraints": []},
]


def rollout(percent: int, *, stickiness: str = "default", group: str = "", **more: Any) -> Strategy:
    strategy: Strategy = {
        "name": "flexibleRollout",
        "parameters": {"rollout": str(percent), "stickiness": stickiness, "groupId": group},
    }
    strategy.update(more)  # type: ignore[typeddict-item]
    return strategy


def variant(
    name: str, weight: int, *, stickiness: str = "default", payload: dict[str, str] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "weight": weight,
        "weightType": "variable",
        "stickiness": stickiness,
    }
    if payload is not None:
        out["payload"] = payload
    return out


def env_variant(
    name: str,
    weight: int,
    *,
    fixed: bool = False,
    stickiness: str = "default",
    payload: dict[str, str] | None = None,
    overrides: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    out = variant(name, weight, stickiness=stickiness, payload=payload)
    out["weightType"] = "fix" if fixed else "variable"
    if overrides is not None:
        out["overrides"] = overrides
    return out


def both(
    setup: EnvironmentSetup, production: EnvironmentSetup | None = None
) -> dict[str, EnvironmentSetup]:
    return {"development": setup, "production": production if production is not None else setup}


STICKINESSES = ("default", "userId", "sessionId", "orgId")

OPERATOR_CONSTRAINTS: list[tuple[str, list[dict[str, Any]]]] = [
    ("in-tier", [c("tier", "IN", ["pro", "enterprise"])]),
    ("not-in-tier", [c("tier", "NOT_IN", ["free"])]),
    ("in-inverted", [c("userId", "IN", ["user-1", "user-2", "user-3"], inverted=True)]),
    ("contains", [c("userId", "STR_CONTAINS", ["7"])]),
    ("contains-ci", [c("userId", "STR_CONTAINS", ["USER-4"], case_insensitive=True)]),
    ("starts-with", [c("userId", "STR_STARTS_WITH", ["user-1"])]),
    (
        "ends-with-ci-inverted",
        [c("sessionId", "STR_ENDS_WITH", ["X9"], inverted=True, case_insensitive=True)],
    ),
    ("num-eq", [c("age", "NUM_EQ", "30")]),
    ("num-gt", [c("age", "NUM_GT", "100")]),
    ("num-gte", [c("age", "NUM_GTE", "200.5")]),
    ("num-lt", [c("age", "NUM_LT", "50")]),
    ("num-lte-inverted", [c("age", "NUM_LTE", "10", inverted=True)]),
    ("semver-eq", [c("appVersion", "SEMVER_EQ", "1.2.3")]),
    ("semver-gt", [c("appVersion", "SEMVER_GT", "1.5.0")]),
    ("semver-lt", [c("appVersion", "SEMVER_LT", "1.3.0-beta.2")]),
    ("date-after", [c("currentTime", "DATE_AFTER", "2024-06-01T00:00:00.000Z")]),
    ("date-before", [c("currentTime", "DATE_BEFORE", "2025-01-01T00:00:00.000Z")]),
    (
        "multi",
        [
            c("tier", "IN", ["pro"]),
            c("appVersion", "SEMVER_GT", "1.0.0"),
            c("remoteAddress", "STR_STARTS_WITH", ["10.1."]),
        ],
    ),
]


def flags() -> list[Flag]:
    out: list[Flag] = []

    # payments: rollouts with every stickiness and groupIds, in one environment or both.
    for index, stickiness in enumerate(STICKINESSES):
        for percent in (5, 50, 100):
            name = f"pay-rollout-{stickiness.lower()}-{percent}"
            out.append(
                {
                    "name": name,
                    "project": "payments",
                    "type": "release",
                    "description": f"{percent}% by {stickiness}",
                    "environments": both(
                        {
                            "enabled": True,
                            "strategies": [
                                rollout(
                                    percent,
                                    stickiness=stickiness,
                                    group="checkout" if index % 2 else name,
                                    title=f"{percent}% of {stickiness}",
                                )
                            ],
                        },
                        {"enabled": percent != 5, "strategies": [rollout(percent // 2 or 1)]},
                    ),
                    "tags": [("team", "payments"), ("simple", f"p{percent}")],
                }
            )

    # growth: one flag per operator family, some in segments.
    for index, (suffix, constraints) in enumerate(OPERATOR_CONSTRAINTS):
        segments = [["nordics"], ["paying"], [], ["not-brazil", "nordics"]][index % 4]
        out.append(
            {
                "name": f"growth-op-{suffix}",
                "project": "growth",
                "type": "experiment" if index % 2 else "release",
                "description": f"constraint {suffix}",
                "impressionData": index % 3 == 0,
                "environments": both(
                    {
                        "enabled": True,
                        "strategies": [
                            {
                                "name": "default",
                                "constraints": constraints,
                                "segments": segments,
                                "parameters": {},
                            }
                        ],
                    },
                    {
                        "enabled": index % 2 == 0,
                        "strategies": [rollout(30, constraints=constraints)],
                    },
                ),
                "tags": [("team", "growth")],
            }
        )

    # growth: the order of two matching strategies with variants decides the variant.
    for index in range(4):
        first = rollout(
            100,
            stickiness="userId",
            title="first",
            variants=[
                variant("red", 500, payload={"type": "string", "value": "r"}),
                variant("green", 500, payload={"type": "json", "value": '{"g": 1}'}),
            ],
        )
        second = rollout(
            100 - index * 20,
            title="second",
            variants=[
                variant("blue", 1000, stickiness="orgId", payload={"type": "csv", "value": "a,b"})
            ],
        )
        first_c = {**first, "constraints": [c("tier", "IN", ["pro"])]} if index % 2 else first
        out.append(
            {
                "name": f"growth-order-{index}",
                "project": "growth",
                "type": "experiment",
                "description": "strategy order decides the variant",
                "environments": both(
                    {"enabled": True, "strategies": [second, first_c]},
                    {"enabled": True, "strategies": [first_c, second]},
                ),
            }
        )

    # growth: a child of a flag whose variant depends on its strategies' order.
    out.append(
        {
            "name": "growth-child-of-order",
            "project": "growth",
            "type": "release",
            "description": "on where growth-order-1 gives blue",
            "environments": both({"enabled": True, "strategies": [rollout(100)]}),
            "dependencies": [{"feature": "growth-order-1", "enabled": True, "variants": ["blue"]}],
        }
    )

    # platform: kill switches, operational flags, disabled strategies, custom strategy.
    for index in range(6):
        disabled_first: Strategy = {
            "name": "default",
            "title": "switched off for now",
            "disabled": True,
            "parameters": {},
        }
        live: Strategy = {
            "name": "betaTesters",
            "title": "beta",
            "parameters": {"users": f"user-{index},user-1{index}", "percentage": str(index * 15)},
        }
        out.append(
            {
                "name": f"platform-kill-{index}",
                "project": "platform",
                "type": ["kill-switch", "operational", "permission"][index % 3],
                "description": "ops",
                "stale": index == 4,
                "environments": both(
                    {
                        "enabled": index != 3,
                        "strategies": [disabled_first, live] if index % 2 else [live],
                    },
                    {"enabled": True, "strategies": [rollout(10 * index, stickiness="orgId")]},
                ),
                "links": [{"url": f"https://runbooks.example.com/kill/{index}", "title": "runbook"}]
                if index < 3
                else [],
            }
        )

    # default project: environment variants with overrides and fixed weights; parents of deps.
    for index in range(5):
        variants = [
            env_variant("control", 500, stickiness="sessionId"),
            env_variant(
                "treatment",
                300,
                payload={"type": "number", "value": str(index)},
                overrides=[{"contextName": "userId", "values": ["user-5", "user-50"]}],
            ),
            env_variant("holdout", 200 if index % 2 else 100, fixed=index % 2 == 0),
        ]
        out.append(
            {
                "name": f"default-variants-{index}",
                "project": "default",
                "type": "experiment",
                "description": "environment variants",
                "environments": both(
                    {
                        "enabled": True,
                        "strategies": [rollout(80, stickiness="userId")],
                        "variants": variants,
                    },
                    {"enabled": index % 2 == 1, "strategies": [], "variants": variants[:2]},
                ),
                "tags": [("jira", f"LEASH-{100 + index}")],
            }
        )
    out.append(
        {
            "name": "default-parent",
            "project": "default",
            "type": "release",
            "description": "parent with strategy variants",
            "environments": both(
                {
                    "enabled": True,
                    "strategies": [
                        rollout(
                            60,
                            stickiness="userId",
                            variants=[
                                variant("blue", 700, stickiness="orgId"),
                                variant("yellow", 300, stickiness="orgId"),
                            ],
                        )
                    ],
                }
            ),
        }
    )
    out.append(
        {
            "name": "default-parent-off",
            "project": "default",
            "type": "release",
            "environments": both({"enabled": False, "strategies": [rollout(100)]}),
        }
    )
    child_deps: list[tuple[str, Dependency]] = [
        ("default-child-enabled", {"feature": "default-parent", "enabled": True}),
        ("default-child-disabled", {"feature": "default-parent", "enabled": False}),
        (
            "default-child-blue",
            {"feature": "default-parent", "enabled": True, "variants": ["blue"]},
        ),
        ("default-child-of-off", {"feature": "default-parent-off", "enabled": False}),
        (
            "default-child-variants",
            {"feature": "default-variants-0", "enabled": True, "variants": ["treatment"]},
        ),
    ]
    for name, dependency in child_deps:
        out.append(
            {
                "name": name,
                "project": "default",
                "type": "release",
                "description": f"depends on {dependency['feature']}",
                "environments": both({"enabled": True, "strategies": [rollout(100)]}),
                "dependencies": [dependency],
            }
        )

    # segments only, a project segment, a flag with no strategy at all.
    out.append(
        {
            "name": "pay-vip-only",
            "project": "payments",
            "type": "permission",
            "environments": both(
                {
                    "enabled": True,
                    "strategies": [
                        {"name": "default", "segments": ["payments-vip", "empty"], "parameters": {}}
                    ],
                }
            ),
        }
    )
    out.append(
        {
            "name": "pay-no-strategy",
            "project": "payments",
            "type": "release",
            "environments": both({"enabled": True, "strategies": []}),
        }
    )

    # archived flags, one per project.
    for project in ("default", "payments", "growth", "platform"):
        out.append(
            {
                "name": f"{project}-archived",
                "project": project,
                "type": "release",
                "description": "gone",
                "archived": True,
                "environments": both({"enabled": True, "strategies": [rollout(50)]}),
                "tags": [("team", project)],
            }
        )
    return out
