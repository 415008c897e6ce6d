"""Who may do what. Pages are shown by these rules and services enforce them."""

from __future__ import annotations

from enum import StrEnum

from db.enums import Role
from services.auth import CurrentUser
from services.errors import Forbidden


class Action(StrEnum):
    VIEW_REGISTER = "view_register"  # companies, contact history, needs, follow-ups, projects
    LOG_CONTACT = "log_contact"
    EDIT_COMPANY = "edit_company"  # advisors only in their home towns
    EDIT_PROJECT = "edit_project"  # project managers only their own projects
    VIEW_ENGAGEMENT = "view_engagement"
    VIEW_LEADERSHIP = "view_leadership"
    EXPORT = "export"
    IMPORT = "import"
    ADMINISTER = "administer"
    # Ecosystem actors, partnerships and maturity assessments; advisors only in their home towns.
    EDIT_ECOSYSTEM = "edit_ecosystem"


_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW_REGISTER: frozenset(Role),
    Action.LOG_CONTACT: frozenset({Role.ADVISOR, Role.PROJECT_MANAGER, Role.ADMIN}),
    Action.EDIT_COMPANY: frozenset({Role.ADVISOR, Role.ADMIN}),
    Action.EDIT_PROJECT: frozenset({Role.PROJECT_MANAGER, Role.ADMIN}),
    Action.VIEW_ENGAGEMENT: frozenset({Role.PROJECT_MANAGER, Role.LEADERSHIP, Role.ADMIN}),
    Action.VIEW_LEADERSHIP: frozenset({Role.LEADERSHIP, Role.ADMIN}),
    Action.EXPORT: frozenset({Role.PROJECT_MANAGER, Role.LEADERSHIP, Role.ADMIN}),
    Action.IMPORT: frozenset({Role.ADMIN}),
    Action.ADMINISTER: frozenset({Role.ADMIN}),
    Action.EDIT_ECOSYSTEM: frozenset({Role.ADVISOR, Role.ADMIN}),
}

# The app's pages, in menu order, with the action that opens each.
PAGES: dict[str, Action] = {
    "home": Action.VIEW_REGISTER,
    "companies": Action.VIEW_REGISTER,
    "log_contact": Action.LOG_CONTACT,
    "needs": Action.VIEW_REGISTER,
    "follow_ups": Action.VIEW_REGISTER,
    "projects": Action.VIEW_REGISTER,
    "ecosystem": Action.VIEW_REGISTER,
    "engagement": Action.VIEW_ENGAGEMENT,
    "leadership": Action.VIEW_LEADERSHIP,
    "import_export": Action.EXPORT,
    "admin": Action.ADMINISTER,
}


def can(user: CurrentUser, action: Action) -> bool:
    return user.role in _ALLOWED[action]


def require(user: CurrentUser, action: Action) -> None:
    """Raise Forbidden unless the user's role allows the action."""
    if not can(user, action):
        raise Forbidden(action=action.value)


def can_in_town(user: CurrentUser, action: Action, town_id: int) -> bool:
    """Whether the user may do the action on a record of this town (advisors: home towns)."""
    return can(user, action) and (user.role != Role.ADVISOR or town_id in user.town_ids)


def can_refer(user: CurrentUser, town_id: int) -> bool:
    """Referring a need moves it along: advisors only in their home towns."""
    if not can(user, Action.LOG_CONTACT):
        return False
    return user.role != Role.ADVISOR or town_id in user.town_ids


def require_town(user: CurrentUser, action: Action, town_id: int) -> None:
    """Raise Forbidden unless the user may do the action on a record of this town."""
    require(user, action)
    if not can_in_town(user, action, town_id):
        raise Forbidden("error.forbidden_town", action=action.value)


def pages_for(user: CurrentUser) -> list[str]:
    """The pages this user's role may open, in menu order."""
    return [page for page, action in PAGES.items() if can(user, action)]
