"""covering indexes for the need-fit analysis

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:06:27.256562
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.create_index("ix_companies_id_town_id", ["id", "town_id"], unique=False)

    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_needs_category_id_identified_on"))
        batch_op.drop_index(batch_op.f("ix_needs_company_id"))
        batch_op.create_index(
            "ix_needs_category_fit",
            ["category_id", "identified_on", "company_id", "status", "addressed_by_project_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_needs_company_fit",
            ["company_id", "identified_on", "category_id", "status", "addressed_by_project_id"],
            unique=False,
        )

    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_participations_project_fit",
            ["project_id", "company_id", "role", "feedback_score", "need_met"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index("ix_participations_project_fit")

    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index("ix_needs_company_fit")
        batch_op.drop_index("ix_needs_category_fit")
        batch_op.create_index(batch_op.f("ix_needs_company_id"), ["company_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_needs_category_id_identified_on"),
            ["category_id", "identified_on"],
            unique=False,
        )

    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_id_town_id")
