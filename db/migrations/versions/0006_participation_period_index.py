"""participation period index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 17:34:42.598361
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participations_occurred_on"))
        batch_op.create_index(
            "ix_participations_period",
            ["occurred_on", "company_id", "project_id", "role"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index("ix_participations_period")
        batch_op.create_index(
            batch_op.f("ix_participations_occurred_on"), ["occurred_on"], unique=False
        )
