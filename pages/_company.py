"""The company profile and the company form, shared by the companies and log-contact pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import streamlit as st

from db.enums import TOL_SECTIONS, LegalBasis, Role, SizeClass, size_class_for_staff
from pages import _ui as ui
from services.audit import company_history, describe
from services.auth import CurrentUser
from services.companies import CompanyInput, create_company, update_company
from services.contact_persons import (
    ContactPersonInput,
    add_contact_person,
    list_contact_persons,
    remove_contact_person,
    update_contact_person,
)
from services.errors import DomainError, NotFound
from services.profile import (
    company_facts,
    open_follow_ups,
    open_needs,
    timeline,
    who_else_in_contact,
)
from services.reference import Option, editable_towns

# The enumeration in the "who" column of each timeline kind that has one there.
TIMELINE_KINDS = {
    "need": "severity",
    "referral": "referral_status",
    "participation": "participation_role",
}


def profile(user: CurrentUser, company_id: int) -> None:
    """A company's whole story: facts, open work, who else is in contact, timeline, people."""
    today = dt.date.today()
    try:
        with ui.transaction() as session:
            facts = company_facts(session, user, company_id)
            needs = open_needs(session, user, company_id, language=ui.language())
            follow_ups = open_follow_ups(session, user, company_id, today=today)
            others = who_else_in_contact(session, user, company_id, today=today)
    except NotFound as error:
        ui.show_error(error)
        back_to_search()
        return

    back_to_search()
    st.title(ui.plain(facts["name"]))
    region = facts["region_en"] if ui.language() == "en" else facts["region_fi"]
    st.caption(
        " · ".join(
            ui.plain(part)
            for part in (
                facts["business_id"],
                f"{facts['town']} ({region})",
                ui.t(f"tol.{facts['industry_section']}") if facts["industry_section"] else "",
                ui.label("size_class", facts["size_class"]),
                ui.t("company.staff", count=facts["staff_count"])
                if facts["staff_count"] is not None
                else "",
                facts["website"] or "",
                "" if facts["is_active"] else ui.t("company.ceased"),
            )
            if part
        )
    )
    st.page_link(
        "pages/log-contact.py",
        label=ui.t("company.log_contact"),
        icon=":material/edit_note:",
        query_params={"company": str(company_id)},
    )
    if not facts["can_edit"]:
        st.info(ui.t("company.read_only"))

    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("company.open_needs"))
        ui.table(
            needs,
            ["identified_on", "category", "severity", "status", "description"],
            enums={"severity": "severity", "status": "need_status"},
            highlight=lambda row: row["severity"] == "red",
            empty_key="company.no_open_needs",
        )
    with right:
        st.subheader(ui.t("company.open_follow_ups"))
        ui.table(
            follow_ups,
            ["due_on", "description", "owner"],
            highlight=lambda row: row["overdue"],
            empty_key="company.no_open_follow_ups",
        )

    st.subheader(ui.t("company.who_else"))
    if others:
        st.warning(ui.t("company.who_else_warning", count=len(others)))
        ui.table(others, ["advisor", "towns", "contacts", "last_contact"])
    else:
        st.caption(ui.t("company.nobody_else"))

    history, people, details, changes = st.tabs(
        [
            ui.t("company.timeline"),
            ui.t("company.contact_persons"),
            ui.t("company.details"),
            ui.t("admin.audit"),
        ]
    )
    with history:
        show_timeline(user, company_id)
    with people:
        contact_persons(user, company_id, can_edit=facts["can_edit"])
    with details:
        if facts["can_edit"]:
            with ui.transaction() as session:
                towns = editable_towns(session, user)
            company_form(user, towns=towns, key=f"edit_company_{company_id}", facts=facts)
        else:
            st.caption(ui.t("company.read_only"))
    with changes:
        change_history(
            user,
            company_id,
            can_see=facts["can_edit"] or user.role in (Role.LEADERSHIP, Role.ADMIN),
        )


