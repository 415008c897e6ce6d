"""Parts of the ecosystem page: key figures, the network chart, forms for actors, partnerships
and maturity assessments, the comparison with other towns and the "Invest in" gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from db.enums import ActorType, EcosystemDriver, Maturity, PartnerKind, PartnershipKind, Role
from pages import _charts as charts
from pages import _ui as ui
from services import ecosystem, reference
from services.auth import CurrentUser
from services.ecosystem import ActorInput, PartnershipInput, Party, PartyKind
from services.graph_layout import spring_layout
from services.permissions import Action, can_in_town

GROUP_COLOURS: dict[str, str] = {
    "company": "#8C99A6",
    ActorType.EDUCATION: "#E69F00",
    ActorType.MUNICIPAL: "#0072B2",
    ActorType.STATE: "#009E73",
    ActorType.RESEARCH: "#CC79A7",
    ActorType.ASSOCIATION: "#D55E00",
    ActorType.OTHER: "#56B4E9",
    "project": "#000000",
}
TIE_COLOURS: dict[str, str] = {
    PartnershipKind.EDUCATION_COOPERATION: "#E69F00",
    PartnershipKind.RND: "#CC79A7",
    PartnershipKind.NETWORK_MEMBERSHIP: "#0072B2",
    PartnershipKind.FUNDING: "#009E73",
    PartnershipKind.SERVICE_AGREEMENT: "#D55E00",
    "participation": "#B8C0C8",
}
LABEL_LENGTH = 30
MAX_LABELS = 25  # more names than this on one chart would cover each other
SMALL_NETWORK = 20  # up to this many nodes, companies are named too
COMPARED = ("actors", "local_actors", "partnerships", "cross_border_share", "with_state",
            "companies_engaged", "company_driven_share", "derived_ties")  # fmt: skip
SHARES = ("cross_border_share", "company_driven_share")


def key_figures(figures: Mapping[str, Any], year: int) -> None:
    """The town's measured figures for the year, and its latest maturity assessment."""
    cols = st.columns(5)
    cols[0].metric(
        ui.t("ecosystem.metric.actors"),
        ui.number(figures["actors"]),
        help=ui.t("ecosystem.actors_metric_help", local=figures["local_actors"]),
    )
    cols[1].metric(
        ui.t("ecosystem.metric.partnerships"),
        ui.number(figures["partnerships"]),
        help=ui.t("ecosystem.partnerships_metric_help", year=str(year)),
    )
    cols[2].metric(
        ui.t("ecosystem.metric.cross_border"),
        ui.percent(figures["cross_border_share"]),
        help=ui.t(
            "ecosystem.cross_border_help",
            municipal=figures["cross_municipal"],
            regional=figures["cross_regional"],
            state=figures["with_state"],
        ),
    )
    cols[3].metric(
        ui.t("ecosystem.metric.engaged"),
        ui.number(figures["companies_engaged"]),
        help=ui.t("ecosystem.engaged_help", year=str(year)),
    )
    cols[4].metric(
        ui.t("ecosystem.metric.company_driven"),
        ui.percent(figures["company_driven_share"]),
        help=ui.t(
            "ecosystem.company_driven_help",
            driven=figures["company_driven"],
            total=figures["participations"],
        ),
    )
    if figures["maturity"]:
        st.markdown(
            ui.t(
                "ecosystem.maturity_line",
                maturity=ui.label("maturity", figures["maturity"]),
                driver=ui.label("driver", figures["driver"]),
                year=str(figures["assessed_year"]),
            )
        )
    else:
        st.caption(ui.t("ecosystem.not_assessed"))


# --- The network ------------------------------------------------------------------------------


@st.cache_data(ttl=600, show_spinner=False)
def _network(
    town_id: int, year: int, language: str, role: str, version: int, _user: CurrentUser
) -> dict[str, Any]:
    with ui.transaction() as session:
        found = ecosystem.network(session, _user, town_id=town_id, year=year)
    positions = spring_layout(
        [node["key"] for node in found.nodes],
        [(edge["source"], edge["target"]) for edge in found.edges],
    )
    return {
        "nodes": found.nodes,
        "edges": found.edges,
        "total_nodes": found.total_nodes,
        "total_edges": found.total_edges,
        "positions": positions,
    }


