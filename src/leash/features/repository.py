"""SQL for flags, their environments and strategies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from leash.features.models import feature_strategies


def get_strategy(conn: Connection, *, strategy_id: str) -> Any:
    query = select(feature_strategies).where(feature_strategies.c.id == strategy_id)
    return conn.execute(query).one_or_none()
