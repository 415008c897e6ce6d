"""Signing in: the right password works, wrong ones count, five in a row lock the account."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import AuditEvent, User
from services.auth import LOCK_DURATION, MAX_FAILED_LOGINS, authenticate, hash_password
from services.errors import AccountLocked, InvalidCredentials
from tests import factories as make
from tests.factories import PASSWORD

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def advisor(session: Session) -> User:
    region = make.region(session)
    forssa = make.town(session, "Forssa", region=region)
    salo = make.town(session, "Salo", region=make.region(session, code="02", name="V-S"))
    return make.user(
        session,
        role=Role.ADVISOR,
        username="neuvoja",
        full_name="Nea Neuvoja",
        towns=[forssa, salo],
    )


def sign_in(session: Session, password: str, *, now: dt.datetime = NOW, username: str = "neuvoja"):  # type: ignore[no-untyped-def]
    try:
        return authenticate(session, username=username, password=password, now=now)
    finally:
        # Each attempt is its own request: read the user afresh from the database next time.
        session.expire_all()


def test_right_password_signs_in_with_role_and_home_towns(session: Session, advisor: User) -> None:
    user = sign_in(session, PASSWORD)

    assert user.id == advisor.id
    assert user.role is Role.ADVISOR
    assert user.full_name == "Nea Neuvoja"
    assert user.town_ids == {town.id for town in advisor.towns}
    assert len(user.town_ids) == 2


def test_username_is_matched_without_case_or_surrounding_spaces(
    session: Session, advisor: User
) -> None:
    assert sign_in(session, PASSWORD, username="  NEUVOJA ").id == advisor.id


def test_wrong_password_is_refused(session: Session, advisor: User) -> None:
    with pytest.raises(InvalidCredentials):
        sign_in(session, PASSWORD + "x")


def test_unknown_user_is_refused_like_a_wrong_password(session: Session, advisor: User) -> None:
    with pytest.raises(InvalidCredentials):
        sign_in(session, PASSWORD, username="tuntematon")


def test_disabled_user_cannot_sign_in(session: Session, advisor: User) -> None:
    advisor.is_active = False
    session.flush()
    with pytest.raises(InvalidCredentials):
        sign_in(session, PASSWORD)


def test_five_failures_lock_the_account_until_the_lock_time_passes(
    session: Session, advisor: User
) -> None:
    assert MAX_FAILED_LOGINS == 5
    for attempt in range(1, 5):
        with pytest.raises(InvalidCredentials):
            sign_in(session, f"arvaus-{attempt}", now=NOW + dt.timedelta(seconds=attempt))
    with pytest.raises(AccountLocked) as caught:
        sign_in(session, "arvaus-5", now=NOW + dt.timedelta(seconds=5))
    assert caught.value.params["minutes"] == LOCK_DURATION.total_seconds() // 60

    # While locked even the right password is refused.
    for later in (dt.timedelta(seconds=6), LOCK_DURATION - dt.timedelta(seconds=1)):
        with pytest.raises(AccountLocked):
            sign_in(session, PASSWORD, now=NOW + later)

    # Once the lock has passed, the right password works again.
    user = sign_in(session, PASSWORD, now=NOW + dt.timedelta(seconds=6) + LOCK_DURATION)
    assert user.id == advisor.id


def test_a_successful_sign_in_resets_the_failure_count(session: Session, advisor: User) -> None:
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            sign_in(session, "väärin")
    sign_in(session, PASSWORD)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            sign_in(session, "väärin")
    assert sign_in(session, PASSWORD).id == advisor.id


def test_sign_ins_and_failures_are_audited(session: Session, advisor: User) -> None:
    with pytest.raises(InvalidCredentials):
        sign_in(session, "väärin")
    sign_in(session, PASSWORD)

    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.user_id == advisor.id).order_by(AuditEvent.id)
    ).all()
    assert actions == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN]
    assert session.get(User, advisor.id).last_login_at is not None


def test_passwords_are_stored_as_argon2id_hashes(session: Session, advisor: User) -> None:
    stored = session.scalar(select(User.password_hash).where(User.id == advisor.id))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    fresh = hash_password(PASSWORD)
    assert fresh.startswith("$argon2id$")
    assert fresh != hash_password(PASSWORD)  # salted