def network_section(
    user: CurrentUser,
    town_id: int,
    year: int,
    figures: Mapping[str, Any] | None,
    version: int,
) -> None:
    data = _network(town_id, year, ui.language(), user.role, version, user)
    if not data["nodes"]:
        st.info(ui.t("ecosystem.no_network", year=str(year)))
        return
    st.caption(
        ui.t(
            "ecosystem.network_help",
            shown=len(data["nodes"]),
            total=data["total_nodes"],
            year=str(year),
        )
    )
    charts.show(network_chart(data["nodes"], data["edges"], data["positions"]))
    if figures is not None:
        st.caption(
            ui.t(
                "ecosystem.derived_ties",
                ties=ui.number(figures["derived_ties"]),
                cross=ui.number(figures["cross_border_ties"]),
                year=str(year),
            )
        )


def _short(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1] + "…"


def network_chart(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    positions: Mapping[str, tuple[float, float]],
) -> alt.LayerChart:
    """Organisations as circles sized by their ties, coloured by type; partnerships as lines
    coloured by kind, participation in a project as light dashed lines. Organisations other
    than companies, and companies with partnerships, are named; the rest on hover."""
    group_names = {group: _group_label(group) for group in GROUP_COLOURS}
    tie_names = {kind: _tie_label(kind) for kind in TIE_COLOURS}
    # Names for the organisations other than companies, the most connected first; in a small
    # network for companies too. The rest show their names on hover.
    small = len(nodes) <= SMALL_NETWORK
    candidates = [n for n in nodes if n["group"] != "company" or small]
    ranked = sorted(candidates, key=lambda n: (n["group"] == "company", -n["degree"]))
    named = {n["key"] for n in ranked[:MAX_LABELS]}
    node_rows = []
    for node in nodes:
        x, y = positions[node["key"]]
        labelled = node["key"] in named
        node_rows.append(
            {
                "x": x,
                "y": y,
                "name": node["label"],
                "label": _short(node["label"]) if labelled else "",
                "group": group_names[node["group"]],
                "town": node["town"] or "",
                "ties": node["degree"],
                "companies": node.get("companies", 0),
                "weight": node["degree"] + node.get("companies", 0),
            }
        )
    edge_rows = []
    for edge in edges:
        (x, y), (x2, y2) = positions[edge["source"]], positions[edge["target"]]
        edge_rows.append(
            {
                "x": x,
                "y": y,
                "x2": x2,
                "y2": y2,
                "tie": tie_names[edge["kind"]],
                "line": "dashed" if edge["kind"] == "participation" else "solid",
            }
        )
    scale = alt.Scale(domain=[-1.12, 1.12], nice=False, zero=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    ties = (
        alt.Chart(pd.DataFrame(edge_rows, columns=["x", "y", "x2", "y2", "tie", "line"]))
        .mark_rule(strokeWidth=1.6, opacity=0.75)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "tie:N",
                title=ui.t("ecosystem.legend_ties"),
                scale=alt.Scale(domain=list(tie_names.values()), range=list(TIE_COLOURS.values())),
                legend=alt.Legend(orient="right", labelLimit=220),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                scale=alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [4, 3]]),
                legend=None,
            ),
        )
    )
    frame = pd.DataFrame(node_rows)
    circles = (
        alt.Chart(frame)
        .mark_circle(opacity=0.95, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size("weight:Q", scale=alt.Scale(range=[50, 900]), legend=None),
            color=alt.Color(
                "group:N",
                title=ui.t("ecosystem.legend_actors"),
                scale=alt.Scale(
                    domain=list(group_names.values()), range=list(GROUP_COLOURS.values())
                ),
                legend=alt.Legend(orient="right", labelLimit=220),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=ui.t("col.name")),
                alt.Tooltip("group:N", title=ui.t("ecosystem.actor_type")),
                alt.Tooltip("town:N", title=ui.t("col.town")),
                alt.Tooltip("ties:Q", title=ui.t("col.ties")),
                alt.Tooltip("companies:Q", title=ui.t("ecosystem.companies_taking_part")),
            ],
        )
    )
    labels = (
        alt.Chart(frame[frame["label"] != ""])
        .mark_text(dy=-11, fontSize=11, color="#1F2933")
        .encode(x=x, y=y, text="label:N")
    )
    return (
        alt.layer(ties, circles, labels)
        .resolve_scale(color="independent")
        .properties(height=620)
        .configure_view(stroke=None)
    )


