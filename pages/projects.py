"""Projects: every project with its need-fit score and flags, and the unserved needs by town."""

import datetime as dt

import streamlit as st

from db.enums import ProjectKind, Role
from pages import _project
from pages import _ui as ui
from services import reference
from services.auth import CurrentUser
from services.need_fit import unserved_needs, unserved_needs_list
from services.paging import Page
from services.projects import list_projects

user = ui.require_user()
today = dt.date.today()
project_id = ui.query_int("project")
if project_id is not None:
    _project.detail(user, project_id)
    st.stop()

st.title(ui.t("page.projects"))
with ui.transaction() as session:
    towns = reference.towns(session, regional_only=True)


@st.cache_data(ttl=600, show_spinner=False)
def projects_page(
    kind: str | None,
    town_id: int | None,
    active_on: dt.date | None,
    page: int,
    role: str,
    version: int,
    _user: CurrentUser,
) -> Page:
    """One page of the project list; its participation counts scan every participation."""
    with ui.transaction() as session:
        return list_projects(
            session, _user, kind=kind, town_id=town_id, active_on=active_on, page=page
        )


listing, unserved = st.tabs([ui.t("projects.list"), ui.t("projects.unserved")])

with listing:
    c1, c2, c3 = st.columns(3)
    with c1:
        kind = ui.select_enum(
            ui.t("filter.kind"), "project_kind", list(ProjectKind), key="projects.k"
        )
    with c2:
        town_id = ui.select_option(ui.t("filter.town"), towns, key="projects.town")
    with c3:
        active_only = st.toggle(
            ui.t("projects.active_only"),
            key="projects.active",
            on_change=ui.reset_page,
            args=("projects.active",),
        )
    result = projects_page(
        kind,
        town_id,
        today if active_only else None,
        ui.current_page("projects"),
        user.role,
        ui.data_version(),
        user,
    )
    fits = {fit.project_id: fit for fit in _project.cached_need_fit(user, today)}
    for row in result.rows:
        fit = fits.get(row["id"])
        row["score"] = fit.score if fit else None
        row["flags"] = len(fit.flags) if fit else 0
    st.caption(ui.t("projects.choose_hint"))
    chosen = ui.table(
        result.rows,
        ["name", "score", "flags", "kind", "starts_on", "ends_on", "manager", "companies",
         "participations", "towns"],
        enums={"kind": "project_kind"},
        raw=("score", "flags", "companies", "participations"),
        select_key=ui.selection_key("projects.table"),
    )  # fmt: skip
    ui.pager("projects", result)
    ui.list_downloads(
        ui.t("file.projects"),
        lambda _session: result.rows,
        ["name", "score", "flags", "kind", "starts_on", "ends_on", "manager", "companies",
         "participations", "towns"],
        enums={"kind": "project_kind"},
        key="projects.download",
    )  # fmt: skip
    if chosen is not None:
        ui.clear_selection("projects.table")
        st.switch_page("pages/projects.py", query_params={"project": str(chosen["id"])})
    if user.role == Role.ADMIN:
        with st.expander(ui.t("projects.new"), icon=":material/add:"):
            _project.project_form(user, key="new_project")

with unserved:
    st.caption(ui.t("projects.unserved_help"))
    unserved_town = ui.select_option(
        ui.t("filter.town"), towns, key="unserved.town", any_label=ui.t("projects.all_towns")
    )
    with ui.transaction() as session:
        rows = unserved_needs(
            session,
            user,
            today=today,
            language=ui.language(),
            town_ids=None if unserved_town is None else [unserved_town],
        )
    ui.table(
        rows,
        ["town", "category", "needs", "companies"],
        raw=("needs", "companies"),
        empty_key="projects.no_unserved",
    )
    ui.list_downloads(
        ui.t("file.unserved"),
        lambda _session: rows,
        ["town", "category", "needs", "companies"],
        key="unserved.download",
    )
    if unserved_town is not None and rows:
        names = {row["category_id"]: row["category"] for row in rows}
        category_id = st.selectbox(
            ui.t("projects.unserved_category"),
            list(names),
            format_func=names.get,
            key=ui.widget_key("unserved.category"),
        )
        with ui.transaction() as session:
            needs = unserved_needs_list(
                session,
                user,
                today=today,
                town_id=unserved_town,
                category_id=category_id,
                page=ui.current_page("unserved"),
            )
        ui.table(
            needs.rows,
            ["identified_on", "company", "severity", "status", "description"],
            enums={"severity": "severity", "status": "need_status"},
            highlight=lambda row: row["severity"] == "red",
        )
        ui.pager("unserved", needs)
