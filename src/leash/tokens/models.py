from sqlalchemy import Column, String, Table, Text

from leash.db.base import Json, UtcDateTime, metadata

api_tokens = Table(
    "api_tokens",
    metadata,
    # sha256 of the whole secret; the secret itself is never stored.
    Column("secret_hash", String(64), primary_key=True),
    # What is safe to show again: the prefix up to and including the dot, e.g. "*:development."
    Column("display_prefix", Text, nullable=False),
    Column("token_name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("environment", String(100), nullable=False),
    Column("projects", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("seen_at", UtcDateTime, nullable=True),
)
