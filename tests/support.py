"""Constants and helpers shared by tests (importable as `support`)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, insert

from leash.db.base import utcnow
from leash.projects.models import project_environments, projects

ADMIN_SECRET = "*:*.admin-secret"
CLIENT_SECRET = "*:development.client-secret"
FRONTEND_SECRET = "*:development.frontend-secret"
ADMIN = {"Authorization": ADMIN_SECRET}
CLIENT = {"Authorization": CLIENT_SECRET}
FRONTEND = {"Authorization": FRONTEND_SECRET}

# Unleash's validation messages: several errors listed in `details`, or one in the message.
BAD_DATA_LIST = (
    "Request validation failed: your request body or params contain invalid data. "
    "Refer to the `details` list for more information."
)
BAD_DATA_ONE = "Request validation failed: your request body or params contain invalid data: "

T = TypeVar("T")


def without(body: Any, *keys: str) -> Any:
    """A copy of a JSON body with volatile keys (ids, timestamps) removed, at every depth."""
    if isinstance(body, dict):
        return {k: without(v, *keys) for k, v in body.items() if k not in keys}
    if isinstance(body, list):
        return [without(item, *keys) for item in body]
    return body


def insert_project(
    conn: Connection, *, project: str, environments: Sequence[str] = ("development", "production")
) -> None:
    """OSS Unleash has no endpoint to create projects: tests write the rows directly."""
    conn.execute(insert(projects).values(id=project, name=project, created_at=utcnow()))
    if environments:
        conn.execute(
            insert(project_environments),
            [{"project_id": project, "environment_name": name} for name in environments],
        )


def add_project(
    db: Engine, project: str, *, environments: Sequence[str] = ("development", "production")
) -> None:
    """`insert_project` in a transaction of its own."""
    with db.begin() as conn:
        insert_project(conn, project=project, environments=environments)


def answered_within(seconds: float, call: Callable[[], T]) -> T:
    """A deliberately generous liveness bound: a freeze, not a speed, is what it catches."""
    answers: list[T] = []
    worker = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert answers, f"no answer within {seconds} s"
    return answers[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
