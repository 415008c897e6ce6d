"""The advisor workflow's pages (issue 3) with AppTest, on a copy of the demo database.

The tests here save contacts, companies, statuses and referrals, so they work on their own copy
of the demo database and leave the one other modules share untouched. Every save is checked in
the database; every refusal shows its Finnish message and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from db.engine import SQLITE_BEGIN_OPTION, make_engine
from db.enums import FollowUpStatus, NeedStatus, Role, Severity
from db.models import (
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    NeedCategory,
    Partner,
    Project,
    Referral,
    Town,
)
from pages._ui import HIGHLIGHT_CSS, plain
from services.auth import current_user
from services.follow_ups import list_follow_ups
from services.i18n import format_date, translate
from services.needs import list_needs, suggestions_for_need
from services.profile import timeline as profile_timeline
from services.validation import business_id_check_digit
from tests.apptest_fixtures import fresh_app
from tests.test_pages import page_file, titles

HTML_SUMMARY = "<script>alert(1)</script><b>x</b>"
WRITTEN = (Company, ContactPerson, Interaction, Need, FollowUp, Referral)


def fi(key: str, **params: object) -> str:
    return translate(key, "fi", **params)


# --- A database of this module's own ----------------------------------------------------------


@pytest.fixture(scope="module")
def workflow_database_url(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo database, made with SQLite's backup API (safe with WAL)."""
    source = make_url(demo_database_url).database
    target = tmp_path_factory.mktemp("advisor-pages") / "seutu.db"
    with closing(sqlite3.connect(str(source))) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def db(workflow_database_url: str) -> Iterator[Engine]:
    """The test's own view of the database the app writes to.

    Its transactions begin deferred, so a check in the test never holds the write lock.
    """
    engine = make_engine(workflow_database_url)
    yield engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
    engine.dispose()


@pytest.fixture
def app(workflow_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """A fresh app session on this module's copy of the demo database."""
    yield from fresh_app(workflow_database_url, monkeypatch)


@pytest.fixture
def advisor(demo_accounts: dict[str, dict[str, object]]) -> dict[str, object]:
    return demo_accounts[Role.ADVISOR]


def row_counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in WRITTEN
        }


def home_town_company(db: Engine, town: str = "Forssa", offset: int = 0) -> tuple[int, str]:
    """A company in one of the demo advisor's home towns (Forssa, Salo): id and name."""
    with Session(db) as session:
        row = session.execute(
            select(Company.id, Company.name)
            .join(Town, Town.id == Company.town_id)
            .where(Town.name == town)
            .order_by(Company.id)
            .offset(offset)
            .limit(1)
        ).one()
    return row.id, row.name


def category_id(db: Engine, code: str) -> int:
    with Session(db) as session:
        return session.scalars(select(NeedCategory.id).where(NeedCategory.code == code)).one()


def open_page(at: AppTest, account: dict[str, object], key: str, **query: str) -> AppTest:
    """Open a page as the signed-in user, with query parameters in its URL."""
    at.session_state["user_id"] = account["id"]
    at.run()
    for name, value in query.items():
        at.query_params[name] = value
    return at.switch_page(page_file(key)).run()


def one(elements: Sequence[Any], label: str) -> Any:
    found = [element for element in elements if element.label == label]
    assert len(found) == 1, f"{len(found)} elements labelled {label!r}"
    return found[0]


def texts(elements: Sequence[Any]) -> list[str]:
    return [element.value for element in elements]


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def links(at: AppTest) -> dict[str, str]:
    """Each page link's label and the query string it opens."""
    return {link.proto.label: link.proto.query_string for link in at.page_link}


def highlighted_rows(frame: Any) -> set[int]:
    """The row numbers a table's styler paints with the highlight colour."""
    styles = frame.proto.arrow_data.styler.styles
    colour = HIGHLIGHT_CSS.split(";")[0]
    marked: set[int] = set()
    for rule in re.findall(r"([^{}]+)\{([^{}]*)\}", styles):
        if colour in rule[1]:
            marked |= {int(n) for n in re.findall(r"_row(\d+)_col", rule[0])}
    return marked


# --- Log contact --------------------------------------------------------------------------------


class LogForm:
    """The log-contact form's widgets by their Finnish labels."""

    def __init__(self, at: AppTest) -> None:
        self.at = at

    def add_need(self, category_id: int, severity: str, description: str) -> None:
        one(self.at.button, fi("log.add_need")).click()
        self.at.run()
        index = len(self.at.radio) - 1
        version = self.at.session_state["log.version"]
        self.at.selectbox(key=f"log.{version}.need_{index}_category").set_value(category_id)
        self.at.radio(key=f"log.{version}.need_{index}_severity").set_value(severity)
        self.at.text_area(key=f"log.{version}.need_{index}_description").input(description)

    def summary(self, text: str) -> None:
        one(self.at.text_area, fi("log.summary")).input(text)

    def follow_up(self, description: str, due_on: dt.date | None = None) -> None:
        one(self.at.checkbox, fi("log.add_follow_up")).check()
        one(self.at.text_input, fi("log.follow_up_description")).input(description)
        if due_on is not None:
            one(self.at.date_input, fi("log.follow_up_due")).set_value(due_on)

    def save(self) -> AppTest:
        one(self.at.button, fi("log.save")).click()
        return self.at.run()


