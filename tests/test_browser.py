"""Journeys in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

Screenshots go to test-artifacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from db.engine import DATABASE_URL_ENV
from db.enums import Role
from services.i18n import translate
from tests.browsing import ARTIFACTS, ROOT, TIMEOUT_MS
from tests.test_permissions import EXPECTED_PAGES

pytestmark = pytest.mark.browser

STARTUP_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            health = f"{base_url}/_stcore/health"  # our own server, over plain http
            with urllib.request.urlopen(health, timeout=2) as answer:  # noqa: S310
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit did not answer on {base_url} in {STARTUP_TIMEOUT_S} s")


@contextmanager
def streamlit_server(database_url: str, log: Path) -> Iterator[str]:
    """`streamlit run` on a free port; its base URL. Always stopped at the end."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, DATABASE_URL_ENV: database_url}
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(base_url, process)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def app_server(database_url: str, log: Path, browser: Any) -> Iterator[str]:
    """A server for the tests: started, and visited once at "/", which takes the new process
    out of Streamlit's folder-based page mode (see
    test_a_bookmark_works_as_the_first_request_after_a_restart)."""
    with streamlit_server(database_url, log) as base_url:
        first = browser.new_page()
        first.goto(f"{base_url}/")
        first.get_by_label(translate("login.username", "fi")).wait_for(timeout=TIMEOUT_MS)
        first.close()
        yield base_url


@pytest.fixture(scope="module")
def server(demo_database_url: str, browser: Any) -> Iterator[str]:
    with app_server(demo_database_url, ARTIFACTS / "streamlit.log", browser) as base_url:
        yield base_url


def sign_in(page: Any, username: str, password: str) -> None:
    page.get_by_label(translate("login.username", "fi")).fill(username)
    page.get_by_label(translate("login.password", "fi")).fill(password)
    page.get_by_role("button", name=translate("login.submit", "fi")).click()


def heading(page: Any, text: str) -> Any:
    return page.get_by_role("heading", name=text, exact=True)


def wait_for_content(page: Any, tables: int = 1) -> None:
    """The page's tables (or its "nothing found" notice) are drawn, not placeholders."""
    page.locator(
        '[data-testid="stMain"] [data-testid="stDataFrame"], '
        '[data-testid="stMain"] [data-testid="stAlert"]'
    ).nth(tables - 1).wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    )


def sidebar_pages(page: Any) -> list[str]:
    """The page titles in the sidebar menu, without their icons' names."""
    labels = page.locator(
        '[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"] '
        '[data-testid="stMarkdownContainer"]'
    )
    labels.first.wait_for()
    return [text.strip() for text in labels.all_inner_texts()]


def test_advisor_signs_in_and_sees_exactly_the_advisors_pages(
    server: str, page: Any, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    page.goto(f"{server}/")
    heading(page, translate("app.title", "fi")).wait_for()
    page.screenshot(path=ARTIFACTS / "01-login.png", full_page=True)

    sign_in(page, advisor["username"], advisor["password"])
    first_name = advisor["full_name"].split(" ")[0]
    heading(page, translate("home.greeting", "fi", name=first_name)).wait_for()
    wait_for_content(page, tables=3)
    page.screenshot(path=ARTIFACTS / "02-advisor-home.png", full_page=True)

    expected = [translate(f"page.{key}", "fi") for key in EXPECTED_PAGES[Role.ADVISOR]]
    shown = sidebar_pages(page)
    assert shown == expected
    assert translate("page.admin", "fi") not in shown  # "Ylläpito"
    assert translate("page.leadership", "fi") not in shown  # "Johdon näkymä"
    assert page.locator('[data-testid="stException"]').count() == 0
    assert re.fullmatch(rf"{re.escape(server)}/?", page.url)


def test_a_bookmarked_page_opens_after_signing_in(
    server: str, page: Any, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    page.goto(f"{server}/companies?q=test")
    heading(page, translate("app.title", "fi")).wait_for()
    page.screenshot(path=ARTIFACTS / "03-bookmark-login.png", full_page=True)

    sign_in(page, advisor["username"], advisor["password"])
    heading(page, translate("page.companies", "fi")).wait_for()
    wait_for_content(page)
    page.screenshot(path=ARTIFACTS / "04-bookmark-companies.png", full_page=True)

    assert page.url == f"{server}/companies?q=test"
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_bookmark_works_as_the_first_request_after_a_restart(
    demo_database_url: str, page: Any, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    with streamlit_server(demo_database_url, ARTIFACTS / "streamlit-restart.log") as base_url:
        page.goto(f"{base_url}/companies?q=test")
        heading(page, translate("app.title", "fi")).wait_for()
        page.screenshot(path=ARTIFACTS / "05-bookmark-after-restart.png", full_page=True)
        # Signed out: the sign-in form and no menu of pages.
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0

        sign_in(page, advisor["username"], advisor["password"])
        heading(page, translate("page.companies", "fi")).wait_for()
        wait_for_content(page)
        assert page.url == f"{base_url}/companies?q=test"
        assert page.locator('[data-testid="stException"]').count() == 0
