"""Log contact: the contacts logged so far, newest first."""

import datetime as dt

import streamlit as st

from db.enums import Channel, Role
from pages import _ui as ui
from services import reference
from services.interactions import list_interactions

user = ui.require_user()
st.title(ui.t("page.log_contact"))

with ui.transaction() as session:
    towns = reference.towns(session)

c1, c2, c3, c4 = st.columns(4)
with c1:
    mine = st.toggle(
        ui.t("contacts.mine_only"),
        value=user.role == Role.ADVISOR,
        key="contacts.mine",
        on_change=ui.reset_page,
        args=("contacts.mine",),
    )
with c2:
    channel = ui.select_enum(ui.t("filter.channel"), "channel", list(Channel), key="contacts.ch")
with c3:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="contacts.town")
with c4:
    since = st.date_input(
        ui.t("filter.since"),
        value=dt.date.today() - dt.timedelta(days=365),
        format="DD.MM.YYYY",
        key="contacts.since",
        on_change=ui.reset_page,
        args=("contacts.since",),
    )

with ui.transaction() as session:
    result = list_interactions(
        session,
        user,
        advisor_id=user.id if mine else None,
        channel=channel,
        since=since,
        town_id=town_id,
        page=ui.current_page("contacts"),
    )
st.subheader(ui.t("contacts.recent"))
ui.table(
    result.rows,
    ["occurred_on", "company", "town", "channel", "summary", "advisor", "project"],
    enums={"channel": "channel"},
)
ui.pager("contacts", result)
