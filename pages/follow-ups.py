"""Follow-ups: mine (overdue first, then this week, then later), or everyone's by owner."""

import datetime as dt

import streamlit as st

from db.enums import FollowUpStatus, Role
from pages import _ui as ui
from services import reference
from services.follow_ups import (
    cancel_follow_up,
    complete_follow_up,
    list_follow_ups,
    reassign_follow_up,
    reschedule_follow_up,
)
from services.permissions import Action, can_in_town

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.follow_ups"))
sees_everyone = user.role in (Role.LEADERSHIP, Role.ADMIN)

with ui.transaction() as session:
    towns = reference.towns(session)
    staff = reference.staff(session)

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

everyone = sees_everyone and not mine
# The same filters for the page shown and for the download of the whole list.
filters = {
    "today": today,
    "owner_id": None if everyone else user.id,
    "status": status,
    "overdue_only": overdue_only,
    "town_id": town_id,
    "by_owner": everyone,
}
with ui.transaction() as session:
    result = list_follow_ups(session, user, **filters, page=ui.current_page("follow_ups"))
columns = ["bucket", "due_on", "company", "town", "description", "status", "done_on"]
if everyone:
    columns.insert(0, "owner")
st.caption(ui.t("follow_ups.choose_hint"))
chosen = ui.table(
    result.rows,
    columns,
    enums={"status": "follow_up_status", "bucket": "bucket"},
    highlight=lambda row: row["overdue"],
    empty_key="follow_ups.none",
    select_key=ui.selection_key("follow_ups.table"),
)
ui.pager("follow_ups", result)


ui.list_downloads(
    ui.t("file.follow_ups"),
    lambda session: list_follow_ups(session, user, **filters, page_size=None).rows,
    ["owner", "due_on", "company", "town", "description", "status", "done_on"],
    enums={"status": "follow_up_status"},
    key="follow_ups.download",
)

if chosen is None or chosen["status"] != FollowUpStatus.OPEN:
    st.stop()
if chosen["owner_id"] != user.id and not can_in_town(user, Action.EDIT_COMPANY, chosen["town_id"]):
    st.info(ui.t("follow_ups.read_only"))
    st.stop()

follow_up_id = chosen["id"]
st.divider()
st.subheader(ui.t("follow_ups.chosen", company=ui.plain(chosen["company"])))
st.text(chosen["description"])


def done(message_key: str) -> None:
    ui.flash(ui.t(message_key))
    ui.clear_selection("follow_ups.table")
    st.rerun()


left, middle, right = st.columns(3)
with left:
    if st.button(ui.t("follow_ups.complete"), type="primary", icon=":material/done:") and (
        ui.attempt(lambda s: complete_follow_up(s, user, follow_up_id, today=today))
    ):
        done("follow_ups.completed")
    if st.button(ui.t("follow_ups.cancel"), icon=":material/close:") and ui.attempt(
        lambda s: cancel_follow_up(s, user, follow_up_id)
    ):
        done("follow_ups.cancelled")
with middle, st.form(f"reschedule_{follow_up_id}"):
    new_due = st.date_input(
        ui.t("follow_ups.new_due"),
        value=max(chosen["due_on"], today),
        min_value=today,
        format="DD.MM.YYYY",
    )
    if st.form_submit_button(ui.t("follow_ups.reschedule")) and ui.attempt(
        lambda s: reschedule_follow_up(s, user, follow_up_id, due_on=new_due, today=today)
    ):
        done("follow_ups.rescheduled")
with right, st.form(f"reassign_{follow_up_id}"):
    names = {option.id: option.label for option in staff}
    owners = list(names)
    owner_id = st.selectbox(
        ui.t("follow_ups.new_owner"),
        owners,
        index=owners.index(chosen["owner_id"]) if chosen["owner_id"] in names else 0,
        format_func=names.get,
    )
    if st.form_submit_button(ui.t("follow_ups.reassign")) and ui.attempt(
        lambda s: reassign_follow_up(s, user, follow_up_id, owner_id=owner_id)
    ):
        done("follow_ups.reassigned")
