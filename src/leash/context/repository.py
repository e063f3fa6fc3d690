from __future__ import annotations

from sqlalchemy import Connection, select

from leash.context.models import context_fields


def legal_values(conn: Connection) -> dict[str, list[str]]:
    """Context fields that restrict their values, by name."""
    result: dict[str, list[str]] = {}
    for row in conn.execute(select(context_fields.c.name, context_fields.c.legal_values)):
        values = [
            item["value"] if isinstance(item, dict) else str(item) for item in row.legal_values
        ]
        if values:
            result[row.name] = values
    return result
