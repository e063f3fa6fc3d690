"""Registration and usage metrics sent by SDKs; environment always comes from the token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.errors import BadDataError
from leash.identity import Principal
from leash.metrics import dates, repository
from leash.metrics.schemas import ClientApplication, ClientMetrics, ToggleCounts
from leash.validation import js_number

# Number.MAX_SAFE_INTEGER: Unleash's Joi check refuses larger counts.
MAX_SAFE_INTEGER = 2**53 - 1


def register(conn: Connection, *, body: ClientApplication, principal: Principal) -> None:
    repository.upsert_application(conn, app_name=body["appName"], strategies=body["strategies"])
    repository.upsert_instance(
        conn,
        app_name=body["appName"],
        instance_id=body.get("instanceId") or "default",
        environment=principal.environment,
        sdk_version=body.get("sdkVersion"),
        client_ip=principal.ip,
    )


def _counts(toggles: dict[str, ToggleCounts]) -> list[tuple[str, int | float]]:
    """Every count of a report with its Joi label, e.g. `bucket.toggles.f.variants.blue`."""
    found: list[tuple[str, int | float]] = []
    for name, counts in toggles.items():
        for key, number in (("yes", counts.get("yes")), ("no", counts.get("no"))):
            if number is not None:
                found.append((f"bucket.toggles.{name}.{key}", number))
        for variant, count in (counts.get("variants") or {}).items():
            found.append((f"bucket.toggles.{name}.variants.{variant}", count))
    return found


def record(conn: Connection, *, body: ClientMetrics, principal: Principal) -> None:
    """All counts of one report, or none of them: the caller's transaction holds them.

    As Unleash: counts above JavaScript's safe integers refuse the whole report, and counts
    for flags that do not exist are dropped.
    """
    toggles = body["bucket"]["toggles"]
    unsafe = [
        {"message": f'"{label}" must be a safe number. You provided {js_number(number)}.'}
        for label, number in _counts(toggles)
        if number > MAX_SAFE_INTEGER
    ]
    if unsafe:
        raise BadDataError.many(unsafe, with_id=False)
    now = utcnow()
    # Unleash files a report under the hour of its bucket's stop.
    hour = dates.hour_of(
        body["bucket"]["stop"], fallback=now.replace(minute=0, second=0, microsecond=0)
    )
    app_name = body["appName"]
    repository.upsert_instance(
        conn,
        app_name=app_name,
        instance_id=body.get("instanceId") or "default",
        environment=principal.environment,
        sdk_version=body.get("sdkVersion"),
        client_ip=principal.ip,
    )
    known = repository.existing_flags(conn, names=list(toggles))
    for feature_name, counts in toggles.items():
        if feature_name not in known:
            continue
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
    """Unleash's summary: the last hour's counts added up per environment, apps of the last day."""
    now = utcnow()
    rows = repository.feature_usage(conn, feature_name=feature_name, since=now - timedelta(hours=1))
    usage: dict[str, dict[str, Any]] = {}
    for row in rows:
        found = usage.get(row.environment)
        if found is None:
            usage[row.environment] = {
                "environment": row.environment,
                "timestamp": iso(row.timestamp),
                "yes": row.yes,
                "no": row.no,
            }
        else:
            found["yes"] += row.yes
            found["no"] += row.no
    return {
        "version": 1,
        "maturity": "stable",
        "featureName": feature_name,
        "lastHourUsage": list(usage.values()),
        "seenApplications": repository.applications_seen(
            conn, feature_name=feature_name, since=now - timedelta(hours=24)
        ),
    }
