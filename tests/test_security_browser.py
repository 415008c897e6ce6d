"""Sign-in and hostile text in a real browser (issue 6): Debian's Chromium, driven by Playwright,
against `streamlit run` on this module's own copy of the demo database (it disables a user and
adds companies).

* A reload keeps the user signed in (the `seutu_session` cookie); signing out ends it, and a
  reload then shows the sign-in form with the cookie gone.
* Disabling a user ends their sign-in at once, in a browser that is already signed in.
* Markup in a company name is shown as text on its profile, and never runs.

Screenshots go to test-artifacts/security-*.png.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from db.models import Town, UserSession
from services.auth import current_user
from services.companies import CompanyInput, create_company
from services.i18n import translate
from services.sessions import COOKIE_NAME
from services.users import set_user_active
from services.validation import business_id_check_digit
from tests.test_browser import (
    ARTIFACTS,
    TIMEOUT_MS,
    app_server,
    heading,
    sign_in,
    wait_for_content,
)

pytestmark = pytest.mark.browser

SCRIPT_NAME = "<script>alert(1)</script> Oy"
IMG_NAME = '<img src=x onerror="alert(2)"> & <b>Lihava</b> Ky'


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


@pytest.fixture(scope="module")
def security_database_url(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo database, made with SQLite's backup API (safe with WAL)."""
    source = make_url(demo_database_url).database
    target = tmp_path_factory.mktemp("security-browser") / "seutu.db"
    with closing(sqlite3.connect(str(source))) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        # Other modules use the shared demo database first (a language switch, failed sign-ins,
        # open sessions): start from the accounts as the seed made them.
        dst.execute(
            "UPDATE users SET language = 'fi', is_active = 1, failed_logins = 0, "
            "locked_until = NULL"
        )
        dst.execute("UPDATE user_sessions SET ended_at = CURRENT_TIMESTAMP")
        dst.commit()
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def db(security_database_url: str) -> Iterator[Engine]:
    engine = make_engine(security_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def security_server(security_database_url: str, browser: Any) -> Iterator[str]:
    log = ARTIFACTS / "streamlit-security.log"
    with app_server(security_database_url, log, browser) as base_url:
        yield base_url


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A browser profile of its own (its own cookies), with every dialog recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fi-FI")
    context.dialogs = []  # type: ignore[attr-defined]
    try:
        yield context
    finally:
        context.close()


def new_page(context: Any) -> Any:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def record(dialog: Any) -> None:
        context.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return page


def shot(page: Any, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"security-{name}.png", full_page=True)


def session_cookie(context: Any) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE_NAME), None)


