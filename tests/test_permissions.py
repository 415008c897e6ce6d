"""Who may do what: the pages each role sees, and the services that refuse the others."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from services import companies, dashboards, users
from services.errors import Forbidden
from services.permissions import PAGES, Action, pages_for, require, require_town
from tests.factories import acting

ADVISOR_PAGES = [
    "home",
    "companies",
    "log_contact",
    "needs",
    "follow_ups",
    "projects",
    "ecosystem",
]
EXPECTED_PAGES = {
    Role.ADVISOR: ADVISOR_PAGES,
    Role.PROJECT_MANAGER: [*ADVISOR_PAGES, "engagement", "import_export"],
    Role.LEADERSHIP: [
        "home",
        "companies",
        "needs",
        "follow_ups",
        "projects",
        "ecosystem",
        "engagement",
        "leadership",
        "import_export",
    ],
    Role.ADMIN: list(PAGES),
}
TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("role", list(Role))
def test_pages_for_each_role(role: Role) -> None:
    assert pages_for(acting(role)) == EXPECTED_PAGES[role]


def test_admin_sees_all_eleven_pages() -> None:
    assert len(pages_for(acting(Role.ADMIN))) == 11


@pytest.mark.parametrize(
    ("role", "action"),
    [
        (Role.ADVISOR, Action.VIEW_LEADERSHIP),
        (Role.ADVISOR, Action.EXPORT),
        (Role.ADVISOR, Action.ADMINISTER),
        (Role.LEADERSHIP, Action.LOG_CONTACT),
        (Role.LEADERSHIP, Action.EDIT_COMPANY),
        (Role.PROJECT_MANAGER, Action.VIEW_LEADERSHIP),
        (Role.PROJECT_MANAGER, Action.EDIT_COMPANY),
        (Role.PROJECT_MANAGER, Action.IMPORT),
    ],
)
def test_require_refuses_what_the_role_may_not_do(role: Role, action: Action) -> None:
    with pytest.raises(Forbidden) as caught:
        require(acting(role), action)
    assert caught.value.key == "error.forbidden"


@pytest.mark.parametrize("role", list(Role))
def test_everyone_may_view_the_register(role: Role) -> None:
    require(acting(role), Action.VIEW_REGISTER)


def test_advisor_edits_companies_only_in_home_towns() -> None:
    advisor = acting(Role.ADVISOR, town_ids={1, 2})
    require_town(advisor, Action.EDIT_COMPANY, 1)
    require_town(advisor, Action.EDIT_COMPANY, 2)
    with pytest.raises(Forbidden) as caught:
        require_town(advisor, Action.EDIT_COMPANY, 3)
    assert caught.value.key == "error.forbidden_town"


def test_admin_edits_companies_in_any_town() -> None:
    require_town(acting(Role.ADMIN), Action.EDIT_COMPANY, 3)


def test_town_rule_still_checks_the_role() -> None:
    with pytest.raises(Forbidden) as caught:
        require_town(acting(Role.LEADERSHIP, town_ids={3}), Action.EDIT_COMPANY, 3)
    assert caught.value.key == "error.forbidden"


SERVICES = {
    "follow_up_status_by_town": lambda s, u: dashboards.follow_up_status_by_town(s, u, today=TODAY),
    "follow_up_status_by_owner": lambda s, u: dashboards.follow_up_status_by_owner(
        s, u, today=TODAY
    ),
    "engagement_by_project": lambda s, u: dashboards.engagement_by_project(
        s, u, start=dt.date(2026, 1, 1), end=TODAY
    ),
    "list_users": lambda s, u: users.list_users(s, u),
    "export_companies": lambda s, u: companies.export_companies(s, u),
}
ALLOWED = {
    "follow_up_status_by_town": {Role.LEADERSHIP, Role.ADMIN},
    "follow_up_status_by_owner": {Role.LEADERSHIP, Role.ADMIN},
    "engagement_by_project": {Role.PROJECT_MANAGER, Role.LEADERSHIP, Role.ADMIN},
    "list_users": {Role.ADMIN},
    "export_companies": {Role.PROJECT_MANAGER, Role.LEADERSHIP, Role.ADMIN},
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", list(Role))
def test_services_enforce_the_role(session: Session, service: str, role: Role) -> None:
    call = SERVICES[service]
    if role in ALLOWED[service]:
        assert call(session, acting(role)) is not None
    else:
        with pytest.raises(Forbidden):
            call(session, acting(role))
