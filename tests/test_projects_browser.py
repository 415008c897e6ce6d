"""The need-fit journey in a real browser: the project list, a flagged project, its drill-downs.

Debian's Chromium driven by Playwright against `streamlit run` on the demo database (see
tests/test_browser.py). Screenshots go to test-artifacts/projects-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from db.seed import MISMATCHED_PROJECT
from services.auth import current_user
from services.i18n import translate
from services.need_fit import ProjectFit, need_fit
from services.projects import list_projects
from tests.test_browser import (
    ARTIFACTS,
    TIMEOUT_MS,
    heading,
    sign_in,
    streamlit_server,
    wait_for_content,
)

pytestmark = pytest.mark.browser

MISMATCHED = "Kansainvälistyvä Etelä-Pohjanmaa 2024–2026"  # the demo manager's current project
DRILL_DOWN = translate("fit.drill_down", "fi")  # "Näytä yritykset ja tarpeet"
EXCEPTION = '[data-testid="stException"]'
ROW_HEIGHT = 35  # pages/_ui.py ROW_HEIGHT: the table's header and each row


@pytest.fixture(scope="module")
def server(demo_database_url: str, browser: Any) -> Iterator[str]:
    log = ARTIFACTS / "streamlit-projects.log"
    with streamlit_server(demo_database_url, log) as base_url:
        # The first visit takes the new process out of Streamlit's folder-based page mode.
        page = browser.new_page()
        page.goto(f"{base_url}/")
        page.get_by_label(translate("login.username", "fi")).wait_for(timeout=TIMEOUT_MS)
        page.close()
        yield base_url


def listing_and_fits(url: str, user_id: int) -> tuple[list[str], dict[str, ProjectFit]]:
    """The project names in the list's order, and each project's need-fit, from the services."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            user = current_user(session, user_id)
            assert user is not None
            names = [row["name"] for row in list_projects(session, user, page_size=100).rows]
            fits = {f.name: f for f in need_fit(session, user, today=dt.date.today())}
    finally:
        engine.dispose()
    return names, fits


def choose_row(page: Any, index: int) -> None:
    """Choose a row of the page's first table by clicking its row marker (the grid is a canvas)."""
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 20, box["y"] + ROW_HEIGHT * (index + 1) + ROW_HEIGHT / 2)


def wait_for_project(page: Any, name: str, flags: int) -> None:
    """The project page is drawn down to its tabs, with a drill-down under each flag."""
    heading(page, name).wait_for()
    heading(page, translate("fit.flags", "fi")).wait_for()
    if flags:
        drill_downs = page.locator('[data-testid="stExpander"]').filter(has_text=DRILL_DOWN)
        drill_downs.nth(flags - 1).wait_for()
    page.get_by_role("tab", name=translate("project.participants", "fi")).wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    )


def flag_titles(page: Any) -> list[str]:
    """The bold names of the flags shown (each flag is an error box)."""
    alerts = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"] strong')
    return [text.strip() for text in alerts.all_inner_texts()]


def open_drill_down(page: Any, index: int) -> Any:
    """Open the index-th flag's drill-down; its table (the grid's hidden accessible copy)."""
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=DRILL_DOWN).nth(index)
    expander.locator("summary").click()
    table = expander.locator('[data-testid="stDataFrame"]')
    table.wait_for()
    table.locator('[role="gridcell"]').first.wait_for(state="attached")
    expander.scroll_into_view_if_needed()
    return table


