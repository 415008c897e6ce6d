"""Engagement: for project managers. Filters live in the URL, so a view can be bookmarked."""

import datetime as dt

import altair as alt
import streamlit as st

from db.enums import TOL_SECTIONS, SizeClass
from pages import _charts as charts
from pages import _ui as ui
from services import engagement as dashboard
from services import reference
from services.auth import CurrentUser
from services.engagement import EngagementFilters

SPACED = charts.SPACED  # thousands with a space on axes

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.engagement"))

with ui.transaction() as session:
    towns = reference.towns(session)
    projects = reference.projects(session)
town_names = {option.id: option.label for option in towns}
project_names = {option.id: option.label for option in projects}

# --- Filters, read from and written back to the URL --------------------------------------------
params = st.query_params
default_start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
if "engagement.period" not in st.session_state:
    start = ui.date_param("from", default_start)
    end = ui.date_param("to", today)
    st.session_state["engagement.period"] = (start, end)
    st.session_state["engagement.towns"] = ui.int_params("town", town_names)
    st.session_state["engagement.projects"] = ui.int_params("project", project_names)

# Select boxes are drawn anew in each language; they take their value from the URL then.
# Only a value is set: a select box set to None would show no choice at all.
for name, allowed in (("section", TOL_SECTIONS), ("size", set(SizeClass))):
    widget = ui.widget_key(f"engagement.{name}")
    if widget not in st.session_state and params.get(name) in allowed:
        st.session_state[widget] = params[name]

c1, c2, c3 = st.columns([2, 2, 3])
period = c1.date_input(ui.t("filter.period"), format="DD.MM.YYYY", key="engagement.period")
with c2:
    section = ui.select_section("engagement.section")
size = c2.selectbox(
    ui.t("filter.size_class"),
    [None, *SizeClass],
    format_func=lambda s: ui.label("size_class", s) if s else ui.t("filter.any"),
    key=ui.widget_key("engagement.size"),
)
chosen_towns = c3.multiselect(
    ui.t("filter.towns"),
    list(town_names),
    format_func=town_names.get,
    placeholder=ui.t("filter.all_towns"),
    key="engagement.towns",
)
chosen_projects = c3.multiselect(
    ui.t("filter.projects"),
    list(project_names),
    format_func=project_names.get,
    placeholder=ui.t("filter.all_projects"),
    key="engagement.projects",
)
if not isinstance(period, tuple) or len(period) != 2:
    st.info(ui.t("filter.choose_period_end"))
    st.stop()
start, end = period
st.query_params.from_dict(
    {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "town": [str(town) for town in chosen_towns],
        "project": [str(project) for project in chosen_projects],
        **({"section": section} if section else {}),
        **({"size": size} if size else {}),
    }
)
filters = EngagementFilters(
    start=start,
    end=end,
    town_ids=tuple(chosen_towns),
    project_ids=tuple(chosen_projects),
    industry_section=section or None,
    size_class=size or None,
)
if chosen_projects:
    st.caption(ui.t("engagement.project_filter_note"))


@st.cache_data(ttl=600, show_spinner=False)
def figures(filters: tuple, role: str, language: str, version: int, _user: CurrentUser) -> dict:  # type: ignore[type-arg]
    """Every aggregate of the page for one set of filters, computed once."""
    chosen = EngagementFilters(*filters)
    with ui.transaction() as session:
        return {
            "now": dashboard.key_figures(session, _user, chosen),
            "before": dashboard.key_figures(session, _user, chosen.previous()),
            "months": dashboard.interactions_by_month(session, _user, chosen),
            "needs": dashboard.needs_by_category(session, _user, chosen, language=language),
            "funnel": dashboard.funnel(session, _user, chosen),
            "participation": dashboard.participation_by_project(session, _user, chosen),
            "feedback": dashboard.feedback_distribution(session, _user, chosen),
            "towns": dashboard.town_comparison(session, _user, chosen),
        }


