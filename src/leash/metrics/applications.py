"""Applications SDKs registered, as Unleash 8.2's admin API shows them: the list, one
application, its overview and instances, outdated SDKs, and an admin's create and delete."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.errors import BadDataError, NotFoundError
from leash.features.views import flag_json
from leash.metrics import repository, sdks
from leash.metrics.schemas import CreateApplication
from leash.strategy_definitions import repository as strategy_definitions

# Unleash's DEPRECATED_STRATEGIES: never reported as missing.
DEPRECATED_STRATEGIES = frozenset(
    {"gradualRolloutRandom", "gradualRolloutSessionId", "gradualRolloutUserId", "userWithId"}
)
# Search terms and their length: enough for any name, bounded for hostile queries.
MAX_TERMS = 50
MAX_TERM_LENGTH = 255
# What client_applications.app_name holds.
MAX_APP_NAME = 255
# Past any table's size, and within what SQL's OFFSET takes.
MAX_OFFSET = 2**31 - 1


def _not_found(app_name: str) -> NotFoundError:
    return NotFoundError(f"Could not find appName={app_name}")


def _number(raw: str | None) -> float:
    """JavaScript's Number(raw) for a query-string value."""
    if raw is None:
        return math.nan
    text = raw.strip()
    if text == "":
        return 0.0
    if len(text) > 400:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def page_params(
    *, offset: str | None, limit: str | None, default_limit: int, max_limit: int
) -> tuple[int, int]:
    """Unleash's normalizeQueryParams: a limit in (0, max] else the default, an offset > 0 else
    0. (A fraction is a 500 in Unleash; leash takes its integer part.)"""
    wanted = _number(limit) if limit is not None else float(default_limit)
    size = int(wanted) if 0 < wanted <= max_limit and int(wanted) > 0 else default_limit
    skip = _number(offset)
    start = min(int(skip), MAX_OFFSET) if skip > 0 and math.isfinite(skip) else 0
    return start, size


def search_terms(query: str | None) -> list[str]:
    if query is None:
        return []
    terms = [term.strip() for term in query.split(",", MAX_TERMS)[:MAX_TERMS]]
    return [term[:MAX_TERM_LENGTH] for term in terms if term]


def _application_json(row: Any, usage: list[tuple[str, str]]) -> dict[str, Any]:
    projects: dict[str, list[str]] = {}
    for project, environment in usage:
        projects.setdefault(project, []).append(environment)
    first = usage[0] if usage else (None, None)
    return {
        "appName": row.app_name,
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
        "description": row.description,
        "strategies": row.strategies or [],
        "createdBy": row.created_by,
        "url": row.url,
        "color": row.color,
        "icon": row.icon,
        "project": first[0],
        "environment": first[1],
        "usage": [{"project": p, "environments": e} for p, e in projects.items()],
    }


def list_applications(
    conn: Connection, *, query: str | None, offset: int, limit: int, sort_order: str | None
) -> dict[str, Any]:
    """Unleash sorts by name whatever `sortBy` says; `sortOrder` other than desc is asc."""
    rows, total = repository.application_page(
        conn,
        terms=search_terms(query),
        offset=offset,
        limit=limit,
        descending=sort_order == "desc",
    )
    usage = repository.usage_of(conn, app_names=[row.app_name for row in rows])
    return {
        "applications": [_application_json(row, usage.get(row.app_name, [])) for row in rows],
        "total": total if rows else 0,
    }


def _instance_json(row: Any) -> dict[str, Any]:
    return {
        "appName": row.app_name,
        "instanceId": row.instance_id,
        "sdkVersion": row.sdk_version,
        "sdkType": row.sdk_type,
        "clientIp": row.client_ip,
        "lastSeen": iso(row.last_seen),
        "createdAt": iso(row.created_at),
        "environment": row.environment,
    }


def get_application(conn: Connection, *, app_name: str) -> dict[str, Any]:
    row = repository.application(conn, app_name=app_name)
    if row is None:
        raise _not_found(app_name)
    definitions = {d["name"]: d for d in strategy_definitions.list_all(conn)}
    seen = repository.seen_flags(conn, app_name=app_name, since=utcnow() - timedelta(hours=24))
    flags = repository.live_flags(conn, names=seen)
    return {
        "appName": row.app_name,
        "createdAt": iso(row.created_at),
        "description": row.description,
        "url": row.url,
        "color": row.color,
        "icon": row.icon,
        "strategies": [
            definitions.get(name) or {"name": name, "notFound": True}
            for name in row.strategies or []
        ],
        "instances": [_instance_json(i) for i in repository.instances_of(conn, app_name=app_name)],
        "seenToggles": [
            flag_json(flags[name]) if name in flags else {"name": name, "notFound": True}
            for name in seen
        ],
        "links": {"self": f"/api/applications/{row.app_name}"},
    }


def create_application(conn: Connection, *, app_name: str, body: CreateApplication) -> None:
    """Unleash's upsert of what the body gives (its `description` and `createdBy` too). A name
    longer than the column is a 400 here (a database error, a 500, in Unleash)."""
    if len(app_name) > MAX_APP_NAME:
        raise BadDataError.single(f"appName must be at most {MAX_APP_NAME} characters long")
    values: dict[str, Any] = {}
    for key, column in (
        ("description", "description"),
        ("createdBy", "created_by"),
        ("url", "url"),
        ("color", "color"),
        ("icon", "icon"),
    ):
        value = body.get(key)
        if isinstance(value, str):
            values[column] = value
    if "strategies" in body:
        values["strategies"] = list(body["strategies"])
    repository.upsert_application(conn, app_name=app_name, values=values, now=utcnow())


