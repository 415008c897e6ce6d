"""Leadership: follow-up status, overdue ageing, response times and flagged projects."""

import datetime as dt

import altair as alt
import streamlit as st

from pages import _charts as charts
from pages import _project
from pages import _ui as ui
from services import leadership, reference
from services.auth import CurrentUser
from services.dashboards import follow_up_status_by_owner, follow_up_status_by_town
from services.exports import to_xlsx

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.leadership"))

with ui.transaction() as session:
    regions = reference.regions(session, language=ui.language())
    towns_by_region = reference.towns_by_region(session)
region_names = {option.id: option.label for option in regions}

if "leadership.period" not in st.session_state:
    st.session_state["leadership.period"] = (
        ui.date_param("from", today.replace(year=today.year - 1) + dt.timedelta(days=1)),
        ui.date_param("to", today),
    )

region_key = ui.widget_key("leadership.region")
if region_key not in st.session_state:
    # Drawn anew in each language; the URL carries the choice over.
    region_param = ui.int_params("region", region_names)
    st.session_state[region_key] = region_param[0] if region_param else 0

c1, c2 = st.columns(2)
region_id = c1.selectbox(
    ui.t("filter.region"),
    [0, *region_names],
    format_func=lambda r: region_names[r] if r else ui.t("filter.any"),
    key=region_key,
)
period = c2.date_input(ui.t("filter.period"), format="DD.MM.YYYY", key="leadership.period")
if not isinstance(period, tuple) or len(period) != 2:
    st.info(ui.t("filter.choose_period_end"))
    st.stop()
start, end = period
url = {"from": start.isoformat(), "to": end.isoformat()}
if region_id:
    url["region"] = str(region_id)
st.query_params.from_dict(url)
st.caption(ui.t("leadership.period_note"))


@st.cache_data(ttl=600, show_spinner=False)
def figures(
    start: dt.date,
    end: dt.date,
    region_id: int,
    role: str,
    today: dt.date,
    version: int,
    _user: CurrentUser,
) -> dict:  # type: ignore[type-arg]
    chosen = towns_by_region.get(region_id) if region_id else None
    with ui.transaction() as session:
        return {
            "towns": follow_up_status_by_town(
                session, _user, today=today, region_id=region_id or None, due_since=start
            ),
            "owners": follow_up_status_by_owner(
                session, _user, today=today, due_since=start, region_id=region_id or None
            ),
            "ageing": leadership.overdue_ageing(session, _user, today=today, town_ids=chosen),
            "response": leadership.response_times(
                session, _user, start=start, end=end, town_ids=chosen
            ),
        }


with st.spinner(ui.t("engagement.loading")):
    data = figures(start, end, region_id, user.role.value, today, ui.data_version(), user)
fits = _project.cached_need_fit(user, today)
flagged = [fit for fit in fits if fit.flags]

totals = {key: sum(row[key] for row in data["towns"]) for key in ("open", "overdue", "done")}
responded = [row for row in data["response"] if row["median_days"] is not None]
c = st.columns(4)
c[0].metric(ui.t("col.open"), ui.number(totals["open"]))
c[1].metric(ui.t("col.overdue"), ui.number(totals["overdue"]))
c[2].metric(ui.t("col.done"), ui.number(totals["done"]))
c[3].metric(ui.t("leadership.flagged_projects"), ui.number(len(flagged)))

# --- Flagged projects ----------------------------------------------------------------------
st.subheader(ui.t("leadership.flagged_projects"))
if not flagged:
    st.success(ui.t("leadership.no_flagged"))
for fit in flagged:
    left, right = st.columns([3, 2])
    left.page_link(
        "pages/projects.py",
        label=fit.name,
        icon=":material/flag:",
        query_params={"project": str(fit.project_id)},
    )
    right.caption(
        ui.t("leadership.score_and_flags", score="–" if fit.score is None else fit.score)
        + ", ".join(ui.t(f"flag.{flag.code}") for flag in fit.flags)
    )

# --- Follow-ups ----------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(ui.t("leadership.by_town"))
    ui.table(data["towns"], ["town", "open", "overdue", "done", "cancelled"], max_height=420)
