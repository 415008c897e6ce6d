"""innovation ecosystems

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:13:26.782484
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PARTNER_KINDS_0001 = (
    "employment_services",
    "ely_centre",
    "business_finland",
    "finnvera",
    "enterprise_agency",
    "development_company",
    "university_of_applied_sciences",
    "university",
    "vocational_college",
    "regional_council",
    "chamber_of_commerce",
    "entrepreneurs_association",
    "municipality",
    "other",
)
# Ecosystem actors: research organisations and associations besides the earlier kinds.
PARTNER_KINDS_0005 = (*PARTNER_KINDS_0001[:-1], "research_organisation", "association", "other")


def _partner_kinds(kinds: Sequence[str]) -> None:
    values = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_partners_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_partners_kind"), f"kind IN ({values})")


def upgrade() -> None:
    op.create_table(
        "maturity_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("maturity", sa.String(length=12), nullable=False),
        sa.Column("driver", sa.String(length=12), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "driver IN ('city', 'company', 'education')",
            name=op.f("ck_maturity_assessments_driver"),
        ),
        sa.CheckConstraint(
            "maturity IN ('starting', 'developing', 'established')",
            name=op.f("ck_maturity_assessments_maturity"),
        ),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_maturity_assessments_year")),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"],
            ["users.id"],
            name=op.f("fk_maturity_assessments_assessed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["town_id"],
            ["towns.id"],
            name=op.f("fk_maturity_assessments_town_id_towns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maturity_assessments")),
        sa.UniqueConstraint("town_id", "year", name="uq_maturity_assessments_town_year"),
    )
    with op.batch_alter_table("maturity_assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_maturity_assessments_assessed_by_id", ["assessed_by_id"], unique=False
        )
        batch_op.create_index("ix_maturity_assessments_year", ["year"], unique=False)

    op.create_table(
        "partnerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("first_partner_id", sa.Integer(), nullable=True),
        sa.Column("first_company_id", sa.Integer(), nullable=True),
        sa.Column("second_partner_id", sa.Integer(), nullable=True),
        sa.Column("second_company_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('education_cooperation', 'rnd', 'network_membership', 'funding', 'service_agreement')",
            name=op.f("ck_partnerships_kind"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN first_partner_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN first_company_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_partnerships_first"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN second_partner_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN second_company_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN project_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_partnerships_second"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_partnerships_period")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_partnerships_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["first_company_id"],
            ["companies.id"],
            name=op.f("fk_partnerships_first_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_partner_id"],
            ["partners.id"],
            name=op.f("fk_partnerships_first_partner_id_partners"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_partnerships_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_company_id"],
            ["companies.id"],
            name=op.f("fk_partnerships_second_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_partner_id"],
            ["partners.id"],
            name=op.f("fk_partnerships_second_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnerships")),
    )
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.create_index("ix_partnerships_created_by_id", ["created_by_id"], unique=False)
        batch_op.create_index(
            "ix_partnerships_first_company_id", ["first_company_id"], unique=False
        )
        batch_op.create_index(
            "ix_partnerships_first_partner_id", ["first_partner_id"], unique=False
        )
        batch_op.create_index("ix_partnerships_period", ["starts_on", "ends_on"], unique=False)
        batch_op.create_index("ix_partnerships_project_id", ["project_id"], unique=False)
        batch_op.create_index(
            "ix_partnerships_second_company_id", ["second_company_id"], unique=False
        )
        batch_op.create_index(
            "ix_partnerships_second_partner_id", ["second_partner_id"], unique=False
        )

    op.create_table(
        "partnership_towns",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_partnership_towns_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["town_id"],
            ["towns.id"],
            name=op.f("fk_partnership_towns_town_id_towns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("partnership_id", "town_id", name=op.f("pk_partnership_towns")),
    )
    with op.batch_alter_table("partnership_towns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partnership_towns_town_id"), ["town_id"], unique=False)

    _partner_kinds(PARTNER_KINDS_0005)


def downgrade() -> None:
    _partner_kinds(PARTNER_KINDS_0001)
    with op.batch_alter_table("partnership_towns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnership_towns_town_id"))

    op.drop_table("partnership_towns")
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_index("ix_partnerships_second_partner_id")
        batch_op.drop_index("ix_partnerships_second_company_id")
        batch_op.drop_index("ix_partnerships_project_id")
        batch_op.drop_index("ix_partnerships_period")
        batch_op.drop_index("ix_partnerships_first_partner_id")
        batch_op.drop_index("ix_partnerships_first_company_id")
        batch_op.drop_index("ix_partnerships_created_by_id")

    op.drop_table("partnerships")
    with op.batch_alter_table("maturity_assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_maturity_assessments_year")
        batch_op.drop_index("ix_maturity_assessments_assessed_by_id")

    op.drop_table("maturity_assessments")
