"""Data protection for contact persons (issue 6) on SQLite and PostgreSQL: a subject access export,
erasure that leaves no trace of the person anywhere in the database, and retention: the persons
past the retention period, and anonymising them all at once. Administrators only; every export
and erasure is itself recorded, without the data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, func, select
from sqlalchemy.orm import Session

from db.enums import (
    AuditAction,
    Channel,
    LegalBasis,
    NeedStatus,
    PartnershipKind,
    Role,
    Severity,
)
from db.models import (
    AuditEvent,
    Base,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    Participation,
    Partnership,
    Referral,
)
from services import contact_persons, contacts, ecosystem, needs, participations, privacy, settings
from services.contact_persons import ContactPersonInput
from services.contacts import ContactInput, FollowUpInput, NeedInput, ReferralInput
from services.ecosystem import PartnershipInput, Party, PartyKind
from services.errors import Forbidden, NotFound
from services.participations import ActivityInput
from tests.test_security import TODAY, build_world, table_counts

W = SimpleNamespace

FIRST, LAST = "Päivi", "Kärkkäinen"
EMAIL = "paivi.karkkainen@paja.fi"
PHONE = "+358 40 765 4321"


@pytest.fixture
def world(session: Session) -> W:
    return build_world(session)


# --- Looking for a person everywhere ---------------------------------------------------------


def text_columns(table: Any) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON)]


def traces(session: Session, *terms: str) -> list[tuple[str, str, str]]:
    """Every (table, column, term) where a term is found, in any text or JSON column of any
    table, read straight from the database; case does not matter."""
    session.flush()
    found = []
    wanted = [term.casefold() for term in terms]
    for table in Base.metadata.sorted_tables:
        columns = text_columns(table)
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for term, folded in zip(terms, wanted, strict=True):
                    if folded in shown.casefold():
                        found.append((table.name, column.name, term))
    return found


def test_the_search_finds_what_is_there(session: Session, world: W) -> None:
    """The search itself works: before erasure it finds the person in many places."""
    story = tell_the_story(session, world)
    found = traces(session, FIRST, LAST, EMAIL, PHONE)
    places = {(table, column) for table, column, _ in found}
    assert {
        ("contact_persons", "first_name"),
        ("contact_persons", "email"),
        ("interactions", "summary"),
        ("needs", "description"),
        ("needs", "resolution_note"),
        ("follow_ups", "description"),
        ("referrals", "note"),
        ("participations", "activity_name"),
        ("audit_events", "changes"),
    } <= places
    assert story.person.first_name == FIRST


def tell_the_story(session: Session, w: W) -> SimpleNamespace:
    """A contact person added, edited and named all over the company's history, through the
    services, so the audit trail holds the personal data too."""
    story = SimpleNamespace()
    story.person = contact_persons.add_contact_person(
        session,
        w.advisor,
        w.home.id,
        ContactPersonInput(FIRST, LAST, title="Talousjohtaja", email=EMAIL, phone=PHONE),
    )
    contact_persons.update_contact_person(
        session,
        w.advisor,
        story.person.id,
        ContactPersonInput(
            FIRST, LAST, title="Toimitusjohtaja", email=EMAIL, phone=PHONE,
            legal_basis=LegalBasis.CONSENT,
        ),
    )  # fmt: skip
    story.other = contact_persons.add_contact_person(
        session, w.advisor, w.home.id, ContactPersonInput("Pekka", "Virtanen", email="pv@paja.fi")
    )
    story.logged = contacts.log_contact(
        session,
        w.advisor,
        ContactInput(
            occurred_on=TODAY - dt.timedelta(days=2),
            channel=Channel.VISIT,
            summary=f"Tavattiin {FIRST} {LAST} ({PHONE}, {EMAIL}) ja Pekka Virtanen.",
            company_id=w.home.id,
            contact_person_id=story.person.id,
            needs=(NeedInput(w.category.id, Severity.RED, f"{LAST} toivoo rahoitusta."),),
            follow_up=FollowUpInput(f"Lähetä tarjous osoitteeseen {EMAIL}"),
            referral=ReferralInput(
                consent=True, partner_id=w.partner.id, note=f"Yhteyshenkilö {FIRST} {LAST}"
            ),
        ),
        today=TODAY,
    )
    story.pekka_contact = contacts.log_contact(
        session,
        w.advisor,
        ContactInput(
            occurred_on=TODAY - dt.timedelta(days=1),
            channel=Channel.PHONE,
            summary="Pekka Virtanen soitti.",
            company_id=w.home.id,
            contact_person_id=story.other.id,
        ),
        today=TODAY,
    )
    needs.change_need_status(
        session, w.advisor, story.logged.need_ids[0], status=NeedStatus.MET, today=TODAY,
        note=f"{FIRST} kiitti avusta.",
    )  # fmt: skip
    participations.record_participation(
        session,
        w.users[Role.PROJECT_MANAGER],
        ActivityInput(w.own_project.id, "workshop", TODAY, activity_name=f"Työpaja, puhuja {LAST}"),
        company_id=w.home.id,
    )
    session.flush()
    return story


def history_counts(session: Session, company_id: int) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(
            select(func.count()).select_from(model).where(model.company_id == company_id)
        )
        or 0
        for model in (ContactPerson, Interaction, Need, FollowUp, Referral, Participation)
    }


# --- Erasure ---------------------------------------------------------------------------------


def test_erasure_leaves_no_trace_of_the_person_in_any_table(session: Session, world: W) -> None:
    story = tell_the_story(session, world)
    history = history_counts(session, world.home.id)
    events = session.scalar(select(func.count()).select_from(AuditEvent))

    privacy.erase_person(session, world.admin, story.person.id)
    session.expire_all()

    assert traces(session, FIRST, LAST, EMAIL, PHONE) == []
    # The company's history stays: every record, and the other person untouched.
    assert history_counts(session, world.home.id) == history
    assert traces(session, "Pekka", "Virtanen", "pv@paja.fi")
    pekka = session.get(ContactPerson, story.other.id)
    assert (pekka.first_name, pekka.last_name, pekka.email) == ("Pekka", "Virtanen", "pv@paja.fi")
    summary = session.get(Interaction, story.logged.interaction_id).summary
    assert summary.startswith("Tavattiin [poistettu]")
    assert summary.endswith("ja Pekka Virtanen.")
    assert session.get(Interaction, story.pekka_contact.interaction_id).summary == (
        "Pekka Virtanen soitti."
    )
    # The contact is still the erased person's, now anonymous.
    assert session.get(Interaction, story.logged.interaction_id).contact_person_id == (
        story.person.id
    )
    erased = session.get(ContactPerson, story.person.id)
    assert (erased.first_name, erased.last_name) == ("Poistettu", "henkilö")
    assert (erased.title, erased.email, erased.phone) == (None, None, None)
    assert erased.marketing_opt_out is True
    assert erased.anonymised_at is not None

    # Recorded, without the data; nothing removed from the trail.
    erase = session.execute(
        select(AuditEvent.user_id, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.changes)
        .where(AuditEvent.action == AuditAction.ERASE)
    ).one()  # fmt: skip
    assert tuple(erase) == (world.admin.id, "contact_persons", story.person.id, None)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1

    # No longer listed, found or editable.
    names = {p["name"] for p in contact_persons.list_contact_persons(session, world.admin,
                                                                     world.home.id)}  # fmt: skip
    assert names == {"Liisa Leipuri", "Pekka Virtanen"}
    assert privacy.find_contact_persons(session, world.admin, query="Poistettu") == []
    with pytest.raises(NotFound):
        contact_persons.update_contact_person(
            session, world.admin, story.person.id, ContactPersonInput("Päivi", "Uudestaan")
        )


def test_erasure_reaches_the_companys_partnerships(session: Session, world: W) -> None:
    """A partnership's description, and its change history, may name the person too."""
    story = tell_the_story(session, world)
    agreed = PartnershipInput(
        kind=PartnershipKind.RND,
        first=Party(PartyKind.ACTOR, world.partner.id),
        second=Party(PartyKind.COMPANY, world.home.id),
        starts_on=TODAY,
        description=f"Sopimuksen allekirjoitti {FIRST} {LAST}.",
    )
    partnership = ecosystem.create_partnership(session, world.admin, agreed)
    ecosystem.update_partnership(
        session,
        world.admin,
        partnership.id,
        replace(agreed, description=f"Yhteyshenkilö {LAST}, puh. {PHONE}; myös Pekka Virtanen."),
    )
    assert ("partnerships", "description", LAST) in traces(session, LAST)

    privacy.erase_person(session, world.admin, story.person.id)
    session.expire_all()

    assert traces(session, FIRST, LAST, PHONE) == []
    assert session.get(Partnership, partnership.id).description.endswith("myös Pekka Virtanen.")


