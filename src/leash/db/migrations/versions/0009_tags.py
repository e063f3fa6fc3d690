"""tag_types and tags: Unleash's tag types (with its built-in `simple`) and tags; a flag's tag
references its tag and records who added it

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    tag_types = op.create_table(
        "tag_types",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("icon", sa.Text(), nullable=True),
        sa.Column("color", sa.String(length=10), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_tag_types")),
    )
    op.create_table(
        "tags",
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["type"], ["tag_types.name"], name=op.f("fk_tags_type_tag_types"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("type", "value", name=op.f("pk_tags")),
    )
    # Unleash's seed, as its migrations leave it.
    op.bulk_insert(
        tag_types,
        [
            {
                "name": "simple",
                "description": "Used to simplify filtering of features",
                "icon": "#",
                "color": "#FFFFFF",
                "created_at": datetime.now(UTC),
            }
        ],
    )
    # Flags tagged before tags had tables keep their tags: their types and tags are made.
    op.execute(
        "INSERT INTO tag_types (name, created_at) "
        "SELECT tag_type, MIN(created_at) FROM feature_tags "
        "WHERE tag_type NOT IN (SELECT name FROM tag_types) GROUP BY tag_type"
    )
    op.execute(
        "INSERT INTO tags (type, value, created_at) "
        "SELECT tag_type, tag_value, MIN(created_at) FROM feature_tags "
        "GROUP BY tag_type, tag_value"
    )
    with op.batch_alter_table("feature_tags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_feature_tags_tag_type_tags"),
            "tags",
            ["tag_type", "tag_value"],
            ["type", "value"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("feature_tags", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_feature_tags_tag_type_tags"), type_="foreignkey")
        batch_op.drop_column("created_by_user_id")
    op.drop_table("tags")
    op.drop_table("tag_types")
