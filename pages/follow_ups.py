"""Follow-ups: mine, or everyone's for leadership and admins; overdue first."""

import datetime as dt

import streamlit as st

from db.enums import FollowUpStatus, Role
from pages import _ui as ui
from services import reference
from services.follow_ups import list_follow_ups

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.follow_ups"))
sees_everyone = user.role in (Role.LEADERSHIP, Role.ADMIN)

with ui.transaction() as session:
    towns = reference.towns(session)

c1, c2, c3, c4 = st.columns(4)
with c1:
    mine = st.toggle(
        ui.t("follow_ups.mine_only"),
        value=not sees_everyone,
        disabled=not sees_everyone,
        key="follow_ups.mine",
        on_change=ui.reset_page,
        args=("follow_ups.mine",),
    )
with c2:
    status = ui.select_enum(
        ui.t("filter.status"),
        "follow_up_status",
        list(FollowUpStatus),
        key="follow_ups.status",
        default=FollowUpStatus.OPEN,
    )
with c3:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="follow_ups.town")
with c4:
    overdue_only = st.toggle(
        ui.t("filter.overdue_only"),
        key="follow_ups.overdue",
        on_change=ui.reset_page,
        args=("follow_ups.overdue",),
    )

with ui.transaction() as session:
    result = list_follow_ups(
        session,
        user,
        today=today,
        owner_id=user.id if mine or not sees_everyone else None,
        status=status,
        overdue_only=overdue_only,
        town_id=town_id,
        page=ui.current_page("follow_ups"),
    )
ui.table(
    result.rows,
    ["due_on", "overdue", "company", "town", "description", "owner", "status", "done_on"],
    enums={"status": "follow_up_status"},
    empty_key="follow_ups.none",
)
ui.pager("follow_ups", result)
