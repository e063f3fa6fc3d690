"""Unleash 8.2's instance usage statistics (getInstanceAdminStats), JSON and CSV.

What leash has no concept of (groups, service accounts, custom root roles, SSO, SCIM, seats,
release plans, Edge instances, hourly metric buckets) is answered as 8.2 answers an instance
with none of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection

from leash.instance_admin import repository
from leash.secrets import sha256

VERSION = "8.2.0"
# Unleash's predefined roles leash does not keep as rows: 8.2 counts them in `roles`.
_ROLES_LEASH_LACKS = ("Reader",)
# 8.2 ships one release template an open-source instance cannot remove.
_RELEASE_TEMPLATES = 1
# Unleash's "1 week", "1 month", "2 months", "3 months" windows of active users.
_ACTIVE_WINDOWS = (("last7", 7), ("last30", 30), ("last60", 60), ("last90", 90))


def _months_back(now: datetime, *, months: int) -> list[str]:
    """This month and the `months - 1` before it, newest first: 8.2's edgeInstanceUsage keys."""
    year, month = now.year, now.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys


def _active_users(conn: Connection, *, now: datetime) -> dict[str, int]:
    seen = repository.user_seen_times(conn)
    return {
        key: len({user for user, at in seen if at > now - timedelta(days=days)})
        for key, days in _ACTIVE_WINDOWS
    }


def _max_constraints(rows: list[tuple[str, str, Any]]) -> tuple[int, int]:
    """(most constraints on one strategy, most values in one constraint), 0 when none."""
    most_constraints = most_values = 0
    for _, _, constraints in rows:
        listed = constraints if isinstance(constraints, list) else []
        most_constraints = max(most_constraints, len(listed))
        for constraint in listed:
            values = constraint.get("values") if isinstance(constraint, dict) else None
            most_values = max(most_values, len(values) if isinstance(values, list) else 0)
    return most_constraints, most_values


def _timestamp(now: datetime) -> str:
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def statistics(conn: Connection, *, now: datetime) -> dict[str, Any]:
    counted = repository.counts(conn)
    names = repository.role_names(conn)
    roles = counted["roles"] + sum(1 for name in _ROLES_LEASH_LACKS if name not in names)
    strategies = repository.active_strategies(conn)
    max_constraints, max_values = _max_constraints(strategies)
    instance = repository.instance_id(conn)
    changes = {
        key: repository.production_changes_since(conn, now=now, days=days)
        for key, days in (("last30", 30), ("last60", 60), ("last90", 90))
    }
    apps = [
        {"range": label, "count": repository.applications_seen_since(conn, since=since)}
        for label, since in (
            ("7d", now - timedelta(days=7)),
            ("30d", now - timedelta(days=30)),
            ("allTime", None),
        )
    ]
    # Unleash signs these eight values so a report cannot be edited unnoticed.
    signed = (
        f"{instance}{counted['users']}{counted['featureToggles']}{counted['projects']}"
        f"{roles}0{counted['environments']}{counted['segments']}"
    )
    return {
        "timestamp": _timestamp(now),
        "instanceId": instance,
        "versionOSS": VERSION,
        "versionEnterprise": "",
        "users": counted["users"],
        "serviceAccounts": 0,
        "apiTokens": repository.tokens_by_type(conn),
        "activeUsers": _active_users(conn, now=now),
        "licensedUsers": 0,
        "featureToggles": counted["featureToggles"],
        "archivedFeatureToggles": counted["archivedFeatureToggles"],
        "projects": counted["projects"],
        "contextFields": counted["contextFields"],
        "roles": roles,
        "customRootRoles": 0,
        "customRootRolesInUse": 0,
        "groups": 0,
        "environments": counted["environments"],
        "segments": counted["segments"],
        "strategies": counted["strategies"],
        "SAMLenabled": False,
        "OIDCenabled": False,
        "passwordAuthEnabled": True,
        "SCIMenabled": False,
        "clientApps": apps,
        "featureExports": counted["featureExports"],
        "featureImports": counted["featureImports"],
        "productionChanges": changes,
        "previousDayMetricsBucketsCount": {"enabledCount": 0, "variantCount": 0},
        "maxEnvironmentStrategies": repository.strategies_per_environment(strategies),
        "maxConstraintValues": max_values,
        "maxConstraints": max_constraints,
        "releaseTemplates": _RELEASE_TEMPLATES,
        "releasePlans": 0,
        "edgeInstanceUsage": {key: 0 for key in _months_back(now, months=12)},
        "readOnlyUsers": 0,
        "sum": sha256(signed),
    }


def _cell(value: Any) -> str:
    """One CSV cell as json2csv writes it: strings and objects (as JSON) quoted, doubled
    quotes inside; numbers and booleans bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return '"' + text.replace('"', '""') + '"'


def to_csv(stats: dict[str, Any]) -> str:
    header = ",".join(_cell(key) for key in stats)
    return header + "\n" + ",".join(_cell(value) for value in stats.values())


def csv_file_name(*, instance: str, now: datetime) -> str:
    return f"unleash-{instance}-{int(now.timestamp() * 1000)}.csv"
