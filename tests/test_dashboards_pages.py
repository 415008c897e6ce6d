"""The engagement and leadership pages in Streamlit's AppTest, on the seeded demo database.

Downloads: every download button on these pages passes a callable (`on_click="ignore"`), which
Streamlit registers with the runtime's media file manager and runs only when the file is
asked for. AppTest makes a fresh MediaFileManager for each run and drops it afterwards; the
`media` fixture keeps hold of it, so a test can ask it for the file by the button's deferred
file id, exactly as the server does when the browser clicks. As on the server, the callable
then runs outside the script run (on the server: in a worker thread, without the session).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test_module
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from db.engine import DATABASE_URL_ENV, make_engine
from db.enums import FollowUpStatus, Role, SizeClass
from db.models import Company, FollowUp, Interaction, NeedCategory, Region, Town, User
from pages import _ui as ui
from pages._charts import CATEGORY_COLOURS
from services import engagement, leadership, reference
from services.auth import current_user
from services.dashboards import follow_up_status_by_owner, follow_up_status_by_town
from services.engagement import EngagementFilters
from services.follow_ups import complete_follow_up
from services.i18n import format_date, format_number, format_percent, translate
from tests.databases import user_of

Accounts = dict[str, dict[str, Any]]
CHART = "vega_lite_chart"
ENGAGEMENT_DOWNLOADS = ("months", "needs", "funnel", "participation", "feedback", "towns")


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


# --- Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list[MediaFileManager]:
    """Every MediaFileManager AppTest makes (one per run), kept after the run ends."""
    made: list[MediaFileManager] = []

    class Kept(MediaFileManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Kept)
    return made


def open_page(
    at: AppTest, account: dict[str, Any], key: str, params: dict[str, Any] | None = None
) -> AppTest:
    """Sign in, then open the page with these query parameters, as a bookmark would."""
    at.session_state["user_id"] = account["id"]
    at.run()
    at.query_params.clear()
    at.query_params.update(params or {})
    at.switch_page(f"pages/{key}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download(media: list[MediaFileManager], button: Any) -> tuple[str, bytes]:
    """The file a download button gives: its name and bytes, made as the server makes it."""
    file_id = button.proto.deferred_file_id
    assert file_id, "the file is made only when asked for"
    manager = media[-1]
    url = manager.execute_deferred(file_id)
    stored = manager.read_file(url.rsplit("/", 1)[-1])
    assert stored is not None
    return stored.filename or "", stored.content


def button(at: AppTest, key: str) -> Any:
    return at.download_button(key=key)


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a byte order mark for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def same(cell: Any, text: str) -> bool:
    """A workbook cell and the CSV's text for it hold the same value."""
    if cell is None:
        return text == ""
    if isinstance(cell, int | float):
        # The workbook keeps 15 significant digits, Python's text 17.
        # Decimals are written with a comma, as Finnish Excel reads them.
        return math.isclose(float(text.replace(",", ".")), cell, rel_tol=1e-9)
    return str(cell) == text


def charts(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get(CHART)]


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {metric.label: (metric.value, metric.delta) for metric in at.metric}


def number(text: str) -> int:
    return int(str(text).replace("\u00a0", ""))


def count_delta(now: int, before: int) -> str:
    """The page's change for a count: signed, Finnish digits; nothing when unchanged."""
    if now == before:
        return ""
    change = format_number(now - before, "fi")
    return "+" + change if now > before else change


# --- Engagement -------------------------------------------------------------------------------

KEY_FIGURES = (
    "companies_contacted",
    "interactions",
    "needs_identified",
    "companies_participating",
    "met_share",
)


