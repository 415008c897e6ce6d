"""Log contact: one form for a contact and everything found in it, saved all at once."""

import datetime as dt

import streamlit as st

from db.enums import Channel, Severity, SizeClass
from pages import _ui as ui
from services import reference
from services.companies import CompanyInput
from services.contact_persons import ContactPersonInput, list_contact_persons
from services.contacts import (
    DEFAULT_FOLLOW_UP_DAYS,
    ContactInput,
    FollowUpInput,
    NeedInput,
    ReferralInput,
    log_contact,
)
from services.errors import DomainError
from services.interactions import list_interactions

MAX_NEEDS = 10
NEW_PERSON = -1

user = ui.require_user()
today = dt.date.today()
st.title(ui.t("page.log_contact"))

# Every widget key carries the form's version; a saved contact starts a fresh, empty form.
version = st.session_state.setdefault("log.version", 0)


def key(name: str) -> str:
    return f"log.{version}.{name}"


saved = st.session_state.get("log.saved")
if saved is not None:
    st.success(ui.t("log.saved", company=saved["company"]), icon=":material/check_circle:")
    st.page_link(
        "pages/companies.py",
        label=ui.t("log.open_profile"),
        icon=":material/business:",
        query_params={"company": str(saved["company_id"])},
    )

with ui.transaction() as session:
    categories = reference.need_categories(session, language=ui.language())
    partners = reference.partners(session)
    active_projects = reference.projects(session, active_on=today)
    all_projects = reference.projects(session)
    staff = reference.staff(session)
    own_towns = reference.editable_towns(session, user)

# --- The company: from the register, or a new one ---------------------------------------------
preselected = ui.query_int("company")
new_company = st.toggle(ui.t("log.new_company"), key=key("new_company"))
company_id = None
if not new_company:
    query = st.text_input(
        ui.t("log.find_company"),
        placeholder=ui.t("companies.search_placeholder"),
        key=key("company_query"),
    )
    with ui.transaction() as session:
        choices = reference.company_choices(session, user, query=query, include_id=preselected)
    if preselected is not None and not any(choice.id == preselected for choice in choices):
        st.error(ui.t("error.company.not_found"))
    names = {choice.id: choice.label for choice in choices}
    company_id = st.selectbox(
        ui.t("log.company"),
        list(names),
        format_func=names.get,
        index=0 if names else None,
        placeholder=ui.t("log.type_to_find"),
        key=key(f"company_{query}"),
    )
elif not own_towns:
    st.warning(ui.t("company.no_towns_to_edit"))

people = []
if company_id is not None:
    with ui.transaction() as session:
        people = list_contact_persons(session, user, company_id)

# --- How many needs the form asks for --------------------------------------------------------
need_count = st.session_state.setdefault(key("need_count"), 0)
add_col, remove_col, _ = st.columns([1, 1, 3])
if add_col.button(ui.t("log.add_need"), icon=":material/add:", disabled=need_count >= MAX_NEEDS):
    st.session_state[key("need_count")] = need_count + 1
    st.rerun()
if remove_col.button(ui.t("log.remove_need"), icon=":material/remove:", disabled=need_count == 0):
    st.session_state[key("need_count")] = need_count - 1
    st.rerun()

