"""The innovation ecosystem page in a real browser: the advisor's home town, its network chart,
maturity history and Invest in gaps, and a network at its 100-node cap.

Debian's Chromium driven by Playwright against `streamlit run` (see tests/test_browser.py), on
a copy of the demo database with one town's network grown past the cap. Screenshots go to
test-artifacts/ecosystem-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import PartnerKind, PartnershipKind, Role
from db.models import Partner, Town
from services import ecosystem
from services.auth import current_user
from services.ecosystem import ActorInput, PartnershipInput, Party, PartyKind
from services.i18n import translate
from services.settings import current_settings
from tests.apptest_fixtures import copy_database
from tests.test_browser import (
    ARTIFACTS,
    app_server,
    heading,
    sidebar_pages,
    sign_in,
)
from tests.test_permissions import EXPECTED_PAGES

pytestmark = pytest.mark.browser

YEAR = dt.date.today().year
EXCEPTION = '[data-testid="stException"]'
CHART = '[data-testid="stVegaLiteChart"]'
CAPPED_TOWN = "Loimaa"  # a small network in the demo data, grown past the cap here
ADDED_ACTORS = 120
CAP = 100


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


def _grow_network(url: str, admin_id: int) -> None:
    """Through the services, as the admin: many new actors in the town, each partnered with
    the town's own municipality, so the town's network has more than 100 organisations."""
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            admin = current_user(session, admin_id)
            assert admin is not None
            town_id = session.scalars(select(Town.id).where(Town.name == CAPPED_TOWN)).one()
            city = session.scalars(
                select(Partner.id).where(
                    Partner.town_id == town_id, Partner.kind == PartnerKind.MUNICIPALITY
                )
            ).first()
            assert city is not None
            for number in range(1, ADDED_ACTORS + 1):
                actor = ecosystem.create_actor(
                    session,
                    admin,
                    ActorInput(
                        name=f"Loimaan testiverkosto {number:03d} ry",
                        kind=PartnerKind.ASSOCIATION,
                        town_id=town_id,
                    ),
                )
                ecosystem.create_partnership(
                    session,
                    admin,
                    PartnershipInput(
                        kind=PartnershipKind.NETWORK_MEMBERSHIP,
                        first=Party(PartyKind.ACTOR, city),
                        second=Party(PartyKind.ACTOR, actor.id),
                        starts_on=dt.date(YEAR, 1, 1),
                        town_ids=(town_id,),
                    ),
                )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def ecosystem_database(
    demo_database_url: str,
    demo_accounts: dict[str, dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """A copy of the demo database (the shared one stays as the seed left it), grown."""
    url = copy_database(demo_database_url, tmp_path_factory.mktemp("ecosystem-browser"))
    _grow_network(url, int(demo_accounts[Role.ADMIN]["id"]))
    return url


@pytest.fixture(scope="module")
def server(ecosystem_database: str, browser: Any) -> Iterator[str]:
    log = ARTIFACTS / "streamlit-ecosystem.log"
    with app_server(ecosystem_database, log, browser) as base_url:
        yield base_url


def town_id(url: str, name: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.scalars(select(Town.id).where(Town.name == name)).one()
    finally:
        engine.dispose()


def network_of(url: str, user_id: int, town: int) -> ecosystem.Network:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            user = current_user(session, user_id)
            assert user is not None
            return ecosystem.network(session, user, town_id=town, year=YEAR)
    finally:
        engine.dispose()


def gap_count(url: str, user_id: int, town: int) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            user = current_user(session, user_id)
            assert user is not None
            min_needs = int(current_settings(session)["ecosystem.gap_min_needs"])
            rows = ecosystem.invest_in_gaps(
                session, user, town_id=town, today=dt.date.today(), min_needs=min_needs
            )
            return sum(row["is_gap"] for row in rows)
    finally:
        engine.dispose()


def open_signed_in(page: Any, server: str, path: str, account: dict[str, Any]) -> None:
    """Open the bookmark while signed out, sign in: the page named by the bookmark opens."""
    page.goto(f"{server}{path}")
    heading(page, fi("app.title")).wait_for()
    sign_in(page, account["username"], account["password"])
    heading(page, fi("page.ecosystem")).wait_for()
    # Every tab's content is on the page, the hidden ones too: wait for the open tab's.
    visible_panel(page).wait_for()
    page.locator('[data-testid="stMain"] [data-testid="stMetric"]').nth(4).wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    )


def visible_panel(page: Any) -> Any:
    return page.locator('[data-testid="stMain"] [role="tabpanel"]:visible').first


def wait_for_drawn_chart(panel: Any) -> dict[str, float]:
    """The panel's first Vega-Lite chart has drawn its canvas (or SVG); that drawing's size."""
    drawing = panel.locator(f"{CHART} canvas, {CHART} svg.marks").first
    drawing.wait_for(state="visible")
    box = drawing.bounding_box()
    assert box is not None
    return box


def open_tab(page: Any, key: str) -> Any:
    page.get_by_role("tab", name=fi(f"ecosystem.tab.{key}")).click()
    panel = visible_panel(page)
    panel.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    )
    return panel


def network_caption(page: Any) -> str:
    prefix = fi("ecosystem.network_help", shown=0, total=0, year=YEAR).split(" ")[0]
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=prefix).first
    caption.wait_for()
    return caption.inner_text().strip()


def test_the_advisor_opens_salos_ecosystem_from_a_bookmark(
    server: str,
    page: Any,
    ecosystem_database: str,
    demo_accounts: dict[str, dict[str, Any]],
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    assert advisor["username"] == "advisor"
    salo = town_id(ecosystem_database, "Salo")
    found = network_of(ecosystem_database, int(advisor["id"]), salo)
    assert found.nodes

    path = f"/ecosystem?town={salo}&year={YEAR}"
    open_signed_in(page, server, path, advisor)
    assert page.url == f"{server}{path}"
    assert page.locator(EXCEPTION).count() == 0

    # The town and year chosen by the URL, and the key figures.
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('[data-testid="stMetric"]').count() == 5
    assert main.get_by_role("combobox", name=fi("filter.town")).input_value() == "Salo"
    assert main.get_by_role("combobox", name=fi("col.year")).input_value() == str(YEAR)
    tabs = page.get_by_role("tab").all_inner_texts()
    assert [t.strip() for t in tabs] == [fi(f"ecosystem.tab.{key}") for key in (
        "network", "actors", "partnerships", "maturity", "comparison", "gaps")]  # fmt: skip

    # The network tab: a caption counting what is shown, and the chart drawn.
    panel = visible_panel(page)
    box = wait_for_drawn_chart(panel)
    assert box["width"] > 300
    assert box["height"] > 300
    caption = network_caption(page)
    assert caption.startswith(
        fi("ecosystem.network_help", shown=len(found.nodes), total=found.total_nodes, year=YEAR)[
            :30
        ]
    )
    page.screenshot(path=ARTIFACTS / "ecosystem-01-network.png", full_page=True)
    panel.locator(CHART).first.screenshot(path=ARTIFACTS / "ecosystem-01-network-chart.png")

    # The maturity tab: the history chart and table since 2022, and the advisor's form.
    panel = open_tab(page, "maturity")
    wait_for_drawn_chart(panel)
    panel.locator('[data-testid="stDataFrame"]').first.wait_for()
    assert panel.get_by_role("button", name=fi("common.save")).count() == 1
    assert panel.get_by_text(fi("ecosystem.assessment_exists")).count() == 1
    page.screenshot(path=ARTIFACTS / "ecosystem-02-maturity.png", full_page=True)

    # The Invest in tab: Salo's gaps in a warning and its table.
    panel = open_tab(page, "gaps")
    warning = panel.locator('[data-testid="stAlertContentWarning"]')
    warning.wait_for()
    gaps = gap_count(ecosystem_database, int(advisor["id"]), salo)
    assert gaps > 0
    assert fi("ecosystem.gaps_found", count=gaps) in warning.inner_text()
    panel.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.screenshot(path=ARTIFACTS / "ecosystem-03-invest-in.png", full_page=True)

    # The sidebar lists the page among the advisor's pages, marked as the one open.
    expected = [fi(f"page.{key}") for key in EXPECTED_PAGES[Role.ADVISOR]]
    assert sidebar_pages(page) == expected
    current = page.locator(
        '[data-testid="stSidebarNav"] a[aria-current="page"] [data-testid="stMarkdownContainer"]'
    )
    assert current.inner_text().strip() == fi("page.ecosystem")
    assert page.locator(EXCEPTION).count() == 0


def test_a_network_past_the_cap_shows_a_hundred_and_stays_drawn(
    server: str,
    page: Any,
    ecosystem_database: str,
    demo_accounts: dict[str, dict[str, Any]],
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    capped = town_id(ecosystem_database, CAPPED_TOWN)
    found = network_of(ecosystem_database, int(advisor["id"]), capped)
    assert found.total_nodes > CAP  # the test data really does pass the cap
    assert len(found.nodes) == CAP

    open_signed_in(page, server, f"/ecosystem?town={capped}&year={YEAR}", advisor)
    assert page.locator(EXCEPTION).count() == 0
    caption = network_caption(page)
    match = re.match(r"Näytetään (\d+) / (\d+) ", caption)
    assert match, caption
    shown, total = int(match[1]), int(match[2])
    assert shown <= CAP
    assert (shown, total) == (CAP, found.total_nodes)

    box = wait_for_drawn_chart(visible_panel(page))
    assert box["width"] > 300
    assert box["height"] > 300
    page.screenshot(path=ARTIFACTS / "ecosystem-04-capped-network.png", full_page=True)
    visible_panel(page).locator(CHART).first.screenshot(
        path=ARTIFACTS / "ecosystem-04-capped-network-chart.png"
    )
    assert page.locator(EXCEPTION).count() == 0
