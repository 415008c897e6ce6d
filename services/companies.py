"""The company register: search and listing."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from db.enums import NeedStatus
from db.models import Company, Need, Town
from services.auth import CurrentUser
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require
from services.validation import search_key

OPEN_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)


def search_companies(
    session: Session,
    user: CurrentUser,
    *,
    query: str = "",
    town_id: int | None = None,
    industry_section: str | None = None,
    size_class: str | None = None,
    has_open_needs: bool = False,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Companies matching a name fragment or business ID and the filters, by name."""
    require(user, Action.VIEW_REGISTER)
    stmt = _company_query(
        query=query,
        town_id=town_id,
        industry_section=industry_section,
        size_class=size_class,
        has_open_needs=has_open_needs,
    )
    return paginate(session, stmt, page=page, page_size=page_size)


def export_companies(
    session: Session,
    user: CurrentUser,
    *,
    query: str = "",
    town_id: int | None = None,
    industry_section: str | None = None,
    size_class: str | None = None,
) -> list[dict[str, object]]:
    """Every company matching the filters, for a download."""
    require(user, Action.EXPORT)
    stmt = _company_query(
        query=query, town_id=town_id, industry_section=industry_section, size_class=size_class
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def _company_query(
    *,
    query: str,
    town_id: int | None,
    industry_section: str | None,
    size_class: str | None,
    has_open_needs: bool = False,
) -> Select[Any]:
    stmt = (
        select(
            Company.id,
            Company.business_id,
            Company.name,
            Town.name.label("town"),
            Company.industry_section,
            Company.size_class,
            Company.staff_count,
            Company.is_active,
        )
        .join(Town, Town.id == Company.town_id)
        .order_by(Company.name_key, Company.id)
    )
    text = query.strip()
    if text:
        digits = re.sub(r"[\s-]", "", text)
        conditions = [Company.name_key.contains(search_key(text), autoescape=True)]
        if digits.isdigit():
            business_id = f"{digits[:7]}-{digits[7:]}" if len(digits) > 7 else digits
            conditions.append(Company.business_id.startswith(business_id, autoescape=True))
        stmt = stmt.where(or_(*conditions))
    if town_id is not None:
        stmt = stmt.where(Company.town_id == town_id)
    if industry_section:
        stmt = stmt.where(Company.industry_section == industry_section)
    if size_class:
        stmt = stmt.where(Company.size_class == size_class)
    if has_open_needs:
        stmt = stmt.where(
            exists().where(Need.company_id == Company.id, Need.status.in_(OPEN_NEED_STATUSES))
        )
    return stmt