def test_logging_a_contact_through_the_form(app: AppTest, db: Engine, advisor) -> None:
    company_id, company_name = home_town_company(db)
    funding = category_id(db, "funding")
    today = dt.date.today()
    summary = f"Sivutesti {dt.datetime.now().isoformat()}: laajennus ja rahoitus."
    before = row_counts(db)

    open_page(app, advisor, "log_contact", company=str(company_id))
    no_exception(app)
    assert one(app.selectbox, fi("log.company")).value == company_id  # from the URL
    form = LogForm(app)
    form.add_need(funding, Severity.RED, "Uusi tuotantolinja")
    form.summary(summary)
    form.follow_up("Lähetä rahoitusvaihtoehdot")
    form.save()

    no_exception(app)
    assert texts(app.success) == [fi("log.saved", company=company_name)]
    assert links(app)[fi("log.open_profile")] == f"company={company_id}"
    assert not app.error
    after = row_counts(db)
    assert {table: after[table] - before[table] for table in after} == {
        "companies": 0,
        "contact_persons": 0,
        "interactions": 1,
        "needs": 1,
        "follow_ups": 1,
        "referrals": 0,
    }
    with Session(db) as session:
        interaction = session.scalars(
            select(Interaction).where(Interaction.summary == summary)
        ).one()
        assert (
            interaction.company_id,
            interaction.advisor_id,
            interaction.occurred_on,
            interaction.channel,
        ) == (company_id, advisor["id"], today, "visit")
        need = session.scalars(select(Need).where(Need.interaction_id == interaction.id)).one()
        assert (need.category_id, need.severity, need.description, need.status) == (
            funding,
            "red",
            "Uusi tuotantolinja",
            "open",
        )
        follow_up = session.scalars(
            select(FollowUp).where(FollowUp.interaction_id == interaction.id)
        ).one()
        assert (follow_up.owner_id, follow_up.due_on, follow_up.description, follow_up.need_id) == (
            advisor["id"],
            today + dt.timedelta(days=14),
            "Lähetä rahoitusvaihtoehdot",
            need.id,
        )

    # An empty form for the next contact.
    assert one(app.text_area, fi("log.summary")).value == ""
    assert not app.radio  # no need rows
    assert one(app.checkbox, fi("log.add_follow_up")).value is False
    assert one(app.text_input, fi("log.follow_up_description")).value == ""
    assert one(app.selectbox, fi("log.company")).value is None
    assert not app.query_params.get("company")
    # ...and the contact heads my recent contacts.
    recent = app.dataframe[-1].value
    assert recent.iloc[0][translate("col.summary", "fi")] == summary


def test_an_empty_summary_is_refused_and_nothing_is_saved(
    app: AppTest, db: Engine, advisor
) -> None:
    company_id, _ = home_town_company(db)
    before = row_counts(db)
    open_page(app, advisor, "log_contact", company=str(company_id))
    form = LogForm(app)
    form.add_need(category_id(db, "funding"), Severity.YELLOW, "Rahoitus")
    form.summary("   ")
    form.follow_up("Soita")
    form.save()

    no_exception(app)
    assert texts(app.error) == [f"{fi('field.summary')}: {fi('error.required')}"]
    assert not app.success
    assert row_counts(db) == before


def test_the_empty_summary_message_names_the_summary(app: AppTest, db: Engine, advisor) -> None:
    company_id, _ = home_town_company(db)
    open_page(app, advisor, "log_contact", company=str(company_id))
    LogForm(app).save()
    assert len(app.error) == 1
    assert fi("log.summary") in app.error[0].value


def test_a_follow_up_due_before_the_contact_is_refused(app: AppTest, db: Engine, advisor) -> None:
    company_id, _ = home_town_company(db)
    today = dt.date.today()
    before = row_counts(db)
    open_page(app, advisor, "log_contact", company=str(company_id))
    one(app.date_input, fi("log.date")).set_value(today - dt.timedelta(days=3))
    form = LogForm(app)
    form.summary("Puhelu viime viikolla")
    form.follow_up("Soita", due_on=today - dt.timedelta(days=4))
    form.save()

    no_exception(app)
    assert texts(app.error) == [fi("error.follow_up.due_before_contact")]
    assert row_counts(db) == before


def test_a_referral_without_consent_is_refused(app: AppTest, db: Engine, advisor) -> None:
    company_id, _ = home_town_company(db)
    with Session(db) as session:
        partner_id = session.scalar(select(Partner.id).order_by(Partner.id).limit(1))
    before = row_counts(db)
    open_page(app, advisor, "log_contact", company=str(company_id))
    form = LogForm(app)
    form.add_need(category_id(db, "funding"), Severity.RED, "Rahoitus")
    form.summary("Käynti, ohjataan rahoittajalle")
    one(app.checkbox, fi("log.add_referral")).check()
    one(app.selectbox, fi("log.referral_target")).set_value(f"partner:{partner_id}")
    form.save()

    no_exception(app)
    assert texts(app.error) == [fi("error.referral.consent")]
    assert row_counts(db) == before

    # With consent the same form saves, the referral about the need.
    one(app.checkbox, fi("log.consent")).check()
    one(app.selectbox, fi("log.referral_need")).set_value(0)
    form.save()
    no_exception(app)
    assert not app.error
    after = row_counts(db)
    assert (after["interactions"], after["needs"], after["referrals"]) == (
        before["interactions"] + 1,
        before["needs"] + 1,
        before["referrals"] + 1,
    )
    with Session(db) as session:
        referral = session.scalars(select(Referral).order_by(Referral.id.desc()).limit(1)).one()
        need = session.get(Need, referral.need_id)
        assert need is not None
        assert (referral.partner_id, referral.company_id, need.description) == (
            partner_id,
            company_id,
            "Rahoitus",
        )


