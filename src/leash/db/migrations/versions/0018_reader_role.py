"""roles: Unleash 8.2's built-in Reader project role (id 6, its migration
20251218153722-predefined-project-role-reader), which grants no permission

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER = {
    "id": 6,
    "name": "Reader",
    "type": "project",
    "description": (
        "Users with the project reader role have read-only access to the project and cannot "
        "make changes."
    ),
}


def upgrade() -> None:
    roles = sa.table(
        "roles",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("type", sa.String()),
        sa.column("description", sa.Text()),
    )
    op.bulk_insert(roles, [READER])


def downgrade() -> None:
    # Its assignments go with it (role_user's foreign key cascades).
    op.execute(sa.text("DELETE FROM role_user WHERE role_id = 6"))
    op.execute(sa.text("DELETE FROM roles WHERE id = 6"))
