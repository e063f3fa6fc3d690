"""What Unleash's project overview, health report, insights, status and DORA answers say of
a project, computed from its flags and events when asked.

Unleash keeps two things up to date with scheduled jobs that leash does not run: the project
stats (`stats`, all 0 until the job has run, as a fresh 8.2 answers) and the stored health
(100). Lifecycle stages come from flags alone: leash keeps no lifecycle table, so a live flag
is `initial` and one archived left it when it was archived.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.errors import NotFoundError
from leash.favorites import repository as favorites
from leash.feature_types import repository as feature_types
from leash.identity import ADMIN_TOKEN_USER_ID, SYSTEM_USER_ID
from leash.projects import onboarding, reads, repository

STATS_ZERO: dict[str, int] = {
    "avgTimeToProdCurrentWindow": 0,
    "createdCurrentWindow": 0,
    "createdPastWindow": 0,
    "archivedCurrentWindow": 0,
    "archivedPastWindow": 0,
    "projectActivityCurrentWindow": 0,
    "projectActivityPastWindow": 0,
    "projectMembersAddedCurrentWindow": 0,
}
DAY = 86_400.0


def _project_or_404(conn: Connection, *, project_id: str) -> Any:
    row = reads.project(conn, project_id=project_id)
    if row is None:
        raise NotFoundError("No project found")
    return row


def _environments(conn: Connection, *, project_id: str) -> list[dict[str, Any]]:
    listed = []
    for row in reads.linked_environments(conn, project_id=project_id):
        body: dict[str, Any] = {"environment": row.environment_name}
        if row.default_strategy is not None:
            body["defaultStrategy"] = row.default_strategy
        listed.append(body)
    return listed


def _type_counts(flags: list[Any]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for flag in flags:
        counts[flag.type] = counts.get(flag.type, 0) + 1
    return [{"type": name, "count": counts[name]} for name in sorted(counts)]


def _potentially_stale(flag: Any, *, lifetimes: dict[str, int | None], now: datetime) -> bool:
    """Unleash's project health test (domain/project-health): past its type's lifetime as
    stored now (updateFeatureTypeLifetime), on read; not the job's `potentially_stale` mark."""
    lifetime = lifetimes.get(flag.type)
    if flag.stale or lifetime is None:
        return False
    return bool((now - flag.created_at).total_seconds() >= lifetime * DAY)


def health_counts(conn: Connection, *, flags: list[Any], now: datetime) -> dict[str, int]:
    lifetimes = feature_types.lifetimes(conn)
    return {
        "potentiallyStaleCount": sum(
            _potentially_stale(f, lifetimes=lifetimes, now=now) for f in flags
        ),
        "activeCount": sum(1 for f in flags if not f.stale),
        "staleCount": sum(1 for f in flags if f.stale),
    }


def health_rating(conn: Connection, *, flags: list[Any], now: datetime) -> int:
    counts = health_counts(conn, flags=flags, now=now)
    total = counts["activeCount"] + counts["staleCount"]
    if total == 0:
        return 100
    stale = counts["staleCount"] / total * 100
    potentially = counts["potentiallyStaleCount"] / total * 100
    # JavaScript's Math.round: halves go up.
    return math.floor(100 - stale - potentially + 0.5)


def _members(conn: Connection, *, project_id: str) -> int:
    return repository.member_counts(conn).get(project_id, 0)


def _header(row: Any) -> dict[str, Any]:
    """What the overview and the health report open with, from the stored project."""
    return {
        "stats": dict(STATS_ZERO),
        "name": row.name,
        "description": row.description,
        "mode": row.mode or "open",
        "featureLimit": None,
        "featureNaming": {"pattern": None, "example": None, "description": None},
    }


def overview(conn: Connection, *, project_id: str, user_id: int | None) -> dict[str, Any]:
    """`user_id`: the calling user's (None for an API token: no favorite)."""
    row = _project_or_404(conn, project_id=project_id)
    favorite = project_id in favorites.favorite_projects_of(conn, user_id=user_id)
    flags = reads.live_flags(conn, project_id=project_id)
    # Unleash reads the stored health (100 until its job runs); "updatedAt" is its creation
    # time in leash, which keeps no update time of projects.
    return {
        **_header(row),
        "linkTemplates": [],
        "defaultStickiness": "default",
        "health": 100,
        "technicalDebt": 0,
        "favorite": favorite,
        "updatedAt": iso(row.created_at),
        "createdAt": iso(row.created_at),
        "onboardingStatus": onboarding.status(conn, project_id=project_id),
        "environments": _environments(conn, project_id=project_id),
        "featureTypeCounts": _type_counts(flags),
        "members": _members(conn, project_id=project_id),
        "version": 1,
    }


def _flag_overviews(conn: Connection, *, project_id: str, flags: list[Any]) -> list[Any]:
    by_flag: dict[str, list[dict[str, Any]]] = {}
    for env in reads.flag_environment_rows(conn, project_id=project_id):
        by_flag.setdefault(env.feature_name, []).append(
            {
                "name": env.environment,
                "enabled": bool(env.enabled),
                "type": env.type,
                "sortOrder": env.sort_order,
                "variantCount": len(env.variants or []),
                "lastSeenAt": iso(env.last_seen_at),
                "hasStrategies": bool(env.strategies),
                "hasEnabledStrategies": bool(env.enabled_strategies),
            }
        )
    tags: dict[str, list[dict[str, str]]] = {}
    for tag in reads.flag_tag_rows(conn, project_id=project_id):
        tags.setdefault(tag.feature_name, []).append({"value": tag.tag_value, "type": tag.tag_type})
    overviews = []
    for flag in flags:
        environments = sorted(by_flag.get(flag.name, []), key=lambda e: (e["sortOrder"], e["name"]))
        overview = {
            "type": flag.type,
            "description": flag.description,
            "favorite": False,
            "name": flag.name,
            "createdAt": iso(flag.created_at),
            "stale": bool(flag.stale),
            "impressionData": bool(flag.impression_data),
            "environments": environments,
        }
        # Unleash adds the key only for a flag with tags (its rows are joined with feature_tag).
        if flag.name in tags:
            overview["tags"] = tags[flag.name]
        overviews.append(overview)
    return overviews


