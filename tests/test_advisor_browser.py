"""The advisor's journey in a real browser (issue 3): find a company, log a visit with a red need
and a follow-up, and find both again on the profile and the follow-up list.

Runs its own `streamlit run` on a copy of the demo database, since it saves a contact.
Screenshots go to test-artifacts/advisor-*.png.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from db.models import Company, Town
from services.auth import current_user
from services.companies import search_companies
from services.i18n import format_date, translate
from services.paging import DEFAULT_PAGE_SIZE
from services.validation import search_key
from tests.test_browser import (
    ARTIFACTS,
    TIMEOUT_MS,
    app_server,
    heading,
    sign_in,
    wait_for_content,
)

pytestmark = pytest.mark.browser

ROW_HEIGHT = 35  # pages/_ui.py draws every table row, and its header, this tall
SELECTION_COLUMN_X = 16  # the middle of the row-selection checkbox column


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


@pytest.fixture(scope="module")
def journey_database_url(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo database for this journey's writes."""
    source = make_url(demo_database_url).database
    target = tmp_path_factory.mktemp("advisor-browser") / "seutu.db"
    with closing(sqlite3.connect(str(source))) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def journey_server(journey_database_url: str, browser: Any) -> Iterator[str]:
    log = ARTIFACTS / "streamlit-advisor.log"
    with app_server(journey_database_url, log, browser) as base_url:
        yield base_url


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A page whose table downloads arrive as files (not through a save-file dialog)."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="fi-FI", accept_downloads=True
    )
    # Without the File System Access API the table's CSV button falls back to a plain download.
    context.add_init_script("delete window.showSaveFilePicker")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def tables(page: Any) -> Any:
    return page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')


def table_rows(page: Any, index: int) -> list[dict[str, str]]:
    """What a table shows, read through its own "Download as CSV" button (the grid is a canvas)."""
    frame = tables(page).nth(index)
    frame.hover()
    with page.expect_download() as download:
        frame.get_by_role("button", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def choose_row(page: Any, index: int, row: int) -> None:
    """Click a row's selection checkbox in a table drawn on a canvas, by its position."""
    box = tables(page).nth(index).bounding_box()
    assert box is not None
    page.mouse.click(
        box["x"] + SELECTION_COLUMN_X, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT // 2
    )


def shot(page: Any, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"advisor-{name}.png", full_page=True)


def no_exception(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def col(key: str) -> str:
    return fi(f"col.{key}")


def test_advisor_logs_a_visit_with_a_red_need_and_a_follow_up(
    journey_server: str,
    journey_database_url: str,
    tab: Any,
    demo_accounts: dict[str, dict[str, Any]],
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    engine = make_engine(journey_database_url)
    try:
        with Session(engine) as session:
            company_id, company = session.execute(
                select(Company.id, Company.name)
                .join(Town, Town.id == Company.town_id)
                .where(Town.name == "Forssa")
                .order_by(Company.id)
                .limit(1)
            ).one()
            user = current_user(session, advisor["id"])
            assert user is not None
            matches = search_companies(session, user, query=search_key(company)).total
    finally:
        engine.dispose()
    assert 1 <= matches <= DEFAULT_PAGE_SIZE
    today = dt.date.today()
    summary = f"Selaintesti {today:%d.%m.}: yrityskäynti, uusi uuni suunnitteilla"
    page = tab

    # Find the company by its name, typed in lower case without accents.
    page.goto(f"{journey_server}/companies")
    sign_in(page, advisor["username"], advisor["password"])
    heading(page, fi("page.companies")).wait_for()
    wait_for_content(page)
    search = page.get_by_label(fi("companies.search"))
    search.fill(search_key(company))
    search.press("Enter")
    page.get_by_text(fi("pager.summary", page=1, pages=1, total=matches)).wait_for()
    wait_for_content(page)
    found = table_rows(page, 0)
    names = [row[col("name")] for row in found]
    assert company in names
    shot(page, "01-search")

    # Open it by choosing its row.
    choose_row(page, 0, names.index(company))
    heading(page, company).wait_for()
    assert page.url.endswith(f"/companies?company={company_id}")
    wait_for_content(page, tables=3)
    shot(page, "02-profile")

    # Log a company visit with a red need and a follow-up.
    page.get_by_role("link", name=fi("company.log_contact")).click()
    heading(page, fi("page.log_contact")).wait_for()
    assert page.url.endswith(f"/log-contact?company={company_id}")
    page.get_by_role("button", name=fi("log.add_need")).click()
    page.get_by_text(fi("log.need_number", number=1), exact=True).wait_for()
    page.locator('[data-testid="stSelectbox"]').filter(has_text=fi("log.need_category")).click()
    page.get_by_role("option", name="rahoitus", exact=True).click()
    page.locator('[data-testid="stRadio"]').get_by_text(fi("severity.red"), exact=True).click()
    page.get_by_label(fi("log.summary")).fill(summary)
    page.get_by_label(fi("log.need_description")).fill("Rahoitus uuteen uuniin")
    page.locator('[data-testid="stCheckbox"]').filter(has_text=fi("log.add_follow_up")).click()
    page.get_by_label(fi("log.follow_up_description")).fill("Soita rahoitusvaihtoehdoista")
    shot(page, "03-log-contact-form")
    page.get_by_role("button", name=fi("log.save")).click()

    confirmation = page.get_by_text(fi("log.saved", company=company))
    confirmation.wait_for()
    confirmation.scroll_into_view_if_needed()
    no_exception(page)
    assert page.get_by_label(fi("log.summary")).input_value() == ""  # an empty form again
    shot(page, "04-saved")

    # The confirmation's link opens the profile: the red need and the follow-up are there.
    page.get_by_role("link", name=fi("log.open_profile")).click()
    heading(page, company).wait_for()
    wait_for_content(page, tables=3)
    shot(page, "05-profile-after")
    due = format_date(today + dt.timedelta(days=14), "fi")
    needs, follow_ups, timeline = (table_rows(page, n) for n in range(3))
    assert {
        col("identified_on"): format_date(today, "fi"),
        col("category"): "rahoitus",
        col("severity"): fi("severity.red"),
        col("status"): fi("need_status.open"),
        col("description"): "Rahoitus uuteen uuniin",
    } in needs
    assert needs[0][col("severity")] == fi("severity.red")  # red needs come first
    assert {
        col("due_on"): due,
        col("description"): "Soita rahoitusvaihtoehdoista",
        col("owner"): advisor["full_name"],
    } in follow_ups
    events = {(row[col("event")], row[col("text")]) for row in timeline}
    assert {
        (fi("timeline.interaction"), summary),
        (fi("timeline.need"), "Rahoitus uuteen uuniin"),
        (fi("timeline.follow_up"), "Soita rahoitusvaihtoehdoista"),
    } <= events

    # ...and the follow-up is on my list, later than this week.
    page.locator('[data-testid="stSidebarNav"]').get_by_text(fi("page.follow_ups")).click()
    heading(page, fi("page.follow_ups")).wait_for()
    wait_for_content(page)
    shot(page, "06-follow-ups")
    mine = table_rows(page, 0)
    assert {
        col("bucket"): fi("bucket.later"),
        col("due_on"): due,
        col("company"): company,
        col("town"): "Forssa",
        col("description"): "Soita rahoitusvaihtoehdoista",
        col("status"): fi("follow_up_status.open"),
        col("done_on"): "",
    } in mine
    no_exception(page)
