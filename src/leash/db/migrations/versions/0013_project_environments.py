"""project_environments.default_strategy: the strategy a flag gets when it is turned on there
with none (Unleash's addDefaultStrategyToProjectEnvironment)

Revision ID: 0013
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project_environments") as batch:
        batch.add_column(
            sa.Column(
                "default_strategy",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("project_environments") as batch:
        batch.drop_column("default_strategy")
