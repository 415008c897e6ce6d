"""Administration: the users and their roles and home towns."""

import streamlit as st

from db.enums import Role
from pages import _ui as ui
from services import reference
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
