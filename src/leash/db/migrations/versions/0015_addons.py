"""addons and integration_events: integrations and their deliveries

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import leash.db.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "addons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("provider", sa.String(length=255), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parameters", _JSON, nullable=False),
        sa.Column("events", _JSON, nullable=False),
        sa.Column("projects", _JSON, nullable=False),
        sa.Column("environments", _JSON, nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addons")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "integration_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("integration_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=255), nullable=False),
        sa.Column("state_details", sa.Text(), nullable=False),
        sa.Column("event", _JSON, nullable=False),
        sa.Column("details", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["addons.id"],
            name=op.f("fk_integration_events_integration_id_addons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_integration_events_integration_id", "integration_events", ["integration_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_integration_events_integration_id", table_name="integration_events")
    op.drop_table("integration_events")
    op.drop_table("addons")