def change_history(user: CurrentUser, company_id: int, *, can_see: bool) -> None:
    if not can_see:
        st.caption(ui.t("company.history_restricted"))
        return
    prefix = f"history_{company_id}"
    with ui.transaction() as session:
        events = company_history(session, user, company_id, page=ui.current_page(prefix))
    rows = [
        {
            "when": ui.local_time(row["occurred_at"]),
            "actor": row["actor"],
            "action_name": ui.t(f"audit.{row['action']}"),
            "what": ui.t(f"entity.{row['entity']}") + f" #{row['entity_id']}",
            "details": describe(row["changes"]),
        }
        for row in events.rows
    ]
    ui.table(rows, ["when", "actor", "action_name", "what", "details"])
    ui.pager(prefix, events)


def back_to_search() -> None:
    st.page_link(
        "pages/companies.py",
        label=ui.t("company.back"),
        icon=":material/arrow_back:",
        query_params={"q": st.session_state.get("companies.query", "")},
    )


def show_timeline(user: CurrentUser, company_id: int) -> None:
    prefix = f"timeline_{company_id}"
    with ui.transaction() as session:
        events = timeline(
            session,
            user,
            company_id,
            language=ui.language(),
            page=ui.current_page(prefix),
        )
    rows = []
    for event in events.rows:
        kind = event["kind"]
        detail, who = event["detail"], event["who"]
        # Each kind keeps one enumeration in one column; translate it there.
        if kind == "interaction":
            detail = ui.label("channel", detail)
        elif kind == "follow_up":
            detail = ui.label("follow_up_status", detail)
        else:
            who = ui.label(TIMELINE_KINDS[kind], who)
        rows.append(
            {
                "on": event["on"],
                "event": ui.t(f"timeline.{kind}"),
                "detail": detail,
                "text": event["text"],
                "who": who,
            }
        )
    ui.table(rows, ["on", "event", "detail", "text", "who"], empty_key="company.no_history")
    ui.pager(prefix, events)


def contact_persons(user: CurrentUser, company_id: int, *, can_edit: bool) -> None:
    with ui.transaction() as session:
        people = list_contact_persons(session, user, company_id)
    base = f"people_{company_id}"
    chosen = ui.table(
        people,
        ["name", "title", "email", "phone", "legal_basis", "marketing_opt_out"],
        enums={"legal_basis": "legal_basis"},
        empty_key="company.no_contact_persons",
        select_key=ui.selection_key(base) if can_edit else None,
    )
    if not can_edit:
        return
    if chosen is not None:
        st.markdown(f"**{ui.t('person.edit', name=ui.plain(chosen['name']))}**")
        person_form(user, company_id, key=f"{base}_edit_{chosen['id']}", person=chosen)
        confirm = st.checkbox(ui.t("person.confirm_remove"), key=f"{base}_confirm_{chosen['id']}")
        removed = st.button(
            ui.t("person.remove"), disabled=not confirm, key=f"{base}_rm_{chosen['id']}"
        )
        if removed and ui.attempt(lambda s: remove_contact_person(s, user, chosen["id"])):
            ui.flash(ui.t("person.removed"))
            ui.clear_selection(base)
            st.rerun()
    with st.expander(ui.t("person.add"), icon=":material/person_add:"):
        person_form(user, company_id, key=f"{base}_new")