def _group_label(group: str) -> str:
    if group in ("company", "project"):
        return ui.t(f"ecosystem.node.{group}")
    return ui.label("actor_type", group)


def _tie_label(kind: str) -> str:
    if kind == "participation":
        return ui.t("ecosystem.tie_participation")
    return ui.label("partnership_kind", kind)


# --- Actors -----------------------------------------------------------------------------------


def actors_by_type_chart(figures: Mapping[str, Any]) -> None:
    """How many active actors of each type the town has, based there or serving its region."""
    local, regional = ui.t("ecosystem.based_in_town"), ui.t("ecosystem.serving_region")
    rows = []
    for kind in ActorType:
        total = figures[f"actors_{kind.value}"]
        if not total:
            continue
        based = figures[f"local_{kind.value}"]
        name = ui.label("actor_type", kind)
        rows.append({"type": name, "where": local, "order": 0, "actors": based})
        rows.append({"type": name, "where": regional, "order": 1, "actors": total - based})
    if not rows:
        return
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            y=alt.Y("type:N", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(
                "actors:Q",
                title=ui.t("col.actors"),
                stack="zero",
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            order=alt.Order("order:Q"),
            color=alt.Color(
                "where:N",
                title=None,
                scale=alt.Scale(domain=[local, regional], range=["#0072B2", "#A6CEE3"]),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("type:N", title=ui.t("ecosystem.actor_type")),
                alt.Tooltip("where:N", title=ui.t("col.coverage")),
                alt.Tooltip("actors:Q", title=ui.t("col.actors")),
            ],
        )
        .properties(height=36 * (len(rows) // 2) + 20)
    )
    charts.show(chart)


def actor_editor(user: CurrentUser, actor_id: int) -> None:
    with ui.transaction() as session:
        facts = ecosystem.actor_details(session, user, actor_id)
    if not facts["can_edit"]:
        st.caption(ui.t("ecosystem.actor_read_only", name=ui.plain(facts["name"])))
        return
    with st.expander(ui.t("ecosystem.edit_actor", name=ui.plain(facts["name"])), expanded=True):
        actor_form(user, key=f"edit_actor_{actor_id}", facts=facts)


def actor_form(user: CurrentUser, *, key: str, facts: Mapping[str, Any]) -> None:
    """Create an actor (no id in `facts`) or edit one."""
    with ui.transaction() as session:
        towns = reference.editable_towns(session, user)
        regions = reference.regions(session, language=ui.language())
        categories = reference.need_categories(session, language=ui.language())
    town_names = {option.id: option.label for option in towns}
    region_names = {option.id: option.label for option in regions}
    category_names = {option.id: option.label for option in categories}
    kinds = list(PartnerKind)
    town_ids: list[int | None] = list(town_names)
    if user.role == Role.ADMIN:
        town_ids.insert(0, None)
    chosen_town = facts.get("town_id")
    with st.form(key):
        name = st.text_input(ui.t("col.name"), facts.get("name", ""), max_chars=200)
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            ui.t("col.kind"),
            kinds,
            index=kinds.index(facts.get("kind", PartnerKind.OTHER)),
            format_func=lambda k: (
                f"{ui.label('partner_kind', k)} ({ui.label('actor_type', ecosystem.actor_type(k))})"
            ),
        )
        town_id = c2.selectbox(
            ui.t("ecosystem.based_in"),
            town_ids,
            index=town_ids.index(chosen_town) if chosen_town in town_ids else 0,
            format_func=lambda t: ui.t("ecosystem.no_town") if t is None else town_names[t],
        )
        region_ids: list[int | None] = [None, *region_names]
        region_id = c3.selectbox(
            ui.t("ecosystem.serves_region"),
            region_ids,
            index=region_ids.index(facts.get("region_id"))
            if facts.get("region_id") in region_ids
            else 0,
            format_func=lambda r: ui.t("ecosystem.whole_country") if r is None else region_names[r],
            disabled=user.role != Role.ADMIN,
            help=ui.t("ecosystem.region_help"),
        )
        category_ids = st.multiselect(
            ui.t("ecosystem.serves_categories"),
            list(category_names),
            default=[c for c in facts.get("category_ids", []) if c in category_names],
            format_func=category_names.get,
        )
        active = st.checkbox(ui.t("ecosystem.actor_active"), facts.get("is_active", True))
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    data = ActorInput(
        name=name,
        kind=kind,
        town_id=town_id,
        region_id=None if town_id is not None else region_id,
        category_ids=tuple(category_ids),
        is_active=active,
    )
    if facts.get("id"):
        done = ui.attempt(lambda s: ecosystem.update_actor(s, user, facts["id"], data))
    else:
        done = ui.attempt(lambda s: ecosystem.create_actor(s, user, data))
    if done:
        ui.flash(ui.t("ecosystem.actor_saved", name=name.strip()))
        ui.clear_selection("actors.table")
        st.rerun()


# --- Partnerships -----------------------------------------------------------------------------


def _party_picker(
    user: CurrentUser, *, title: str, key: str, kinds: Sequence[str], default: Party | None
) -> Party | None:
    """Choose what kind of party, then which one."""
    kind = st.radio(
        title,
        kinds,
        index=kinds.index(default.kind) if default and default.kind in kinds else 0,
        format_func=lambda k: ui.label("party_kind", k),
        horizontal=True,
        key=f"{key}.kind",
    )
    preselected = default.id if default and default.kind == kind else None
    with ui.transaction() as session:
        if kind == PartyKind.ACTOR:
            options = reference.partners(session)
        elif kind == PartyKind.PROJECT:
            managed = user.id if user.role == Role.PROJECT_MANAGER else None
            options = reference.projects(session, managed_by=managed)
        else:
            query = st.text_input(
                ui.t("ecosystem.find_company"),
                key=f"{key}.query",
                placeholder=ui.t("log.type_to_find"),
            )
            options = reference.company_choices(session, user, query=query, include_id=preselected)
    names = {option.id: option.label for option in options}
    ids = list(names)
    chosen = st.selectbox(
        ui.t(f"party_kind.{kind}"),
        ids,
        index=ids.index(preselected) if preselected in ids else None,
        format_func=names.get,
        placeholder=ui.t("ecosystem.choose_party"),
        key=ui.widget_key(f"{key}.{kind}"),
        label_visibility="collapsed",
    )
    return None if chosen is None else Party(kind, chosen)


def partnership_form(user: CurrentUser, *, key: str, facts: Mapping[str, Any]) -> None:
    """Record a partnership (no id in `facts`) or edit one."""
    first_kinds = [PartyKind.ACTOR, PartyKind.COMPANY]
    second_kinds = [PartyKind.ACTOR, PartyKind.COMPANY, PartyKind.PROJECT]
    if user.role == Role.PROJECT_MANAGER:
        second_kinds = [PartyKind.PROJECT]
    left, right = st.columns(2)
    with left:
        first = _party_picker(
            user, title=ui.t("ecosystem.first_party"), key=f"{key}.first",
            kinds=first_kinds, default=facts.get("first"),
        )  # fmt: skip
    with right:
        second = _party_picker(
            user, title=ui.t("ecosystem.second_party"), key=f"{key}.second",
            kinds=second_kinds, default=facts.get("second"),
        )  # fmt: skip
    with ui.transaction() as session:
        towns = reference.towns(session)
    town_names = {option.id: option.label for option in towns}
    kinds = list(PartnershipKind)
    today = dt.date.today()
    with st.form(key):
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            ui.t("col.partnership_kind"),
            kinds,
            index=kinds.index(facts.get("kind", PartnershipKind.NETWORK_MEMBERSHIP)),
            format_func=lambda k: ui.label("partnership_kind", k),
        )
        starts_on = c2.date_input(
            ui.t("col.starts_on"), facts.get("starts_on", today), format="DD.MM.YYYY"
        )
        ends_on = c3.date_input(
            ui.t("ecosystem.ends_on_optional"),
            facts.get("ends_on"),
            format="DD.MM.YYYY",
            help=ui.t("ecosystem.ends_on_help"),
        )
        town_ids = st.multiselect(
            ui.t("col.towns"),
            list(town_names),
            default=[t for t in facts.get("town_ids", []) if t in town_names],
            format_func=town_names.get,
            help=ui.t("ecosystem.towns_help"),
        )
        description = st.text_area(
            ui.t("col.description"), facts.get("description") or "", max_chars=4000
        )
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    if first is None or second is None:
        st.error(ui.t("error.partnership.choose_parties"))
        return
    data = PartnershipInput(
        kind=kind,
        first=first,
        second=second,
        starts_on=starts_on,
        ends_on=ends_on,
        town_ids=tuple(town_ids),
        description=description,
    )
    if facts.get("id"):
        done = ui.attempt(lambda s: ecosystem.update_partnership(s, user, facts["id"], data))
    else:
        done = ui.attempt(lambda s: ecosystem.create_partnership(s, user, data))
    if done:
        ui.flash(ui.t("ecosystem.partnership_saved"))
        ui.clear_selection("partnerships.table")
        st.rerun()