with st.form(key("form"), enter_to_submit=False):
    if new_company and own_towns:
        st.markdown(f"**{ui.t('log.new_company_details')}**")
        c1, c2, c3 = st.columns(3)
        new_business_id = c1.text_input(ui.t("company.business_id"), max_chars=12)
        new_name = c2.text_input(ui.t("company.name"), max_chars=200)
        town_names = {town.id: town.label for town in own_towns}
        new_town = c3.selectbox(ui.t("company.town"), list(town_names), format_func=town_names.get)
        new_staff = c1.number_input(
            ui.t("company.staff_count"), min_value=0, max_value=1_000_000, value=None, step=1
        )
        new_size = c2.selectbox(
            ui.t("company.size_class"),
            [None, *SizeClass],
            format_func=lambda s: (
                ui.t("company.size_from_staff") if s is None else ui.label("size_class", s)
            ),
        )

    c1, c2, c3 = st.columns(3)
    occurred_on = c1.date_input(ui.t("log.date"), value=today, max_value=today, format="DD.MM.YYYY")
    channel = c2.selectbox(
        ui.t("log.channel"), list(Channel), format_func=lambda c: ui.label("channel", c)
    )
    project_names = {option.id: option.label for option in active_projects}
    project_id = c3.selectbox(
        ui.t("log.project"),
        [None, *project_names],
        format_func=lambda p: ui.t("common.none") if p is None else project_names[p],
    )
    person_names = {person["id"]: person["name"] for person in people}
    person_choice = st.selectbox(
        ui.t("log.contact_person"),
        [None, *person_names, NEW_PERSON],
        format_func=lambda p: (
            ui.t("common.none")
            if p is None
            else ui.t("log.new_person")
            if p == NEW_PERSON
            else person_names[p]
        ),
    )
    p1, p2, p3, p4 = st.columns(4)
    person_first = p1.text_input(ui.t("person.first_name"), help=ui.t("log.new_person_help"))
    person_last = p2.text_input(ui.t("person.last_name"))
    person_title = p3.text_input(ui.t("person.title"))
    person_email = p4.text_input(ui.t("person.email"))
    summary = st.text_area(ui.t("log.summary"), max_chars=4000)

    needs = []
    category_names = {option.id: option.label for option in categories}
    for index in range(need_count):
        st.markdown(f"**{ui.t('log.need_number', number=index + 1)}**")
        n1, n2 = st.columns([2, 1])
        category = n1.selectbox(
            ui.t("log.need_category"),
            list(category_names),
            format_func=category_names.get,
            key=key(f"need_{index}_category"),
        )
        severity = n2.radio(
            ui.t("log.need_severity"),
            list(Severity),
            index=2,
            horizontal=True,
            format_func=lambda s: ui.label("severity", s),
            key=key(f"need_{index}_severity"),
        )
        description = st.text_area(
            ui.t("log.need_description"), key=key(f"need_{index}_description"), max_chars=4000
        )
        needs.append(NeedInput(category_id=category, severity=severity, description=description))

    st.markdown(f"**{ui.t('log.follow_up')}**")
    wants_follow_up = st.checkbox(ui.t("log.add_follow_up"))
    f1, f2, f3 = st.columns([2, 1, 1])
    follow_up_text = f1.text_input(ui.t("log.follow_up_description"))
    due_on = f2.date_input(
        ui.t("log.follow_up_due"),
        value=None,
        format="DD.MM.YYYY",
        help=ui.t("log.follow_up_due_help", days=DEFAULT_FOLLOW_UP_DAYS),
    )
    staff_names = {option.id: option.label for option in staff}
    owner_id = f3.selectbox(
        ui.t("log.follow_up_owner"),
        list(staff_names),
        index=list(staff_names).index(user.id) if user.id in staff_names else 0,
        format_func=staff_names.get,
    )

    st.markdown(f"**{ui.t('log.referral')}**")
    wants_referral = st.checkbox(ui.t("log.add_referral"))
    targets = {f"partner:{p.id}": p.label for p in partners}
    targets.update({f"project:{p.id}": f"{ui.t('log.project')}: {p.label}" for p in all_projects})
    r1, r2 = st.columns([2, 1])
    target = r1.selectbox(
        ui.t("log.referral_target"),
        list(targets),
        format_func=targets.get,
        index=None,
        placeholder=ui.t("log.choose"),
    )
    need_options = [None, *range(need_count)]
    referral_need = r2.selectbox(
        ui.t("log.referral_need"),
        need_options,
        format_func=lambda i: (
            ui.t("common.none") if i is None else ui.t("log.need_number", number=i + 1)
        ),
    )
    referral_note = st.text_input(ui.t("log.referral_note"))
    consent = st.checkbox(ui.t("log.consent"))

    submitted = st.form_submit_button(ui.t("log.save"), type="primary", icon=":material/save:")

if submitted:
    company_input = None
    if new_company:
        if not own_towns:
            st.error(ui.t("error.forbidden_town"))
            st.stop()
        company_input = CompanyInput(
            business_id=new_business_id,
            name=new_name,
            town_id=new_town,
            staff_count=int(new_staff) if new_staff is not None else None,
            size_class=new_size,
        )
    new_person = None
    if person_choice == NEW_PERSON:
        new_person = ContactPersonInput(
            first_name=person_first,
            last_name=person_last,
            title=person_title,
            email=person_email,
        )
    follow_up = None
    if wants_follow_up:
        follow_up = FollowUpInput(description=follow_up_text, due_on=due_on, owner_id=owner_id)
    referral = None
    if wants_referral:
        kind, _, target_id = (target or "").partition(":")
        referral = ReferralInput(
            consent=consent,
            partner_id=int(target_id) if kind == "partner" else None,
            project_id=int(target_id) if kind == "project" else None,
            note=referral_note,
            need_index=referral_need,
        )
    contact = ContactInput(
        occurred_on=occurred_on,
        channel=channel,
        summary=summary,
        company_id=company_id,
        new_company=company_input,
        contact_person_id=person_choice if person_choice not in (None, NEW_PERSON) else None,
        new_contact_person=new_person,
        project_id=project_id,
        needs=tuple(needs),
        follow_up=follow_up,
        referral=referral,
    )
    try:
        with ui.transaction(write=True) as session:
            logged = log_contact(session, user, contact, today=today)
            company_name = reference.company_name(session, logged.company_id)
    except DomainError as error:
        ui.show_error(error)
    else:
        ui.after_write()
        st.session_state["log.saved"] = {"company_id": logged.company_id, "company": company_name}
        st.session_state["log.version"] = version + 1
        st.query_params.clear()
        st.rerun()

st.divider()
st.subheader(ui.t("log.my_recent"))
with ui.transaction() as session:
    recent = list_interactions(session, user, advisor_id=user.id, page_size=10)
ui.table(
    recent.rows,
    ["occurred_on", "company", "town", "channel", "summary", "project"],
    enums={"channel": "channel"},
    empty_key="log.no_recent",
)