def test_the_manager_opens_a_flagged_project_and_its_drill_downs(
    server: str, page: Any, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    manager = demo_accounts[Role.PROJECT_MANAGER]
    assert manager["username"] == "manager"
    names, fits = listing_and_fits(demo_database_url, int(manager["id"]))
    assert len(names) == 15

    page.goto(f"{server}/projects")
    heading(page, translate("app.title", "fi")).wait_for()
    sign_in(page, "manager", "hanke-demo-2026")
    heading(page, translate("page.projects", "fi")).wait_for()
    wait_for_content(page)
    page.screenshot(path=ARTIFACTS / "projects-01-list.png", full_page=True)
    assert page.locator(EXCEPTION).count() == 0

    # The demo manager's mismatched project, chosen from the list.
    choose_row(page, names.index(MISMATCHED))
    fit = fits[MISMATCHED]
    wait_for_project(page, MISMATCHED, len(fit.flags))
    page.wait_for_url("**/projects?project=*")
    expected = [translate(f"flag.{flag.code}", "fi") for flag in fit.flags]
    assert flag_titles(page) == expected
    for title in ("Heikko ratkaisuaste", "Heikko tyytyväisyys", "Kohdistus ohi tarpeista"):
        assert title in expected
    page.screenshot(path=ARTIFACTS / "projects-02-mismatched.png", full_page=True)

    # Behind "low satisfaction": the participations with poor feedback, company by company.
    table = open_drill_down(page, [f.code for f in fit.flags].index("low_satisfaction"))
    headers = table.locator('[role="columnheader"]').all_text_contents()
    assert translate("col.company", "fi") in headers  # "Yritys"
    assert table.locator('[role="gridcell"]').count() >= len(headers)
    page.screenshot(path=ARTIFACTS / "projects-03-satisfaction-drill-down.png", full_page=True)
    assert page.locator(EXCEPTION).count() == 0

    # The seed's other mismatched project, which reaches few companies, from the list again.
    page.goto(f"{server}/projects")
    heading(page, translate("page.projects", "fi")).wait_for()
    wait_for_content(page)
    choose_row(page, names.index(MISMATCHED_PROJECT))
    wait_for_project(page, MISMATCHED_PROJECT, len(fits[MISMATCHED_PROJECT].flags))
    shown = flag_titles(page)
    assert shown[0] == "Matala tavoittavuus"
    assert "Kohdistus ohi tarpeista" in shown
    table = open_drill_down(page, 0)
    headers = table.locator('[role="columnheader"]').all_text_contents()
    assert headers == [translate(f"col.{c}", "fi") for c in (
        "company", "business_id", "town", "took_part")]  # fmt: skip
    cells = table.locator('[role="gridcell"]').all_text_contents()
    fit = fits[MISMATCHED_PROJECT]
    # The demand companies that did not take part: four cells each, none took part.
    assert len(cells) == 4 * (fit.demand_companies - fit.reached_companies)
    assert set(cells[3::4]) == {translate("common.no", "fi")}
    page.screenshot(path=ARTIFACTS / "projects-04-low-reach-drill-down.png", full_page=True)
    assert page.locator(EXCEPTION).count() == 0


def sign_in_to_the_list(page: Any, server: str) -> None:
    page.goto(f"{server}/projects")
    heading(page, translate("app.title", "fi")).wait_for()
    sign_in(page, "manager", "hanke-demo-2026")
    heading(page, translate("page.projects", "fi")).wait_for()
    wait_for_content(page)


def test_back_to_the_list_and_another_project_opens_that_project(
    server: str, page: Any, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    names, fits = listing_and_fits(
        demo_database_url, int(demo_accounts[Role.PROJECT_MANAGER]["id"])
    )
    sign_in_to_the_list(page, server)
    choose_row(page, names.index(MISMATCHED))
    wait_for_project(page, MISMATCHED, len(fits[MISMATCHED].flags))

    page.get_by_text(translate("project.back", "fi"), exact=True).click()
    heading(page, translate("page.projects", "fi")).wait_for()
    wait_for_content(page)
    page.screenshot(path=ARTIFACTS / "projects-05-back-to-list.png", full_page=True)

    choose_row(page, names.index(MISMATCHED_PROJECT))
    heading(page, MISMATCHED_PROJECT).wait_for(timeout=10_000)
