"""Call sequences recorded on Unleash 8.2.0 (tests/features/fixtures, tests/dependencies/
fixtures) and replayed on leash. Flag names carry the recording's prefix (`h5-r4-`): the same
names on both sides, since a flag's name seeds the SDK engines' stickiness hashes."""

from __future__ import annotations

from flag_replay import Step

FEAT = "/api/admin/projects/default/features"
P = "h5-r4-"


def _flag(name: str) -> Step:
    return {"label": f"create {name}", "method": "POST", "path": FEAT, "body": {"name": name}}


def _step(label: str, method: str, path: str, body: object = None, **extra: list[str]) -> Step:
    step: Step = {"label": label, "method": method, "path": path}
    if body is not None:
        step["body"] = body
    if "flags" in extra:
        step["flags"] = extra["flags"]
    return step


def _frontend(user: str, flags: list[str]) -> Step:
    step = _step(f"frontend {user}", "GET", f"/api/frontend?userId={user}", flags=flags)
    step["auth"] = "frontend"
    return step


def _search(*names: str) -> Step:
    return {
        "label": "events",
        "method": "GET",
        "path": "/api/admin/search/events?limit=100&feature=IS_ANY_OF:" + ",".join(names),
    }


VAR = P + "var"
VARIANTS = f"{FEAT}/{VAR}/environments/development/variants"
BATCH = f"{FEAT}/{VAR}/variants-batch"

_BAD_PUTS: list[tuple[str, object]] = [
    ("no weightType", [{"name": "a", "weight": 500}]),
    (
        "duplicate",
        [
            {"name": "a", "weight": 500, "weightType": "variable"},
            {"name": "a", "weight": 500, "weightType": "variable"},
        ],
    ),
    ("weight over 1000", [{"name": "a", "weight": 1001, "weightType": "variable"}]),
    ("decimal weight", [{"name": "a", "weight": 50.5, "weightType": "variable"}]),
    ("only fix", [{"name": "a", "weight": 500, "weightType": "fix"}]),
    (
        "fix over 1000",
        [
            {"name": "a", "weight": 600, "weightType": "fix"},
            {"name": "b", "weight": 600, "weightType": "fix"},
            {"name": "c", "weight": 0, "weightType": "variable"},
        ],
    ),
    (
        "bad json payload",
        [
            {
                "name": "a",
                "weight": 500,
                "weightType": "variable",
                "payload": {"type": "json", "value": "{nope"},
            }
        ],
    ),
    ("empty name", [{"name": "", "weight": 500, "weightType": "variable"}]),
    ("name not url friendly", [{"name": "a b", "weight": 500, "weightType": "variable"}]),
    ("extra key", [{"name": "a", "weight": 500, "weightType": "variable", "extra": 1}]),
    ("no name", [{"weight": 500, "weightType": "variable"}]),
    ("not an array", {"name": "a"}),
]