key = (
    filters.start,
    filters.end,
    filters.town_ids,
    filters.project_ids,
    filters.industry_section,
    filters.size_class,
)
with st.spinner(ui.t("engagement.loading")):
    data = figures(key, user.role.value, ui.language(), ui.data_version(), user)
now, before = data["now"], data["before"]

# --- Key figures against the previous period ---------------------------------------------------
st.caption(
    ui.t("engagement.compared_with", start=filters.previous().start, end=filters.previous().end)
)
columns = st.columns(5)
for column, name in zip(
    columns,
    (
        "companies_contacted",
        "interactions",
        "needs_identified",
        "companies_participating",
        "met_share",
    ),
    strict=True,
):
    value, previous = now[name], before[name]
    if name == "met_share":
        shown = ui.percent(value)
        change = (
            None
            if value is None or previous is None
            else ui.t("engagement.points", value=ui.number((value - previous) * 100, 1))
        )
    else:
        shown = ui.number(value)
        # No change shows no arrow; a rise gets its plus sign.
        change = None if previous in (None, value) else ui.number(value - previous)
        if change is not None and value > previous:
            change = "+" + change
    column.metric(ui.t(f"col.{name}"), shown, change, help=ui.t(f"engagement.help.{name}"))

if not now["interactions"] and not now["companies_participating"] and not now["needs_identified"]:
    st.info(ui.t("engagement.empty"))
    st.stop()

# --- Charts --------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    rows = [
        {
            **row,
            "month_start": f"{row['month']}-01",
            "channel_name": ui.label("channel", row["channel"]),
        }
        for row in data["months"]
    ]
    chart = (
        alt.Chart(charts.frame(rows, ["month_start", "channel_name", "interactions"]),
                  title=ui.t("engagement.chart.months"))
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month_start):T", title=ui.t("col.month"),
                    axis=alt.Axis(format="%m/%Y", labelAngle=-45)),
            y=alt.Y("sum(interactions):Q", title=ui.t("col.interactions"),
                    axis=alt.Axis(labelExpr=SPACED)),
            color=alt.Color("channel_name:N", title=ui.t("col.channel"),
                            scale=alt.Scale(range=charts.SERIES_COLOURS)),
            tooltip=[
                alt.Tooltip("yearmonth(month_start):T", title=ui.t("col.month"), format="%m/%Y"),
                alt.Tooltip("channel_name:N", title=ui.t("col.channel")),
                alt.Tooltip("interactions:Q", title=ui.t("col.interactions")),
            ],
        )
    )  # fmt: skip
    charts.show(chart)
    charts.downloads(
        ui.t("engagement.file.months"),
        [
            {"month": r["month"], "channel": r["channel_name"], "interactions": r["interactions"]}
            for r in rows
        ],
        ["month", "channel", "interactions"],
        key="dl.months",
    )  # fmt: skip

with right:
    rows = [{**row, "status_name": ui.label("need_status", row["status"])} for row in data["needs"]]
    chart = (
        alt.Chart(charts.frame(rows, ["category", "category_code", "status_name", "needs"]),
                  title=ui.t("engagement.chart.needs"))
        .mark_bar()
        .encode(
            y=alt.Y("status_name:N", title=ui.t("col.status"), sort=None),
            x=alt.X("sum(needs):Q", title=ui.t("col.needs"), axis=alt.Axis(labelExpr=SPACED)),
            color=alt.Color("category:N", title=ui.t("col.category"),
                            scale=charts.category_scale(rows),
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)),
            tooltip=[
                alt.Tooltip("category:N", title=ui.t("col.category")),
                alt.Tooltip("status_name:N", title=ui.t("col.status")),
                alt.Tooltip("needs:Q", title=ui.t("col.needs")),
            ],
        )
    )  # fmt: skip
    charts.show(chart)
    charts.downloads(
        ui.t("engagement.file.needs"),
        [{"category": row["category"], "status": row["status_name"], "needs": row["needs"]}
         for row in rows],
        ["category", "status", "needs"],
        key="dl.needs",
    )  # fmt: skip