def wait_for_cookie(context: Any, *, present: bool) -> str | None:
    """The sign-in cookie once it is set (or once it is gone): a script on the page sets it."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        value = session_cookie(context)
        if (value is not None) == present:
            return value
        time.sleep(0.1)
    raise AssertionError(f"the {COOKIE_NAME} cookie is {'missing' if present else 'still set'}")


def greeting(account: dict[str, Any]) -> str:
    return fi("home.greeting", name=str(account["full_name"]).split(" ")[0])


def signed_in_home(page: Any, account: dict[str, Any]) -> None:
    heading(page, greeting(account)).wait_for()


def sign_in_form(page: Any) -> None:
    page.get_by_label(fi("login.username")).wait_for()
    page.get_by_role("button", name=fi("login.submit")).wait_for()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0


def no_exception(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def ended(db: Engine, token: str) -> bool:
    """Whether the server has ended the session of this cookie value."""
    with Session(db) as session:
        row = session.get(UserSession, hashlib.sha256(token.encode()).hexdigest())
        assert row is not None, "the cookie names a session the server started"
        return row.ended_at is not None


def open_sessions(db: Engine, user_id: int) -> int:
    with Session(db) as session:
        return len(
            session.scalars(
                select(UserSession.token_hash).where(
                    UserSession.user_id == user_id, UserSession.ended_at.is_(None)
                )
            ).all()
        )


def test_a_reload_keeps_the_user_signed_in_until_they_sign_out(
    security_server: str, context: Any, db: Engine, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    page = new_page(context)
    page.goto(f"{security_server}/")
    sign_in_form(page)
    assert session_cookie(context) is None
    sign_in(page, advisor["username"], advisor["password"])
    signed_in_home(page, advisor)
    token = wait_for_cookie(context, present=True)
    assert token
    assert not ended(db, token)
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE_NAME)
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    shot(page, "01-signed-in")

    page.reload()
    signed_in_home(page, advisor)
    wait_for_content(page, tables=3)
    assert session_cookie(context) == token
    no_exception(page)
    shot(page, "02-after-reload")

    # Also in another tab of the same browser, on another page.
    other = new_page(context)
    other.goto(f"{security_server}/companies")
    heading(other, fi("page.companies")).wait_for()
    other.close()

    page.get_by_role("button", name=fi("app.logout")).click()
    sign_in_form(page)
    wait_for_cookie(context, present=False)
    shot(page, "03-signed-out")
    # Ended on the server too: the token no longer signs anyone in.
    assert ended(db, token)

    page.reload()
    sign_in_form(page)
    assert session_cookie(context) is None
    no_exception(page)
    shot(page, "04-reload-after-sign-out")
    assert context.dialogs == []


def test_a_stolen_token_stops_working_after_sign_out(
    security_server: str,
    browser: Any,
    context: Any,
    demo_accounts: dict[str, dict[str, Any]],
) -> None:
    """The cookie's value is a server-side session: a copy of it in another browser signs in
    only until the owner signs out."""
    leader = demo_accounts[Role.LEADERSHIP]
    page = new_page(context)
    page.goto(f"{security_server}/")
    sign_in(page, leader["username"], leader["password"])
    signed_in_home(page, leader)
    token = wait_for_cookie(context, present=True)

    thief = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fi-FI")
    try:
        host = security_server.split("//", 1)[1].split(":")[0]
        thief.add_cookies([{"name": COOKIE_NAME, "value": token, "domain": host, "path": "/"}])
        copy = thief.new_page()
        copy.set_default_timeout(TIMEOUT_MS)
        copy.goto(f"{security_server}/")
        signed_in_home(copy, leader)

        page.get_by_role("button", name=fi("app.logout")).click()
        sign_in_form(page)
        copy.reload()
        sign_in_form(copy)
        shot(copy, "05-copied-cookie-after-sign-out")
    finally:
        thief.close()


def test_disabling_a_user_ends_their_sign_in_at_once(
    security_server: str, context: Any, db: Engine, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor, admin = demo_accounts[Role.ADVISOR], demo_accounts[Role.ADMIN]
    page = new_page(context)
    page.goto(f"{security_server}/")
    sign_in(page, advisor["username"], advisor["password"])
    signed_in_home(page, advisor)
    token = wait_for_cookie(context, present=True)
    page.reload()
    signed_in_home(page, advisor)
    assert open_sessions(db, advisor["id"]) >= 1

    with Session(db) as session:
        acting = current_user(session, int(admin["id"]))
        assert acting is not None
        set_user_active(session, acting, int(advisor["id"]), active=False)
        session.commit()
    try:
        # The very next thing the user does finds them signed out, without a reload...
        page.locator('[data-testid="stSidebarNav"]').get_by_text(fi("page.companies")).click()
        sign_in_form(page)
        page.get_by_text(fi("login.session_ended")).wait_for()
        shot(page, "06-disabled-next-click")
        # ... and a reload too.
        page.reload()
        sign_in_form(page)
        wait_for_cookie(context, present=False)
        shot(page, "07-disabled-reload")
        # Nor can they sign in again.
        sign_in(page, advisor["username"], advisor["password"])
        page.get_by_text(fi("error.login.invalid")).wait_for()
        sign_in_form(page)
        no_exception(page)
    finally:
        with Session(db) as session:
            acting = current_user(session, int(admin["id"]))
            assert acting is not None
            set_user_active(session, acting, int(advisor["id"]), active=True)
            session.commit()
    assert ended(db, token)
    assert open_sessions(db, advisor["id"]) == 0


def test_an_idle_session_ends_and_a_reload_asks_to_sign_in(
    security_server: str, context: Any, db: Engine, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    manager = demo_accounts[Role.PROJECT_MANAGER]
    page = new_page(context)
    page.goto(f"{security_server}/")
    sign_in(page, manager["username"], manager["password"])
    signed_in_home(page, manager)
    token = wait_for_cookie(context, present=True)
    page.reload()
    signed_in_home(page, manager)

    # Idle for longer than the setting allows (60 minutes by default).
    with Session(db) as session:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hashlib.sha256(token.encode()).hexdigest())
            .values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61))
        )
        session.commit()
    page.reload()
    sign_in_form(page)
    page.get_by_text(fi("login.session_ended")).wait_for()
    wait_for_cookie(context, present=False)
    shot(page, "09-idle-reload")
    no_exception(page)


def add_company(db: Engine, admin_id: int, name: str, number: int) -> int:
    base = number
    while business_id_check_digit(f"{base:07d}") is None:
        base += 1
    business_id = f"{base:07d}-{business_id_check_digit(f'{base:07d}')}"
    with Session(db) as session:
        admin = current_user(session, admin_id)
        assert admin is not None
        forssa = session.scalars(select(Town.id).where(Town.name == "Forssa")).one()
        company = create_company(
            session, admin, CompanyInput(business_id, name, forssa, staff_count=3)
        )
        session.commit()
        return company.id


@pytest.mark.parametrize(("name", "number"), [(SCRIPT_NAME, 9_100_001), (IMG_NAME, 9_100_101)])
def test_markup_in_a_company_name_is_shown_as_text_and_never_runs(
    security_server: str,
    context: Any,
    db: Engine,
    demo_accounts: dict[str, dict[str, Any]],
    name: str,
    number: int,
) -> None:
    advisor, admin = demo_accounts[Role.ADVISOR], demo_accounts[Role.ADMIN]
    company_id = add_company(db, int(admin["id"]), name, number)
    page = new_page(context)
    page.goto(f"{security_server}/companies?company={company_id}")
    sign_in(page, advisor["username"], advisor["password"])
    title = heading(page, name)
    title.wait_for()
    assert title.inner_text().strip() == name
    page.get_by_text(fi("company.log_contact")).wait_for()
    page.wait_for_timeout(1000)  # time for anything that would run to run
    slug = "script" if "script" in name else "img"
    shot(page, f"08-profile-{slug}")

    assert context.dialogs == []
    main = page.locator('[data-testid="stMain"]')
    # The only script is the app's own, which sets the sign-in cookie.
    scripts = main.locator("script").all_inner_texts()
    assert all(text.startswith(f"document.cookie = '{COOKIE_NAME}=") for text in scripts)
    assert not any("alert" in text for text in scripts)
    assert main.locator("img[src='x']").count() == 0
    assert main.locator("h1 b").count() == 0
    no_exception(page)
