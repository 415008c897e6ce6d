"""Companies: find a company by name or business ID, with filters."""

import streamlit as st

from db.enums import TOL_SECTIONS, SizeClass
from pages import _ui as ui
from services import reference
from services.companies import search_companies

user = ui.require_user()
st.title(ui.t("page.companies"))

with ui.transaction() as session:
    towns = reference.towns(session)

query = st.text_input(
    ui.t("companies.search"),
    placeholder=ui.t("companies.search_placeholder"),
    key="companies.query",
    on_change=ui.reset_page,
    args=("companies.query",),
)
c1, c2, c3, c4 = st.columns(4)
with c1:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="companies.town")
with c2:
    section = st.selectbox(
        ui.t("filter.industry_section"),
        [None, *TOL_SECTIONS],
        format_func=lambda s: ui.t("filter.any") if s is None else ui.t(f"tol.{s}"),
        key="companies.section",
        on_change=ui.reset_page,
        args=("companies.section",),
    )
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

with ui.transaction() as session:
    result = search_companies(
        session,
        user,
        query=query,
        town_id=town_id,
        industry_section=section,
        size_class=size_class,
        has_open_needs=has_open_needs,
        page=ui.current_page("companies"),
    )
ui.table(
    result.rows,
    ["business_id", "name", "town", "industry_section", "size_class", "staff_count", "is_active"],
    enums={"size_class": "size_class"},
    empty_key="companies.none_found",
)
ui.pager("companies", result)
