"""SQL for flag links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from leash.db.base import utcnow
from leash.links.models import feature_link


def count(conn: Connection, *, feature: str) -> int:
    query = select(func.count()).where(feature_link.c.feature_name == feature)
    return int(conn.execute(query).scalar_one())


def get(conn: Connection, *, link_id: str) -> Any:
    return conn.execute(select(feature_link).where(feature_link.c.id == link_id)).one_or_none()


def links_of(conn: Connection, *, feature: str) -> list[Any]:
    query = (
        select(feature_link)
        .where(feature_link.c.feature_name == feature)
        .order_by(feature_link.c.id)
    )
    return list(conn.execute(query).all())


def insert_link(
    conn: Connection, *, link_id: str, feature: str, url: str, title: str | None, domain: str | None
) -> None:
    conn.execute(
        insert(feature_link).values(
            id=link_id,
            feature_name=feature,
            url=url,
            title=title,
            domain=domain,
            created_at=utcnow(),
        )
    )


def update_link(
    conn: Connection, *, link_id: str, url: str, title: str | None, domain: str | None
) -> None:
    conn.execute(
        update(feature_link)
        .where(feature_link.c.id == link_id)
        .values(url=url, title=title, domain=domain)
    )


def delete_link(conn: Connection, *, link_id: str) -> None:
    conn.execute(delete(feature_link).where(feature_link.c.id == link_id))


def links_of_features(conn: Connection, *, features: list[str]) -> list[Any]:
    """The links of these flags, by flag, then as links_of orders them."""
    if not features:
        return []
    query = (
        select(feature_link)
        .where(feature_link.c.feature_name.in_(features))
        .order_by(feature_link.c.feature_name, feature_link.c.id)
    )
    return list(conn.execute(query).all())


def delete_links_of(conn: Connection, *, features: list[str]) -> None:
    if features:
        conn.execute(delete(feature_link).where(feature_link.c.feature_name.in_(features)))
