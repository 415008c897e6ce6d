"""Logged contacts with companies: listing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Company, Interaction, Project, Town, User
from services.auth import CurrentUser
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require


def list_interactions(
    session: Session,
    user: CurrentUser,
    *,
    advisor_id: int | None = None,
    channel: str | None = None,
    since: dt.date | None = None,
    town_id: int | None = None,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Contacts matching the filters, newest first."""
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)  # a download of the whole list
    stmt = (
        select(
            Interaction.id,
            Interaction.occurred_on,
            Company.id.label("company_id"),
            Company.name.label("company"),
            Town.name.label("town"),
            Interaction.channel,
            Interaction.summary,
            User.full_name.label("advisor"),
            Project.name.label("project"),
        )
        .join(Company, Company.id == Interaction.company_id)
        .join(Town, Town.id == Company.town_id)
        .join(User, User.id == Interaction.advisor_id)
        .outerjoin(Project, Project.id == Interaction.project_id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
    )
    if advisor_id is not None:
        stmt = stmt.where(Interaction.advisor_id == advisor_id)
    if channel:
        stmt = stmt.where(Interaction.channel == channel)
    if since is not None:
        stmt = stmt.where(Interaction.occurred_on >= since)
    if town_id is not None:
        stmt = stmt.where(Company.town_id == town_id)
    return paginate(session, stmt, page=page, page_size=page_size)
