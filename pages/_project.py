"""The project page: facts, need-fit metrics and flags with drill-downs, participation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from db.enums import ActivityType, NeedMet, ParticipationRole, ProjectKind, Role
from pages import _ui as ui
from services import reference
from services.auth import CurrentUser
from services.errors import DomainError, NotFound
from services.need_fit import (
    ProjectFit,
    category_profile,
    demand_companies,
    demand_needs,
    need_fit,
    overdue_follow_ups,
    participations,
    project_fit,
    unserved_needs,
)
from services.participations import (
    ActivityInput,
    add_feedback,
    record_attendance,
    record_participation,
)
from services.profile import open_needs
from services.projects import ProjectInput, create_project, project_details, update_project
from services.settings import current_settings

# Colour-blind safe (Okabe-Ito): targeted needs blue, the rest orange.
TARGETED_COLOURS = ("#0072B2", "#E69F00")


@st.cache_data(ttl=600, show_spinner=False)
def _need_fit(today: dt.date, role: str, version: int, _user: CurrentUser) -> list[ProjectFit]:
    # The figures are the same for every role that may see projects; the role is in the key
    # only so that a rule that one day differs by role cannot leak through the cache.
    with ui.transaction() as session:
        return need_fit(session, _user, today=today)


def cached_need_fit(user: CurrentUser, today: dt.date) -> list[ProjectFit]:
    """Every project's need-fit, computed once and kept until data or settings change."""
    return _need_fit(today, user.role.value, ui.data_version(), user)


def detail(user: CurrentUser, project_id: int) -> None:
    today = dt.date.today()
    try:
        with ui.transaction() as session:
            facts = project_details(session, user, project_id)
            settings = current_settings(session)
    except NotFound as error:
        ui.show_error(error)
        back()
        return
    fit = next(
        (f for f in cached_need_fit(user, today) if f.project_id == project_id), None
    ) or _fresh_fit(user, project_id, today)

    back()
    st.title(ui.plain(facts["name"]))
    st.caption(
        " · ".join(
            part
            for part in (
                ui.label("project_kind", facts["kind"]),
                f"{ui.t('common.date', date=facts['starts_on'])}–"
                f"{ui.t('common.date', date=facts['ends_on'])}",
                ui.t("project.manager_is", name=facts["manager"]) if facts["manager"] else "",
                ui.t("project.target_is", count=facts["target_companies"])
                if facts["target_companies"]
                else "",
            )
            if part
        )
    )
    st.caption(ui.t("project.towns_are", towns=", ".join(facts["towns"])))
    if facts["description"]:
        st.text(facts["description"])

    metrics(fit)
    show_flags(user, fit, settings, today)
    category_chart(user, project_id)

    people, add, unserved, edit = st.tabs(
        [
            ui.t("project.participants"),
            ui.t("project.add_participation"),
            ui.t("project.unserved"),
            ui.t("project.edit"),
        ]
    )
    with people:
        participants(user, project_id, can_edit=facts["can_edit"])
    with add:
        if facts["can_edit"]:
            participation_forms(user, facts)
        else:
            st.info(ui.t("project.read_only"))
    with unserved:
        with ui.transaction() as session:
            rows = unserved_needs(
                session, user, today=today, language=ui.language(), town_ids=facts["town_ids"]
            )
        ui.table(
            rows,
            ["town", "category", "needs", "companies"],
            raw=("needs", "companies"),
            empty_key="projects.no_unserved",
        )
    with edit:
        if facts["can_edit"]:
            project_form(user, key=f"edit_project_{project_id}", facts=facts)
        else:
            st.info(ui.t("project.read_only"))


def _fresh_fit(user: CurrentUser, project_id: int, today: dt.date) -> ProjectFit:
    with ui.transaction() as session:
        return project_fit(session, user, project_id, today=today)


def back() -> None:
    # A button, not a link: the list must open without this project's ?project= in the URL.
    if st.button(ui.t("project.back"), icon=":material/arrow_back:", type="tertiary"):
        st.query_params.clear()
        st.rerun()


