from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from leash.db.base import Json, UtcDateTime, metadata

segments = Table(
    "segments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Unleash checks uniqueness only in its service; the constraint makes it hold under races.
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("created_by", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("constraints", Json, nullable=False),
    Column(
        "segment_project_id",
        String(255),
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=True,
    ),
    UniqueConstraint("name", name="uq_segments_name"),
    sqlite_autoincrement=True,
)
