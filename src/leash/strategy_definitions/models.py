from sqlalchemy import Boolean, Column, Integer, String, Table, Text

from leash.db.base import Json, UtcDateTime, metadata

# Strategy definitions (Unleash's `strategies` table): the four built-ins, seeded by the
# migration, and the custom ones users create. Flag strategies name them by `name`, without a
# foreign key, as in Unleash: deleting a definition leaves the flag strategies using it.
strategies = Table(
    "strategies",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("display_name", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("parameters", Json, nullable=False),
    Column("built_in", Boolean, nullable=False, server_default="0"),
    Column("deprecated", Boolean, nullable=False, server_default="0"),
    Column("sort_order", Integer, nullable=False, server_default="9999"),
    Column("created_at", UtcDateTime, nullable=False),
)
