"""Unleash 8.2's import into one project and environment, through each domain's service so
every change is checked and recorded as its own endpoint would record it."""

from __future__ import annotations

import copy
from typing import Any, cast

from sqlalchemy import Connection

from leash import changelog
from leash.context import service as context
from leash.context.schemas import CreateContextField
from leash.dependencies import service as dependencies
from leash.dependencies.schemas import CreateDependentFeature
from leash.events import service as events
from leash.export_import import checks, reads
from leash.export_import.schemas import ImportToggles
from leash.features import environments, flags, strategies, variants
from leash.features import repository as features
from leash.features.schemas import CreateFeature, CreateFeatureStrategy, UpdateFeature
from leash.identity import Actor, Principal
from leash.links import repository as links_repository
from leash.links import service as links
from leash.links.schemas import Link
from leash.tags import repository as tags_repository
from leash.tags import service as tags
from leash.tags.schemas import Tag, TagType


def cleaned(conn: Connection, *, body: ImportToggles, archived: list[str]) -> ImportToggles:
    """Unleash's cleanData: archived flags left out, segment ids mapped to this instance's."""
    body = copy.deepcopy(body)
    data = body["data"]
    gone = set(archived)
    data["features"] = [f for f in data["features"] if f["name"] not in gone]
    if "featureEnvironments" in data:
        data["featureEnvironments"] = [
            e
            for e in data["featureEnvironments"]
            if e.get("featureName") and e["featureName"] not in gone
        ]
    data["featureStrategies"] = [
        s
        for s in data["featureStrategies"]
        if s.get("featureName") and s["featureName"] not in gone
    ]
    data["featureTags"] = [t for t in data.get("featureTags") or [] if t["featureName"] not in gone]
    used_types = {t.get("tagType") for t in data["featureTags"]}
    if "tagTypes" in data:
        data["tagTypes"] = [t for t in data["tagTypes"] if t["name"] in used_types]
    by_name = {s["name"]: int(s["id"]) for s in reads.all_segments(conn)}
    mapping = {s["id"]: by_name.get(s["name"]) for s in data.get("segments") or []}
    for strategy in data["featureStrategies"]:
        if "segments" in strategy:
            mapped = (mapping.get(segment) for segment in strategy["segments"])
            strategy["segments"] = [segment for segment in mapped if segment is not None]
    return body


def _flags(conn: Connection, *, body: ImportToggles, existing: list[str], actor: Actor) -> None:
    project = body["project"]
    known = set(existing)
    for feature in body["data"]["features"]:
        rest = {k: v for k, v in feature.items() if k not in ("archivedAt", "createdAt")}
        if feature["name"] in known:
            flags.update_flag(
                conn,
                project=project,
                name=feature["name"],
                body=cast(UpdateFeature, rest),
                actor=actor,
            )
        else:
            flags.create_flag(conn, project=project, body=cast(CreateFeature, rest), actor=actor)


def _environment_variants(conn: Connection, *, body: ImportToggles, actor: Actor) -> None:
    for env in body["data"].get("featureEnvironments") or []:
        if env.get("variants") and env.get("featureName"):
            variants.legacy_save_variants(
                conn,
                project=body["project"],
                name=env["featureName"],
                environment=body["environment"],
                variants=env["variants"],
                actor=actor,
            )


def _tag_types(conn: Connection, *, body: ImportToggles, actor: Actor) -> None:
    known = {t["name"] for t in reads.tag_types(conn)}
    new: dict[str, dict[str, Any]] = {}
    for tag_type in body["data"].get("tagTypes") or []:
        if tag_type["name"] not in known:
            new[tag_type["name"]] = tag_type
    for tag_type in new.values():
        tags.create_tag_type(conn, body=cast(TagType, tag_type), actor=actor)


def _tags(conn: Connection, *, body: ImportToggles, names: list[str], actor: Actor) -> None:
    for chunk in reads.chunks(names):
        tags_repository.untag_flags(conn, names=chunk)
    for tag in body["data"].get("featureTags") or []:
        if tag.get("tagType"):
            tags.add_flag_tag(
                conn,
                name=tag["featureName"],
                project=tags.flag_project(conn, name=tag["featureName"]),
                body=cast(Tag, {"type": tag["tagType"], "value": tag["tagValue"]}),
                actor=actor,
            )


