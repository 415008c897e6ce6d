"""Page tests with Streamlit's AppTest against the seeded demo database.

Every role opens every page it may see, and is turned away from every page it may not.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from services.i18n import translate
from services.permissions import PAGES
from tests.test_permissions import EXPECTED_PAGES

FORBIDDEN_TITLE = translate("app.forbidden_title", "fi")
FORBIDDEN_MESSAGE = translate("error.page_forbidden", "fi")


def page_file(key: str) -> str:
    return f"pages/{key.replace('_', '-')}.py"  # scripts are named as their URL paths


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def expected_title(key: str, account: dict[str, object], language: str = "fi") -> str:
    if key == "home":
        first_name = str(account["full_name"]).split(" ")[0]
        return translate("home.greeting", language, name=first_name)
    return translate(f"page.{key}", language)


def sign_in_with_form(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def open_as(at: AppTest, account: dict[str, object], key: str) -> AppTest:
    """Open a page the way the sidebar does for a signed-in user."""
    at.session_state["user_id"] = account["id"]
    at.run()
    return at.switch_page(page_file(key)).run()


def open_bookmark_as(at: AppTest, account: dict[str, object], key: str) -> AppTest:
    """Open a page's URL while signed out, then sign in: the URL still names that page."""
    at.run()
    at.switch_page(page_file(key))
    at.session_state["user_id"] = account["id"]
    return at.run()


# --- Signing in -------------------------------------------------------------------------------


def test_signed_out_visitor_sees_only_the_login_form(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert titles(app) == [translate("app.title", "fi")]
    assert [box.label for box in app.text_input] == [
        translate("login.username", "fi"),
        translate("login.password", "fi"),
    ]
    assert not app.dataframe


def test_advisor_signs_in_through_the_form_and_lands_home(
    app: AppTest, demo_accounts: dict[str, dict[str, object]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    app.run()
    sign_in_with_form(app, str(advisor["username"]), str(advisor["password"]))

    assert not app.exception
    assert app.session_state["user_id"] == advisor["id"]
    assert titles(app) == [expected_title("home", advisor)]
    assert not app.error


def test_wrong_password_shows_an_error_and_stays_on_the_login_form(
    app: AppTest, demo_accounts: dict[str, dict[str, object]]
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    app.run()
    sign_in_with_form(app, str(leader["username"]), "väärä-salasana")

    assert not app.exception
    assert [error.value for error in app.error] == [translate("error.login.invalid", "fi")]
    assert titles(app) == [translate("app.title", "fi")]
    assert len(app.text_input) == 2
    assert app.session_state["user_id"] is None


def test_the_page_asked_for_opens_after_signing_in(
    app: AppTest, demo_accounts: dict[str, dict[str, object]]
) -> None:
    manager = demo_accounts[Role.PROJECT_MANAGER]
    app.run()
    app.switch_page(page_file("companies")).run()
    assert titles(app) == [translate("app.title", "fi")]  # the login form first

    sign_in_with_form(app, str(manager["username"]), str(manager["password"]))
    assert not app.exception
    assert titles(app) == [translate("page.companies", "fi")]


def test_signing_out_returns_to_the_login_form(
    app: AppTest, demo_accounts: dict[str, dict[str, object]]
) -> None:
    open_as(app, demo_accounts[Role.ADMIN], "home")
    logout = next(b for b in app.sidebar.button if b.label == translate("app.logout", "fi"))
    logout.click()
    app.run()
    assert app.session_state["user_id"] is None
    assert titles(app) == [translate("app.title", "fi")]


# --- Every role, every page ---------------------------------------------------------------------

ALLOWED = [(role, key) for role in Role for key in EXPECTED_PAGES[role]]
DENIED = [(role, key) for role in Role for key in PAGES if key not in EXPECTED_PAGES[role]]


@pytest.mark.parametrize(("role", "key"), ALLOWED, ids=[f"{r.value}-{k}" for r, k in ALLOWED])
def test_role_opens_its_page(
    app: AppTest, demo_accounts: dict[str, dict[str, object]], role: Role, key: str
) -> None:
    account = demo_accounts[role]
    open_as(app, account, key)

    assert not app.exception, [e.value for e in app.exception]
    assert titles(app)[:1] == [expected_title(key, account)]
    assert not app.error, [e.value for e in app.error]
    assert FORBIDDEN_TITLE not in titles(app)


@pytest.mark.parametrize(("role", "key"), DENIED, ids=[f"{r.value}-{k}" for r, k in DENIED])
def test_role_is_turned_away_from_a_page_it_may_not_see(
    app: AppTest, demo_accounts: dict[str, dict[str, object]], role: Role, key: str
) -> None:
    account = demo_accounts[role]
    open_bookmark_as(app, account, key)

    assert not app.exception, [e.value for e in app.exception]
    assert titles(app) == [FORBIDDEN_TITLE]
    assert [error.value for error in app.error] == [FORBIDDEN_MESSAGE]
    assert translate(f"page.{key}", "fi") not in titles(app)
    assert not app.dataframe
    assert not app.metric


def test_denied_list_is_not_empty() -> None:
    assert len(DENIED) == 4 + 2 + 2 + 0  # advisor, manager, leadership, admin


# --- Language ---------------------------------------------------------------------------------


def test_choosing_english_translates_the_page(
    app: AppTest, demo_accounts: dict[str, dict[str, object]]
) -> None:
    open_as(app, demo_accounts[Role.LEADERSHIP], "companies")
    assert titles(app) == [translate("page.companies", "fi")]

    app.selectbox(key="language").set_value("en").run()
    assert not app.exception
    assert titles(app) == [translate("page.companies", "en")]
    assert translate("page.companies", "en") != translate("page.companies", "fi")

    app.switch_page(page_file("leadership")).run()
    assert titles(app) == [translate("page.leadership", "en")]
