"""strategies, feature_types and settings: strategy definitions (the four built-ins of
Unleash 8.2 seeded), flag types (the six of Unleash 8.2 seeded), instance settings
(maintenance mode)

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import leash.db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As Unleash 8.2 lists them on an empty database (GET /api/admin/strategies).
_BUILT_INS = [
    {
        "name": "flexibleRollout",
        "display_name": "Gradual rollout",
        "description": "Roll out to a percentage of your userbase, and ensure that the "
        "experience is the same for the user on each visit.",
        "parameters": [
            {"name": "rollout", "type": "percentage", "description": "", "required": False},
            {
                "name": "stickiness",
                "type": "string",
                "description": "Used define stickiness. Possible values: default, userId, "
                "sessionId, random",
                "required": True,
            },
            {
                "name": "groupId",
                "type": "string",
                "description": "Used to define a activation groups, which allows you to "
                "correlate across feature toggles.",
                "required": True,
            },
        ],
        "sort_order": 0,
    },
    {
        "name": "default",
        "display_name": "Standard",
        "description": "This strategy turns on / off for your entire userbase. Prefer using "
        '"Gradual rollout" strategy (100%=on, 0%=off).',
        "parameters": [],
        "sort_order": 1,
    },
    {
        "name": "remoteAddress",
        "display_name": "IPs",
        "description": "Enable the feature for a specific set of IP addresses.",
        "parameters": [
            {
                "name": "IPs",
                "type": "list",
                "description": "List of IPs to enable the feature toggle for.",
                "required": True,
            }
        ],
        "sort_order": 3,
    },
    {
        "name": "applicationHostname",
        "display_name": "Hosts",
        "description": "Enable the feature for a specific set of hostnames.",
        "parameters": [
            {
                "name": "hostNames",
                "type": "list",
                "description": "List of hostnames to enable the feature toggle for.",
                "required": False,
            }
        ],
        "sort_order": 4,
    },
]

# As Unleash 8.2 lists them (GET /api/admin/feature-types).
_FEATURE_TYPES = [
    ("release", "Release", "Roll out new or incomplete features. Expected lifetime ~40 days", 40),
    ("experiment", "Experiment", "A/B and multivariate testing. Expected lifetime ~40 days", 40),
    (
        "operational",
        "Operational",
        "Transition between technical implementations with minimal risk. "
        "Expected lifetime: ~7 days",
        7,
    ),
    (
        "kill-switch",
        "Kill switch",
        "Quickly disable certain functionalities or features. Expected lifetime: permanent",
        None,
    ),
    (
        "permission",
        "Permission",
        "Control feature access based on user roles or entitlements. Expected lifetime: permanent",
        None,
    ),
    (
        "sunset",
        "Sunset",
        "Coordinate the planned removal of an existing feature. Expected lifetime: ~90 days",
        90,
    ),
]


def upgrade() -> None:
    table = op.create_table(
        "strategies",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column(
            "parameters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("built_in", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("deprecated", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="9999", nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_strategies")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        table,
        [
            {**built_in, "built_in": True, "deprecated": False, "title": None, "created_at": now}
            for built_in in _BUILT_INS
        ],
    )

    types = op.create_table(
        "feature_types",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lifetime_days", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feature_types")),
    )
    op.bulk_insert(
        types,
        [
            {
                "id": type_id,
                "name": name,
                "description": description,
                "lifetime_days": lifetime,
                "sort_order": order,
            }
            for order, (type_id, name, description, lifetime) in enumerate(_FEATURE_TYPES)
        ],
    )


    op.create_table(
        "settings",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_settings")),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("feature_types")
    op.drop_table("strategies")
