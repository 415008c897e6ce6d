"""The people who use the app, for administrators."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Town, User, user_towns
from services.audit import audited
from services.auth import CurrentUser
from services.errors import ValidationError
from services.i18n import LANGUAGES
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require


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
