"""Administration: users and roles, the audit trail, data protection, and settings."""

import datetime as dt
import json

import streamlit as st

from db.enums import AuditAction, Role
from pages import _ui as ui
from services import reference
from services.audit import describe, list_events
from services.auth import CurrentUser
from services.errors import DomainError
from services.paging import Page
from services.privacy import (
    erase_person,
    erase_stale_contact_persons,
    export_person,
    find_contact_persons,
    stale_contact_persons,
)
from services.settings import SPECS, current_settings, update_settings
from services.users import (
    UserInput,
    create_user,
    list_users,
    reset_password,
    set_user_active,
    update_user,
    user_details,
)

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.admin"))

with ui.transaction() as session:
    towns = reference.towns(session)
town_names = {option.id: option.label for option in towns}
users_tab, audit_tab, privacy_tab, settings_tab = st.tabs(
    [ui.t("admin.users"), ui.t("admin.audit"), ui.t("admin.privacy"), ui.t("admin.settings")]
)


@st.cache_data(ttl=600, show_spinner=False)
def stale_page(today: dt.date, page: int, version: int, _user: CurrentUser) -> Page:
    """One page of contact persons past retention; the check runs over every person."""
    with ui.transaction() as session:
        return stale_contact_persons(session, _user, today=today, page=page)


def user_form(key: str, details: dict | None = None) -> None:  # type: ignore[type-arg]
    """Create a user, or edit one when `details` are given."""
    details = details or {}
    roles = list(Role)
    with st.form(key):
        c1, c2 = st.columns(2)
        username = c1.text_input(
            ui.t("col.username"), details.get("username", ""), disabled=bool(details)
        )
        full_name = c2.text_input(ui.t("col.full_name"), details.get("full_name", ""))
        email = c1.text_input(ui.t("col.email"), details.get("email", ""))
        role = c2.selectbox(
            ui.t("col.role"),
            roles,
            index=roles.index(details.get("role", Role.ADVISOR)),
            format_func=lambda r: ui.label("role", r),
        )
        home_towns = st.multiselect(
            ui.t("admin.home_towns"),
            list(town_names),
            default=details.get("town_ids", []),
            format_func=town_names.get,
        )
        password = "" if details else st.text_input(
            ui.t("login.password"), type="password", help=ui.t("admin.password_help")
        )  # fmt: skip
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    data = UserInput(
        username=details.get("username", username),
        full_name=full_name,
        email=email,
        role=role,
        town_ids=tuple(home_towns),
        language=details.get("language", "fi"),
    )
    if details:
        saved = ui.attempt(lambda s: update_user(s, user, details["id"], data))
    else:
        saved = ui.attempt(lambda s: create_user(s, user, data, password=password))
    if saved:
        ui.flash(ui.t("admin.user_saved"))
        ui.clear_selection("admin.users")
        st.rerun()


with users_tab:
    c1, c2 = st.columns(2)
    with c1:
        role = ui.select_enum(ui.t("filter.role"), "role", list(Role), key="admin.role")
    with c2:
        town_id = ui.select_option(ui.t("filter.town"), towns, key="admin.town")
    with ui.transaction() as session:
        result = list_users(
            session, user, role=role, town_id=town_id, page=ui.current_page("admin")
        )
    st.caption(ui.t("admin.choose_user"))
    chosen = ui.table(
        result.rows,
        ["full_name", "username", "email", "role", "towns", "is_active", "last_login_at"],
        enums={"role": "role"},
        select_key=ui.selection_key("admin.users"),
    )
    ui.pager("admin", result)
    if chosen is not None:
        with ui.transaction() as session:
            details = user_details(session, user, chosen["id"])
        st.subheader(ui.plain(details["full_name"]))
        user_form(f"edit_user_{details['id']}", details)
        left, right = st.columns(2)
        with left, st.form(f"reset_{details['id']}"):
            new_password = st.text_input(
                ui.t("admin.new_password"), type="password", help=ui.t("admin.password_help")
            )
            if st.form_submit_button(ui.t("admin.reset_password")) and ui.attempt(
                lambda s: reset_password(s, user, details["id"], password=new_password)
            ):
                ui.flash(ui.t("admin.password_reset"))
                st.rerun()
        with right:
            active = details["is_active"]
            label = ui.t("admin.disable") if active else ui.t("admin.enable")
            if st.button(label, icon=":material/block:" if active else ":material/check:") and (
                ui.attempt(lambda s: set_user_active(s, user, details["id"], active=not active))
            ):
                ui.flash(ui.t("admin.disabled" if active else "admin.enabled"))
                st.rerun()
    with st.expander(ui.t("admin.new_user"), icon=":material/person_add:"):
        user_form("new_user")

