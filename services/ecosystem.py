"""Innovation ecosystems: the actors besides companies, who works with whom across municipal
borders, each town's yearly maturity assessment beside figures measured from the register,
and the "Invest in" gaps a town could fill by attracting complementary actors."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session, aliased

from db.enums import (
    ACTOR_TYPE_OF_KIND,
    ActorType,
    EcosystemDriver,
    Maturity,
    ParticipationRole,
    PartnerKind,
    PartnershipKind,
    Role,
    kinds_of_type,
)
from db.models import (
    NAME_MAX,
    TEXT_MAX,
    Company,
    MaturityAssessment,
    NeedCategory,
    Participation,
    Partner,
    Partnership,
    Project,
    Region,
    Town,
    User,
    now_utc,
    partner_need_categories,
    partnership_towns,
)
from services.audit import audited
from services.auth import CurrentUser
from services.errors import Forbidden, NotFound, ValidationError
from services.need_fit import unserved_needs
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, can, can_in_town, require, require_town
from services.validation import clean_text

RATIONALE_MAX = 1000
STATE_KINDS = tuple(kinds_of_type(ActorType.STATE))


def actor_type(kind: str) -> str:
    """The ecosystem actor type (education, municipal, state, …) of a partner kind."""
    return ACTOR_TYPE_OF_KIND[PartnerKind(kind)].value


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _active_in(year: int) -> Any:
    """A partnership that ran at some point of the year."""
    first, last = _year_bounds(year)
    return and_(
        Partnership.starts_on <= last,
        or_(Partnership.ends_on.is_(None), Partnership.ends_on >= first),
    )


def _serves_town(town: Any) -> Any:
    """An actor of the town's own ecosystem: based in the town, or serving its whole region."""
    return or_(
        Partner.town_id == town.id,
        and_(Partner.town_id.is_(None), Partner.region_id == town.region_id),
    )


# --- Actors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorInput:
    name: str
    kind: str
    town_id: int | None = None
    region_id: int | None = None
    category_ids: tuple[int, ...] = ()
    is_active: bool = True


def may_edit_actor(user: CurrentUser, town_id: int | None) -> bool:
    """Administrators edit every actor (regional and national ones too); advisors those based
    in their home towns."""
    if town_id is None:
        return can(user, Action.EDIT_ECOSYSTEM) and user.role == Role.ADMIN
    return can_in_town(user, Action.EDIT_ECOSYSTEM, town_id)


def list_actors(
    session: Session,
    user: CurrentUser,
    *,
    town_id: int | None = None,
    of_type: str | None = None,
    query: str | None = None,
    include_inactive: bool = False,
    language: str = "fi",
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Actors by type and name; with a town, those of its ecosystem (local or regional)."""
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)
    partnerships = (
        select(func.count())
        .where(
            or_(
                Partnership.first_partner_id == Partner.id,
                Partnership.second_partner_id == Partner.id,
            )
        )
        .correlate(Partner)
        .scalar_subquery()
    )
    region_name = Region.name_en if language == "en" else Region.name_fi
    stmt = (
        select(
            Partner.id,
            Partner.name,
            Partner.kind,
            Partner.town_id,
            Town.name.label("town"),
            region_name.label("region"),
            Partner.is_active,
            partnerships.label("partnerships"),
        )
        .outerjoin(Town, Town.id == Partner.town_id)
        .outerjoin(Region, Region.id == Partner.region_id)
        .order_by(Partner.name, Partner.id)
    )
    if town_id is not None:
        town = session.get(Town, town_id)
        if town is None:
            raise NotFound("error.town.not_found", id=town_id)
        stmt = stmt.where(_serves_town(town))
    if of_type:
        stmt = stmt.where(Partner.kind.in_(kinds_of_type(ActorType(of_type))))
    if query and query.strip():
        stmt = stmt.where(Partner.name.ilike(f"%{query.strip()}%"))
    if not include_inactive:
        stmt = stmt.where(Partner.is_active)
    result = paginate(session, stmt, page=page, page_size=page_size)
    categories = _category_names(session, [row["id"] for row in result.rows], language)
    for row in result.rows:
        row["actor_type"] = actor_type(row["kind"])
        row["coverage"] = (
            "town" if row["town_id"] else "region" if row["region"] is not None else "country"
        )
        row["categories"] = ", ".join(categories.get(row["id"], []))
    return result


def _category_names(session: Session, actor_ids: list[int], language: str) -> dict[int, list[str]]:
    name = NeedCategory.name_en if language == "en" else NeedCategory.name_fi
    rows = session.execute(
        select(partner_need_categories.c.partner_id, name)
        .join(NeedCategory, NeedCategory.id == partner_need_categories.c.category_id)
        .where(partner_need_categories.c.partner_id.in_(actor_ids))
        .order_by(NeedCategory.sort_order, NeedCategory.id)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for actor_id, label in rows:
        names[actor_id].append(label)
    return names


def actor_details(session: Session, user: CurrentUser, actor_id: int) -> dict[str, Any]:
    """An actor's facts for its edit form, and whether the user may edit it."""
    require(user, Action.VIEW_REGISTER)
    actor = session.get(Partner, actor_id)
    if actor is None:
        raise NotFound("error.actor.not_found", id=actor_id)
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "town_id": actor.town_id,
        "region_id": actor.region_id,
        "category_ids": [category.id for category in actor.categories],
        "is_active": actor.is_active,
        "can_edit": may_edit_actor(user, actor.town_id),
    }


