"""The company register: search and listing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from db.enums import TOL_SECTIONS, NeedStatus, SizeClass, size_class_for_staff
from db.models import NAME_MAX, URL_MAX, Company, Need, Town
from services.audit import audited
from services.auth import CurrentUser
from services.errors import DuplicateBusinessId, NotFound, ValidationError
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require, require_town
from services.validation import clean_text, normalise_business_id, search_key

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
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Companies matching a name fragment or business ID and the filters, by name."""
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)  # a download of the whole list
    stmt = _company_query(
        session,
        query=query,
        town_id=town_id,
        industry_section=industry_section,
        size_class=size_class,
        has_open_needs=has_open_needs,
    )
    # Counted on the companies alone: with the join the planner walks towns first, slowly.
    count = select(func.count()).select_from(Company)
    if stmt.whereclause is not None:
        count = count.where(stmt.whereclause)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def export_companies(
    session: Session,
    user: CurrentUser,
    *,
    query: str = "",
    town_id: int | None = None,
    industry_section: str | None = None,
    size_class: str | None = None,
) -> list[dict[str, object]]:
    """Every company matching the filters, for a download: every field an import reads."""
    require(user, Action.EXPORT)
    stmt = _company_query(
        session,
        query=query,
        town_id=town_id,
        industry_section=industry_section,
        size_class=size_class,
    ).add_columns(Company.industry_code, Company.website)
    return [dict(row) for row in session.execute(stmt).mappings()]


def _company_query(
    session: Session,
    *,
    query: str,
    town_id: int | None,
    industry_section: str | None,
    size_class: str | None,
    has_open_needs: bool = False,
) -> Select[Any]:
    stmt = select(
        Company.id,
        Company.business_id,
        Company.name,
        Town.name.label("town"),
        Company.industry_section,
        Company.size_class,
        Company.staff_count,
        Company.is_active,
    ).join(Town, Town.id == Company.town_id)
    text = query.strip()
    digits = re.sub(r"[ -]", "", text)
    if re.fullmatch(r"[0-9]{1,8}", digits):
        stmt = stmt.where(_business_id_prefix(digits))
    elif text:
        key = search_key(text)
        name_matches = Company.name_key.contains(key, autoescape=True)
        towns = _towns_named(session, key)
        if towns:
            # Typing a town's name also finds the companies of that town.
            stmt = stmt.where(or_(name_matches, Company.town_id.in_(towns)))
        else:
            stmt = stmt.where(name_matches)
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
    return stmt.order_by(Company.name_key, Company.id)


def _business_id_prefix(digits: str) -> ColumnElement[bool]:
    """Business IDs starting with these digits, as a range the unique index answers."""
    if len(digits) == 8:
        return Company.business_id == f"{digits[:7]}-{digits[7]}"
    # The smallest string after every ID with this prefix: its last digit plus one (9 -> ':').
    after = digits[:-1] + chr(ord(digits[-1]) + 1)
    return (Company.business_id >= digits) & (Company.business_id < after)


def _towns_named(session: Session, key: str) -> list[int]:
    towns = session.execute(select(Town.id, Town.name)).all()
    return [town_id for town_id, name in towns if search_key(name) == key]


@dataclass(frozen=True)
class CompanyInput:
    """What a company form or an import row says about a company."""

    business_id: str
    name: str
    town_id: int
    industry_code: str | None = None
    industry_section: str | None = None
    staff_count: int | None = None
    size_class: str | None = None
    website: str | None = None
    is_active: bool = True


@audited
def create_company(session: Session, user: CurrentUser, data: CompanyInput) -> Company:
    """Add a company to the register after validating every field."""
    require_town(user, Action.EDIT_COMPANY, data.town_id)
    values = validated_company(session, data)
    ensure_unique_business_id(session, values["business_id"])
    company = Company(**values)
    session.add(company)
    session.flush()
    return company


@audited
def update_company(
    session: Session, user: CurrentUser, company_id: int, data: CompanyInput
) -> Company:
    """Change a company's facts; advisors only for companies of their home towns."""
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(entity="company", id=company_id)
    require_town(user, Action.EDIT_COMPANY, company.town_id)
    require_town(user, Action.EDIT_COMPANY, data.town_id)
    values = validated_company(session, data)
    if values["business_id"] != company.business_id:
        ensure_unique_business_id(session, values["business_id"])
    for key, value in values.items():
        setattr(company, key, value)
    company.updated_at = dt.datetime.now(dt.UTC)
    session.flush()
    return company


def ensure_unique_business_id(session: Session, business_id: str) -> None:
    holder = session.scalar(select(Company.id).where(Company.business_id == business_id))
    if holder is not None:
        raise DuplicateBusinessId(field="business_id", value=business_id, company_id=holder)


def validated_company(session: Session, data: CompanyInput) -> dict[str, Any]:
    """The company's fields, cleaned; raises ValidationError on the first bad one."""
    name = clean_text(data.name, field="name", max_length=NAME_MAX, required=True)
    assert name is not None
    if session.get(Town, data.town_id) is None:
        raise ValidationError("error.town.unknown", field="town_id")
    code = clean_text(data.industry_code, field="industry_code", max_length=5)
    if code is not None and not re.fullmatch(r"[0-9]{2,5}", code):
        raise ValidationError("error.industry_code.invalid", field="industry_code", value=code)
    section = (data.industry_section or "").strip().upper() or None
    if section is not None and section not in TOL_SECTIONS:
        raise ValidationError("error.industry_section.invalid", field="industry_section")
    staff = data.staff_count
    if staff is not None and not 0 <= staff <= 1_000_000:
        raise ValidationError("error.staff_count.invalid", field="staff_count")
    size_class = data.size_class or (size_class_for_staff(staff) if staff is not None else None)
    if size_class not in set(SizeClass):
        raise ValidationError("error.size_class.required", field="size_class")
    website = clean_text(data.website, field="website", max_length=URL_MAX)
    if website is not None and not re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?", website):
        raise ValidationError("error.website.invalid", field="website", value=website)
    return {
        "business_id": normalise_business_id(data.business_id),
        "name": name,
        "name_key": search_key(name),
        "town_id": data.town_id,
        "industry_code": code,
        "industry_section": section,
        "staff_count": staff,
        "size_class": size_class,
        "website": website,
        "is_active": data.is_active,
    }
