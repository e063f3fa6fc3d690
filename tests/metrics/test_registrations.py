"""What SDKs register and report waits in memory and is written in one transaction per flush
(leash.metrics.buffer): bounded, written at shutdown, skipped in maintenance mode; flags'
last-seen times set by it; hourly metrics past 48 hours deleted (leash.metrics.cleanup)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import appkit
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select

import accountkit
from conftest import make_settings
from leash.app import create_app
from leash.db import create_db_engine
from leash.db.base import iso
from leash.features.models import features
from leash.metrics import cleanup, sdks
from leash.metrics.buffer import Registrations
from leash.metrics.models import client_applications, client_instances, client_metrics
from support import ADMIN, CLIENT, FRONTEND

# Some 30 tests, each with an app of its own, on two databases: over 20 s on a loaded machine.
pytestmark = pytest.mark.slow

NOW = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture
def client(database_url: str) -> Any:
    # No flush of its own during a test: the tests flush when they mean to.
    settings = make_settings(database_url, leash_metrics_flush_seconds=3600)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def state(client: TestClient) -> Any:
    return client.app.state  # type: ignore[attr-defined]


def flush(client: TestClient) -> int:
    written: int = state(client).metrics_registrations.flush(state(client).db)
    return written


def register(client: TestClient, app: str, instance: str) -> None:
    body = appkit.registration(app, instance, "unleash-client-node:6.1.0", ["default"], NOW)
    assert client.post("/api/client/register", json=body, headers=CLIENT).status_code == 202


def instances(db: Engine) -> list[tuple[str, str]]:
    with db.connect() as conn:
        rows = conn.execute(select(client_instances).order_by(client_instances.c.instance_id))
        return [(row.app_name, row.instance_id) for row in rows]


def test_register__before_flush__nothing_written(client: TestClient) -> None:
    register(client, "shop", "shop-1")
    assert instances(state(client).db) == []
    assert len(state(client).metrics_registrations) == 1


def test_register__burst_of_one_instance__one_entry_one_row(client: TestClient) -> None:
    for _ in range(25):
        register(client, "shop", "shop-1")
    registrations: Registrations = state(client).metrics_registrations
    assert len(registrations) == 1
    assert registrations.flush(state(client).db) == 1
    assert instances(state(client).db) == [("shop", "shop-1")]
    with state(client).db.connect() as conn:
        assert conn.execute(select(client_applications.c.app_name)).scalars().all() == ["shop"]


def test_register__after_flush__buffer_empty_and_second_flush_writes_nothing(
    client: TestClient,
) -> None:
    register(client, "shop", "shop-1")
    register(client, "shop", "shop-2")
    assert state(client).metrics_registrations.flush(state(client).db) == 2
    assert state(client).metrics_registrations.flush(state(client).db) == 0
    assert instances(state(client).db) == [("shop", "shop-1"), ("shop", "shop-2")]


def test_buffer__full__new_instances_dropped_known_ones_kept(database_url: str) -> None:
    settings = make_settings(
        database_url, leash_metrics_flush_seconds=3600, leash_metrics_buffer_max_keys=2
    )
    with TestClient(create_app(settings)) as client:
        for instance in ("a", "b", "c", "a"):
            register(client, "shop", instance)
        registrations: Registrations = state(client).metrics_registrations
        assert (len(registrations), registrations.dropped) == (2, 1)
        registrations.flush(state(client).db)
        assert instances(state(client).db) == [("shop", "a"), ("shop", "b")]
        # The next window has room again.
        register(client, "shop", "c")
        registrations.flush(state(client).db)
        assert instances(state(client).db) == [("shop", "a"), ("shop", "b"), ("shop", "c")]


def test_shutdown__waiting_registrations_written(database_url: str) -> None:
    settings = make_settings(database_url, leash_metrics_flush_seconds=3600)
    with TestClient(create_app(settings)) as client:
        register(client, "shop", "shop-1")
        assert instances(state(client).db) == []
    db = create_db_engine(database_url)
    try:
        assert instances(db) == [("shop", "shop-1")]
    finally:
        db.dispose()


def test_flush__maintenance_mode__skipped_and_kept_for_later(client: TestClient) -> None:
    on = client.post("/api/admin/maintenance", json={"enabled": True}, headers=ADMIN)
    assert on.status_code == 204, on.text
    register(client, "shop", "shop-1")
    assert state(client).metrics_registrations.flush(state(client).db) == 0
    assert instances(state(client).db) == []
    off = client.post("/api/admin/maintenance", json={"enabled": False}, headers=ADMIN)
    assert off.status_code == 204
    assert state(client).metrics_registrations.flush(state(client).db) == 1
    assert instances(state(client).db) == [("shop", "shop-1")]


def test_metrics__known_flag__last_seen_set_by_flush(client: TestClient) -> None:
    created = client.post(
        "/api/admin/projects/default/features", json={"name": "checkout"}, headers=ADMIN
    )
    assert created.status_code == 201
    toggles = {"checkout": {"yes": 1, "no": 0}, "ghost": {"yes": 1, "no": 0}}
    reported = client.post(
        "/api/client/metrics", json=appkit.report("shop", "i1", toggles, NOW), headers=CLIENT
    )
    assert reported.status_code == 202
    path = "/api/admin/projects/default/features/checkout"

    def last_seen() -> tuple[Any, dict[str, Any]]:
        with state(client).db.connect() as conn:
            flag = conn.execute(select(features.c.last_seen_at)).scalar_one()
        shown = client.get(path, headers=ADMIN).json()["environments"]
        return flag, {env["name"]: env["lastSeenAt"] for env in shown}

    assert last_seen() == (None, {"development": None, "production": None})
    # The flag, the instance and the unknown name: three entries.
    assert state(client).metrics_registrations.flush(state(client).db) == 3
    flag, environments = last_seen()
    assert flag is not None
    assert environments["development"] == iso(flag)
    assert environments["production"] is None


def test_metrics__flag_reported_with_no_evaluations__not_counted(client: TestClient) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "idle"}, headers=ADMIN)
    toggles = {"idle": {"yes": 0, "no": 0}}
    body = appkit.report("shop", "i1", toggles, NOW)
    assert client.post("/api/client/metrics", json=body, headers=CLIENT).status_code == 202
    with state(client).db.connect() as conn:
        assert conn.execute(select(client_metrics)).all() == []


def _metric(hours_ago: float, feature: str) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(hours=hours_ago)
    return {
        "feature_name": feature,
        "app_name": "shop",
        "environment": "development",
        "timestamp": moment.replace(minute=0, second=0, microsecond=0),
        "yes": 1,
        "no": 0,
        "variants": {},
    }


def test_clean_up__hourly_metrics_past_48_hours__deleted(client: TestClient) -> None:
    db = state(client).db
    with db.begin() as conn:
        conn.execute(insert(client_metrics), [_metric(50, "old"), _metric(2, "recent")])
    assert cleanup.run_once(db) == 1
    with db.connect() as conn:
        names = conn.execute(select(client_metrics.c.feature_name)).scalars().all()
    assert names == ["recent"]


def test_clean_up__maintenance_mode__skipped(client: TestClient) -> None:
    db = state(client).db
    with db.begin() as conn:
        conn.execute(insert(client_metrics), [_metric(50, "old")])
    client.post("/api/admin/maintenance", json={"enabled": True}, headers=ADMIN)
    assert cleanup.run_once(db) == 0
    with db.connect() as conn:
        assert conn.execute(select(client_metrics.c.feature_name)).scalars().all() == ["old"]


def test_create_application__viewer__403_update_application(client: TestClient) -> None:
    accountkit.create_bob(client, role=3)
    accountkit.log_in(client)
    response = client.post("/api/admin/metrics/applications/shop", json={"color": "red"})
    assert response.status_code == 403
    assert response.json()["permissions"] == ["UPDATE_APPLICATION"]
    deleted = client.delete("/api/admin/metrics/applications/shop")
    assert deleted.status_code == 403
    # Reading is open to every admin-API caller, as in Unleash (permission NONE).
    assert client.get("/api/admin/metrics/applications").status_code == 200


@pytest.mark.parametrize(
    ("sdk_version", "outdated"),
    [
        ("unleash-client-node:5.3.1", True),
        ("unleash-client-node:5.3.2", False),
        ("unleash-client-node:5.3.2-beta.1", True),
        ("unleash-client-node:5.3.2-0", True),
        ("unleash-client-node:v5.3.1", True),
        ("unleash-client-node: 5.3.1 ", True),
        ("unleash-client-node:5.3.1+build", True),
        ("unleash-client-node:=5.3.1", False),
        ("unleash-client-node:5.3", False),
        ("unleash-client-node:05.3.1", False),
        ("unleash-client-node:1.0.0-alpha..1", False),
        ("unleash-client-node:9007199254740992.0.0", False),
        ("unleash-client-node", False),
        ("unleash-python-sdk:6.2.9", True),
        ("unleash-client-python:6.2.9", False),
        ("some-other-sdk:0.0.1", False),
        ("", False),
        (None, False),
    ],
)
def test_is_outdated__as_node_semver_and_unleash_table(
    sdk_version: str | None, outdated: bool
) -> None:
    assert sdks.is_outdated(sdk_version) is outdated


EVENTS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "application_created_events.json").read_text()
)["events"]


def application_events(client: TestClient) -> dict[str, Any]:
    found = {}
    for event in client.get("/api/admin/events", headers=ADMIN).json()["events"]:
        if event["type"] == "application-created":
            event.pop("id")
            event["createdAt"] = "<time>"
            event["data"]["createdAt"] = event["data"]["updatedAt"] = "<time>"
            found[event["data"]["appName"]] = event
    return found


def test_flush__new_applications__one_application_created_event_each_as_reference(
    client: TestClient,
) -> None:
    body = appkit.registration("shop", "shop-1", "unleash-client-node:3.2.1", ["default"], NOW)
    client.post("/api/client/register", json=body, headers=CLIENT)
    created = client.post("/api/admin/metrics/applications/coerced", json={"url": 5}, headers=ADMIN)
    assert created.status_code == 202
    assert application_events(client) == {}
    flush(client)
    assert application_events(client) == {"shop": EVENTS["shop"], "coerced": EVENTS["coerced"]}
    # Announced once: registering again adds no event.
    client.post("/api/client/register", json=body, headers=CLIENT)
    flush(client)
    assert len(application_events(client)) == 2


def test_register__names_longer_than_the_tables_hold__not_buffered_others_written(
    client: TestClient,
) -> None:
    register(client, "x" * 256, "i1")
    register(client, "shop", "y" * 256)
    register(client, "shop", "shop-1")
    assert len(state(client).metrics_registrations) == 1
    assert flush(client) == 1
    assert instances(state(client).db) == [("shop", "shop-1")]


def test_create_application__name_longer_than_255__400_nothing_stored(client: TestClient) -> None:
    response = client.post(f"/api/admin/metrics/applications/{'x' * 256}", json={}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["name"] == "BadDataError"
    assert client.get("/api/admin/metrics/applications", headers=ADMIN).json() == {
        "applications": [],
        "total": 0,
    }


def test_frontend_metrics__with_sdk_header__instance_registered_as_frontend(
    client: TestClient,
) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "checkout"}, headers=ADMIN)
    body = appkit.report("web", "tab-1", {"checkout": {"yes": 1, "no": 0}}, NOW)
    headers = {**FRONTEND, "Unleash-SDK": "unleash-client-js:3.7.5"}
    assert (
        client.post("/api/frontend/client/metrics", json=body, headers=headers).status_code == 200
    )
    anonymous = appkit.report("web", "tab-2", {"checkout": {"yes": 1, "no": 0}}, NOW)
    client.post("/api/frontend/client/metrics", json=anonymous, headers=FRONTEND)
    flush(client)
    overview = client.get("/api/admin/metrics/applications/web/overview", headers=ADMIN).json()
    environment = overview["environments"][0]
    assert (environment["name"], environment["instanceCount"]) == ("development", 1)
    assert environment["frontendSdks"] == environment["sdks"] == ["unleash-client-js:3.7.5"]
    assert environment["backendSdks"] == []
    app = client.get("/api/admin/metrics/applications/web", headers=ADMIN).json()
    assert [(i["instanceId"], i["sdkType"], i["clientIp"]) for i in app["instances"]] == [
        ("tab-1", "frontend", None)
    ]
