from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from leash.db.base import Json, UtcDateTime, metadata

context_fields = Table(
    "context_fields",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("description", Text, nullable=True),
    Column("sort_order", Integer, nullable=False, server_default="10"),
    # [{"value", "description"?}], in the order they were added.
    Column("legal_values", Json, nullable=False),
    Column("stickiness", Boolean, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    # Unleash 8.2's project-specific fields; None for the root ones.
    Column("project", String(255), ForeignKey("projects.id", ondelete="CASCADE"), nullable=True),
)
