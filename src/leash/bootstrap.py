"""Work done once when a leash process starts: configured tokens."""

from __future__ import annotations

from sqlalchemy import Engine

from leash.config import Settings
from leash.tokens import service as tokens


def bootstrap(engine: Engine, settings: Settings) -> None:
    with engine.begin() as conn:
        tokens.ensure_initial_tokens(
            conn,
            secrets_by_type={
                "client": settings.init_client_api_tokens,
                "frontend": settings.init_frontend_api_tokens,
                "admin": settings.init_admin_api_tokens,
            },
        )
