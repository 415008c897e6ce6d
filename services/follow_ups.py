"""Follow-ups: what is due, what is overdue, and whose it is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from db.enums import FollowUpStatus
from db.models import Company, FollowUp, Town, User
from services.auth import CurrentUser
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require


def list_follow_ups(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    owner_id: int | None = None,
    status: str | None = FollowUpStatus.OPEN,
    overdue_only: bool = False,
    town_id: int | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Follow-ups matching the filters: overdue first, then by due date."""
    require(user, Action.VIEW_REGISTER)
    overdue = (FollowUp.status == FollowUpStatus.OPEN) & (FollowUp.due_on < today)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.due_on,
            case((overdue, True), else_=False).label("overdue"),
            Company.id.label("company_id"),
            Company.name.label("company"),
            Town.name.label("town"),
            FollowUp.description,
            User.full_name.label("owner"),
            FollowUp.status,
            FollowUp.done_on,
        )
        .join(Company, Company.id == FollowUp.company_id)
        .join(Town, Town.id == Company.town_id)
        .join(User, User.id == FollowUp.owner_id)
        .order_by(case((overdue, 0), else_=1), FollowUp.due_on, FollowUp.id)
    )
    if owner_id is not None:
        stmt = stmt.where(FollowUp.owner_id == owner_id)
    if status:
        stmt = stmt.where(FollowUp.status == status)
    if overdue_only:
        stmt = stmt.where(overdue)
    if town_id is not None:
        stmt = stmt.where(Company.town_id == town_id)
    return paginate(session, stmt, page=page, page_size=page_size)