@audited
def create_actor(session: Session, user: CurrentUser, data: ActorInput) -> Partner:
    """A new ecosystem actor; it is also offered as a partner for referrals."""
    actor = Partner()
    _apply_actor(session, user, actor, data)
    session.add(actor)
    session.flush()
    return actor


@audited
def update_actor(session: Session, user: CurrentUser, actor_id: int, data: ActorInput) -> Partner:
    actor = session.get(Partner, actor_id)
    if actor is None:
        raise NotFound("error.actor.not_found", id=actor_id)
    if not may_edit_actor(user, actor.town_id):
        raise Forbidden("error.forbidden_town", action=Action.EDIT_ECOSYSTEM.value)
    _apply_actor(session, user, actor, data)
    session.flush()
    return actor


def _apply_actor(session: Session, user: CurrentUser, actor: Partner, data: ActorInput) -> None:
    require(user, Action.EDIT_ECOSYSTEM)
    name = clean_text(data.name, field="name", max_length=NAME_MAX, required=True)
    if data.kind not in set(PartnerKind):
        raise ValidationError("error.actor.kind", field="kind")
    region_id = data.region_id
    if data.town_id is not None:
        town = session.get(Town, data.town_id)
        if town is None:
            raise ValidationError("error.actor.unknown_town", field="town")
        if region_id is not None and region_id != town.region_id:
            raise ValidationError("error.actor.town_outside_region", field="town")
        region_id = town.region_id
    elif region_id is not None and session.get(Region, region_id) is None:
        raise ValidationError("error.actor.unknown_region", field="region")
    if not may_edit_actor(user, data.town_id):
        # Advisors keep to actors based in their home towns; regional ones are the admin's.
        raise Forbidden("error.forbidden_town", action=Action.EDIT_ECOSYSTEM.value)
    duplicate = select(Partner.id).where(func.lower(Partner.name) == name.lower())  # type: ignore[union-attr]
    if actor.id is not None:
        duplicate = duplicate.where(Partner.id != actor.id)
    if session.scalar(duplicate) is not None:
        raise ValidationError("error.actor.duplicate_name", field="name", name=name)
    categories = session.scalars(
        select(NeedCategory).where(NeedCategory.id.in_(data.category_ids))
    ).all()
    if len(categories) != len(set(data.category_ids)):
        raise ValidationError("error.actor.unknown_category", field="categories")
    actor.name = name
    actor.kind = data.kind
    actor.town_id = data.town_id
    actor.region_id = region_id
    actor.is_active = data.is_active
    actor.categories = list(categories)


# --- Partnerships --------------------------------------------------------------------------


class PartyKind(StrEnum):
    ACTOR = "actor"
    COMPANY = "company"
    PROJECT = "project"


@dataclass(frozen=True)
class Party:
    """One side of a partnership: an actor, a company, or (second side only) a project."""

    kind: str
    id: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class PartnershipInput:
    kind: str
    first: Party
    second: Party
    starts_on: dt.date
    ends_on: dt.date | None = None
    town_ids: tuple[int, ...] = ()
    description: str | None = None


def _party_of(partnership: Partnership, side: str) -> Party:
    if side == "first":
        if partnership.first_partner_id is not None:
            return Party(PartyKind.ACTOR, partnership.first_partner_id)
        return Party(PartyKind.COMPANY, partnership.first_company_id or 0)
    if partnership.second_partner_id is not None:
        return Party(PartyKind.ACTOR, partnership.second_partner_id)
    if partnership.second_company_id is not None:
        return Party(PartyKind.COMPANY, partnership.second_company_id)
    return Party(PartyKind.PROJECT, partnership.project_id or 0)


def records_partnerships(user: CurrentUser) -> bool:
    """Advisors, project managers and administrators record partnerships (each within the
    limits of `may_record_partnership`)."""
    return user.role in (Role.ADVISOR, Role.PROJECT_MANAGER, Role.ADMIN)


def may_record_partnership(
    user: CurrentUser, town_ids: Collection[int], project_manager_id: int | None = None
) -> bool:
    """Admins record every partnership; advisors those reaching a home town; project managers
    those of their own projects."""
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.PROJECT_MANAGER:
        return project_manager_id is not None and project_manager_id == user.id
    return can(user, Action.EDIT_ECOSYSTEM) and bool(set(town_ids) & user.town_ids)


def _check_party(session: Session, party: Party, *, side: str) -> tuple[int | None, int | None]:
    """The party's home town and (for a project) its manager; raises when it does not exist."""
    allowed = {PartyKind.ACTOR, PartyKind.COMPANY}
    if side == "second":
        allowed.add(PartyKind.PROJECT)
    if party.kind not in allowed:
        raise ValidationError("error.partnership.party_kind", field=side)
    if party.kind == PartyKind.ACTOR:
        actor = session.get(Partner, party.id)
        if actor is None:
            raise ValidationError("error.partnership.party_not_found", field=side)
        return actor.town_id, None
    if party.kind == PartyKind.COMPANY:
        company = session.get(Company, party.id)
        if company is None:
            raise ValidationError("error.partnership.party_not_found", field=side)
        return company.town_id, None
    project = session.get(Project, party.id)
    if project is None:
        raise ValidationError("error.partnership.party_not_found", field=side)
    return None, project.manager_id


