"""Does each project meet business needs? The need-fit metrics, score and flags, in SQL.

For a project P with towns T, target categories C and period S..E, over the companies of T
(the README's "How need-fit is computed" gives every formula):

- demand: needs identified in S..E whose category is in C;
- reach: share of the companies with demand that took part in P;
- resolution: share of the demand needs marked met with P as the addressing project;
- satisfaction: mean feedback of P's participations, and the share answered "need not met";
- company-driven share: share of P's participations with the company as co-developer/initiator;
- alignment: share of all needs identified in T in S..E that fall in C; the most frequent
  categories outside C are the misalignment;
- overdue follow-ups: share of the open follow-ups of P's contacts that are past due.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from db.enums import FollowUpStatus, NeedMet, NeedStatus, ParticipationRole, Severity
from db.models import (
    Company,
    FollowUp,
    Interaction,
    Need,
    NeedCategory,
    Participation,
    Project,
    Town,
    User,
    project_need_categories,
    project_towns,
)
from services.auth import CurrentUser
from services.errors import NotFound
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require
from services.settings import current_settings

OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)
# Weights of the need-fit score; a part with no data leaves the others to share its weight.
SCORE_WEIGHTS = {
    "reach": 0.25,
    "resolution": 0.25,
    "satisfaction": 0.20,
    "company_driven": 0.10,
    "alignment": 0.20,
}
# The company-driven share and the alignment count in full from these levels upwards.
FULL_COMPANY_DRIVEN = 0.30
FULL_ALIGNMENT = 0.60
MISALIGNED_TOP = 3

FLAG_CODES = (
    "low_reach",
    "low_resolution",
    "low_satisfaction",
    "misaligned",
    "low_company_driven",
    "overdue_follow_ups",
)


@dataclass(frozen=True)
class Flag:
    """A rule a project breaks, with the figure, the threshold and the cases behind it."""

    code: str
    value: float
    threshold: float
    cases: int
    minimum_cases: int
    is_share: bool = True  # the figure is a share (shown as a percentage), else a mean score


@dataclass
class ProjectFit:
    project_id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    town_needs: int = 0
    demand_needs: int = 0
    met_by_project: int = 0
    demand_companies: int = 0
    reached_companies: int = 0
    participations: int = 0
    participating_companies: int = 0
    feedback_count: int = 0
    mean_feedback: float | None = None
    need_met_answers: int = 0
    need_not_met: int = 0
    co_developer: int = 0
    open_follow_ups: int = 0
    overdue_follow_ups: int = 0
    untargeted: list[tuple[int, int]] = field(default_factory=list)  # (category id, needs)
    score: int | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def reach(self) -> float | None:
        return _share(self.reached_companies, self.demand_companies)

    @property
    def resolution(self) -> float | None:
        return _share(self.met_by_project, self.demand_needs)

    @property
    def not_met_share(self) -> float | None:
        return _share(self.need_not_met, self.need_met_answers)

    @property
    def company_driven_share(self) -> float | None:
        return _share(self.co_developer, self.participations)

    @property
    def alignment(self) -> float | None:
        return _share(self.demand_needs, self.town_needs)

    @property
    def overdue_share(self) -> float | None:
        return _share(self.overdue_follow_ups, self.open_follow_ups)


def need_fit(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    project_ids: Collection[int] | None = None,
) -> list[ProjectFit]:
    """Metrics, score and flags for every project (or the given ones), by start date."""
    require(user, Action.VIEW_REGISTER)
    stmt = select(Project.id, Project.name, Project.kind, Project.starts_on, Project.ends_on)
    if project_ids is not None:
        stmt = stmt.where(Project.id.in_(list(project_ids)))
    fits = {
        row.id: ProjectFit(row.id, row.name, row.kind, row.starts_on, row.ends_on)
        for row in session.execute(stmt.order_by(Project.starts_on.desc(), Project.name))
    }
    if not fits:
        return []
    ids = list(fits)
    _add_needs(session, fits, ids)
    _add_reach(session, fits, ids)
    _add_participation(session, fits, ids)
    _add_follow_ups(session, fits, ids, today)
    settings = current_settings(session)
    for fit in fits.values():
        fit.score = score(fit)
        fit.flags = flags(fit, settings)
    return list(fits.values())


def project_fit(
    session: Session, user: CurrentUser, project_id: int, *, today: dt.date
) -> ProjectFit:
    fits = need_fit(session, user, today=today, project_ids=[project_id])
    if not fits:
        raise NotFound("error.project.not_found", id=project_id)
    return fits[0]


def score(fit: ProjectFit) -> int | None:
    """The need-fit score 0-100: a weighted mean of the parts that have data."""
    parts: dict[str, float | None] = {
        "reach": fit.reach,
        "resolution": fit.resolution,
        "satisfaction": None if fit.mean_feedback is None else (fit.mean_feedback - 1) / 4,
        "company_driven": None
        if fit.company_driven_share is None
        else min(1.0, fit.company_driven_share / FULL_COMPANY_DRIVEN),
        "alignment": None if fit.alignment is None else min(1.0, fit.alignment / FULL_ALIGNMENT),
    }
    known = {name: value for name, value in parts.items() if value is not None}
    if not known:
        return None
    weight = sum(SCORE_WEIGHTS[name] for name in known)
    total = sum(SCORE_WEIGHTS[name] * value for name, value in known.items())
    # Halves round up, after dropping the binary noise of the float arithmetic.
    return math.floor(round(100 * total / weight, 9) + 0.5)


def flags(fit: ProjectFit, settings: dict[str, float]) -> list[Flag]:
    """The flags a project raises; none fires on fewer cases than its minimum."""
    raised: list[Flag] = []

    def below(code: str, value: float | None, threshold_key: str, cases: int, minimum_key: str):  # type: ignore[no-untyped-def]
        threshold, minimum = settings[threshold_key], int(settings[minimum_key])
        if value is not None and cases >= minimum and value < threshold:
            raised.append(Flag(code, value, threshold, cases, minimum))

    below(
        "low_reach", fit.reach, "low_reach.threshold", fit.demand_companies,
        "low_reach.min_companies",
    )  # fmt: skip
    below(
        "low_resolution", fit.resolution, "low_resolution.threshold", fit.demand_needs,
        "low_resolution.min_needs",
    )  # fmt: skip
    minimum = int(settings["low_satisfaction.min_participations"])
    low_feedback = (
        fit.mean_feedback is not None
        and fit.feedback_count >= minimum
        and fit.mean_feedback < settings["low_satisfaction.min_feedback"]
    )
    many_not_met = (
        fit.not_met_share is not None
        and fit.need_met_answers >= minimum
        and fit.not_met_share > settings["low_satisfaction.max_not_met_share"]
    )
    if low_feedback:
        assert fit.mean_feedback is not None
        raised.append(
            Flag(
                "low_satisfaction",
                fit.mean_feedback,
                settings["low_satisfaction.min_feedback"],
                fit.feedback_count,
                minimum,
                is_share=False,
            )
        )
    elif many_not_met:
        assert fit.not_met_share is not None
        raised.append(
            Flag(
                "low_satisfaction",
                fit.not_met_share,
                settings["low_satisfaction.max_not_met_share"],
                fit.need_met_answers,
                minimum,
            )
        )
    below(
        "misaligned", fit.alignment, "misaligned.threshold", fit.town_needs,
        "misaligned.min_needs",
    )  # fmt: skip
    below(
        "low_company_driven", fit.company_driven_share, "low_company_driven.threshold",
        fit.participations, "low_company_driven.min_participations",
    )  # fmt: skip
    threshold = settings["overdue_follow_ups.threshold"]
    minimum = int(settings["overdue_follow_ups.min_open"])
    overdue = fit.overdue_share
    if overdue is not None and fit.open_follow_ups >= minimum and overdue > threshold:
        raised.append(Flag("overdue_follow_ups", overdue, threshold, fit.open_follow_ups, minimum))
    return raised


# --- The queries behind the metrics -------------------------------------------------------


def _in_project_towns_and_period() -> Any:
    """Needs of the companies in each project's towns, identified in the project's period."""
    return (
        select(project_towns.c.project_id)
        .select_from(project_towns)
        .join(Project, Project.id == project_towns.c.project_id)
        .join(Company, Company.town_id == project_towns.c.town_id)
        .join(Need, Need.company_id == Company.id)
        .where(Need.identified_on.between(Project.starts_on, Project.ends_on))
    )


def _targeted() -> Any:
    return and_(
        project_need_categories.c.project_id == project_towns.c.project_id,
        project_need_categories.c.category_id == Need.category_id,
    )


def _add_needs(session: Session, fits: dict[int, ProjectFit], ids: list[int]) -> None:
    met_by_project = and_(
        Need.status == NeedStatus.MET, Need.addressed_by_project_id == project_towns.c.project_id
    )
    stmt = (
        _in_project_towns_and_period()
        .add_columns(
            Need.category_id,
            func.count().label("needs"),
            func.sum(case((met_by_project, 1), else_=0)).label("met"),
            func.max(project_need_categories.c.category_id).label("targeted"),
        )
        .outerjoin(project_need_categories, _targeted())
        .where(project_towns.c.project_id.in_(ids))
        .group_by(project_towns.c.project_id, Need.category_id)
    )
    untargeted: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in session.execute(stmt):
        fit = fits[row.project_id]
        fit.town_needs += row.needs
        if row.targeted is not None:
            fit.demand_needs += row.needs
            fit.met_by_project += row.met or 0
        else:
            untargeted[row.project_id].append((row.category_id, row.needs))
    for project_id, counts in untargeted.items():
        counts.sort(key=lambda item: (-item[1], item[0]))
        fits[project_id].untargeted = counts[:MISALIGNED_TOP]


def _demand_companies() -> Any:
    """(project, company) pairs where the company has a need in the project's targets."""
    return (
        _in_project_towns_and_period()
        .add_columns(Need.company_id)
        .join(project_need_categories, _targeted())
        .distinct()
    )


