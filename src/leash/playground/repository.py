"""What the playground reads: the client API's rows for one environment, disabled strategies too."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, select

from leash.client_api import repository as client_repository
from leash.features.models import feature_strategies


def load_environment(conn: Connection, *, environment: str) -> dict[str, Any]:
    """Like the client API's rows, but with every strategy: SDKs never see disabled ones."""
    loaded = client_repository.load_environment(conn, environment=environment)
    linked = {
        sid for by_strategy in loaded.links.values() for ids in by_strategy.values() for sid in ids
    }
    raw: dict[str, Any] = {
        "flags": loaded.flags,
        "links": {
            strategy_id: ids
            for by_strategy in loaded.links.values()
            for strategy_id, ids in by_strategy.items()
        },
        "segments": [
            SimpleNamespace(**seg) for sid, seg in loaded.segments.items() if sid in linked
        ],
        "dependencies": loaded.dependencies,
        "tags": loaded.tags,
    }
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
