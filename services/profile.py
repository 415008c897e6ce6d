"""A company's whole story: facts, open work, one timeline, and who else is in contact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from db.enums import FollowUpStatus, NeedStatus
from db.models import (
    Company,
    FollowUp,
    Interaction,
    Need,
    NeedCategory,
    Participation,
    Partner,
    Project,
    Referral,
    Region,
    Town,
    User,
    user_towns,
)
from services.auth import CurrentUser
from services.errors import NotFound
from services.paging import Page, paginate
from services.permissions import Action, can_in_town, require

OPEN_NEEDS = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)
WHO_ELSE_WINDOW = dt.timedelta(days=365)


def company_facts(session: Session, user: CurrentUser, company_id: int) -> dict[str, Any]:
    """The company's basic record, and whether this user may edit it."""
    require(user, Action.VIEW_REGISTER)
    row = session.execute(
        select(
            Company.id,
            Company.business_id,
            Company.name,
            Company.town_id,
            Town.name.label("town"),
            Region.name_fi.label("region_fi"),
            Region.name_en.label("region_en"),
            Company.industry_code,
            Company.industry_section,
            Company.size_class,
            Company.staff_count,
            Company.website,
            Company.is_active,
        )
        .join(Town, Town.id == Company.town_id)
        .join(Region, Region.id == Town.region_id)
        .where(Company.id == company_id)
    ).one_or_none()
    if row is None:
        raise NotFound("error.company.not_found", id=company_id)
    facts = dict(row._mapping)
    facts["can_edit"] = can_in_town(user, Action.EDIT_COMPANY, row.town_id)
    return facts


def open_needs(
    session: Session, user: CurrentUser, company_id: int, *, language: str = "fi"
) -> list[dict[str, Any]]:
    require(user, Action.VIEW_REGISTER)
    category = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    stmt = (
        select(
            Need.id,
            Need.identified_on,
            category.label("category"),
            Need.severity,
            Need.status,
            Need.description,
        )
        .join(NeedCategory, NeedCategory.id == Need.category_id)
        .where(Need.company_id == company_id, Need.status.in_(OPEN_NEEDS))
        .order_by(Need.severity == "green", Need.severity == "yellow", Need.identified_on.desc())
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def open_follow_ups(
    session: Session, user: CurrentUser, company_id: int, *, today: dt.date
) -> list[dict[str, Any]]:
    require(user, Action.VIEW_REGISTER)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.due_on,
            (FollowUp.due_on < today).label("overdue"),
            FollowUp.description,
            User.full_name.label("owner"),
        )
        .join(User, User.id == FollowUp.owner_id)
        .where(FollowUp.company_id == company_id, FollowUp.status == FollowUpStatus.OPEN)
        .order_by(FollowUp.due_on)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def timeline(
    session: Session,
    user: CurrentUser,
    company_id: int,
    *,
    language: str = "fi",
    page: int = 1,
    page_size: int = 25,
) -> Page:
    """Interactions, needs, follow-ups, referrals and participations, newest first."""
    require(user, Action.VIEW_REGISTER)
    category = NeedCategory.name_en if language == "en" else NeedCategory.name_fi

    def text(column: Any) -> Any:
        return cast(column, String)

    interactions = (
        select(
            literal("interaction").label("kind"),
            Interaction.id.label("item_id"),
            Interaction.occurred_on.label("on"),
            text(Interaction.channel).label("detail"),
            Interaction.summary.label("text"),
            User.full_name.label("who"),
        )
        .join(User, User.id == Interaction.advisor_id)
        .where(Interaction.company_id == company_id)
    )
    needs = (
        select(
            literal("need"),
            Need.id,
            Need.identified_on,
            text(category),
            Need.description,
            text(Need.severity),
        )
        .join(NeedCategory, NeedCategory.id == Need.category_id)
        .where(Need.company_id == company_id)
    )
    follow_ups = (
        select(
            literal("follow_up"),
            FollowUp.id,
            FollowUp.due_on,
            text(FollowUp.status),
            FollowUp.description,
            User.full_name,
        )
        .join(User, User.id == FollowUp.owner_id)
        .where(FollowUp.company_id == company_id)
    )
    referrals = (
        select(
            literal("referral"),
            Referral.id,
            Referral.referred_on,
            func.coalesce(Partner.name, Project.name),
            Referral.note,
            text(Referral.status),
        )
        .outerjoin(Partner, Partner.id == Referral.partner_id)
        .outerjoin(Project, Project.id == Referral.project_id)
        .where(Referral.company_id == company_id)
    )
    participations = (
        select(
            literal("participation"),
            Participation.id,
            Participation.occurred_on,
            Project.name,
            Participation.activity_name,
            text(Participation.role),
        )
        .join(Project, Project.id == Participation.project_id)
        .where(Participation.company_id == company_id)
    )
    events = union_all(interactions, needs, follow_ups, referrals, participations).subquery()
    stmt = select(events).order_by(events.c.on.desc(), events.c.kind, events.c.item_id.desc())
    return paginate(session, stmt, page=page, page_size=page_size)


def who_else_in_contact(
    session: Session, user: CurrentUser, company_id: int, *, today: dt.date
) -> list[dict[str, Any]]:
    """Other advisors, and their home towns' organisations, in contact in the last 12 months."""
    require(user, Action.VIEW_REGISTER)
    stmt = (
        select(
            User.id,
            User.full_name.label("advisor"),
            func.count(Interaction.id).label("contacts"),
            func.max(Interaction.occurred_on).label("last_contact"),
        )
        .join(User, User.id == Interaction.advisor_id)
        .where(
            Interaction.company_id == company_id,
            Interaction.occurred_on >= today - WHO_ELSE_WINDOW,
            Interaction.advisor_id != user.id,
        )
        .group_by(User.id, User.full_name)
        .order_by(func.max(Interaction.occurred_on).desc())
    )
    rows = [dict(row) for row in session.execute(stmt).mappings()]
    towns = _home_towns(session, [row["id"] for row in rows])
    for row in rows:
        row["towns"] = ", ".join(towns.get(row["id"], []))
    return rows


def _home_towns(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for user_id, name in session.execute(
        select(user_towns.c.user_id, Town.name)
        .join(Town, Town.id == user_towns.c.town_id)
        .where(user_towns.c.user_id.in_(user_ids))
        .order_by(Town.name)
    ):
        names.setdefault(user_id, []).append(name)
    return names