with right:
    st.subheader(ui.t("leadership.by_owner"))
    ui.table(data["owners"], ["owner", "open", "overdue", "done", "cancelled"], max_height=420)

left, right = st.columns([1, 2])
with left:
    rows = [{**row, "bucket_name": ui.t(f"ageing.{row['bucket']}")} for row in data["ageing"]]
    chart = (
        alt.Chart(charts.frame(rows, ["bucket_name", "follow_ups"]),
                  title=ui.t("leadership.chart.ageing"))
        .mark_bar(color=charts.SERIES_COLOURS[5])
        .encode(
            x=alt.X("bucket_name:N", title=ui.t("col.days_overdue"), sort=None,
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("follow_ups:Q", title=ui.t("col.follow_ups")),
            tooltip=[alt.Tooltip("bucket_name:N", title=ui.t("col.days_overdue")),
                     alt.Tooltip("follow_ups:Q", title=ui.t("col.follow_ups"))],
        )
    )  # fmt: skip
    charts.show(chart)
with right:
    if responded:
        shown = [
            {**row, "month_start": f"{row['month']}-01",
             "median_text": ui.number(row["median_days"], 1), "needs_text": ui.number(row["needs"])}
            for row in responded
        ]  # fmt: skip
        chart = (
            alt.Chart(charts.frame(shown, ["town", "month_start", "median_days", "median_text",
                                           "needs_text"]),
                      title=ui.t("leadership.chart.response"))
            .mark_rect()
            .encode(
                x=alt.X("yearmonth(month_start):O", title=ui.t("col.month"),
                        axis=alt.Axis(format="%m/%Y", labelAngle=-45)),
                y=alt.Y("town:N", title=None),
                color=alt.Color("median_days:Q", title=ui.t("col.median_days"),
                                scale=alt.Scale(scheme="viridis", reverse=True)),
                tooltip=[alt.Tooltip("town:N", title=ui.t("col.town")),
                         alt.Tooltip("yearmonth(month_start):T", title=ui.t("col.month"),
                                     format="%m/%Y"),
                         alt.Tooltip("median_text:N", title=ui.t("col.median_days")),
                         alt.Tooltip("needs_text:N", title=ui.t("col.needs"))],
            )
        )  # fmt: skip
        charts.show(chart)
    else:
        st.info(ui.t("leadership.no_responses"))

# --- The report for the steering group -----------------------------------------------------
tables = {
    "towns": (data["towns"], ["town", "open", "overdue", "done", "cancelled"]),
    "owners": (data["owners"], ["owner", "open", "overdue", "done", "cancelled"]),
    "ageing": (
        [{"bucket": ui.t(f"ageing.{r['bucket']}"), "follow_ups": r["follow_ups"]}
         for r in data["ageing"]],
        ["bucket", "follow_ups"],
    ),
    "response": (data["response"], ["town", "month", "needs", "responded", "median_days"]),
    "flagged": (
        [{"name": fit.name, "score": fit.score,
          "flags": ", ".join(ui.t(f"flag.{flag.code}") for flag in fit.flags)} for fit in flagged],
        ["name", "score", "flags"],
    ),
}  # fmt: skip


# Built now, in the page run: the download runs later, outside the user's session, where the
# chosen language is not known.
period_text = f"{ui.t('common.date', date=start)}–{ui.t('common.date', date=end)}"
cover = [
    {"field": ui.t("report.title"), "value": ui.t("page.leadership")},
    {"field": ui.t("report.made"), "value": ui.t("common.date", date=today)},
    {"field": ui.t("filter.period"), "value": period_text},
    {"field": ui.t("filter.region"), "value": region_names.get(region_id, ui.t("filter.any"))},
]
cover_headers = {"field": ui.t("report.field"), "value": ui.t("report.value")}
sheets = [(ui.t("report.cover"), cover, cover_headers)]
for name, (rows, columns) in tables.items():
    headers = {column: ui.t(f"col.{column}") for column in columns}
    sheets.append((ui.t(f"report.sheet.{name}"), rows, headers))


st.download_button(
    ui.t("leadership.report"),
    lambda: to_xlsx(sheets),
    f"{ui.t('leadership.report_file')}-{today.isoformat()}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    type="primary",
    icon=":material/description:",
    on_click="ignore",
)
