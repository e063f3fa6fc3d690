"""Favorites, as Unleash's favorites service: each a user's own, each change an event."""

from __future__ import annotations

from sqlalchemy import Connection

from leash.errors import BadDataError, NotFoundError
from leash.events import service as events
from leash.favorites import repository
from leash.features import repository as features
from leash.identity import Actor
from leash.projects import repository as projects


def _user(actor: Actor) -> int:
    """Unleash fails (500) for an API token, which is no user; leash refuses it (400)."""
    if actor.user_id is None or actor.user_id < 0:
        raise BadDataError.single(
            "Favorites belong to a user: use a personal access token or a session"
        )
    return actor.user_id


def favorite_feature(conn: Connection, *, feature: str, actor: Actor) -> None:
    user_id = _user(actor)
    if features.get_flag(conn, name=feature) is None:
        raise NotFoundError(f"Feature with name {feature} did not exist")
    repository.add_feature(conn, user_id=user_id, feature=feature)
    events.record(
        conn, actor=actor, type="feature-favorited", data={"feature": feature}, feature_name=feature
    )


def unfavorite_feature(conn: Connection, *, feature: str, actor: Actor) -> None:
    user_id = _user(actor)
    repository.remove_feature(conn, user_id=user_id, feature=feature)
    events.record(
        conn,
        actor=actor,
        type="feature-unfavorited",
        data={"feature": feature},
        feature_name=feature,
    )


def favorite_project(conn: Connection, *, project: str, actor: Actor) -> None:
    user_id = _user(actor)
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Project with id {project} was not found")
    repository.add_project(conn, user_id=user_id, project=project)
    events.record(
        conn, actor=actor, type="project-favorited", data={"project": project}, project=project
    )


def unfavorite_project(conn: Connection, *, project: str, actor: Actor) -> None:
    user_id = _user(actor)
    repository.remove_project(conn, user_id=user_id, project=project)
    events.record(
        conn, actor=actor, type="project-unfavorited", data={"project": project}, project=project
    )
