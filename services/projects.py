"""Projects: listing, details, and creating and editing them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import ProjectKind, Role
from db.models import (
    NAME_MAX,
    TEXT_MAX,
    NeedCategory,
    Participation,
    Project,
    Town,
    User,
    project_towns,
)
from services.audit import audited
from services.auth import CurrentUser
from services.errors import Forbidden, NotFound, ValidationError
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, can, require
from services.validation import clean_text


def list_projects(
    session: Session,
    user: CurrentUser,
    *,
    kind: str | None = None,
    active_on: dt.date | None = None,
    town_id: int | None = None,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Projects with their manager, towns and participation so far, newest first."""
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)  # a download of the whole list
    reach = (
        select(
            Participation.project_id,
            func.count().label("participations"),
            func.count(Participation.company_id.distinct()).label("companies"),
            func.avg(Participation.feedback_score).label("mean_feedback"),
        )
        .group_by(Participation.project_id)
        .subquery()
    )
    stmt = (
        select(
            Project.id,
            Project.name,
            Project.kind,
            Project.starts_on,
            Project.ends_on,
            User.full_name.label("manager"),
            Project.target_companies,
            func.coalesce(reach.c.companies, 0).label("companies"),
            func.coalesce(reach.c.participations, 0).label("participations"),
            reach.c.mean_feedback,
        )
        .outerjoin(User, User.id == Project.manager_id)
        .outerjoin(reach, reach.c.project_id == Project.id)
        .order_by(Project.starts_on.desc(), Project.name)
    )
    if kind:
        stmt = stmt.where(Project.kind == kind)
    if active_on is not None:
        stmt = stmt.where(Project.starts_on <= active_on, Project.ends_on >= active_on)
    if town_id is not None:
        stmt = stmt.where(
            Project.id.in_(
                select(project_towns.c.project_id).where(project_towns.c.town_id == town_id)
            )
        )
    result = paginate(session, stmt, page=page, page_size=page_size)
    names = _town_names(session, [row["id"] for row in result.rows])
    for row in result.rows:
        row["towns"] = ", ".join(names.get(row["id"], []))
        if row["mean_feedback"] is not None:
            row["mean_feedback"] = float(row["mean_feedback"])
    return result


def _town_names(session: Session, project_ids: list[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(project_towns.c.project_id, Town.name)
        .join(Town, Town.id == project_towns.c.town_id)
        .where(project_towns.c.project_id.in_(project_ids))
        .order_by(Town.name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for project_id, name in rows:
        names[project_id].append(name)
    return names


@dataclass(frozen=True)
class ProjectInput:
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    town_ids: tuple[int, ...]
    category_ids: tuple[int, ...]
    manager_id: int | None = None
    target_companies: int | None = None
    description: str | None = None


def may_edit_project(user: CurrentUser, project: Project) -> bool:
    """Admins edit every project, project managers their own."""
    if not can(user, Action.EDIT_PROJECT):
        return False
    return user.role == Role.ADMIN or project.manager_id == user.id


def require_project_editor(session: Session, user: CurrentUser, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("error.project.not_found", id=project_id)
    if not may_edit_project(user, project):
        raise Forbidden("error.forbidden_project")
    return project


def project_details(session: Session, user: CurrentUser, project_id: int) -> dict[str, Any]:
    """A project's facts with its towns and target categories, and whether the user may edit."""
    require(user, Action.VIEW_REGISTER)
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("error.project.not_found", id=project_id)
    return {
        "id": project.id,
        "name": project.name,
        "kind": project.kind,
        "description": project.description,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "manager_id": project.manager_id,
        "manager": project.manager.full_name if project.manager else None,
        "target_companies": project.target_companies,
        "town_ids": [town.id for town in project.towns],
        "towns": [town.name for town in sorted(project.towns, key=lambda t: t.name)],
        "category_ids": [category.id for category in project.categories],
        "can_edit": may_edit_project(user, project),
    }


@audited
def create_project(session: Session, user: CurrentUser, data: ProjectInput) -> Project:
    """A new project; administrators only."""
    require(user, Action.ADMINISTER)
    project = Project()
    _apply(session, project, data)
    session.add(project)
    session.flush()
    return project


@audited
def update_project(
    session: Session, user: CurrentUser, project_id: int, data: ProjectInput
) -> Project:
    """Change a project; a project manager may not hand their project to someone else."""
    project = require_project_editor(session, user, project_id)
    if user.role != Role.ADMIN and data.manager_id != project.manager_id:
        raise Forbidden("error.forbidden_project_manager")
    _apply(session, project, data)
    session.flush()
    return project


def _apply(session: Session, project: Project, data: ProjectInput) -> None:
    name = clean_text(data.name, field="name", max_length=NAME_MAX, required=True)
    description = clean_text(data.description, field="description", max_length=TEXT_MAX)
    if data.kind not in set(ProjectKind):
        raise ValidationError("error.project.kind", field="kind")
    if data.ends_on < data.starts_on:
        raise ValidationError("error.project.period", field="ends_on")
    if not data.town_ids:
        raise ValidationError("error.project.towns", field="towns")
    if not data.category_ids:
        raise ValidationError("error.project.categories", field="categories")
    if data.target_companies is not None and not 0 <= data.target_companies <= 1_000_000:
        raise ValidationError("error.project.target", field="target_companies")
    duplicate = session.scalar(
        select(Project.id).where(Project.name == name, Project.id != project.id)
        if project.id
        else select(Project.id).where(Project.name == name)
    )
    if duplicate is not None:
        raise ValidationError("error.project.duplicate_name", field="name", name=name)
    towns = session.scalars(select(Town).where(Town.id.in_(data.town_ids))).all()
    categories = session.scalars(
        select(NeedCategory).where(NeedCategory.id.in_(data.category_ids))
    ).all()
    if len(towns) != len(set(data.town_ids)) or len(categories) != len(set(data.category_ids)):
        raise ValidationError("error.project.unknown_reference", field="towns")
    if data.manager_id is not None:
        manager = session.get(User, data.manager_id)
        if manager is None or manager.role not in (Role.PROJECT_MANAGER, Role.ADMIN):
            raise ValidationError("error.project.manager", field="manager")
    project.name = name
    project.kind = data.kind
    project.starts_on = data.starts_on
    project.ends_on = data.ends_on
    project.manager_id = data.manager_id
    project.target_companies = data.target_companies
    project.description = description
    project.towns = list(towns)
    project.categories = list(categories)
