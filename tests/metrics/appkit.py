"""One set of SDK traffic, sent the same way to the reference Unleash (record_applications.py) and
to leash (test_applications.py), and the normalising of what varies between two runs."""

from __future__ import annotations

from typing import Any, Protocol

from support import ADMIN, CLIENT

FLAGS = ("checkout", "search", "old-one")


class Http(Protocol):
    """What httpx.Client and Starlette's TestClient both offer."""

    def post(self, url: str, *, json: Any = ..., headers: Any = ...) -> Any: ...

    def get(self, url: str, *, headers: Any = ..., params: Any = ...) -> Any: ...

    def request(self, method: str, url: str, *, json: Any = ..., headers: Any = ...) -> Any: ...


def registration(app: str, instance: str, sdk: str | None, strategies: list[str], now: str) -> Any:
    body: dict[str, Any] = {
        "appName": app,
        "instanceId": instance,
        "strategies": strategies,
        "started": now,
        "interval": 10000,
    }
    if sdk is not None:
        body["sdkVersion"] = sdk
    return body


def report(app: str, instance: str, toggles: Any, now: str, sdk: str | None = None) -> Any:
    body: dict[str, Any] = {
        "appName": app,
        "instanceId": instance,
        "bucket": {"start": now, "stop": now, "toggles": toggles},
    }
    if sdk is not None:
        body["sdkVersion"] = sdk
    return body


def seed(http: Http, *, now: str) -> list[int]:
    """Flags, a production client token, four registered applications in two environments and
    one that only reported metrics. The statuses of the SDK requests."""
    for name in FLAGS:
        created = http.post(
            "/api/admin/projects/default/features", json={"name": name}, headers=ADMIN
        )
        assert created.status_code == 201, created.text
    token = http.post(
        "/api/admin/api-tokens",
        json={
            "tokenName": "prod",
            "type": "client",
            "environment": "production",
            "projects": ["*"],
        },
        headers=ADMIN,
    )
    assert token.status_code == 201, token.text
    prod = {"Authorization": token.json()["secret"]}
    statuses = []
    everything = ["default", "flexibleRollout", "custom-one"]
    for app, instance, sdk, strategies, headers in (
        ("shop", "shop-1", "unleash-client-node:3.2.1", everything, CLIENT),
        ("shop", "shop-2", "unleash-client-node:6.1.0", everything, CLIENT),
        (
            "billing",
            "billing-1",
            "unleash-python-sdk:6.0.0",
            ["default", "gradualRolloutRandom"],
            CLIENT,
        ),
        ("alpha-reporter", "a-1", "unleash-client-java:9.2.0", [], CLIENT),
        ("shop", "shop-prod-1", "unleash-client-node:3.2.1", ["default"], prod),
    ):
        body = registration(app, instance, sdk, strategies, now)
        statuses.append(http.post("/api/client/register", json=body, headers=headers).status_code)
    reports: list[tuple[str, str, Any, str | None, dict[str, str]]] = [
        (
            "shop",
            "shop-1",
            {
                "checkout": {"yes": 5, "no": 2, "variants": {"blue": 3}},
                "search": {"yes": 0, "no": 1},
                "old-one": {"yes": 0, "no": 0},
                "ghost-flag": {"yes": 1, "no": 0},
            },
            None,
            CLIENT,
        ),
        ("billing", "billing-1", {"checkout": {"yes": 1, "no": 0}}, None, CLIENT),
        ("shop", "shop-prod-1", {"checkout": {"yes": 10, "no": 0}}, None, prod),
        ("lonely", "l-1", {"search": {"yes": 2, "no": 0}}, "unleash-client-go:4.0.0", CLIENT),
    ]
    for app, instance, toggles, reported_sdk, headers in reports:
        body = report(app, instance, toggles, now, reported_sdk)
        statuses.append(http.post("/api/client/metrics", json=body, headers=headers).status_code)
    return statuses