def partnership_editor(user: CurrentUser, partnership_id: int) -> None:
    if not ecosystem.records_partnerships(user):
        return
    with ui.transaction() as session:
        facts = ecosystem.partnership_details(session, user, partnership_id)
    title = ui.t(
        "ecosystem.edit_partnership",
        first=ui.plain(facts["first_name"]),
        second=ui.plain(facts["second_name"]),
    )
    with st.expander(title, expanded=True):
        partnership_form(user, key=f"edit_partnership_{partnership_id}", facts=facts)
        confirm = st.checkbox(
            ui.t("ecosystem.confirm_delete"), key=f"delete_partnership_{partnership_id}.ok"
        )
        if st.button(
            ui.t("ecosystem.delete_partnership"),
            key=f"delete_partnership_{partnership_id}",
            disabled=not confirm,
            icon=":material/delete:",
        ) and ui.attempt(lambda s: ecosystem.delete_partnership(s, user, partnership_id)):
            ui.flash(ui.t("ecosystem.partnership_deleted"))
            ui.clear_selection("partnerships.table")
            st.rerun()


# --- Maturity ---------------------------------------------------------------------------------


@st.cache_data(ttl=600, show_spinner=False)
def _history(town_id: int, role: str, version: int, _user: CurrentUser) -> list[dict[str, Any]]:
    with ui.transaction() as session:
        return ecosystem.assessment_history(session, _user, town_id=town_id)


