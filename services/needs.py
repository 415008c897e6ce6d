"""Company needs: listing with filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Company, Need, NeedCategory, Project, Town
from services.auth import CurrentUser
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require

SEVERITY_ORDER = {"red": 0, "yellow": 1, "green": 2}


def list_needs(
    session: Session,
    user: CurrentUser,
    *,
    language: str = "fi",
    town_id: int | None = None,
    town_ids: Collection[int] | None = None,
    category_id: int | None = None,
    severity: str | None = None,
    status: str | None = None,
    identified_since: dt.date | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Needs matching the filters, newest first."""
    require(user, Action.VIEW_REGISTER)
    category = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    stmt = (
        select(
            Need.id,
            Need.identified_on,
            Company.id.label("company_id"),
            Company.name.label("company"),
            Town.name.label("town"),
            category.label("category"),
            Need.severity,
            Need.status,
            Need.description,
            Project.name.label("addressed_by_project"),
            Need.resolved_on,
        )
        .join(Company, Company.id == Need.company_id)
        .join(Town, Town.id == Company.town_id)
        .join(NeedCategory, NeedCategory.id == Need.category_id)
        .outerjoin(Project, Project.id == Need.addressed_by_project_id)
        .order_by(Need.identified_on.desc(), Need.id.desc())
    )
    if town_id is not None:
        stmt = stmt.where(Company.town_id == town_id)
    if town_ids is not None:
        stmt = stmt.where(Company.town_id.in_(list(town_ids)))
    if category_id is not None:
        stmt = stmt.where(Need.category_id == category_id)
    if severity:
        stmt = stmt.where(Need.severity == severity)
    if status:
        stmt = stmt.where(Need.status == status)
    if identified_since is not None:
        stmt = stmt.where(Need.identified_on >= identified_since)
    return paginate(session, stmt, page=page, page_size=page_size)
