"""Leadership: follow-up status across towns and owners."""

import datetime as dt

import streamlit as st

from pages import _ui as ui
from services import reference
from services.dashboards import follow_up_status_by_owner, follow_up_status_by_town

user = ui.require_user()
st.title(ui.t("page.leadership"))
today = dt.date.today()

with ui.transaction() as session:
    regions = reference.regions(session, language=ui.language())

c1, c2 = st.columns(2)
with c1:
    region_id = ui.select_option(ui.t("filter.region"), regions, key="leadership.region")
with c2:
    due_since = st.date_input(
        ui.t("filter.due_since"),
        value=today - dt.timedelta(days=365),
        format="DD.MM.YYYY",
        key="leadership.since",
    )

with ui.transaction() as session:
    by_town = follow_up_status_by_town(
        session, user, today=today, region_id=region_id, due_since=due_since
    )
    by_owner = follow_up_status_by_owner(session, user, today=today, due_since=due_since)

totals = {key: sum(row[key] for row in by_town) for key in ("open", "overdue", "done")}
c1, c2, c3 = st.columns(3)
c1.metric(ui.t("col.open"), ui.number(totals["open"]))
c2.metric(ui.t("col.overdue"), ui.number(totals["overdue"]))
c3.metric(ui.t("col.done"), ui.number(totals["done"]))

st.subheader(ui.t("leadership.by_town"))
ui.table(by_town, ["town", "open", "overdue", "done", "cancelled"])
st.subheader(ui.t("leadership.by_owner"))
ui.table(by_owner, ["owner", "open", "overdue", "done", "cancelled"])
