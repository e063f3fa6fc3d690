"""A realistic small data set, written through the admin API only, so the same calls seed a
leash (TestClient) and a reference Unleash (httpx.Client with its URL): 3 projects, 20 flags
with segments, variants, dependencies, archived and stale flags, a custom strategy, context
fields (one used only in a segment), tags, links, API tokens and users.

Projects other than `default` are not made here: OSS Unleash has no API for them; the caller
writes them (support.add_project for leash, SQL for Unleash)."""

from __future__ import annotations

from typing import Any

import httpx

from support import ADMIN

PROJECTS = ("default", "alpha", "beta")
ENVIRONMENTS = ("development", "production")


# Environment variants (legacy in 8.2, which refuses new ones through its API, but a 7.x instance
# carries them): the caller writes these to the database. Flag -> development's variants.
ENV_VARIANTS: dict[str, list[dict[str, Any]]] = {
    f"flag-{i:02d}": [
        {"name": "small", "weight": 300, "weightType": "fix", "stickiness": "default"},
        {
            "name": "large",
            "weight": 700,
            "weightType": "variable",
            "stickiness": "default",
            "payload": {"type": "json", "value": '{"size": 9}'},
            "overrides": [{"contextName": "userId", "values": ["u1"]}],
        },
    ]
    for i in range(20)
    if i % 4 == 1
}


def _ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, (response.request.url, response.status_code, response.text)
    return response.json() if response.content else None


def seed(http: httpx.Client) -> None:
    def post(path: str, body: Any) -> Any:
        return _ok(http.post(path, headers=ADMIN, json=body))

    post(
        "/api/admin/context",
        {
            "name": "region",
            "description": "where the user is",
            "legalValues": [
                {"value": "eu", "description": "Europe"},
                {"value": "us"},
                {"value": "apac"},
            ],
            "stickiness": True,
        },
    )
    # Used only inside a segment: Unleash's own export drops such fields.
    post(
        "/api/admin/context",
        {"name": "tier", "legalValues": [{"value": "gold"}, {"value": "free"}]},
    )
    post("/api/admin/context", {"name": "accountId", "stickiness": True})
    post(
        "/api/admin/strategies",
        {
            "name": "byTenant",
            "description": "on for listed tenants",
            "parameters": [
                {"name": "tenants", "type": "list", "description": "tenant ids", "required": True}
            ],
        },
    )
    post("/api/admin/tag-types", {"name": "team", "description": "owning team"})
    beta = post(
        "/api/admin/segments",
        {
            "name": "beta-users",
            "description": "opted into beta",
            "constraints": [
                {"contextName": "tier", "operator": "IN", "values": ["gold"], "inverted": False}
            ],
        },
    )["id"]
    europe = post(
        "/api/admin/segments",
        {
            "name": "europe",
            "constraints": [
                {"contextName": "region", "operator": "IN", "values": ["eu"]},
                {"contextName": "userId", "operator": "NOT_IN", "values": ["blocked"]},
            ],
        },
    )["id"]
    for i in range(20):
        project = PROJECTS[i % 3]
        name = f"flag-{i:02d}"
        base = f"/api/admin/projects/{project}/features"
        post(
            base,
            {
                "name": name,
                "type": ("release", "experiment", "operational", "kill-switch")[i % 4],
                "description": f"flag number {i}",
                "impressionData": i % 5 == 0,
            },
        )
        flag = f"{base}/{name}"
        for env in ENVIRONMENTS:
            strategies = f"{flag}/environments/{env}/strategies"
            if i % 4 == 1:
                post(
                    strategies,
                    {
                        "name": "default",
                        "title": "everyone in beta",
                        "constraints": [],
                        "parameters": {},
                        "segments": [beta],
                    },
                )
            post(
                strategies,
                {
                    "name": "flexibleRollout",
                    "title": f"{(i * 5) % 100}% rollout" if i % 2 else None,
                    "disabled": i == 7 and env == "production",
                    "parameters": {
                        "rollout": str((i * 5) % 100 + 1),
                        "stickiness": "default",
                        "groupId": name,
                    },
                    "constraints": (
                        [{"contextName": "region", "operator": "IN", "values": ["eu", "us"]}]
                        if i % 3 == 0
                        else []
                    ),
                    "variants": (
                        [
                            {
                                "name": "red",
                                "weight": 500,
                                "weightType": "variable",
                                "stickiness": "default",
                                "payload": {"type": "string", "value": "r"},
                            },
                            {
                                "name": "blue",
                                "weight": 500,
                                "weightType": "variable",
                                "stickiness": "default",
                            },
                        ]
                        if i % 6 == 2
                        else []
                    ),
                    "segments": [europe] if i % 5 == 3 else [],
                },
            )
            if i % 7 == 4:
                post(strategies, {"name": "byTenant", "parameters": {"tenants": "a,b,c"}})
            if i % 2 == 0 or env == "development":
                _ok(http.post(f"{flag}/environments/{env}/on", headers=ADMIN))
        if i % 3 == 1:
            post(f"/api/admin/features/{name}/tags", {"type": "team", "value": f"team-{i % 2}"})
        if i % 6 == 0:
            post(f"{flag}/link", {"url": f"https://example.com/docs/{name}", "title": "docs"})
        if i == 9:
            _ok(
                http.patch(
                    flag, headers=ADMIN, json=[{"op": "replace", "path": "/stale", "value": True}]
                )
            )
    # Children in the parent's project, as Unleash requires.
    post("/api/admin/projects/default/features/flag-03/dependencies", {"feature": "flag-00"})
    post(
        "/api/admin/projects/alpha/features/flag-04/dependencies",
        {"feature": "flag-01", "enabled": True, "variants": ["large"]},
    )
    post(
        "/api/admin/projects/beta/features/flag-11/dependencies",
        {"feature": "flag-05", "enabled": False},
    )
    for name, project in (("flag-18", "default"), ("flag-19", "alpha")):
        _ok(http.delete(f"/api/admin/projects/{project}/features/{name}", headers=ADMIN))
    post(
        "/api/admin/api-tokens",
        {
            "tokenName": "backend",
            "type": "client",
            "environment": "production",
            "projects": ["alpha"],
        },
    )
    post("/api/admin/user-admin", {"email": "ada@example.com", "name": "Ada", "rootRole": 2})
    post("/api/admin/user-admin", {"email": "bob@example.com", "rootRole": 3})