VARIANT_STEPS: list[Step] = [
    _flag(VAR),
    {"label": "get empty", "method": "GET", "path": VARIANTS},
    {
        "label": "put deprecated",
        "method": "PUT",
        "path": VARIANTS,
        "body": [{"name": "a", "weight": 500, "weightType": "variable"}],
    },
    {
        "label": "patch deprecated",
        "method": "PATCH",
        "path": VARIANTS,
        "body": [{"op": "add", "path": "/0", "value": {"name": "a", "weight": 1}}],
    },
    {
        "label": "batch without environments",
        "method": "PUT",
        "path": BATCH,
        "body": {"variants": [{"name": "a", "weight": 500}]},
    },
    {
        "label": "batch unknown environment",
        "method": "PUT",
        "path": BATCH,
        "body": {"variants": [{"name": "a", "weight": 500}], "environments": ["nope"]},
    },
    {
        "label": "batch",
        "method": "PUT",
        "path": BATCH,
        "body": {
            "variants": [
                {
                    "name": "blue",
                    "weight": 100,
                    "weightType": "fix",
                    "payload": {"type": "json", "value": '{"x": 1}'},
                },
                {"name": "amber", "weight": 1},
                {"name": "cyan", "weight": 1, "stickiness": "userId"},
            ],
            "environments": ["production", "development"],
        },
    },
    {"label": "get development", "method": "GET", "path": VARIANTS},
    {
        "label": "get production",
        "method": "GET",
        "path": f"{FEAT}/{VAR}/environments/production/variants",
    },
    *[_step(f"put {label}", "PUT", VARIANTS, body) for label, body in _BAD_PUTS],
    {
        "label": "put",
        "method": "PUT",
        "path": VARIANTS,
        "body": [
            {"name": "x", "weight": 0, "weightType": "variable", "stickiness": "default"},
            {
                "name": "y",
                "weight": 200,
                "weightType": "fix",
                "stickiness": "default",
                "payload": {"type": "number", "value": "7"},
                "overrides": [{"contextName": "userId", "values": ["u1"]}],
            },
        ],
    },
    {
        "label": "patch add",
        "method": "PATCH",
        "path": VARIANTS,
        "body": [
            {
                "op": "add",
                "path": "/-",
                "value": {"name": "z", "weight": 0, "weightType": "variable"},
            },
            {"op": "replace", "path": "/0/stickiness", "value": "userId"},
        ],
    },
    {
        "label": "patch missing item",
        "method": "PATCH",
        "path": VARIANTS,
        "body": [{"op": "replace", "path": "/5/name", "value": "q"}],
    },
    {
        "label": "patch result invalid",
        "method": "PATCH",
        "path": VARIANTS,
        "body": [{"op": "replace", "path": "/0/weight", "value": "heavy"}],
    },
    {
        "label": "patch unknown environment",
        "method": "PATCH",
        "path": f"{FEAT}/{VAR}/environments/nope/variants",
        "body": [],
    },
    {
        "label": "get unknown flag",
        "method": "GET",
        "path": f"{FEAT}/{P}nope/environments/development/variants",
    },
    {
        "label": "get unknown environment",
        "method": "GET",
        "path": f"{FEAT}/{VAR}/environments/nope/variants",
    },
    {"label": "flag", "method": "GET", "path": f"{FEAT}/{VAR}"},
    {
        "label": "flag with environment variants",
        "method": "GET",
        "path": f"{FEAT}/{VAR}?variantEnvironments=true",
    },
    {"label": "on", "method": "POST", "path": f"{FEAT}/{VAR}/environments/development/on"},
    {
        "label": "client features",
        "method": "GET",
        "path": "/api/client/features",
        "auth": "client",
        "flags": [VAR],
    },
    *[_frontend(user, [VAR]) for user in ("u1", "u2", "u3", "u4", "u5", "u6")],
    _search(VAR),
]


STR = P + "str"
ENV = f"{FEAT}/{STR}/environments/development"
STRATEGIES = ENV + "/strategies"

