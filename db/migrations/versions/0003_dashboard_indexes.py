"""covering indexes for the dashboards

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:13:20.804710
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interactions_occurred_on"))
        batch_op.create_index(
            "ix_interactions_period",
            ["occurred_on", "company_id", "channel", "project_id"],
            unique=False,
        )

    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_needs_identified_on"))
        batch_op.create_index(
            "ix_needs_period",
            [
                "identified_on",
                "company_id",
                "category_id",
                "status",
                "interaction_id",
                "addressed_by_project_id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_needs_resolved",
            ["resolved_on", "status", "company_id", "addressed_by_project_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index("ix_needs_resolved")
        batch_op.drop_index("ix_needs_period")
        batch_op.create_index(batch_op.f("ix_needs_identified_on"), ["identified_on"], unique=False)

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_period")
        batch_op.create_index(
            batch_op.f("ix_interactions_occurred_on"), ["occurred_on"], unique=False
        )
