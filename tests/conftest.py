"""Fixtures: a migrated database per backend, a rolled-back session per test, the demo database.

See tests/databases.py for how the backends are found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from tests.apptest_fixtures import copy_database, fresh_app
from tests.browsing import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.databases import (
    BACKENDS,
    POSTGRES_URL_ENV,
    PostgresServer,
    new_empty_database,
    postgres_admin_url,
    rolled_back_session,
    unavailable,
)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    url = postgres_admin_url()
    if url is None:
        unavailable(f"no PostgreSQL: set {POSTGRES_URL_ENV} or start one on 127.0.0.1:5432")
    server = PostgresServer(url)
    try:
        server.check()
    except OperationalError as error:
        unavailable(f"PostgreSQL at {server.admin_url!r} does not answer: {error}")
    try:
        yield server
    finally:
        server.drop_databases()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database for this test run, one per backend."""
    url = new_empty_database(request.param, request, tmp_path_factory.mktemp(request.param))
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose every change is rolled back when the test ends."""
    with rolled_back_session(engine) as session:
        yield session


# --- The demo database for page and browser tests ----------------------------------------------


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file prepared as the app prepares a new one: migrated and filled with demo data."""
    from db.bootstrap import prepare_database

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'seutu-demo.db'}"
    engine = make_engine(url)
    try:
        assert prepare_database(engine), "a new embedded database must get demo data"
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_accounts(demo_database_url: str) -> dict[str, dict[str, object]]:
    """The demo accounts by role: username, password, user id and full name."""
    from db.models import User
    from db.seed import DEMO_ACCOUNTS

    engine = make_engine(demo_database_url)
    accounts: dict[str, dict[str, object]] = {}
    try:
        with Session(engine) as session:
            for role, username, password in DEMO_ACCOUNTS:
                user = session.scalars(select(User).where(User.username == username)).one()
                assert user.role == role
                accounts[role] = {
                    "username": username,
                    "password": password,
                    "id": user.id,
                    "full_name": user.full_name,
                }
    finally:
        engine.dispose()
    return accounts


@pytest.fixture
def languages_restored(demo_database_url: str) -> Iterator[None]:
    """The app keeps a language switch as the user's preference, in the shared demo database:
    put every demo user's language back afterwards."""
    from db.models import User

    engine = make_engine(demo_database_url)
    try:
        with engine.connect() as connection:
            saved = dict(connection.execute(select(User.id, User.language)).all())
        yield
        with engine.begin() as connection:
            for user_id, language in saved.items():
                connection.execute(update(User).where(User.id == user_id).values(language=language))
    finally:
        engine.dispose()


@pytest.fixture
def demo(demo_database_url: str) -> Iterator[Session]:
    """A reading session on the demo database: on SQLite it must not hold the write lock the
    app needs."""
    engine = make_engine(demo_database_url)
    try:
        with make_session_factory(engine, for_reading=True)() as session:
            yield session
    finally:
        engine.dispose()


# --- Page tests (AppTest) ------------------------------------------------------------------------


@pytest.fixture
def app(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """A fresh app session on the shared demo database, for tests that only read."""
    yield from fresh_app(demo_database_url, monkeypatch)


@pytest.fixture
def own_database(demo_database_url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    return copy_database(demo_database_url, tmp_path)


@pytest.fixture
def own_app(own_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """A fresh app session on a private copy of the demo database, for tests that write."""
    yield from fresh_app(own_database, monkeypatch)


# --- Browser tests (Playwright driving Debian's Chromium) ----------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright, for one test module."""
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A Finnish browser tab of its own (its own cookies)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()
