"""The data model: every concept of the product brief as a typed SQLAlchemy 2 mapping.

Migrations under db/migrations are the only way these tables are made; a test runs
`alembic check` so the two never drift.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.enums import (
    ActivityType,
    AuditAction,
    Channel,
    EcosystemDriver,
    FollowUpStatus,
    LegalBasis,
    Maturity,
    NeedMet,
    NeedStatus,
    ParticipationRole,
    PartnerKind,
    PartnershipKind,
    ProjectKind,
    ReferralStatus,
    Role,
    Severity,
    SizeClass,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Lengths that both the database and the validators in services/ use.
NAME_MAX = 200
TITLE_MAX = 120
EMAIL_MAX = 254
PHONE_MAX = 40
URL_MAX = 300
TEXT_MAX = 4000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, enum: type[StrEnum]) -> str:
    """SQL for a CHECK that a column holds one of an enumeration's values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=now_utc, server_default=func.now()
    )


# --- Reference data -------------------------------------------------------------------------


class Region(Base):
    """A region (maakunta) with its Statistics Finland code."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name_fi: Mapped[str] = mapped_column(String(NAME_MAX))
    name_en: Mapped[str] = mapped_column(String(NAME_MAX))


class Town(Base):
    """A municipality; regional towns (seutukaupungit) are flagged."""

    __tablename__ = "towns"
    __table_args__ = (Index("ix_towns_region_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    is_regional_town: Mapped[bool] = mapped_column(Boolean, default=False)

    region: Mapped[Region] = relationship()


class NeedCategory(Base):
    """An editable category of company needs, named in Finnish and English."""

    __tablename__ = "need_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fi: Mapped[str] = mapped_column(String(NAME_MAX))
    name_en: Mapped[str] = mapped_column(String(NAME_MAX))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


partner_need_categories = Table(
    "partner_need_categories",
    Base.metadata,
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "category_id",
        ForeignKey("need_categories.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Partner(Base):
    """An organisation of the innovation ecosystem (an actor), and the partner that companies
    are referred to: educational institutions, municipal and state services, associations."""

    __tablename__ = "partners"
    __table_args__ = (
        CheckConstraint(one_of("kind", PartnerKind), name="kind"),
        Index("ix_partners_region_id", "region_id"),
        Index("ix_partners_town_id", "town_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Coverage: a town's own service, a whole region, or (both empty) the whole country.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    categories: Mapped[list[NeedCategory]] = relationship(secondary=partner_need_categories)


# --- People who use the app ----------------------------------------------------------------

user_towns = Table(
    "user_towns",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("town_id", ForeignKey("towns.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class User(Timestamped, Base):
    """Someone who signs in: an advisor, project manager, leader or administrator."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", Role), name="role"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
        CheckConstraint("language IN ('fi', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(2), default="fi")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    towns: Mapped[list[Town]] = relationship(secondary=user_towns)


class UserSession(Base):
    """A signed-in browser, remembered by a random token (only its hash is stored)."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=now_utc, server_default=func.now()
    )
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now_utc)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- Companies and the people in them ------------------------------------------------------


class Company(Timestamped, Base):
    """A company in the register, identified by its business ID (Y-tunnus)."""

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(one_of("size_class", SizeClass), name="size_class"),
        CheckConstraint(
            "industry_section IS NULL OR industry_section BETWEEN 'A' AND 'U'",
            name="industry_section",
        ),
        CheckConstraint("staff_count IS NULL OR staff_count >= 0", name="staff_count"),
        Index("ix_companies_town_id", "town_id"),
        # Company -> town without reading the whole row, for the need-fit joins.
        Index("ix_companies_id_town_id", "id", "town_id"),
        Index("ix_companies_industry_section", "industry_section"),
        Index("ix_companies_size_class", "size_class"),
        Index("ix_companies_name_key", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Lower-case, accents folded: what name search compares against.
    name_key: Mapped[str] = mapped_column(String(NAME_MAX))
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    industry_code: Mapped[str | None] = mapped_column(String(5))
    industry_section: Mapped[str | None] = mapped_column(String(1))
    size_class: Mapped[str] = mapped_column(String(10))
    staff_count: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(URL_MAX))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    town: Mapped[Town] = relationship()


class ContactPerson(Timestamped, Base):
    """A person at a company: personal data under the GDPR."""

    __tablename__ = "contact_persons"
    __table_args__ = (
        CheckConstraint(one_of("legal_basis", LegalBasis), name="legal_basis"),
        Index("ix_contact_persons_company_id", "company_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    legal_basis: Mapped[str] = mapped_column(String(30), default=LegalBasis.LEGITIMATE_INTEREST)
    marketing_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- Projects ------------------------------------------------------------------------------

project_towns = Table(
    "project_towns",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("town_id", ForeignKey("towns.id", ondelete="CASCADE"), primary_key=True, index=True),
)

project_need_categories = Table(
    "project_need_categories",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "category_id",
        ForeignKey("need_categories.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Project(Timestamped, Base):
    """A regional-town development project: a regional or a thematic network."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(one_of("kind", ProjectKind), name="kind"),
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint(
            "target_companies IS NULL OR target_companies >= 0", name="target_companies"
        ),
        Index("ix_projects_manager_id", "manager_id"),
        Index("ix_projects_period", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    target_companies: Mapped[int | None] = mapped_column(Integer)

    manager: Mapped[User | None] = relationship()
    towns: Mapped[list[Town]] = relationship(secondary=project_towns)
    categories: Mapped[list[NeedCategory]] = relationship(secondary=project_need_categories)


# --- The work with companies ---------------------------------------------------------------


class Interaction(Timestamped, Base):
    """One logged contact with a company."""

    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint(one_of("channel", Channel), name="channel"),
        Index("ix_interactions_company_id_occurred_on", "company_id", "occurred_on"),
        Index("ix_interactions_advisor_id_occurred_on", "advisor_id", "occurred_on"),
        # Covers the engagement dashboard's period queries without visiting the table.
        Index(
            "ix_interactions_period",
            "occurred_on",
            "company_id",
            "channel",
            "project_id",
        ),
        Index("ix_interactions_channel", "channel"),
        Index("ix_interactions_contact_person_id", "contact_person_id"),
        Index("ix_interactions_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    contact_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_persons.id", ondelete="SET NULL")
    )
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))