def _partnership_towns(
    session: Session, data: PartnershipInput, home_towns: list[int | None]
) -> list[Town]:
    """The towns the partnership reaches: those chosen, plus the parties' home towns; for a
    partnership with a project and no town of its own, the project's towns."""
    town_ids = set(data.town_ids) | {town for town in home_towns if town is not None}
    if not town_ids and data.second.kind == PartyKind.PROJECT:
        project = session.get(Project, data.second.id)
        town_ids = {town.id for town in project.towns} if project else set()
    if not town_ids:
        raise ValidationError("error.partnership.towns", field="towns")
    towns = session.scalars(select(Town).where(Town.id.in_(town_ids))).all()
    if len(towns) != len(town_ids):
        raise ValidationError("error.partnership.unknown_town", field="towns")
    return list(towns)


def _apply_partnership(
    session: Session, user: CurrentUser, partnership: Partnership, data: PartnershipInput
) -> None:
    if not records_partnerships(user):
        raise Forbidden(action=Action.EDIT_ECOSYSTEM.value)
    if data.kind not in set(PartnershipKind):
        raise ValidationError("error.partnership.kind", field="kind")
    first_town, _ = _check_party(session, data.first, side="first")
    second_town, manager_id = _check_party(session, data.second, side="second")
    if data.first == data.second:
        raise ValidationError("error.partnership.same_party", field="second")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise ValidationError("error.partnership.period", field="ends_on")
    description = clean_text(data.description, field="description", max_length=TEXT_MAX)
    towns = _partnership_towns(session, data, [first_town, second_town])
    if not may_record_partnership(user, [town.id for town in towns], manager_id):
        raise Forbidden("error.forbidden_partnership")
    partnership.kind = data.kind
    partnership.first_partner_id = data.first.id if data.first.kind == PartyKind.ACTOR else None
    partnership.first_company_id = data.first.id if data.first.kind == PartyKind.COMPANY else None
    second = data.second
    partnership.second_partner_id = second.id if second.kind == PartyKind.ACTOR else None
    partnership.second_company_id = second.id if second.kind == PartyKind.COMPANY else None
    partnership.project_id = second.id if second.kind == PartyKind.PROJECT else None
    partnership.starts_on = data.starts_on
    partnership.ends_on = data.ends_on
    partnership.description = description
    partnership.towns = towns


def _editable_partnership(session: Session, user: CurrentUser, partnership_id: int) -> Partnership:
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound("error.partnership.not_found", id=partnership_id)
    manager_id = None
    if partnership.project_id is not None:
        manager_id = session.scalar(
            select(Project.manager_id).where(Project.id == partnership.project_id)
        )
    if not may_record_partnership(user, [town.id for town in partnership.towns], manager_id):
        raise Forbidden("error.forbidden_partnership")
    return partnership


@audited
def create_partnership(session: Session, user: CurrentUser, data: PartnershipInput) -> Partnership:
    """Record that two parties work together, with its type, period and towns."""
    partnership = Partnership(created_by_id=user.id)
    _apply_partnership(session, user, partnership, data)
    session.add(partnership)
    session.flush()
    return partnership


@audited
def update_partnership(
    session: Session, user: CurrentUser, partnership_id: int, data: PartnershipInput
) -> Partnership:
    partnership = _editable_partnership(session, user, partnership_id)
    _apply_partnership(session, user, partnership, data)
    session.flush()
    return partnership


@audited
def delete_partnership(session: Session, user: CurrentUser, partnership_id: int) -> None:
    """Remove a partnership recorded by mistake (an ended one is kept, with its end date)."""
    session.delete(_editable_partnership(session, user, partnership_id))
    session.flush()


def partnership_details(session: Session, user: CurrentUser, partnership_id: int) -> dict[str, Any]:
    """A partnership's facts for its edit form."""
    require(user, Action.VIEW_REGISTER)
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound("error.partnership.not_found", id=partnership_id)
    first, second = _party_of(partnership, "first"), _party_of(partnership, "second")
    names = party_names(session, [first, second])
    return {
        "id": partnership.id,
        "kind": partnership.kind,
        "first": first,
        "second": second,
        "first_name": names.get(first.key, ""),
        "second_name": names.get(second.key, ""),
        "starts_on": partnership.starts_on,
        "ends_on": partnership.ends_on,
        "town_ids": [town.id for town in partnership.towns],
        "description": partnership.description,
    }


def party_names(session: Session, parties: Collection[Party]) -> dict[str, str]:
    """Display names of parties, keyed by `Party.key`."""
    ids: dict[str, set[int]] = defaultdict(set)
    for party in parties:
        ids[party.kind].add(party.id)
    names: dict[str, str] = {}
    models = {PartyKind.ACTOR: Partner, PartyKind.COMPANY: Company, PartyKind.PROJECT: Project}
    for kind, model in models.items():
        if ids[kind]:
            for id_, name in session.execute(
                select(model.id, model.name).where(model.id.in_(ids[kind]))
            ):
                names[f"{kind}:{id_}"] = name
    return names