def person_form(
    user: CurrentUser, company_id: int, *, key: str, person: dict[str, Any] | None = None
) -> None:
    person = person or {}
    with st.form(key):
        c1, c2 = st.columns(2)
        first = c1.text_input(ui.t("person.first_name"), person.get("first_name", ""))
        last = c2.text_input(ui.t("person.last_name"), person.get("last_name", ""))
        title = c1.text_input(ui.t("person.title"), person.get("title") or "")
        email = c2.text_input(ui.t("person.email"), person.get("email") or "")
        phone = c1.text_input(ui.t("person.phone"), person.get("phone") or "")
        bases = list(LegalBasis)
        basis = c2.selectbox(
            ui.t("person.legal_basis"),
            bases,
            index=bases.index(person.get("legal_basis", LegalBasis.LEGITIMATE_INTEREST)),
            format_func=lambda value: ui.label("legal_basis", value),
        )
        opt_out = st.checkbox(
            ui.t("person.marketing_opt_out"), value=person.get("marketing_opt_out", False)
        )
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    data = ContactPersonInput(
        first_name=first,
        last_name=last,
        title=title,
        email=email,
        phone=phone,
        legal_basis=basis,
        marketing_opt_out=opt_out,
    )
    if person.get("id"):
        saved = ui.attempt(lambda s: update_contact_person(s, user, person["id"], data))
    else:
        saved = ui.attempt(lambda s: add_contact_person(s, user, company_id, data))
    if saved:
        ui.flash(ui.t("person.saved"))
        st.rerun()


def _stored_size(facts: dict[str, Any]) -> str | None:
    """The size class to preselect: "from the staff count" when it follows from the count,
    so a new count moves the class with it."""
    size, staff = facts.get("size_class"), facts.get("staff_count")
    if size is None or (staff is not None and size_class_for_staff(staff) == size):
        return None
    return size


def company_form(
    user: CurrentUser,
    *,
    towns: Sequence[Option],
    key: str,
    facts: dict[str, Any] | None = None,
    business_id: str = "",
) -> None:
    """Create a company, or edit one when `facts` are given; opens the profile when saved."""
    facts = facts or {}
    if not towns:
        st.info(ui.t("company.no_towns_to_edit"))
        return
    town_ids = [town.id for town in towns]
    town_names = {town.id: town.label for town in towns}
    sections = [None, *TOL_SECTIONS]
    sizes = [None, *SizeClass]
    with st.form(key):
        c1, c2 = st.columns(2)
        new_business_id = c1.text_input(
            ui.t("company.business_id"), facts.get("business_id", business_id), max_chars=12
        )
        name = c2.text_input(ui.t("company.name"), facts.get("name", ""), max_chars=200)
        town_id = c1.selectbox(
            ui.t("company.town"),
            town_ids,
            index=town_ids.index(facts["town_id"]) if facts.get("town_id") in town_ids else 0,
            format_func=town_names.get,
        )
        website = c2.text_input(ui.t("company.website"), facts.get("website") or "")
        section = c1.selectbox(
            ui.t("company.industry_section"),
            sections,
            index=sections.index(facts.get("industry_section")),
            format_func=lambda s: ui.t("common.unknown") if s is None else ui.t(f"tol.{s}"),
        )
        code = c2.text_input(
            ui.t("company.industry_code"), facts.get("industry_code") or "", max_chars=5
        )
        staff = c1.number_input(
            ui.t("company.staff_count"),
            min_value=0,
            max_value=1_000_000,
            value=facts.get("staff_count"),
            step=1,
        )
        size = c2.selectbox(
            ui.t("company.size_class"),
            sizes,
            index=sizes.index(_stored_size(facts)),
            format_func=lambda s: (
                ui.t("company.size_from_staff") if s is None else ui.label("size_class", s)
            ),
        )
        active = st.checkbox(ui.t("company.active"), value=facts.get("is_active", True))
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    data = CompanyInput(
        business_id=new_business_id,
        name=name,
        town_id=town_id,
        industry_code=code,
        industry_section=section,
        staff_count=int(staff) if staff is not None else None,
        size_class=size,
        website=website,
        is_active=active,
    )
    try:
        with ui.transaction(write=True) as session:
            if facts.get("id"):
                company = update_company(session, user, facts["id"], data)
            else:
                company = create_company(session, user, data)
            company_id = company.id
    except DomainError as error:
        ui.show_error(error)
        return
    ui.after_write()
    ui.flash(ui.t("company.saved"))
    ui.open_company(company_id)