STRATEGY_STEPS: list[Step] = [
    _flag(STR),
    {"label": "environment before", "method": "GET", "path": ENV},
    {"label": "environment unknown", "method": "GET", "path": f"{FEAT}/{STR}/environments/nope"},
    {
        "label": "environment of unknown flag",
        "method": "GET",
        "path": f"{FEAT}/{P}nope/environments/development",
    },
    {"label": "on adds the default strategy", "method": "POST", "path": ENV + "/on"},
    {
        "label": "environment after",
        "method": "GET",
        "path": ENV,
        "capture": {"s1": ["strategies", 0, "id"]},
    },
    {
        "label": "second strategy",
        "method": "POST",
        "path": STRATEGIES,
        "body": {"name": "default", "title": "second"},
        "capture": {"s2": ["id"]},
    },
    {
        "label": "patch",
        "method": "PATCH",
        "path": STRATEGIES + "/{s1}",
        "body": [
            {"op": "replace", "path": "/parameters/rollout", "value": "50"},
            {"op": "add", "path": "/title", "value": "t1"},
            {
                "op": "add",
                "path": "/constraints/-",
                "value": {"contextName": "userId", "operator": "IN", "values": ["a"]},
            },
        ],
    },
    {
        "label": "patch unknown type",
        "method": "PATCH",
        "path": STRATEGIES + "/{s1}",
        "body": [{"op": "replace", "path": "/name", "value": "nope"}],
    },
    {
        "label": "patch parameters not an object",
        "method": "PATCH",
        "path": STRATEGIES + "/{s1}",
        "body": [{"op": "replace", "path": "/parameters", "value": []}],
    },
    {
        "label": "patch without name",
        "method": "PATCH",
        "path": STRATEGIES + "/{s1}",
        "body": [{"op": "remove", "path": "/name"}],
    },
    {
        "label": "patch unknown strategy",
        "method": "PATCH",
        "path": STRATEGIES + "/nope",
        "body": [],
    },
    {"label": "patch not an array", "method": "PATCH", "path": STRATEGIES + "/{s1}", "body": {}},
    {
        "label": "sort order",
        "method": "POST",
        "path": STRATEGIES + "/set-sort-order",
        "body": [{"id": "{s1}", "sortOrder": 5}, {"id": "{s2}", "sortOrder": 2}],
    },
    {"label": "strategies in order", "method": "GET", "path": STRATEGIES},
    {
        "label": "sort order unknown strategy",
        "method": "POST",
        "path": STRATEGIES + "/set-sort-order",
        "body": [{"id": "nope", "sortOrder": 5}],
    },
    {
        "label": "sort order without sortOrder",
        "method": "POST",
        "path": STRATEGIES + "/set-sort-order",
        "body": [{"id": "{s1}"}],
    },
    {
        "label": "sort order unknown environment",
        "method": "POST",
        "path": f"{FEAT}/{STR}/environments/nope/strategies/set-sort-order",
        "body": [],
    },
    {
        "label": "patch in a strategy variant",
        "method": "PATCH",
        "path": STRATEGIES + "/{s2}",
        "body": [
            {
                "op": "add",
                "path": "/variants/-",
                "value": {
                    "name": "strategy-v",
                    "weight": 1000,
                    "weightType": "variable",
                    "stickiness": "default",
                    "payload": {"type": "string", "value": "s"},
                },
            }
        ],
    },
    {
        "label": "environment variants too",
        "method": "PUT",
        "path": f"{FEAT}/{STR}/variants-batch",
        "body": {"variants": [{"name": "env-v", "weight": 1}], "environments": ["development"]},
    },
    _step("flag", "GET", f"{FEAT}/{STR}"),
    _step("flag with environment variants", "GET", f"{FEAT}/{STR}?variantEnvironments=true"),
    {
        "label": "client features",
        "method": "GET",
        "path": "/api/client/features",
        "auth": "client",
        "flags": [STR],
    },
    *[_frontend(user, [STR]) for user in ("u1", "u2", "u3")],
    _search(STR),
]

B1, B2 = P + "b1", P + "b2"
BULK = "/api/admin/projects/default/bulk_features/environments"

BULK_STEPS: list[Step] = [
    _flag(B1),
    _flag(B2),
    {
        "label": "on",
        "method": "POST",
        "path": BULK + "/development/on",
        "body": {"features": [B1, B2]},
    },
    {
        "label": "unknown flag",
        "method": "POST",
        "path": BULK + "/development/off",
        "body": {"features": [B1, P + "nope"]},
    },
    {
        "label": "b1 still on",
        "method": "GET",
        "path": f"{FEAT}/{B1}/environments/development",
        "keys": ["enabled"],
    },
    {
        "label": "unknown environment",
        "method": "POST",
        "path": BULK + "/nope/on",
        "body": {"features": [B1]},
    },
    {"label": "no features", "method": "POST", "path": BULK + "/development/off", "body": {}},
    {
        "label": "empty",
        "method": "POST",
        "path": BULK + "/development/off",
        "body": {"features": []},
    },
    {
        "label": "off",
        "method": "POST",
        "path": BULK + "/development/off",
        "body": {"features": [B1, B2]},
    },
    {
        "label": "on again",
        "method": "POST",
        "path": BULK + "/development/on",
        "body": {"features": [B1]},
    },
    _search(B1, B2),
]


PARENT, CHILD, CHILD2, OTHER, GONE = (
    P + "parent",
    P + "child",
    P + "child2",
    P + "other",
    P + "gone",
)


def _depend(label: str, child: str, body: object) -> Step:
    return {"label": label, "method": "POST", "path": f"{FEAT}/{child}/dependencies", "body": body}


