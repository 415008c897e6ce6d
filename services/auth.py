"""Signing in: argon2id password hashes, and a lock after repeated failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import AuditEvent, User, user_towns
from services.errors import AccountLocked, InvalidCredentials

MAX_FAILED_LOGINS = 5
LOCK_DURATION = dt.timedelta(minutes=5)

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in user as services need them: identity, role and home towns."""

    id: int
    username: str
    full_name: str
    role: Role
    town_ids: frozenset[int]
    language: str = "fi"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def current_user(session: Session, user_id: int) -> CurrentUser | None:
    """The active user with this id, as a CurrentUser; None when gone or disabled."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return _as_current(session, user)


def authenticate(
    session: Session, *, username: str, password: str, now: dt.datetime | None = None
) -> CurrentUser:
    """Check a username and password. Five failures in a row lock the account for a while."""
    now = now or dt.datetime.now(dt.UTC)
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password)
        raise InvalidCredentials()
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise AccountLocked(minutes=_minutes_left(locked_until, now))
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        _record_sign_in(session, user, AuditAction.LOGIN_FAILED, now)
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.failed_logins = 0
            user.locked_until = now + LOCK_DURATION
            session.flush()
            raise AccountLocked(minutes=_minutes_left(user.locked_until, now))
        session.flush()
        raise InvalidCredentials()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _record_sign_in(session, user, AuditAction.LOGIN, now)
    session.flush()
    return _as_current(session, user)


def _record_sign_in(
    session: Session,
    user: User,
    action: AuditAction,
    now: dt.datetime,
    changes: dict[str, object] | None = None,
) -> None:
    session.add(
        AuditEvent(
            user_id=user.id,
            action=action,
            entity="users",
            entity_id=user.id,
            occurred_at=now,
            changes=changes,
        )
    )


def _as_current(session: Session, user: User) -> CurrentUser:
    town_ids = session.scalars(
        select(user_towns.c.town_id).where(user_towns.c.user_id == user.id)
    ).all()
    return CurrentUser(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        town_ids=frozenset(town_ids),
        language=user.language,
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)


def sign_in_by_email(
    session: Session, *, email: str, now: dt.datetime | None = None
) -> CurrentUser:
    """Single sign-on: the identity provider vouched for this email; the users table still
    decides whether the person may sign in and with which role."""
    now = now or dt.datetime.now(dt.UTC)
    address = (email or "").strip().lower()
    user = (
        session.scalar(select(User).where(func.lower(User.email) == address)) if address else None
    )
    if user is None or not user.is_active:
        raise InvalidCredentials("error.login.sso_unknown", email=address)
    user.last_login_at = now
    _record_sign_in(session, user, AuditAction.LOGIN, now, changes={"method": {"new": "sso"}})
    session.flush()
    return _as_current(session, user)
