"""Signed-in browsers: a random token in a cookie, its hash on the server, revocable at once.

A reload of the page starts a new Streamlit session; the token lets it resume the sign-in until
the user signs out, is disabled, or stays idle longer than the setting allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.models import UserSession, now_utc
from services.auth import CurrentUser, current_user
from services.settings import current_settings

COOKIE_NAME = "seutu_session"
# Last-seen is written at most this often, so page runs do not all write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def start_session(session: Session, user: CurrentUser) -> str:
    """A new sign-in for this user; returns the token for the browser's cookie."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_hash(token), user_id=user.id))
    session.flush()
    return token


def resume_session(
    session: Session, token: str, *, now: dt.datetime | None = None
) -> CurrentUser | None:
    """The user signed in with this token, or None when it is unknown, ended or idle too long.

    Only reads; `touch_session` records that the browser is still in use.
    """
    now = now or now_utc()
    if not token:
        return None
    record = session.get(UserSession, _hash(token))
    if record is None or record.ended_at is not None:
        return None
    idle = dt.timedelta(minutes=current_settings(session)["session.idle_minutes"])
    if now - _aware(record.last_seen_at) > idle:
        return None
    return current_user(session, record.user_id)


def touch_session(session: Session, token: str, *, now: dt.datetime | None = None) -> None:
    """Move the idle clock on, at most once a minute."""
    now = now or now_utc()
    session.execute(
        update(UserSession)
        .where(
            UserSession.token_hash == _hash(token),
            UserSession.ended_at.is_(None),
            UserSession.last_seen_at < now - TOUCH_INTERVAL,
        )
        .values(last_seen_at=now)
    )


def end_session(session: Session, token: str) -> None:
    """Sign this browser out."""
    if token:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=now_utc())
        )


def end_user_sessions(session: Session, user_id: int) -> None:
    """Sign the user out everywhere, e.g. when the account is disabled."""
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=now_utc())
    )


def idle_minutes(session: Session) -> int:
    return int(current_settings(session)["session.idle_minutes"])
