"""Projects: listing with their reach so far."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Participation, Project, Town, User, project_towns
from services.auth import CurrentUser
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require


def list_projects(
    session: Session,
    user: CurrentUser,
    *,
    kind: str | None = None,
    active_on: dt.date | None = None,
    town_id: int | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Projects with their manager, towns and participation so far, newest first."""
    require(user, Action.VIEW_REGISTER)
    reach = (
        select(
            Participation.project_id,
            func.count().label("participations"),
            func.count(Participation.company_id.distinct()).label("companies"),
            func.avg(Participation.feedback_score).label("mean_feedback"),
        )
        .group_by(Participation.project_id)
        .subquery()
    )
    stmt = (
        select(
            Project.id,
            Project.name,
            Project.kind,
            Project.starts_on,
            Project.ends_on,
            User.full_name.label("manager"),
            Project.target_companies,
            func.coalesce(reach.c.companies, 0).label("companies"),
            func.coalesce(reach.c.participations, 0).label("participations"),
            reach.c.mean_feedback,
        )
        .outerjoin(User, User.id == Project.manager_id)
        .outerjoin(reach, reach.c.project_id == Project.id)
        .order_by(Project.starts_on.desc(), Project.name)
    )
    if kind:
        stmt = stmt.where(Project.kind == kind)
    if active_on is not None:
        stmt = stmt.where(Project.starts_on <= active_on, Project.ends_on >= active_on)
    if town_id is not None:
        stmt = stmt.where(
            Project.id.in_(
                select(project_towns.c.project_id).where(project_towns.c.town_id == town_id)
            )
        )
    result = paginate(session, stmt, page=page, page_size=page_size)
    names = _town_names(session, [row["id"] for row in result.rows])
    for row in result.rows:
        row["towns"] = ", ".join(names.get(row["id"], []))
        if row["mean_feedback"] is not None:
            row["mean_feedback"] = float(row["mean_feedback"])
    return result


def _town_names(session: Session, project_ids: list[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(project_towns.c.project_id, Town.name)
        .join(Town, Town.id == project_towns.c.town_id)
        .where(project_towns.c.project_id.in_(project_ids))
        .order_by(Town.name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for project_id, name in rows:
        names[project_id].append(name)
    return names
