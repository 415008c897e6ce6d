"""The engagement dashboard: who is contacted, what they need, who takes part, what is met.

Every figure is an aggregate in SQL over the filters: a period, and optionally municipalities,
projects, an industry section and a size class. With projects chosen, only activity linked to
them counts: contacts logged for them, needs found in those contacts or addressed by them, and
participation in them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from db.enums import NeedStatus
from db.models import (
    Company,
    Interaction,
    Need,
    NeedCategory,
    Participation,
    Project,
    Town,
)
from services.auth import CurrentUser
from services.permissions import Action, require


@dataclass(frozen=True)
class EngagementFilters:
    start: dt.date
    end: dt.date
    town_ids: tuple[int, ...] = ()
    project_ids: tuple[int, ...] = ()
    industry_section: str | None = None
    size_class: str | None = None

    def previous(self) -> EngagementFilters:
        """The period of the same length just before this one, with the same other filters."""
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - length, end=end)


def _companies(filters: EngagementFilters, company_id: Any) -> list[ColumnElement[bool]]:
    """The company filters, as a condition on a company-id column (none when unfiltered)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.town_ids:
        conditions.append(Company.town_id.in_(filters.town_ids))
    if filters.industry_section:
        conditions.append(Company.industry_section == filters.industry_section)
    if filters.size_class:
        conditions.append(Company.size_class == filters.size_class)
    if not conditions:
        return []
    return [company_id.in_(select(Company.id).where(*conditions))]


def _interactions(
    filters: EngagementFilters, *, companies: bool = True
) -> list[ColumnElement[bool]]:
    conditions = [Interaction.occurred_on.between(filters.start, filters.end)]
    if filters.project_ids:
        conditions.append(Interaction.project_id.in_(filters.project_ids))
    return conditions + (_companies(filters, Interaction.company_id) if companies else [])


def _needs(filters: EngagementFilters, *, companies: bool = True) -> list[ColumnElement[bool]]:
    conditions = [Need.identified_on.between(filters.start, filters.end)]
    if filters.project_ids:
        conditions.append(_linked_to_projects(filters))
    return conditions + (_companies(filters, Need.company_id) if companies else [])


def _linked_to_projects(filters: EngagementFilters) -> ColumnElement[bool]:
    """A need belongs to the chosen projects when one addressed it or it was found in a
    contact logged for one."""
    found_in_their_contacts = exists().where(
        Interaction.id == Need.interaction_id,
        Interaction.project_id.in_(filters.project_ids),
    )
    return or_(Need.addressed_by_project_id.in_(filters.project_ids), found_in_their_contacts)


def _participations(
    filters: EngagementFilters, *, companies: bool = True
) -> list[ColumnElement[bool]]:
    conditions = [Participation.occurred_on.between(filters.start, filters.end)]
    if filters.project_ids:
        conditions.append(Participation.project_id.in_(filters.project_ids))
    return conditions + (_companies(filters, Participation.company_id) if companies else [])


def _resolved(filters: EngagementFilters, *, companies: bool = True) -> list[ColumnElement[bool]]:
    conditions = [
        Need.resolved_on.between(filters.start, filters.end),
        Need.status.in_((NeedStatus.MET, NeedStatus.NOT_MET)),
    ]
    if filters.project_ids:
        conditions.append(_linked_to_projects(filters))
    return conditions + (_companies(filters, Need.company_id) if companies else [])