def maturity_section(
    user: CurrentUser, town_id: int, town_name: str, year: int, version: int
) -> None:
    history = [dict(row) for row in _history(town_id, user.role, version, user)]
    st.caption(ui.t("ecosystem.maturity_help"))
    for row in history:
        row["assessed_at"] = ui.local_time(row["assessed_at"])
        for share in SHARES:
            row[share] = ui.percent(row[share])
    if history:
        maturity_chart(history)
    columns = ["year", "maturity", "driver", "rationale", "assessed_by", "assessed_at",
               "actors", "partnerships", "cross_border_share", "companies_engaged",
               "company_driven_share"]  # fmt: skip
    ui.table(
        history,
        columns,
        enums={"maturity": "maturity", "driver": "driver"},
        raw=("year",),
        empty_key="ecosystem.no_assessments",
    )
    if not can_in_town(user, Action.EDIT_ECOSYSTEM, town_id):
        return
    existing = next((row for row in history if row["year"] == year), None)
    title = ui.t("ecosystem.assess", town=town_name, year=str(year))
    with st.form(f"assessment_{town_id}_{year}"):
        st.markdown(f"**{ui.plain(title)}**")
        if existing:
            st.caption(ui.t("ecosystem.assessment_exists"))
        levels, drivers = list(Maturity), list(EcosystemDriver)
        c1, c2 = st.columns(2)
        maturity = c1.radio(
            ui.t("col.maturity"),
            levels,
            index=levels.index(existing["maturity"]) if existing else 0,
            format_func=lambda m: ui.label("maturity", m),
        )
        driver = c2.radio(
            ui.t("col.driver"),
            drivers,
            index=drivers.index(existing["driver"]) if existing else 0,
            format_func=lambda d: ui.label("driver", d),
        )
        rationale = st.text_area(
            ui.t("col.rationale"),
            existing["rationale"] if existing else "",
            max_chars=ecosystem.RATIONALE_MAX,
            help=ui.t("ecosystem.rationale_help"),
        )
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if submitted and ui.attempt(
        lambda s: ecosystem.record_assessment(
            s, user, town_id=town_id, year=year, maturity=maturity, driver=driver,
            rationale=rationale,
        )
    ):  # fmt: skip
        ui.flash(ui.t("ecosystem.assessment_saved", town=town_name, year=str(year)))
        st.rerun()
    if existing is None:
        return
    confirm = st.checkbox(
        ui.t("ecosystem.confirm_delete_assessment", year=str(year)),
        key=f"delete_assessment_{existing['id']}.ok",
    )
    if st.button(
        ui.t("ecosystem.delete_assessment"),
        key=f"delete_assessment_{existing['id']}",
        disabled=not confirm,
        icon=":material/delete:",
    ) and ui.attempt(lambda s: ecosystem.delete_assessment(s, user, existing["id"])):
        ui.flash(ui.t("ecosystem.assessment_deleted", town=town_name, year=str(year)))
        st.rerun()