def test_control_characters_in_the_summary_are_refused(app: AppTest, db: Engine, advisor) -> None:
    # (A summary over 4000 characters cannot be typed: the text area stops at its max_chars.
    # The service's own limit is tested in test_advisor_services.py.)
    company_id, _ = home_town_company(db)
    before = row_counts(db)
    open_page(app, advisor, "log_contact", company=str(company_id))
    LogForm(app).summary("Käynti\x07 tänään")
    LogForm(app).save()
    no_exception(app)
    assert texts(app.error) == [f"{fi('field.summary')}: {fi('error.text.control_characters')}"]
    assert row_counts(db) == before


@pytest.mark.parametrize("value", ["abc", "0", "-3"])
def test_log_contact_with_a_malformed_company_in_the_url(app: AppTest, advisor, value: str) -> None:
    open_page(app, advisor, "log_contact", company=value)
    no_exception(app)
    assert texts(app.error) == [fi("error.query_param", name="company")]
    assert not [button for button in app.button if button.label == fi("log.save")]


def test_log_contact_for_an_unknown_company(app: AppTest, advisor) -> None:
    open_page(app, advisor, "log_contact", company="99999999")
    no_exception(app)
    assert texts(app.error) == [fi("error.company.not_found")]
    assert one(app.selectbox, fi("log.company")).value is None


# --- HTML typed by a user stays text -------------------------------------------------------------


def test_html_in_a_summary_is_stored_as_typed_and_shown_as_text(
    app: AppTest, db: Engine, advisor
) -> None:
    company_id, _ = home_town_company(db, offset=1)
    open_page(app, advisor, "log_contact", company=str(company_id))
    LogForm(app).summary(HTML_SUMMARY)
    LogForm(app).save()
    no_exception(app)
    assert not app.error
    with Session(db) as session:
        stored = session.scalars(
            select(Interaction.summary)
            .where(Interaction.company_id == company_id)
            .order_by(Interaction.id.desc())
            .limit(1)
        ).one()
    assert stored == HTML_SUMMARY

    app.query_params["company"] = str(company_id)
    app.switch_page(page_file("companies")).run()
    no_exception(app)
    timeline = next(
        frame.value
        for frame in app.dataframe
        if translate("col.event", "fi") in frame.value.columns
    )
    cells = list(timeline[translate("col.text", "fi")])
    assert HTML_SUMMARY in cells  # the very characters, in a table cell: never markup
    markup = [m for m in app.markdown if m.allow_html]
    assert not [m.value for m in markup if "alert(1)" in m.value]
    assert not [m.value for m in app.markdown if "<script>" in m.value]


def test_html_in_a_company_name_is_escaped_in_the_title(app: AppTest, db: Engine, advisor) -> None:
    name = "<b>Lihava</b> <script>alert(1)</script> Oy"
    business_id = new_business_id(db)
    open_page(app, advisor, "companies")
    fill_company_form(app, db, business_id, name, town="Forssa")
    no_exception(app)
    assert not app.error
    assert texts(app.success) == [fi("company.saved")]
    (title,) = app.title
    # Every Markdown character is escaped, so the browser shows the name as typed.
    assert title.value == r"\<b\>Lihava\</b\> \<script\>alert\(1\)\</script\> Oy"
    with Session(db) as session:
        assert (
            session.scalar(select(Company.name).where(Company.business_id == business_id)) == name
        )


# --- The company form -----------------------------------------------------------------------------


def new_business_id(db: Engine) -> str:
    """A valid business ID nobody in the database has."""
    with Session(db) as session:
        taken = set(session.scalars(select(Company.business_id)))
    base = 9_100_000
    while True:
        digits = f"{base:07d}"
        check = business_id_check_digit(digits)
        if check is not None and f"{digits}-{check}" not in taken:
            return f"{digits}-{check}"
        base += 1


def town_id(db: Engine, name: str) -> int:
    with Session(db) as session:
        return session.scalars(select(Town.id).where(Town.name == name)).one()


def fill_company_form(
    app: AppTest, db: Engine, business_id: str, name: str, *, town: str
) -> AppTest:
    """Fill the new-company form on /companies and save it."""
    form = "new_company"
    one([b for b in app.text_input if b.form_id == form], fi("company.business_id")).input(
        business_id
    )
    one([b for b in app.text_input if b.form_id == form], fi("company.name")).input(name)
    town_box = one([b for b in app.selectbox if b.form_id == form], fi("company.town"))
    town_box.set_value(town_id(db, town))
    staff = one([n for n in app.number_input if n.form_id == form], fi("company.staff_count"))
    staff.set_value(5)
    app.button(key=f"FormSubmitter:{form}-{fi('common.save')}").click()
    return app.run()