@pytest.mark.parametrize(
    "role", [Role.LEADERSHIP, Role.ADMIN, Role.PROJECT_MANAGER], ids=lambda r: r.value
)
def test_engagement_page_opens(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, role: Role
) -> None:
    at = open_page(app, demo_accounts[role], "engagement")
    assert [t.value for t in at.title] == [fi("page.engagement")]
    assert not at.error
    assert [m.label for m in at.metric] == [fi(f"col.{name}") for name in KEY_FIGURES]
    assert len(at.get(CHART)) == 5
    assert len(at.dataframe) == 1  # the town comparison
    assert [b.key for b in at.download_button] == [
        f"dl.{name}.{kind}" for name in ENGAGEMENT_DOWNLOADS for kind in ("csv", "xlsx")
    ]
    # The default period, a year back to today, goes into the URL.
    today = dt.date.today()
    start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    assert at.date_input(key="engagement.period").value == (start, today)
    assert at.query_params == {"from": start.isoformat(), "to": today.isoformat()}


def test_engagement_filters_from_the_url_show_in_widgets_and_figures(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    params = {"from": "2025-01-01", "to": "2025-12-31", "section": "C", "size": "small"}
    at = open_page(app, leader, "engagement", params)

    assert at.date_input(key="engagement.period").value == (
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
    )
    assert at.selectbox(key="engagement.section.fi").value == "C"
    assert at.selectbox(key="engagement.size.fi").value == SizeClass.SMALL
    assert at.query_params == params  # kept in the URL, so the view can be bookmarked

    chosen = EngagementFilters(
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        industry_section="C",
        size_class="small",
    )
    user = user_of(demo, leader)
    now = engagement.key_figures(demo, user, chosen)
    before = engagement.key_figures(demo, user, chosen.previous())
    shown = metrics(at)
    for name in KEY_FIGURES[:4]:
        assert shown[fi(f"col.{name}")] == (
            format_number(now[name], "fi"),
            count_delta(now[name], before[name]),
        ), name
    assert now["met_share"] is not None
    assert before["met_share"] is not None
    points = format_number((now["met_share"] - before["met_share"]) * 100, "fi", 1)
    assert shown[fi("col.met_share")] == (
        format_percent(now["met_share"], "fi"),
        fi("engagement.points", value=points),
    )
    # The previous period of the same length: 2024 is a leap year, so 2.1.-31.12.2024.
    assert chosen.previous().start == dt.date(2024, 1, 2)
    assert fi("engagement.compared_with", start=dt.date(2024, 1, 2), end=dt.date(2024, 12, 31)) in [
        c.value for c in at.caption
    ]
    # The filters change the figures: without them the year has more contacts.
    unfiltered = engagement.key_figures(demo, user, EngagementFilters(chosen.start, chosen.end))
    assert unfiltered["interactions"] > now["interactions"]


def test_engagement_metrics_use_finnish_thousands(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    at = open_page(app, leader, "engagement", {"from": "2025-01-01", "to": "2025-12-31"})
    figures = engagement.key_figures(
        demo, user_of(demo, leader), EngagementFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    )
    assert figures["interactions"] >= 1000  # big enough to have a thousands separator
    thousands, rest = divmod(figures["interactions"], 1000)
    assert metrics(at)[fi("col.interactions")][0] == f"{thousands}\u00a0{rest:03d}"


def test_engagement_towns_and_projects_from_the_url(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    user = user_of(demo, leader)
    town_ids = list(demo.scalars(select(Town.id).where(Town.name.in_(("Forssa", "Salo")))))
    # The project with the most contacts logged for it in those towns in the period.
    project_id = demo.scalars(
        select(Interaction.project_id)
        .join(Company, Company.id == Interaction.company_id)
        .where(
            Company.town_id.in_(town_ids),
            Interaction.project_id.is_not(None),
            Interaction.occurred_on.between(dt.date(2025, 1, 1), dt.date(2026, 6, 30)),
        )
        .group_by(Interaction.project_id)
        .order_by(func.count().desc(), Interaction.project_id)
    ).first()
    assert len(town_ids) == 2
    assert project_id is not None
    params = {
        "from": "2025-01-01",
        "to": "2026-06-30",
        "town": [str(town) for town in town_ids],
        "project": str(project_id),
    }
    at = open_page(app, leader, "engagement", params)

    assert sorted(at.multiselect(key="engagement.towns").value) == sorted(town_ids)
    assert at.multiselect(key="engagement.projects").value == [project_id]
    assert fi("engagement.project_filter_note") in [c.value for c in at.caption]
    chosen = EngagementFilters(
        start=dt.date(2025, 1, 1),
        end=dt.date(2026, 6, 30),
        town_ids=tuple(at.multiselect(key="engagement.towns").value),
        project_ids=(project_id,),
    )
    now = engagement.key_figures(demo, user, chosen)
    shown = metrics(at)
    for name in KEY_FIGURES[:4]:
        assert shown[fi(f"col.{name}")][0] == format_number(now[name], "fi"), name
    # Only the chosen towns in the comparison table.
    table = at.dataframe[0].value
    assert set(table[fi("col.town")]) <= {"Forssa", "Salo"}


def test_an_unknown_or_malformed_id_in_the_url_is_left_out(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    forssa = demo.scalars(select(Town.id).where(Town.name == "Forssa")).one()
    params = {"from": "2025-01-01", "to": "kesäkuu", "town": ["999999", "x", str(forssa)]}
    at = open_page(app, demo_accounts[Role.LEADERSHIP], "engagement", params)
    assert at.multiselect(key="engagement.towns").value == [forssa]
    # A malformed date falls back to the default end, today.
    assert at.date_input(key="engagement.period").value == (dt.date(2025, 1, 1), dt.date.today())
    assert at.query_params == {
        "from": "2025-01-01",
        "to": dt.date.today().isoformat(),
        "town": str(forssa),
    }


def test_changing_a_filter_writes_it_to_the_url(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    at = open_page(app, leader, "engagement", {"from": "2025-01-01", "to": "2025-12-31"})
    before = metrics(at)[fi("col.interactions")][0]

    at.selectbox(key="engagement.section.fi").set_value("F").run()
    at.date_input(key="engagement.period").set_value(
        (dt.date(2025, 4, 1), dt.date(2025, 9, 30))
    ).run()
    assert not at.exception
    assert at.query_params == {"from": "2025-04-01", "to": "2025-09-30", "section": "F"}
    figures = engagement.key_figures(
        demo,
        user_of(demo, leader),
        EngagementFilters(dt.date(2025, 4, 1), dt.date(2025, 9, 30), industry_section="F"),
    )
    after = metrics(at)[fi("col.interactions")][0]
    assert after == format_number(figures["interactions"], "fi") != before


def test_the_url_filters_carry_over_to_the_other_language(
    app: AppTest,
    media: list[MediaFileManager],
    demo_accounts: Accounts,
    languages_restored: None,
) -> None:
    params = {"from": "2025-01-01", "to": "2025-12-31", "section": "C", "size": "micro"}
    at = open_page(app, demo_accounts[Role.LEADERSHIP], "engagement", params)
    at.selectbox(key="language").set_value("en").run()
    assert not at.exception
    assert [t.value for t in at.title] == [translate("page.engagement", "en")]
    assert at.selectbox(key="engagement.section.en").value == "C"
    assert at.selectbox(key="engagement.size.en").value == SizeClass.MICRO
    assert at.query_params == params


def test_an_empty_period_shows_the_empty_state(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts
) -> None:
    at = open_page(
        app,
        demo_accounts[Role.LEADERSHIP],
        "engagement",
        {"from": "1990-01-01", "to": "1990-12-31"},
    )
    assert [i.value for i in at.info] == [fi("engagement.empty")]
    assert [m.value for m in at.metric] == ["0", "0", "0", "0", "–"]
    assert not at.get(CHART)
    assert not at.download_button
    assert not at.dataframe


def test_engagement_charts_are_titled_in_the_language_and_keep_category_colours(
    app: AppTest,
    media: list[MediaFileManager],
    demo_accounts: Accounts,
    demo: Session,
    languages_restored: None,
) -> None:
    at = open_page(app, demo_accounts[Role.LEADERSHIP], "engagement")
    specs = charts(at)
    assert [spec["title"] for spec in specs] == [
        fi("engagement.chart.months"),
        fi("engagement.chart.needs"),
        fi("engagement.chart.funnel"),
        fi("engagement.chart.participation"),
        fi("engagement.chart.feedback"),
    ]
    for spec in specs:
        encoding = spec["encoding"]
        # Every tooltip field is named in Finnish.
        assert encoding["tooltip"]
        assert all(tip["title"] for tip in encoding["tooltip"])
        # The count axis groups thousands with a space, not Vega's comma.
        counts = [encoding[axis] for axis in ("x", "y") if encoding[axis]["type"] == "quantitative"]
        assert counts, spec["title"]
        for axis in counts:
            assert "replace(datum.label, ','" in axis["axis"]["labelExpr"], spec["title"]
    assert specs[0]["encoding"]["x"]["axis"]["format"] == "%m/%Y"
    assert specs[0]["encoding"]["x"]["title"] == fi("col.month")
    # One colour per need category: each shown category name gets its code's colour.
    scale = specs[1]["encoding"]["color"]["scale"]
    names = dict(demo.execute(select(NeedCategory.name_fi, NeedCategory.code)).all())
    assert scale["domain"]
    assert len(scale["domain"]) == len(set(scale["domain"]))
    assert scale["range"] == [CATEGORY_COLOURS[names[name]] for name in scale["domain"]]
    assert len(set(CATEGORY_COLOURS.values())) == len(CATEGORY_COLOURS)

    at.selectbox(key="language").set_value("en").run()
    english = charts(at)
    assert english[0]["title"] == translate("engagement.chart.months", "en")
    assert english[0]["encoding"]["x"]["title"] == translate("col.month", "en")
    en_names = dict(demo.execute(select(NeedCategory.name_en, NeedCategory.code)).all())
    en_scale = english[1]["encoding"]["color"]["scale"]
    assert en_scale["range"] == [CATEGORY_COLOURS[en_names[name]] for name in en_scale["domain"]]


def test_every_engagement_chart_downloads_as_csv_and_xlsx(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    at = open_page(app, leader, "engagement", {"from": "2025-01-01", "to": "2025-12-31"})
    user = user_of(demo, leader)
    chosen = EngagementFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))

    files: dict[str, dict[str, Any]] = {}
    for name in ENGAGEMENT_DOWNLOADS:
        csv_name, csv_bytes = download(media, button(at, f"dl.{name}.csv"))
        xlsx_name, xlsx_bytes = download(media, button(at, f"dl.{name}.xlsx"))
        stem = fi(f"engagement.file.{name}")
        assert (csv_name, xlsx_name) == (f"{stem}.csv", f"{stem}.xlsx")
        sheets = read_xlsx(xlsx_bytes)
        assert list(sheets) == [stem]
        rows = read_csv(csv_bytes)
        # The CSV and the workbook hold the same table.
        assert len(rows) == len(sheets[stem]) > 1, name
        for cells, texts in zip(sheets[stem], rows, strict=True):
            assert len(cells) == len(texts), (name, cells, texts)
            assert all(map(same, cells, texts)), (name, cells, texts)
        files[name] = {"csv": rows, "xlsx": sheets[stem]}

    def body(name: str) -> list[tuple[Any, ...]]:
        return files[name]["xlsx"][1:]

    months = engagement.interactions_by_month(demo, user, chosen)
    assert files["months"]["xlsx"][0] == (
        fi("col.month"),
        fi("col.channel"),
        fi("col.interactions"),
    )
    assert body("months") == [
        (r["month"], fi(f"channel.{r['channel']}"), r["interactions"]) for r in months
    ]
    assert (
        sum(row[2] for row in body("months"))
        == engagement.key_figures(demo, user, chosen)["interactions"]
    )
    needs = engagement.needs_by_category(demo, user, chosen)
    assert body("needs") == [
        (r["category"], fi(f"need_status.{r['status']}"), r["needs"]) for r in needs
    ]
    funnel = engagement.funnel(demo, user, chosen)
    assert body("funnel") == [
        (fi(f"engagement.stage.{r['stage']}"), r["companies"]) for r in funnel
    ]
    participation = engagement.participation_by_project(demo, user, chosen)
    assert body("participation") == [
        (
            r["project"],
            fi(f"participation_role.{r['role']}"),
            r["participations"],
            r["companies"],
        )
        for r in participation
    ]
    feedback = engagement.feedback_distribution(demo, user, chosen)
    assert body("feedback") == [(r["score"], r["participations"]) for r in feedback]
    towns = engagement.town_comparison(demo, user, chosen)
    assert [row[:5] for row in body("towns")] == [
        (
            r["town"],
            r["companies_contacted"],
            r["interactions"],
            r["needs_identified"],
            r["companies_participating"],
        )
        for r in towns
    ]


def test_the_town_comparison_download_holds_the_shares_shown(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts
) -> None:
    at = open_page(
        app,
        demo_accounts[Role.LEADERSHIP],
        "engagement",
        {"from": "2025-01-01", "to": "2025-12-31"},
    )
    table = at.dataframe[0].value
    shown = dict(zip(table[fi("col.town")], table[fi("col.met_share")], strict=True))
    sheet = read_xlsx(download(media, button(at, "dl.towns.xlsx"))[1])[fi("engagement.file.towns")]
    rows = read_csv(download(media, button(at, "dl.towns.csv"))[1])
    assert sheet[0][5] == rows[0][5] == fi("col.met_share")  # "Täyttyneiden osuus, %"
    for (town, *_, share), (_, *_, text) in zip(sheet[1:], rows[1:], strict=True):
        if shown[town] == "":
            assert share is None
            assert text == ""
            continue
        # The percentage as shown (to the nearest whole), in the workbook and the CSV.
        assert abs(share - number(shown[town])) <= 0.5, (town, share, shown[town])
        assert abs(float(text.replace(",", ".")) - number(shown[town])) <= 0.5, (town, text)
        assert "." not in text, (town, text)


def test_the_feedback_download_is_headed_like_its_chart(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts
) -> None:
    at = open_page(app, demo_accounts[Role.LEADERSHIP], "engagement")
    assert charts(at)[4]["encoding"]["x"]["title"] == fi("col.feedback_score")
    rows = read_csv(download(media, button(at, "dl.feedback.csv"))[1])
    assert rows[0] == [fi("col.feedback_score"), fi("col.participations")]


def _copy_of_demo(demo_database_url: str, folder: Path) -> str:
    """A consistent copy (SQLite's backup API: commits still in the WAL file come along)."""
    source = Path(demo_database_url.removeprefix("sqlite:///"))
    target = folder / "seutu-copy.db"
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return f"sqlite:///{target}"


def test_figures_are_cached_and_computed_again_after_a_write(
    app: AppTest,
    media: list[MediaFileManager],
    demo_accounts: Accounts,
    demo_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change made behind the app's back stays unseen (the figures come from the cache)
    until the app writes something, which clears every cached figure."""
    url = _copy_of_demo(demo_database_url, tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    leader, admin = demo_accounts[Role.LEADERSHIP], demo_accounts[Role.ADMIN]
    today = dt.date.today()
    params = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}
    at = open_page(app, leader, "engagement", params)
    contacts = number(metrics(at)[fi("col.interactions")][0])
    at.switch_page("pages/leadership.py").run()
    done = number(metrics(at)[fi("col.done")][0])

    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            company_id = session.scalars(select(Company.id).order_by(Company.id)).first()
            advisor_id = session.scalar(select(User.id).where(User.username == "advisor"))
            session.add(
                Interaction(
                    company_id=company_id,
                    advisor_id=advisor_id,
                    occurred_on=today,
                    channel="phone",
                    summary="Behind the app's back",
                )
            )
            open_id = session.scalars(
                select(FollowUp.id)
                .where(FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on >= today)
                .order_by(FollowUp.id)
            ).first()
            admin_user = current_user(session, admin["id"])
        assert open_id is not None
        assert admin_user is not None

        at.switch_page("pages/engagement.py").run()
        assert number(metrics(at)[fi("col.interactions")][0]) == contacts  # still the cache

        # Any write through the app clears the cached figures.
        assert ui.attempt(lambda s: complete_follow_up(s, admin_user, open_id, today=today))
        at.run()
        assert number(metrics(at)[fi("col.interactions")][0]) == contacts + 1
        at.switch_page("pages/leadership.py").run()
        assert number(metrics(at)[fi("col.done")][0]) == done + 1
    finally:
        engine.dispose()
        st.cache_resource.clear()


# --- Leadership -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.ADMIN], ids=lambda r: r.value)
def test_leadership_page_opens(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, role: Role
) -> None:
    at = open_page(app, demo_accounts[role], "leadership")
    assert [t.value for t in at.title] == [fi("page.leadership")]
    assert not at.error
    assert [m.label for m in at.metric] == [
        fi("col.open"),
        fi("col.overdue"),
        fi("col.done"),
        fi("leadership.flagged_projects"),
    ]
    assert len(at.get(CHART)) == 2
    assert len(at.dataframe) == 2
    assert [b.label for b in at.download_button] == [fi("leadership.report")]
    specs = charts(at)
    assert [spec["title"] for spec in specs] == [
        fi("leadership.chart.ageing"),
        fi("leadership.chart.response"),
    ]
    assert specs[0]["encoding"]["x"]["title"] == fi("col.days_overdue")


def _region_05(session: Session) -> tuple[int, str, list[int]]:
    region = session.scalars(select(Region).where(Region.code == "05")).one()
    return (
        region.id,
        f"{region.code} {region.name_fi}",
        reference.towns_by_region(session)[region.id],
    )


def test_leadership_filters_from_the_url_and_its_figures(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    user = user_of(demo, leader)
    region_id, _, town_ids = _region_05(demo)
    today = dt.date.today()
    start, end = dt.date(2025, 1, 1), dt.date(2026, 6, 30)
    params = {"from": start.isoformat(), "to": end.isoformat(), "region": str(region_id)}
    at = open_page(app, leader, "leadership", params)

    assert at.selectbox(key="leadership.region.fi").value == region_id
    assert at.date_input(key="leadership.period").value == (start, end)
    assert at.query_params == params

    by_town = follow_up_status_by_town(
        demo, user, today=today, region_id=region_id, due_since=start
    )
    shown = metrics(at)
    for column in ("open", "overdue", "done"):
        assert shown[fi(f"col.{column}")][0] == format_number(
            sum(row[column] for row in by_town), "fi"
        )
    table = at.dataframe[0].value
    assert list(table[fi("col.town")]) == [row["town"] for row in by_town]
    assert [number(v) for v in table[fi("col.overdue")]] == [row["overdue"] for row in by_town]
    # Flagged projects link to their own pages.
    links = at.get("page_link")
    assert number(shown[fi("leadership.flagged_projects")][0]) == len(links) > 0
    assert all(link.proto.page == "projects" for link in links)
    assert all(link.proto.query_string.startswith("project=") for link in links)
    # The region filter narrows the figures to Kanta-Häme's towns.
    assert by_town
    assert {row["id"] for row in by_town} <= set(town_ids)
    everywhere = follow_up_status_by_town(demo, user, today=today, due_since=start)
    assert len(everywhere) > len(by_town)


def test_the_leadership_report_holds_the_figures_shown(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    user = user_of(demo, leader)
    region_id, region_label, town_ids = _region_05(demo)
    today = dt.date.today()
    start, end = dt.date(2025, 1, 1), dt.date(2026, 6, 30)
    params = {"from": start.isoformat(), "to": end.isoformat(), "region": str(region_id)}
    at = open_page(app, leader, "leadership", params)

    name, content = download(media, at.download_button[0])
    assert name == f"{fi('leadership.report_file')}-{today.isoformat()}.xlsx"
    sheets = read_xlsx(content)
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

    by_town = follow_up_status_by_town(
        demo, user, today=today, region_id=region_id, due_since=start
    )
    columns = ("open", "overdue", "done", "cancelled")
    assert sheets[fi("report.sheet.towns")] == [
        (fi("col.town"), *(fi(f"col.{c}") for c in columns)),
        *((row["town"], *(row[c] for c in columns)) for row in by_town),
    ]
    owners = follow_up_status_by_owner(
        demo, user, today=today, due_since=start, region_id=region_id
    )
    assert sheets[fi("report.sheet.owners")][1:] == [
        (row["owner"], *(row[c] for c in columns)) for row in owners
    ]
    ageing = leadership.overdue_ageing(demo, user, today=today, town_ids=town_ids)
    assert sheets[fi("report.sheet.ageing")] == [
        (fi("col.bucket"), fi("col.follow_ups")),
        *((fi(f"ageing.{row['bucket']}"), row["follow_ups"]) for row in ageing),
    ]
    response = leadership.response_times(demo, user, start=start, end=end, town_ids=town_ids)
    assert sheets[fi("report.sheet.response")][1:] == [
        (r["town"], r["month"], r["needs"], r["responded"], r["median_days"]) for r in response
    ]
    assert response
    assert {r["town"] for r in response} <= {
        name for (name,) in demo.execute(select(Town.name).where(Town.id.in_(town_ids)))
    }
    flagged = [row[0] for row in sheets[fi("report.sheet.flagged")][1:]]
    assert flagged == [link.proto.label for link in at.get("page_link")]
    # The figures on the page are the report's.
    shown = metrics(at)
    for column in ("open", "overdue", "done"):
        total = sum(row[columns.index(column) + 1] for row in sheets[fi("report.sheet.towns")][1:])
        assert shown[fi(f"col.{column}")][0] == format_number(total, "fi")


def test_the_leadership_report_is_in_the_users_language(
    app: AppTest,
    media: list[MediaFileManager],
    demo_accounts: Accounts,
    languages_restored: None,
) -> None:
    at = open_page(app, demo_accounts[Role.LEADERSHIP], "leadership")
    at.selectbox(key="language").set_value("en").run()
    assert [b.label for b in at.download_button] == [translate("leadership.report", "en")]
    sheets = read_xlsx(download(media, at.download_button[0])[1])
    assert list(sheets)[:2] == [
        translate("report.cover", "en"),
        translate("report.sheet.towns", "en"),
    ]
    assert sheets[translate("report.sheet.towns", "en")][0][0] == translate("col.town", "en")


def test_the_region_filter_applies_to_the_owner_table(
    app: AppTest, media: list[MediaFileManager], demo_accounts: Accounts, demo: Session
) -> None:
    region_id, _, _ = _region_05(demo)
    at = open_page(app, demo_accounts[Role.LEADERSHIP], "leadership", {"region": str(region_id)})
    towns, owners = at.dataframe[0].value, at.dataframe[1].value
    # Each follow-up has one owner and one company (in one town): the two tables add up alike.
    for column in ("open", "overdue", "done", "cancelled"):
        header = fi(f"col.{column}")
        assert sum(map(number, owners[header])) == sum(map(number, towns[header])), column
