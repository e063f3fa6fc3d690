"""Registration and usage metrics sent by SDKs; environment always comes from the token."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.errors import BadDataError
from leash.identity import Principal
from leash.metrics import dates, repository
from leash.metrics.buffer import Registrations
from leash.metrics.schemas import ClientApplication, ClientMetrics, ToggleCounts
from leash.validation import js_number

# What the unknown-flags table holds of a name (Unleash drops the longer ones with the batch).
MAX_NAME_LENGTH = 255
# Unleash's clearUnknownFlags: reports older than this are deleted.
KEEP_UNKNOWN_HOURS = 24
# Unleash answers at most this many unknown flags.
MAX_UNKNOWN_FLAGS = 1000
# Number.MAX_SAFE_INTEGER: Unleash's Joi check refuses larger counts.
MAX_SAFE_INTEGER = 2**53 - 1


def _environment(principal: Principal) -> str:
    """The token's environment; Unleash's 'default' for a token of every environment."""
    return "default" if principal.environment == "*" else principal.environment


def register(
    *, body: ClientApplication, principal: Principal, registrations: Registrations
) -> None:
    """Remembered, written by the next flush (leash.metrics.buffer)."""
    registrations.register(
        app_name=body["appName"],
        instance_id=body.get("instanceId") or "default",
        environment=_environment(principal),
        client_ip=principal.ip,
        sdk_version=body.get("sdkVersion"),
        sdk_type="backend",
        strategies=body["strategies"],
        projects=list(principal.projects),
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


def record(
    conn: Connection,
    *,
    body: ClientMetrics,
    principal: Principal,
    registrations: Registrations,
    frontend_sdk: str | None = None,
) -> None:
    """All counts of one report, or none of them: the caller's transaction holds them. The
    instance and the flags' last-seen times wait for the next flush (leash.metrics.buffer).

    As Unleash: counts above JavaScript's safe integers refuse the whole report, counts
    for flags that do not exist are dropped, and so are flags reported with no evaluations.
    A frontend report registers its instance only with an `Unleash-SDK` header.
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
    environment = _environment(principal)
    if principal.kind != "frontend":
        registrations.seen(
            app_name=app_name,
            instance_id=body.get("instanceId") or "default",
            environment=environment,
            client_ip=principal.ip,
        )
    elif body.get("instanceId") and frontend_sdk is not None:
        registrations.register(
            app_name=app_name,
            instance_id=body["instanceId"],
            environment=environment,
            client_ip=None,
            sdk_version=frontend_sdk,
            sdk_type="frontend",
            strategies=None,
            projects=list(principal.projects),
        )
    evaluated = [name for name, counts in toggles.items() if counts.get("yes") or counts.get("no")]
    known = repository.existing_flags(conn, names=evaluated)
    seen_at = dates.moment_of(body["bucket"]["stop"], fallback=now) or now
    for name in evaluated:
        if name not in known and len(name) <= MAX_NAME_LENGTH:
            registrations.unknown_flag(
                name=name, app_name=app_name, environment=environment, seen_at=seen_at
            )
    for feature_name, counts in toggles.items():
        if feature_name not in known:
            continue
        registrations.flag_seen(feature_name=feature_name, environment=environment)
        repository.add_counts(
            conn,
            feature_name=feature_name,
            app_name=app_name,
            environment=environment,
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


# Unleash's HOURS_BACK_MIN and HOURS_BACK_MAX (without its extendedUsageMetrics flag).
HOURS_BACK_DEFAULT = 24
HOURS_BACK_MAX = 48
# Unleash's clean-up: hourly metrics older than this are deleted.
KEEP_HOURS = 48


def hours_back(raw: str | None) -> float:
    """Unleash's parseHoursBackQueryParam: Number(raw) within [1, 48], else the default."""
    if raw is None or len(raw) > 64:
        return HOURS_BACK_DEFAULT
    try:
        parsed = float(raw.strip()) if raw.strip() else 0.0
    except ValueError:
        return HOURS_BACK_DEFAULT
    return parsed if 1 <= parsed <= HOURS_BACK_MAX else HOURS_BACK_DEFAULT


def raw_metrics(conn: Connection, *, feature_name: str, hours: float) -> dict[str, Any]:
    """Unleash's getClientMetricsForToggle: for every environment and application that
    reported the flag, one row per hour of the window (zeros where nothing was reported),
    oldest hour first."""
    now = utcnow()
    rows = repository.raw_metrics(
        conn, feature_name=feature_name, since=now - timedelta(hours=hours)
    )
    start = now.replace(minute=0, second=0, microsecond=0)
    buckets = [start - timedelta(hours=i) for i in range(math.ceil(hours))]
    environments = sorted({row.environment for row in rows})
    # Unleash answers the first 100 applications.
    applications = sorted({row.app_name for row in rows})[:100]
    found = {(row.environment, row.app_name, row.timestamp): row for row in rows}
    data: list[tuple[Any, dict[str, Any]]] = []
    for environment in environments:
        for app_name in applications:
            for hour in buckets:
                row = found.get((environment, app_name, hour))
                item: dict[str, Any] = {
                    "featureName": feature_name,
                    "appName": app_name,
                    "environment": environment,
                    "timestamp": iso(hour),
                    "yes": row.yes if row else 0,
                    "no": row.no if row else 0,
                }
                if row is not None:
                    item["variants"] = row.variants
                data.append((hour, item))
    data.sort(key=lambda pair: pair[0])
    return {"version": 1, "maturity": "stable", "data": [item for _, item in data]}


def clean_up(conn: Connection, *, now: datetime | None = None) -> int:
    """Unleash's clearMetrics(48): hourly metrics 48 hours old or older deleted; and its
    clearUnknownFlags(24). How many rows went."""
    moment = now or utcnow()
    metrics = repository.delete_metrics_before(conn, moment=moment - timedelta(hours=KEEP_HOURS))
    unknown = repository.delete_unknown_before(
        conn, moment=moment - timedelta(hours=KEEP_UNKNOWN_HOURS)
    )
    return metrics + unknown


def _jsonb_order(key: str) -> tuple[int, bytes]:
    """PostgreSQL's jsonb keeps object keys shortest first, then by their bytes."""
    raw = key.encode()
    return len(raw), raw


def unknown_flags(conn: Connection) -> dict[str, Any]:
    """Unleash's getUnknownFlags: names reported in the last 24 hours that are no flag, by
    name, with when each application saw them in each environment."""
    rows = repository.unknown_flag_rows(conn, limit_names=MAX_UNKNOWN_FLAGS)
    by_name: dict[str, dict[str, dict[str, datetime]]] = {}
    for row in rows:
        by_name.setdefault(row.name, {}).setdefault(row.app_name, {})[row.environment] = row.seen_at
    last_events = repository.last_events(conn, names=list(by_name))
    flags = []
    for name, apps in by_name.items():
        event_at = last_events.get(name)
        flags.append(
            {
                "name": name,
                "lastSeenAt": iso(max(at for envs in apps.values() for at in envs.values())),
                "lastEventAt": iso(event_at) if event_at is not None else None,
                "reports": [
                    {
                        "appName": app,
                        "environments": [
                            {"environment": env, "seenAt": iso(apps[app][env])}
                            for env in sorted(apps[app], key=_jsonb_order)
                        ],
                    }
                    for app in sorted(apps, key=_jsonb_order)
                ],
            }
        )
    return {"unknownFlags": flags}