def test_a_wrong_check_digit_in_the_company_form(app: AppTest, db: Engine, advisor) -> None:
    valid = new_business_id(db)
    wrong = f"{valid[:-1]}{(int(valid[-1]) + 1) % 10}"
    before = row_counts(db)
    open_page(app, advisor, "companies")
    fill_company_form(app, db, wrong, "Tarkistusnumero Oy", town="Forssa")

    no_exception(app)
    assert texts(app.error) == [fi("error.business_id.check_digit", value=wrong)]
    assert not app.success
    assert titles(app) == [fi("page.companies")]
    assert row_counts(db) == before


def test_a_business_id_already_in_the_register_links_to_its_company(
    app: AppTest, db: Engine, advisor
) -> None:
    company_id, _ = home_town_company(db, town="Salo")
    with Session(db) as session:
        taken = session.scalars(select(Company.business_id).where(Company.id == company_id)).one()
    before = row_counts(db)
    open_page(app, advisor, "companies")
    fill_company_form(app, db, taken.replace("-", ""), "Kaksoiskappale Oy", town="Salo")

    no_exception(app)
    assert texts(app.error) == [fi("error.business_id.duplicate", value=taken)]
    assert links(app)[fi("company.open_existing")] == f"company={company_id}"
    assert row_counts(db) == before


def test_a_new_company_is_saved_and_its_profile_opens(app: AppTest, db: Engine, advisor) -> None:
    business_id = new_business_id(db)
    open_page(app, advisor, "companies")
    fill_company_form(app, db, business_id.replace("-", ""), "Sivutestin Paja Oy", town="Salo")

    no_exception(app)
    assert texts(app.success) == [fi("company.saved")]
    assert titles(app) == ["Sivutestin Paja Oy"]
    salo = town_id(db, "Salo")
    with Session(db) as session:
        company = session.scalars(select(Company).where(Company.business_id == business_id)).one()
        assert (company.town_id, company.staff_count, company.size_class) == (
            salo,
            5,
            "micro",
        )
    assert app.query_params["company"] == str(company.id)


def test_the_new_company_form_offers_an_advisor_only_home_towns(app: AppTest, advisor) -> None:
    open_page(app, advisor, "companies")
    town_box = one([b for b in app.selectbox if b.form_id == "new_company"], fi("company.town"))
    assert sorted(town_box.options) == ["Forssa", "Salo"]


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.PROJECT_MANAGER])
def test_roles_that_may_not_add_companies_get_no_form(
    app: AppTest, demo_accounts: dict[str, dict[str, object]], role: Role
) -> None:
    open_page(app, demo_accounts[role], "companies")
    assert not [b for b in app.button if (b.key or "").startswith("FormSubmitter:new_company")]


def test_editing_a_company_on_its_profile(app: AppTest, db: Engine, advisor) -> None:
    company_id, name = home_town_company(db, town="Salo", offset=3)
    other_id, _ = home_town_company(db, town="Salo", offset=4)
    with Session(db) as session:
        own_business_id, other_business_id = (
            session.scalars(select(Company.business_id).where(Company.id == id_)).one()
            for id_ in (company_id, other_id)
        )
    form = f"edit_company_{company_id}"
    open_page(app, advisor, "companies", company=str(company_id))
    inputs = [b for b in app.text_input if b.form_id == form]
    assert one(inputs, fi("company.name")).value == name

    # Another company's business ID: refused, with a link to that company; nothing changes.
    one(inputs, fi("company.business_id")).input(other_business_id)
    one(inputs, fi("company.name")).input("Muutettu Nimi Oy")
    app.button(key=f"FormSubmitter:{form}-{fi('common.save')}").click()
    app.run()
    no_exception(app)
    assert texts(app.error) == [fi("error.business_id.duplicate", value=other_business_id)]
    assert links(app)[fi("company.open_existing")] == f"company={other_id}"
    with Session(db) as session:
        assert session.scalar(select(Company.name).where(Company.id == company_id)) == name

    # Its own business ID and a new name: saved.
    inputs = [b for b in app.text_input if b.form_id == form]
    one(inputs, fi("company.business_id")).input(own_business_id)
    one(inputs, fi("company.name")).input(f"{name} (uusi nimi)")
    app.button(key=f"FormSubmitter:{form}-{fi('common.save')}").click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("company.saved")]
    assert titles(app) == [plain(f"{name} (uusi nimi)")]


def test_logging_a_contact_with_a_new_company_and_person(app: AppTest, db: Engine, advisor) -> None:
    business_id = new_business_id(db)
    salo = town_id(db, "Salo")
    before = row_counts(db)
    open_page(app, advisor, "log_contact")
    one(app.toggle, fi("log.new_company")).set_value(True)
    app.run()
    one(app.text_input, fi("company.business_id")).input(business_id.replace("-", ""))
    one(app.text_input, fi("company.name")).input("Uusi Yritys Lokista Oy")
    town_box = one(app.selectbox, fi("company.town"))
    assert sorted(town_box.options) == ["Forssa", "Salo"]  # only the advisor's home towns
    town_box.set_value(salo)
    one(app.number_input, fi("company.staff_count")).set_value(3)
    one(app.selectbox, fi("log.contact_person")).set_value(-1)  # "+ uusi yhteyshenkilö"
    one(app.text_input, fi("person.first_name")).input("Ville")
    one(app.text_input, fi("person.last_name")).input("Uusi")
    LogForm(app).summary("Ensikäynti uudessa yrityksessä")
    LogForm(app).save()

    no_exception(app)
    assert texts(app.success) == [fi("log.saved", company="Uusi Yritys Lokista Oy")]
    after = row_counts(db)
    assert {table: after[table] - before[table] for table in after} == {
        "companies": 1,
        "contact_persons": 1,
        "interactions": 1,
        "needs": 0,
        "follow_ups": 0,
        "referrals": 0,
    }
    with Session(db) as session:
        company = session.scalars(select(Company).where(Company.business_id == business_id)).one()
        interaction = session.scalars(
            select(Interaction).where(Interaction.company_id == company.id)
        ).one()
        person = session.get(ContactPerson, interaction.contact_person_id)
        assert person is not None
        assert (company.town_id, company.size_class, person.first_name, person.company_id) == (
            salo,
            "micro",
            "Ville",
            company.id,
        )