def delete_application(conn: Connection, *, app_name: str) -> None:
    repository.delete_application(conn, app_name=app_name)


def overview(conn: Connection, *, app_name: str) -> dict[str, Any]:
    """Unleash's getApplicationOverview, with its query's quirks: it is a 404 only when no
    application exists at all, and `featureCount` counts one more (its SQL's NULL) when other
    applications exist or this one reported no flags."""
    names = repository.application_names(conn)
    if not names:
        raise _not_found(app_name)
    row = repository.application(conn, app_name=app_name)
    reported = repository.flags_by_environment(conn, app_name=app_name) if row else []
    since = utcnow() - timedelta(hours=24)
    recent = repository.instances_of(conn, app_name=app_name, since=since)
    known = {d["name"] for d in strategy_definitions.list_all(conn)}
    environments: dict[str, dict[str, Any]] = {}
    projects: dict[str, None] = {}
    missing: dict[str, list[str]] = {}
    for environment, project, flag in reported:
        if project is None:
            missing.setdefault(environment, []).append(flag)
        else:
            projects[project] = None
        if environment not in environments:
            environments[environment] = _environment_json(
                environment, [i for i in recent if i.environment == environment]
            )
    for name, environment_json in environments.items():
        environment_json["issues"]["missingFeatures"] = missing.get(name, [])
    missing_strategies = (
        [
            s
            for s in dict.fromkeys((row.strategies if row else None) or [])
            if s not in DEPRECATED_STRATEGIES and s not in known
        ]
        if environments
        else []
    )
    flags = {flag for _, _, flag in reported}
    has_null = len(names) > 1 or not reported
    return {
        "projects": list(projects),
        "featureCount": len(flags) + (1 if has_null else 0),
        "environments": list(environments.values()),
        "issues": {"missingStrategies": missing_strategies},
    }


def _environment_json(name: str, instances: Sequence[Any]) -> dict[str, Any]:
    def versions(kind: str | None) -> list[str]:
        found = {
            i.sdk_version
            for i in instances
            if i.sdk_version is not None and (kind is None or i.sdk_type == kind)
        }
        return sorted(found)

    all_sdks = versions(None)
    last = max((i.last_seen for i in instances), default=None)
    return {
        "name": name,
        "instanceCount": len({i.instance_id for i in instances}),
        "sdks": all_sdks,
        "frontendSdks": versions("frontend"),
        "backendSdks": versions("backend"),
        "lastSeen": iso(last) if last is not None else None,
        "issues": {"missingFeatures": [], "outdatedSdks": sdks.outdated(all_sdks)},
    }


def environment_instances(conn: Connection, *, app_name: str, environment: str) -> dict[str, Any]:
    """The instances seen in the last 24 hours, last seen first."""
    rows = repository.instances_of(
        conn, app_name=app_name, environment=environment, since=utcnow() - timedelta(hours=24)
    )
    return {
        "instances": [
            {
                "instanceId": row.instance_id,
                "clientIp": row.client_ip,
                "sdkVersion": row.sdk_version,
                "lastSeen": iso(row.last_seen),
            }
            for row in rows
        ]
    }


def outdated_sdks(conn: Connection) -> dict[str, Any]:
    """Every SDK version Unleash's table calls outdated, with the applications using it."""
    apps: dict[str, list[str]] = {}
    for row in repository.instances_by_sdk(conn):
        if sdks.is_outdated(row.sdk_version):
            apps.setdefault(row.sdk_version, []).append(row.app_name)
    return {"sdks": [{"sdkVersion": v, "applications": a} for v, a in apps.items()]}


def project_applications(
    conn: Connection,
    *,
    project: str,
    query: str | None,
    offset: int,
    limit: int,
    sort_order: str | None,
) -> dict[str, Any]:
    """Unleash's getApplicationsByProject: applications that reported the project's flags, with
    their environments, instances and SDKs; searched by name, environment, instance or SDK."""
    rows = repository.project_application_rows(conn, project=project, terms=search_terms(query))
    names = sorted({row.app_name for row in rows}, reverse=sort_order == "desc")
    page = set(names[offset : offset + limit])
    entries: dict[str, dict[str, Any]] = {}
    sdk_versions: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        if row.app_name not in page:
            continue
        entry = entries.setdefault(
            row.app_name, {"name": row.app_name, "environments": [], "instances": [], "sdks": []}
        )
        if row.environment not in entry["environments"]:
            entry["environments"].append(row.environment)
        if row.instance_id is not None and row.instance_id not in entry["instances"]:
            entry["instances"].append(row.instance_id)
        if row.sdk_version:
            name, _, version = row.sdk_version.partition(":")
            versions = sdk_versions.setdefault(row.app_name, {}).setdefault(name, [])
            version = version.split(":")[0]
            if version and version not in versions:
                versions.append(version)
    for app_name, entry in entries.items():
        entry["environments"].sort()
        entry["instances"].sort()
        found = sdk_versions.get(app_name, {})
        entry["sdks"] = [{"name": n, "versions": sorted(v)} for n, v in sorted(found.items())]
    ordered = [entries[name] for name in names if name in entries]
    return {"applications": ordered, "total": len(names) if ordered else 0}


def outdated_project_sdks(conn: Connection, *, project: str) -> dict[str, Any]:
    apps: dict[str, list[str]] = {}
    for row in repository.project_sdk_applications(conn, project=project):
        if sdks.is_outdated(row.sdk_version):
            apps.setdefault(row.sdk_version, []).append(row.app_name)
    return {"sdks": [{"sdkVersion": v, "applications": a} for v, a in apps.items()]}
