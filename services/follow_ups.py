"""Follow-ups: what is due, what is overdue, and whose it is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from db.enums import FollowUpStatus
from db.models import Company, FollowUp, Town, User
from services.audit import audited
from services.auth import CurrentUser
from services.errors import NotFound, ValidationError
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require, require_town

DUE_SOON_DAYS = 7


def list_follow_ups(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    owner_id: int | None = None,
    status: str | None = FollowUpStatus.OPEN,
    overdue_only: bool = False,
    town_id: int | None = None,
    due_by: dt.date | None = None,
    by_owner: bool = False,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Follow-ups matching the filters: overdue first, then due this week, then later.

    With `by_owner` they are grouped by owner first.
    """
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)  # a download of the whole list
    is_open = FollowUp.status == FollowUpStatus.OPEN
    overdue = is_open & (FollowUp.due_on < today)
    bucket = case(
        (overdue, "overdue"),
        (is_open & (FollowUp.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS)), "this_week"),
        (is_open, "later"),
        else_="closed",
    )
    order = [case((overdue, 0), else_=1), FollowUp.due_on, FollowUp.id]
    if by_owner:
        order.insert(0, User.full_name)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.due_on,
            case((overdue, True), else_=False).label("overdue"),
            bucket.label("bucket"),
            Company.id.label("company_id"),
            Company.name.label("company"),
            Town.name.label("town"),
            FollowUp.description,
            User.full_name.label("owner"),
            FollowUp.status,
            FollowUp.done_on,
            FollowUp.owner_id,
            Company.town_id,
        )
        .join(Company, Company.id == FollowUp.company_id)
        .join(Town, Town.id == Company.town_id)
        .join(User, User.id == FollowUp.owner_id)
        .order_by(*order)
    )
    if owner_id is not None:
        stmt = stmt.where(FollowUp.owner_id == owner_id)
    if status:
        stmt = stmt.where(FollowUp.status == status)
    if overdue_only:
        stmt = stmt.where(overdue)
    if town_id is not None:
        stmt = stmt.where(Company.town_id == town_id)
    if due_by is not None:
        stmt = stmt.where(FollowUp.due_on <= due_by)
    return paginate(session, stmt, page=page, page_size=page_size)


@audited
def complete_follow_up(
    session: Session, user: CurrentUser, follow_up_id: int, *, today: dt.date
) -> FollowUp:
    """Mark an open follow-up done today."""
    follow_up = _editable(session, user, follow_up_id)
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_on = today
    session.flush()
    return follow_up


@audited
def cancel_follow_up(session: Session, user: CurrentUser, follow_up_id: int) -> FollowUp:
    follow_up = _editable(session, user, follow_up_id)
    follow_up.status = FollowUpStatus.CANCELLED
    session.flush()
    return follow_up


@audited
def reschedule_follow_up(
    session: Session, user: CurrentUser, follow_up_id: int, *, due_on: dt.date, today: dt.date
) -> FollowUp:
    """Move an open follow-up's due date; never into the past."""
    follow_up = _editable(session, user, follow_up_id)
    if due_on < today:
        raise ValidationError("error.follow_up.due_in_past", field="due_on")
    follow_up.due_on = due_on
    session.flush()
    return follow_up


@audited
def reassign_follow_up(
    session: Session, user: CurrentUser, follow_up_id: int, *, owner_id: int
) -> FollowUp:
    """Hand an open follow-up to another active user."""
    follow_up = _editable(session, user, follow_up_id)
    owner = session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise ValidationError("error.follow_up.owner", field="owner")
    follow_up.owner_id = owner_id
    session.flush()
    return follow_up


def _editable(session: Session, user: CurrentUser, follow_up_id: int) -> FollowUp:
    """An open follow-up this user may change: their own, or one of a company they may edit."""
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound("error.follow_up.not_found", id=follow_up_id)
    if follow_up.owner_id != user.id:
        company = session.get(Company, follow_up.company_id)
        assert company is not None
        require_town(user, Action.EDIT_COMPANY, company.town_id)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError("error.follow_up.not_open", field="status")
    return follow_up
