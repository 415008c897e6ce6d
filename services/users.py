"""The people who use the app, for administrators."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import NAME_MAX, Town, User, user_towns
from services.audit import audited
from services.auth import CurrentUser, hash_password
from services.errors import NotFound, ValidationError
from services.i18n import LANGUAGES
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.passwords import check_password
from services.permissions import Action, require
from services.sessions import end_user_sessions
from services.validation import clean_email, clean_text


def list_users(
    session: Session,
    user: CurrentUser,
    *,
    role: str | None = None,
    town_id: int | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Users with their role, home towns and last sign-in, by name."""
    require(user, Action.ADMINISTER)
    stmt = select(
        User.id,
        User.username,
        User.full_name,
        User.email,
        User.role,
        User.is_active,
        User.last_login_at,
    ).order_by(User.full_name, User.id)
    if role:
        stmt = stmt.where(User.role == role)
    if town_id is not None:
        stmt = stmt.where(
            User.id.in_(select(user_towns.c.user_id).where(user_towns.c.town_id == town_id))
        )
    result = paginate(session, stmt, page=page, page_size=page_size)
    towns: dict[int, list[str]] = defaultdict(list)
    for user_id, name in session.execute(
        select(user_towns.c.user_id, Town.name)
        .join(Town, Town.id == user_towns.c.town_id)
        .where(user_towns.c.user_id.in_([row["id"] for row in result.rows]))
        .order_by(Town.name)
    ):
        towns[user_id].append(name)
    for row in result.rows:
        row["towns"] = ", ".join(towns.get(row["id"], []))
    return result


@audited
def set_language(session: Session, user: CurrentUser, language: str) -> None:
    """Remember the interface language the user chose."""
    if language not in LANGUAGES:
        raise ValidationError("error.language", field="language")
    account = session.get(User, user.id)
    if account is not None:
        account.language = language
        session.flush()


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


@dataclass(frozen=True)
class UserInput:
    username: str
    full_name: str
    email: str
    role: str
    town_ids: tuple[int, ...] = ()
    language: str = "fi"


def user_details(session: Session, admin: CurrentUser, user_id: int) -> dict[str, Any]:
    require(admin, Action.ADMINISTER)
    account = _account(session, user_id)
    return {
        "id": account.id,
        "username": account.username,
        "full_name": account.full_name,
        "email": account.email,
        "role": account.role,
        "language": account.language,
        "is_active": account.is_active,
        "town_ids": [town.id for town in account.towns],
    }


@audited
def create_user(session: Session, admin: CurrentUser, data: UserInput, *, password: str) -> User:
    """A new account with a password that meets the policy."""
    require(admin, Action.ADMINISTER)
    values = _validated(session, data, user_id=None)
    check_password(password, username=values["username"])
    account = User(**values, password_hash=hash_password(password), is_active=True)
    account.towns = _towns(session, data.town_ids)
    session.add(account)
    session.flush()
    return account


@audited
def update_user(session: Session, admin: CurrentUser, user_id: int, data: UserInput) -> User:
    """Change a user's name, email, role, language and home towns."""
    require(admin, Action.ADMINISTER)
    account = _account(session, user_id)
    values = _validated(session, data, user_id=user_id)
    if account.id == admin.id and values["role"] != account.role:
        raise ValidationError("error.user.own_role", field="role")
    for key, value in values.items():
        setattr(account, key, value)
    account.towns = _towns(session, data.town_ids)
    session.flush()
    return account


@audited
def set_user_active(session: Session, admin: CurrentUser, user_id: int, *, active: bool) -> User:
    """Disable an account (signed out everywhere at once) or enable it again."""
    require(admin, Action.ADMINISTER)
    account = _account(session, user_id)
    if account.id == admin.id and not active:
        raise ValidationError("error.user.disable_self", field="is_active")
    account.is_active = active
    if not active:
        end_user_sessions(session, account.id)
    session.flush()
    return account


@audited
def reset_password(session: Session, admin: CurrentUser, user_id: int, *, password: str) -> None:
    """Set a new password (policy applies); the user is signed out everywhere."""
    require(admin, Action.ADMINISTER)
    account = _account(session, user_id)
    check_password(password, username=account.username)
    account.password_hash = hash_password(password)
    account.failed_logins = 0
    account.locked_until = None
    end_user_sessions(session, account.id)
    session.flush()


def _account(session: Session, user_id: int) -> User:
    account = session.get(User, user_id)
    if account is None:
        raise NotFound("error.user.not_found", id=user_id)
    return account


def _towns(session: Session, town_ids: tuple[int, ...]) -> list[Town]:
    towns = list(session.scalars(select(Town).where(Town.id.in_(town_ids))))
    if len(towns) != len(set(town_ids)):
        raise ValidationError("error.project.unknown_reference", field="towns")
    return towns


def _validated(session: Session, data: UserInput, *, user_id: int | None) -> dict[str, Any]:
    username = (data.username or "").strip().lower()
    if not USERNAME.match(username):
        raise ValidationError("error.user.username", field="username")
    full_name = clean_text(data.full_name, field="full_name", max_length=NAME_MAX, required=True)
    email = clean_email(data.email, required=True)
    if data.role not in set(Role):
        raise ValidationError("error.user.role", field="role")
    if data.language not in LANGUAGES:
        raise ValidationError("error.language", field="language")
    if data.role == Role.ADVISOR and not data.town_ids:
        raise ValidationError("error.user.advisor_towns", field="towns")
    for column, value, key in ((User.username, username, "error.user.username_taken"),
                               (User.email, email, "error.user.email_taken")):  # fmt: skip
        holder = session.scalar(select(User.id).where(column == value))
        if holder is not None and holder != user_id:
            raise ValidationError(key, field=column.key, value=value)
    return {
        "username": username,
        "full_name": full_name,
        "email": email,
        "role": data.role,
        "language": data.language,
    }
