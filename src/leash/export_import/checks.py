"""What Unleash 8.2's import checks, worded as it words them: validate lists the errors,
warnings and missing permissions; the import refuses on the first failing check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from leash import permissions
from leash.errors import BadDataError, PermissionError_
from leash.export_import import reads
from leash.export_import.schemas import ImportToggles
from leash.features import repository as features
from leash.identity import Principal
from leash.strategy_definitions import repository as strategy_definitions

# Unleash's permissions table: display names, in the order its rows come back.
DISPLAY_NAMES: dict[str, str] = {
    permissions.CREATE_FEATURE: "Create feature flags",
    permissions.UPDATE_FEATURE: "Update feature flags",
    permissions.CREATE_CONTEXT_FIELD: "Create context fields",
    permissions.CREATE_FEATURE_STRATEGY: "Create activation strategies",
    permissions.DELETE_FEATURE_STRATEGY: "Delete activation strategies",
    permissions.UPDATE_FEATURE_ENVIRONMENT_VARIANTS: "Update variants",
    permissions.CREATE_TAG_TYPE: "Create tag types",
}


class ImportPermissionError(PermissionError_):
    """The import's own refusal: thrown by its service, so without an id or a list."""

    with_id = False

    def extras(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Findings:
    """What the import data needs, read once from the database."""

    unsupported_strategies: list[str]
    custom_strategies: list[str]
    unsupported_context_fields: list[str]
    archived: list[str]
    other_project: list[str]
    existing: list[str]
    duplicates: list[str]
    segments: list[str]
    dependencies: list[str]


def _names(body: ImportToggles) -> list[str]:
    return [feature["name"] for feature in body["data"]["features"]]


def _duplicates(names: list[str]) -> list[str]:
    seen: set[str] = set()
    duplicates: dict[str, None] = {}
    for name in names:
        if name in seen:
            duplicates[name] = None
        seen.add(name)
    return list(duplicates)


def _legal_values_known(imported: dict[str, Any], existing: dict[str, Any] | None) -> bool:
    if existing is None:
        return True
    known = {v.get("value") for v in existing.get("legalValues") or [] if isinstance(v, dict)}
    return all(value.get("value") in known for value in imported.get("legalValues") or [])


def find(conn: Connection, *, body: ImportToggles) -> Findings:
    data = body["data"]
    project = body["project"]
    names = _names(body)
    stored = {row.name: row for row in reads.flags(conn, names)}
    definitions = {d["name"]: d for d in strategy_definitions.list_all(conn)}
    strategy_names = [s["name"] for s in data["featureStrategies"]]
    fields = {f["name"]: f for f in reads.context_fields(conn)}
    unsupported_fields = []
    for field in data.get("contextFields") or []:
        existing = fields.get(field["name"])
        if not _legal_values_known(field, existing) or (
            existing is not None and existing.get("project") not in (None, project)
        ):
            unsupported_fields.append(field["name"])
    segments = reads.all_segments(conn)
    imported = set(names)
    wanted_parents = [
        parent["feature"]
        for dependency in data.get("dependencies") or []
        for parent in dependency["dependencies"]
        if parent["feature"] not in imported
    ]
    known_parents = {row.name for row in reads.flags(conn, wanted_parents)}
    listed = sorted(set(names))
    return Findings(
        unsupported_strategies=[name for name in strategy_names if name not in definitions],
        custom_strategies=[
            name
            for name in dict.fromkeys(strategy_names)
            if name in definitions and definitions[name]["editable"]
        ],
        unsupported_context_fields=unsupported_fields,
        archived=[n for n in listed if n in stored and stored[n].archived_at is not None],
        other_project=[
            f"{n} (in project {stored[n].project})"
            for n in listed
            if n in stored and stored[n].project != project
        ],
        existing=[
            n
            for n in listed
            if n in stored and stored[n].project == project and stored[n].archived_at is None
        ],
        duplicates=_duplicates(names),
        segments=[
            s["name"]
            for s in data.get("segments") or []
            if not any(
                e["name"] == s["name"] and e.get("project") in (None, project) for e in segments
            )
        ],
        dependencies=[p for p in wanted_parents if p not in known_parents],
    )


def missing_permissions(
    conn: Connection, *, body: ImportToggles, principal: Principal
) -> list[str]:
    data = body["data"]
    names = _names(body)
    tag_types = {t["name"] for t in reads.tag_types(conn)}
    fields = {f["name"] for f in reads.context_fields(conn)}
    needed = {permissions.UPDATE_FEATURE}
    if any(t["name"] not in tag_types for t in data.get("tagTypes") or []):
        needed.add(permissions.CREATE_TAG_TYPE)
    if any(f["name"] not in fields for f in data.get("contextFields") or []):
        needed.add(permissions.CREATE_CONTEXT_FIELD)
    stored = [row.name for row in reads.flags(conn, names)]
    # Unleash counts an empty list of flags as having strategies.
    if not names or any(
        features.has_strategies_in(conn, names=chunk, environment=body["environment"])
        for chunk in reads.chunks(stored)
    ):
        needed.add(permissions.DELETE_FEATURE_STRATEGY)
    if data["featureStrategies"]:
        needed.add(permissions.CREATE_FEATURE_STRATEGY)
    if any(env.get("variants") for env in data.get("featureEnvironments") or []):
        needed.add(permissions.UPDATE_FEATURE_ENVIRONMENT_VARIANTS)
    if len(stored) < len(names):
        needed.add(permissions.CREATE_FEATURE)
    return [
        display
        for permission, display in DISPLAY_NAMES.items()
        if permission in needed
        and not permissions.has_any(principal, (permission,), project=body["project"])
    ]


def _item(message: str, items: list[str]) -> dict[str, Any]:
    return {"message": message, "affectedItems": items}


def validation(findings: Findings, *, project: str, missing: list[str]) -> dict[str, Any]:
    """Unleash's ImportValidationMessages."""
    errors = []
    if findings.unsupported_strategies:
        errors.append(
            _item(
                "We detected the following custom strategy that needs to be created first:",
                findings.unsupported_strategies,
            )
        )
    if findings.unsupported_context_fields:
        errors.append(
            _item(
                "We detected the following context fields that do not have matching legal "
                "values with the imported ones:",
                findings.unsupported_context_fields,
            )
        )
    if findings.other_project:
        errors.append(
            _item(
                "You cannot import a features that already exist in other projects. You "
                f"already have the following features defined outside of project {project}:",
                findings.other_project,
            )
        )
    if findings.duplicates:
        errors.append(
            _item(
                "We detected the following features are duplicate in your import data:",
                findings.duplicates,
            )
        )
    if findings.segments:
        errors.append(
            _item(
                "We detected the following segments that need to be created first:",
                findings.segments,
            )
        )
    if findings.dependencies:
        errors.append(
            _item(
                "We detected the following dependencies that need to be created first:",
                findings.dependencies,
            )
        )
    warnings = []
    if findings.custom_strategies:
        warnings.append(
            _item(
                "The following strategy types will be used in import. Please make sure the "
                "strategy type parameters are configured as in source environment:",
                findings.custom_strategies,
            )
        )
    if findings.archived:
        warnings.append(
            _item(
                "The following features will not be imported as they are currently archived. "
                "To import them, please unarchive them first:",
                findings.archived,
            )
        )
    if findings.existing:
        warnings.append(
            _item(
                "The following features already exist in this project and will be overwritten:",
                findings.existing,
            )
        )
    permission_items = (
        [_item("We detected you are missing the following permissions:", missing)]
        if missing
        else []
    )
    return {"errors": errors, "warnings": warnings, "permissions": permission_items}


def _not_supported(message: str, names: list[str]) -> BadDataError:
    details = [
        {"description": f"{n} is not supported.", "message": f"{n} is not supported."}
        for n in names
    ]
    return BadDataError.many(details, with_id=False)


def verify(findings: Findings, *, missing: list[str]) -> None:
    """The import's checks, in Unleash's order (the first that fails is answered)."""
    if findings.unsupported_strategies:
        raise _not_supported(
            "Some of the strategies you are trying to import are not supported.",
            findings.unsupported_strategies,
        )
    if findings.unsupported_context_fields:
        raise _not_supported(
            "Some of the context fields you are trying to import are not supported.",
            findings.unsupported_context_fields,
        )
    if missing:
        raise ImportPermissionError(missing)
    if findings.other_project:
        raise BadDataError.single(
            "These features exist already in other projects: " + ", ".join(findings.other_project)
        )
    if findings.segments:
        raise BadDataError.single("Unsupported segments: " + ", ".join(findings.segments))
    if findings.dependencies:
        raise BadDataError.single(
            "The following dependent features are missing: " + ", ".join(findings.dependencies)
        )