def _reach() -> Any:
    """Per partnership: how many towns and regions it reaches."""
    return (
        select(
            partnership_towns.c.partnership_id,
            func.count().label("towns"),
            func.count(Town.region_id.distinct()).label("regions"),
        )
        .join(Town, Town.id == partnership_towns.c.town_id)
        .group_by(partnership_towns.c.partnership_id)
        .subquery()
    )


def _with_state() -> tuple[Any, Any, Any]:
    """Aliases for the two actor parties and whether either is a state agency."""
    first, second = aliased(Partner), aliased(Partner)
    state = or_(first.kind.in_(STATE_KINDS), second.kind.in_(STATE_KINDS))
    return first, second, state


def list_partnerships(
    session: Session,
    user: CurrentUser,
    *,
    town_id: int | None = None,
    year: int | None = None,
    kind: str | None = None,
    cross_border_only: bool = False,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
) -> Page:
    """Partnerships with their parties and towns; those crossing municipal or regional
    borders, and those with a state agency, are marked."""
    require(user, Action.VIEW_REGISTER)
    if page_size is None:
        require(user, Action.EXPORT)
    reach = _reach()
    first_actor, second_actor, state = _with_state()
    first_company, second_company = aliased(Company), aliased(Company)
    stmt = (
        select(
            Partnership.id,
            Partnership.kind,
            func.coalesce(first_actor.name, first_company.name).label("first"),
            func.coalesce(second_actor.name, second_company.name, Project.name).label("second"),
            Partnership.first_partner_id,
            Partnership.first_company_id,
            Partnership.second_partner_id,
            Partnership.second_company_id,
            Partnership.project_id,
            Partnership.starts_on,
            Partnership.ends_on,
            Partnership.description,
            (func.coalesce(reach.c.towns, 0) > 1).label("cross_municipal"),
            (func.coalesce(reach.c.regions, 0) > 1).label("cross_regional"),
            state.label("with_state"),
        )
        .outerjoin(reach, reach.c.partnership_id == Partnership.id)
        .outerjoin(first_actor, first_actor.id == Partnership.first_partner_id)
        .outerjoin(second_actor, second_actor.id == Partnership.second_partner_id)
        .outerjoin(first_company, first_company.id == Partnership.first_company_id)
        .outerjoin(second_company, second_company.id == Partnership.second_company_id)
        .outerjoin(Project, Project.id == Partnership.project_id)
        .order_by(Partnership.starts_on.desc(), Partnership.id.desc())
    )
    if town_id is not None:
        stmt = stmt.where(
            Partnership.id.in_(
                select(partnership_towns.c.partnership_id).where(
                    partnership_towns.c.town_id == town_id
                )
            )
        )
    if year is not None:
        stmt = stmt.where(_active_in(year))
    if kind:
        stmt = stmt.where(Partnership.kind == kind)
    if cross_border_only:
        stmt = stmt.where(func.coalesce(reach.c.towns, 0) > 1)
    result = paginate(session, stmt, page=page, page_size=page_size)
    towns = _partnership_town_names(session, [row["id"] for row in result.rows])
    for row in result.rows:
        row["towns"] = ", ".join(towns.get(row["id"], []))
        row["cross_municipal"] = bool(row["cross_municipal"])
        row["cross_regional"] = bool(row["cross_regional"])
        row["with_state"] = bool(row["with_state"])
    return result


def _partnership_town_names(session: Session, ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(partnership_towns.c.partnership_id, Town.name)
        .join(Town, Town.id == partnership_towns.c.town_id)
        .where(partnership_towns.c.partnership_id.in_(ids))
        .order_by(Town.name)
    )
    for partnership_id, name in rows:
        names[partnership_id].append(name)
    return names


# --- Maturity assessments ------------------------------------------------------------------


@audited
def record_assessment(
    session: Session,
    user: CurrentUser,
    *,
    town_id: int,
    year: int,
    maturity: str,
    driver: str,
    rationale: str,
    today: dt.date | None = None,
) -> MaturityAssessment:
    """A town's assessment for a year; a second one for the same year replaces the first
    (the change history keeps both)."""
    require_town(user, Action.EDIT_ECOSYSTEM, town_id)
    if session.get(Town, town_id) is None:
        raise NotFound("error.town.not_found", id=town_id)
    this_year = (today or dt.date.today()).year
    if not 2000 <= year <= this_year:
        raise ValidationError("error.assessment.year", field="year", last=this_year)
    if maturity not in set(Maturity):
        raise ValidationError("error.assessment.maturity", field="maturity")
    if driver not in set(EcosystemDriver):
        raise ValidationError("error.assessment.driver", field="driver")
    text = clean_text(rationale, field="rationale", max_length=RATIONALE_MAX, required=True)
    assessment = session.scalar(
        select(MaturityAssessment).where(
            MaturityAssessment.town_id == town_id, MaturityAssessment.year == year
        )
    )
    if assessment is None:
        assessment = MaturityAssessment(town_id=town_id, year=year)
        session.add(assessment)
    else:
        assessment.updated_at = now_utc()
    assessment.maturity = maturity
    assessment.driver = driver
    assessment.rationale = text or ""
    assessment.assessed_by_id = user.id
    session.flush()
    return assessment


