"""Every route, every hostile input: the answer is below 500 and comes within a bound.

The routes come from the app itself (every route FastAPI knows, declared or not) and their
parameters from their declarations (leash.api.operation.OPERATIONS). Each request starts from
a valid one (a seeded flag, strategy, segment, user, token; a valid body per operation) and
makes one thing hostile: a path parameter, a query parameter, one value anywhere in the body,
or the whole body. The hostile values are the ones that once reached a 500 or froze a worker:
floats where ids go, numbers past 64 bits or past Python's 4,300-digit int limit, dates past
year 9999, JSON nested past Python's recursion limit, wrong types, NUL characters.

The bound (HOSTILE_BOUND_SECONDS) is generous on purpose: it catches a freeze or a super-linear
parse, not a slow answer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from leash.api.operation import OPERATIONS as DECLARED
from leash.app import create_app
from support import ADMIN, CLIENT, FRONTEND

pytestmark = [pytest.mark.slow]

HOSTILE_BOUND_SECONDS = 5.0
ORIGIN = "http://testserver"

HOSTILE_VALUES: tuple[Any, ...] = (
    True,
    5,
    1.0,
    1.5,
    -1,
    1e300,
    -1e300,
    10**20,
    10**400,
    "1" * 4_400,
    "9" * 5_000,
    "1e20",
    "inf",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "",
    "x" * 20_000,
    "a\u0000b",
    [],
    [1.0],
    ["x" * 5_000],
    {},
    None,
)

_DEEP_OBJECT = '{"a":' * 300 + "1" + "}" * 300
_DEEP_ARRAY = "[" * 1_000 + "]" * 1_000
HOSTILE_DOCUMENTS: tuple[str, ...] = (
    _DEEP_OBJECT,
    _DEEP_ARRAY,
    '{"context":' * 300 + "{}" + "}" * 300,
    "[]",
    "null",
    "1e400",
    '"text"',
    '{"a": Infinity}',
    "{" + ",".join(f'"k{i}": 1' for i in range(2_000)) + "}",
)

HOSTILE_PATH_VALUES: tuple[str, ...] = (
    "1e20",
    "1.0",
    "1.5",
    "-1",
    "inf",
    "NaN",
    "1" * 5_000,
    "x" * 5_000,
    "a%00b",
    "%2e%2e",
)

HOSTILE_QUERY_VALUES: tuple[str, ...] = (
    "inf",
    "1e19",
    "-1",
    "9" * 5_000,
    "IS:9999-12-31",
    "IS:" + "9" * 20,
    "IS:" + ",a" * 5_000 + ",-",
    "IS_ANY_OF:" + ",a" * 5_000 + ",!",
    "a" * 20_000,
    "a:" + "b" * 20_000,
    "a\u0000b",
)

# Query parameters some handlers read without declaring them; sent to every GET as well.
EXTRA_QUERY = (
    "offset",
    "limit",
    "id",
    "type",
    "from",
    "to",
    "project",
    "feature",
    "createdBy",
    "environment",
    "tag",
    "namePrefix",
    "query",
)


@dataclass
class Seeded:
    flag: str
    strategy_id: str
    segment_id: int
    user_id: int
    pat_id: int
    token_secret: str
    role_id: int
    cookie: str


@dataclass
class Findings:
    requests: int = 0
    problems: list[str] = field(default_factory=list)

    def check(self, label: str, send: Any) -> None:
        self.requests += 1
        started = time.monotonic()
        try:
            status = send().status_code
        except Exception as error:  # an exception escaping the app is a 500 too
            self.problems.append(f"{label}: raised {error.__class__.__name__}: {error}"[:300])
            return
        took = time.monotonic() - started
        if status >= 500:
            self.problems.append(f"{label}: {status}")
        if took > HOSTILE_BOUND_SECONDS:
            self.problems.append(f"{label}: took {took:.1f}s")


def _seed(client: TestClient) -> Seeded:
    segment = client.post(
        "/api/admin/segments",
        headers=ADMIN,
        json={
            "name": "hostile-segment",
            "constraints": [{"contextName": "n", "operator": "NUM_GT", "value": "5"}],
        },
    )
    assert segment.status_code == 201, segment.text
    segment_id = segment.json()["id"]
    flag = "hostile-flag"
    created = client.post(
        "/api/admin/projects/default/features", headers=ADMIN, json={"name": flag}
    )
    assert created.status_code == 201, created.text
    strategy = client.post(
        f"/api/admin/projects/default/features/{flag}/environments/development/strategies",
        headers=ADMIN,
        json={"name": "default", "segments": [segment_id]},
    )
    assert strategy.status_code == 200, strategy.text
    user = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "hostile-user", "rootRole": 2, "sendEmail": False},
    )
    assert user.status_code == 201, user.text
    token = client.post(
        "/api/admin/api-tokens",
        headers=ADMIN,
        json={"tokenName": "hostile", "type": "client", "environment": "development"},
    )
    assert token.status_code == 201, token.text
    login = client.post("/auth/simple/login", json={"username": "admin", "password": "unleash4all"})
    assert login.status_code == 200, login.text
    cookie = login.cookies.get("unleash-session") or ""
    pat = client.post(
        "/api/admin/user/tokens",
        headers={"Origin": ORIGIN},
        cookies={"unleash-session": cookie},
        json={"description": "hostile", "expiresAt": "2099-01-01T00:00:00.000Z"},
    )
    assert pat.status_code == 201, pat.text
    client.cookies.clear()
    roles = client.get("/api/admin/roles", headers=ADMIN)
    role_id = 5
    if roles.status_code == 200:
        found = [r["id"] for r in roles.json().get("roles", []) if r.get("name") == "Member"]
        role_id = found[0] if found else role_id
    return Seeded(
        flag=flag,
        strategy_id=str(strategy.json()["id"]),
        segment_id=segment_id,
        user_id=user.json()["id"],
        pat_id=pat.json()["id"],
        token_secret=token.json()["secret"],
        role_id=role_id,
        cookie=cookie,
    )


def _bodies(seeded: Seeded) -> dict[str, Any]:
    """A valid body per operation: the start every hostile body is one change away from."""
    constraint = {"contextName": "n", "operator": "NUM_GT", "value": "5", "values": []}
    strategy = {
        "name": "flexibleRollout",
        "title": "t",
        "disabled": False,
        "sortOrder": 1,
        "parameters": {"rollout": "50", "stickiness": "default", "groupId": "g"},
        "constraints": [constraint],
        "segments": [seeded.segment_id],
        "variants": [
            {
                "name": "v",
                "weight": 1000,
                "weightType": "variable",
                "stickiness": "default",
                "payload": {"type": "string", "value": "x"},
            }
        ],
    }
    bucket = {
        "start": "2026-01-01T00:00:00.000Z",
        "stop": "2026-01-01T00:01:00.000Z",
        "toggles": {seeded.flag: {"yes": 1, "no": 0, "variants": {"v": 1}}},
    }
    context = {"userId": "u", "appName": "a", "properties": {"n": "7"}}
    return {
        "validateSegment": {"name": "hostile-new"},
        "updateFeatureStrategySegments": {
            "projectId": "default",
            "environmentId": "development",
            "strategyId": seeded.strategy_id,
            "segmentIds": [seeded.segment_id],
        },
        "createSegment": {"name": "hostile-more", "constraints": [constraint]},
        "updateSegment": {"name": "hostile-segment", "constraints": [constraint]},
        "registerClientApplication": {
            "appName": "a",
            "instanceId": "i",
            "strategies": ["default"],
            "started": "2026-01-01T00:00:00.000Z",
            "interval": 10_000,
        },
        "registerClientMetrics": {"appName": "a", "instanceId": "i", "bucket": bucket},
        "createApiToken": {
            "tokenName": "t",
            "type": "client",
            "environment": "development",
            "projects": ["*"],
            "expiresAt": "2099-01-01T00:00:00.000Z",
        },
        "updateApiToken": {"expiresAt": "2099-01-01T00:00:00.000Z"},
        "login": {"username": "nobody", "password": "wrong"},
        "createPat": {"description": "d", "expiresAt": "2099-01-01T00:00:00.000Z"},
        "createUser": {
            "username": "hostile-new",
            "email": "hostile@example.com",
            "rootRole": 3,
            "sendEmail": False,
        },
        "updateUser": {"name": "n", "email": "n@example.com", "rootRole": 3},
        "changeUserPassword": {"password": "Hostile-pass-123!"},
        "addAccessToProject": {"users": [{"id": seeded.user_id}], "groups": []},
        "createFeature": {
            "name": "hostile-other",
            "type": "release",
            "description": "d",
            "impressionData": False,
        },
        "updateFeature": {"description": "d", "type": "release", "stale": False},
        "patchFeature": [{"op": "replace", "path": "/description", "value": "x"}],
        "addFeatureStrategy": strategy,
        "updateFeatureStrategy": strategy,
        "validateFeature": {"name": "hostile-unused"},
        "getFrontendApiFeaturesWithPost": {"context": context},
        "registerFrontendMetrics": {"appName": "a", "instanceId": "i", "bucket": bucket},
        "registerFrontendClient": {
            "appName": "a",
            "instanceId": "i",
            "sdkVersion": "unleash-client-js:3.0.0",
            "environment": "development",
            "interval": 1_000,
            "started": "2026-01-01T00:00:00.000Z",
        },
        "getPlayground": {"environment": "development", "projects": "*", "context": context},
        "validateConstraint": constraint,
        "createTagType": {"name": "hostile-type", "description": "d", "color": "#000000"},
        "validateTagType": {"name": "hostile-type"},
        "updateTagType": {"description": "d", "icon": "i", "color": "#000000"},
        "createTag": {"type": "simple", "value": "hostile-tag"},
        "addTag": {"type": "simple", "value": "hostile-tag"},
        "updateTags": {
            "addedTags": [{"type": "simple", "value": "hostile-tag"}],
            "removedTags": [],
        },
        "addTagToFeatures": {
            "features": [seeded.flag],
            "tags": {"addedTags": [{"type": "simple", "value": "hostile-tag"}], "removedTags": []},
        },
    }


def _path_values(seeded: Seeded, operation_id: str) -> dict[str, str]:
    by_operation_id = {
        "deletePat": str(seeded.pat_id),
        "getUser": str(seeded.user_id),
        "updateUser": str(seeded.user_id),
        "deleteUser": str(seeded.user_id),
        "changeUserPassword": str(seeded.user_id),
    }
    return {
        "projectId": "default",
        "featureName": seeded.flag,
        "name": seeded.flag,
        "environment": "development",
        "strategyId": seeded.strategy_id,
        "id": by_operation_id.get(operation_id, str(seeded.segment_id)),
        "token": seeded.token_secret,
        "roleId": str(seeded.role_id),
        "userId": str(seeded.user_id),
        "type": "simple",
        "value": "hostile-tag",
    }


def _mutations(value: Any, path: tuple[Any, ...] = (), depth: int = 0) -> Iterator[tuple[Any, ...]]:
    """Every place in a body one hostile value can go, up to a few levels deep."""
    if depth > 0:
        yield path
    if depth >= 4:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _mutations(child, (*path, key), depth + 1)
    elif isinstance(value, list) and value:
        yield from _mutations(value[0], (*path, 0), depth + 1)


def _replaced(body: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


def _api_routes(routes: Any) -> Iterator[APIRoute]:
    """Every APIRoute, through the included routers (each declares its full path)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or route
        if inner is not route or hasattr(route, "routes"):
            yield from _api_routes(getattr(inner, "routes", ()))


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    has_body: bool


