"""Innovation ecosystem of a town: its actors, who works with whom (a network chart), the
maturity history beside measured figures, a comparison with other towns, and the "Invest in"
gaps. Town and year live in the URL, so a view can be bookmarked."""

import datetime as dt

import streamlit as st

from db.enums import ActorType, PartnershipKind
from pages import _ecosystem_view as eco
from pages import _ui as ui
from services import ecosystem
from services.auth import CurrentUser
from services.paging import Page
from services.settings import current_settings

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.ecosystem"))
st.caption(ui.t("ecosystem.intro"))

with ui.transaction() as session:
    towns = {row["id"]: row["name"] for row in ecosystem.town_choices(session, user)}
    gap_min_needs = int(current_settings(session)["ecosystem.gap_min_needs"])
if not towns:
    st.info(ui.t("ecosystem.no_towns"))
    st.stop()

# --- Town and year, read from and written back to the URL -------------------------------------
years = list(range(today.year, 2018, -1))
if "ecosystem.town" not in st.session_state:
    asked = ui.query_int("town")
    home = [town for town in sorted(user.town_ids) if town in towns]
    st.session_state["ecosystem.town"] = (
        asked if asked in towns else home[0] if home else next(iter(towns))
    )
    asked_year = ui.query_int("year")
    st.session_state["ecosystem.year"] = asked_year if asked_year in years else today.year
left, right = st.columns([3, 1])
town_id = left.selectbox(
    ui.t("filter.town"), list(towns), format_func=towns.get, key="ecosystem.town"
)
year = right.selectbox(ui.t("col.year"), years, key="ecosystem.year")
st.query_params.update({"town": str(town_id), "year": str(year)})
version = ui.data_version()


@st.cache_data(ttl=600, show_spinner=False)
def figures(year: int, language: str, role: str, version: int, _user: CurrentUser) -> list[dict]:
    """Every regional town's measured figures for the year, for the comparison."""
    with ui.transaction() as session:
        return ecosystem.measured_figures(
            session, _user, year=year, town_ids=None, language=language
        )


@st.cache_data(ttl=600, show_spinner=False)
def town_figures(
    town_id: int, year: int, language: str, role: str, version: int, _user: CurrentUser
) -> dict | None:
    with ui.transaction() as session:
        rows = ecosystem.measured_figures(
            session, _user, year=year, town_ids=[town_id], language=language
        )
    return rows[0] if rows else None


comparison = figures(year, ui.language(), user.role, version, user)
mine = next((row for row in comparison if row["town_id"] == town_id), None)
if mine is None:  # a town that is not a regional town
    mine = town_figures(town_id, year, ui.language(), user.role, version, user)
if mine is not None:
    eco.key_figures(mine, year)

(network_tab, actors_tab, partnerships_tab, maturity_tab, compare_tab, gaps_tab) = st.tabs(
    [
        ui.t("ecosystem.tab.network"),
        ui.t("ecosystem.tab.actors"),
        ui.t("ecosystem.tab.partnerships"),
        ui.t("ecosystem.tab.maturity"),
        ui.t("ecosystem.tab.comparison"),
        ui.t("ecosystem.tab.gaps"),
    ]
)

with network_tab:
    eco.network_section(user, town_id, year, mine, version)

with actors_tab:
    of_type = ui.select_enum(
        ui.t("ecosystem.actor_type"), "actor_type", list(ActorType), key="actors.type"
    )
    with ui.transaction() as session:
        actors: Page = ecosystem.list_actors(
            session,
            user,
            town_id=town_id,
            of_type=of_type,
            language=ui.language(),
            page=ui.current_page("actors"),
        )
    if mine is not None:
        eco.actors_by_type_chart(mine)
    st.caption(ui.t("ecosystem.actors_help"))
    chosen_actor = ui.table(
        actors.rows,
        ["name", "actor_type", "kind", "coverage", "categories", "partnerships"],
        enums={"actor_type": "actor_type", "kind": "partner_kind", "coverage": "coverage"},
        raw=("partnerships",),
        select_key=ui.selection_key("actors.table"),
        empty_key="ecosystem.no_actors",
    )
    ui.pager("actors", actors)
    ui.list_downloads(
        ui.t("file.actors"),
        lambda s: (
            ecosystem.list_actors(
                s, user, town_id=town_id, of_type=of_type, language=ui.language(), page_size=None
            ).rows
        ),
        ["name", "actor_type", "kind", "coverage", "town", "region", "categories", "partnerships"],
        enums={"actor_type": "actor_type", "kind": "partner_kind", "coverage": "coverage"},
        key="actors.download",
    )
    if chosen_actor is not None:
        eco.actor_editor(user, chosen_actor["id"])
    # Advisors add actors based in their home towns: on those towns' pages.
    if ecosystem.may_edit_actor(user, town_id):
        with st.expander(ui.t("ecosystem.new_actor"), icon=":material/add:"):
            eco.actor_form(user, key="new_actor", facts={"town_id": town_id})

with partnerships_tab:
    c1, c2 = st.columns([2, 1])
    with c1:
        kind = ui.select_enum(
            ui.t("col.partnership_kind"),
            "partnership_kind",
            list(PartnershipKind),
            key="partnerships.kind",
        )
    with c2:
        cross_only = st.toggle(
            ui.t("ecosystem.cross_border_only"),
            key="partnerships.cross",
            on_change=ui.reset_page,
            args=("partnerships.cross",),
        )
    with ui.transaction() as session:
        partnerships = ecosystem.list_partnerships(
            session,
            user,
            town_id=town_id,
            year=year,
            kind=kind,
            cross_border_only=cross_only,
            page=ui.current_page("partnerships"),
        )
    st.caption(ui.t("ecosystem.partnerships_help", year=str(year)))
    columns = ["kind", "first", "second", "starts_on", "ends_on", "towns",
               "cross_municipal", "cross_regional", "with_state"]  # fmt: skip
    chosen_partnership = ui.table(
        partnerships.rows,
        columns,
        enums={"kind": "partnership_kind"},
        select_key=ui.selection_key("partnerships.table"),
        empty_key="ecosystem.no_partnerships",
    )
    ui.pager("partnerships", partnerships)
    ui.list_downloads(
        ui.t("file.partnerships"),
        lambda s: ecosystem.list_partnerships(
            s, user, town_id=town_id, year=year, kind=kind, cross_border_only=cross_only,
            page_size=None,
        ).rows,
        [*columns, "description"],
        enums={"kind": "partnership_kind"},
        key="partnerships.download",
    )  # fmt: skip
    if chosen_partnership is not None:
        eco.partnership_editor(user, chosen_partnership["id"])
    if ecosystem.records_partnerships(user):
        with st.expander(ui.t("ecosystem.new_partnership"), icon=":material/add_link:"):
            eco.partnership_form(user, key="new_partnership", facts={"town_ids": [town_id]})

with maturity_tab:
    eco.maturity_section(user, town_id, towns[town_id], year, version)

with compare_tab:
    eco.comparison_section(comparison, town_id, year)

with gaps_tab:
    eco.gaps_section(user, town_id, today, gap_min_needs)