def maturity_chart(history: Sequence[Mapping[str, Any]]) -> None:
    """The assessed maturity year by year, coloured by who drives the ecosystem."""
    levels = list(Maturity)
    names = ", ".join(f"'{ui.label('maturity', level)}'" for level in levels)
    rows = [
        {
            "year": str(row["year"]),
            "level": levels.index(Maturity(row["maturity"])),
            "maturity": ui.label("maturity", row["maturity"]),
            "driver": ui.label("driver", row["driver"]),
        }
        for row in history
    ]
    base = alt.Chart(pd.DataFrame(rows)).encode(
        x=alt.X("year:O", title=ui.t("col.year"), sort="ascending", axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "level:Q",
            title=None,
            scale=alt.Scale(domain=[-0.3, len(levels) - 0.7]),
            axis=alt.Axis(
                values=list(range(len(levels))),
                labelExpr=f"[{names}][datum.value]",
                grid=True,
                labelLimit=200,
            ),
        ),
    )
    chart = base.mark_line(color="#8C99A6") + base.mark_point(size=160, filled=True).encode(
        color=alt.Color(
            "driver:N",
            title=ui.t("col.driver"),
            scale=alt.Scale(range=charts.SERIES_COLOURS),
            legend=alt.Legend(orient="right"),
        ),
        tooltip=[
            alt.Tooltip("year:O", title=ui.t("col.year")),
            alt.Tooltip("maturity:N", title=ui.t("col.maturity")),
            alt.Tooltip("driver:N", title=ui.t("col.driver")),
        ],
    )
    charts.show(chart.properties(height=200))


# --- Comparison -------------------------------------------------------------------------------


