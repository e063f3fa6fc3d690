"""The playground scenario: flags set up alike on leash and on the reference Unleash 7.5.1.

`SETUP` is a list of abstract operations; `record.py` performs them over HTTP on the reference
server and `test_playground_reference.py` performs them on leash (over HTTP where leash has
the endpoint, as database rows where it does not yet: environment variants and dependencies).
`REQUESTS` are the playground calls whose answers are recorded in `fixtures/`.

Every flag and segment name starts with `PREFIX`, so recording on a shared reference server
touches nothing else and its answers can be filtered down to this scenario's flags.
"""

from __future__ import annotations

from typing import Any

PREFIX = "pgfx-"


def c(context: str, operator: str, **kw: Any) -> dict[str, Any]:
    """A constraint."""
    return {"contextName": context, "operator": operator, **kw}


def rollout(flag: str, percent: int = 100, **kw: Any) -> dict[str, Any]:
    params = {"rollout": str(percent), "stickiness": "default", "groupId": flag}
    return {"name": "flexibleRollout", "parameters": params, **kw}


def variant(name: str, weight: int, payload: str | None = None, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "weight": weight,
        "weightType": "variable",
        "stickiness": "default",
    }
    if payload is not None:
        out["payload"] = {"type": "string", "value": payload}
    out.update(kw)
    return out


F = PREFIX  # shorter flag names below