def _context_fields(conn: Connection, *, body: ImportToggles, actor: Actor) -> None:
    known = {f["name"] for f in reads.context_fields(conn)}
    for field in body["data"].get("contextFields") or []:
        if field["name"] in known:
            continue
        new: dict[str, Any] = {"name": field["name"]}
        for key in ("description", "legalValues", "stickiness"):
            if field.get(key) is not None:
                new[key] = field[key]
        if field.get("project"):
            new["project"] = body["project"]
        context.create_field(conn, body=cast(CreateContextField, new), actor=actor)


def _links(conn: Connection, *, body: ImportToggles, actor: Actor) -> None:
    listed = body["data"].get("links") or []
    for chunk in reads.chunks([item["feature"] for item in listed]):
        links_repository.delete_links_of(conn, features=chunk)
    for item in listed:
        for link in item["links"]:
            new: dict[str, Any] = {"url": link["url"]}
            if link.get("title"):
                new["title"] = link["title"]
            links.create(
                conn,
                project=body["project"],
                feature=item["feature"],
                body=cast(Link, new),
                actor=actor,
            )


def _strategies(
    conn: Connection,
    *,
    body: ImportToggles,
    names: list[str],
    actor: Actor,
    limits: strategies.Limits,
) -> None:
    environment = body["environment"]
    for chunk in reads.chunks(names):
        features.delete_strategies_of(conn, names=chunk, environment=environment)
    for strategy in body["data"]["featureStrategies"]:
        rest = {k: v for k, v in strategy.items() if k not in ("featureName", "id", "sortOrder")}
        strategies.create_strategy(
            conn,
            project=body["project"],
            name=strategy["featureName"],
            environment=environment,
            body=cast(CreateFeatureStrategy, rest),
            actor=actor,
            limits=limits,
        )


def _enabled(
    conn: Connection, *, body: ImportToggles, actor: Actor, limits: strategies.Limits
) -> None:
    for env in body["data"].get("featureEnvironments") or []:
        environments.set_enabled(
            conn,
            project=body["project"],
            name=env["name"],
            environment=body["environment"],
            enabled=env["enabled"],
            actor=actor,
            limits=limits,
        )


def _dependencies(conn: Connection, *, body: ImportToggles, actor: Actor) -> None:
    imported = {f["name"]: f for f in body["data"]["features"]}
    for dependency in body["data"].get("dependencies") or []:
        feature = imported.get(dependency["feature"])
        if not feature or not feature.get("project"):
            continue
        for parent in dependency["dependencies"]:
            dependencies.add_dependency(
                conn,
                project=body["project"],
                child=dependency["feature"],
                body=cast(CreateDependentFeature, parent),
                actor=actor,
            )


def import_toggles(
    conn: Connection,
    *,
    body: ImportToggles,
    principal: Principal,
    strategy_limits: strategies.Limits,
) -> None:
    archived = checks.find(conn, body=body).archived
    body = cleaned(conn, body=body, archived=archived)
    findings = checks.find(conn, body=body)
    checks.verify(
        findings, missing=checks.missing_permissions(conn, body=body, principal=principal)
    )
    actor = principal.actor
    names = sorted({f["name"] for f in body["data"]["features"]})
    _flags(conn, body=body, existing=findings.existing, actor=actor)
    _environment_variants(conn, body=body, actor=actor)
    _tag_types(conn, body=body, actor=actor)
    _tags(conn, body=body, names=names, actor=actor)
    _context_fields(conn, body=body, actor=actor)
    _links(conn, body=body, actor=actor)
    _strategies(conn, body=body, names=names, actor=actor, limits=strategy_limits)
    _enabled(conn, body=body, actor=actor, limits=strategy_limits)
    _dependencies(conn, body=body, actor=actor)
    # Tags and strategies went without events of their own: SDKs must still see the flags.
    for name in names:
        changelog.note(conn, feature_name=name)
    events.record(
        conn,
        actor=actor,
        type="features-imported",
        project=body["project"],
        environment=body["environment"],
    )
