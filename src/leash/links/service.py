"""Flag links, as Unleash's feature-link service: at most 10 a flag, URLs normalised."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from ulid import ULID

from leash.errors import NotFoundError, OperationDeniedError
from leash.features import repository as features
from leash.features.events import record
from leash.identity import Actor
from leash.links import repository, urls
from leash.links.schemas import Link

MAX_LINKS = 10


def links_json(conn: Connection, *, feature: str) -> list[dict[str, Any]]:
    """The links as getFeature shows them."""
    return [
        {"id": row.id, "url": row.url, "title": row.title, "feature": row.feature_name}
        for row in repository.links_of(conn, feature=feature)
    ]


def _data(url: str, title: str | None, *, with_title: bool) -> dict[str, Any]:
    return {"url": url, "title": title} if with_title else {"url": url}


def create(conn: Connection, *, project: str, feature: str, body: Link, actor: Actor) -> None:
    if features.get_flag(conn, name=feature) is None:
        raise NotFoundError(f"Could not find feature with name {feature}")
    if repository.count(conn, feature=feature) >= MAX_LINKS:
        raise OperationDeniedError(f"Too many links ({MAX_LINKS}) exist for this feature")
    url, domain = urls.normalise(body["url"])
    title = body.get("title")
    repository.insert_link(
        conn, link_id=str(ULID()), feature=feature, url=url, title=title, domain=domain
    )
    record(
        conn,
        actor=actor,
        type="feature-link-added",
        feature_name=feature,
        project=project,
        data=_data(url, title, with_title="title" in body),
    )


def _link_of(conn: Connection, *, feature: str, link_id: str) -> Any:
    """The link, only through its own flag (Unleash finds any link by its id alone)."""
    row = repository.get(conn, link_id=link_id)
    if row is None or row.feature_name != feature:
        raise NotFoundError(f"No item with id {link_id}")
    return row


def update(
    conn: Connection, *, project: str, feature: str, link_id: str, body: Link, actor: Actor
) -> None:
    url, domain = urls.normalise(body["url"])
    before = _link_of(conn, feature=feature, link_id=link_id)
    title = body.get("title")
    repository.update_link(conn, link_id=link_id, url=url, title=title, domain=domain)
    record(
        conn,
        actor=actor,
        type="feature-link-updated",
        feature_name=feature,
        project=project,
        data=_data(url, title, with_title=title is not None),
        pre_data=_data(before.url, before.title, with_title=before.title is not None),
    )


def delete(conn: Connection, *, project: str, feature: str, link_id: str, actor: Actor) -> None:
    before = _link_of(conn, feature=feature, link_id=link_id)
    repository.delete_link(conn, link_id=link_id)
    record(
        conn,
        actor=actor,
        type="feature-link-removed",
        feature_name=before.feature_name,
        project=project,
        pre_data=_data(before.url, before.title, with_title=before.title is not None),
    )