# Operations: ("segment", name, constraints) | ("flag", name) | ("strategy", flag, body with
# "segments" as segment names) | ("on", flag) |
# ("dependency", child, {"feature", "enabled", "variants"?}). Unleash 7 refuses new
# environment variants ("deprecated ... use strategy variants"), so the scenario has none.
SETUP: list[tuple[Any, ...]] = [
    ("segment", F + "beta", [c("userId", "IN", values=["alice", "bob"])]),
    ("segment", F + "eu", [c("region", "IN", values=["eu"])]),
    # a flag whose environment is off: strategies are still explained
    ("flag", F + "off"),
    ("strategy", F + "off", rollout(F + "off", constraints=[c("appName", "IN", values=["web"])])),
    # off, but with strategy variants: the strategy still reports its variant
    ("flag", F + "off-variants"),
    (
        "strategy",
        F + "off-variants",
        rollout(F + "off-variants", variants=[variant("v", 1000, "p")]),
    ),
    # no strategies, never switched on
    ("flag", F + "bare"),
    # constraints and two segments, with a title
    ("flag", F + "segmented"),
    (
        "strategy",
        F + "segmented",
        rollout(
            F + "segmented",
            title="Beta rollout",
            constraints=[c("appName", "IN", values=["web"])],
            segments=[F + "beta", F + "eu"],
        ),
    ),
    ("on", F + "segmented"),
    # a disabled strategy before an enabled one
    ("flag", F + "disabled-strategy"),
    ("strategy", F + "disabled-strategy", {"name": "default", "disabled": True, "title": "Parked"}),
    (
        "strategy",
        F + "disabled-strategy",
        rollout(
            F + "disabled-strategy", constraints=[c("userId", "IN", values=["alice", "carol"])]
        ),
    ),
    ("on", F + "disabled-strategy"),
    # strategy variants, on the second strategy only
    ("flag", F + "strategy-variants"),
    (
        "strategy",
        F + "strategy-variants",
        rollout(F + "strategy-variants", constraints=[c("userId", "IN", values=["bob"])]),
    ),
    (
        "strategy",
        F + "strategy-variants",
        rollout(
            F + "strategy-variants",
            variants=[variant("green", 1000, "g")],
            constraints=[c("appName", "IN", values=["web"])],
        ),
    ),
    ("on", F + "strategy-variants"),
    # operators on standard and unknown context fields
    ("flag", F + "operators"),
    (
        "strategy",
        F + "operators",
        rollout(
            F + "operators",
            constraints=[
                c("tenant", "STR_CONTAINS", values=["ACM"], caseInsensitive=True),
                c("appName", "IN", values=["ios"], inverted=True),
                c("seats", "NUM_GT", value="10"),
                c("currentTime", "DATE_AFTER", value="2025-01-01T00:00:00.000Z"),
                c("appVersion", "SEMVER_GT", value="1.9.9"),
            ],
        ),
    ),
    ("on", F + "operators"),
    # host names cannot be evaluated by the playground: unknown result
    ("flag", F + "hostname"),
    (
        "strategy",
        F + "hostname",
        {"name": "applicationHostname", "parameters": {"hostNames": "nowhere"}},
    ),
    ("on", F + "hostname"),
    # a hostname strategy whose constraint fails, next to a remote address strategy
    ("flag", F + "remote"),
    (
        "strategy",
        F + "remote",
        {
            "name": "applicationHostname",
            "parameters": {"hostNames": "nowhere"},
            "constraints": [c("appName", "IN", values=["none"])],
        },
    ),
    ("strategy", F + "remote", {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.0/8"}}),
    ("on", F + "remote"),
    # dependencies: a parent with variants, children asking for it on, off, and a variant
    ("flag", F + "parent"),
    (
        "strategy",
        F + "parent",
        rollout(
            F + "parent",
            constraints=[c("appName", "IN", values=["web"])],
            variants=[variant("red", 1000)],
        ),
    ),
    ("on", F + "parent"),
    ("flag", F + "child-on"),
    ("strategy", F + "child-on", rollout(F + "child-on")),
    ("on", F + "child-on"),
    ("dependency", F + "child-on", {"feature": F + "parent", "enabled": True}),
    ("flag", F + "child-off"),
    ("strategy", F + "child-off", rollout(F + "child-off")),
    ("on", F + "child-off"),
    ("dependency", F + "child-off", {"feature": F + "parent", "enabled": False}),
    ("flag", F + "child-variant"),
    ("strategy", F + "child-variant", rollout(F + "child-variant")),
    ("on", F + "child-variant"),
    (
        "dependency",
        F + "child-variant",
        {"feature": F + "parent", "enabled": True, "variants": ["blue"]},
    ),
]


def flag_names(operations: list[tuple[Any, ...]]) -> list[str]:
    return [op[1] for op in operations if op[0] == "flag"]


WEB_ALICE = {
    "appName": "web",
    "userId": "alice",
    "properties": {"region": "eu", "tenant": "acme", "seats": "11"},
}
IOS_BOB = {"appName": "ios", "userId": "bob", "properties": {"region": "us"}}
# unknown fields at the top level, a remote address and a fixed time
TOP_LEVEL = {
    "appName": "web",
    "userId": "carol",
    "tenant": "xacmex",
    "seats": "12",
    "appVersion": "2.0.0",
    "remoteAddress": "10.1.2.3",
    "currentTime": "2030-01-01T00:00:00.000Z",
    "region": "eu",
}

JSON = "application/json"
# An empty environment and project: only the validation and the echo of the input matter.
NOWHERE = {"environment": "nope", "projects": ["nope"]}


def request(
    name: str, body: Any, content_type: str | None = JSON, auth: str | None = "admin"
) -> dict[str, Any]:
    """A playground call; `body` as a str is sent as it is, `auth` names a token or None."""
    return {"name": name, "body": body, "content_type": content_type, "auth": auth}


DEV = "development"
REQUESTS: list[dict[str, Any]] = [
    request("web-alice", {"environment": DEV, "projects": "*", "context": WEB_ALICE}),
    request("ios-bob", {"environment": DEV, "projects": ["default"], "context": IOS_BOB}),
    request("top-level-fields", {"environment": DEV, "context": TOP_LEVEL}),
    request("production", {"environment": "production", "projects": "*", "context": WEB_ALICE}),
    request("unknown-project", {"environment": DEV, "projects": ["nope"], "context": WEB_ALICE}),
    request("unknown-environment", {"environment": "nope", "projects": "*", "context": WEB_ALICE}),
    request(
        "coerced-values",
        {
            "environment": DEV,
            "projects": "*",
            "context": {"appName": "web", "userId": 7, "properties": {"seats": 20, "beta": True}},
        },
    ),
    # non-string unknown fields are echoed as sent; extra body fields too
    request(
        "coerced-input-echo",
        {"environment": 5, "projects": [1, None], "context": {"appName": "a", "tenant": 5}, "x": 1},
    ),
    request("projects-empty-list", {**NOWHERE, "projects": [], "context": {"appName": "a"}}),
    request(
        "date-time-no-zone",
        {**NOWHERE, "context": {"appName": "a", "currentTime": "2030-01-01T00:00:00"}},
    ),
    request(
        "date-time-space-offset",
        {**NOWHERE, "context": {"appName": "a", "currentTime": "2030-01-01 10:00:00+02"}},
    ),
    request(
        "date-time-lower-case",
        {**NOWHERE, "context": {"appName": "a", "currentTime": "2030-01-01t10:00:00.5z"}},
    ),
    request(
        "date-time-leap-second",
        {**NOWHERE, "context": {"appName": "a", "currentTime": "2016-12-31T23:59:60Z"}},
    ),
    request(
        "invalid-date-only", {**NOWHERE, "context": {"appName": "a", "currentTime": "2030-01-01"}}
    ),
    request(
        "invalid-date-february-30",
        {**NOWHERE, "context": {"appName": "a", "currentTime": "2030-02-30T00:00:00Z"}},
    ),
    request(
        "invalid-date-hour-25",
        {**NOWHERE, "context": {"appName": "a", "currentTime": "2030-01-01T25:00:00Z"}},
    ),
    request(
        "invalid-current-time", {**NOWHERE, "context": {"appName": "a", "currentTime": "yesterday"}}
    ),
    request("invalid-no-environment", {"projects": "*", "context": WEB_ALICE}),
    request("invalid-environment-object", {"environment": {}, "context": WEB_ALICE}),
    request("invalid-no-context", {"environment": DEV}),
    request("invalid-context-string", {"environment": DEV, "context": "str"}),
    request("invalid-no-app-name", {"environment": DEV, "context": {"userId": "a"}}),
    request("invalid-empty-app-name", {"environment": DEV, "context": {"appName": ""}}),
    request(
        "invalid-user-id-object", {"environment": DEV, "context": {"appName": "a", "userId": {}}}
    ),
    request(
        "invalid-projects-string", {"environment": DEV, "projects": "default", "context": WEB_ALICE}
    ),
    request("invalid-projects-number", {"environment": DEV, "projects": 5, "context": WEB_ALICE}),
    request("invalid-projects-null", {"environment": DEV, "projects": None, "context": WEB_ALICE}),
    request(
        "invalid-projects-object", {"environment": DEV, "projects": {"a": 1}, "context": WEB_ALICE}
    ),
    request(
        "invalid-projects-item-object", {"environment": DEV, "projects": [{}], "context": WEB_ALICE}
    ),
    request(
        "invalid-property-object",
        {"environment": DEV, "context": {"appName": "a", "properties": {"x": {"y": 1}}}},
    ),
    request(
        "invalid-properties-string",
        {"environment": DEV, "context": {"appName": "a", "properties": "x"}},
    ),
    request("invalid-body-array", [1, 2]),
    request("invalid-empty-body", ""),
    request("invalid-json", "{nope"),
    request("invalid-content-type", "environment=development", "text/plain"),
    request("auth-none", {"environment": DEV, "context": WEB_ALICE}, auth=None),
    request("auth-client-token", {"environment": DEV, "context": WEB_ALICE}, auth="client"),
    request("auth-frontend-token", {"environment": DEV, "context": WEB_ALICE}, auth="frontend"),
    request("auth-unknown-token", {"environment": DEV, "context": WEB_ALICE}, auth="unknown"),
]
