"""Reference lists for pickers and filters: regions, towns, need categories, partners, staff."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import NeedCategory, Partner, Region, Town, User


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