def test_a_new_company_already_in_the_register_is_refused_in_the_log_form(
    app: AppTest, db: Engine, advisor
) -> None:
    company_id, _ = home_town_company(db)
    with Session(db) as session:
        taken = session.scalars(select(Company.business_id).where(Company.id == company_id)).one()
    before = row_counts(db)
    open_page(app, advisor, "log_contact")
    one(app.toggle, fi("log.new_company")).set_value(True)
    app.run()
    one(app.text_input, fi("company.business_id")).input(taken)
    one(app.text_input, fi("company.name")).input("Kaksoisolento Oy")
    one(app.number_input, fi("company.staff_count")).set_value(3)
    one(app.selectbox, fi("log.contact_person")).set_value(-1)
    one(app.text_input, fi("person.first_name")).input("Ville")
    one(app.text_input, fi("person.last_name")).input("Kaksonen")
    LogForm(app).summary("Käynti")
    LogForm(app).save()

    no_exception(app)
    assert texts(app.error) == [fi("error.business_id.duplicate", value=taken)]
    assert row_counts(db) == before


# --- The company profile ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_a_malformed_company_id_in_the_url(app: AppTest, advisor, value: str) -> None:
    open_page(app, advisor, "companies", company=value)
    no_exception(app)
    assert texts(app.error) == [fi("error.query_param", name="company")]
    assert not app.dataframe
    assert fi("page.companies") not in titles(app)


def test_an_unknown_company_id_in_the_url(app: AppTest, advisor) -> None:
    open_page(app, advisor, "companies", company="99999999")
    no_exception(app)
    assert texts(app.error) == [fi("error.company.not_found")]
    assert not app.title
    assert not app.dataframe
    assert fi("company.back") in links(app)


def test_the_profile_shows_the_company_and_its_timeline(app: AppTest, db: Engine, advisor) -> None:
    company_id, name = home_town_company(db, town="Salo")
    with Session(db) as session:
        interactions = session.scalar(
            select(func.count())
            .select_from(Interaction)
            .where(Interaction.company_id == company_id)
        )
    open_page(app, advisor, "companies", company=str(company_id))

    no_exception(app)
    assert titles(app) == [plain(name)]
    assert links(app)[fi("company.log_contact")] == f"company={company_id}"
    assert fi("company.read_only") not in texts(app.info)  # Salo is a home town
    subheaders = texts(app.subheader)
    for key in ("company.open_needs", "company.open_follow_ups", "company.who_else"):
        assert fi(key) in subheaders
    timeline = next(
        frame.value
        for frame in app.dataframe
        if translate("col.event", "fi") in frame.value.columns
    )
    with Session(db) as session:
        user = current_user(session, int(advisor["id"]))
        assert user is not None
        total = profile_timeline(session, user, company_id).total
    assert total >= (interactions or 0) > 0
    assert len(timeline) == min(total, 25)
    assert fi("pager.summary", page=1, pages=-(-total // 25), total=total) in texts(app.caption)
    assert fi("timeline.interaction") in set(timeline[translate("col.event", "fi")])
    days = [
        dt.datetime.strptime(day, "%d.%m.%Y").date() for day in timeline[translate("col.on", "fi")]
    ]
    assert days == sorted(days, reverse=True)  # newest first


def test_another_towns_company_is_read_only_without_personal_details(
    app: AppTest, db: Engine, advisor
) -> None:
    with Session(db) as session:
        company_id = session.scalar(
            select(ContactPerson.company_id)
            .join(Company, Company.id == ContactPerson.company_id)
            .join(Town, Town.id == Company.town_id)
            .where(Town.name.not_in(["Forssa", "Salo"]), ContactPerson.email.is_not(None))
            .order_by(ContactPerson.company_id)
            .limit(1)
        )
    open_page(app, advisor, "companies", company=str(company_id))
    no_exception(app)
    assert fi("company.read_only") in texts(app.info)
    people = next(
        frame.value
        for frame in app.dataframe
        if translate("col.email", "fi") in frame.value.columns
    )
    assert len(people) >= 1
    assert set(people[translate("col.email", "fi")]) == {""}
    assert set(people[translate("col.phone", "fi")]) == {""}
    assert not [b for b in app.button if (b.key or "").startswith("FormSubmitter:")]


def test_contact_persons_are_added_edited_and_removed_on_the_profile(
    app: AppTest, db: Engine, advisor
) -> None:
    company_id, _ = home_town_company(db, offset=2)
    open_page(app, advisor, "companies", company=str(company_id))
    form = f"people_{company_id}_new"
    inputs = [box for box in app.text_input if box.form_id == form]
    one(inputs, fi("person.first_name")).input("Sanna")
    one(inputs, fi("person.last_name")).input("Sivutesti")
    one(inputs, fi("person.email")).input("sanna@example.fi")
    app.button(key=f"FormSubmitter:{form}-{fi('common.save')}").click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("person.saved")]
    with Session(db) as session:
        person = session.scalars(
            select(ContactPerson).where(
                ContactPerson.company_id == company_id, ContactPerson.last_name == "Sivutesti"
            )
        ).one()
        assert person.email == "sanna@example.fi"

    people = next(f for f in app.dataframe if (f.key or "").startswith(f"people_{company_id}"))
    row = list(people.value[translate("col.name", "fi")]).index("Sanna Sivutesti")
    app.session_state[people.key] = {"selection": {"rows": [row], "columns": []}}
    app.run()
    edit = f"people_{company_id}_edit_{person.id}"
    title = one([b for b in app.text_input if b.form_id == edit], fi("person.title"))
    assert one([b for b in app.text_input if b.form_id == edit], fi("person.email")).value == (
        "sanna@example.fi"
    )
    title.input("Talousjohtaja")
    app.button(key=f"FormSubmitter:{edit}-{fi('common.save')}").click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("person.saved")]
    with Session(db) as session:
        assert (
            session.scalar(select(ContactPerson.title).where(ContactPerson.id == person.id))
            == "Talousjohtaja"
        )

    people = next(f for f in app.dataframe if (f.key or "").startswith(f"people_{company_id}"))
    app.session_state[people.key] = {"selection": {"rows": [row], "columns": []}}
    app.run()
    remove = one(app.button, fi("person.remove"))
    assert remove.disabled  # until the removal is confirmed
    one(app.checkbox, fi("person.confirm_remove")).check()
    app.run()
    one(app.button, fi("person.remove")).click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("person.removed")]
    with Session(db) as session:
        assert session.get(ContactPerson, person.id) is None


