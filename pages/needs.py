"""Needs: what companies need, with filters."""

import streamlit as st

from db.enums import NeedStatus, Severity
from pages import _ui as ui
from services import reference
from services.needs import list_needs

user = ui.require_user()
st.title(ui.t("page.needs"))

with ui.transaction() as session:
    towns = reference.towns(session)
    categories = reference.need_categories(session, language=ui.language())

c1, c2, c3, c4 = st.columns(4)
with c1:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="needs.town")
with c2:
    category_id = ui.select_option(ui.t("filter.category"), categories, key="needs.category")
with c3:
    severity = ui.select_enum(ui.t("filter.severity"), "severity", list(Severity), key="needs.sev")
with c4:
    status = ui.select_enum(ui.t("filter.status"), "need_status", list(NeedStatus), key="needs.st")

with ui.transaction() as session:
    result = list_needs(
        session,
        user,
        language=ui.language(),
        town_id=town_id,
        category_id=category_id,
        severity=severity,
        status=status,
        page=ui.current_page("needs"),
    )
ui.table(
    result.rows,
    [
        "identified_on",
        "company",
        "town",
        "category",
        "severity",
        "status",
        "description",
        "addressed_by_project",
        "resolved_on",
    ],
    enums={"severity": "severity", "status": "need_status"},
)
ui.pager("needs", result)