def health_report(conn: Connection, *, project_id: str) -> dict[str, Any]:
    row = _project_or_404(conn, project_id=project_id)
    flags = reads.live_flags(conn, project_id=project_id)
    return {
        **_header(row),
        "defaultStickiness": "default",
        "health": 100,
        "technicalDebt": 0,
        "favorite": False,
        "updatedAt": iso(row.created_at),
        "createdAt": iso(row.created_at),
        "environments": _environments(conn, project_id=project_id),
        "features": _flag_overviews(conn, project_id=project_id, flags=flags),
        "members": _members(conn, project_id=project_id),
        "version": 1,
        **health_counts(conn, flags=flags, now=utcnow()),
    }


def _whole_days(later: datetime, earlier: datetime) -> int:
    """date-fns differenceInDays / Math.floor of the milliseconds: whole days between."""
    return math.floor((later - earlier).total_seconds() / DAY)


def dora(conn: Connection, *, project_id: str) -> dict[str, Any]:
    """Unknown projects answer no flags, as Unleash."""
    rows = reads.first_production_enables(conn, project_id=project_id)
    days = [_whole_days(r.enabled, r.created) for r in rows]
    average: float = 0
    if days:
        # Number(avg.toFixed(1)) || 0.1: an average of 0 days shows as 0.1.
        average = round(sum(days) / len(days), 1) or 0.1
    return {
        "features": [
            {"name": r.feature_name, "timeToProduction": d} for r, d in zip(rows, days, strict=True)
        ],
        "projectAverage": average,
    }


def insights(conn: Connection, *, project_id: str) -> dict[str, Any]:
    _project_or_404(conn, project_id=project_id)
    flags = reads.live_flags(conn, project_id=project_id)
    found = health_counts(conn, flags=flags, now=utcnow())
    # Unleash's key order: active, potentially stale, stale.
    counts = {k: found[k] for k in ("activeCount", "potentiallyStaleCount", "staleCount")}
    since = utcnow() - timedelta(days=30)
    return {
        "stats": dict(STATS_ZERO),
        "featureTypeCounts": _type_counts(flags),
        "technicalDebt": {"rating": 0, **counts},
        "leadTime": dora(conn, project_id=project_id),
        "members": {
            "currentMembers": _members(conn, project_id=project_id),
            "change": reads.members_added_since(conn, project_id=project_id, since=since),
        },
        "health": {"rating": 100, **counts},
    }


def _lifecycle(conn: Connection, *, project_id: str, flags: list[Any]) -> dict[str, Any]:
    archived = reads.archived_flags(conn, project_id=project_id)
    since = utcnow() - timedelta(days=30)
    # Days each archived flag spent in "initial": from its creation to its archiving.
    spent = [(a.archived_at - a.created_at).total_seconds() / DAY for a in archived]
    initial_days = math.floor(sum(spent) / len(spent) + 0.5) if spent else None
    return {
        "initial": {"averageDays": initial_days, "currentFlags": len(flags)},
        "preLive": {"averageDays": None, "currentFlags": 0},
        "live": {"averageDays": None, "currentFlags": 0},
        "completed": {"averageDays": None, "currentFlags": 0},
        "archived": {
            "currentFlags": len(archived),
            "last30Days": sum(1 for a in archived if a.archived_at >= since),
        },
    }


def _project_tokens(conn: Connection, *, project_id: str) -> int:
    """Tokens that name the project (Unleash's api_token_project rows; "*" names none)."""
    return sum(
        1
        for _, listed in repository.token_scopes(conn)
        if isinstance(listed, list) and project_id in listed
    )


def status(conn: Connection, *, project_id: str) -> dict[str, Any]:
    """Unknown projects answer as empty ones, as Unleash."""
    flags = reads.live_flags(conn, project_id=project_id)
    health = health_rating(conn, flags=flags, now=utcnow())
    days = reads.event_days(conn, project_id=project_id, since=utcnow() - timedelta(days=365))
    return {
        "resources": {
            "members": _members(conn, project_id=project_id),
            "apiTokens": _project_tokens(conn, project_id=project_id),
            "segments": reads.segment_count(conn, project_id=project_id),
        },
        "activityCountByDate": [{"date": d[0], "count": int(d[1])} for d in days],
        "health": {"current": health},
        "technicalDebt": {"current": 100 - health},
        "lifecycleSummary": _lifecycle(conn, project_id=project_id, flags=flags),
        # Unleash counts the staleness job's mark here, not the on-read lifetime test.
        "staleFlags": {"total": sum(1 for f in flags if f.stale or f.potentially_stale)},
    }


def flag_creators(conn: Connection, *, project_id: str) -> list[dict[str, Any]]:
    ids = reads.flag_creator_ids(conn, project_id=project_id)
    known = reads.users_by_id(conn, ids=ids)
    creators = []
    for user_id in ids:
        if user_id == ADMIN_TOKEN_USER_ID:
            name: str | None = "Unleash Admin Token User"
        elif user_id == SYSTEM_USER_ID:
            name = "Unleash System"
        else:
            row = known.get(user_id)
            name = (row.name or row.username or row.email) if row is not None else None
        if name:
            creators.append({"id": user_id, "name": name})
    return creators