left, right = st.columns(2)
with left:
    rows = [
        {**row, "stage_name": ui.t(f"engagement.stage.{row['stage']}")} for row in data["funnel"]
    ]
    chart = (
        alt.Chart(charts.frame(rows, ["stage_name", "companies"]),
                  title=ui.t("engagement.chart.funnel"))
        .mark_bar(color=charts.SERIES_COLOURS[0])
        .encode(
            y=alt.Y("stage_name:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("companies:Q", title=ui.t("col.companies"), axis=alt.Axis(labelExpr=SPACED)),
            tooltip=[alt.Tooltip("stage_name:N", title=ui.t("col.stage")),
                     alt.Tooltip("companies:Q", title=ui.t("col.companies"))],
        )
    )  # fmt: skip
    charts.show(chart)
    charts.downloads(
        ui.t("engagement.file.funnel"),
        [{"stage": row["stage_name"], "companies": row["companies"]} for row in rows],
        ["stage", "companies"],
        key="dl.funnel",
    )
with right:
    rows = [
        {**row, "role_name": ui.label("participation_role", row["role"])}
        for row in data["participation"]
    ]
    if rows:
        chart = (
            alt.Chart(charts.frame(rows, ["project", "role_name", "participations"]),
                      title=ui.t("engagement.chart.participation"))
            .mark_bar()
            .encode(
                y=alt.Y("project:N", title=None, axis=alt.Axis(labelLimit=260)),
                x=alt.X("sum(participations):Q", title=ui.t("col.participations"),
                        axis=alt.Axis(labelExpr=SPACED)),
                color=alt.Color("role_name:N", title=ui.t("col.role"),
                                scale=alt.Scale(range=charts.SERIES_COLOURS),
                                legend=alt.Legend(orient="bottom", columns=2)),
                tooltip=[alt.Tooltip("project:N", title=ui.t("col.project")),
                         alt.Tooltip("role_name:N", title=ui.t("col.role")),
                         alt.Tooltip("participations:Q", title=ui.t("col.participations"))],
            )
        )  # fmt: skip
        charts.show(chart)
    else:
        st.info(ui.t("engagement.no_participation"))
    charts.downloads(
        ui.t("engagement.file.participation"),
        [{"project": row["project"], "role": row["role_name"],
          "participations": row["participations"], "companies": row["companies"]} for row in rows],
        ["project", "role", "participations", "companies"],
        key="dl.participation",
    )  # fmt: skip

left, right = st.columns([1, 2])
with left:
    rows = data["feedback"]
    chart = (
        alt.Chart(charts.frame(rows, ["score", "participations"]),
                  title=ui.t("engagement.chart.feedback"))
        .mark_bar(color=charts.SERIES_COLOURS[2])
        .encode(
            x=alt.X("score:O", title=ui.t("col.feedback_score"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("participations:Q", title=ui.t("col.participations"),
                    axis=alt.Axis(labelExpr=SPACED)),
            tooltip=[alt.Tooltip("score:O", title=ui.t("col.feedback_score")),
                     alt.Tooltip("participations:Q", title=ui.t("col.participations"))],
        )
    )  # fmt: skip
    charts.show(chart)
    charts.downloads(
        ui.t("engagement.file.feedback"),
        [{"feedback_score": row["score"], "participations": row["participations"]} for row in rows],
        ["feedback_score", "participations"],
        key="dl.feedback",
    )
with right:
    st.markdown(f"**{ui.t('engagement.towns')}**")
    town_columns = ["town", "companies_contacted", "interactions", "needs_identified",
                    "companies_participating", "met_share"]  # fmt: skip
    shown_rows = [
        {**row, "met_share": None if row["met_share"] is None else row["met_share"] * 100}
        for row in data["towns"]
    ]
    ui.table(shown_rows, town_columns, decimals={"met_share": 0}, max_height=520)
    # The file holds the shares as shown, in per cent.
    charts.downloads(ui.t("engagement.file.towns"), shown_rows, town_columns, key="dl.towns")