@audited
def delete_assessment(session: Session, user: CurrentUser, assessment_id: int) -> None:
    """Remove an assessment entered for the wrong town or year."""
    assessment = session.get(MaturityAssessment, assessment_id)
    if assessment is None:
        raise NotFound("error.assessment.not_found", id=assessment_id)
    require_town(user, Action.EDIT_ECOSYSTEM, assessment.town_id)
    session.delete(assessment)
    session.flush()


def assessment_history(
    session: Session, user: CurrentUser, *, town_id: int
) -> list[dict[str, Any]]:
    """A town's assessments, newest year first, each beside the figures measured that year."""
    require(user, Action.VIEW_REGISTER)
    rows = [
        dict(row)
        for row in session.execute(
            select(
                MaturityAssessment.id,
                MaturityAssessment.year,
                MaturityAssessment.maturity,
                MaturityAssessment.driver,
                MaturityAssessment.rationale,
                User.full_name.label("assessed_by"),
                func.coalesce(MaturityAssessment.updated_at, MaturityAssessment.created_at).label(
                    "assessed_at"
                ),
            )
            .outerjoin(User, User.id == MaturityAssessment.assessed_by_id)
            .where(MaturityAssessment.town_id == town_id)
            .order_by(MaturityAssessment.year.desc())
        ).mappings()
    ]
    measured = _town_years(session, town_id, [row["year"] for row in rows])
    for row in rows:
        figures = measured[row["year"]].as_row()
        for key in MEASURED_KEYS:
            row[key] = figures[key]
    return rows


# --- Measured figures ----------------------------------------------------------------------

MEASURED_KEYS = (
    "actors",
    "partnerships",
    "cross_border_share",
    "companies_engaged",
    "company_driven_share",
)


@dataclass
class TownFigures:
    """What the register says of a town's ecosystem in a year."""

    town_id: int
    town: str
    region: str
    actors_by_type: Counter[str] = field(default_factory=Counter)
    local_by_type: Counter[str] = field(default_factory=Counter)
    local_actors: int = 0
    partnerships: int = 0
    cross_municipal: int = 0
    cross_regional: int = 0
    with_state: int = 0
    companies_engaged: int = 0
    participations: int = 0
    company_driven: int = 0
    derived_ties: int = 0
    cross_border_ties: int = 0
    maturity: str | None = None
    driver: str | None = None
    assessed_year: int | None = None

    def take_participations(self, companies: int, participations: int, driven: int | None) -> None:
        self.companies_engaged = companies
        self.participations = participations
        self.company_driven = int(driven or 0)

    def as_row(self) -> dict[str, Any]:
        row = {
            "town_id": self.town_id,
            "town": self.town,
            "region": self.region,
            "actors": sum(self.actors_by_type.values()),
            "local_actors": self.local_actors,
            "partnerships": self.partnerships,
            "cross_municipal": self.cross_municipal,
            "cross_regional": self.cross_regional,
            "with_state": self.with_state,
            "cross_border_share": _share(self.cross_municipal, self.partnerships),
            "companies_engaged": self.companies_engaged,
            "participations": self.participations,
            "company_driven": self.company_driven,
            "company_driven_share": _share(self.company_driven, self.participations),
            "derived_ties": self.derived_ties,
            "cross_border_ties": self.cross_border_ties,
            "maturity": self.maturity,
            "driver": self.driver,
            "assessed_year": self.assessed_year,
        }
        for kind in ActorType:
            row[f"actors_{kind.value}"] = self.actors_by_type.get(kind.value, 0)
            row[f"local_{kind.value}"] = self.local_by_type.get(kind.value, 0)
        return row


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def measured_figures(
    session: Session,
    user: CurrentUser,
    *,
    year: int,
    town_ids: Collection[int] | None = None,
    language: str = "fi",
) -> list[dict[str, Any]]:
    """Per town (default: every regional town) for the year: active actors by type, partnerships
    and how many cross municipal or regional borders or involve the state, companies engaged in
    projects, the company-driven share of participations, ties derived from shared projects,
    and the latest maturity assessment up to that year."""
    require(user, Action.VIEW_REGISTER)
    region_name = Region.name_en if language == "en" else Region.name_fi
    stmt = (
        select(Town.id, Town.name, region_name)
        .join(Region, Region.id == Town.region_id)
        .order_by(Town.name)
    )
    if town_ids is None:
        stmt = stmt.where(Town.is_regional_town)
    else:
        stmt = stmt.where(Town.id.in_(list(town_ids)))
    figures = {id_: TownFigures(id_, name, region) for id_, name, region in session.execute(stmt)}
    if not figures:
        return []
    ids = list(figures)
    _add_actors(session, figures, ids)
    _add_partnerships(session, figures, ids, year)
    _add_participations(session, figures, ids, year)
    _add_derived_ties(session, figures, ids, year)
    _add_assessments(session, figures, ids, year)
    return [figures[id_].as_row() for id_ in ids]


