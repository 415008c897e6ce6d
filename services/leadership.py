"""The leadership view: overdue work, how fast needs get a response, in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.enums import FollowUpStatus
from db.models import Company, FollowUp, Need, Referral, Town
from services.auth import CurrentUser
from services.engagement import month_of
from services.permissions import Action, require

# Overdue ageing buckets: (label, fewest days overdue, most days overdue or None).
AGEING_BUCKETS = (("1-7", 1, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("over_90", 91, None))


def overdue_ageing(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    town_ids: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """Open follow-ups past due, by how many days they are late."""
    require(user, Action.VIEW_LEADERSHIP)
    rows = []
    for bucket, fewest, most in AGEING_BUCKETS:
        latest_due = today - dt.timedelta(days=fewest)
        conditions = [FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on <= latest_due]
        if most is not None:
            conditions.append(FollowUp.due_on >= today - dt.timedelta(days=most))
        stmt = select(func.count()).select_from(FollowUp).where(*conditions)
        if town_ids is not None:
            stmt = stmt.join(Company, Company.id == FollowUp.company_id).where(
                Company.town_id.in_(list(town_ids))
            )
        rows.append({"bucket": bucket, "follow_ups": session.scalar(stmt) or 0})
    return rows


def _earlier(session: Session, first: Any, second: Any) -> Any:
    """The earlier of two dates, either of which may be missing."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's two-argument min() is NULL when either is; fill each from the other.
        return func.min(func.coalesce(first, second), func.coalesce(second, first))
    return func.least(first, second)


def _days_between(session: Session, earlier: Any, later: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier


def response_times(
    session: Session,
    user: CurrentUser,
    *,
    start: dt.date,
    end: dt.date,
    town_ids: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """Per town and month of identification: needs, needs with a response, and the median days
    from a need being identified to its first completed follow-up or referral."""
    require(user, Action.VIEW_LEADERSHIP)
    follow_up = (
        select(func.min(FollowUp.done_on))
        .where(FollowUp.need_id == Need.id, FollowUp.status == FollowUpStatus.DONE)
        .scalar_subquery()
    )
    referral = select(func.min(Referral.referred_on)).where(Referral.need_id == Need.id)
    first_response = _earlier(session, follow_up, referral.scalar_subquery())
    month = month_of(session, Need.identified_on)
    conditions = [Need.identified_on.between(start, end)]
    if town_ids is not None:
        conditions.append(Company.town_id.in_(list(town_ids)))
    needs = (
        select(
            Town.id.label("town_id"),
            Town.name.label("town"),
            month.label("month"),
            _days_between(session, Need.identified_on, first_response).label("days"),
        )
        .select_from(Need)
        .join(Company, Company.id == Need.company_id)
        .join(Town, Town.id == Company.town_id)
        .where(*conditions)
        .subquery()
    )
    counts = {
        (row.town_id, row.month): row
        for row in session.execute(
            select(
                needs.c.town_id,
                needs.c.town,
                needs.c.month,
                func.count().label("needs"),
                func.count(needs.c.days).label("responded"),
            ).group_by(needs.c.town_id, needs.c.town, needs.c.month)
        )
    }
    answered = select(needs).where(needs.c.days.is_not(None)).subquery()
    ranked = select(
        answered.c.town_id,
        answered.c.month,
        answered.c.days,
        func.row_number()
        .over(partition_by=(answered.c.town_id, answered.c.month), order_by=answered.c.days)
        .label("position"),
        func.count().over(partition_by=(answered.c.town_id, answered.c.month)).label("size"),
    ).subquery()
    # The middle row, or the two middle rows when there are an even number of them.
    middle = and_(
        ranked.c.position >= (ranked.c.size + 1) // 2,
        ranked.c.position <= (ranked.c.size + 2) // 2,
    )
    medians = {
        (row.town_id, row.month): float(row.median)
        for row in session.execute(
            select(ranked.c.town_id, ranked.c.month, func.avg(ranked.c.days).label("median"))
            .where(middle)
            .group_by(ranked.c.town_id, ranked.c.month)
        )
    }
    return [
        {
            "town": row.town,
            "month": row.month,
            "needs": row.needs,
            "responded": row.responded,
            "median_days": medians.get(key),
        }
        for key, row in sorted(counts.items(), key=lambda item: (item[1].town, item[1].month))
    ]
