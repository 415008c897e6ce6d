"""Small builders for a hand-made world of ORM rows. Each adds its row and flushes for an id."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from functools import cache

from sqlalchemy.orm import Session

from db.enums import (
    ActivityType,
    Channel,
    FollowUpStatus,
    NeedStatus,
    ParticipationRole,
    ProjectKind,
    Role,
    Severity,
    size_class_for_staff,
)
from db.models import (
    Company,
    FollowUp,
    Interaction,
    Need,
    NeedCategory,
    Participation,
    Project,
    Region,
    Town,
    User,
)
from services.auth import CurrentUser, current_user, hash_password
from services.validation import business_id_check_digit, search_key

PASSWORD = "oikea-salasana-123"

_numbers = itertools.count(1)


@cache
def password_hash(password: str = PASSWORD) -> str:
    """An argon2id hash, made once per password per test run: hashing is slow on purpose."""
    return hash_password(password)


def valid_business_id(base: int) -> str:
    """The first valid business ID at or after the seven-digit base."""
    while True:
        digits = f"{base:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"
        base += 1


def _unique() -> int:
    return next(_numbers)


def _add(session: Session, row):  # type: ignore[no-untyped-def]
    session.add(row)
    session.flush()
    return row


def region(session: Session, *, code: str = "05", name: str = "Kanta-Häme") -> Region:
    return _add(session, Region(code=code, name_fi=name, name_en=name))


def town(session: Session, name: str, *, region: Region, regional: bool = True) -> Town:
    return _add(session, Town(name=name, region_id=region.id, is_regional_town=regional))


def category(session: Session, code: str, *, sort_order: int = 0) -> NeedCategory:
    return _add(
        session,
        NeedCategory(code=code, name_fi=f"{code} fi", name_en=f"{code} en", sort_order=sort_order),
    )


def user(
    session: Session,
    *,
    role: Role,
    username: str | None = None,
    full_name: str | None = None,
    towns: Iterable[Town] = (),
    password: str = PASSWORD,
    is_active: bool = True,
) -> User:
    number = _unique()
    username = username or f"{role.value}{number}"
    return _add(
        session,
        User(
            username=username,
            full_name=full_name or f"Testi {username.capitalize()}",
            email=f"{username}@example.fi",
            role=role,
            password_hash=password_hash(password),
            is_active=is_active,
            towns=list(towns),
        ),
    )


def signed_in(session: Session, row: User) -> CurrentUser:
    """The user as the services see them after signing in."""
    found = current_user(session, row.id)
    assert found is not None
    return found


def acting(role: Role, *, town_ids: Iterable[int] = (), user_id: int = 1) -> CurrentUser:
    """A CurrentUser without a database row, for rules that look only at role and towns."""
    return CurrentUser(
        id=user_id,
        username=role.value,
        full_name=f"Testi {role.value}",
        role=role,
        town_ids=frozenset(town_ids),
    )


def company(
    session: Session,
    name: str,
    *,
    town: Town,
    business_id: str | None = None,
    industry_section: str | None = "C",
    staff_count: int = 5,
    is_active: bool = True,
) -> Company:
    return _add(
        session,
        Company(
            business_id=business_id or valid_business_id(3_000_000 + _unique() * 17),
            name=name,
            name_key=search_key(name),
            town_id=town.id,
            industry_code=None,
            industry_section=industry_section,
            size_class=size_class_for_staff(staff_count),
            staff_count=staff_count,
            is_active=is_active,
        ),
    )


def interaction(
    session: Session,
    *,
    company: Company,
    advisor: User,
    occurred_on: dt.date,
    channel: Channel = Channel.VISIT,
    project: Project | None = None,
    summary: str = "Yrityskäynti",
) -> Interaction:
    return _add(
        session,
        Interaction(
            company_id=company.id,
            advisor_id=advisor.id,
            occurred_on=occurred_on,
            channel=channel,
            summary=summary,
            project_id=project.id if project else None,
        ),
    )


def need(
    session: Session,
    *,
    company: Company,
    category: NeedCategory,
    identified_on: dt.date,
    severity: Severity = Severity.GREEN,
    status: NeedStatus = NeedStatus.OPEN,
    resolved_on: dt.date | None = None,
    addressed_by: Project | None = None,
    description: str = "Tarve",
) -> Need:
    return _add(
        session,
        Need(
            company_id=company.id,
            category_id=category.id,
            description=description,
            severity=severity,
            status=status,
            identified_on=identified_on,
            resolved_on=resolved_on,
            addressed_by_project_id=addressed_by.id if addressed_by else None,
        ),
    )


def follow_up(
    session: Session,
    *,
    company: Company,
    owner: User,
    due_on: dt.date,
    status: FollowUpStatus = FollowUpStatus.OPEN,
    done_on: dt.date | None = None,
    description: str = "Soita takaisin",
) -> FollowUp:
    if status == FollowUpStatus.DONE and done_on is None:
        done_on = due_on
    return _add(
        session,
        FollowUp(
            company_id=company.id,
            owner_id=owner.id,
            description=description,
            due_on=due_on,
            status=status,
            done_on=done_on,
        ),
    )


def project(
    session: Session,
    name: str,
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    towns: Iterable[Town] = (),
    categories: Iterable[NeedCategory] = (),
    manager: User | None = None,
    kind: ProjectKind = ProjectKind.REGIONAL_NETWORK,
    target_companies: int | None = None,
) -> Project:
    return _add(
        session,
        Project(
            name=name,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            manager_id=manager.id if manager else None,
            target_companies=target_companies,
            towns=list(towns),
            categories=list(categories),
        ),
    )


def participation(
    session: Session,
    *,
    project: Project,
    company: Company,
    occurred_on: dt.date,
    role: ParticipationRole = ParticipationRole.PARTICIPANT,
    feedback_score: int | None = None,
    activity_type: ActivityType = ActivityType.EVENT,
    need: Need | None = None,
    need_met: str | None = None,
) -> Participation:
    return _add(
        session,
        Participation(
            project_id=project.id,
            company_id=company.id,
            activity_type=activity_type,
            occurred_on=occurred_on,
            role=role,
            feedback_score=feedback_score,
            need_id=need.id if need else None,
            need_met=need_met,
        ),
    )