def _town_years(session: Session, town_id: int, years: list[int]) -> dict[int, TownFigures]:
    """One town's figures for several years at once (derived ties are left out): the
    participations are read once, grouped by year."""
    town = session.get(Town, town_id)
    name = town.name if town else ""
    result: dict[int, TownFigures] = {}
    actors = TownFigures(town_id, name, "")
    _add_actors(session, {town_id: actors}, [town_id])
    for year in years:
        figures = TownFigures(town_id, name, "")
        figures.actors_by_type = Counter(actors.actors_by_type)
        figures.local_by_type = Counter(actors.local_by_type)
        figures.local_actors = actors.local_actors
        _add_partnerships(session, {town_id: figures}, [town_id], year)
        result[year] = figures
    if not years:
        return result
    year_of = func.extract("year", Participation.occurred_on)
    rows = session.execute(
        select(year_of, *_participation_totals())
        .select_from(Company)
        .join(Participation, Participation.company_id == Company.id)
        .where(
            Company.town_id == town_id,
            Participation.occurred_on.between(
                dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
            ),
        )
        .group_by(year_of)
    )
    for year, *totals in rows:
        if int(year) in result:
            result[int(year)].take_participations(*totals)
    return result


def _participation_totals() -> tuple[Any, Any, Any]:
    """Companies taking part, participations, and those where the company was co-developer
    or initiator: the columns `TownFigures.take_participations` reads."""
    driven = case((Participation.role == ParticipationRole.CO_DEVELOPER, 1), else_=0)
    return func.count(Participation.company_id.distinct()), func.count(), func.sum(driven)


def _add_actors(session: Session, figures: dict[int, TownFigures], ids: list[int]) -> None:
    local = case((Partner.town_id == Town.id, 1), else_=0)
    rows = session.execute(
        select(Town.id, Partner.kind, func.count(), func.sum(local))
        .join(Partner, _serves_town(Town))
        .where(Town.id.in_(ids), Partner.is_active)
        .group_by(Town.id, Partner.kind)
    )
    for town_id, kind, count, local_count in rows:
        figures[town_id].actors_by_type[actor_type(kind)] += count
        figures[town_id].local_by_type[actor_type(kind)] += int(local_count or 0)
        figures[town_id].local_actors += int(local_count or 0)


def _add_partnerships(
    session: Session, figures: dict[int, TownFigures], ids: list[int], year: int
) -> None:
    reach = _reach()
    first_actor, second_actor, state = _with_state()

    def count_when(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(
            partnership_towns.c.town_id,
            func.count(),
            count_when(reach.c.towns > 1),
            count_when(reach.c.regions > 1),
            count_when(state),
        )
        .join(Partnership, Partnership.id == partnership_towns.c.partnership_id)
        .join(reach, reach.c.partnership_id == Partnership.id)
        .outerjoin(first_actor, first_actor.id == Partnership.first_partner_id)
        .outerjoin(second_actor, second_actor.id == Partnership.second_partner_id)
        .where(partnership_towns.c.town_id.in_(ids), _active_in(year))
        .group_by(partnership_towns.c.town_id)
    )
    for town_id, total, municipal, regional, with_state in rows:
        town = figures[town_id]
        town.partnerships = total
        town.cross_municipal = int(municipal or 0)
        town.cross_regional = int(regional or 0)
        town.with_state = int(with_state or 0)


def _participations_in(year: int) -> Select[Any]:
    first, last = _year_bounds(year)
    return (
        select(Participation.project_id, Participation.company_id, Company.town_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.occurred_on.between(first, last))
    )


def _add_participations(
    session: Session, figures: dict[int, TownFigures], ids: list[int], year: int
) -> None:
    first, last = _year_bounds(year)
    rows = session.execute(
        select(Company.town_id, *_participation_totals())
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.occurred_on.between(first, last), Company.town_id.in_(ids))
        .group_by(Company.town_id)
    )
    for town_id, *totals in rows:
        figures[town_id].take_participations(*totals)


def _add_derived_ties(
    session: Session, figures: dict[int, TownFigures], ids: list[int], year: int
) -> None:
    """Two companies that took part in the same project in the year are tied, once per
    project they share: within the town C(a, 2), and a·b across its border, where a of the
    project's companies are the town's and b are from elsewhere."""
    took_part = _participations_in(year).subquery()
    per_project = dict(
        session.execute(
            select(took_part.c.project_id, func.count(took_part.c.company_id.distinct())).group_by(
                took_part.c.project_id
            )
        ).all()
    )
    rows = session.execute(
        select(
            took_part.c.town_id,
            took_part.c.project_id,
            func.count(took_part.c.company_id.distinct()),
        )
        .where(took_part.c.town_id.in_(ids))
        .group_by(took_part.c.town_id, took_part.c.project_id)
    )
    for town_id, project_id, local in rows:
        others = per_project.get(project_id, 0) - local
        town = figures[town_id]
        town.derived_ties += local * (local - 1) // 2 + local * others
        town.cross_border_ties += local * others


def _add_assessments(
    session: Session, figures: dict[int, TownFigures], ids: list[int], year: int
) -> None:
    rows = session.execute(
        select(
            MaturityAssessment.town_id,
            MaturityAssessment.year,
            MaturityAssessment.maturity,
            MaturityAssessment.driver,
        )
        .where(MaturityAssessment.town_id.in_(ids), MaturityAssessment.year <= year)
        .order_by(MaturityAssessment.town_id, MaturityAssessment.year)
    )
    for town_id, assessed_year, maturity, driver in rows:  # the latest year wins
        town = figures[town_id]
        town.maturity, town.driver, town.assessed_year = maturity, driver, assessed_year


