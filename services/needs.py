"""Company needs: listing, status changes, suggestions and referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.enums import NeedStatus, ReferralStatus
from db.models import (
    TEXT_MAX,
    Company,
    Need,
    NeedCategory,
    Partner,
    Project,
    Referral,
    Town,
    partner_need_categories,
    project_need_categories,
    project_towns,
)
from services.audit import audited
from services.auth import CurrentUser
from services.errors import Forbidden, NotFound, ValidationError
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, can_refer, require, require_town
from services.validation import clean_text


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
    identified_before: dt.date | None = None,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Needs matching the filters, newest first."""
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)  # a download of the whole list
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
            Need.resolution_note,
            Need.addressed_by_project_id,
            Need.addressed_by_partner_id,
            Company.town_id,
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
    if identified_before is not None:
        stmt = stmt.where(Need.identified_on < identified_before)
    return paginate(session, stmt, page=page, page_size=page_size)


RESOLVED = (NeedStatus.MET, NeedStatus.NOT_MET, NeedStatus.WITHDRAWN)


@audited
def change_need_status(
    session: Session,
    user: CurrentUser,
    need_id: int,
    *,
    status: str,
    today: dt.date,
    note: str | None = None,
    project_id: int | None = None,
    partner_id: int | None = None,
) -> Need:
    """Move a need along: in progress, met, not met, withdrawn (or back to open)."""
    need, company = _need_and_company(session, need_id)
    require_town(user, Action.EDIT_COMPANY, company.town_id)
    if status not in set(NeedStatus):
        raise ValidationError("error.need.status", field="status")
    note = clean_text(note, field="resolution_note", max_length=TEXT_MAX)
    if project_id is not None and session.get(Project, project_id) is None:
        raise ValidationError("error.project.unknown", field="project")
    if partner_id is not None and session.get(Partner, partner_id) is None:
        raise ValidationError("error.referral.target", field="partner")
    need.status = status
    if status in RESOLVED:
        need.resolved_on = max(today, need.identified_on)
        need.resolution_note = note
    else:
        need.resolved_on = None
        if note is not None:
            need.resolution_note = note
    need.addressed_by_project_id = project_id
    need.addressed_by_partner_id = partner_id
    session.flush()
    return need


def suggestions_for_need(
    session: Session, user: CurrentUser, need_id: int, *, today: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """Active projects and partners that cover the company's town and the need's category."""
    require(user, Action.VIEW_REGISTER)
    need, company = _need_and_company(session, need_id)
    town = session.get(Town, company.town_id)
    assert town is not None
    projects = session.execute(
        select(Project.id, Project.name, Project.ends_on)
        .join(project_towns, project_towns.c.project_id == Project.id)
        .join(project_need_categories, project_need_categories.c.project_id == Project.id)
        .where(
            project_towns.c.town_id == town.id,
            project_need_categories.c.category_id == need.category_id,
            Project.starts_on <= today,
            Project.ends_on >= today,
        )
        .order_by(Project.name)
    ).mappings()
    covers_town = or_(
        Partner.town_id == town.id,
        (Partner.town_id.is_(None)) & (Partner.region_id == town.region_id),
        (Partner.town_id.is_(None)) & (Partner.region_id.is_(None)),
    )
    partners = session.execute(
        select(Partner.id, Partner.name, Partner.kind)
        .join(partner_need_categories, partner_need_categories.c.partner_id == Partner.id)
        .where(
            Partner.is_active,
            covers_town,
            partner_need_categories.c.category_id == need.category_id,
        )
        # The nearest first: the town's own services, then the region's, then national ones.
        .order_by(Partner.town_id.is_(None), Partner.region_id.is_(None), Partner.name)
    ).mappings()
    return {"projects": [dict(p) for p in projects], "partners": [dict(p) for p in partners]}


@audited
def refer_need(
    session: Session,
    user: CurrentUser,
    need_id: int,
    *,
    consent: bool,
    today: dt.date,
    partner_id: int | None = None,
    project_id: int | None = None,
    note: str | None = None,
) -> Referral:
    """Refer the company to a partner or project about this need, with its consent."""
    need, company = _need_and_company(session, need_id)
    require(user, Action.LOG_CONTACT)
    if not can_refer(user, company.town_id):
        raise Forbidden("error.forbidden_town", action=Action.LOG_CONTACT.value)
    if not consent:
        raise ValidationError("error.referral.consent", field="referral_consent")
    if (partner_id is None) == (project_id is None):
        raise ValidationError("error.referral.target", field="referral_target")
    if partner_id is not None and session.get(Partner, partner_id) is None:
        raise ValidationError("error.referral.target", field="referral_target")
    if project_id is not None and session.get(Project, project_id) is None:
        raise ValidationError("error.referral.target", field="referral_target")
    referral = Referral(
        company_id=company.id,
        need_id=need.id,
        partner_id=partner_id,
        project_id=project_id,
        consent=True,
        referred_on=today,
        status=ReferralStatus.SENT,
        note=clean_text(note, field="referral_note", max_length=TEXT_MAX),
        created_by_id=user.id,
    )
    session.add(referral)
    if need.status == NeedStatus.OPEN:
        need.status = NeedStatus.IN_PROGRESS
    session.flush()
    return referral


def _need_and_company(session: Session, need_id: int) -> tuple[Need, Company]:
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound("error.need.not_found", id=need_id)
    company = session.get(Company, need.company_id)
    assert company is not None
    return need, company
