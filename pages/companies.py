"""Companies: find a company by name or business ID, add one, or open its profile."""

import streamlit as st

from db.enums import SizeClass
from pages import _company
from pages import _ui as ui
from services import reference
from services.companies import search_companies
from services.permissions import Action, can

user = ui.require_user()
company_id = ui.query_int("company")
if company_id is not None:
    _company.profile(user, company_id)
    st.stop()

st.title(ui.t("page.companies"))
with ui.transaction() as session:
    towns = reference.towns(session)

st.session_state.setdefault("companies.query", st.query_params.get("q", ""))


def search_changed() -> None:
    ui.reset_page("companies.query")
    st.query_params["q"] = st.session_state["companies.query"]


query = st.text_input(
    ui.t("companies.search"),
    placeholder=ui.t("companies.search_placeholder"),
    key="companies.query",
    on_change=search_changed,
)
c1, c2, c3, c4 = st.columns(4)
with c1:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="companies.town")
with c2:
    section = ui.select_section("companies.section")
with c3:
    size_class = ui.select_enum(
        ui.t("filter.size_class"), "size_class", list(SizeClass), key="companies.size"
    )
with c4:
    has_open_needs = st.toggle(
        ui.t("filter.has_open_needs"),
        key="companies.open_needs",
        on_change=ui.reset_page,
        args=("companies.open_needs",),
    )

# The same filters for the page shown and for the download of the whole list.
filters = {
    "query": query,
    "town_id": town_id,
    "industry_section": section,
    "size_class": size_class,
    "has_open_needs": has_open_needs,
}
with ui.transaction() as session:
    result = search_companies(session, user, **filters, page=ui.current_page("companies"))
st.caption(ui.t("companies.choose_hint"))
chosen = ui.table(
    result.rows,
    ["business_id", "name", "town", "industry_section", "size_class", "staff_count", "is_active"],
    enums={"size_class": "size_class"},
    empty_key="companies.none_found",
    select_key=ui.selection_key("companies.table"),
)
ui.pager("companies", result)


ui.list_downloads(
    ui.t("export.companies_file"),
    lambda session: search_companies(session, user, **filters, page_size=None).rows,
    ["business_id", "name", "town", "industry_section", "size_class", "staff_count", "is_active"],
    enums={"size_class": "size_class"},
    key="companies.download",
)
if chosen is not None:
    ui.open_company(chosen["id"])

if can(user, Action.EDIT_COMPANY):
    with st.expander(ui.t("companies.new"), icon=":material/add_business:"):
        with ui.transaction() as session:
            own_towns = reference.editable_towns(session, user)
        _company.company_form(user, towns=own_towns, key="new_company")