with audit_tab:
    c1, c2, c3 = st.columns(3)
    entity = c1.selectbox(
        ui.t("admin.audit_entity"),
        [None, "companies", "contact_persons", "interactions", "needs", "follow_ups",
         "referrals", "projects", "participations", "partners", "partnerships",
         "maturity_assessments", "users", "settings"],
        format_func=lambda e: ui.t("filter.any") if e is None else ui.t(f"entity.{e}"),
        key=ui.widget_key("audit.entity"),
    )  # fmt: skip
    action = c2.selectbox(
        ui.t("admin.audit_action"),
        [None, *AuditAction],
        format_func=lambda a: ui.t("filter.any") if a is None else ui.t(f"audit.{a}"),
        key=ui.widget_key("audit.action"),
    )
    since = c3.date_input(
        ui.t("filter.since"), value=today - dt.timedelta(days=30), format="DD.MM.YYYY"
    )
    with ui.transaction() as session:
        events = list_events(
            session, user, entity=entity, action=action, since=since,
            page=ui.current_page("audit"),
        )  # fmt: skip
    rows = [
        {
            **row,
            "when": ui.local_time(row["occurred_at"]),
            "what": ui.t(f"entity.{row['entity']}") + f" #{row['entity_id']}",
            "action_name": ui.t(f"audit.{row['action']}"),
            "details": describe(row["changes"]),
        }
        for row in events.rows
    ]
    ui.table(rows, ["when", "actor", "action_name", "what", "details"])
    ui.pager("audit", events)

with privacy_tab:
    st.markdown(f"**{ui.t('admin.subject_request')}**")
    st.caption(ui.t("admin.subject_request_help"))
    person_query = st.text_input(ui.t("admin.find_person"), key="privacy.query")
    with ui.transaction() as session:
        people = find_contact_persons(session, user, query=person_query)
    if person_query and not people:
        st.info(ui.t("admin.no_person"))
    names = {
        row[
            "id"
        ]: f"{row['first_name']} {row['last_name']} · {row['company']} · {row['email'] or ''}"
        for row in people
    }
    person_id = st.selectbox(
        ui.t("admin.person"), list(names), format_func=names.get, index=None,
        placeholder=ui.t("log.choose"), key=f"privacy.person.{person_query}",
    )  # fmt: skip
    if person_id:
        export_col, erase_col = st.columns(2)
        if export_col.button(ui.t("admin.export_person"), icon=":material/download:"):
            try:
                with ui.transaction(write=True) as session:
                    data = export_person(session, user, int(person_id))
            except DomainError as error:
                ui.show_error(error)
            else:
                st.json(data)
                st.download_button(
                    ui.t("admin.download_json"),
                    json.dumps(data, ensure_ascii=False, indent=2),
                    f"henkilo-{int(person_id)}.json",
                    "application/json",
                    on_click="ignore",
                )
        confirm = erase_col.checkbox(ui.t("admin.confirm_erase"), key=f"erase_{person_id}")
        if erase_col.button(
            ui.t("admin.erase_person"), disabled=not confirm, icon=":material/delete_forever:"
        ) and ui.attempt(lambda s: erase_person(s, user, int(person_id))):
            ui.flash(ui.t("admin.erased"))
            st.rerun()

    st.markdown(f"**{ui.t('admin.retention')}**")
    stale = stale_page(today, ui.current_page("stale"), ui.data_version(), user)
    with ui.transaction() as session:
        years = int(current_settings(session)["retention.years"])
    st.caption(ui.t("admin.retention_help", years=years, count=stale.total))
    ui.table(stale.rows, ["id", "first_name", "last_name", "company", "last_contact"])
    ui.pager("stale", stale)
    if stale.total:
        confirm_all = st.checkbox(ui.t("admin.confirm_erase_all", count=stale.total))
        if st.button(ui.t("admin.erase_all"), disabled=not confirm_all) and ui.attempt(
            lambda s: erase_stale_contact_persons(s, user, today=today)
        ):
            ui.flash(ui.t("admin.erased_all", count=stale.total))
            st.rerun()

with settings_tab:
    st.caption(ui.t("admin.settings_help"))
    with ui.transaction() as session:
        values = current_settings(session)
    with st.form("settings"):
        changed: dict[str, float] = {}
        columns = st.columns(2)
        for index, (setting, spec) in enumerate(SPECS.items()):
            # Shares are shown as percentages; counts as whole numbers.
            is_share = not spec.integer and spec.maximum == 1.0
            factor = 100 if is_share else 1
            number = int if spec.integer else float
            with columns[index % 2]:
                shown = st.number_input(
                    ui.t(f"setting.{setting}") + (" (%)" if is_share else ""),
                    min_value=number(spec.minimum * factor),
                    max_value=number(spec.maximum * factor),
                    value=number(values[setting] * factor),
                    step=number(1 if is_share or spec.integer else 0.1),
                    format="%d" if spec.integer else "%.1f",
                    key=f"setting.{setting}",
                )
            changed[setting] = shown / factor if is_share else shown
        if st.form_submit_button(ui.t("common.save"), type="primary") and ui.attempt(
            lambda session: update_settings(session, user, changed)
        ):
            ui.flash(ui.t("admin.settings_saved"))
            st.rerun()
