"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 14:37:23.498376
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "need_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_fi", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_need_categories_code")),
    )
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name_fi", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("code", name=op.f("uq_regions_code")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("language IN ('fi', 'en')", name=op.f("ck_users_language")),
        sa.CheckConstraint(
            "role IN ('advisor', 'project_manager', 'leadership', 'admin')",
            name=op.f("ck_users_role"),
        ),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_users_failed_logins")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_role"), ["role"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete', 'login', 'login_failed', 'export', 'erase')",
            name=op.f("ck_audit_events_action"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_audit_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_entity_entity_id", ["entity", "entity_id"], unique=False
        )
        batch_op.create_index("ix_audit_events_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index("ix_audit_events_user_id", ["user_id"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("target_companies", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('regional_network', 'thematic_network')", name=op.f("ck_projects_kind")
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_projects_period")),
        sa.CheckConstraint(
            "target_companies IS NULL OR target_companies >= 0",
            name=op.f("ck_projects_target_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["users.id"], name=op.f("fk_projects_manager_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_name")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index("ix_projects_manager_id", ["manager_id"], unique=False)
        batch_op.create_index("ix_projects_period", ["starts_on", "ends_on"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_settings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settings_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "towns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("is_regional_town", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_towns_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_towns")),
        sa.UniqueConstraint("name", name=op.f("uq_towns_name")),
    )
    with op.batch_alter_table("towns", schema=None) as batch_op:
        batch_op.create_index("ix_towns_region_id", ["region_id"], unique=False)

    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("industry_code", sa.String(length=5), nullable=True),
        sa.Column("industry_section", sa.String(length=1), nullable=True),
        sa.Column("size_class", sa.String(length=10), nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "industry_section IS NULL OR industry_section BETWEEN 'A' AND 'U'",
            name=op.f("ck_companies_industry_section"),
        ),
        sa.CheckConstraint(
            "size_class IN ('micro', 'small', 'medium', 'large')",
            name=op.f("ck_companies_size_class"),
        ),
        sa.CheckConstraint(
            "staff_count IS NULL OR staff_count >= 0", name=op.f("ck_companies_staff_count")
        ),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_companies_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("business_id", name=op.f("uq_companies_business_id")),
    )
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.create_index("ix_companies_industry_section", ["industry_section"], unique=False)
        batch_op.create_index("ix_companies_name_key", ["name_key"], unique=False)
        batch_op.create_index("ix_companies_size_class", ["size_class"], unique=False)
        batch_op.create_index("ix_companies_town_id", ["town_id"], unique=False)

    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("town_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('employment_services', 'ely_centre', 'business_finland', 'finnvera', 'enterprise_agency', 'development_company', 'university_of_applied_sciences', 'university', 'vocational_college', 'regional_council', 'chamber_of_commerce', 'entrepreneurs_association', 'municipality', 'other')",
            name=op.f("ck_partners_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_partners_region_id_regions")
        ),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_partners_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("name", name=op.f("uq_partners_name")),
    )
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.create_index("ix_partners_region_id", ["region_id"], unique=False)
        batch_op.create_index("ix_partners_town_id", ["town_id"], unique=False)

    op.create_table(
        "project_need_categories",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["need_categories.id"],
            name=op.f("fk_project_need_categories_category_id_need_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_need_categories_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "category_id", name=op.f("pk_project_need_categories")
        ),
    )
    with op.batch_alter_table("project_need_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_need_categories_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "project_towns",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_towns_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["town_id"],
            ["towns.id"],
            name=op.f("fk_project_towns_town_id_towns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "town_id", name=op.f("pk_project_towns")),
    )
    with op.batch_alter_table("project_towns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_towns_town_id"), ["town_id"], unique=False)

    op.create_table(
        "user_towns",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["towns.id"], name=op.f("fk_user_towns_town_id_towns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_towns_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "town_id", name=op.f("pk_user_towns")),
    )
    with op.batch_alter_table("user_towns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_towns_town_id"), ["town_id"], unique=False)

    op.create_table(
        "contact_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("legal_basis", sa.String(length=30), nullable=False),
        sa.Column("marketing_opt_out", sa.Boolean(), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "legal_basis IN ('legitimate_interest', 'consent', 'contract', 'public_task')",
            name=op.f("ck_contact_persons_legal_basis"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_contact_persons_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_persons")),
    )
    with op.batch_alter_table("contact_persons", schema=None) as batch_op:
        batch_op.create_index("ix_contact_persons_company_id", ["company_id"], unique=False)

    op.create_table(
        "partner_need_categories",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["need_categories.id"],
            name=op.f("fk_partner_need_categories_category_id_need_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_partner_need_categories_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "partner_id", "category_id", name=op.f("pk_partner_need_categories")
        ),
    )
    with op.batch_alter_table("partner_need_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_need_categories_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("advisor_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("contact_person_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "channel IN ('visit', 'meeting', 'phone', 'email', 'event', 'online', 'survey')",
            name=op.f("ck_interactions_channel"),
        ),
        sa.ForeignKeyConstraint(
            ["advisor_id"], ["users.id"], name=op.f("fk_interactions_advisor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_interactions_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_person_id"],
            ["contact_persons.id"],
            name=op.f("fk_interactions_contact_person_id_contact_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_interactions_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interactions_advisor_id_occurred_on", ["advisor_id", "occurred_on"], unique=False
        )
        batch_op.create_index("ix_interactions_channel", ["channel"], unique=False)
        batch_op.create_index(
            "ix_interactions_company_id_occurred_on", ["company_id", "occurred_on"], unique=False
        )
        batch_op.create_index(
            "ix_interactions_contact_person_id", ["contact_person_id"], unique=False
        )
        batch_op.create_index("ix_interactions_occurred_on", ["occurred_on"], unique=False)
        batch_op.create_index("ix_interactions_project_id", ["project_id"], unique=False)

    op.create_table(
        "needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("addressed_by_project_id", sa.Integer(), nullable=True),
        sa.Column("addressed_by_partner_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "severity IN ('red', 'yellow', 'green')", name=op.f("ck_needs_severity")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'met', 'not_met', 'withdrawn')",
            name=op.f("ck_needs_status"),
        ),
        sa.CheckConstraint(
            "resolved_on IS NULL OR resolved_on >= identified_on", name=op.f("ck_needs_resolved")
        ),
        sa.ForeignKeyConstraint(
            ["addressed_by_partner_id"],
            ["partners.id"],
            name=op.f("fk_needs_addressed_by_partner_id_partners"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["addressed_by_project_id"],
            ["projects.id"],
            name=op.f("fk_needs_addressed_by_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["need_categories.id"],
            name=op.f("fk_needs_category_id_need_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_needs_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_needs_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_needs_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs")),
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_needs_addressed_by_partner_id", ["addressed_by_partner_id"], unique=False
        )
        batch_op.create_index(
            "ix_needs_addressed_by_project_id", ["addressed_by_project_id"], unique=False
        )
        batch_op.create_index(
            "ix_needs_category_id_identified_on", ["category_id", "identified_on"], unique=False
        )
        batch_op.create_index("ix_needs_company_id", ["company_id"], unique=False)
        batch_op.create_index("ix_needs_created_by_id", ["created_by_id"], unique=False)
        batch_op.create_index("ix_needs_identified_on", ["identified_on"], unique=False)
        batch_op.create_index("ix_needs_interaction_id", ["interaction_id"], unique=False)
        batch_op.create_index("ix_needs_status_severity", ["status", "severity"], unique=False)

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(status = 'done') = (done_on IS NOT NULL)",
            name=op.f("ck_follow_ups_done_on_when_done"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'cancelled')", name=op.f("ck_follow_ups_status")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_follow_ups_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_follow_ups_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_follow_ups_need_id_needs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_follow_ups_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_company_id", ["company_id"], unique=False)
        batch_op.create_index("ix_follow_ups_interaction_id", ["interaction_id"], unique=False)
        batch_op.create_index("ix_follow_ups_need_id", ["need_id"], unique=False)
        batch_op.create_index(
            "ix_follow_ups_owner_id_status_due_on", ["owner_id", "status", "due_on"], unique=False
        )
        batch_op.create_index("ix_follow_ups_status_due_on", ["status", "due_on"], unique=False)

    op.create_table(
        "participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("activity_type", sa.String(length=20), nullable=False),
        sa.Column("activity_name", sa.String(length=200), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("feedback_score", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("need_met", sa.String(length=6), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "activity_type IN ('event', 'training', 'workshop', 'pilot', 'network_meeting', 'co_development')",
            name=op.f("ck_participations_activity_type"),
        ),
        sa.CheckConstraint(
            "need_met IS NULL OR need_met IN ('yes', 'partly', 'no')",
            name=op.f("ck_participations_need_met"),
        ),
        sa.CheckConstraint(
            "role IN ('participant', 'co_developer', 'partner', 'speaker')",
            name=op.f("ck_participations_role"),
        ),
        sa.CheckConstraint(
            "feedback_score IS NULL OR feedback_score BETWEEN 1 AND 5",
            name=op.f("ck_participations_feedback_score"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_participations_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_participations_need_id_needs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_participations_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participations")),
    )
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.create_index("ix_participations_company_id", ["company_id"], unique=False)
        batch_op.create_index("ix_participations_need_id", ["need_id"], unique=False)
        batch_op.create_index("ix_participations_occurred_on", ["occurred_on"], unique=False)
        batch_op.create_index(
            "ix_participations_project_id_occurred_on", ["project_id", "occurred_on"], unique=False
        )
        batch_op.create_index("ix_participations_role", ["role"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('sent', 'accepted', 'completed', 'declined')",
            name=op.f("ck_referrals_status"),
        ),
        sa.CheckConstraint("consent", name=op.f("ck_referrals_consent")),
        sa.CheckConstraint(
            "partner_id IS NOT NULL OR project_id IS NOT NULL",
            name=op.f("ck_referrals_partner_or_project"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_referrals_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_referrals_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_referrals_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_referrals_need_id_needs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_referrals_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_referrals_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index("ix_referrals_company_id", ["company_id"], unique=False)
        batch_op.create_index("ix_referrals_created_by_id", ["created_by_id"], unique=False)
        batch_op.create_index("ix_referrals_interaction_id", ["interaction_id"], unique=False)
        batch_op.create_index("ix_referrals_need_id", ["need_id"], unique=False)
        batch_op.create_index("ix_referrals_partner_id", ["partner_id"], unique=False)
        batch_op.create_index("ix_referrals_project_id", ["project_id"], unique=False)
        batch_op.create_index("ix_referrals_referred_on", ["referred_on"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_referred_on")
        batch_op.drop_index("ix_referrals_project_id")
        batch_op.drop_index("ix_referrals_partner_id")
        batch_op.drop_index("ix_referrals_need_id")
        batch_op.drop_index("ix_referrals_interaction_id")
        batch_op.drop_index("ix_referrals_created_by_id")
        batch_op.drop_index("ix_referrals_company_id")

    op.drop_table("referrals")
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index("ix_participations_role")
        batch_op.drop_index("ix_participations_project_id_occurred_on")
        batch_op.drop_index("ix_participations_occurred_on")
        batch_op.drop_index("ix_participations_need_id")
        batch_op.drop_index("ix_participations_company_id")

    op.drop_table("participations")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_status_due_on")
        batch_op.drop_index("ix_follow_ups_owner_id_status_due_on")
        batch_op.drop_index("ix_follow_ups_need_id")
        batch_op.drop_index("ix_follow_ups_interaction_id")
        batch_op.drop_index("ix_follow_ups_company_id")

    op.drop_table("follow_ups")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index("ix_needs_status_severity")
        batch_op.drop_index("ix_needs_interaction_id")
        batch_op.drop_index("ix_needs_identified_on")
        batch_op.drop_index("ix_needs_created_by_id")
        batch_op.drop_index("ix_needs_company_id")
        batch_op.drop_index("ix_needs_category_id_identified_on")
        batch_op.drop_index("ix_needs_addressed_by_project_id")
        batch_op.drop_index("ix_needs_addressed_by_partner_id")

    op.drop_table("needs")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_project_id")
        batch_op.drop_index("ix_interactions_occurred_on")
        batch_op.drop_index("ix_interactions_contact_person_id")
        batch_op.drop_index("ix_interactions_company_id_occurred_on")
        batch_op.drop_index("ix_interactions_channel")
        batch_op.drop_index("ix_interactions_advisor_id_occurred_on")

    op.drop_table("interactions")
    with op.batch_alter_table("partner_need_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_need_categories_category_id"))

    op.drop_table("partner_need_categories")
    with op.batch_alter_table("contact_persons", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_persons_company_id")

    op.drop_table("contact_persons")
    with op.batch_alter_table("user_towns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_towns_town_id"))

    op.drop_table("user_towns")
    with op.batch_alter_table("project_towns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_towns_town_id"))

    op.drop_table("project_towns")
    with op.batch_alter_table("project_need_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_need_categories_category_id"))

    op.drop_table("project_need_categories")
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_index("ix_partners_town_id")
        batch_op.drop_index("ix_partners_region_id")

    op.drop_table("partners")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_town_id")
        batch_op.drop_index("ix_companies_size_class")
        batch_op.drop_index("ix_companies_name_key")
        batch_op.drop_index("ix_companies_industry_section")

    op.drop_table("companies")
    with op.batch_alter_table("towns", schema=None) as batch_op:
        batch_op.drop_index("ix_towns_region_id")

    op.drop_table("towns")
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settings_updated_by_id"))

    op.drop_table("settings")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_period")
        batch_op.drop_index("ix_projects_manager_id")

    op.drop_table("projects")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_user_id")
        batch_op.drop_index("ix_audit_events_occurred_at")
        batch_op.drop_index("ix_audit_events_entity_entity_id")

    op.drop_table("audit_events")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_role"))

    op.drop_table("users")
    op.drop_table("regions")
    op.drop_table("need_categories")