def _operations(app: Any) -> list[Operation]:
    declared = {(op.method, op.path): op for op in DECLARED.values()}
    found: list[Operation] = []
    for route in _api_routes(app.routes):
        for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
            spec = declared.get((method, route.path))
            found.append(
                Operation(
                    method=method,
                    path=route.path_format,
                    operation_id=route.name if spec is None else spec.operation_id,
                    path_params=tuple(route.param_convertors),
                    query_params=() if spec is None else tuple(spec.query),
                    has_body=(spec is not None and spec.body is not None)
                    or method in ("POST", "PUT", "PATCH"),
                )
            )
    # Destructive operations last, so the others reach their seeded objects.
    destructive = {"DELETE"}
    return sorted(
        found,
        key=lambda op: (op.method in destructive or op.operation_id in ("logout", "login"),),
    )


def _headers(seeded: Seeded, op: Operation) -> tuple[dict[str, str], dict[str, str]]:
    if op.path.startswith("/api/client"):
        return dict(CLIENT), {}
    if op.path.startswith("/api/frontend"):
        return dict(FRONTEND), {}
    if op.path.startswith("/api/admin/user/tokens") or op.operation_id in ("getMe", "logout"):
        # Personal access tokens belong to a logged-in user, not to an admin API token.
        return {"Origin": ORIGIN}, {"unleash-session": seeded.cookie}
    return dict(ADMIN), {}


