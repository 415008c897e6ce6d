"""Home: 'my day' for advisors and project managers, the overview for leadership and admins."""

import datetime as dt

import streamlit as st

from db.enums import NeedStatus, Role, Severity
from pages import _ui as ui
from services.follow_ups import DUE_SOON_DAYS, list_follow_ups
from services.interactions import list_interactions
from services.needs import list_needs

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("home.greeting", name=user.full_name.split(" ")[0]))
st.caption(ui.t("home.today", date=today))

personal = user.role in (Role.ADVISOR, Role.PROJECT_MANAGER)
with ui.transaction() as session:
    follow_ups = list_follow_ups(
        session,
        user,
        today=today,
        owner_id=user.id if personal else None,
        overdue_only=not personal,
        due_by=today + dt.timedelta(days=DUE_SOON_DAYS),
        page_size=15,
    )
    contacts = list_interactions(
        session,
        user,
        advisor_id=user.id if personal else None,
        since=today - dt.timedelta(days=30),
        page_size=10,
    )
    red_needs = list_needs(
        session,
        user,
        language=ui.language(),
        town_ids=user.town_ids if user.role == Role.ADVISOR else None,
        severity=Severity.RED,
        status=NeedStatus.OPEN,
        page_size=10,
    )

overdue = sum(1 for row in follow_ups.rows if row["overdue"])
left, middle, right = st.columns(3)
left.metric(ui.t("home.due_soon") if personal else ui.t("home.overdue_all"), follow_ups.total)
middle.metric(ui.t("home.recent_contacts"), contacts.total)
right.metric(ui.t("home.red_needs"), red_needs.total)

st.subheader(ui.t("home.my_follow_ups") if personal else ui.t("home.overdue_follow_ups"))
if overdue:
    st.warning(ui.t("home.overdue_warning", count=overdue))
ui.table(
    follow_ups.rows,
    ["bucket", "due_on", "company", "town", "description"]
    if personal
    else ["due_on", "company", "town", "description", "owner"],
    enums={"bucket": "bucket"},
    highlight=lambda row: row["overdue"],
    empty_key="home.no_follow_ups",
)

st.subheader(ui.t("home.my_recent_contacts") if personal else ui.t("home.recent_contacts_all"))
ui.table(
    contacts.rows,
    ["occurred_on", "company", "town", "channel", "summary", "advisor"],
    enums={"channel": "channel"},
)

st.subheader(ui.t("home.red_needs_in_my_towns") if user.town_ids else ui.t("home.red_needs_all"))
ui.table(
    red_needs.rows,
    ["identified_on", "company", "town", "category", "description"],
    highlight=lambda row: True,
    empty_key="home.no_red_needs",
)