def test_an_export_after_erasure_holds_nothing_personal(session: Session, world: W) -> None:
    story = tell_the_story(session, world)
    privacy.erase_person(session, world.admin, story.person.id)
    session.expire_all()
    data = privacy.export_person(session, world.admin, story.person.id)
    shown = json.dumps(data, ensure_ascii=False)
    for term in (FIRST, LAST, EMAIL, PHONE):
        assert term.casefold() not in shown.casefold()
    assert data["person"]["anonymised_at"] is not None
    assert len(data["contacts"]) == 1


def test_erasure_also_removes_inflected_forms_of_the_name(session: Session, world: W) -> None:
    person = contact_persons.add_contact_person(
        session, world.advisor, world.home.id, ContactPersonInput(FIRST, LAST)
    )
    contacts.log_contact(
        session,
        world.advisor,
        ContactInput(
            occurred_on=TODAY,
            channel=Channel.PHONE,
            summary=f"Soitin {FIRST}lle; sovittiin {FIRST}n kanssa tapaaminen.",
            company_id=world.home.id,
            contact_person_id=person.id,
        ),
        today=TODAY,
    )
    privacy.erase_person(session, world.admin, person.id)
    assert traces(session, FIRST, LAST) == []


def test_erasure_also_removes_the_persons_earlier_details(session: Session, world: W) -> None:
    person = contact_persons.add_contact_person(
        session,
        world.advisor,
        world.home.id,
        ContactPersonInput(
            FIRST, "Entinen", email="vanha.osoite@paja.fi", phone="+358 50 111 2222"
        ),
    )
    contact_persons.update_contact_person(
        session, world.advisor, person.id, ContactPersonInput(FIRST, LAST, email=EMAIL, phone=PHONE)
    )
    privacy.erase_person(session, world.admin, person.id)
    assert traces(session, "Entinen", "vanha.osoite@paja.fi", "+358 50 111 2222") == []


