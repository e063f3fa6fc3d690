"""Registration and usage metrics sent by SDKs; environment always comes from the token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from leash.auth import Principal
from leash.db.base import iso, utcnow
from leash.metrics import repository


def register(conn: Connection, *, body: dict[str, Any], principal: Principal) -> None:
    repository.upsert_application(conn, app_name=body["appName"], strategies=body["strategies"])
    repository.upsert_instance(
        conn,
        app_name=body["appName"],
        instance_id=body.get("instanceId") or "default",
        environment=principal.environment,
        sdk_version=body.get("sdkVersion"),
        client_ip=principal.ip,
    )


def record(conn: Connection, *, body: dict[str, Any], principal: Principal) -> None:
    """All counts of one report, or none of them: the caller's transaction holds them."""
    now = utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    app_name = body["appName"]
    repository.upsert_instance(
        conn,
        app_name=app_name,
        instance_id=body.get("instanceId") or "default",
        environment=principal.environment,
        sdk_version=body.get("sdkVersion"),
        client_ip=principal.ip,
    )
    for feature_name, counts in body["bucket"]["toggles"].items():
        repository.add_counts(
            conn,
            feature_name=feature_name,
            app_name=app_name,
            environment=principal.environment,
            hour=hour,
            yes=int(counts.get("yes") or 0),
            no=int(counts.get("no") or 0),
            variants={k: int(v) for k, v in (counts.get("variants") or {}).items()},
        )


def feature_metrics(conn: Connection, *, feature_name: str) -> dict[str, Any]:
    since = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    rows = repository.feature_usage(conn, feature_name=feature_name, since=since)
    return {
        "version": 1,
        "maturity": "stable",
        "featureName": feature_name,
        "lastHourUsage": [
            {
                "featureName": row.feature_name,
                "appName": row.app_name,
                "environment": row.environment,
                "timestamp": iso(row.timestamp),
                "yes": row.yes,
                "no": row.no,
                "variants": row.variants,
            }
            for row in rows
        ],
        "seenApplications": repository.applications_seen(conn, feature_name=feature_name),
    }
