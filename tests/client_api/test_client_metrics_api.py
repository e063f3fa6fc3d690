"""POST /api/client/register and /api/client/metrics, and what
GET /api/admin/client-metrics/features/{name} then shows. Bodies as Unleash 7.5.1 answered them
(reference_answers.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

import flagkit
from flagkit import normalise, reference
from leash import __version__
from leash.metrics.models import client_applications, client_instances, client_metrics
from support import ADMIN, CLIENT, FRONTEND


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


SUMMARY = "/api/admin/client-metrics/features/{}"


def registration(app_name: str = "cq-app", **fields: Any) -> dict[str, Any]:
    body = {
        "appName": app_name,
        "instanceId": "i1",
        "sdkVersion": "unleash-python-sdk:6.9.1",
        "strategies": ["default"],
        "started": now(),
        "interval": 1000,
    }
    body.update(fields)
    return body


def report(toggles: dict[str, Any], app_name: str = "cq-app") -> dict[str, Any]:
    return {
        "appName": app_name,
        "instanceId": "i1",
        "bucket": {"start": now(), "stop": now(), "toggles": toggles},
    }


def stored_counts(client: TestClient) -> list[tuple[str, str, str, int, int, dict[str, int]]]:
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        rows = conn.execute(
            select(client_metrics).order_by(
                client_metrics.c.feature_name, client_metrics.c.app_name
            )
        ).all()
    return [(r.feature_name, r.app_name, r.environment, r.yes, r.no, r.variants) for r in rows]


def test_register__valid_body__202_empty_with_version_header_and_stored(client: TestClient) -> None:
    response = client.post("/api/client/register", headers=CLIENT, json=registration())
    assert response.status_code == reference("register_ok")["status"] == 202
    assert response.content == b""
    assert response.headers["x-unleash-version"] == __version__
    db = client.app.state.db  # type: ignore[attr-defined]
    # Registrations are written in batches (leash.metrics.buffer): write this one now.
    client.app.state.metrics_registrations.flush(db)  # type: ignore[attr-defined]
    with db.connect() as conn:
        app = conn.execute(select(client_applications)).one()
        instance = conn.execute(select(client_instances)).one()
    assert (app.app_name, app.strategies) == ("cq-app", ["default"])
    assert (
        instance.app_name,
        instance.instance_id,
        instance.environment,
        instance.sdk_version,
    ) == (
        "cq-app",
        "i1",
        "development",
        "unleash-python-sdk:6.9.1",
    )


def test_register__twice__one_application_updated(client: TestClient) -> None:
    client.post("/api/client/register", headers=CLIENT, json=registration())
    again = client.post(
        "/api/client/register", headers=CLIENT, json=registration(strategies=["default", "custom"])
    )
    assert again.status_code == 202
    db = client.app.state.db  # type: ignore[attr-defined]
    client.app.state.metrics_registrations.flush(db)  # type: ignore[attr-defined]
    with db.connect() as conn:
        apps = conn.execute(select(client_applications.c.strategies)).scalars().all()
    assert apps == [["default", "custom"]]


def test_register__missing_fields__400_as_reference(client: TestClient) -> None:
    response = client.post("/api/client/register", headers=CLIENT, json={"appName": "cq-app"})
    assert response.status_code == 400
    assert normalise(response.json()) == reference("register_missing_fields")["body"]


def test_register__frontend_token__403(client: TestClient) -> None:
    response = client.post("/api/client/register", headers=FRONTEND, json=registration())
    assert response.status_code == 403


def current_hour() -> str:
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return hour.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_metrics__valid_report__202_empty_and_summary_as_reference(client: TestClient) -> None:
    flagkit.reference_flag(client)
    reported_in = current_hour()
    first = client.post(
        "/api/client/metrics",
        headers=CLIENT,
        json=report(
            {
                "cq-seg-flag": {"yes": 3, "no": 1, "variants": {"blue": 3}},
                "cq-unknown": {"yes": 9, "no": 9},
            }
        ),
    )
    assert first.status_code == reference("metrics_ok")["status"] == 202
    assert first.content == b""
    frontend = client.post(
        "/api/frontend/client/metrics",
        headers=FRONTEND,
        json=report({"cq-seg-flag": {"yes": 2, "no": 5}}, app_name="cq-web"),
    )
    assert frontend.status_code == 200
    summary = client.get(SUMMARY.format("cq-seg-flag"), headers=ADMIN)
    assert summary.status_code == 200
    assert normalise(summary.json()) == reference("admin_feature_metrics")["body"]
    # Counts land in the hour they were reported in (either side of an hour boundary).
    hours = {current_hour(), reported_in}
    assert summary.json()["lastHourUsage"][0]["timestamp"] in hours


def test_metrics__unknown_flag__counts_dropped_as_reference(client: TestClient) -> None:
    response = client.post(
        "/api/client/metrics", headers=CLIENT, json=report({"cq-unknown": {"yes": 9, "no": 9}})
    )
    assert response.status_code == 202
    assert stored_counts(client) == []
    summary = client.get(SUMMARY.format("cq-unknown"), headers=ADMIN)
    assert summary.json() == reference("admin_unknown_feature_metrics")["body"]


def test_metrics__two_reports__counts_and_variants_added_up(client: TestClient) -> None:
    flagkit.create_flag(client, "counted")
    for yes, no in ((1, 2), (10, 20)):
        response = client.post(
            "/api/client/metrics",
            headers=CLIENT,
            json=report({"counted": {"yes": yes, "no": no, "variants": {"a": yes, "b": no}}}),
        )
        assert response.status_code == 202
    assert stored_counts(client) == [
        ("counted", "cq-app", "development", 11, 22, {"a": 11, "b": 22})
    ]


def test_metrics__production_token__counted_in_production_whatever_the_body_says(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "counted")
    production = {
        "Authorization": flagkit.create_token(
            client, type="client", projects=["*"], environment="production"
        )
    }
    body = {**report({"counted": {"yes": 1, "no": 0}}), "environment": "development"}
    assert client.post("/api/client/metrics", headers=production, json=body).status_code == 202
    usage = client.get(SUMMARY.format("counted"), headers=ADMIN).json()["lastHourUsage"]
    assert [(u["environment"], u["yes"], u["no"]) for u in usage] == [("production", 1, 0)]


def test_metrics__negative_count__400_as_reference_and_nothing_stored(client: TestClient) -> None:
    flagkit.reference_flag(client)
    response = client.post(
        "/api/client/metrics",
        headers=CLIENT,
        json=report({"cq-seg-flag": {"yes": -1, "no": 1}}),
    )
    assert response.status_code == 400
    assert normalise(response.json()) == reference("metrics_negative_count")["body"]
    assert stored_counts(client) == []


def test_metrics__no_app_name__400_as_reference(client: TestClient) -> None:
    response = client.post("/api/client/metrics", headers=CLIENT, json={"bucket": {}})
    assert response.status_code == 400
    assert normalise(response.json()) == reference("metrics_no_app_name")["body"]


def test_metrics__count_beyond_safe_integer__400_empty_and_no_count_of_the_report_stored(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    flagkit.create_flag(client, "x")
    response = client.post(
        "/api/client/metrics",
        headers=CLIENT,
        json=report(
            {"cq-seg-flag": {"yes": 1, "no": 1}, "x": {"yes": 10**20, "no": 1}}, app_name="cq-app2"
        ),
    )
    expected = reference("metrics_unsafe_count")
    assert (response.status_code, response.content) == (expected["status"], b"") == (400, b"")
    assert stored_counts(client) == []
    assert client.get(SUMMARY.format("cq-seg-flag"), headers=ADMIN).json()["seenApplications"] == []


def test_feature_metrics__admin_endpoint__needs_admin_token(client: TestClient) -> None:
    assert client.get(SUMMARY.format("any"), headers=CLIENT).status_code == 403
    assert client.get(SUMMARY.format("any")).status_code == 401


def test_metrics__fractional_yes_and_null_variants__accepted_as_unleash(client: TestClient) -> None:
    # Unleash's schema types `yes` as a number (1.5 -> 202) but `no` as an integer.
    flagkit.create_flag(client, "counted")
    accepted = client.post(
        "/api/client/metrics",
        headers=CLIENT,
        json=report({"counted": {"yes": 1.5, "no": 2, "variants": None}}),
    )
    assert accepted.status_code == 202
    assert stored_counts(client) == [("counted", "cq-app", "development", 1, 2, {})]
    refused = client.post(
        "/api/client/metrics", headers=CLIENT, json=report({"counted": {"yes": 1, "no": 0.5}})
    )
    assert refused.status_code == 400
    assert refused.json()["details"] == [
        {
            "message": "The `/body/bucket/toggles/counted/no` property must be integer. "
            "You sent 0.5.",
            "path": "/body/bucket/toggles/counted/no",
        }
    ]


def test_register__started_not_a_date__400_as_reference(client: TestClient) -> None:
    body = registration(strategies=[], started="notadate", interval=1)
    response = client.post("/api/client/register", headers=CLIENT, json=body)
    assert response.status_code == 400
    assert normalise(response.json()) == reference("register_bad_started")["body"]


def test_metrics__start_not_a_date__400_as_reference(client: TestClient) -> None:
    body = report({})
    body["bucket"]["start"] = 1.5
    response = client.post("/api/client/metrics", headers=CLIENT, json=body)
    assert response.status_code == 400
    assert normalise(response.json()) == reference("metrics_bad_start")["body"]


def test_metrics__bucket_stopped_in_an_earlier_hour__counted_in_that_hour(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "counted")
    for stop in ("2026-01-02T03:59:59.999+01:00", 1767326400000):  # 02:59 UTC, then 04:00 UTC
        body = report({"counted": {"yes": 1, "no": 0}})
        body["bucket"]["stop"] = stop
        assert client.post("/api/client/metrics", headers=CLIENT, json=body).status_code == 202
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        hours = conn.execute(
            select(client_metrics.c.timestamp).order_by(client_metrics.c.timestamp)
        ).scalars()
        stamps = [hour.astimezone(UTC).isoformat() for hour in hours]
    assert stamps == ["2026-01-02T02:00:00+00:00", "2026-01-02T04:00:00+00:00"]
    # Older than the last hour: not in the summary, as in Unleash.
    assert client.get(SUMMARY.format("counted"), headers=ADMIN).json()["lastHourUsage"] == []


def test_metrics__sdk_version_not_a_string__400_and_instance_not_stored(client: TestClient) -> None:
    body = {**report({}), "sdkVersion": {"name": "sdk"}}
    response = client.post("/api/client/metrics", headers=CLIENT, json=body)
    assert response.status_code == 400
    message = 'The `/body/sdkVersion` property must be string. You sent {"name":"sdk"}.'
    assert response.json()["details"] == [{"message": message, "path": "/body/sdkVersion"}]
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        assert conn.execute(select(client_instances)).all() == []