# --- Subject access export -------------------------------------------------------------------


def test_export_holds_every_field_and_the_persons_contacts(session: Session, world: W) -> None:
    story = tell_the_story(session, world)
    # Another person's contact is not in it.
    data = privacy.export_person(session, world.admin, story.person.id)
    json.dumps(data, ensure_ascii=False)  # a JSON download
    person = data["person"]
    assert person == {
        "id": story.person.id,
        "first_name": FIRST,
        "last_name": LAST,
        "title": "Toimitusjohtaja",
        "email": EMAIL,
        "phone": PHONE,
        "legal_basis": "consent",
        "marketing_opt_out": False,
        "created_at": person["created_at"],
        "anonymised_at": None,
    }
    assert dt.datetime.fromisoformat(person["created_at"])
    assert data["company"] == {"business_id": world.home.business_id, "name": world.home.name}
    assert data["contacts"] == [
        {
            "date": (TODAY - dt.timedelta(days=2)).isoformat(),
            "channel": "visit",
            "summary": f"Tavattiin {FIRST} {LAST} ({PHONE}, {EMAIL}) ja Pekka Virtanen.",
        }
    ]
    assert dt.datetime.fromisoformat(data["exported_at"])


def test_an_export_is_recorded_without_the_data(session: Session, world: W) -> None:
    story = tell_the_story(session, world)
    privacy.export_person(session, world.admin, story.person.id)
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)
    ).scalar_one()
    assert (event.user_id, event.entity, event.entity_id, event.changes) == (
        world.admin.id,
        "contact_persons",
        story.person.id,
        None,
    )


