"""Needs: what companies need; move each along, and refer open ones to who can answer them."""

import datetime as dt

import streamlit as st

from db.enums import NeedStatus, Severity
from pages import _ui as ui
from services import reference
from services.needs import change_need_status, list_needs, refer_need, suggestions_for_need
from services.permissions import Action, can_in_town, can_refer

# Age filter: label key -> (identified at most this many days ago, at least this many days ago).
AGES = {
    "any": (None, None),
    "under_30": (30, None),
    "30_90": (90, 30),
    "90_365": (365, 90),
    "over_365": (None, 365),
}

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.needs"))

with ui.transaction() as session:
    towns = reference.towns(session)
    categories = reference.need_categories(session, language=ui.language())
    projects = reference.projects(session)
    partners = reference.partners(session)

c1, c2, c3, c4, c5 = st.columns(5)
with c1:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="needs.town")
with c2:
    category_id = ui.select_option(ui.t("filter.category"), categories, key="needs.category")
with c3:
    severity = ui.select_enum(ui.t("filter.severity"), "severity", list(Severity), key="needs.sev")
with c4:
    status = ui.select_enum(ui.t("filter.status"), "need_status", list(NeedStatus), key="needs.st")
with c5:
    age = st.selectbox(
        ui.t("filter.age"),
        list(AGES),
        format_func=lambda a: ui.t(f"needs.age.{a}"),
        key=ui.widget_key("needs.age"),
        on_change=ui.reset_page,
        args=("needs.age",),
    )
newest, oldest = AGES[age]

# The same filters for the page shown and for the download of the whole list.
filters = {
    "language": ui.language(),
    "town_id": town_id,
    "category_id": category_id,
    "severity": severity,
    "status": status,
    "identified_since": today - dt.timedelta(days=newest) if newest else None,
    "identified_before": today - dt.timedelta(days=oldest) if oldest else None,
}
with ui.transaction() as session:
    result = list_needs(session, user, **filters, page=ui.current_page("needs"))
st.caption(ui.t("needs.choose_hint"))
chosen = ui.table(
    result.rows,
    ["identified_on", "company", "town", "category", "severity", "status", "description"],
    enums={"severity": "severity", "status": "need_status"},
    highlight=lambda row: row["severity"] == Severity.RED,
    select_key=ui.selection_key("needs.table"),
)
ui.pager("needs", result)


ui.list_downloads(
    ui.t("file.needs"),
    lambda session: list_needs(session, user, **filters, page_size=None).rows,
    ["identified_on", "company", "town", "category", "severity", "status", "description",
     "addressed_by_project", "resolved_on"],
    enums={"severity": "severity", "status": "need_status"},
    key="needs.download",
)  # fmt: skip

if chosen is None:
    st.stop()

need_id = chosen["id"]
st.divider()
st.subheader(ui.t("needs.chosen", company=ui.plain(chosen["company"])))
st.text(chosen["description"])
st.page_link(
    "pages/companies.py",
    label=ui.t("needs.open_company"),
    icon=":material/business:",
    query_params={"company": str(chosen["company_id"])},
)
left, right = st.columns(2)

with left:
    st.markdown(f"**{ui.t('needs.change_status')}**")
    if not can_in_town(user, Action.EDIT_COMPANY, chosen["town_id"]):
        st.info(ui.t("company.read_only"))
    else:
        with st.form(f"need_status_{need_id}"):
            statuses = list(NeedStatus)
            new_status = st.selectbox(
                ui.t("filter.status"),
                statuses,
                index=statuses.index(chosen["status"]),
                format_func=lambda s: ui.label("need_status", s),
            )
            note = st.text_area(ui.t("needs.resolution_note"), chosen["resolution_note"] or "")
            project_names = {p.id: p.label for p in projects}
            project_options = [None, *project_names]
            project_id = st.selectbox(
                ui.t("needs.addressed_by_project"),
                project_options,
                index=project_options.index(chosen["addressed_by_project_id"])
                if chosen["addressed_by_project_id"] in project_options
                else 0,
                format_func=lambda p: ui.t("common.none") if p is None else project_names[p],
            )
            partner_names = {p.id: p.label for p in partners}
            partner_options = [None, *partner_names]
            partner_id = st.selectbox(
                ui.t("needs.addressed_by_partner"),
                partner_options,
                index=partner_options.index(chosen["addressed_by_partner_id"])
                if chosen["addressed_by_partner_id"] in partner_options
                else 0,
                format_func=lambda p: ui.t("common.none") if p is None else partner_names[p],
            )
            if st.form_submit_button(ui.t("common.save"), type="primary") and ui.attempt(
                lambda s: change_need_status(
                    s,
                    user,
                    need_id,
                    status=new_status,
                    today=today,
                    note=note,
                    project_id=project_id,
                    partner_id=partner_id,
                )
            ):
                ui.flash(ui.t("needs.status_saved"))
                ui.clear_selection("needs.table")
                st.rerun()

with right:
    st.markdown(f"**{ui.t('needs.suggestions')}**")
    if chosen["status"] not in (NeedStatus.OPEN, NeedStatus.IN_PROGRESS):
        st.caption(ui.t("needs.suggestions_only_open"))
        st.stop()
    with ui.transaction() as session:
        suggestions = suggestions_for_need(session, user, need_id, today=today)
    may_refer = can_refer(user, chosen["town_id"])
    consent = st.checkbox(ui.t("log.consent"), key=f"need_consent_{need_id}")
    if not suggestions["projects"] and not suggestions["partners"]:
        st.info(ui.t("needs.no_suggestions"))
    for kind in ("projects", "partners"):
        for option in suggestions[kind]:
            name_col, button_col = st.columns([3, 1])
            name_col.text(option["name"])
            if not may_refer:
                continue
            refer = button_col.button(
                ui.t("needs.refer"),
                key=f"refer_{need_id}_{kind}_{option['id']}",
                icon=":material/forward:",
            )
            target = {"project_id" if kind == "projects" else "partner_id": option["id"]}
            if refer and ui.attempt(
                lambda s, target=target: refer_need(
                    s, user, need_id, consent=consent, today=today, **target
                )
            ):
                ui.flash(ui.t("needs.referred", target=option["name"]))
                st.rerun()
