"""feature_lifecycles: the lifecycle stages each flag entered; favorite_features and
favorite_projects: each user's favorites; feature_link: links of flags

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feature_lifecycles",
        sa.Column("feature", sa.String(length=255), nullable=False),
        sa.Column("stage", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=50), nullable=True),
        sa.Column("status_value", sa.Text(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feature"],
            ["features.name"],
            name=op.f("fk_feature_lifecycles_feature_features"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feature", "stage", name=op.f("pk_feature_lifecycles")),
    )
    op.create_table(
        "favorite_features",
        sa.Column("feature", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feature"],
            ["features.name"],
            name=op.f("fk_favorite_features_feature_features"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_favorite_features_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feature", "user_id", name=op.f("pk_favorite_features")),
    )
    op.create_table(
        "favorite_projects",
        sa.Column("project", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project"],
            ["projects.id"],
            name=op.f("fk_favorite_projects_project_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_favorite_projects_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project", "user_id", name=op.f("pk_favorite_projects")),
    )
    op.create_table(
        "feature_link",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("feature_name", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("domain", sa.Text(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feature_name"],
            ["features.name"],
            name=op.f("fk_feature_link_feature_name_features"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feature_link")),
    )
    op.create_index("ix_feature_link_feature_name", "feature_link", ["feature_name"])


def downgrade() -> None:
    op.drop_index("ix_feature_link_feature_name", table_name="feature_link")
    op.drop_table("feature_link")
    op.drop_table("favorite_projects")
    op.drop_table("favorite_features")
    op.drop_table("feature_lifecycles")