def test_an_unknown_person(session: Session, world: W) -> None:
    with pytest.raises(NotFound):
        privacy.export_person(session, world.admin, 987_654)
    with pytest.raises(NotFound):
        privacy.erase_person(session, world.admin, 987_654)


def test_finding_a_person_for_a_subject_request(session: Session, world: W) -> None:
    story = tell_the_story(session, world)

    def found(query: str) -> set[int]:
        return {
            row["id"] for row in privacy.find_contact_persons(session, world.admin, query=query)
        }

    assert found("Päivi Kärk") == {story.person.id}
    assert found("päivi kärk") == {story.person.id}
    assert found(EMAIL.upper()) == {story.person.id}
    assert found("Kotikylän") >= {story.person.id, story.other.id}
    assert found("P") == set()  # too short to search
    privacy.erase_person(session, world.admin, story.person.id)
    assert story.person.id not in found("Kotikylän")


def test_finding_a_person_whatever_the_case_of_finnish_letters(session: Session, world: W) -> None:
    person = contact_persons.add_contact_person(
        session, world.advisor, world.home.id, ContactPersonInput("Äino", "Äijälä")
    )
    story = tell_the_story(session, world)
    for query in ("KÄRKKÄINEN", "äijälä", "ÄINO ÄIJÄLÄ"):
        rows = privacy.find_contact_persons(session, world.admin, query=query)
        assert {row["id"] for row in rows} & {person.id, story.person.id}, query


# --- Retention -------------------------------------------------------------------------------


def person_at(session: Session, w: W, name: str, created: dt.date) -> ContactPerson:
    row = ContactPerson(
        company_id=w.home.id,
        first_name=name,
        last_name="Säilytys",
        email=f"{name.lower()}@example.fi",
        created_at=dt.datetime.combine(created, dt.time(12), dt.UTC),
    )
    session.add(row)
    session.flush()
    return row


def contact_with(session: Session, w: W, person: ContactPerson, on: dt.date) -> None:
    session.add(
        Interaction(
            company_id=w.home.id,
            advisor_id=w.advisor_row.id,
            occurred_on=on,
            channel=Channel.PHONE,
            summary=f"Puhelu: {person.first_name}",
            contact_person_id=person.id,
        )
    )
    session.flush()


@pytest.fixture
def retention(session: Session, world: W) -> SimpleNamespace:
    """Persons around a two-year retention period ending on TODAY (cut-off 22.11.2024)."""
    settings.update_settings(session, world.admin, {"retention.years": 2})
    r = SimpleNamespace()
    cutoff = dt.date(2024, 11, 22)
    old = dt.date(2020, 3, 1)
    r.never_contacted = person_at(session, world, "Eino", old)
    r.contacted_long_ago = person_at(session, world, "Toivo", old)
    contact_with(session, world, r.contacted_long_ago, dt.date(2023, 5, 5))
    r.contacted_day_before_cutoff = person_at(session, world, "Aatu", old)
    contact_with(session, world, r.contacted_day_before_cutoff, cutoff - dt.timedelta(days=1))
    r.contacted_on_cutoff = person_at(session, world, "Veeti", old)
    contact_with(session, world, r.contacted_on_cutoff, cutoff)
    r.contacted_recently = person_at(session, world, "Onni", old)
    contact_with(session, world, r.contacted_recently, dt.date(2026, 10, 1))
    r.added_recently = person_at(session, world, "Lilja", dt.date(2025, 6, 1))
    r.added_on_cutoff = person_at(session, world, "Aino", cutoff)
    r.already_erased = person_at(session, world, "Helmi", old)
    r.already_erased.anonymised_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    session.flush()
    r.stale = [r.never_contacted, r.contacted_long_ago, r.contacted_day_before_cutoff]
    return r