def test_a_bad_email_for_a_contact_person_saves_nothing(app: AppTest, db: Engine, advisor) -> None:
    company_id, _ = home_town_company(db, offset=2)
    before = row_counts(db)
    open_page(app, advisor, "companies", company=str(company_id))
    form = f"people_{company_id}_new"
    inputs = [box for box in app.text_input if box.form_id == form]
    one(inputs, fi("person.first_name")).input("Väärä")
    one(inputs, fi("person.last_name")).input("Osoite")
    one(inputs, fi("person.email")).input("ei-osoite")
    app.button(key=f"FormSubmitter:{form}-{fi('common.save')}").click()
    app.run()
    no_exception(app)
    assert texts(app.error) == [fi("error.email.invalid", value="ei-osoite")]
    assert row_counts(db) == before


# --- Needs ----------------------------------------------------------------------------------------


def signed_in(db: Engine, account: dict[str, object]) -> Any:
    with Session(db) as session:
        return current_user(session, int(account["id"]))  # type: ignore[call-overload]


def filter_needs(app: AppTest, town: int, status: str | None) -> None:
    """Choose the town and status filters above the needs table (not those of the status form)."""
    filters = [box for box in app.selectbox if not box.form_id]
    one(filters, fi("filter.town")).set_value(town)
    one(filters, fi("filter.status")).set_value(status)
    app.run()


def choose_row(app: AppTest, table_base: str, row: int) -> AppTest:
    """Select a table row as a click in its selection column would: AppTest cannot click a
    dataframe, but a selection written to the table's session-state key is what a click sends."""
    try:
        version = app.session_state[f"{table_base}.version"]
    except KeyError:
        version = 0
    app.session_state[f"{table_base}.{version}"] = {"selection": {"rows": [row], "columns": []}}
    return app.run()


def table_row_of_need(
    db: Engine, account: dict[str, object], need_id: int, *, town: int, status: str
) -> int:
    """Where the needs table, filtered by town and status, shows this need."""
    with Session(db) as session:
        user = current_user(session, int(account["id"]))  # type: ignore[call-overload]
        assert user is not None
        rows = list_needs(session, user, town_id=town, status=status).rows
    return [row["id"] for row in rows].index(need_id)


def need_row(db: Engine, need_id: int) -> tuple[Any, ...]:
    with Session(db) as session:
        row = session.execute(
            select(
                Need.status,
                Need.resolved_on,
                Need.resolution_note,
                Need.addressed_by_project_id,
            ).where(Need.id == need_id)
        ).one()
    return tuple(row)


def first_open_need(db: Engine, account: dict[str, object], town: int) -> dict[str, Any]:
    with Session(db) as session:
        user = current_user(session, int(account["id"]))  # type: ignore[call-overload]
        assert user is not None
        return list_needs(session, user, town_id=town, status=NeedStatus.OPEN, page_size=1).rows[0]


def set_need_status(
    app: AppTest, need_id: int, status: str, *, note: str | None = None, project: int | None = None
) -> AppTest:
    form = f"need_status_{need_id}"
    one([b for b in app.selectbox if b.form_id == form], fi("filter.status")).set_value(status)
    if note is not None:
        one([b for b in app.text_area if b.form_id == form], fi("needs.resolution_note")).input(
            note
        )
    if project is not None:
        one(
            [b for b in app.selectbox if b.form_id == form], fi("needs.addressed_by_project")
        ).set_value(project)
    app.button(key=f"FormSubmitter:{form}-{fi('common.save')}").click()
    return app.run()


