from sqlalchemy import Column, ForeignKey, Integer, String, Table

from leash.db.base import UtcDateTime, metadata

# Unleash's favorite_features and favorite_projects: what each user marked as a favorite.
favorite_features = Table(
    "favorite_features",
    metadata,
    Column(
        "feature",
        String(255),
        ForeignKey("features.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)

favorite_projects = Table(
    "favorite_projects",
    metadata,
    Column(
        "project",
        String(255),
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)
