"""Instance usage statistics (getInstanceAdminStats), as Unleash 8.2.0's instance-stats
service reports them for a self-hosted open-source instance: what leash has no concept of
(groups, custom root roles, SSO, SCIM, service accounts, read-only seats, release plans,
Edge) is answered as Unleash answers an instance that has none of it."""

from __future__ import annotations

import calendar
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import Connection

from leash.instance_admin import repository
from leash.maintenance import repository as settings
from leash.secrets import sha256

INSTANCE_INFO: Final = "instanceInfo"
UNLEASH_VERSION: Final = "8.2.0"
_EDGE_MONTHS: Final = 12


def ensure_instance_id(conn: Connection) -> None:
    """Unleash's `instanceInfo` setting: one random id for the life of the database."""
    if repository.setting(conn, name=INSTANCE_INFO) is None:
        settings.insert_setting(conn, name=INSTANCE_INFO, content={"id": str(uuid.uuid4())})


def instance_id(conn: Connection) -> str:
    stored = repository.setting(conn, name=INSTANCE_INFO)
    if isinstance(stored, dict) and isinstance(stored.get("id"), str):
        return str(stored["id"])
    return ""


def _months_before(now: datetime, months: int) -> datetime:
    """PostgreSQL's `NOW() - INTERVAL 'n months'`: the same day n calendar months earlier,
    or that month's last day."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def _active_users(conn: Connection, *, now: datetime) -> dict[str, int]:
    since = {
        "last7": now - timedelta(weeks=1),
        "last30": _months_before(now, 1),
        "last60": _months_before(now, 2),
        "last90": _months_before(now, 3),
    }
    return {key: repository.users_seen_since(conn, since=at) for key, at in since.items()}


def _production_changes(conn: Connection, *, now: datetime) -> dict[str, int]:
    return {
        f"last{days}": repository.production_changes_since(conn, since=now - timedelta(days=days))
        for days in (30, 60, 90)
    }


def _previous_day_buckets(conn: Connection, *, today: date) -> dict[str, int]:
    """Yesterday's hourly metric buckets; Unleash keeps variant counts as rows of their own,
    leash inside each bucket, so a variant row is one variant name of one bucket."""
    end = datetime.combine(today, time(), tzinfo=UTC)
    enabled = 0
    variant = 0
    for variants in repository.metric_buckets(conn, start=end - timedelta(days=1), end=end):
        enabled += 1
        variant += len(variants) if isinstance(variants, dict) else 0
    return {"enabledCount": enabled, "variantCount": variant}


def _strategy_maxima(conn: Connection) -> dict[str, int]:
    per_environment: dict[tuple[str, str], int] = {}
    max_values = 0
    max_constraints = 0
    for name, environment, constraints in repository.active_strategies(conn):
        key = (name, environment)
        per_environment[key] = per_environment.get(key, 0) + 1
        listed = constraints if isinstance(constraints, list) else []
        max_constraints = max(max_constraints, len(listed))
        for constraint in listed:
            values = constraint.get("values") if isinstance(constraint, dict) else None
            max_values = max(max_values, len(values) if isinstance(values, list) else 0)
    return {
        "maxEnvironmentStrategies": max(per_environment.values(), default=0),
        "maxConstraintValues": max_values,
        "maxConstraints": max_constraints,
    }


def _edge_months(now: datetime) -> dict[str, int]:
    """The last twelve months, newest first, each with the Edge instances it saw (none)."""
    keys = []
    for back in range(_EDGE_MONTHS):
        month_index = now.year * 12 + now.month - 1 - back
        year, month = divmod(month_index, 12)
        keys.append(f"{year:04d}-{month + 1:02d}")
    return dict.fromkeys(keys, 0)


def _timestamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def statistics(conn: Connection, *, now: datetime) -> dict[str, Any]:
    """The signed statistics, in Unleash's key order (its CSV columns follow it)."""
    counts = repository.table_counts(conn)
    users = repository.user_count(conn)
    flags = repository.flag_count(conn, archived=False)
    ident = instance_id(conn)
    stats: dict[str, Any] = {
        "timestamp": _timestamp(now),
        "instanceId": ident,
        "versionOSS": UNLEASH_VERSION,
        "versionEnterprise": "",
        "users": users,
        "serviceAccounts": 0,
        "apiTokens": repository.tokens_by_type(conn),
        "activeUsers": _active_users(conn, now=now),
        "licensedUsers": repository.licensed_user_count(conn),
        "featureToggles": flags,
        "archivedFeatureToggles": repository.flag_count(conn, archived=True),
        "projects": counts["projects"],
        "contextFields": counts["contextFields"],
        "roles": counts["roles"],
        "customRootRoles": 0,
        "customRootRolesInUse": 0,
        "groups": 0,
        "environments": counts["environments"],
        "segments": counts["segments"],
        "strategies": counts["strategies"],
        "SAMLenabled": False,
        "OIDCenabled": False,
        "passwordAuthEnabled": True,
        "SCIMenabled": False,
        "clientApps": [
            {"range": "7d", "count": repository.applications_seen(conn, since=now - timedelta(7))},
            {
                "range": "30d",
                "count": repository.applications_seen(conn, since=now - timedelta(30)),
            },
            {"range": "allTime", "count": repository.applications_seen(conn, since=None)},
        ],
        "featureExports": repository.event_count(conn, event_type="features-exported"),
        "featureImports": repository.event_count(conn, event_type="features-imported"),
        "productionChanges": _production_changes(conn, now=now),
        "previousDayMetricsBucketsCount": _previous_day_buckets(conn, today=now.date()),
        **_strategy_maxima(conn),
        # Unleash 8.2 seeds one release-plan template in a new instance; leash has none.
        "releaseTemplates": 0,
        "releasePlans": 0,
        "edgeInstanceUsage": _edge_months(now),
        "readOnlyUsers": 0,
    }
    # Unleash's checksum: instance id, users, flags, projects, roles, groups, environments
    # and segments run together.
    signed = (
        f"{ident}{users}{flags}{counts['projects']}{counts['roles']}{0}"
        f"{counts['environments']}{counts['segments']}"
    )
    stats["sum"] = sha256(signed)
    return stats