def test_red_needs_stand_out(app: AppTest, advisor) -> None:
    open_page(app, advisor, "needs")
    no_exception(app)
    table = app.dataframe[0]
    severity = list(table.value[translate("col.severity", "fi")])
    red = {row for row, value in enumerate(severity) if value == fi("severity.red")}
    assert red  # the demo data has red needs on the first page
    assert highlighted_rows(table) == red


def test_an_advisor_changes_a_needs_status_by_choosing_its_row(
    app: AppTest, db: Engine, advisor
) -> None:
    forssa = town_id(db, "Forssa")
    need = first_open_need(db, advisor, forssa)
    with Session(db) as session:
        project = session.scalar(select(Project.id).order_by(Project.id).limit(1))
    open_page(app, advisor, "needs")
    filter_needs(app, forssa, NeedStatus.OPEN)
    choose_row(app, "needs.table", 0)
    no_exception(app)
    assert texts(app.subheader) == [fi("needs.chosen", company=plain(need["company"]))]
    set_need_status(app, need["id"], NeedStatus.IN_PROGRESS, note="Työn alla", project=project)

    no_exception(app)
    assert texts(app.success) == [fi("needs.status_saved")]
    assert need_row(db, need["id"]) == ("in_progress", None, "Työn alla", project)

    # Met: resolved today.
    filter_needs(app, forssa, NeedStatus.IN_PROGRESS)
    row = table_row_of_need(db, advisor, need["id"], town=forssa, status=NeedStatus.IN_PROGRESS)
    choose_row(app, "needs.table", row)
    set_need_status(app, need["id"], NeedStatus.MET, note="Rahoitus saatiin")
    no_exception(app)
    status, resolved_on, note, _ = need_row(db, need["id"])
    assert (status, resolved_on, note) == ("met", dt.date.today(), "Rahoitus saatiin")


def test_closing_a_need_keeps_the_project_that_addressed_it(
    app: AppTest, db: Engine, advisor
) -> None:
    forssa = town_id(db, "Forssa")
    need = first_open_need(db, advisor, forssa)
    with Session(db) as session, session.begin():
        project = session.scalar(select(Project.id).order_by(Project.id.desc()).limit(1))
        row = session.get(Need, need["id"])
        assert row is not None
        row.status, row.addressed_by_project_id = NeedStatus.IN_PROGRESS, project

    open_page(app, advisor, "needs")
    filter_needs(app, forssa, NeedStatus.IN_PROGRESS)
    row = table_row_of_need(db, advisor, need["id"], town=forssa, status=NeedStatus.IN_PROGRESS)
    choose_row(app, "needs.table", row)
    set_need_status(app, need["id"], NeedStatus.MET, note="Hoidettu")
    no_exception(app)
    assert need_row(db, need["id"])[0] == "met"
    assert need_row(db, need["id"])[3] == project


def test_another_towns_need_is_read_only_for_an_advisor(app: AppTest, db: Engine, advisor) -> None:
    with Session(db) as session:
        elsewhere = session.scalars(
            select(Company.town_id)
            .join(Need, Need.company_id == Company.id)
            .join(Town, Town.id == Company.town_id)
            .where(Town.name.not_in(["Forssa", "Salo"]))
            .order_by(Company.town_id)
            .limit(1)
        ).one()
    open_page(app, advisor, "needs")
    filter_needs(app, elsewhere, None)
    choose_row(app, "needs.table", 0)
    no_exception(app)
    assert fi("company.read_only") in texts(app.info)
    assert not [b for b in app.button if (b.key or "").startswith("FormSubmitter:need_status")]


def test_referring_an_open_need_from_its_suggestions(app: AppTest, db: Engine, advisor) -> None:
    salo = town_id(db, "Salo")
    need = first_open_need(db, advisor, salo)
    with Session(db) as session:
        user = current_user(session, int(advisor["id"]))
        assert user is not None
        suggested = suggestions_for_need(session, user, need["id"], today=dt.date.today())
    assert suggested["projects"] or suggested["partners"]
    kind = "projects" if suggested["projects"] else "partners"
    target = suggested[kind][0]
    before = row_counts(db)

    open_page(app, advisor, "needs")
    filter_needs(app, salo, NeedStatus.OPEN)
    choose_row(app, "needs.table", 0)
    shown = [t for t in texts(app.text) if t != need["description"]]
    assert shown == [o["name"] for o in suggested["projects"] + suggested["partners"]]
    refer = app.button(key=f"refer_{need['id']}_{kind}_{target['id']}")

    refer.click()
    app.run()
    no_exception(app)
    assert texts(app.error) == [fi("error.referral.consent")]
    assert row_counts(db) == before
    assert need_row(db, need["id"])[0] == "open"

    app.checkbox(key=f"need_consent_{need['id']}").check()
    app.run()
    app.button(key=f"refer_{need['id']}_{kind}_{target['id']}").click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("needs.referred", target=target["name"])]
    assert need_row(db, need["id"])[0] == "in_progress"
    with Session(db) as session:
        referral = session.scalars(
            select(Referral).where(Referral.need_id == need["id"]).order_by(Referral.id.desc())
        ).first()
        assert referral is not None
        chosen = referral.project_id if kind == "projects" else referral.partner_id
        assert (chosen, referral.consent, referral.created_by_id, referral.referred_on) == (
            target["id"],
            True,
            advisor["id"],
            dt.date.today(),
        )


