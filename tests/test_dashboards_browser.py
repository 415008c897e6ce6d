"""Both dashboards in a real browser: Debian's Chromium, driven by Playwright, against
`streamlit run` on the demo database (the fixtures and helpers of tests/test_browser.py).

Screenshots go to test-artifacts/dashboards-*.png.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Region
from services import engagement, reference
from services.dashboards import follow_up_status_by_owner, follow_up_status_by_town
from services.engagement import EngagementFilters
from services.i18n import format_date, format_number, format_percent, translate
from tests import test_browser as base
from tests.databases import user_of
from tests.test_browser import ARTIFACTS, heading, sign_in, wait_for_content

pytestmark = pytest.mark.browser

# `streamlit run` on the demo database, from tests/test_browser.py (Chromium and the page come
# from tests/conftest.py).
server = base.server

Accounts = dict[str, dict[str, Any]]
CHART = '[data-testid="stVegaLiteChart"]'
EXCEPTION = '[data-testid="stException"]'
# A chart counts as drawn when Vega has put its marks on a canvas or into an SVG.
DRAWN_CHARTS = """
(wanted) => {
  const drawn = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].filter(chart => {
    const canvas = chart.querySelector('canvas');
    if (canvas && canvas.width > 0 && canvas.height > 0) return true;
    const svg = chart.querySelector('svg');
    return !!svg && svg.querySelectorAll('.role-mark path, .role-mark rect').length > 0;
  });
  return drawn.length >= wanted
    && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0;
}
"""


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


def signed_in_as_leader(server: str, page: Any, accounts: Accounts) -> None:
    leader = accounts[Role.LEADERSHIP]
    page.goto(f"{server}/")
    heading(page, fi("app.title")).wait_for()
    sign_in(page, leader["username"], leader["password"])
    first_name = leader["full_name"].split(" ")[0]
    heading(page, fi("home.greeting", name=first_name)).wait_for()
    wait_for_content(page)


def wait_for_charts(page: Any, count: int) -> None:
    page.wait_for_function(DRAWN_CHARTS, arg=count)
    # Let the last run settle, then make sure nothing more is still coming.
    page.wait_for_timeout(500)
    page.wait_for_function(DRAWN_CHARTS, arg=count)


def screenshot(page: Any, name: str, height: int = 2400) -> None:
    """The whole main area: Streamlit scrolls inside its own container, so grow the window."""
    page.set_viewport_size({"width": 1400, "height": height})
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / f"dashboards-{name}.png", full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def chart_texts(page: Any) -> list[str]:
    """Every text Vega drew in the charts: titles, axis titles, labels, legends."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')]
            .map(text => text.textContent)"""
    )


def metric_values(page: Any) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def download_report(page: Any, label: str, folder: Path) -> tuple[str, dict[str, list[Any]]]:
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=label)
    with page.expect_download() as event:
        button.click()
    download = event.value
    path = folder / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path)
    sheets = {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }
    return download.suggested_filename, sheets


def test_the_leader_sees_both_dashboards_drawn(
    server: str, page: Any, demo_accounts: Accounts
) -> None:
    signed_in_as_leader(server, page, demo_accounts)

    page.goto(f"{server}/engagement")
    heading(page, fi("page.engagement")).wait_for()
    wait_for_charts(page, 5)
    assert page.locator(CHART).count() == 5
    assert page.locator(EXCEPTION).count() == 0
    assert len(metric_values(page)) == 5
    titles = chart_texts(page)  # Vega draws the titles itself, inside the SVG
    for name in ("months", "needs", "participation", "feedback"):
        assert fi(f"engagement.chart.{name}") in titles, name
    assert fi("col.interactions") in titles  # an axis title
    screenshot(page, "01-engagement")

    page.goto(f"{server}/leadership")
    heading(page, fi("page.leadership")).wait_for()
    wait_for_charts(page, 2)
    assert page.locator(CHART).count() == 2
    assert page.locator(EXCEPTION).count() == 0
    titles = chart_texts(page)
    assert fi("leadership.chart.response") in titles
    assert fi("col.days_overdue") in titles  # an axis title
    screenshot(page, "02-leadership", height=3000)
    assert page.locator(EXCEPTION).count() == 0


def test_engagement_filters_from_a_bookmark(
    server: str, page: Any, demo_accounts: Accounts, demo: Session
) -> None:
    signed_in_as_leader(server, page, demo_accounts)
    bookmark = f"{server}/engagement?from=2025-01-01&to=2025-12-31&section=C"
    page.goto(bookmark)
    heading(page, fi("page.engagement")).wait_for()
    wait_for_charts(page, 5)

    period = page.locator('[data-testid="stDateInput"]')
    assert [box.input_value() for box in period.locator("input").all()] == [
        "2025-01-01",
        "2025-12-31",
    ]
    shown = "".join(period.locator('[data-testid="stDateInputField"]').inner_text().split())
    assert shown == "01.01.2025–31.12.2025"  # DD.MM.YYYY
    section = page.get_by_role("combobox", name=fi("filter.industry_section"))
    assert section.input_value() == fi("tol.C")  # "C Teollisuus"
    size = page.get_by_role("combobox", name=fi("filter.size_class"))
    assert size.input_value() == fi("filter.any")
    assert page.url == bookmark  # the filters stay in the URL

    chosen = EngagementFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), industry_section="C")
    figures = engagement.key_figures(demo, user_of(demo, demo_accounts[Role.LEADERSHIP]), chosen)
    assert metric_values(page) == [
        format_number(figures["companies_contacted"], "fi"),
        format_number(figures["interactions"], "fi"),
        format_number(figures["needs_identified"], "fi"),
        format_number(figures["companies_participating"], "fi"),
        format_percent(figures["met_share"], "fi"),
    ]
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "03-engagement-bookmark")


def _region_05(session: Session) -> tuple[int, str, list[int]]:
    region = session.scalars(select(Region).where(Region.code == "05")).one()
    return (
        region.id,
        f"{region.code} {region.name_fi}",
        reference.towns_by_region(session)[region.id],
    )


def test_the_leadership_report_downloads_with_the_figures_shown(
    server: str, page: Any, demo_accounts: Accounts, demo: Session, tmp_path: Path
) -> None:
    signed_in_as_leader(server, page, demo_accounts)
    region_id, region_label, _ = _region_05(demo)
    page.goto(f"{server}/leadership?from=2025-01-01&to=2026-06-30&region={region_id}")
    heading(page, fi("page.leadership")).wait_for()
    wait_for_charts(page, 2)
    assert page.url.endswith(f"/leadership?from=2025-01-01&to=2026-06-30&region={region_id}")

    today = dt.date.today()
    name, sheets = download_report(page, fi("leadership.report"), tmp_path)
    assert name == f"{fi('leadership.report_file')}-{today.isoformat()}.xlsx"
    assert list(sheets) == [
        fi("report.cover"),
        fi("report.sheet.towns"),
        fi("report.sheet.owners"),
        fi("report.sheet.ageing"),
        fi("report.sheet.response"),
        fi("report.sheet.flagged"),
    ]
    # The first row heads the two columns ("Tieto", "Arvo").
    cover = {row[0]: row[1] for row in sheets[fi("report.cover")][1:] if row[0]}
    assert cover == {
        fi("report.title"): fi("page.leadership"),
        fi("report.made"): format_date(today, "fi"),
        fi("filter.period"): "1.1.2025–30.6.2026",
        fi("filter.region"): region_label,
    }
    user = user_of(demo, demo_accounts[Role.LEADERSHIP])
    start = dt.date(2025, 1, 1)
    by_town = follow_up_status_by_town(
        demo, user, today=today, region_id=region_id, due_since=start
    )
    columns = ("open", "overdue", "done", "cancelled")
    assert sheets[fi("report.sheet.towns")][1:] == [
        (row["town"], *(row[c] for c in columns)) for row in by_town
    ]
    owners = follow_up_status_by_owner(
        demo, user, today=today, due_since=start, region_id=region_id
    )
    assert sheets[fi("report.sheet.owners")][1:] == [
        (row["owner"], *(row[c] for c in columns)) for row in owners
    ]
    # The page's key figures are the report's.
    totals = [sum(row[c] for row in by_town) for c in ("open", "overdue", "done")]
    flagged = len(sheets[fi("report.sheet.flagged")]) - 1
    assert metric_values(page) == [format_number(n, "fi") for n in (*totals, flagged)]
    assert page.locator(EXCEPTION).count() == 0


class Unreadable(AssertionError):
    """What the tests below guard against: text cut short, or in the wrong language or format."""


def test_an_english_users_report_is_in_english(
    server: str, page: Any, demo_accounts: Accounts, tmp_path: Path, languages_restored: None
) -> None:
    signed_in_as_leader(server, page, demo_accounts)
    page.goto(f"{server}/leadership")
    heading(page, fi("page.leadership")).wait_for()
    page.get_by_role("combobox", name=fi("app.language")).click()
    page.get_by_role("option", name=translate("language.en", "en")).click()
    heading(page, translate("page.leadership", "en")).wait_for()
    wait_for_charts(page, 2)

    _, sheets = download_report(page, translate("leadership.report", "en"), tmp_path)
    assert len(sheets) == 6
    # The flags on the last sheet were translated during the run: English.
    flagged = sheets[list(sheets)[-1]][1:]
    assert flagged
    assert all(translate("flag.misaligned", "fi") not in row[2] for row in flagged)
    expected = [translate("report.cover", "en"), translate("report.sheet.towns", "en")]
    if list(sheets)[:2] != expected:
        raise Unreadable(f"sheets {list(sheets)[:2]} instead of {expected}")


def test_the_response_time_tooltip_uses_a_decimal_comma(
    server: str, page: Any, demo_accounts: Accounts, demo: Session
) -> None:
    signed_in_as_leader(server, page, demo_accounts)
    region_id, _, _ = _region_05(demo)  # three towns: a short heat map
    page.goto(f"{server}/leadership?from=2025-01-01&to=2026-06-30&region={region_id}")
    heading(page, fi("page.leadership")).wait_for()
    wait_for_charts(page, 2)
    chart = page.locator(CHART).nth(1)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    tooltip = page.locator("#vg-tooltip-element.visible")
    text = ""
    deadline = time.monotonic() + 30
    # Sweep the chart until the pointer rests on a cell and Vega shows its tooltip.
    for y in range(int(box["y"]) + 5, int(box["y"] + box["height"]), 6):
        for x in range(int(box["x"]) + 5, int(box["x"] + box["width"]), 10):
            page.mouse.move(x, y)
            if tooltip.count():
                text = tooltip.inner_text()
                break
        if text or time.monotonic() > deadline:
            break
    assert fi("col.median_days") in text, "no tooltip found on the response-time chart"
    page.screenshot(path=ARTIFACTS / "dashboards-04-response-tooltip.png")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    median = lines[lines.index(fi("col.median_days")) + 1]
    if "." in median or "," not in median:
        raise Unreadable(f"median shown as {median!r}")


def test_every_chart_title_is_drawn_in_full(
    server: str, page: Any, demo_accounts: Accounts
) -> None:
    signed_in_as_leader(server, page, demo_accounts)
    page.goto(f"{server}/engagement")
    heading(page, fi("page.engagement")).wait_for()
    wait_for_charts(page, 5)
    drawn = chart_texts(page)
    page.goto(f"{server}/leadership")
    heading(page, fi("page.leadership")).wait_for()
    wait_for_charts(page, 2)
    drawn += chart_texts(page)
    keys = [f"engagement.chart.{name}" for name in ("months", "needs", "funnel")]
    keys += ["engagement.chart.participation", "engagement.chart.feedback"]
    keys += ["leadership.chart.ageing", "leadership.chart.response"]
    missing = [fi(key) for key in keys if fi(key) not in drawn]
    if missing:
        cut = [text for text in drawn if text.endswith("…")]
        raise Unreadable(f"not drawn in full: {missing}; drawn cut short: {cut}")
