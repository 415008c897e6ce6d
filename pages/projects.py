"""Projects: the regional-town development projects and their reach."""

import datetime as dt

import streamlit as st

from db.enums import ProjectKind
from pages import _ui as ui
from services import reference
from services.projects import list_projects

user = ui.require_user()
st.title(ui.t("page.projects"))

with ui.transaction() as session:
    towns = reference.towns(session, regional_only=True)

c1, c2, c3 = st.columns(3)
with c1:
    kind = ui.select_enum(ui.t("filter.kind"), "project_kind", list(ProjectKind), key="projects.k")
with c2:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="projects.town")
with c3:
    active_only = st.toggle(
        ui.t("projects.active_only"),
        key="projects.active",
        on_change=ui.reset_page,
        args=("projects.active",),
    )

with ui.transaction() as session:
    result = list_projects(
        session,
        user,
        kind=kind,
        town_id=town_id,
        active_on=dt.date.today() if active_only else None,
        page=ui.current_page("projects"),
    )
ui.table(
    result.rows,
    [
        "name",
        "kind",
        "starts_on",
        "ends_on",
        "towns",
        "manager",
        "target_companies",
        "companies",
        "participations",
        "mean_feedback",
    ],
    enums={"kind": "project_kind"},
    decimals={"mean_feedback": 1},
)
ui.pager("projects", result)
