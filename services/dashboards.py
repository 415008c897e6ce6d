"""Aggregates for the engagement and leadership dashboards, computed in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.enums import FollowUpStatus, ParticipationRole
from db.models import Company, FollowUp, Participation, Project, Town, User
from services.auth import CurrentUser
from services.permissions import Action, require


def engagement_by_project(
    session: Session,
    user: CurrentUser,
    *,
    start: dt.date,
    end: dt.date,
    town_id: int | None = None,
    project_id: int | None = None,
) -> list[dict[str, Any]]:
    """Per project: companies taking part, participations, feedback and company-driven share."""
    require(user, Action.VIEW_ENGAGEMENT)
    co_developer = case((Participation.role == ParticipationRole.CO_DEVELOPER, 1), else_=0)
    stmt = (
        select(
            Project.id,
            Project.name.label("project"),
            func.count(Participation.company_id.distinct()).label("companies"),
            func.count().label("participations"),
            func.avg(Participation.feedback_score).label("mean_feedback"),
            (func.sum(co_developer) * 1.0 / func.count()).label("company_driven_share"),
        )
        .join(Participation, Participation.project_id == Project.id)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.occurred_on.between(start, end))
        .group_by(Project.id, Project.name)
        .order_by(func.count(Participation.company_id.distinct()).desc(), Project.name)
    )
    if town_id is not None:
        stmt = stmt.where(Company.town_id == town_id)
    if project_id is not None:
        stmt = stmt.where(Project.id == project_id)
    return [_floats(row) for row in session.execute(stmt).mappings()]


def follow_up_status_by_town(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    region_id: int | None = None,
    due_since: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Per town: follow-ups open, overdue, done and cancelled."""
    require(user, Action.VIEW_LEADERSHIP)
    stmt = _status_counts(select(Town.id, Town.name.label("town")), today).join(
        Company, Company.id == FollowUp.company_id
    )
    stmt = stmt.join(Town, Town.id == Company.town_id).group_by(Town.id, Town.name)
    if region_id is not None:
        stmt = stmt.where(Town.region_id == region_id)
    if due_since is not None:
        stmt = stmt.where(FollowUp.due_on >= due_since)
    stmt = stmt.order_by(Town.name)
    return [dict(row) for row in session.execute(stmt).mappings()]


def follow_up_status_by_owner(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    due_since: dt.date | None = None,
    region_id: int | None = None,
) -> list[dict[str, Any]]:
    """Per owner: follow-ups open, overdue, done and cancelled (of companies in the region)."""
    require(user, Action.VIEW_LEADERSHIP)
    stmt = _status_counts(select(User.id, User.full_name.label("owner")), today)
    stmt = stmt.join(User, User.id == FollowUp.owner_id).group_by(User.id, User.full_name)
    if region_id is not None:
        stmt = stmt.join(Company, Company.id == FollowUp.company_id).join(
            Town, Town.id == Company.town_id
        )
        stmt = stmt.where(Town.region_id == region_id)
    if due_since is not None:
        stmt = stmt.where(FollowUp.due_on >= due_since)
    return [dict(row) for row in session.execute(stmt.order_by(User.full_name)).mappings()]


def _status_counts(stmt, today: dt.date):  # type: ignore[no-untyped-def]
    def count_when(condition):  # type: ignore[no-untyped-def]
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    is_open = FollowUp.status == FollowUpStatus.OPEN
    return stmt.select_from(FollowUp).add_columns(
        count_when(is_open).label("open"),
        count_when(is_open & (FollowUp.due_on < today)).label("overdue"),
        count_when(FollowUp.status == FollowUpStatus.DONE).label("done"),
        count_when(FollowUp.status == FollowUpStatus.CANCELLED).label("cancelled"),
    )


def _floats(row: Any) -> dict[str, Any]:
    # Averages come back as Decimal on PostgreSQL; the pages want plain floats.
    return {
        key: float(value) if hasattr(value, "as_tuple") else value for key, value in row.items()
    }
