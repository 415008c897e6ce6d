"""Reference lists for pickers and filters: regions, towns, need categories, partners, staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Company, NeedCategory, Partner, Project, Region, Town, User
from services.auth import CurrentUser
from services.companies import search_companies
from services.permissions import Action, can


@dataclass(frozen=True)
class Option:
    id: int
    label: str


def regions(session: Session, *, language: str = "fi") -> list[Option]:
    name = Region.name_en if language == "en" else Region.name_fi
    rows = session.execute(select(Region.id, Region.code, name).order_by(Region.code))
    return [Option(id, f"{code} {label}") for id, code, label in rows]


def towns(session: Session, *, regional_only: bool = False) -> list[Option]:
    stmt = select(Town.id, Town.name).order_by(Town.name)
    if regional_only:
        stmt = stmt.where(Town.is_regional_town)
    return [Option(id, name) for id, name in session.execute(stmt)]


def need_categories(session: Session, *, language: str = "fi") -> list[Option]:
    name = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    stmt = (
        select(NeedCategory.id, name)
        .where(NeedCategory.is_active)
        .order_by(NeedCategory.sort_order, NeedCategory.id)
    )
    return [Option(id, label) for id, label in session.execute(stmt)]


def partners(session: Session) -> list[Option]:
    stmt = select(Partner.id, Partner.name).where(Partner.is_active).order_by(Partner.name)
    return [Option(id, name) for id, name in session.execute(stmt)]


def staff(session: Session) -> list[Option]:
    stmt = select(User.id, User.full_name).where(User.is_active).order_by(User.full_name)
    return [Option(id, name) for id, name in session.execute(stmt)]


def editable_towns(session: Session, user: CurrentUser) -> list[Option]:
    """The towns whose companies this user may add or edit."""
    if not can(user, Action.EDIT_COMPANY):
        return []
    options = towns(session)
    if user.role == Role.ADVISOR:
        return [option for option in options if option.id in user.town_ids]
    return options


def projects(
    session: Session, *, active_on: dt.date | None = None, managed_by: int | None = None
) -> list[Option]:
    """Projects by name; only those running on `active_on`, or managed by the user with the id
    `managed_by`, when given."""
    stmt = select(Project.id, Project.name).order_by(Project.name)
    if managed_by is not None:
        stmt = stmt.where(Project.manager_id == managed_by)
    if active_on is not None:
        stmt = stmt.where(Project.starts_on <= active_on, Project.ends_on >= active_on)
    return [Option(id, name) for id, name in session.execute(stmt)]


def company_choices(
    session: Session, user: CurrentUser, *, query: str, include_id: int | None = None
) -> list[Option]:
    """Companies for a picker: up to 20 matches of the query, plus one already chosen."""
    rows = search_companies(session, user, query=query, page_size=20).rows if query else []
    options = [
        Option(row["id"], f"{row['name']} ({row['business_id']}, {row['town']})") for row in rows
    ]
    if include_id is not None and all(option.id != include_id for option in options):
        chosen = session.execute(
            select(Company.name, Company.business_id, Town.name)
            .join(Town, Town.id == Company.town_id)
            .where(Company.id == include_id)
        ).one_or_none()
        if chosen is not None:
            options.insert(0, Option(include_id, f"{chosen[0]} ({chosen[1]}, {chosen[2]})"))
    return options


def company_name(session: Session, company_id: int) -> str:
    return session.scalar(select(Company.name).where(Company.id == company_id)) or ""


def managers(session: Session) -> list[Option]:
    """Active users who can manage a project."""
    stmt = (
        select(User.id, User.full_name)
        .where(User.is_active, User.role.in_([Role.PROJECT_MANAGER, Role.ADMIN]))
        .order_by(User.full_name)
    )
    return [Option(id, name) for id, name in session.execute(stmt)]


def towns_by_region(session: Session) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for town_id, region_id in session.execute(select(Town.id, Town.region_id)):
        grouped.setdefault(region_id, []).append(town_id)
    return grouped