def comparison_section(rows: Sequence[Mapping[str, Any]], town_id: int, year: int) -> None:
    st.caption(ui.t("ecosystem.comparison_help", year=str(year)))
    metric = st.selectbox(
        ui.t("ecosystem.compare_by"),
        COMPARED,
        format_func=lambda c: ui.t(f"col.{c}"),
        key=ui.widget_key("ecosystem.metric"),
    )
    chosen = next((row["town"] for row in rows if row["town_id"] == town_id), None)
    chart_rows = [
        {
            "town": row["town"],
            "value": row[metric] if row[metric] is not None else 0,
            "shown": ui.percent(row[metric]) if metric in SHARES else ui.number(row[metric]),
            "chosen": row["town_id"] == town_id,
        }
        for row in rows
    ]
    value_title = ui.t(f"col.{metric}")
    axis = (
        alt.Axis(format="%") if metric in SHARES else alt.Axis(format="d", labelExpr=charts.SPACED)
    )
    chart = (
        alt.Chart(pd.DataFrame(chart_rows))
        .mark_bar()
        .encode(
            y=alt.Y("town:N", title=None, sort="-x", axis=alt.Axis(labelLimit=200)),
            x=alt.X("value:Q", title=value_title, axis=axis),
            color=alt.condition(alt.datum.chosen, alt.value("#D55E00"), alt.value("#8C99A6")),
            tooltip=[
                alt.Tooltip("town:N", title=ui.t("col.town")),
                alt.Tooltip("shown:N", title=value_title),
            ],
        )
        .properties(height=alt.Step(20))
    )
    charts.show(chart)
    if chosen:
        st.caption(ui.t("ecosystem.chosen_town", town=chosen))
    shown = []
    for row in rows:
        item = dict(row)
        item["assessed_year"] = "" if row["assessed_year"] is None else str(row["assessed_year"])
        for share in SHARES:
            item[share] = ui.percent(row[share])
        shown.append(item)
    columns = ["town", "region", "maturity", "driver", "assessed_year", *COMPARED,
               "cross_regional", "cross_border_ties"]  # fmt: skip
    ui.table(
        shown,
        columns,
        enums={"maturity": "maturity", "driver": "driver"},
        highlight=lambda row: row["town_id"] == town_id,
    )
    ui.list_downloads(
        ui.t("file.ecosystem_comparison", year=str(year)),
        lambda _session: rows,
        columns,
        enums={"maturity": "maturity", "driver": "driver"},
        key="ecosystem.comparison.download",
    )


# --- "Invest in" ------------------------------------------------------------------------------


def gaps_section(user: CurrentUser, town_id: int, today: dt.date, min_needs: int) -> None:
    with ui.transaction() as session:
        rows = ecosystem.invest_in_gaps(
            session, user, town_id=town_id, today=today, min_needs=min_needs,
            language=ui.language(),
        )  # fmt: skip
    st.caption(ui.t("ecosystem.gaps_help", min_needs=min_needs))
    for row in rows:
        row["kinds_elsewhere"] = ", ".join(
            ui.label("partner_kind", kind) for kind in row["kinds_elsewhere"]
        )
    gaps = [row for row in rows if row["is_gap"]]
    if gaps:
        st.warning(
            ui.t("ecosystem.gaps_found", count=len(gaps)),
            icon=":material/travel_explore:",
        )
        for row in gaps:
            st.markdown(
                ui.t(
                    "ecosystem.gap_line",
                    category=ui.plain(row["category"]),
                    needs=row["needs"],
                    kinds=ui.plain(row["kinds_elsewhere"] or ui.t("common.none")),
                )
            )
    elif rows:
        st.success(ui.t("ecosystem.no_gaps"), icon=":material/check_circle:")
    columns = ["category", "needs", "red", "companies", "is_gap", "local_actors",
               "regional_actors", "national_actors", "kinds_elsewhere"]  # fmt: skip
    ui.table(
        rows,
        columns,
        raw=("needs", "red", "companies"),
        highlight=lambda row: row["is_gap"],
        empty_key="ecosystem.no_unserved",
    )
    ui.list_downloads(
        ui.t("file.invest_in"), lambda _session: rows, columns, key="ecosystem.gaps.download"
    )