def _count_when(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def key_figures(
    session: Session, user: CurrentUser, filters: EngagementFilters
) -> dict[str, float | int | None]:
    """Companies contacted, interactions, needs identified, companies taking part, and the
    share of needs resolved in the period that were met."""
    require(user, Action.VIEW_ENGAGEMENT)
    contacted, interactions = session.execute(
        select(func.count(Interaction.company_id.distinct()), func.count()).where(
            *_interactions(filters)
        )
    ).one()
    needs = session.scalar(select(func.count()).select_from(Need).where(*_needs(filters)))
    participating = session.scalar(
        select(func.count(Participation.company_id.distinct())).where(*_participations(filters))
    )
    met, resolved = session.execute(
        select(_count_when(Need.status == NeedStatus.MET), func.count())
        .select_from(Need)
        .where(*_resolved(filters))
    ).one()
    return {
        "companies_contacted": contacted,
        "interactions": interactions,
        "needs_identified": needs or 0,
        "companies_participating": participating or 0,
        "met_share": met / resolved if resolved else None,
        "needs_resolved": resolved,
        "needs_met": met,
    }


def month_of(session: Session, column: Any) -> Any:
    """The 'YYYY-MM' of a date column, in the database's own dialect."""
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def interactions_by_month(
    session: Session, user: CurrentUser, filters: EngagementFilters
) -> list[dict[str, Any]]:
    require(user, Action.VIEW_ENGAGEMENT)
    month = month_of(session, Interaction.occurred_on).label("month")
    stmt = (
        select(month, Interaction.channel, func.count().label("interactions"))
        .where(*_interactions(filters))
        .group_by(month, Interaction.channel)
        .order_by(month, Interaction.channel)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def needs_by_category(
    session: Session, user: CurrentUser, filters: EngagementFilters, *, language: str = "fi"
) -> list[dict[str, Any]]:
    require(user, Action.VIEW_ENGAGEMENT)
    name = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    stmt = (
        select(
            NeedCategory.code.label("category_code"),
            name.label("category"),
            Need.status,
            func.count().label("needs"),
        )
        .select_from(Need)
        .join(NeedCategory, NeedCategory.id == Need.category_id)
        .where(*_needs(filters))
        .group_by(NeedCategory.code, name, NeedCategory.sort_order, Need.status)
        .order_by(NeedCategory.sort_order, Need.status)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def funnel(session: Session, user: CurrentUser, filters: EngagementFilters) -> list[dict[str, Any]]:
    """Companies contacted in the period, and how many of them went on to each next step."""
    require(user, Action.VIEW_ENGAGEMENT)
    contacted = select(Interaction.company_id).where(*_interactions(filters)).distinct().subquery()
    # The contacted companies already passed the company filters.
    need = exists().where(
        Need.company_id == contacted.c.company_id, *_needs(filters, companies=False)
    )
    took_part = exists().where(
        Participation.company_id == contacted.c.company_id,
        *_participations(filters, companies=False),
    )
    met = exists().where(
        Need.company_id == contacted.c.company_id,
        Need.status == NeedStatus.MET,
        *_resolved(filters, companies=False),
    )
    row = session.execute(
        select(
            func.count(),
            _count_when(need),
            _count_when(and_(need, took_part)),
            _count_when(and_(need, took_part, met)),
        ).select_from(contacted)
    ).one()
    stages = ("contacted", "need_identified", "participated", "need_met")
    return [{"stage": stage, "companies": count} for stage, count in zip(stages, row, strict=True)]


def participation_by_project(
    session: Session, user: CurrentUser, filters: EngagementFilters
) -> list[dict[str, Any]]:
    require(user, Action.VIEW_ENGAGEMENT)
    stmt = (
        select(
            Project.name.label("project"),
            Participation.role,
            func.count().label("participations"),
            func.count(Participation.company_id.distinct()).label("companies"),
        )
        .join(Project, Project.id == Participation.project_id)
        .where(*_participations(filters))
        .group_by(Project.name, Participation.role)
        .order_by(Project.name, Participation.role)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def feedback_distribution(
    session: Session, user: CurrentUser, filters: EngagementFilters
) -> list[dict[str, Any]]:
    require(user, Action.VIEW_ENGAGEMENT)
    stmt = (
        select(Participation.feedback_score.label("score"), func.count().label("participations"))
        .where(*_participations(filters), Participation.feedback_score.is_not(None))
        .group_by(Participation.feedback_score)
        .order_by(Participation.feedback_score)
    )
    counts = {row.score: row.participations for row in session.execute(stmt)}
    return [{"score": score, "participations": counts.get(score, 0)} for score in range(1, 6)]


def town_comparison(
    session: Session, user: CurrentUser, filters: EngagementFilters
) -> list[dict[str, Any]]:
    """Per municipality: companies contacted, contacts, needs, companies taking part, met share."""
    require(user, Action.VIEW_ENGAGEMENT)
    towns: dict[int, dict[str, Any]] = {}

    def row_for(town_id: int, name: str) -> dict[str, Any]:
        return towns.setdefault(
            town_id,
            {
                "town": name,
                "companies_contacted": 0,
                "interactions": 0,
                "needs_identified": 0,
                "companies_participating": 0,
                "needs_met": 0,
                "needs_resolved": 0,
            },
        )

    for town_id, name, contacted, count in session.execute(
        select(Town.id, Town.name, func.count(Interaction.company_id.distinct()), func.count())
        .join(Company, Company.id == Interaction.company_id)
        .join(Town, Town.id == Company.town_id)
        .where(*_interactions(filters))
        .group_by(Town.id, Town.name)
    ):
        row = row_for(town_id, name)
        row["companies_contacted"], row["interactions"] = contacted, count
    for town_id, name, count in session.execute(
        select(Town.id, Town.name, func.count())
        .select_from(Need)
        .join(Company, Company.id == Need.company_id)
        .join(Town, Town.id == Company.town_id)
        .where(*_needs(filters))
        .group_by(Town.id, Town.name)
    ):
        row_for(town_id, name)["needs_identified"] = count
    for town_id, name, count in session.execute(
        select(Town.id, Town.name, func.count(Participation.company_id.distinct()))
        .join(Company, Company.id == Participation.company_id)
        .join(Town, Town.id == Company.town_id)
        .where(*_participations(filters))
        .group_by(Town.id, Town.name)
    ):
        row_for(town_id, name)["companies_participating"] = count
    for town_id, name, met, resolved in session.execute(
        select(Town.id, Town.name, _count_when(Need.status == NeedStatus.MET), func.count())
        .select_from(Need)
        .join(Company, Company.id == Need.company_id)
        .join(Town, Town.id == Company.town_id)
        .where(*_resolved(filters))
        .group_by(Town.id, Town.name)
    ):
        row = row_for(town_id, name)
        row["needs_met"], row["needs_resolved"] = met, resolved
    for row in towns.values():
        row["met_share"] = (
            row["needs_met"] / row["needs_resolved"] if row["needs_resolved"] else None
        )
    return sorted(towns.values(), key=lambda row: row["town"])
