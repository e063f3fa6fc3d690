"""What the playground reads: the client API's rows for one environment, disabled strategies too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from leash.client_api import repository as client_repository
from leash.features.models import feature_strategies


def load_environment(conn: Connection, *, environment: str) -> dict[str, Any]:
    """Like the client API's rows, but with every strategy: SDKs never see disabled ones."""
    raw = client_repository.load_environment(conn, environment=environment)
    raw["strategies"] = conn.execute(
        select(feature_strategies)
        .where(feature_strategies.c.environment == environment)
        .order_by(
            feature_strategies.c.sort_order,
            feature_strategies.c.created_at,
            feature_strategies.c.id,
        )
    ).all()
    return raw
