"""The reference scenario: ~130 HTTP steps replayed from an empty database.

Each step is a dict:
  name          unique, human-readable
  method        GET/POST/PUT/PATCH/DELETE
  path          may contain {placeholders} filled from earlier captures
  auth          "admin" | "client" | "frontend" | "none" | "bad"  (token name; default "admin")
  headers       extra request headers (optional)
  body          JSON value to send (optional); a string equal to "{name}" is replaced by the
                captured value keeping its type (so segment ids stay integers)
  raw_body      raw string to send instead of `body` (malformed cases)
  content_type  Content-Type to send; default "application/json" when a body is given,
                None = send no Content-Type header at all
  capture       {"varName": "json.path"}; path is dotted keys/indexes into the response JSON
                ("id", "strategies.0.id") or "header:location"
  delay         seconds to wait before sending (HTTP replays only; Unleash's client and frontend
                caches refresh about once a second)
  leash_differs optional reason: leash deliberately answers differently
  leash_status  with leash_differs: the status (or list of statuses) leash is expected to give
                instead; a step whose leash status is one of them counts as an expected
                difference (not a mismatch)
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"
NO_CT = None  # marker: send no Content-Type header

SEG = "/api/admin/segments"
FEAT = "/api/admin/projects/default/features"


def c(context: str, operator: str, **kw: Any) -> dict[str, Any]:
    """A constraint."""
    return {"contextName": context, "operator": operator, **kw}


def seg(name: str, *constraints: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"name": name, "constraints": list(constraints), **kw}


def strat_path(flag: str, env: str = "development") -> str:
    return f"{FEAT}/{flag}/environments/{env}/strategies"


STEPS: list[dict[str, Any]] = []


def step(name: str, method: str, path: str, body: Any = None, **kw: Any) -> None:
    s: dict[str, Any] = {"name": name, "method": method, "path": path, "auth": "admin"}
    if body is not None:
        s["body"] = body
    s.update(kw)
    STEPS.append(s)


# --- auth
step("auth: no token on admin segments", "GET", SEG, auth="none")
step("auth: unknown token on admin segments", "GET", SEG, auth="bad")
step("auth: client token on admin segments", "GET", SEG, auth="client")
step("auth: frontend token on admin segments", "GET", SEG, auth="frontend")
step(
    "auth: Bearer prefix accepted",
    "GET",
    SEG,
    auth="none",
    headers={"Authorization": "Bearer *:*.admin-secret"},
)
step("auth: client token POST segment", "POST", SEG, seg("x-denied"), auth="client")

# --- basics
step("segments: empty list", "GET", SEG)
step("projects: list", "GET", "/api/admin/projects")
step(
    "projects: create other project (OSS)",
    "POST",
    "/api/admin/projects",
    {"id": "other", "name": "Other"},
)
step("environments: list", "GET", "/api/admin/environments")

# --- create, every operator
step(
    "create: IN with description",
    "POST",
    SEG,
    seg("beta-users", c("userId", "IN", values=["alice", "bob"]), description="Beta testers"),
    capture={"segIn": "id"},
)
step(
    "create: NOT_IN inverted",
    "POST",
    SEG,
    seg("not-in-inverted", c("country", "NOT_IN", values=["NO", "SE"], inverted=True)),
    capture={"segNotIn": "id"},
)
step(
    "create: STR_STARTS_WITH caseInsensitive",
    "POST",
    SEG,
    seg("str-starts", c("email", "STR_STARTS_WITH", values=["admin"], caseInsensitive=True)),
    capture={"segStarts": "id"},
)
step(
    "create: STR_ENDS_WITH",
    "POST",
    SEG,
    seg("str-ends", c("email", "STR_ENDS_WITH", values=["@example.com", "@example.org"])),
    capture={"segEnds": "id"},
)
step(
    "create: STR_CONTAINS caseInsensitive inverted",
    "POST",
    SEG,
    seg(
        "str-contains",
        c("email", "STR_CONTAINS", values=["test"], caseInsensitive=True, inverted=True),
    ),
    capture={"segContains": "id"},
)
step(
    "create: NUM_* all five",
    "POST",
    SEG,
    seg(
        "numbers",
        c("age", "NUM_EQ", value="42"),
        c("age", "NUM_GT", value="1.5"),
        c("age", "NUM_GTE", value="-3"),
        c("age", "NUM_LT", value="100", inverted=True),
        c("age", "NUM_LTE", value="1e3"),
    ),
    capture={"segNum": "id"},
)
step(
    "create: DATE_AFTER / DATE_BEFORE",
    "POST",
    SEG,
    seg(
        "dates",
        c("currentTime", "DATE_AFTER", value="2024-01-01T00:00:00.000Z"),
        c("currentTime", "DATE_BEFORE", value="2030-06-01T12:00:00+02:00"),
    ),
    capture={"segDate": "id"},
)
step(
    "create: SEMVER_EQ/GT/LT",
    "POST",
    SEG,
    seg(
        "semver",
        c("appVersion", "SEMVER_EQ", value="1.2.3"),
        c("appVersion", "SEMVER_GT", value="1.0.0-beta.1"),
        c("appVersion", "SEMVER_LT", value="2.0.0"),
    ),
    capture={"segSemver": "id"},
)
step(
    "create: REGEX caseInsensitive",
    "POST",
    SEG,
    seg("regex", c("userId", "REGEX", value="^user-[0-9]+$", caseInsensitive=True)),
    capture={"segRegex": "id"},
)
step(
    "create: no constraints, project default, description empty",
    "POST",
    SEG,
    seg("project-default", project="default", description=""),
    capture={"segProj": "id"},
)
step(
    "create: extra root key ignored, description null, project null",
    "POST",
    SEG,
    {
        "name": "extra-root",
        "constraints": [],
        "description": None,
        "project": None,
        "somethingElse": 1,
    },
    capture={"segExtra": "id"},
)
step(
    "create: value and values both, NUM values omitted",
    "POST",
    SEG,
    seg("mixed", c("plan", "IN", values=["pro"], value="ignored"), c("seats", "NUM_GT", value="5")),
    capture={"segMixed": "id"},
)
step("create: to be deleted", "POST", SEG, seg("to-delete"), capture={"segDel": "id"})
step("create: spare 1", "POST", SEG, seg("spare-1"), capture={"spare1": "id"})
step("create: spare 2", "POST", SEG, seg("spare-2"), capture={"spare2": "id"})

# --- create: validation errors
step("create: duplicate name", "POST", SEG, seg("beta-users"))
step("create: missing name", "POST", SEG, {"constraints": []})
step("create: empty name", "POST", SEG, {"name": "", "constraints": []})
step("create: name is a number", "POST", SEG, {"name": 123, "constraints": []})
step("create: missing constraints", "POST", SEG, {"name": "no-constraints"})
step("create: constraints not an array", "POST", SEG, {"name": "c-obj", "constraints": {}})
step(
    "create: constraint missing contextName",
    "POST",
    SEG,
    {"name": "c-noctx", "constraints": [{"operator": "IN", "values": ["a"]}]},
)
step(
    "create: constraint unknown key",
    "POST",
    SEG,
    seg("c-unknownkey", c("userId", "IN", values=["a"], foo="bar")),
)
step(
    "create: unknown operator",
    "POST",
    SEG,
    seg("c-unknownop", c("userId", "LIKE", values=["a"])),
)
step(
    "create: lower-case operator",
    "POST",
    SEG,
    seg("c-lowerop", c("userId", "in", values=["a"])),
)
step("create: values not an array", "POST", SEG, seg("c-valstr", c("userId", "IN", values="a")))
step(
    "create: values contains a number", "POST", SEG, seg("c-valnum", c("userId", "IN", values=[1]))
)
step(
    "create: caseInsensitive not bool",
    "POST",
    SEG,
    seg("c-ci", c("userId", "IN", values=["a"], caseInsensitive="yes")),
)
step("create: IN with empty values", "POST", SEG, seg("c-emptyvals", c("userId", "IN", values=[])))
step("create: IN with values omitted", "POST", SEG, seg("c-novals", c("userId", "IN")))
step(
    "create: STR_CONTAINS with empty values",
    "POST",
    SEG,
    seg("c-str-empty", c("email", "STR_CONTAINS", values=[])),
)
step(
    "create: value over 100 chars",
    "POST",
    SEG,
    seg("c-long", c("userId", "IN", values=["x" * 101])),
)
step(
    "create: empty string in values", "POST", SEG, seg("c-emptystr", c("userId", "IN", values=[""]))
)
step("create: NUM_EQ non-number", "POST", SEG, seg("c-num", c("age", "NUM_EQ", value="abc")))
step(
    "create: NUM_GT empty value",
    "POST",
    SEG,
    seg("c-num-empty", c("age", "NUM_GT", value="")),
)
step(
    "create: SEMVER_EQ leading v",
    "POST",
    SEG,
    seg("c-semv", c("appVersion", "SEMVER_EQ", value="v1.2.3")),
)
step(
    "create: SEMVER_GT incomplete",
    "POST",
    SEG,
    seg("c-sem2", c("appVersion", "SEMVER_GT", value="1.2")),
)
step(
    "create: SEMVER_LT build metadata",
    "POST",
    SEG,
    seg("c-sem3", c("appVersion", "SEMVER_LT", value="1.2.3+build.5")),
)
step(
    "create: DATE_AFTER bad date",
    "POST",
    SEG,
    seg("c-date", c("currentTime", "DATE_AFTER", value="not-a-date")),
)
step("create: REGEX invalid pattern", "POST", SEG, seg("c-re", c("userId", "REGEX", value="(")))
step(
    "create: REGEX inverted",
    "POST",
    SEG,
    seg("c-reinv", c("userId", "REGEX", value="^a", inverted=True)),
)
step(
    "create: over 1000 values",
    "POST",
    SEG,
    seg("c-many", c("userId", "IN", values=[f"u{i}" for i in range(1001)])),
)
step("create: body is a JSON array", "POST", SEG, [{"name": "arr", "constraints": []}])

# --- content type / malformed
step(
    "create: no content type",
    "POST",
    SEG,
    raw_body='{"name":"ct-none","constraints":[]}',
    content_type=NO_CT,
)
step(
    "create: text/plain content type",
    "POST",
    SEG,
    raw_body='{"name":"ct-text","constraints":[]}',
    content_type="text/plain",
)
step(
    "create: json with charset",
    "POST",
    SEG,
    seg("charset-ok"),
    content_type="application/json; charset=utf-8",
    capture={"segCharset": "id"},
)
step(
    "create: malformed JSON",
    "POST",
    SEG,
    raw_body='{"name": "broken", ',
    leash_differs="Unleash answers an HTML error page from the body parser; leash answers a "
    "JSON 400 BadDataError",
    leash_status=400,
)
step(
    "update: no content type",
    "PUT",
    f"{SEG}/{{segIn}}",
    raw_body='{"name":"beta-users","constraints":[]}',
    content_type=NO_CT,
)

# --- validate
step("validate: free name", "POST", f"{SEG}/validate", {"name": "brand-new"})
step("validate: taken name", "POST", f"{SEG}/validate", {"name": "beta-users"})
step("validate: taken name other case", "POST", f"{SEG}/validate", {"name": "BETA-USERS"})
step("validate: empty name", "POST", f"{SEG}/validate", {"name": ""})
step("validate: missing name", "POST", f"{SEG}/validate", {})
step("validate: extra property", "POST", f"{SEG}/validate", {"name": "x", "extra": 1})
step(
    "validate: no content type",
    "POST",
    f"{SEG}/validate",
    raw_body='{"name":"x"}',
    content_type=NO_CT,
)
step("validate: client token", "POST", f"{SEG}/validate", {"name": "x"}, auth="client")

# --- get
step("get: one segment", "GET", f"{SEG}/{{segIn}}")
step("get: project segment", "GET", f"{SEG}/{{segProj}}")
step("get: unknown id", "GET", f"{SEG}/999999")
step("get: non-numeric id", "GET", f"{SEG}/stringName")
step("list: all segments before linking", "GET", SEG)

# --- update
step(
    "update: constraints, description omitted",
    "PUT",
    f"{SEG}/{{segIn}}",
    seg("beta-users", c("userId", "IN", values=["alice", "bob", "carol"])),
)
step("update: get shows description kept", "GET", f"{SEG}/{{segIn}}")
step(
    "update: rename + description null + project default",
    "PUT",
    f"{SEG}/{{segExtra}}",
    {
        "name": "extra-renamed",
        "description": None,
        "project": "default",
        "constraints": [],
        "id": 12345,
        "createdAt": "2000-01-01T00:00:00.000Z",
        "usedInFeatures": 7,
    },
)
step("update: get renamed", "GET", f"{SEG}/{{segExtra}}")
step(
    "update: back to global with empty project",
    "PUT",
    f"{SEG}/{{segExtra}}",
    {"name": "extra-renamed", "project": "", "constraints": []},
)
step("update: get global again", "GET", f"{SEG}/{{segExtra}}")
step("update: rename to a taken name", "PUT", f"{SEG}/{{segExtra}}", seg("beta-users"))
step("update: unknown id", "PUT", f"{SEG}/999999", seg("whatever"))
step("update: non-numeric id", "PUT", f"{SEG}/abc", seg("whatever"))
step(
    "update: invalid body (bad operator)",
    "PUT",
    f"{SEG}/{{segIn}}",
    seg("beta-users", c("userId", "NOPE", values=["a"])),
)
step("update: missing constraints", "PUT", f"{SEG}/{{segIn}}", {"name": "beta-users"})
step("update: client token", "PUT", f"{SEG}/{{segIn}}", seg("beta-users"), auth="client")

# --- delete (unused)
step("delete: unused segment", "DELETE", f"{SEG}/{{segDel}}")
step("delete: same again (gone)", "DELETE", f"{SEG}/{{segDel}}")
step("delete: unknown id", "DELETE", f"{SEG}/999999")
step("delete: non-numeric id", "DELETE", f"{SEG}/abc")
step("get: deleted segment", "GET", f"{SEG}/{{segDel}}")

# --- feature flags
step(
    "flags: create flag-a",
    "POST",
    FEAT,
    {"name": "flag-a", "description": "First flag", "type": "release", "impressionData": True},
)
step("flags: create flag-b (defaults)", "POST", FEAT, {"name": "flag-b"})
step("flags: create flag-c experiment", "POST", FEAT, {"name": "flag-c", "type": "experiment"})
step("flags: duplicate name", "POST", FEAT, {"name": "flag-a"})
step("flags: invalid name", "POST", FEAT, {"name": "bad name!"})
step("flags: missing name", "POST", FEAT, {"description": "no name"})
step("flags: list", "GET", FEAT)
# Unleash adds `lifecycle` asynchronously after creation: wait so the settled state is recorded.
step("flags: get flag-a", "GET", f"{FEAT}/flag-a", delay=1.5)
step("flags: get unknown", "GET", f"{FEAT}/nope")
step(
    "flags: PUT update flag-b",
    "PUT",
    f"{FEAT}/flag-b",
    {"name": "flag-b", "description": "updated by PUT", "type": "kill-switch", "stale": False},
)
step(
    "flags: PATCH flag-b description",
    "PATCH",
    f"{FEAT}/flag-b",
    [{"op": "replace", "path": "/description", "value": "patched"}],
)

# --- strategies
step(
    "strategy: add to flag-a with params, constraints, segments, variants, title",
    "POST",
    strat_path("flag-a"),
    {
        "name": "flexibleRollout",
        "title": "Half of beta",
        "parameters": {"rollout": "50", "stickiness": "userId", "groupId": "flag-a"},
        "constraints": [c("appName", "IN", values=["web"])],
        "segments": ["{segIn}", "{segNum}"],
        "variants": [
            {
                "name": "blue",
                "weight": 1000,
                "weightType": "variable",
                "stickiness": "default",
                "payload": {"type": "string", "value": "b"},
            }
        ],
    },
    capture={"stratA": "id"},
)
step(
    "strategy: add disabled default to flag-a",
    "POST",
    strat_path("flag-a"),
    {"name": "default", "disabled": True, "constraints": [], "parameters": {}},
    capture={"stratB": "id"},
)
step(
    "strategy: add to flag-b with project segment",
    "POST",
    strat_path("flag-b"),
    {"name": "flexibleRollout", "parameters": {"rollout": "100"}, "segments": ["{segProj}"]},
    capture={"stratC": "id"},
)
step(
    "strategy: unknown strategy type userWithId",
    "POST",
    strat_path("flag-c", "production"),
    {"name": "userWithId", "parameters": {"userIds": "1,2,3"}, "segments": ["{segStarts}"]},
)
step(
    "strategy: add to flag-c production with segment",
    "POST",
    strat_path("flag-c", "production"),
    {"name": "default", "segments": ["{segStarts}"]},
    capture={"stratD": "id"},
)
step(
    "strategy: unknown segment id",
    "POST",
    strat_path("flag-b"),
    {"name": "default", "segments": [999999]},
)
step(
    "strategy: six segments (over limit)",
    "POST",
    strat_path("flag-b"),
    {
        "name": "default",
        "segments": [
            "{segIn}",
            "{segNotIn}",
            "{segStarts}",
            "{segEnds}",
            "{segContains}",
            "{segNum}",
        ],
    },
)
step("strategy: unknown environment", "POST", strat_path("flag-b", "nowhere"), {"name": "default"})
step("strategy: list on flag-a development", "GET", strat_path("flag-a"))
step("strategy: get one", "GET", f"{strat_path('flag-a')}/{{stratA}}")
step(
    "strategy: update (segments replaced, title changed)",
    "PUT",
    f"{strat_path('flag-a')}/{{stratA}}",
    {
        "name": "flexibleRollout",
        "title": "Beta only",
        "parameters": {"rollout": "75", "stickiness": "default", "groupId": "flag-a"},
        "constraints": [],
        "segments": ["{segIn}", "{segDate}"],
    },
)
step(
    "strategy: update without segments key keeps them",
    "PUT",
    f"{strat_path('flag-a')}/{{stratA}}",
    {
        "name": "flexibleRollout",
        "parameters": {"rollout": "80", "stickiness": "default", "groupId": "flag-a"},
    },
)
step("strategy: get after updates", "GET", f"{strat_path('flag-a')}/{{stratA}}")
step(
    "strategy: get unknown id",
    "GET",
    f"{strat_path('flag-a')}/00000000-0000-0000-0000-000000000000",
)
step("env: enable flag-a development", "POST", f"{FEAT}/flag-a/environments/development/on")
step("env: enable flag-b development", "POST", f"{FEAT}/flag-b/environments/development/on")
step("env: disable flag-b development", "POST", f"{FEAT}/flag-b/environments/development/off")
step("env: enable flag-b again", "POST", f"{FEAT}/flag-b/environments/development/on")
step("flags: get flag-a with strategies", "GET", f"{FEAT}/flag-a")

# --- segment usage endpoints
step("list: usedInFeatures/usedInProjects", "GET", SEG)
step("segment strategies: segIn", "GET", f"{SEG}/{{segIn}}/strategies")
step("segment strategies: unused segment", "GET", f"{SEG}/{{segRegex}}/strategies")
step("segment strategies: unknown id", "GET", f"{SEG}/999999/strategies")
step("strategy segments: stratA", "GET", f"{SEG}/strategies/{{stratA}}")
step("strategy segments: unknown strategy", "GET", f"{SEG}/strategies/no-such-strategy")
step(
    "bulk set: stratB gets two segments",
    "POST",
    f"{SEG}/strategies",
    {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": "{stratB}",
        "segmentIds": ["{segRegex}", "{segEnds}"],
    },
)
step("bulk set: strategy segments after", "GET", f"{SEG}/strategies/{{stratB}}")
step(
    "bulk set: replace with one",
    "POST",
    f"{SEG}/strategies",
    {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": "{stratB}",
        "segmentIds": ["{segRegex}"],
    },
)
step("bulk set: after replace", "GET", f"{SEG}/strategies/{{stratB}}")
step(
    "bulk set: six segments (over limit)",
    "POST",
    f"{SEG}/strategies",
    {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": "{stratB}",
        "segmentIds": [
            "{segIn}",
            "{segNotIn}",
            "{segStarts}",
            "{segEnds}",
            "{segContains}",
            "{segNum}",
        ],
    },
)
step(
    "bulk set: missing segmentIds",
    "POST",
    f"{SEG}/strategies",
    {"projectId": "default", "environmentId": "development", "strategyId": "{stratB}"},
)
step(
    "bulk set: no content type",
    "POST",
    f"{SEG}/strategies",
    raw_body='{"projectId":"default","environmentId":"development","strategyId":"x",'
    '"segmentIds":[]}',
    content_type=NO_CT,
)
step("delete: segment in use", "DELETE", f"{SEG}/{{segIn}}")
step("update: get segIn still there", "GET", f"{SEG}/{{segIn}}")

# --- client API
CLIENT = "/api/client/features"
step("client: inline mode (no spec header)", "GET", CLIENT, auth="client", delay=1.5)
step(
    "client: segments mode (spec 5.0.0)",
    "GET",
    CLIENT,
    auth="client",
    headers={"Unleash-Client-Spec": "5.0.0"},
)
step(
    "client: spec 4.1.0 is inline",
    "GET",
    CLIENT,
    auth="client",
    headers={"Unleash-Client-Spec": "4.1.0"},
)
step(
    "client: bad spec header (prefix)",
    "GET",
    CLIENT,
    auth="client",
    headers={"Unleash-Client-Spec": "abc"},
)
step(
    "client: bad spec header (semver)",
    "GET",
    CLIENT,
    auth="client",
    headers={"Unleash-Client-Spec": "4.x"},
)
step(
    "client: one feature segments mode",
    "GET",
    f"{CLIENT}/flag-a",
    auth="client",
    headers={"Unleash-Client-Spec": "5.0.0"},
)
step("client: one feature inline", "GET", f"{CLIENT}/flag-a", auth="client")
step("client: unknown feature", "GET", f"{CLIENT}/nope", auth="client")
step("client: no token", "GET", CLIENT, auth="none")
step("client: unknown token", "GET", CLIENT, auth="bad")
step("client: frontend token", "GET", CLIENT, auth="frontend")
step(
    "client: admin token",
    "GET",
    CLIENT,
    auth="admin",
)

# --- segment edit bumps
step(
    "update: edit segNum used by client",
    "PUT",
    f"{SEG}/{{segNum}}",
    seg("numbers", c("age", "NUM_GTE", value="18")),
)
step(
    "client: segments mode after segment edit",
    "GET",
    CLIENT,
    auth="client",
    headers={"Unleash-Client-Spec": "5.0.0"},
    delay=1.5,
)
# --- delete strategy, archive
step("strategy: delete stratB", "DELETE", f"{strat_path('flag-a')}/{{stratB}}")
step("strategy: delete stratB again", "DELETE", f"{strat_path('flag-a')}/{{stratB}}")
step("strategy segments: deleted strategy", "GET", f"{SEG}/strategies/{{stratB}}")
step("flags: archive flag-c", "DELETE", f"{FEAT}/flag-c")
step("flags: get archived flag-c", "GET", f"{FEAT}/flag-c")
step("archive: legacy list endpoint", "GET", "/api/admin/archive/features")
step("archive: legacy per-project endpoint", "GET", "/api/admin/archive/features/default")
step("list: after archive (segStarts only on archived flag)", "GET", SEG)
step("segment strategies: segment only on archived flag", "GET", f"{SEG}/{{segStarts}}/strategies")
step(
    "client: segments mode after archive",
    "GET",
    CLIENT,
    auth="client",
    headers={"Unleash-Client-Spec": "5.0.0"},
    delay=1.5,
)
step("delete: segment used only by archived flag", "DELETE", f"{SEG}/{{segStarts}}")
step("flags: list after archive", "GET", FEAT)

# --- strategy limit via single add
step(
    "bulk set: stratC gets five segments",
    "POST",
    f"{SEG}/strategies",
    {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": "{stratC}",
        "segmentIds": ["{segProj}", "{segNotIn}", "{segEnds}", "{segContains}", "{segRegex}"],
    },
)
step("strategy: stratC after bulk set", "GET", f"{strat_path('flag-b')}/{{stratC}}")

# --- frontend API
step(
    "frontend: evaluate for alice",
    "GET",
    "/api/frontend?userId=alice&appName=web",
    auth="frontend",
    delay=3,
    leash_differs="Unleash 8.2 writes no event for the bulk segment set above, so its frontend "
    "cache still serves flag-b's old single-segment strategy; leash serves the change at once",
    leash_status=200,
)
step(
    "frontend: flag-b on through five segments",
    "GET",
    "/api/frontend?userId=USER-12&properties%5Bcountry%5D=NO"
    "&properties%5Bemail%5D=bob%40example.com",
    auth="frontend",
)
step(
    "frontend: admin token",
    "GET",
    "/api/frontend?userId=alice",
    auth="admin",
)

# --- events
step(
    "events: after all changes",
    "GET",
    "/api/admin/events",
    leash_differs="leash records a feature-strategy-update for each bulk segment set (every "
    "change to what SDKs are served is audited); Unleash 8.2 records none",
    leash_status=200,
)

# ---------------------------------------------------------------------------
# Steps below can consume database sequence values or create rows on one side only, so they
# come last: they must not shift ids of the steps above.
step(
    "create: unknown project (FK error)",
    "POST",
    SEG,
    seg("bad-project", project="nope"),
    leash_differs="Unleash leaks a raw PostgreSQL foreign-key error as 500 UnknownError (and burns "
    "a sequence value); leash answers a clean 4xx",
    leash_status=[400, 404],
)
step(
    "create: SEMVER_GTE (8.x operator)",
    "POST",
    SEG,
    seg("semver-gte", c("appVersion", "SEMVER_GTE", value="1.0.0")),
    leash_differs="the id differs by the sequence value Unleash burnt on the foreign-key error "
    "above",
    leash_status=201,
)
step(
    "create: NUM_GT without value",
    "POST",
    SEG,
    seg("num-no-value", c("age", "NUM_GT")),
)
step(
    "list: final",
    "GET",
    SEG,
    leash_differs="contains the segments created only on the reference by the two steps above",
    leash_status=200,
)