def metrics(fit: ProjectFit) -> None:
    """The figures of the need-fit analysis, each with the numbers behind its ratio."""
    c = st.columns(6)
    c[0].metric(
        ui.t("fit.score"),
        "–" if fit.score is None else ui.number(fit.score),
        help=ui.t("fit.score_help"),
    )
    c[1].metric(
        ui.t("fit.reach"),
        ui.percent(fit.reach),
        help=ui.t("fit.reach_help", part=fit.reached_companies, whole=fit.demand_companies),
    )
    c[2].metric(
        ui.t("fit.resolution"),
        ui.percent(fit.resolution),
        help=ui.t("fit.resolution_help", part=fit.met_by_project, whole=fit.demand_needs),
    )
    c[3].metric(
        ui.t("fit.satisfaction"),
        "–" if fit.mean_feedback is None else ui.number(fit.mean_feedback, 1),
        help=ui.t(
            "fit.satisfaction_help",
            count=fit.feedback_count,
            not_met=fit.need_not_met,
            answers=fit.need_met_answers,
        ),
    )
    c[4].metric(
        ui.t("fit.company_driven"),
        ui.percent(fit.company_driven_share),
        help=ui.t("fit.company_driven_help", part=fit.co_developer, whole=fit.participations),
    )
    c[5].metric(
        ui.t("fit.alignment"),
        ui.percent(fit.alignment),
        help=ui.t("fit.alignment_help", part=fit.demand_needs, whole=fit.town_needs),
    )
    st.caption(
        ui.t(
            "fit.numbers",
            demand=fit.demand_needs,
            companies=fit.demand_companies,
            reached=fit.reached_companies,
            met=fit.met_by_project,
            participations=fit.participations,
            participants=fit.participating_companies,
            not_met=ui.percent(fit.not_met_share),
        )
    )


def show_flags(
    user: CurrentUser, fit: ProjectFit, settings: dict[str, float], today: dt.date
) -> None:
    st.subheader(ui.t("fit.flags"))
    if not fit.flags:
        st.success(ui.t("fit.no_flags"), icon=":material/check_circle:")
        return
    numbers = {
        "low_reach": {"part": fit.reached_companies, "whole": fit.demand_companies},
        "low_resolution": {"part": fit.met_by_project, "whole": fit.demand_needs},
        "low_satisfaction": {
            "mean": "–" if fit.mean_feedback is None else ui.number(fit.mean_feedback, 1),
            "count": fit.feedback_count,
            "not_met": ui.percent(fit.not_met_share),
        },
        "misaligned": {"part": fit.demand_needs, "whole": fit.town_needs},
        "low_company_driven": {"part": fit.co_developer, "whole": fit.participations},
        "overdue_follow_ups": {"part": fit.overdue_follow_ups, "whole": fit.open_follow_ups},
    }
    for flag in fit.flags:
        shown = ui.percent if flag.is_share else (lambda value: ui.number(value, 1))
        st.error(
            f"**{ui.t(f'flag.{flag.code}')}** · "
            + ui.t(
                f"flag.{flag.code}.rule" + ("" if flag.is_share else "_mean"),
                value=shown(flag.value),
                threshold=shown(flag.threshold),
                minimum=flag.minimum_cases,
                **numbers[flag.code],
            ),
            icon=":material/flag:",
        )
        with st.expander(ui.t("fit.drill_down"), icon=":material/search:"):
            drill_down(user, fit, flag.code, settings, today)


