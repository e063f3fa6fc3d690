"""features.potentially_stale: Unleash's flag past its type's lifetime, kept by a job

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("features") as batch:
        batch.add_column(
            sa.Column("potentially_stale", sa.Boolean(), server_default="0", nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("features") as batch:
        batch.drop_column("potentially_stale")