# What is read after the seed, by name: (path).
READS: dict[str, str] = {
    "list": "/api/admin/metrics/applications",
    "list_query": "/api/admin/metrics/applications?query=sho",
    "list_terms": "/api/admin/metrics/applications?query=%20BIL%20,,lon",
    "list_desc": "/api/admin/metrics/applications?sortOrder=desc",
    "list_page": "/api/admin/metrics/applications?limit=2&offset=1",
    "list_bad_page": "/api/admin/metrics/applications?limit=abc&offset=-3",
    "list_big_limit": "/api/admin/metrics/applications?limit=5000",
    "list_sort_by": "/api/admin/metrics/applications?sortBy=createdAt&sortOrder=DESC",
    "list_wildcard": "/api/admin/metrics/applications?query=_",
    "list_none": "/api/admin/metrics/applications?query=zzz",
    "list_past_end": "/api/admin/metrics/applications?offset=10",
    "get_shop": "/api/admin/metrics/applications/shop",
    "get_lonely": "/api/admin/metrics/applications/lonely",
    "get_billing": "/api/admin/metrics/applications/billing",
    "get_unknown": "/api/admin/metrics/applications/nope",
    "overview_shop": "/api/admin/metrics/applications/shop/overview",
    "overview_lonely": "/api/admin/metrics/applications/lonely/overview",
    "overview_unknown": "/api/admin/metrics/applications/nope/overview",
    "instances_shop_dev": "/api/admin/metrics/instances/shop/environment/development",
    "instances_shop_prod": "/api/admin/metrics/instances/shop/environment/production",
    "instances_unknown": "/api/admin/metrics/instances/nope/environment/development",
    "outdated": "/api/admin/metrics/sdks/outdated",
    "raw_checkout": "/api/admin/client-metrics/features/checkout/raw",
    "raw_checkout_2h": "/api/admin/client-metrics/features/checkout/raw?hoursBack=2",
    "raw_checkout_bad_hours": "/api/admin/client-metrics/features/checkout/raw?hoursBack=49",
    "raw_old_one": "/api/admin/client-metrics/features/old-one/raw",
    "raw_ghost": "/api/admin/client-metrics/features/ghost-flag/raw",
    "project_apps": "/api/admin/projects/default/applications",
    "project_apps_query": "/api/admin/projects/default/applications?query=NODE",
    "project_apps_env": "/api/admin/projects/default/applications?query=production",
    "project_apps_page": "/api/admin/projects/default/applications?limit=1&offset=1",
    "project_apps_desc": "/api/admin/projects/default/applications?sortOrder=desc&limit=500",
    "project_apps_unknown": "/api/admin/projects/nope/applications",
    "project_outdated": "/api/admin/projects/default/sdks/outdated",
    "project_outdated_unknown": "/api/admin/projects/nope/sdks/outdated",
}

# Admin writes after the reads, in order: (name, method, path, body), each followed by reads.
WRITES: list[tuple[str, str, str, Any]] = [
    (
        "create_manual",
        "POST",
        "/api/admin/metrics/applications/manual-app",
        {
            "url": "https://example.com/app",
            "color": "red",
            "icon": "https://example.com/i.ico",
            "strategies": ["default", "custom-x"],
            "description": "made by hand",
            "extra": 1,
        },
    ),
    ("create_existing", "POST", "/api/admin/metrics/applications/billing", {"color": "blue"}),
    ("create_bad_strategies", "POST", "/api/admin/metrics/applications/bad", {"strategies": "x"}),
    ("create_not_object", "POST", "/api/admin/metrics/applications/bad", []),
    ("create_number_url", "POST", "/api/admin/metrics/applications/coerced", {"url": 5}),
]
READS_AFTER_WRITES: dict[str, str] = {
    "get_manual": "/api/admin/metrics/applications/manual-app",
    "get_billing_after": "/api/admin/metrics/applications/billing",
    "get_coerced": "/api/admin/metrics/applications/coerced",
    "list_after": "/api/admin/metrics/applications?query=manual,billing",
    "overview_manual": "/api/admin/metrics/applications/manual-app/overview",
}
DELETES: list[tuple[str, str]] = [
    ("delete_manual", "/api/admin/metrics/applications/manual-app"),
    ("delete_unknown", "/api/admin/metrics/applications/never-was"),
]
READS_AFTER_DELETES: dict[str, str] = {
    "get_deleted": "/api/admin/metrics/applications/manual-app",
    "instances_deleted": "/api/admin/metrics/instances/manual-app/environment/development",
}