DEPENDENCY_STEPS: list[Step] = [
    *[_flag(name) for name in (PARENT, CHILD, CHILD2, OTHER, GONE)],
    {
        "label": "parent strategy with variants",
        "method": "POST",
        "path": f"{FEAT}/{PARENT}/environments/development/strategies",
        "body": {
            "name": "flexibleRollout",
            "parameters": {"rollout": "100", "stickiness": "default", "groupId": PARENT},
            "variants": [
                {"name": "red", "weight": 500, "weightType": "variable", "stickiness": "default"},
                {"name": "blue", "weight": 500, "weightType": "variable", "stickiness": "default"},
            ],
        },
    },
    {
        "label": "parent environment variants",
        "method": "PUT",
        "path": f"{FEAT}/{PARENT}/variants-batch",
        "body": {
            "variants": [{"name": "green", "weight": 1}, {"name": "blue", "weight": 1}],
            "environments": ["production"],
        },
    },
    _depend("add", CHILD, {"feature": PARENT}),
    _depend("on itself", CHILD, {"feature": CHILD}),
    _depend("parent as child", PARENT, {"feature": OTHER}),
    _depend("child as parent", OTHER, {"feature": CHILD}),
    _depend("unknown parent", CHILD2, {"feature": P + "nope"}),
    _depend("unknown child", P + "nope", {"feature": PARENT}),
    _depend("disabled parent", CHILD2, {"feature": PARENT, "enabled": False, "variants": ["red"]}),
    _depend("no feature", CHILD2, {"enabled": False}),
    _depend("variants not an array", CHILD2, {"feature": PARENT, "variants": "red"}),
    {
        "label": "child2",
        "method": "GET",
        "path": f"{FEAT}/{CHILD2}",
        "keys": ["dependencies", "children"],
    },
    {
        "label": "parent",
        "method": "GET",
        "path": f"{FEAT}/{PARENT}",
        "keys": ["dependencies", "children"],
    },
    {
        "label": "parents of other",
        "method": "GET",
        "path": f"{FEAT}/{OTHER}/parents",
        "only": [PARENT, CHILD, CHILD2, OTHER, GONE],
    },
    {"label": "parents of unknown", "method": "GET", "path": f"{FEAT}/{P}nope/parents"},
    {"label": "parent variants", "method": "GET", "path": f"{FEAT}/{PARENT}/parent-variants"},
    {
        "label": "parent variants of unknown",
        "method": "GET",
        "path": f"{FEAT}/{P}nope/parent-variants",
    },
    {"label": "exist", "method": "GET", "path": "/api/admin/projects/default/dependencies"},
    {
        "label": "delete missing",
        "method": "DELETE",
        "path": f"{FEAT}/{CHILD2}/dependencies/{OTHER}",
    },
    {"label": "delete", "method": "DELETE", "path": f"{FEAT}/{CHILD2}/dependencies/{PARENT}"},
    {"label": "delete all", "method": "DELETE", "path": f"{FEAT}/{CHILD}/dependencies"},
    {"label": "delete all again", "method": "DELETE", "path": f"{FEAT}/{CHILD}/dependencies"},
    {
        "label": "delete of unknown child",
        "method": "DELETE",
        "path": f"{FEAT}/{P}nope/dependencies/{PARENT}",
    },
    _depend("add with variants", CHILD, {"feature": PARENT, "variants": ["red", "blue"]}),
    _depend("second parent replaces the first", CHILD2, {"feature": OTHER}),
    _depend("first again", CHILD2, {"feature": PARENT, "enabled": False}),
    {"label": "archive a parent", "method": "DELETE", "path": f"{FEAT}/{PARENT}"},
    {"label": "archive gone", "method": "DELETE", "path": f"{FEAT}/{GONE}"},
    _depend("archived parent", OTHER, {"feature": GONE}),
    {
        "label": "parent on",
        "method": "POST",
        "path": f"{FEAT}/{PARENT}/environments/development/on",
    },
    {"label": "child on", "method": "POST", "path": f"{FEAT}/{CHILD}/environments/development/on"},
    {
        "label": "child2 on",
        "method": "POST",
        "path": f"{FEAT}/{CHILD2}/environments/development/on",
    },
    {
        "label": "client features",
        "method": "GET",
        "path": "/api/client/features",
        "auth": "client",
        "flags": [PARENT, CHILD, CHILD2],
    },
    *[_frontend(user, [PARENT, CHILD, CHILD2]) for user in ("u1", "u2", "u3", "u4")],
    _search(CHILD, CHILD2),
]
