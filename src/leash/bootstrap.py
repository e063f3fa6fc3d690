"""Work done once when a leash process starts: configured tokens, the first admin user."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from leash.config import Settings
from leash.instance_admin import service as instance
from leash.tokens import service as tokens
from leash.users import admin as users


def bootstrap(engine: Engine, settings: Settings) -> None:
    # Several workers start at once; the loser of an insert race finds the rows on retry.
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                tokens.ensure_initial_tokens(
                    conn,
                    secrets_by_type={
                        "client": settings.init_client_api_tokens,
                        "frontend": settings.init_frontend_api_tokens,
                        "admin": settings.init_admin_api_tokens,
                    },
                )
                instance.ensure_instance_id(conn)
                users.ensure_default_admin(
                    conn,
                    username=settings.unleash_default_admin_username,
                    password=settings.unleash_default_admin_password,
                )
            return
        except IntegrityError:
            if attempt:
                raise
