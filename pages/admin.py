"""Administration: the users and their roles and home towns."""

import streamlit as st

from db.enums import Role
from pages import _ui as ui
from services import reference
from services.settings import SPECS, current_settings, update_settings
from services.users import list_users

user = ui.require_user()
st.title(ui.t("page.admin"))
st.subheader(ui.t("admin.users"))

with ui.transaction() as session:
    towns = reference.towns(session)

c1, c2 = st.columns(2)
with c1:
    role = ui.select_enum(ui.t("filter.role"), "role", list(Role), key="admin.role")
with c2:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="admin.town")

with ui.transaction() as session:
    result = list_users(session, user, role=role, town_id=town_id, page=ui.current_page("admin"))
ui.table(
    result.rows,
    ["full_name", "username", "email", "role", "towns", "is_active", "last_login_at"],
    enums={"role": "role"},
)
ui.pager("admin", result)

st.subheader(ui.t("admin.settings"))
st.caption(ui.t("admin.settings_help"))
with ui.transaction() as session:
    values = current_settings(session)
with st.form("settings"):
    changed: dict[str, float] = {}
    columns = st.columns(2)
    for index, (setting, spec) in enumerate(SPECS.items()):
        # Shares are shown as percentages; counts as whole numbers.
        is_share = not spec.integer and spec.maximum == 1.0
        factor = 100 if is_share else 1
        number = int if spec.integer else float
        with columns[index % 2]:
            shown = st.number_input(
                ui.t(f"setting.{setting}") + (" (%)" if is_share else ""),
                min_value=number(spec.minimum * factor),
                max_value=number(spec.maximum * factor),
                value=number(values[setting] * factor),
                step=number(1 if is_share or spec.integer else 0.1),
                format="%d" if spec.integer else "%.1f",
                key=f"setting.{setting}",
            )
        changed[setting] = shown / factor if is_share else shown
    if st.form_submit_button(ui.t("common.save"), type="primary") and ui.attempt(
        lambda session: update_settings(session, user, changed)
    ):
        ui.flash(ui.t("admin.settings_saved"))
        st.rerun()
