"""SQL for context fields, and for the strategies whose constraints name one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, text, update

from leash.context.models import context_fields
from leash.db.base import iso, utcnow


def legal_values(conn: Connection) -> dict[str, list[str]]:
    """Context fields that restrict their values, by name (every project's: Unleash checks a
    constraint against the field of that name wherever it belongs)."""
    result: dict[str, list[str]] = {}
    for row in conn.execute(select(context_fields.c.name, context_fields.c.legal_values)):
        values = [
            item["value"] if isinstance(item, dict) else str(item) for item in row.legal_values
        ]
        if values:
            result[row.name] = values
    return result


def to_json(row: Any) -> dict[str, Any]:
    """Unleash's contextFieldSchema, keys in its order; `project` only when there is one."""
    field: dict[str, Any] = {
        "name": row.name,
        "description": row.description,
        "stickiness": row.stickiness,
        "sortOrder": row.sort_order,
        "legalValues": row.legal_values,
        "createdAt": iso(row.created_at),
    }
    if row.project is not None:
        field["project"] = row.project
    return field


def get(conn: Connection, *, name: str, lock: bool = False) -> dict[str, Any] | None:
    query = select(context_fields).where(context_fields.c.name == name)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).one_or_none()
    return None if row is None else to_json(row)


def list_with_usage(conn: Connection) -> list[dict[str, Any]]:
    """Every field with the number of live flags and projects whose strategies constrain on
    it; sorted by name as PostgreSQL's C collation sorts (code points)."""
    features: dict[str, set[str]] = {}
    projects: dict[str, set[str]] = {}
    for context_name, feature, project in _constraint_uses(conn):
        features.setdefault(context_name, set()).add(feature)
        projects.setdefault(context_name, set()).add(project)
    result = []
    for row in conn.execute(select(context_fields)).all():
        field = to_json(row)
        project = field.pop("project", None)
        field["usedInProjects"] = len(projects.get(row.name, ()))
        field["usedInFeatures"] = len(features.get(row.name, ()))
        if project is not None:
            field["project"] = project
        result.append(field)
    result.sort(key=lambda field: field["name"])
    return result


def insert_field(conn: Connection, *, values: dict[str, Any]) -> dict[str, Any]:
    conn.execute(insert(context_fields).values(**values, created_at=utcnow()))
    stored = get(conn, name=values["name"])
    assert stored is not None
    return stored


def update_field(conn: Connection, *, name: str, values: dict[str, Any]) -> None:
    conn.execute(update(context_fields).where(context_fields.c.name == name).values(**values))


def delete_field(conn: Connection, *, name: str) -> None:
    conn.execute(delete(context_fields).where(context_fields.c.name == name))


# The strategies of live flags and the context names their constraints use, one row per
# (strategy, constraint). Constraints are a JSON array on both databases; each expands it with
# its own function. Only bound parameters reach these statements.
_USES = {
    "postgresql": """
        SELECT fs.id, fs.feature_name, fs.project_name, fs.strategy_name, fs.environment,
               fs.created_at, elem ->> 'contextName' AS context_name
        FROM feature_strategies AS fs
        JOIN features AS f ON f.name = fs.feature_name
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(fs.constraints) = 'array' THEN fs.constraints
                 ELSE '[]'::jsonb END) AS elem
        WHERE f.archived_at IS NULL AND jsonb_typeof(elem) = 'object'
    """,
    "sqlite": """
        SELECT fs.id, fs.feature_name, fs.project_name, fs.strategy_name, fs.environment,
               fs.created_at, json_extract(elem.value, '$.contextName') AS context_name
        FROM feature_strategies AS fs
        JOIN features AS f ON f.name = fs.feature_name
        JOIN json_each(CASE WHEN json_type(fs.constraints) = 'array' THEN fs.constraints
                            ELSE '[]' END) AS elem
        WHERE f.archived_at IS NULL AND elem.type = 'object'
    """,
}


def _uses_sql(conn: Connection) -> str:
    return _USES["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]


def _constraint_uses(conn: Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(text(_uses_sql(conn))).all()
    return [
        (row.context_name, row.feature_name, row.project_name)
        for row in rows
        if isinstance(row.context_name, str)
    ]


def strategies_using(conn: Connection, *, name: str) -> list[dict[str, Any]]:
    """The strategies of live flags with a constraint on `name`, each once."""
    query = (
        f"SELECT DISTINCT uses.id, uses.feature_name, uses.project_name, uses.strategy_name, "
        f"uses.environment, uses.created_at FROM ({_uses_sql(conn)}) AS uses "
        "WHERE uses.context_name = :name ORDER BY uses.created_at, uses.id"
    )
    rows = conn.execute(text(query), {"name": name}).all()
    return [
        {
            "id": row.id,
            "projectId": row.project_name,
            "featureName": row.feature_name,
            "strategyName": row.strategy_name,
            "environment": row.environment,
        }
        for row in rows
    ]