def drill_down(
    user: CurrentUser, fit: ProjectFit, code: str, settings: dict[str, float], today: dt.date
) -> None:
    """The companies and needs behind a flag."""
    prefix = f"drill_{fit.project_id}_{code}"
    page = ui.current_page(prefix)
    project_id = fit.project_id
    with ui.transaction() as session:
        if code == "low_reach":
            result = demand_companies(session, user, project_id, took_part=False, page=page)
            columns = ["company", "business_id", "town", "took_part"]
        elif code in ("low_resolution", "misaligned"):
            result = demand_needs(
                session,
                user,
                project_id,
                language=ui.language(),
                targeted=code == "low_resolution",
                unresolved_only=code == "low_resolution",
                page=page,
            )
            columns = ["identified_on", "company", "category", "severity", "status", "description"]
        elif code in ("low_satisfaction", "low_company_driven"):
            result = participations(
                session,
                user,
                project_id,
                dissatisfied_only=code == "low_satisfaction",
                min_feedback=settings["low_satisfaction.min_feedback"],
                page=page,
            )
            columns = ["occurred_on", "company", "town", "activity_name", "role",
                       "feedback_score", "need_met"]  # fmt: skip
        else:
            result = overdue_follow_ups(session, user, project_id, today=today, page=page)
            columns = ["due_on", "company", "description", "owner"]
    if code == "misaligned" and fit.untargeted:
        with ui.transaction() as session:
            names = {option.id: option.label for option in reference.need_categories(
                session, language=ui.language())}  # fmt: skip
        st.markdown(
            ui.t(
                "fit.top_untargeted",
                categories=", ".join(
                    f"{names.get(category_id, '?')} ({ui.number(count)})"
                    for category_id, count in fit.untargeted
                ),
            )
        )
    ui.table(
        result.rows,
        columns,
        enums={
            "severity": "severity",
            "status": "need_status",
            "role": "participation_role",
            "need_met": "need_met",
        },
    )
    ui.pager(prefix, result)


