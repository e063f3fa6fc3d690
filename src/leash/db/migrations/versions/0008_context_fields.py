"""context_fields.project: Unleash 8.2's project-specific context fields

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("context_fields") as batch:
        batch.add_column(sa.Column("project", sa.String(length=255), nullable=True))
        batch.create_foreign_key(
            op.f("fk_context_fields_project_projects"),
            "projects",
            ["project"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("context_fields") as batch:
        batch.drop_constraint(op.f("fk_context_fields_project_projects"), type_="foreignkey")
        batch.drop_column("project")