def _url(op: Operation, values: dict[str, str]) -> str:
    url = op.path
    for name in op.path_params:
        url = url.replace("{" + name + "}", quote(values.get(name, "x"), safe="%"))
    return url


def _run_operation(client: TestClient, seeded: Seeded, op: Operation, found: Findings) -> None:
    headers, cookies = _headers(seeded, op)
    valid_path = _path_values(seeded, op.operation_id)
    base = _bodies(seeded).get(op.operation_id, {}) if op.has_body else None

    def send(url: str, *, content: str | None = None, params: dict[str, str] | None = None) -> Any:
        client.cookies.clear()
        sent_headers = dict(headers)
        if content is not None:
            sent_headers["Content-Type"] = "application/json"
        return client.request(
            op.method,
            url,
            headers=sent_headers,
            cookies=cookies,
            content=content.encode() if content is not None else None,
            params=params,
        )

    valid_body = json.dumps(base) if base is not None else None
    label = f"{op.method} {op.path}"
    for name in op.path_params:
        for hostile in HOSTILE_PATH_VALUES:
            url = _url(op, {**valid_path, name: hostile})
            found.check(
                f"{label} {name}={hostile[:20]!r}", lambda url=url: send(url, content=valid_body)
            )
    url = _url(op, valid_path)
    query_names = op.query_params + (EXTRA_QUERY if op.method == "GET" else ())
    for name in dict.fromkeys(query_names):
        for hostile in HOSTILE_QUERY_VALUES:
            found.check(
                f"{label} ?{name}={hostile[:20]!r}",
                lambda name=name, hostile=hostile: send(
                    url, content=valid_body, params={name: hostile}
                ),
            )
    if base is None:
        return
    for document in HOSTILE_DOCUMENTS:
        found.check(f"{label} body={document[:20]!r}", lambda d=document: send(url, content=d))
    for where in _mutations(base):
        for hostile in HOSTILE_VALUES:
            content = json.dumps(_replaced(base, where, hostile))
            found.check(
                f"{label} body{list(where)}={str(hostile)[:20]!r}",
                lambda content=content: send(url, content=content),
            )


def test_every_route__hostile_inputs__below_500_within_bound(settings: Any) -> None:
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        seeded = _seed(client)
        found = Findings()
        operations = _operations(app)
        for op in operations:
            _run_operation(client, seeded, op, found)
    print(f"hostile routes: {len(operations)} operations, {found.requests} requests")
    assert len(operations) >= 50
    assert found.problems == [], "\n".join(found.problems)


@pytest.fixture
def settings(database_url: str) -> Any:
    from conftest import make_settings

    # Rate limits out of the way: thousands of requests come from one address here.
    return make_settings(
        database_url,
        client_register_max_per_minute=1_000_000,
        client_metrics_max_per_minute=1_000_000,
        frontend_register_max_per_minute=1_000_000,
        frontend_metrics_max_per_minute=1_000_000,
    )