def stale_ids(session: Session, w: W, today: dt.date = TODAY) -> list[int]:
    page = privacy.stale_contact_persons(session, w.admin, today=today, page_size=500)
    return [row["id"] for row in page.rows]


def test_the_retention_list_is_exactly_the_persons_past_the_period(
    session: Session, world: W, retention: SimpleNamespace
) -> None:
    expected = sorted(p.id for p in retention.stale)
    # The world's own persons: Liisa and Kalle added today, and one added in 2015.
    expected = sorted([*expected, world.stale_person.id])
    assert stale_ids(session, world) == expected
    rows = privacy.stale_contact_persons(session, world.admin, today=TODAY).rows
    last = {row["first_name"]: row["last_contact"] for row in rows}
    assert last["Eino"] is None
    assert last["Toivo"] == dt.date(2023, 5, 5)
    assert {row["company"] for row in rows} >= {world.home.name}


def test_a_longer_retention_period_lists_fewer(
    session: Session, world: W, retention: SimpleNamespace
) -> None:
    settings.update_settings(session, world.admin, {"retention.years": 5})  # cut-off 22.11.2021
    assert stale_ids(session, world) == sorted(
        [retention.never_contacted.id, world.stale_person.id]
    )


def test_erasing_everyone_past_the_period(
    session: Session, world: W, retention: SimpleNamespace
) -> None:
    stale = [*retention.stale, world.stale_person]
    kept = [
        retention.contacted_on_cutoff,
        retention.contacted_recently,
        retention.added_recently,
        retention.added_on_cutoff,
        world.home_person,
        world.away_person,
    ]
    kept_names = [(p.id, p.first_name, p.email) for p in kept]
    interactions = session.scalar(select(func.count()).select_from(Interaction))

    assert privacy.erase_stale_contact_persons(session, world.admin, today=TODAY) == len(stale)
    session.expire_all()
    for person in stale:
        row = session.get(ContactPerson, person.id)
        assert (row.first_name, row.email, row.anonymised_at is not None) == (
            "Poistettu",
            None,
            True,
        )
    assert [(p.id, p.first_name, p.email) for p in kept] == kept_names
    assert traces(session, "Eino", "Toivo", "Aatu", "Vanha") == []
    assert session.scalar(select(func.count()).select_from(Interaction)) == interactions
    erased = set(
        session.scalars(select(AuditEvent.entity_id).where(AuditEvent.action == AuditAction.ERASE))
    )
    assert erased == {p.id for p in stale}
    assert stale_ids(session, world) == []
    assert privacy.erase_stale_contact_persons(session, world.admin, today=TODAY) == 0


def test_the_retention_list_works_on_a_leap_day(session: Session, world: W) -> None:
    settings.update_settings(session, world.admin, {"retention.years": 3})
    assert privacy.stale_contact_persons(session, world.admin, today=dt.date(2028, 2, 29)).total


# --- Administrators only ---------------------------------------------------------------------

CALLS = {
    "export_person": lambda s, w, u: privacy.export_person(s, u, w.home_person.id),
    "erase_person": lambda s, w, u: privacy.erase_person(s, u, w.home_person.id),
    "stale_contact_persons": lambda s, w, u: privacy.stale_contact_persons(s, u, today=TODAY),
    "erase_stale_contact_persons": lambda s, w, u: privacy.erase_stale_contact_persons(
        s, u, today=TODAY
    ),
    "find_contact_persons": lambda s, w, u: privacy.find_contact_persons(s, u, query="Liisa"),
}


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.PROJECT_MANAGER, Role.LEADERSHIP], ids=str)
@pytest.mark.parametrize("call", list(CALLS))
def test_only_administrators(session: Session, world: W, call: str, role: Role) -> None:
    before = table_counts(session)
    with pytest.raises(Forbidden) as caught:
        CALLS[call](session, world, world.users[role])
    assert caught.value.key == "error.forbidden"
    assert table_counts(session) == before
    home = session.get(ContactPerson, world.home_person.id)
    assert home.first_name == "Liisa"