def category_chart(user: CurrentUser, project_id: int) -> None:
    """Needs per category in the project's towns during its period, against its targets."""
    with ui.transaction() as session:
        rows = category_profile(session, user, project_id, language=ui.language())
    if not any(row["needs"] for row in rows):
        st.info(ui.t("project.no_needs_in_towns"))
        return
    targeted, other = ui.t("project.targeted"), ui.t("project.not_targeted")
    frame = pd.DataFrame(
        {
            "category": [row["category"] for row in rows],
            "needs": [row["needs"] for row in rows],
            "targeted": [targeted if row["targeted"] else other for row in rows],
        }
    )
    chart = (
        alt.Chart(frame, title=ui.t("project.chart_title"))
        .mark_bar()
        .encode(
            x=alt.X("needs:Q", title=ui.t("project.chart_needs")),
            y=alt.Y("category:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "targeted:N",
                title=None,
                scale=alt.Scale(domain=[targeted, other], range=list(TARGETED_COLOURS)),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("category:N", title=ui.t("col.category")),
                alt.Tooltip("needs:Q", title=ui.t("project.chart_needs"), format=",d"),
                alt.Tooltip("targeted:N", title=ui.t("project.chart_target")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")


def participants(user: CurrentUser, project_id: int, *, can_edit: bool) -> None:
    prefix = f"participants_{project_id}"
    with ui.transaction() as session:
        result = participations(session, user, project_id, page=ui.current_page(prefix))
    if can_edit:
        st.caption(ui.t("project.feedback_hint"))
    chosen = ui.table(
        result.rows,
        ["occurred_on", "company", "town", "activity_type", "activity_name", "role",
         "feedback_score", "need_met"],
        enums={"activity_type": "activity_type", "role": "participation_role",
               "need_met": "need_met"},
        select_key=ui.selection_key(prefix) if can_edit else None,
        empty_key="project.no_participants",
    )  # fmt: skip
    ui.pager(prefix, result)
    if chosen is None:
        return
    with st.form(f"feedback_{chosen['id']}"):
        st.markdown(f"**{ui.t('project.feedback_for', company=ui.plain(chosen['company']))}**")
        scores = [None, 1, 2, 3, 4, 5]
        score = st.radio(
            ui.t("col.feedback_score"),
            scores,
            index=scores.index(chosen["feedback_score"]),
            horizontal=True,
            format_func=lambda s: ui.t("common.none") if s is None else str(s),
        )
        answers = [None, *NeedMet]
        need_met = st.radio(
            ui.t("col.need_met"),
            answers,
            index=answers.index(chosen["need_met"]),
            horizontal=True,
            format_func=lambda a: ui.t("common.none") if a is None else ui.label("need_met", a),
        )
        if st.form_submit_button(ui.t("common.save"), type="primary") and ui.attempt(
            lambda s: add_feedback(
                s,
                user,
                chosen["id"],
                feedback_score=score,
                need_met=need_met,
                today=dt.date.today(),
            )
        ):
            ui.flash(ui.t("project.feedback_saved"))
            ui.clear_selection(prefix)
            st.rerun()


def _activity_fields(facts: dict[str, Any], key: str) -> ActivityInput:
    c1, c2, c3, c4 = st.columns(4)
    activity_type = c1.selectbox(
        ui.t("col.activity_type"),
        list(ActivityType),
        format_func=lambda a: ui.label("activity_type", a),
        key=f"{key}_type",
    )
    name = c2.text_input(ui.t("col.activity_name"), key=f"{key}_name", max_chars=200)
    today = dt.date.today()
    occurred_on = c3.date_input(
        ui.t("col.occurred_on"),
        value=min(max(today, facts["starts_on"]), facts["ends_on"]),
        min_value=facts["starts_on"],
        max_value=facts["ends_on"],
        format="DD.MM.YYYY",
        key=f"{key}_date",
    )
    role = c4.selectbox(
        ui.t("col.role"),
        list(ParticipationRole),
        format_func=lambda r: ui.label("participation_role", r),
        key=f"{key}_role",
    )
    return ActivityInput(
        project_id=facts["id"],
        activity_type=activity_type,
        activity_name=name,
        occurred_on=occurred_on,
        role=role,
    )


def participation_forms(user: CurrentUser, facts: dict[str, Any]) -> None:
    """A whole event's attendance at once, or one company's participation about one need."""
    project_id = facts["id"]
    event, single = st.tabs([ui.t("project.event_attendance"), ui.t("project.one_company")])
    with event:
        attendance_form(user, facts)
    with single:
        query = st.text_input(ui.t("log.find_company"), key=f"single_query_{project_id}")
        with ui.transaction() as session:
            choices = reference.company_choices(session, user, query=query)
        names = {choice.id: choice.label for choice in choices}
        company_id = st.selectbox(
            ui.t("log.company"),
            list(names),
            format_func=names.get,
            index=None,
            placeholder=ui.t("log.type_to_find"),
            key=f"single_company_{project_id}_{query}",
        )
        if company_id is None:
            return
        with ui.transaction() as session:
            needs = open_needs(session, user, company_id, language=ui.language())
        need_names = {
            need["id"]: f"{need['category']}: {need['description'][:80]}" for need in needs
        }
        with st.form(f"single_{project_id}"):
            activity = _activity_fields(facts, f"single_{project_id}")
            need_id = st.selectbox(
                ui.t("project.addressed_need"),
                [None, *need_names],
                format_func=lambda n: ui.t("common.none") if n is None else need_names[n],
            )
            submitted = st.form_submit_button(ui.t("common.save"), type="primary")
        if submitted and ui.attempt(
            lambda s: record_participation(
                s, user, activity, company_id=company_id, need_id=need_id
            )
        ):
            ui.flash(ui.t("project.participation_saved"))
            st.rerun()


def attendance_form(user: CurrentUser, facts: dict[str, Any]) -> None:
    project_id = facts["id"]
    query = st.text_input(ui.t("log.find_company"), key=f"attend_query_{project_id}")
    with ui.transaction() as session:
        choices = reference.company_choices(session, user, query=query)
    with st.form(f"attendance_{project_id}"):
        activity = _activity_fields(facts, f"attendance_{project_id}")
        names = {choice.id: choice.label for choice in choices}
        chosen = st.multiselect(
            ui.t("project.companies"),
            list(names),
            format_func=names.get,
            placeholder=ui.t("log.type_to_find"),
        )
        pasted = st.text_area(ui.t("project.paste_business_ids"), height=120)
        submitted = st.form_submit_button(ui.t("project.save_attendance"), type="primary")
    if not submitted:
        return
    try:
        with ui.transaction(write=True) as session:
            result = record_attendance(
                session, user, activity, company_ids=chosen, business_ids_text=pasted
            )
    except DomainError as error:
        ui.show_error(error)
        return
    ui.after_write()
    st.success(ui.t("project.attendance_saved", count=result.saved))
    if result.already_recorded:
        st.info(ui.t("project.attendance_already", count=result.already_recorded))
    if result.unknown_business_ids:
        st.warning(ui.t("project.unknown_business_ids", ids=", ".join(result.unknown_business_ids)))
    if result.invalid_lines:
        st.warning(ui.t("project.invalid_business_ids", ids=", ".join(result.invalid_lines)))


def project_form(user: CurrentUser, *, key: str, facts: dict[str, Any] | None = None) -> None:
    """Create a project (admin) or edit one (admin, or its own manager)."""
    facts = facts or {}
    with ui.transaction() as session:
        towns = reference.towns(session)
        categories = reference.need_categories(session, language=ui.language())
        managers = reference.managers(session)
    town_names = {option.id: option.label for option in towns}
    category_names = {option.id: option.label for option in categories}
    manager_names = {option.id: option.label for option in managers}
    kinds = list(ProjectKind)
    today = dt.date.today()
    with st.form(key):
        name = st.text_input(ui.t("col.name"), facts.get("name", ""), max_chars=200)
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            ui.t("col.kind"),
            kinds,
            index=kinds.index(facts.get("kind", ProjectKind.REGIONAL_NETWORK)),
            format_func=lambda k: ui.label("project_kind", k),
        )
        starts_on = c2.date_input(
            ui.t("col.starts_on"), facts.get("starts_on", today), format="DD.MM.YYYY"
        )
        ends_on = c3.date_input(
            ui.t("col.ends_on"),
            facts.get("ends_on", today.replace(year=today.year + 2)),
            format="DD.MM.YYYY",
        )
        manager_ids = [None, *manager_names]
        manager_id = c1.selectbox(
            ui.t("col.manager"),
            manager_ids,
            index=manager_ids.index(facts.get("manager_id"))
            if facts.get("manager_id") in manager_ids
            else 0,
            format_func=lambda m: ui.t("common.none") if m is None else manager_names[m],
            disabled=user.role != Role.ADMIN,
        )
        target = c2.number_input(
            ui.t("col.target_companies"),
            min_value=0,
            max_value=1_000_000,
            value=facts.get("target_companies"),
            step=1,
        )
        town_ids = st.multiselect(
            ui.t("col.towns"),
            list(town_names),
            default=facts.get("town_ids", []),
            format_func=town_names.get,
        )
        category_ids = st.multiselect(
            ui.t("project.target_categories"),
            list(category_names),
            default=facts.get("category_ids", []),
            format_func=category_names.get,
        )
        description = st.text_area(ui.t("col.description"), facts.get("description") or "")
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    data = ProjectInput(
        name=name,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        town_ids=tuple(town_ids),
        category_ids=tuple(category_ids),
        manager_id=manager_id,
        target_companies=int(target) if target is not None else None,
        description=description,
    )
    try:
        with ui.transaction(write=True) as session:
            if facts.get("id"):
                project_id = update_project(session, user, facts["id"], data).id
            else:
                project_id = create_project(session, user, data).id
    except DomainError as error:
        ui.show_error(error)
        return
    ui.after_write()
    ui.flash(ui.t("project.saved"))
    st.switch_page("pages/projects.py", query_params={"project": str(project_id)})