class Need(Timestamped, Base):
    """Something a company needs, found in an interaction."""

    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint(one_of("severity", Severity), name="severity"),
        CheckConstraint(one_of("status", NeedStatus), name="status"),
        CheckConstraint("resolved_on IS NULL OR resolved_on >= identified_on", name="resolved"),
        # Both carry every column the need-fit analysis reads, so it never visits the table.
        Index(
            "ix_needs_company_fit",
            "company_id",
            "identified_on",
            "category_id",
            "status",
            "addressed_by_project_id",
        ),
        Index(
            "ix_needs_category_fit",
            "category_id",
            "identified_on",
            "company_id",
            "status",
            "addressed_by_project_id",
        ),
        Index("ix_needs_interaction_id", "interaction_id"),
        Index("ix_needs_status_severity", "status", "severity"),
        Index(
            "ix_needs_period",
            "identified_on",
            "company_id",
            "category_id",
            "status",
            "interaction_id",
            "addressed_by_project_id",
        ),
        Index(
            "ix_needs_resolved", "resolved_on", "status", "company_id", "addressed_by_project_id"
        ),
        Index("ix_needs_addressed_by_project_id", "addressed_by_project_id"),
        Index("ix_needs_addressed_by_partner_id", "addressed_by_partner_id"),
        Index("ix_needs_created_by_id", "created_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("need_categories.id"))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(6), default=Severity.GREEN)
    status: Mapped[str] = mapped_column(String(12), default=NeedStatus.OPEN)
    identified_on: Mapped[dt.date] = mapped_column(Date)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    addressed_by_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL")
    )
    addressed_by_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class FollowUp(Timestamped, Base):
    """A task to come back to a company; overdue when open past its due date."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint(one_of("status", FollowUpStatus), name="status"),
        CheckConstraint("(status = 'done') = (done_on IS NOT NULL)", name="done_on_when_done"),
        Index("ix_follow_ups_owner_id_status_due_on", "owner_id", "status", "due_on"),
        Index("ix_follow_ups_status_due_on", "status", "due_on"),
        Index("ix_follow_ups_company_id", "company_id"),
        Index("ix_follow_ups_interaction_id", "interaction_id"),
        Index("ix_follow_ups_need_id", "need_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=FollowUpStatus.OPEN)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class Referral(Timestamped, Base):
    """A company handed to a partner organisation or a project, with its consent."""

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(one_of("status", ReferralStatus), name="status"),
        CheckConstraint(
            "partner_id IS NOT NULL OR project_id IS NOT NULL", name="partner_or_project"
        ),
        # A referral without the company's consent is never stored.
        CheckConstraint("consent", name="consent"),
        Index("ix_referrals_company_id", "company_id"),
        Index("ix_referrals_need_id", "need_id"),
        Index("ix_referrals_interaction_id", "interaction_id"),
        Index("ix_referrals_partner_id", "partner_id"),
        Index("ix_referrals_project_id", "project_id"),
        Index("ix_referrals_referred_on", "referred_on"),
        Index("ix_referrals_created_by_id", "created_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    consent: Mapped[bool] = mapped_column(Boolean)
    referred_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=ReferralStatus.SENT)
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Participation(Timestamped, Base):
    """A company taking part in a project activity, with its feedback."""

    __tablename__ = "participations"
    __table_args__ = (
        CheckConstraint(one_of("activity_type", ActivityType), name="activity_type"),
        CheckConstraint(one_of("role", ParticipationRole), name="role"),
        CheckConstraint(
            "feedback_score IS NULL OR feedback_score BETWEEN 1 AND 5", name="feedback_score"
        ),
        CheckConstraint(f"need_met IS NULL OR {one_of('need_met', NeedMet)}", name="need_met"),
        Index("ix_participations_project_id_occurred_on", "project_id", "occurred_on"),
        # Covers the per-project participation figures and "did this company take part".
        Index(
            "ix_participations_project_fit",
            "project_id",
            "company_id",
            "role",
            "feedback_score",
            "need_met",
        ),
        Index("ix_participations_company_id", "company_id"),
        Index("ix_participations_need_id", "need_id"),
        # Covers a year's participations by town and project (ecosystem figures, derived ties).
        Index("ix_participations_period", "occurred_on", "company_id", "project_id", "role"),
        Index("ix_participations_role", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    activity_type: Mapped[str] = mapped_column(String(20))
    activity_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(20), default=ParticipationRole.PARTICIPANT)
    feedback_score: Mapped[int | None] = mapped_column(Integer)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    need_met: Mapped[str | None] = mapped_column(String(6))


# --- Innovation ecosystems ----------------------------------------------------------------

partnership_towns = Table(
    "partnership_towns",
    Base.metadata,
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True),
    Column("town_id", ForeignKey("towns.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def _one_of_set(*columns: str) -> str:
    """SQL for a CHECK that exactly one of the columns is filled in."""
    filled = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns)
    return f"{filled} = 1"


class Partnership(Timestamped, Base):
    """Who works with whom: an actor or company with another, or with a project."""

    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint(one_of("kind", PartnershipKind), name="kind"),
        CheckConstraint(_one_of_set("first_partner_id", "first_company_id"), name="first"),
        CheckConstraint(
            _one_of_set("second_partner_id", "second_company_id", "project_id"), name="second"
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
        Index("ix_partnerships_first_partner_id", "first_partner_id"),
        Index("ix_partnerships_first_company_id", "first_company_id"),
        Index("ix_partnerships_second_partner_id", "second_partner_id"),
        Index("ix_partnerships_second_company_id", "second_company_id"),
        Index("ix_partnerships_project_id", "project_id"),
        Index("ix_partnerships_period", "starts_on", "ends_on"),
        Index("ix_partnerships_created_by_id", "created_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    first_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    first_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE")
    )
    second_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    second_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE")
    )
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    towns: Mapped[list[Town]] = relationship(secondary=partnership_towns)


class MaturityAssessment(Timestamped, Base):
    """A town's yearly assessment of its innovation ecosystem: how mature, driven by whom."""

    __tablename__ = "maturity_assessments"
    __table_args__ = (
        UniqueConstraint("town_id", "year", name="uq_maturity_assessments_town_year"),
        CheckConstraint(one_of("maturity", Maturity), name="maturity"),
        CheckConstraint(one_of("driver", EcosystemDriver), name="driver"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        Index("ix_maturity_assessments_year", "year"),
        Index("ix_maturity_assessments_assessed_by_id", "assessed_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    maturity: Mapped[str] = mapped_column(String(12))
    driver: Mapped[str] = mapped_column(String(12))
    rationale: Mapped[str] = mapped_column(Text)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- Audit and settings --------------------------------------------------------------------


class AuditEvent(Base):
    """Who changed what, when: old and new values of the fields that changed."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(one_of("action", AuditAction), name="action"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
        Index("ix_audit_events_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_events_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=now_utc, server_default=func.now()
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Setting(Base):
    """An administrator-editable setting, such as a flag threshold."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=now_utc, server_default=func.now()
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
