from sqlalchemy import Column, ForeignKey, String, Table, Text

from leash.db.base import UtcDateTime, metadata

# Unleash's tag_types and tags; a flag's tags (features.models.feature_tags) reference a tag, and
# a tag its type, so deleting a type deletes its tags and the flags' tags of it.
tag_types = Table(
    "tag_types",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("description", Text, nullable=True),
    Column("icon", Text, nullable=True),
    Column("color", String(10), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

tags = Table(
    "tags",
    metadata,
    Column(
        "type",
        String(255),
        ForeignKey("tag_types.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("value", String(255), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)
