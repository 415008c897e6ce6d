"""Engagement: which companies take part in which projects, for project managers."""

import datetime as dt

import streamlit as st

from pages import _ui as ui
from services import reference
from services.dashboards import engagement_by_project
from services.i18n import format_percent

user = ui.require_user()
st.title(ui.t("page.engagement"))
today = dt.date.today()

with ui.transaction() as session:
    towns = reference.towns(session)

c1, c2 = st.columns(2)
with c1:
    period = st.date_input(
        ui.t("filter.period"),
        value=(dt.date(today.year - 2, 1, 1), today),
        format="DD.MM.YYYY",
        key="engagement.period",
    )
with c2:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="engagement.town")

if not isinstance(period, tuple) or len(period) != 2:
    st.info(ui.t("filter.choose_period_end"))
    st.stop()

with ui.transaction() as session:
    rows = engagement_by_project(session, user, start=period[0], end=period[1], town_id=town_id)

for row in rows:
    row["company_driven_share"] = format_percent(row["company_driven_share"], ui.language())
left, right = st.columns(2)
left.metric(ui.t("engagement.projects_with_participants"), ui.number(len(rows)))
right.metric(
    ui.t("engagement.participations"), ui.number(sum(row["participations"] for row in rows))
)
ui.table(
    rows,
    ["project", "companies", "participations", "mean_feedback", "company_driven_share"],
    decimals={"mean_feedback": 1},
    empty_key="engagement.none",
)