def _took_part(pairs: Any) -> Any:
    return exists().where(
        Participation.project_id == pairs.c.project_id,
        Participation.company_id == pairs.c.company_id,
    )


def _add_reach(session: Session, fits: dict[int, ProjectFit], ids: list[int]) -> None:
    pairs = _demand_companies().where(project_towns.c.project_id.in_(ids)).subquery()
    stmt = select(
        pairs.c.project_id,
        func.count().label("companies"),
        func.sum(case((_took_part(pairs), 1), else_=0)).label("reached"),
    ).group_by(pairs.c.project_id)
    for row in session.execute(stmt):
        fits[row.project_id].demand_companies = row.companies
        fits[row.project_id].reached_companies = row.reached or 0


def _add_participation(session: Session, fits: dict[int, ProjectFit], ids: list[int]) -> None:
    def count_when(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = (
        select(
            Participation.project_id,
            func.count().label("participations"),
            func.count(Participation.company_id.distinct()).label("companies"),
            func.count(Participation.feedback_score).label("feedback_count"),
            func.avg(Participation.feedback_score).label("mean_feedback"),
            func.count(Participation.need_met).label("answers"),
            count_when(Participation.need_met == NeedMet.NO).label("not_met"),
            count_when(Participation.role == ParticipationRole.CO_DEVELOPER).label("co_dev"),
        )
        .where(Participation.project_id.in_(ids))
        .group_by(Participation.project_id)
    )
    for row in session.execute(stmt):
        fit = fits[row.project_id]
        fit.participations = row.participations
        fit.participating_companies = row.companies
        fit.feedback_count = row.feedback_count
        fit.mean_feedback = None if row.mean_feedback is None else float(row.mean_feedback)
        fit.need_met_answers = row.answers
        fit.need_not_met = row.not_met
        fit.co_developer = row.co_dev


def _add_follow_ups(
    session: Session, fits: dict[int, ProjectFit], ids: list[int], today: dt.date
) -> None:
    stmt = (
        select(
            Interaction.project_id,
            func.count().label("open"),
            func.sum(case((FollowUp.due_on < today, 1), else_=0)).label("overdue"),
        )
        .join(Interaction, Interaction.id == FollowUp.interaction_id)
        .where(FollowUp.status == FollowUpStatus.OPEN, Interaction.project_id.in_(ids))
        .group_by(Interaction.project_id)
    )
    for row in session.execute(stmt):
        fits[row.project_id].open_follow_ups = row.open
        fits[row.project_id].overdue_follow_ups = row.overdue or 0


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- Drill-downs: the companies and needs behind each figure --------------------------------


def _project(session: Session, user: CurrentUser, project_id: int) -> Project:
    require(user, Action.VIEW_REGISTER)
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("error.project.not_found", id=project_id)
    return project


def demand_companies(
    session: Session,
    user: CurrentUser,
    project_id: int,
    *,
    took_part: bool | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Companies with needs in the project's targets: behind reach (low reach: took_part=False)."""
    _project(session, user, project_id)
    pairs = _demand_companies().where(project_towns.c.project_id == project_id).subquery()
    participated = _took_part(pairs)
    stmt = (
        select(
            Company.id.label("company_id"),
            Company.name.label("company"),
            Company.business_id,
            Town.name.label("town"),
            case((participated, True), else_=False).label("took_part"),
        )
        .select_from(pairs)
        .join(Company, Company.id == pairs.c.company_id)
        .join(Town, Town.id == Company.town_id)
        .order_by(Company.name_key, Company.id)
    )
    if took_part is not None:
        stmt = stmt.where(participated if took_part else ~participated)
    return paginate(session, stmt, page=page, page_size=page_size)


def demand_needs(
    session: Session,
    user: CurrentUser,
    project_id: int,
    *,
    language: str = "fi",
    targeted: bool = True,
    unresolved_only: bool = False,
    category_id: int | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Needs in the project's towns and period: its demand (low resolution: unresolved_only),
    or with targeted=False the needs outside its targets (misalignment)."""
    _project(session, user, project_id)
    category = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    stmt = (
        _in_project_towns_and_period()
        .with_only_columns(
            Need.id,
            Need.identified_on,
            Company.id.label("company_id"),
            Company.name.label("company"),
            category.label("category"),
            Need.severity,
            Need.status,
            Need.description,
        )
        .join(NeedCategory, NeedCategory.id == Need.category_id)
        .outerjoin(project_need_categories, _targeted())
        .where(project_towns.c.project_id == project_id)
        .order_by(Need.identified_on.desc(), Need.id.desc())
    )
    if targeted:
        stmt = stmt.where(project_need_categories.c.category_id.is_not(None))
    else:
        stmt = stmt.where(project_need_categories.c.category_id.is_(None))
    if unresolved_only:
        # Spelled out: a need met by no project has no addressing project (NULL), and
        # NOT (... = NULL) would drop it.
        stmt = stmt.where(
            or_(
                Need.status != NeedStatus.MET,
                Need.addressed_by_project_id.is_(None),
                Need.addressed_by_project_id != project_id,
            )
        )
    if category_id is not None:
        stmt = stmt.where(Need.category_id == category_id)
    return paginate(session, stmt, page=page, page_size=page_size)


def participations(
    session: Session,
    user: CurrentUser,
    project_id: int,
    *,
    dissatisfied_only: bool = False,
    role: str | None = None,
    min_feedback: float = 3.0,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """The project's participations, newest first; dissatisfied_only: feedback below
    `min_feedback` or the need not met."""
    _project(session, user, project_id)
    stmt = (
        select(
            Participation.id,
            Participation.occurred_on,
            Company.id.label("company_id"),
            Company.name.label("company"),
            Town.name.label("town"),
            Participation.activity_type,
            Participation.activity_name,
            Participation.role,
            Participation.feedback_score,
            Participation.need_met,
        )
        .join(Company, Company.id == Participation.company_id)
        .join(Town, Town.id == Company.town_id)
        .where(Participation.project_id == project_id)
        .order_by(Participation.occurred_on.desc(), Participation.id.desc())
    )
    if dissatisfied_only:
        stmt = stmt.where(
            (Participation.feedback_score < min_feedback) | (Participation.need_met == NeedMet.NO)
        )
    if role is not None:
        stmt = stmt.where(Participation.role == role)
    return paginate(session, stmt, page=page, page_size=page_size)


def overdue_follow_ups(
    session: Session,
    user: CurrentUser,
    project_id: int,
    *,
    today: dt.date,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Open follow-ups of the project's contacts that are past due, oldest first."""
    _project(session, user, project_id)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.due_on,
            Company.id.label("company_id"),
            Company.name.label("company"),
            FollowUp.description,
            User.full_name.label("owner"),
        )
        .join(Interaction, Interaction.id == FollowUp.interaction_id)
        .join(Company, Company.id == FollowUp.company_id)
        .join(User, User.id == FollowUp.owner_id)
        .where(
            Interaction.project_id == project_id,
            FollowUp.status == FollowUpStatus.OPEN,
            FollowUp.due_on < today,
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    return paginate(session, stmt, page=page, page_size=page_size)


def category_profile(
    session: Session, user: CurrentUser, project_id: int, *, language: str = "fi"
) -> list[dict[str, Any]]:
    """Needs per category in the project's towns and period, and whether the project targets it."""
    _project(session, user, project_id)
    name = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    counts = (
        _in_project_towns_and_period()
        .with_only_columns(Need.category_id, func.count().label("needs"))
        .where(project_towns.c.project_id == project_id)
        .group_by(Need.category_id)
        .subquery()
    )
    targets = select(project_need_categories.c.category_id).where(
        project_need_categories.c.project_id == project_id
    )
    stmt = (
        select(
            NeedCategory.id,
            NeedCategory.code,
            name.label("category"),
            func.coalesce(counts.c.needs, 0).label("needs"),
            NeedCategory.id.in_(targets).label("targeted"),
        )
        .outerjoin(counts, counts.c.category_id == NeedCategory.id)
        .order_by(NeedCategory.sort_order, NeedCategory.id)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


# --- Unserved needs -------------------------------------------------------------------------


def _served() -> Any:
    """An active project covers the need's town and targets its category."""
    return (
        exists()
        .where(
            project_towns.c.town_id == Company.town_id,
            project_need_categories.c.project_id == project_towns.c.project_id,
            project_need_categories.c.category_id == Need.category_id,
            Project.id == project_towns.c.project_id,
        )
        .correlate(Company, Need)
    )


def unserved_needs(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    language: str = "fi",
    town_ids: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """Per town and category: open needs that no active project covering the town targets,
    how many of them red, and the companies behind them."""
    require(user, Action.VIEW_REGISTER)
    name = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    served = _served().where(Project.starts_on <= today, Project.ends_on >= today)
    stmt = (
        select(
            Town.id.label("town_id"),
            Town.name.label("town"),
            NeedCategory.id.label("category_id"),
            name.label("category"),
            func.count().label("needs"),
            func.sum(case((Need.severity == Severity.RED, 1), else_=0)).label("red"),
            func.count(Need.company_id.distinct()).label("companies"),
        )
        .select_from(Need)
        .join(Company, Company.id == Need.company_id)
        .join(Town, Town.id == Company.town_id)
        .join(NeedCategory, NeedCategory.id == Need.category_id)
        .where(Need.status.in_(OPEN_STATUSES), ~served)
        .group_by(Town.id, Town.name, NeedCategory.id, name)
        .order_by(Town.name, func.count().desc(), NeedCategory.id)
    )
    if town_ids is not None:
        stmt = stmt.where(Company.town_id.in_(list(town_ids)))
    return [dict(row) for row in session.execute(stmt).mappings()]


def unserved_needs_list(
    session: Session,
    user: CurrentUser,
    *,
    today: dt.date,
    town_id: int,
    category_id: int | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """The open needs and companies behind a town's unserved-needs count."""
    require(user, Action.VIEW_REGISTER)
    served = _served().where(Project.starts_on <= today, Project.ends_on >= today)
    stmt = (
        select(
            Need.id,
            Need.identified_on,
            Company.id.label("company_id"),
            Company.name.label("company"),
            Need.category_id,
            Need.severity,
            Need.status,
            Need.description,
        )
        .join(Company, Company.id == Need.company_id)
        .where(Company.town_id == town_id, Need.status.in_(OPEN_STATUSES), ~served)
        .order_by(Need.identified_on.desc(), Need.id.desc())
    )
    if category_id is not None:
        stmt = stmt.where(Need.category_id == category_id)
    return paginate(session, stmt, page=page, page_size=page_size)