# --- Follow-ups and home --------------------------------------------------------------------------

BUCKET_ORDER = [fi("bucket.overdue"), fi("bucket.this_week"), fi("bucket.later")]


@pytest.mark.parametrize("role", list(Role))
def test_the_follow_ups_page_for_every_role(
    app: AppTest, demo_accounts: dict[str, dict[str, object]], role: Role
) -> None:
    open_page(app, demo_accounts[role], "follow_ups")
    no_exception(app)
    assert titles(app)[0] == fi("page.follow_ups")
    assert not app.error
    if not app.dataframe:  # nothing open for this user: says so
        assert texts(app.info) == [fi("follow_ups.none")]
        assert role == Role.PROJECT_MANAGER
        return
    table = app.dataframe[0].value
    owner = translate("col.owner", "fi")
    if role in (Role.LEADERSHIP, Role.ADMIN):
        # Everyone's, grouped by owner.
        owners = list(table[owner])
        assert len(set(owners)) > 1
        assert owners == sorted(owners)
    else:
        assert owner not in table.columns
        buckets = [BUCKET_ORDER.index(b) for b in table[translate("col.bucket", "fi")]]
        assert buckets == sorted(buckets)  # overdue first, then this week, then later


def test_an_advisor_completes_a_follow_up(app: AppTest, db: Engine, advisor) -> None:
    today = dt.date.today()
    with Session(db) as session:
        user = current_user(session, int(advisor["id"]))
        assert user is not None
        first = list_follow_ups(session, user, today=today, owner_id=user.id).rows[0]
    assert first["overdue"]
    open_page(app, advisor, "follow_ups")
    choose_row(app, "follow_ups.table", 0)
    no_exception(app)
    assert texts(app.subheader) == [fi("follow_ups.chosen", company=plain(first["company"]))]
    one(app.button, fi("follow_ups.complete")).click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("follow_ups.completed")]
    with Session(db) as session:
        done = session.get(FollowUp, first["id"])
        assert done is not None
        assert (done.status, done.done_on) == (FollowUpStatus.DONE, today)


def test_an_advisor_reschedules_and_reassigns_a_follow_up(
    app: AppTest, db: Engine, demo_accounts: dict[str, dict[str, object]]
) -> None:
    advisor, manager = demo_accounts[Role.ADVISOR], demo_accounts[Role.PROJECT_MANAGER]
    today = dt.date.today()
    with Session(db) as session:
        user = current_user(session, int(advisor["id"]))
        assert user is not None
        first = list_follow_ups(session, user, today=today, owner_id=user.id).rows[0]
    open_page(app, advisor, "follow_ups")
    choose_row(app, "follow_ups.table", 0)
    form = f"reschedule_{first['id']}"
    due = one([d for d in app.date_input if d.form_id == form], fi("follow_ups.new_due"))
    new_due = today + dt.timedelta(days=10)
    due.set_value(new_due)
    app.button(key=f"FormSubmitter:{form}-{fi('follow_ups.reschedule')}").click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("follow_ups.rescheduled")]

    rows = list(app.dataframe[0].value[translate("col.description", "fi")])
    assert rows  # the list is shown again, nothing chosen
    with Session(db) as session:
        moved = session.get(FollowUp, first["id"])
        assert moved is not None
        assert (moved.due_on, moved.status) == (new_due, "open")

    # Hand it to the project manager: it leaves my list.
    table = app.dataframe[0].value
    row = next(
        i
        for i, (due_text, company) in enumerate(
            zip(
                table[translate("col.due_on", "fi")],
                table[translate("col.company", "fi")],
                strict=True,
            )
        )
        if company == first["company"] and due_text == format_date(new_due, "fi")
    )
    choose_row(app, "follow_ups.table", row)
    form = f"reassign_{first['id']}"
    one([b for b in app.selectbox if b.form_id == form], fi("follow_ups.new_owner")).set_value(
        manager["id"]
    )
    app.button(key=f"FormSubmitter:{form}-{fi('follow_ups.reassign')}").click()
    app.run()
    no_exception(app)
    assert texts(app.success) == [fi("follow_ups.reassigned")]
    with Session(db) as session:
        moved = session.get(FollowUp, first["id"])
        assert moved is not None
        assert moved.owner_id == manager["id"]


def test_advisor_home_shows_my_follow_ups_contacts_and_red_needs_of_my_towns(
    app: AppTest, db: Engine, advisor
) -> None:
    open_page(app, advisor, "home")
    no_exception(app)
    assert [m.label for m in app.metric] == [
        fi("home.due_soon"),
        fi("home.recent_contacts"),
        fi("home.red_needs"),
    ]
    follow_ups, recent, red = (frame.value for frame in app.dataframe)
    soon = dt.date.today() + dt.timedelta(days=7)
    due = [
        dt.datetime.strptime(d, "%d.%m.%Y").date()
        for d in follow_ups[translate("col.due_on", "fi")]
    ]
    assert due
    assert max(due) <= soon
    assert set(recent[translate("col.advisor", "fi")]) == {advisor["full_name"]}
    assert set(red[translate("col.town", "fi")]) <= {"Forssa", "Salo"}
    assert len(red) > 0