# --- The network ---------------------------------------------------------------------------


@dataclass
class Network:
    """Who works with whom around a town: nodes keyed `kind:id`, edges between them."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    total_nodes: int
    total_edges: int


def network(
    session: Session, user: CurrentUser, *, town_id: int, year: int, max_nodes: int = 100
) -> Network:
    """Who works with whom around the town in the year: its partnerships, the projects its
    companies took part in, and its own actors. A company with partnerships is a node of its
    own, tied to the projects it took part in; the others are counted in their projects'
    `companies`. At most `max_nodes`, partnership parties and the most connected first."""
    require(user, Action.VIEW_REGISTER)
    town = session.get(Town, town_id)
    if town is None:
        raise NotFound("error.town.not_found", id=town_id)
    edges: list[dict[str, Any]] = []
    partnerships = session.scalars(
        select(Partnership)
        .join(partnership_towns, partnership_towns.c.partnership_id == Partnership.id)
        .where(partnership_towns.c.town_id == town_id, _active_in(year))
        .order_by(Partnership.id)
    ).all()
    for partnership in partnerships:
        edges.append(
            {
                "source": _party_of(partnership, "first").key,
                "target": _party_of(partnership, "second").key,
                "kind": partnership.kind,
                "weight": 1,
            }
        )
    in_partnership = {key for edge in edges for key in (edge["source"], edge["target"])}
    first, last = _year_bounds(year)
    participation_rows = session.execute(
        select(Participation.company_id, Participation.project_id, func.count())
        .join(Company, Company.id == Participation.company_id)
        .where(Company.town_id == town_id, Participation.occurred_on.between(first, last))
        .group_by(Participation.company_id, Participation.project_id)
    )
    companies_in: Counter[str] = Counter()
    for company_id, project_id, count in participation_rows:
        company, project = f"{PartyKind.COMPANY}:{company_id}", f"{PartyKind.PROJECT}:{project_id}"
        companies_in[project] += 1
        if company in in_partnership:
            edges.append({"source": company, "target": project, "kind": "participation",
                          "weight": count})  # fmt: skip
    local_actors = session.scalars(
        select(Partner.id).where(Partner.town_id == town_id, Partner.is_active)
    ).all()
    keys = {f"{PartyKind.ACTOR}:{actor_id}" for actor_id in local_actors} | set(companies_in)
    degree: Counter[str] = Counter()
    for edge in edges:
        keys.update((edge["source"], edge["target"]))
        degree[edge["source"]] += 1
        degree[edge["target"]] += 1

    def priority(key: str) -> tuple[int, int, str]:
        # Partnership parties first, the most connected of them first; then the rest.
        return (0 if key in in_partnership else 1, -degree[key] - companies_in[key], key)

    kept = sorted(keys, key=priority)[:max_nodes]
    kept_set = set(kept)
    shown = [e for e in edges if e["source"] in kept_set and e["target"] in kept_set]
    nodes = _describe_nodes(session, kept, degree, town_id)
    for node in nodes:
        node["partnered"] = node["key"] in in_partnership
        node["companies"] = companies_in[node["key"]]
    return Network(nodes=nodes, edges=shown, total_nodes=len(keys), total_edges=len(edges))


def _describe_nodes(
    session: Session, keys: list[str], degree: Counter[str], town_id: int
) -> list[dict[str, Any]]:
    parties = [Party(key.split(":")[0], int(key.split(":")[1])) for key in keys]
    names = party_names(session, parties)
    actor_ids = [p.id for p in parties if p.kind == PartyKind.ACTOR]
    company_ids = [p.id for p in parties if p.kind == PartyKind.COMPANY]
    actor_rows = {
        id_: (kind, town)
        for id_, kind, town in session.execute(
            select(Partner.id, Partner.kind, Town.name)
            .outerjoin(Town, Town.id == Partner.town_id)
            .where(Partner.id.in_(actor_ids))
        )
    }
    company_towns = {
        id_: (name, home)
        for id_, name, home in session.execute(
            select(Company.id, Town.name, Company.town_id)
            .join(Town, Town.id == Company.town_id)
            .where(Company.id.in_(company_ids))
        )
    }
    nodes = []
    for party in parties:
        if party.kind == PartyKind.ACTOR:
            kind, town = actor_rows.get(party.id, (PartnerKind.OTHER.value, None))
            group, where = actor_type(kind), town
        elif party.kind == PartyKind.COMPANY:
            group, where = "company", company_towns.get(party.id, (None, None))[0]
        else:
            group, where = "project", None
        nodes.append(
            {
                "key": party.key,
                "label": names.get(party.key, party.key),
                "group": group,
                "town": where,
                "degree": degree[party.key],
                "elsewhere": party.kind == PartyKind.COMPANY
                and company_towns.get(party.id, (None, None))[1] != town_id,
            }
        )
    return nodes


# --- "Invest in" gaps ----------------------------------------------------------------------


def invest_in_gaps(
    session: Session,
    user: CurrentUser,
    *,
    town_id: int,
    today: dt.date,
    min_needs: int,
    language: str = "fi",
) -> list[dict[str, Any]]:
    """Per need category with unserved open needs in the town (no active project covering the
    town targets it): how many, and which actors serve it from the town itself, its region and
    the whole country. A category with at least `min_needs` such needs and no actor based in
    the town serving it is a gap; the kinds of actor serving it elsewhere say whom to attract."""
    require(user, Action.VIEW_REGISTER)
    town = session.get(Town, town_id)
    if town is None:
        raise NotFound("error.town.not_found", id=town_id)
    rows = unserved_needs(session, user, today=today, language=language, town_ids=[town_id])
    serving = _serving_actors(session, town)
    elsewhere = _kinds_serving_elsewhere(session, town)
    for row in rows:
        actors = serving.get(row["category_id"], {})
        row["red"] = int(row["red"] or 0)
        row["local_actors"] = ", ".join(sorted(actors.get("local", [])))
        row["regional_actors"] = ", ".join(sorted(actors.get("region", [])))
        row["national_actors"] = ", ".join(sorted(actors.get("country", [])))
        row["kinds_elsewhere"] = elsewhere.get(row["category_id"], [])
        row["is_gap"] = row["needs"] >= min_needs and not actors.get("local")
    rows.sort(key=lambda r: (not r["is_gap"], -r["needs"], r["category"]))
    return rows


def _serving_actors(session: Session, town: Town) -> dict[int, dict[str, list[str]]]:
    """Per category: the active actors serving it, by reach (the town, its region, the country)."""
    scope = case(
        (Partner.town_id == town.id, literal("local")),
        (and_(Partner.town_id.is_(None), Partner.region_id == town.region_id), literal("region")),
        else_=literal("country"),
    )
    rows = session.execute(
        select(partner_need_categories.c.category_id, scope, Partner.name)
        .join(Partner, Partner.id == partner_need_categories.c.partner_id)
        .where(
            Partner.is_active,
            or_(
                _serves_town(town),
                and_(Partner.town_id.is_(None), Partner.region_id.is_(None)),
            ),
        )
    )
    serving: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for category_id, where, actor_name in rows:
        serving[category_id][where].append(actor_name)
    return serving


def _kinds_serving_elsewhere(session: Session, town: Town) -> dict[int, list[str]]:
    """Per category: the kinds of actor based in another town, or serving another region, that
    serve it: commonest first, at most three."""
    rows = session.execute(
        select(partner_need_categories.c.category_id, Partner.kind, func.count())
        .join(Partner, Partner.id == partner_need_categories.c.partner_id)
        .where(
            Partner.is_active,
            or_(
                and_(Partner.town_id.is_not(None), Partner.town_id != town.id),
                and_(
                    Partner.town_id.is_(None),
                    Partner.region_id.is_not(None),
                    Partner.region_id != town.region_id,
                ),
            ),
        )
        .group_by(partner_need_categories.c.category_id, Partner.kind)
        .order_by(partner_need_categories.c.category_id, func.count().desc(), Partner.kind)
    )
    kinds: dict[int, list[str]] = defaultdict(list)
    for category_id, kind, _count in rows:
        if len(kinds[category_id]) < 3:
            kinds[category_id].append(kind)
    return kinds


def town_choices(session: Session, user: CurrentUser) -> list[dict[str, Any]]:
    """Regional towns, and any other town with an assessment or partnership, for the picker."""
    require(user, Action.VIEW_REGISTER)
    assessed = select(MaturityAssessment.town_id)
    partnered = select(partnership_towns.c.town_id)
    rows = session.execute(
        select(Town.id, Town.name)
        .where(or_(Town.is_regional_town, Town.id.in_(assessed), Town.id.in_(partnered)))
        .order_by(Town.name)
    )
    return [{"id": id_, "name": name} for id_, name in rows]


def move_company_partnerships(session: Session, *, keep_id: int, remove_id: int) -> int:
    """When two company records are merged: move the partnerships of the one removed (they
    now reach the kept company's home town too), and drop any that would leave the kept
    company partnered with itself."""
    moved_ids = set(
        session.scalars(
            select(Partnership.id).where(
                or_(
                    Partnership.first_company_id == remove_id,
                    Partnership.second_company_id == remove_id,
                )
            )
        )
    )
    for column in (Partnership.first_company_id, Partnership.second_company_id):
        session.execute(
            update(Partnership)
            .where(column == remove_id)
            .values({column.key: keep_id})
            .execution_options(synchronize_session=False)
        )
    session.execute(
        delete(Partnership)
        .where(Partnership.first_company_id == keep_id, Partnership.second_company_id == keep_id)
        .execution_options(synchronize_session=False)
    )
    kept_town = session.scalar(select(Company.town_id).where(Company.id == keep_id))
    still_there = set(session.scalars(select(Partnership.id).where(Partnership.id.in_(moved_ids))))
    reaching = set(
        session.scalars(
            select(partnership_towns.c.partnership_id).where(
                partnership_towns.c.partnership_id.in_(still_there),
                partnership_towns.c.town_id == kept_town,
            )
        )
    )
    missing = sorted(still_there - reaching)
    if missing and kept_town is not None:
        session.execute(
            partnership_towns.insert(),
            [{"partnership_id": pid, "town_id": kept_town} for pid in missing],
        )
    return len(moved_ids)
