"""Unleash 8.2's export: the flags asked for, with what they need in one environment."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from leash.events import service as events
from leash.export_import import reads
from leash.export_import.schemas import ExportQuery
from leash.features import repository as features
from leash.features.views import stringify
from leash.identity import Actor
from leash.tags import repository as tags


def _selected(conn: Connection, query: ExportQuery) -> list[str]:
    """Unleash's order of precedence: a tag, a non-empty list of names, a project, all."""
    if isinstance(query.get("tag"), str):
        return tags.flags_with_tag_value(conn, value=query["tag"])
    if query.get("features"):
        return list(query["features"])
    if isinstance(query.get("project"), str):
        return features.live_flag_names(conn, project=query["project"])
    return features.live_flag_names(conn)


def _uses(field: str, environments: list[dict[str, Any]], strategies: list[dict[str, Any]]) -> bool:
    for env in environments:
        for variant in env["variants"] or []:
            if not isinstance(variant, dict):
                continue
            if variant.get("stickiness") == field:
                return True
            overrides = variant.get("overrides") or []
            if any(isinstance(o, dict) and o.get("contextName") == field for o in overrides):
                return True
    for strategy in strategies:
        if strategy["parameters"].get("stickiness") == field:
            return True
        if any(c.get("contextName") == field for c in strategy["constraints"]):
            return True
    return False


def export(conn: Connection, *, query: ExportQuery, actor: Actor) -> dict[str, Any]:
    environment = query["environment"]
    rows = reads.flags(conn, _selected(conn, query))
    # Every other row names a stored flag: the rest is read for these names alone.
    names = [row.name for row in rows]
    flags = [
        {
            "name": row.name,
            "description": row.description,
            "type": row.type,
            "project": row.project,
            "stale": bool(row.stale),
            "impressionData": bool(row.impression_data),
            "archived": row.archived_at is not None,
        }
        for row in rows
    ]
    environments = [
        {
            "enabled": bool(row.enabled),
            "featureName": row.feature_name,
            "environment": row.environment,
            "variants": row.variants or [],
            "name": row.feature_name,
        }
        for row in reads.feature_environments(conn, names, environment)
    ]
    strategy_rows = reads.strategies(conn, names, environment)
    linked = reads.strategy_segments(conn, [row.id for row in strategy_rows])
    strategies = [
        {
            "name": row.strategy_name,
            "id": row.id,
            "featureName": row.feature_name,
            "title": row.title,
            "parameters": stringify(row.parameters),
            "constraints": row.constraints or [],
            "variants": row.variants or [],
            "disabled": bool(row.disabled),
            "segments": linked.get(row.id, []),
        }
        for row in strategy_rows
    ]
    feature_tags = [
        {"featureName": row.feature_name, "tagType": row.tag_type, "tagValue": row.tag_value}
        for row in reads.feature_tags(conn, names)
    ]
    used_segments = {segment_id for s in strategies for segment_id in s["segments"]}
    used_tag_types = {tag["tagType"] for tag in feature_tags}
    parents: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in reads.dependencies(conn, names):
        parents[row.child].append(
            {"feature": row.parent, "enabled": bool(row.enabled), "variants": row.variants or []}
        )
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in reads.feature_links(conn, names):
        links[row.feature_name].append({"id": row.id, "url": row.url, "title": row.title})
    result = {
        "features": flags,
        "featureStrategies": strategies,
        "featureEnvironments": environments,
        "contextFields": [
            {k: v for k, v in field.items() if k != "createdAt"}
            for field in reads.context_fields(conn)
            if _uses(field["name"], environments, strategies)
        ],
        "featureTags": feature_tags,
        "segments": [
            {"id": segment["id"], "name": segment["name"]}
            for segment in reads.all_segments(conn)
            if segment["id"] in used_segments
        ],
        "tagTypes": [t for t in reads.tag_types(conn) if t["name"] in used_tag_types],
        "dependencies": [{"feature": k, "dependencies": v} for k, v in parents.items()],
        "links": [{"feature": k, "links": v} for k, v in links.items()],
    }
    audit_user = {"id": actor.user_id, "username": actor.name, "ip": actor.ip}
    events.record(
        conn, actor=actor, type="features-exported", data={"data": result, "auditUser": audit_user}
    )
    return result
