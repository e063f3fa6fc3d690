"""SQL for users' favorite flags and projects."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from leash.db.base import utcnow
from leash.favorites.models import favorite_features, favorite_projects


def add_feature(conn: Connection, *, user_id: int, feature: str) -> None:
    known = select(favorite_features.c.feature).where(
        favorite_features.c.user_id == user_id, favorite_features.c.feature == feature
    )
    if conn.execute(known).first() is None:
        conn.execute(
            insert(favorite_features).values(feature=feature, user_id=user_id, created_at=utcnow())
        )


def remove_feature(conn: Connection, *, user_id: int, feature: str) -> None:
    conn.execute(
        delete(favorite_features).where(
            favorite_features.c.user_id == user_id, favorite_features.c.feature == feature
        )
    )


def add_project(conn: Connection, *, user_id: int, project: str) -> None:
    known = select(favorite_projects.c.project).where(
        favorite_projects.c.user_id == user_id, favorite_projects.c.project == project
    )
    if conn.execute(known).first() is None:
        conn.execute(
            insert(favorite_projects).values(project=project, user_id=user_id, created_at=utcnow())
        )


def remove_project(conn: Connection, *, user_id: int, project: str) -> None:
    conn.execute(
        delete(favorite_projects).where(
            favorite_projects.c.user_id == user_id, favorite_projects.c.project == project
        )
    )


def favorite_features_of(conn: Connection, *, user_id: int | None) -> set[str]:
    if user_id is None:
        return set()
    query = select(favorite_features.c.feature).where(favorite_features.c.user_id == user_id)
    return set(conn.execute(query).scalars())


def favorite_projects_of(conn: Connection, *, user_id: int | None) -> set[str]:
    if user_id is None:
        return set()
    query = select(favorite_projects.c.project).where(favorite_projects.c.user_id == user_id)
    return set(conn.execute(query).scalars())
