from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from leash.projects.models import environments, project_environments, projects


def exists(conn: Connection, *, project_id: str) -> bool:
    return conn.execute(select(projects.c.id).where(projects.c.id == project_id)).first() is not None


def all_projects(conn: Connection) -> list[Any]:
    return list(conn.execute(select(projects).order_by(projects.c.name)).all())


def all_environments(conn: Connection) -> list[Any]:
    query = select(environments).order_by(environments.c.sort_order, environments.c.name)
    return list(conn.execute(query).all())


def environment_exists(conn: Connection, *, name: str) -> bool:
    query = select(environments.c.name).where(environments.c.name == name)
    return conn.execute(query).first() is not None


def project_environment_names(conn: Connection, *, project_id: str) -> list[str]:
    query = (
        select(environments.c.name)
        .join(project_environments, project_environments.c.environment_name == environments.c.name)
        .where(project_environments.c.project_id == project_id)
        .order_by(environments.c.sort_order, environments.c.name)
    )
    return [row.name for row in conn.execute(query)]