TIMES = frozenset({"createdAt", "updatedAt", "lastSeen"})


def normalise(body: Any) -> Any:
    """Times and addresses become placeholders; error ids are dropped; raw metrics' hours
    become how many hours before the newest one they are."""
    if isinstance(body, dict):
        if "data" in body and body.get("maturity") == "stable":
            return {**body, "data": _hours(body["data"])}
        found: dict[str, Any] = {}
        for key, value in body.items():
            if key == "id" and isinstance(value, str):
                continue
            if key in TIMES and value is not None:
                found[key] = "<time>"
            elif key == "clientIp" and value is not None:
                found[key] = "<ip>"
            else:
                found[key] = normalise(value)
        return found
    if isinstance(body, list):
        return [normalise(item) for item in body]
    return body


def _hours(rows: list[Any]) -> list[Any]:
    stamps = sorted({row["timestamp"] for row in rows})
    newest = stamps[-1] if stamps else None
    from datetime import datetime

    def hours_before(stamp: str) -> int:
        assert newest is not None
        gap = datetime.fromisoformat(newest) - datetime.fromisoformat(stamp)
        return int(gap.total_seconds() // 3600)

    return [{**row, "timestamp": hours_before(row["timestamp"])} for row in rows]


def seed_unknown(http: Http, *, stops: list[str]) -> list[int]:
    """Reports naming flags that do not exist (or no longer, or not yet), by applications of
    names of different lengths, in two environments, at the three times `stops`."""
    statuses = []

    def call(method: str, path: str, body: Any = None) -> None:
        sent = http.request(method, path, json=body, headers=ADMIN)
        assert sent.status_code < 300, sent.text
        statuses.append(sent.status_code)

    call("POST", "/api/admin/projects/default/features", {"name": "checkout"})
    call("POST", "/api/admin/projects/default/features", {"name": "was-flag"})
    call("DELETE", "/api/admin/projects/default/features/was-flag")
    call("DELETE", "/api/admin/archive/was-flag")
    token = http.post(
        "/api/admin/api-tokens",
        json={"tokenName": "p", "type": "client", "environment": "production", "projects": ["*"]},
        headers=ADMIN,
    )
    prod = {"Authorization": token.json()["secret"]}
    t1, t2, t3 = stops
    reports: list[tuple[str, Any, str, dict[str, str]]] = [
        (
            "zeta-app-long-name",
            {"ghost-b": {"yes": 1}, "was-flag": {"yes": 1}, "checkout": {"yes": 1}},
            t1,
            CLIENT,
        ),
        ("ab", {"ghost-b": {"yes": 2, "no": 0}}, t2, CLIENT),
        ("ab", {"ghost-b": {"yes": 1, "no": 0}}, t3, prod),
        ("ab", {"ghost-a": {"yes": 0, "no": 1}, "zero-one": {"yes": 0, "no": 0}}, t1, CLIENT),
        ("c", {"ghost-b": {"yes": 1, "no": 0}}, t1, CLIENT),
        ("later-real", {"becomes-real": {"yes": 1, "no": 0}}, t2, CLIENT),
    ]
    for app, toggles, stop, headers in reports:
        body = {"appName": app, "bucket": {"start": stop, "stop": stop, "toggles": toggles}}
        statuses.append(http.post("/api/client/metrics", json=body, headers=headers).status_code)
    call("POST", "/api/admin/projects/default/features", {"name": "becomes-real"})
    return statuses
