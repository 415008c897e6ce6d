"""The innovation ecosystem page in Streamlit's AppTest, on the seeded demo database.

Read-only tests share the session's demo database; tests that write use their own copy of it
(`own_app`), so the shared one stays as the seed left it. What the page shows is checked
against what the services compute from the same database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.enums import EcosystemDriver, Maturity, PartnerKind, PartnershipKind, Role
from db.models import Company, Partner, Partnership, Town
from pages._ui import plain
from services import ecosystem
from services.auth import CurrentUser, current_user
from services.i18n import format_number, format_percent, translate
from services.settings import current_settings

TABS = ("network", "actors", "partnerships", "maturity", "comparison", "gaps")
METRICS = ("actors", "partnerships", "cross_border", "engaged", "company_driven")
SAVE = translate("common.save", "fi")  # "Tallenna"
NEW_ACTOR = translate("ecosystem.new_actor", "fi")
NEW_PARTNERSHIP = translate("ecosystem.new_partnership", "fi")
TODAY = dt.date.today()


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


# --- Helpers -------------------------------------------------------------------------------


class Register:
    """Reads of a database through the services, as a given user."""

    def __init__(self, url: str, account: dict[str, Any]) -> None:
        self.url = url
        self.user_id = int(account["id"])

    def __call__(self, read: Any) -> Any:
        engine = make_engine(self.url)
        try:
            with Session(engine) as session:
                user = current_user(session, self.user_id)
                assert user is not None
                return read(session, user)
        finally:
            engine.dispose()


def town_ids(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return dict(session.execute(select(Town.name, Town.id)).all())
    finally:
        engine.dispose()


def actor_id(url: str, name: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.scalars(select(Partner.id).where(Partner.name == name)).one()
    finally:
        engine.dispose()


def count_rows(url: str, model: Any) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def open_ecosystem(
    at: AppTest, account: dict[str, Any], *, town: int | None = None, year: int | None = None
) -> AppTest:
    """Open /ecosystem (with ?town=&year= when given), as the sidebar or a bookmark does."""
    at.session_state["user_id"] = account["id"]
    at.run()
    at.switch_page("pages/ecosystem.py")
    if town is not None:
        at.query_params["town"] = str(town)
    if year is not None:
        at.query_params["year"] = str(year)
    return at.run()


def no_trouble(at: AppTest) -> None:
    assert not at.exception, [(e.value, e.stack_trace[-3:]) for e in at.exception]


def tab(at: AppTest, key: str, language: str = "fi") -> Any:
    label = translate(f"ecosystem.tab.{key}", language)
    return next(t for t in at.tabs if t.label == label)


def expander(at: AppTest, label: str) -> Any:
    return next(e for e in at.expander if e.label == label)


def save_button(block: Any) -> Any:
    return next(b for b in block.button if b.label == SAVE)


def percent(share: float | None) -> str:
    return "–" if share is None else format_percent(share, "fi")


def expected_metrics(figures: dict[str, Any]) -> list[tuple[str, str]]:
    values = [
        format_number(figures["actors"], "fi"),
        format_number(figures["partnerships"], "fi"),
        percent(figures["cross_border_share"]),
        format_number(figures["companies_engaged"], "fi"),
        percent(figures["company_driven_share"]),
    ]
    labels = [fi(f"ecosystem.metric.{m}") for m in METRICS]
    return list(zip(labels, values, strict=True))


def figures_of(register: Register, town_id: int, year: int) -> dict[str, Any]:
    rows = register(lambda s, u: ecosystem.measured_figures(s, u, year=year, town_ids=[town_id]))
    assert len(rows) == 1
    return rows[0]


def column(frame: Any, key: str, language: str = "fi") -> list[Any]:
    return list(frame[translate(f"col.{key}", language)])


# --- Opening the page -----------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_opens_the_page_with_key_figures_and_six_tabs(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]], role: Role
) -> None:
    account = demo_accounts[role]
    register = Register(demo_database_url, account)
    open_ecosystem(app, account)
    no_trouble(app)
    assert [t.value for t in app.title] == [fi("page.ecosystem")]
    assert not app.error, [e.value for e in app.error]
    assert [t.label for t in app.tabs] == [fi(f"ecosystem.tab.{key}") for key in TABS]

    # The advisor starts in a home town; the others in the first town of the list.
    choices = register(ecosystem.town_choices)
    user: CurrentUser = register(lambda _s, u: u)
    home = sorted(t["id"] for t in choices if t["id"] in user.town_ids)
    expected_town = home[0] if role == Role.ADVISOR else choices[0]["id"]
    town_box = app.selectbox(key="ecosystem.town")
    assert town_box.value == expected_town
    assert app.selectbox(key="ecosystem.year").value == TODAY.year
    assert app.query_params == {"town": str(expected_town), "year": str(TODAY.year)}

    figures = figures_of(register, expected_town, TODAY.year)
    assert [(m.label, m.value) for m in app.metric] == expected_metrics(figures)


def test_the_town_and_year_in_the_url_open_that_view_and_choices_go_back_to_the_url(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    register = Register(demo_database_url, leader)
    towns = town_ids(demo_database_url)
    forssa, salo = towns["Forssa"], towns["Salo"]

    open_ecosystem(app, leader, town=forssa, year=2023)
    no_trouble(app)
    assert app.selectbox(key="ecosystem.town").value == forssa
    assert app.selectbox(key="ecosystem.year").value == 2023
    assert app.query_params == {"town": str(forssa), "year": "2023"}
    figures = figures_of(register, forssa, 2023)
    assert [(m.label, m.value) for m in app.metric] == expected_metrics(figures)
    # Forssa was assessed every year since 2022: the line names the 2023 assessment.
    assert figures["assessed_year"] == 2023
    maturity_line = fi(
        "ecosystem.maturity_line",
        maturity=fi(f"maturity.{figures['maturity']}"),
        driver=fi(f"driver.{figures['driver']}"),
        year="2023",
    )
    assert maturity_line in [m.value for m in app.markdown]

    # Another town and year: the URL follows, and so do the figures.
    app.selectbox(key="ecosystem.town").set_value(salo).run()
    app.selectbox(key="ecosystem.year").set_value(2024).run()
    no_trouble(app)
    assert app.query_params == {"town": str(salo), "year": "2024"}
    assert [(m.label, m.value) for m in app.metric] == expected_metrics(
        figures_of(register, salo, 2024)
    )


def test_the_network_caption_counts_what_the_services_find(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(demo_database_url)["Salo"]
    found = Register(demo_database_url, advisor)(
        lambda s, u: ecosystem.network(s, u, town_id=salo, year=TODAY.year)
    )
    open_ecosystem(app, advisor, town=salo, year=TODAY.year)
    no_trouble(app)
    assert found.nodes
    network = tab(app, "network")
    expected = fi(
        "ecosystem.network_help",
        shown=len(found.nodes),
        total=found.total_nodes,
        year=str(TODAY.year),
    )
    assert expected in [c.value for c in network.caption]
    assert len(found.nodes) <= 100


# --- Maturity assessments ---------------------------------------------------------------------


def assessments(url: str, account: dict[str, Any], town_id: int) -> list[dict[str, Any]]:
    return Register(url, account)(lambda s, u: ecosystem.assessment_history(s, u, town_id=town_id))


def fill_assessment(at: AppTest, maturity: str, driver: str, rationale: str) -> None:
    maturity_tab = tab(at, "maturity")
    radios = {r.label: r for r in maturity_tab.radio}
    radios[fi("col.maturity")].set_value(Maturity(maturity))
    radios[fi("col.driver")].set_value(EcosystemDriver(driver))
    box = next(a for a in maturity_tab.text_area if a.label == fi("col.rationale"))
    box.input(rationale)
    save_button(maturity_tab).click()
    at.run()


def test_an_advisor_records_an_assessment_and_a_second_one_replaces_it(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(own_database)["Salo"]
    before = assessments(own_database, advisor, salo)
    assert 2021 not in [row["year"] for row in before]  # the demo assesses Salo from 2022

    at = open_ecosystem(own_app, advisor, town=salo, year=2021)
    no_trouble(at)
    maturity_tab = tab(at, "maturity")
    assert f"**{plain(fi('ecosystem.assess', town='Salo', year='2021'))}**" in [
        m.value for m in maturity_tab.markdown
    ]
    fill_assessment(at, "developing", "company", "Yritykset vetävät yhteistyötä.")
    no_trouble(at)
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [
        fi("ecosystem.assessment_saved", town="Salo", year="2021")
    ]
    after = assessments(own_database, advisor, salo)
    assert len(after) == len(before) + 1
    saved = next(row for row in after if row["year"] == 2021)
    assert (saved["maturity"], saved["driver"], saved["rationale"]) == (
        "developing",
        "company",
        "Yritykset vetävät yhteistyötä.",
    )
    assert saved["assessed_by"] == advisor["full_name"]
    # The history table shows the new year.
    history = tab(at, "maturity").dataframe[0].value
    assert 2021 in column(history, "year")
    # The form now says a save replaces the year's assessment.
    assert fi("ecosystem.assessment_exists") in [c.value for c in tab(at, "maturity").caption]

    fill_assessment(at, "established", "education", "Ammattikorkeakoulu vetää.")
    no_trouble(at)
    assert not at.error, [e.value for e in at.error]
    again = assessments(own_database, advisor, salo)
    assert len(again) == len(after)
    replaced = [row for row in again if row["year"] == 2021]
    assert len(replaced) == 1
    assert (replaced[0]["maturity"], replaced[0]["driver"], replaced[0]["rationale"]) == (
        "established",
        "education",
        "Ammattikorkeakoulu vetää.",
    )


def test_an_assessment_for_the_wrong_year_is_removed_only_when_confirmed(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(own_database)["Salo"]
    before = [row["year"] for row in assessments(own_database, advisor, salo)]
    assert 2023 in before

    at = open_ecosystem(own_app, advisor, town=salo, year=2023)
    maturity_tab = tab(at, "maturity")
    remove = next(b for b in maturity_tab.button if b.label == fi("ecosystem.delete_assessment"))
    assert remove.disabled  # not before the mistake is confirmed
    confirm = fi("ecosystem.confirm_delete_assessment", year="2023")
    next(c for c in maturity_tab.checkbox if c.label == confirm).check().run()
    remove = next(
        b for b in tab(at, "maturity").button if b.label == fi("ecosystem.delete_assessment")
    )
    assert not remove.disabled
    remove.click().run()
    no_trouble(at)
    assert [s.value for s in at.success] == [
        fi("ecosystem.assessment_deleted", town="Salo", year="2023")
    ]
    after = [row["year"] for row in assessments(own_database, advisor, salo)]
    assert sorted(after) == sorted(year for year in before if year != 2023)


def test_an_assessment_without_a_rationale_is_refused_and_nothing_is_saved(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(own_database)["Salo"]
    before = assessments(own_database, advisor, salo)
    at = open_ecosystem(own_app, advisor, town=salo, year=2021)
    fill_assessment(at, "established", "city", "   ")
    no_trouble(at)
    assert [e.value for e in at.error] == [f"{fi('field.rationale')}: {fi('error.required')}"]
    assert not at.success
    assert assessments(own_database, advisor, salo) == before


def test_an_advisor_is_not_offered_the_form_for_a_town_that_is_not_a_home_town(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    riihimaki = town_ids(demo_database_url)["Riihimäki"]
    user: CurrentUser = Register(demo_database_url, advisor)(lambda _s, u: u)
    assert riihimaki not in user.town_ids
    open_ecosystem(app, advisor, town=riihimaki, year=TODAY.year)
    no_trouble(app)
    maturity_tab = tab(app, "maturity")
    # Riihimäki's history is shown, but there is no form to add to it.
    assert len(maturity_tab.dataframe) == 1
    assert not maturity_tab.radio
    assert not maturity_tab.text_area
    assert SAVE not in [b.label for b in maturity_tab.button]
    assert not [m.value for m in maturity_tab.markdown if "Riihim" in m.value]


# --- Partnerships ---------------------------------------------------------------------------


def partnerships_of(url: str, account: dict[str, Any], town_id: int) -> list[dict[str, Any]]:
    return Register(url, account)(
        lambda s, u: ecosystem.list_partnerships(s, u, town_id=town_id, page_size=1000).rows
    )


def choose_party(at: AppTest, side: str, kind: str, party_id: int, query: str = "") -> None:
    """Pick the kind of party (a rerun), then the party itself from the list."""
    at.radio(key=f"new_partnership.{side}.kind").set_value(kind).run()
    if kind == "company":
        at.text_input(key=f"new_partnership.{side}.query").input(query).run()
    at.selectbox(key=f"new_partnership.{side}.{kind}.fi").set_value(party_id).run()


def a_company(url: str, town: str) -> tuple[int, str]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            row = session.execute(
                select(Company.id, Company.name)
                .join(Town, Town.id == Company.town_id)
                .where(Town.name == town, Company.is_active)
                .order_by(Company.id)
                .limit(1)
            ).one()
            return row[0], row[1]
    finally:
        engine.dispose()


def submit_partnership(at: AppTest, kind: PartnershipKind) -> None:
    form = expander(at, NEW_PARTNERSHIP)
    box = next(b for b in form.selectbox if b.label == fi("col.partnership_kind"))
    box.set_value(kind)
    save_button(form).click()
    at.run()


def test_an_advisor_records_a_partnership_of_an_actor_and_a_company_in_another_town(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    towns = town_ids(own_database)
    salo = towns["Salo"]
    city = actor_id(own_database, "Salon kaupunki")
    company_id, company_name = a_company(own_database, "Forssa")
    before = partnerships_of(own_database, advisor, salo)

    at = open_ecosystem(own_app, advisor, town=salo, year=TODAY.year)
    no_trouble(at)
    choose_party(at, "first", "actor", city)
    choose_party(at, "second", "company", company_id, query=company_name)
    submit_partnership(at, PartnershipKind.RND)
    no_trouble(at)
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [fi("ecosystem.partnership_saved")]

    after = partnerships_of(own_database, advisor, salo)
    assert len(after) == len(before) + 1
    new = next(row for row in after if row["id"] not in {r["id"] for r in before})
    assert (new["first"], new["second"], new["kind"]) == ("Salon kaupunki", company_name, "rnd")
    assert new["first_partner_id"] == city
    assert new["second_company_id"] == company_id
    assert new["starts_on"] == TODAY
    assert new["ends_on"] is None
    # The town chosen in the page, and the company's home town.
    assert new["towns"] == "Forssa, Salo"
    assert new["cross_municipal"]
    # It is listed in the partnerships tab at once.
    listed = tab(at, "partnerships").dataframe[0].value
    assert company_name in column(listed, "second")


def test_an_advisor_records_a_partnership_of_two_actors(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(own_database)["Salo"]
    first = actor_id(own_database, "Salon Yrittäjät ry")
    second = actor_id(own_database, "Business Finland")  # national: no home town
    before = partnerships_of(own_database, advisor, salo)

    at = open_ecosystem(own_app, advisor, town=salo, year=TODAY.year)
    choose_party(at, "first", "actor", first)
    choose_party(at, "second", "actor", second)
    submit_partnership(at, PartnershipKind.FUNDING)
    no_trouble(at)
    assert not at.error, [e.value for e in at.error]

    after = partnerships_of(own_database, advisor, salo)
    assert len(after) == len(before) + 1
    new = next(row for row in after if row["id"] not in {r["id"] for r in before})
    assert (new["first"], new["second"], new["kind"]) == (
        "Salon Yrittäjät ry",
        "Business Finland",
        "funding",
    )
    assert new["towns"] == "Salo"
    assert new["with_state"]
    assert not new["cross_municipal"]


def test_a_partnership_with_only_one_party_is_refused_and_nothing_is_saved(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(own_database)["Salo"]
    before = count_rows(own_database, Partnership)

    at = open_ecosystem(own_app, advisor, town=salo, year=TODAY.year)
    choose_party(at, "first", "actor", actor_id(own_database, "Salon kaupunki"))
    # The second party is to be a company, but none is searched for or chosen.
    at.radio(key="new_partnership.second.kind").set_value("company").run()
    assert at.selectbox(key="new_partnership.second.company.fi").value is None
    submit_partnership(at, PartnershipKind.NETWORK_MEMBERSHIP)
    no_trouble(at)
    assert [e.value for e in at.error] == [fi("error.partnership.choose_parties")]
    assert not at.success
    assert count_rows(own_database, Partnership) == before


def test_a_leader_sees_partnerships_and_actors_but_no_forms(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    salo = town_ids(demo_database_url)["Salo"]
    open_ecosystem(app, leader, town=salo, year=TODAY.year)
    no_trouble(app)
    assert len(tab(app, "partnerships").dataframe) == 1
    assert len(tab(app, "actors").dataframe) == 1
    labels = [e.label for e in app.expander]
    assert NEW_PARTNERSHIP not in labels
    assert NEW_ACTOR not in labels
    assert not app.get("form")
    assert SAVE not in [b.label for b in app.button]


# --- Actors ---------------------------------------------------------------------------------


def actor_names(url: str, account: dict[str, Any], town_id: int) -> list[str]:
    return [
        row["name"]
        for row in Register(url, account)(
            lambda s, u: ecosystem.list_actors(s, u, town_id=town_id, page_size=1000).rows
        )
    ]


def submit_actor(at: AppTest, name: str, kind: PartnerKind) -> None:
    form = expander(at, NEW_ACTOR)
    next(i for i in form.text_input if i.label == fi("col.name")).input(name)
    next(b for b in form.selectbox if b.label == fi("col.kind")).set_value(kind)
    save_button(form).click()
    at.run()


def test_an_admin_creates_an_actor_and_it_is_listed(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    admin = demo_accounts[Role.ADMIN]
    salo = town_ids(own_database)["Salo"]
    name = "Salon Innovaatiokeskus"
    assert name not in actor_names(own_database, admin, salo)

    at = open_ecosystem(own_app, admin, town=salo, year=TODAY.year)
    no_trouble(at)
    # The form proposes the town on the page as the actor's home town.
    form = expander(at, NEW_ACTOR)
    assert next(b for b in form.selectbox if b.label == fi("ecosystem.based_in")).value == salo
    submit_actor(at, name, PartnerKind.RESEARCH_ORGANISATION)
    no_trouble(at)
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [fi("ecosystem.actor_saved", name=name)]

    assert name in actor_names(own_database, admin, salo)
    listed = tab(at, "actors").dataframe[0].value
    assert name in column(listed, "name")
    row = listed[listed[fi("col.name")] == name].iloc[0]
    assert row[fi("col.kind")] == fi("partner_kind.research_organisation")
    assert row[fi("col.actor_type")] == fi("actor_type.research")
    assert row[fi("col.coverage")] == fi("coverage.town")


def test_an_actor_with_a_name_already_taken_is_refused_and_nothing_changes(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    admin = demo_accounts[Role.ADMIN]
    salo = town_ids(own_database)["Salo"]
    before = count_rows(own_database, Partner)
    listed_before = actor_names(own_database, admin, salo)

    at = open_ecosystem(own_app, admin, town=salo, year=TODAY.year)
    submit_actor(at, "salon kaupunki", PartnerKind.MUNICIPALITY)  # the same name, any case
    no_trouble(at)
    assert [e.value for e in at.error] == [fi("error.actor.duplicate_name", name="salon kaupunki")]
    assert not at.success
    assert count_rows(own_database, Partner) == before
    assert actor_names(own_database, admin, salo) == listed_before


# --- Invest in, and the comparison ----------------------------------------------------------------


def test_the_invest_in_tab_shows_the_towns_gaps(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    register = Register(demo_database_url, leader)
    salo = town_ids(demo_database_url)["Salo"]
    min_needs = int(register(lambda s, _u: current_settings(s))["ecosystem.gap_min_needs"])
    rows = register(
        lambda s, u: ecosystem.invest_in_gaps(s, u, town_id=salo, today=TODAY, min_needs=min_needs)
    )
    gaps = [row for row in rows if row["is_gap"]]
    assert gaps, "the demo data has Invest in gaps in Salo"

    open_ecosystem(app, leader, town=salo, year=TODAY.year)
    no_trouble(app)
    gaps_tab = tab(app, "gaps")
    assert [w.value for w in gaps_tab.warning] == [fi("ecosystem.gaps_found", count=len(gaps))]
    lines = [m.value for m in gaps_tab.markdown]
    for gap in gaps:
        kinds = ", ".join(fi(f"partner_kind.{k}") for k in gap["kinds_elsewhere"])
        expected = fi(
            "ecosystem.gap_line",
            category=plain(gap["category"]),
            needs=gap["needs"],
            kinds=plain(kinds or fi("common.none")),
        )
        assert expected in lines, (expected, lines)
    table = gaps_tab.dataframe[0].value
    assert column(table, "category") == [row["category"] for row in rows]
    assert column(table, "needs") == [row["needs"] for row in rows]
    is_gap = column(table, "is_gap")
    assert is_gap == [fi("common.yes") if row["is_gap"] else fi("common.no") for row in rows]
    assert is_gap[: len(gaps)] == [fi("common.yes")] * len(gaps)  # the gaps come first


def test_the_comparison_tab_shows_every_regional_town(
    app: AppTest, demo_database_url: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    register = Register(demo_database_url, advisor)
    salo = town_ids(demo_database_url)["Salo"]
    rows = register(lambda s, u: ecosystem.measured_figures(s, u, year=TODAY.year))
    open_ecosystem(app, advisor, town=salo, year=TODAY.year)
    no_trouble(app)
    compare = tab(app, "comparison")
    table = compare.dataframe[0].value
    engine = make_engine(demo_database_url)
    try:
        with Session(engine) as session:
            regional = set(session.scalars(select(Town.name).where(Town.is_regional_town)))
    finally:
        engine.dispose()
    assert len(regional) > 40
    assert set(column(table, "town")) == regional
    assert column(table, "town") == [row["town"] for row in rows]
    assert column(table, "actors") == [format_number(row["actors"], "fi") for row in rows]
    assert fi("ecosystem.chosen_town", town="Salo") in [c.value for c in compare.caption]


# --- Language -------------------------------------------------------------------------------


def test_in_english_the_tabs_and_figures_are_in_english(
    app: AppTest,
    demo_database_url: str,
    demo_accounts: dict[str, dict[str, Any]],
    languages_restored: None,
) -> None:
    leader = demo_accounts[Role.LEADERSHIP]
    salo = town_ids(demo_database_url)["Salo"]
    open_ecosystem(app, leader, town=salo, year=TODAY.year)
    app.selectbox(key="language").set_value("en").run()
    no_trouble(app)
    assert [t.value for t in app.title] == [translate("page.ecosystem", "en")]
    english = [translate(f"ecosystem.tab.{key}", "en") for key in TABS]
    assert [t.label for t in app.tabs] == english
    assert english != [fi(f"ecosystem.tab.{key}") for key in TABS]
    assert [m.label for m in app.metric] == [
        translate(f"ecosystem.metric.{m}", "en") for m in METRICS
    ]
    # The town and year stay as they were.
    assert app.query_params == {"town": str(salo), "year": str(TODAY.year)}


def test_a_partnership_whose_second_actor_was_never_chosen_is_refused(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    salo = town_ids(own_database)["Salo"]
    before = count_rows(own_database, Partnership)

    at = open_ecosystem(own_app, advisor, town=salo, year=TODAY.year)
    # The user picks the first party only; the second box is left as the page offers it.
    choose_party(at, "first", "actor", actor_id(own_database, "Salon kaupunki"))
    submit_partnership(at, PartnershipKind.NETWORK_MEMBERSHIP)
    no_trouble(at)
    assert count_rows(own_database, Partnership) == before
    assert not at.success
    assert [e.value for e in at.error] == [fi("error.partnership.choose_parties")]


def test_an_assessment_for_the_year_shown_updates_the_maturity_line_at_once(
    own_app: AppTest, own_database: str, demo_accounts: dict[str, dict[str, Any]]
) -> None:
    advisor = demo_accounts[Role.ADVISOR]
    forssa = town_ids(own_database)["Forssa"]
    at = open_ecosystem(own_app, advisor, town=forssa, year=TODAY.year)
    fill_assessment(at, "starting", "city", "Verkosto hajosi, aloitetaan alusta.")
    no_trouble(at)
    assert not at.error, [e.value for e in at.error]
    line = fi(
        "ecosystem.maturity_line",
        maturity=fi("maturity.starting"),
        driver=fi("driver.city"),
        year=str(TODAY.year),
    )
    assert line in [m.value for m in at.markdown]
    history = tab(at, "maturity").dataframe[0].value
    first = history.iloc[0]
    assert (first[fi("col.year")], first[fi("col.maturity")]) == (
        TODAY.year,
        fi("maturity.starting"),
    )
