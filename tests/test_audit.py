"""The audit trail (issue 6) on SQLite and PostgreSQL: every kind of change is recorded with who,
when, which record and the old and new values, in the same transaction as the change; a refused
or rolled-back write leaves no event; passwords never appear; the trail can be filtered, and a
company's history is shown only to those allowed to see it.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import SQLITE_BEGIN_OPTION
from db.enums import (
    AuditAction,
    Channel,
    FollowUpStatus,
    NeedMet,
    NeedStatus,
    ProjectKind,
    Role,
    Severity,
)
from db.models import AuditEvent, Company, User
from services import (
    audit,
    companies,
    contact_persons,
    contacts,
    duplicates,
    exports,
    follow_ups,
    importing,
    needs,
    participations,
    privacy,
    projects,
    settings,
    users,
)
from services.auth import authenticate
from services.companies import CompanyInput
from services.contact_persons import ContactPersonInput
from services.contacts import ContactInput, FollowUpInput, NeedInput, ReferralInput
from services.errors import DuplicateBusinessId, Forbidden, InvalidCredentials, ValidationError
from services.i18n import translate
from services.participations import ActivityInput
from services.projects import ProjectInput
from services.users import UserInput
from tests import factories as make
from tests.test_security import (
    OTHER_STRONG_PASSWORD,
    STRONG_PASSWORD,
    TODAY,
    build_world,
    table_counts,
)

W = SimpleNamespace


@pytest.fixture
def world(session: Session) -> W:
    return build_world(session)


def last_event_id(session: Session) -> int:
    session.flush()
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def events_since(session: Session, event_id: int) -> list[dict[str, Any]]:
    """The events recorded after `event_id`, oldest first, as plain dicts."""
    session.flush()
    rows = session.execute(
        select(
            AuditEvent.id,
            AuditEvent.occurred_at,
            AuditEvent.user_id,
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_id,
            AuditEvent.changes,
        )
        .where(AuditEvent.id > event_id)
        .order_by(AuditEvent.id)
    ).mappings()
    return [dict(row) for row in rows]


def only(events: list[dict[str, Any]], entity: str, action: str) -> dict[str, Any]:
    found = [e for e in events if e["entity"] == entity and e["action"] == action]
    assert len(found) == 1, (entity, action, events)
    return found[0]


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def company_input(w: W, number: int = 7_900_000, **extra: Any) -> CompanyInput:
    values: dict[str, Any] = {
        "business_id": make.valid_business_id(number),
        "name": "Audit Oy",
        "town_id": w.forssa.id,
        "staff_count": 4,
    }
    values.update(extra)
    return CompanyInput(**values)


# --- Each kind of change ---------------------------------------------------------------------


def test_creating_and_editing_a_company(session: Session, world: W) -> None:
    start, mark = now(), last_event_id(session)
    company = companies.create_company(session, world.advisor, company_input(world))
    created = only(events_since(session, mark), "companies", AuditAction.CREATE)
    assert created["user_id"] == world.advisor.id
    assert created["entity_id"] == company.id
    assert start <= aware(created["occurred_at"]) <= now()
    assert created["changes"]["name"] == {"new": "Audit Oy"}
    assert created["changes"]["business_id"] == {"new": company.business_id}
    assert created["changes"]["town_id"] == {"new": world.forssa.id}
    assert created["changes"]["staff_count"] == {"new": 4}
    assert "created_at" not in created["changes"]

    mark = last_event_id(session)
    companies.update_company(
        session, world.advisor, company.id, company_input(world, name="Audit ja Poika Oy",
                                                          staff_count=60)
    )  # fmt: skip
    events = events_since(session, mark)
    assert len(events) == 1
    updated = events[0]
    assert (updated["action"], updated["entity"], updated["entity_id"], updated["user_id"]) == (
        AuditAction.UPDATE,
        "companies",
        company.id,
        world.advisor.id,
    )
    # Only what changed, with old and new values; bookkeeping (updated_at) left out.
    assert updated["changes"] == {
        "name": {"old": "Audit Oy", "new": "Audit ja Poika Oy"},
        "name_key": {"old": "audit oy", "new": "audit ja poika oy"},
        "staff_count": {"old": 4, "new": 60},
        "size_class": {"old": "micro", "new": "medium"},
    }

    # Saving the same values again records nothing.
    mark = last_event_id(session)
    companies.update_company(
        session, world.advisor, company.id, company_input(world, name="Audit ja Poika Oy",
                                                          staff_count=60)
    )  # fmt: skip
    assert events_since(session, mark) == []


def test_merging_deletes_a_company_with_its_old_values_and_records_the_move(
    session: Session, world: W
) -> None:
    make.interaction(
        session, company=world.twin_b, advisor=world.advisor_row, occurred_on=TODAY, summary="x"
    )
    mark = last_event_id(session)
    moved = duplicates.merge_companies(
        session, world.admin, keep_id=world.twin_a.id, remove_id=world.twin_b.id
    )
    events = events_since(session, mark)
    deleted = only(events, "companies", AuditAction.DELETE)
    assert deleted["entity_id"] == world.twin_b.id
    assert deleted["user_id"] == world.admin.id
    assert deleted["changes"]["name"] == {"old": "KAKSOSET OY"}
    assert deleted["changes"]["business_id"] == {"old": world.twin_b.business_id}
    merged = only(events, "companies", AuditAction.UPDATE)
    assert merged["entity_id"] == world.twin_a.id
    assert merged["changes"]["merged"]["old"]["id"] == world.twin_b.id
    assert merged["changes"]["merged"]["new"] == moved
    assert moved["interactions"] == 1


def test_contact_persons_created_edited_and_removed(session: Session, world: W) -> None:
    mark = last_event_id(session)
    person = contact_persons.add_contact_person(
        session,
        world.advisor,
        world.home.id,
        ContactPersonInput("Maija", "Mehiläinen", email="maija@example.fi"),
    )
    contact_persons.update_contact_person(
        session,
        world.advisor,
        person.id,
        ContactPersonInput("Maija", "Kimalainen", email="maija@example.fi", title="Johtaja"),
    )
    contact_persons.remove_contact_person(session, world.advisor, person.id)
    events = [e for e in events_since(session, mark) if e["entity"] == "contact_persons"]
    assert [e["action"] for e in events] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert {e["entity_id"] for e in events} == {person.id}
    assert {e["user_id"] for e in events} == {world.advisor.id}
    assert events[0]["changes"]["last_name"] == {"new": "Mehiläinen"}
    assert events[0]["changes"]["company_id"] == {"new": world.home.id}
    assert events[1]["changes"] == {
        "last_name": {"old": "Mehiläinen", "new": "Kimalainen"},
        "title": {"old": None, "new": "Johtaja"},
    }
    assert events[2]["changes"]["last_name"] == {"old": "Kimalainen"}
    assert events[2]["changes"]["email"] == {"old": "maija@example.fi"}


def test_logging_a_contact_records_every_part(session: Session, world: W) -> None:
    mark = last_event_id(session)
    logged = contacts.log_contact(
        session,
        world.advisor,
        ContactInput(
            occurred_on=TODAY,
            channel=Channel.VISIT,
            summary="Käytiin tehtaalla.",
            new_company=company_input(world, name="Uusi Tehdas Oy"),
            new_contact_person=ContactPersonInput("Tero", "Tehtailija"),
            needs=(NeedInput(world.category.id, Severity.RED, "Rahoitusta tarvitaan"),),
            follow_up=FollowUpInput("Soita ensi viikolla"),
            referral=ReferralInput(consent=True, partner_id=world.partner.id, need_index=0),
        ),
        today=TODAY,
    )
    events = events_since(session, mark)
    assert {e["user_id"] for e in events} == {world.advisor.id}
    assert {e["action"] for e in events} == {AuditAction.CREATE}
    by_entity = {e["entity"]: e for e in events}
    assert sorted(by_entity) == sorted(
        ["companies", "contact_persons", "interactions", "needs", "follow_ups", "referrals"]
    )
    assert len(events) == 6
    assert by_entity["companies"]["entity_id"] == logged.company_id
    assert by_entity["interactions"]["entity_id"] == logged.interaction_id
    assert by_entity["interactions"]["changes"]["summary"] == {"new": "Käytiin tehtaalla."}
    assert by_entity["interactions"]["changes"]["channel"] == {"new": "visit"}
    assert by_entity["interactions"]["changes"]["occurred_on"] == {"new": TODAY.isoformat()}
    assert by_entity["needs"]["entity_id"] == logged.need_ids[0]
    assert by_entity["needs"]["changes"]["severity"] == {"new": "red"}
    assert by_entity["follow_ups"]["entity_id"] == logged.follow_up_id
    assert by_entity["referrals"]["entity_id"] == logged.referral_id


def test_need_status_changes_and_referrals(session: Session, world: W) -> None:
    mark = last_event_id(session)
    needs.change_need_status(
        session, world.advisor, world.home_need.id, status=NeedStatus.MET, today=TODAY,
        note="Rahoitus järjestyi",
    )  # fmt: skip
    event = only(events_since(session, mark), "needs", AuditAction.UPDATE)
    assert event["entity_id"] == world.home_need.id
    assert event["user_id"] == world.advisor.id
    assert event["changes"]["status"] == {"old": "open", "new": "met"}
    assert event["changes"]["resolved_on"] == {"old": None, "new": TODAY.isoformat()}
    assert event["changes"]["resolution_note"] == {"old": None, "new": "Rahoitus järjestyi"}

    mark = last_event_id(session)
    referral = needs.refer_need(
        session, world.users[Role.PROJECT_MANAGER], world.away_need.id, consent=True,
        today=TODAY, partner_id=world.partner.id,
    )  # fmt: skip
    events = events_since(session, mark)
    assert only(events, "referrals", AuditAction.CREATE)["entity_id"] == referral.id
    moved = only(events, "needs", AuditAction.UPDATE)
    assert moved["changes"] == {"status": {"old": "open", "new": "in_progress"}}
    assert {e["user_id"] for e in events} == {world.pm_row.id}


def test_follow_ups_completed_rescheduled_reassigned_and_cancelled(
    session: Session, world: W
) -> None:
    follow_up = world.home_follow_up
    due = follow_up.due_on
    later = TODAY + dt.timedelta(days=40)

    mark = last_event_id(session)
    follow_ups.reschedule_follow_up(session, world.advisor, follow_up.id, due_on=later, today=TODAY)
    assert only(events_since(session, mark), "follow_ups", AuditAction.UPDATE)["changes"] == {
        "due_on": {"old": due.isoformat(), "new": later.isoformat()}
    }

    mark = last_event_id(session)
    follow_ups.reassign_follow_up(session, world.advisor, follow_up.id, owner_id=world.pm_row.id)
    assert only(events_since(session, mark), "follow_ups", AuditAction.UPDATE)["changes"] == {
        "owner_id": {"old": world.other_advisor_row.id, "new": world.pm_row.id}
    }

    mark = last_event_id(session)
    follow_ups.complete_follow_up(session, world.advisor, follow_up.id, today=TODAY)
    event = only(events_since(session, mark), "follow_ups", AuditAction.UPDATE)
    assert event["entity_id"] == follow_up.id
    assert event["user_id"] == world.advisor.id
    assert event["changes"] == {
        "status": {"old": "open", "new": "done"},
        "done_on": {"old": None, "new": TODAY.isoformat()},
    }

    mark = last_event_id(session)
    follow_ups.cancel_follow_up(session, world.admin, world.away_follow_up.id)
    event = only(events_since(session, mark), "follow_ups", AuditAction.UPDATE)
    assert event["changes"] == {"status": {"old": "open", "new": FollowUpStatus.CANCELLED}}
    assert event["user_id"] == world.admin.id


def test_projects_created_and_edited_with_towns_added_and_removed(
    session: Session, world: W
) -> None:
    other = make.category(session, "workforce")
    mark = last_event_id(session)
    created = projects.create_project(
        session,
        world.admin,
        ProjectInput(
            name="Audit-hanke",
            kind=ProjectKind.THEMATIC_NETWORK,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            town_ids=(world.forssa.id,),
            category_ids=(world.category.id,),
            manager_id=world.pm_row.id,
        ),
    )
    event = only(events_since(session, mark), "projects", AuditAction.CREATE)
    assert event["entity_id"] == created.id
    assert event["changes"]["name"] == {"new": "Audit-hanke"}
    assert event["changes"]["manager_id"] == {"new": world.pm_row.id}

    mark = last_event_id(session)
    project = world.own_project  # towns Forssa and Loimaa
    projects.update_project(
        session,
        world.users[Role.PROJECT_MANAGER],
        project.id,
        ProjectInput(
            name="Oma verkostohanke 2",
            kind=ProjectKind.REGIONAL_NETWORK,
            starts_on=project.starts_on,
            ends_on=dt.date(2028, 6, 30),
            town_ids=(world.forssa.id, world.tammela.id),
            category_ids=(other.id,),
            manager_id=world.pm_row.id,
            target_companies=40,
        ),
    )
    event = only(events_since(session, mark), "projects", AuditAction.UPDATE)
    assert event["user_id"] == world.pm_row.id
    assert event["changes"] == {
        "name": {"old": "Oma verkostohanke", "new": "Oma verkostohanke 2"},
        "ends_on": {"old": "2027-12-31", "new": "2028-06-30"},
        "target_companies": {"old": None, "new": 40},
        "towns": {"added": [world.tammela.id], "removed": [world.loimaa.id]},
        "categories": {"added": [other.id], "removed": [world.category.id]},
    }


def test_participations_and_feedback(session: Session, world: W) -> None:
    pm = world.users[Role.PROJECT_MANAGER]
    mark = last_event_id(session)
    participation = participations.record_participation(
        session,
        pm,
        ActivityInput(world.own_project.id, "workshop", TODAY, activity_name="Työpaja"),
        company_id=world.home.id,
        need_id=world.home_need.id,
    )
    created = only(events_since(session, mark), "participations", AuditAction.CREATE)
    assert created["entity_id"] == participation.id
    assert created["user_id"] == world.pm_row.id
    assert created["changes"]["activity_name"] == {"new": "Työpaja"}

    mark = last_event_id(session)
    participations.add_feedback(
        session, pm, participation.id, feedback_score=5, need_met=NeedMet.YES, today=TODAY
    )
    events = events_since(session, mark)
    feedback = only(events, "participations", AuditAction.UPDATE)
    assert feedback["changes"] == {
        "feedback_score": {"old": None, "new": 5},
        "need_met": {"old": None, "new": "yes"},
    }
    need = only(events, "needs", AuditAction.UPDATE)
    assert need["entity_id"] == world.home_need.id
    assert need["changes"]["status"] == {"old": "open", "new": "met"}
    assert need["changes"]["addressed_by_project_id"] == {
        "old": None,
        "new": world.own_project.id,
    }

    mark = last_event_id(session)
    result = participations.record_attendance(
        session,
        pm,
        ActivityInput(world.own_project.id, "training", TODAY),
        company_ids=[world.home.id, world.away.id],
    )
    events = events_since(session, mark)
    assert result.saved == 2
    assert [(e["entity"], e["action"]) for e in events] == [
        ("participations", AuditAction.CREATE)
    ] * 2


def test_settings_changes(session: Session, world: W) -> None:
    mark = last_event_id(session)
    settings.update_settings(session, world.admin, {"retention.years": 3})
    created = only(events_since(session, mark), "settings", AuditAction.CREATE)
    assert created["user_id"] == world.admin.id
    assert created["changes"]["key"] == {"new": "retention.years"}
    assert created["changes"]["value"] == {"new": 3}

    mark = last_event_id(session)
    settings.update_settings(session, world.admin, {"retention.years": 7})
    updated = only(events_since(session, mark), "settings", AuditAction.UPDATE)
    assert updated["changes"]["value"] == {"old": 3, "new": 7}
    assert updated["user_id"] == world.admin.id


def test_an_updated_settings_event_says_which_setting(session: Session, world: W) -> None:
    settings.update_settings(
        session, world.admin, {"retention.years": 3, "session.idle_minutes": 30}
    )
    mark = last_event_id(session)
    settings.update_settings(session, world.admin, {"retention.years": 7})
    updated = only(events_since(session, mark), "settings", AuditAction.UPDATE)
    assert "retention.years" in json.dumps(updated["changes"]) or updated["entity_id"] is not None


def test_users_created_edited_disabled_and_given_a_new_password(session: Session, world: W) -> None:
    mark = last_event_id(session)
    account = users.create_user(
        session,
        world.admin,
        UserInput("uusi.neuvoja", "Uusi Neuvoja", "uusi.neuvoja@example.fi", Role.ADVISOR,
                  town_ids=(world.forssa.id,)),
        password=STRONG_PASSWORD,
    )  # fmt: skip
    created = only(events_since(session, mark), "users", AuditAction.CREATE)
    assert created["entity_id"] == account.id
    assert created["user_id"] == world.admin.id
    assert created["changes"]["username"] == {"new": "uusi.neuvoja"}
    assert created["changes"]["role"] == {"new": "advisor"}
    assert created["changes"]["password_hash"] == {"new": "***"}
    first_hash = account.password_hash

    mark = last_event_id(session)
    users.update_user(
        session,
        world.admin,
        account.id,
        UserInput("uusi.neuvoja", "Uusi Neuvoja", "uusi.neuvoja@example.fi",
                  Role.PROJECT_MANAGER, town_ids=(world.loimaa.id,)),
    )  # fmt: skip
    # One save may be flushed in two steps (the home towns are looked up after the other
    # fields are set): together its events hold exactly what changed.
    updated: dict[str, Any] = {}
    for event in events_since(session, mark):
        assert (event["action"], event["entity"], event["entity_id"]) == (
            AuditAction.UPDATE,
            "users",
            account.id,
        )
        updated.update(event["changes"])
    assert updated == {
        "role": {"old": "advisor", "new": "project_manager"},
        "towns": {"added": [world.loimaa.id], "removed": [world.forssa.id]},
    }

    mark = last_event_id(session)
    users.set_user_active(session, world.admin, account.id, active=False)
    users.set_user_active(session, world.admin, account.id, active=True)
    toggles = [e["changes"] for e in events_since(session, mark)]
    assert toggles == [
        {"is_active": {"old": True, "new": False}},
        {"is_active": {"old": False, "new": True}},
    ]

    mark = last_event_id(session)
    users.reset_password(session, world.admin, account.id, password=OTHER_STRONG_PASSWORD)
    reset = only(events_since(session, mark), "users", AuditAction.UPDATE)
    assert reset["changes"] == {"password_hash": {"changed": True}}
    assert reset["user_id"] == world.admin.id
    second_hash = session.get(User, account.id).password_hash
    assert second_hash != first_hash

    mark = last_event_id(session)
    users.set_language(session, make.signed_in(session, account), "en")
    language = only(events_since(session, mark), "users", AuditAction.UPDATE)
    assert language["user_id"] == account.id
    assert language["changes"] == {"language": {"old": "fi", "new": "en"}}

    # No hash, nor any part of one, anywhere in the trail.
    trail = json.dumps(list(session.scalars(select(AuditEvent.changes))), ensure_ascii=False)
    for secret in (first_hash, second_hash, first_hash.split("$")[-1], second_hash.split("$")[-1]):
        assert secret not in trail
    assert "$argon2" not in trail
    assert STRONG_PASSWORD not in trail
    assert OTHER_STRONG_PASSWORD not in trail
    assert audit.describe(reset["changes"]) == "password_hash: ***"


def test_a_created_users_home_towns_are_recorded(session: Session, world: W) -> None:
    mark = last_event_id(session)
    users.create_user(
        session,
        world.admin,
        UserInput("uusi.neuvoja", "Uusi Neuvoja", "uusi.neuvoja@example.fi", Role.ADVISOR,
                  town_ids=(world.forssa.id, world.tammela.id)),
        password=STRONG_PASSWORD,
    )  # fmt: skip
    created = only(events_since(session, mark), "users", AuditAction.CREATE)
    assert "towns" in created["changes"]
    assert sorted([world.forssa.id, world.tammela.id]) == sorted(
        created["changes"]["towns"].get("added", created["changes"]["towns"].get("new", []))
    )


def test_sign_ins_are_recorded_without_the_password(session: Session, world: W) -> None:
    mark = last_event_id(session)
    name = world.other_advisor_row.username
    with pytest.raises(InvalidCredentials):
        authenticate(session, username=name, password="väärä-salasana-1")
    authenticate(session, username=name, password=make.PASSWORD)
    events = events_since(session, mark)
    assert [(e["action"], e["entity_id"], e["user_id"]) for e in events] == [
        (AuditAction.LOGIN_FAILED, world.other_advisor_row.id, world.other_advisor_row.id),
        (AuditAction.LOGIN, world.other_advisor_row.id, world.other_advisor_row.id),
    ]
    assert "väärä-salasana-1" not in json.dumps([e["changes"] for e in events])


def test_imports_exports_and_erasures_are_recorded(session: Session, world: W) -> None:
    mark = last_event_id(session)
    rows = [
        {"Y-tunnus": make.valid_business_id(number), "Nimi": name, "Kotikunta": town}
        for number, name, town in (
            (7_910_000, "Tuotu A", "Forssa"),
            (7_920_000, "Tuotu B", "Loimaa"),
        )
    ]
    table = importing.Table(headers=["Y-tunnus", "Nimi", "Kotikunta"], rows=rows)
    checked = importing.check_rows(
        session, world.admin, "companies", table, importing.auto_mapping("companies", table.headers)
    )
    importing.import_rows(session, world.admin, checked)
    exports.full_export_zip(session, world.admin)
    privacy.export_person(session, world.admin, world.home_person.id)
    privacy.erase_person(session, world.admin, world.home_person.id)
    events = events_since(session, mark)
    assert {e["user_id"] for e in events} == {world.admin.id}
    imported = [e for e in events if e["entity"] == "companies"]
    assert [e["action"] for e in imported] == [AuditAction.CREATE] * 2
    assert {e["changes"]["name"]["new"] for e in imported} == {"Tuotu A", "Tuotu B"}
    full = only(events, "all", AuditAction.EXPORT)
    assert (full["entity_id"], full["changes"]) == (None, None)
    person = only(events, "contact_persons", AuditAction.EXPORT)
    assert (person["entity_id"], person["changes"]) == (world.home_person.id, None)
    erased = only(events, "contact_persons", AuditAction.ERASE)
    assert (erased["entity_id"], erased["changes"]) == (world.home_person.id, None)


# --- The same transaction --------------------------------------------------------------------


def test_events_are_written_in_the_changes_own_transaction(
    engine: Engine, session: Session, world: W
) -> None:
    company = companies.create_company(session, world.advisor, company_input(world))
    session.flush()
    mine = select(func.count()).where(
        AuditEvent.entity == "companies", AuditEvent.entity_id == company.id
    )
    assert session.scalar(mine) == 1
    # Another connection sees neither the company nor its event before the commit.
    reader = engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
    with reader.connect() as other:
        assert other.scalar(select(func.count()).where(Company.id == company.id)) == 0
        assert other.scalar(mine) == 0


def test_a_rolled_back_write_leaves_no_event(session: Session, world: W) -> None:
    before = table_counts(session)
    written: list[int] = []

    def request() -> None:
        with session.begin_nested():
            company = companies.create_company(session, world.advisor, company_input(world))
            contact_persons.add_contact_person(
                session, world.advisor, company.id, ContactPersonInput("Rolf", "Takaisin")
            )
            written.append(table_counts(session)["audit_events"])
            raise RuntimeError("the request failed after the writes")

    with pytest.raises(RuntimeError):
        request()
    assert written == [before["audit_events"] + 2]
    assert table_counts(session) == before


@pytest.mark.parametrize(
    "refused",
    [
        "duplicate_business_id",
        "bad_contact",
        "forbidden",
        "weak_password",
        "closed_follow_up",
    ],
)
def test_a_refused_write_leaves_no_event(session: Session, world: W, refused: str) -> None:
    calls = {
        "duplicate_business_id": lambda: companies.create_company(
            session, world.advisor, company_input(world, 0, business_id=world.home.business_id)
        ),
        "bad_contact": lambda: contacts.log_contact(
            session,
            world.advisor,
            ContactInput(
                occurred_on=TODAY,
                channel=Channel.VISIT,
                summary="Hyvä",
                new_company=company_input(world),
                new_contact_person=ContactPersonInput("Ok", "Henkilö"),
                needs=(NeedInput(world.category.id, "purple", "Väärä väri"),),
            ),
            today=TODAY,
        ),
        "forbidden": lambda: companies.update_company(
            session,
            world.advisor,
            world.away.id,
            company_input(world, business_id=world.away.business_id, town_id=world.loimaa.id),
        ),
        "weak_password": lambda: users.reset_password(
            session, world.admin, world.pm_row.id, password="salasana"
        ),
        "closed_follow_up": lambda: follow_ups.complete_follow_up(
            session, world.advisor, world.own_follow_ups[Role.ADVISOR].id, today=TODAY
        ),
    }
    if refused == "closed_follow_up":
        follow_ups.cancel_follow_up(session, world.advisor, world.own_follow_ups[Role.ADVISOR].id)
    before = table_counts(session)
    with pytest.raises((ValidationError, DuplicateBusinessId, Forbidden)):
        calls[refused]()
    assert table_counts(session) == before


# --- Reading the trail -----------------------------------------------------------------------


def test_list_events_filters_and_pages(session: Session, world: W) -> None:
    company = companies.create_company(session, world.advisor, company_input(world))
    companies.update_company(
        session, world.admin, company.id, company_input(world, name="Toinen nimi")
    )
    follow_ups.complete_follow_up(session, world.admin, world.away_follow_up.id, today=TODAY)
    settings.update_settings(session, world.admin, {"retention.years": 4})
    session.flush()
    admin = world.admin

    everything = audit.list_events(session, admin, page_size=500)
    assert everything.total == 4
    assert [row["entity"] for row in everything.rows] == [
        "settings",
        "follow_ups",
        "companies",
        "companies",
    ]  # newest first
    assert everything.rows[-1]["actor"] == "Aino Neuvoja"
    assert everything.rows[0]["actor"] == "Frans Ylläpito"

    by_entity = audit.list_events(session, admin, entity="companies")
    assert by_entity.total == 2
    assert {row["entity_id"] for row in by_entity.rows} == {company.id}
    by_id = audit.list_events(
        session, admin, entity="follow_ups", entity_id=world.away_follow_up.id
    )
    assert by_id.total == 1
    by_actor = audit.list_events(session, admin, actor_id=world.advisor.id)
    assert [row["action"] for row in by_actor.rows] == [AuditAction.CREATE]
    updates = audit.list_events(session, admin, action=AuditAction.UPDATE)
    assert {row["entity"] for row in updates.rows} == {"companies", "follow_ups"}
    today = now().date()  # the trail's days are UTC days
    assert audit.list_events(session, admin, since=today).total == 4
    assert audit.list_events(session, admin, since=today + dt.timedelta(days=1)).total == 0
    first = audit.list_events(session, admin, page=1, page_size=3)
    second = audit.list_events(session, admin, page=2, page_size=3)
    assert (len(first.rows), len(second.rows), first.page_count) == (3, 1, 2)
    assert second.rows[0]["id"] == everything.rows[-1]["id"]

    for role in (Role.ADVISOR, Role.PROJECT_MANAGER, Role.LEADERSHIP):
        with pytest.raises(Forbidden):
            audit.list_events(session, world.users[role])


def test_company_history_holds_the_company_and_its_records_only(session: Session, world: W) -> None:
    w = world
    companies.update_company(
        session, w.advisor, w.home.id, company_input(w, business_id=w.home.business_id,
                                                     name="Kotikylän Kone Oy")
    )  # fmt: skip
    person = contact_persons.add_contact_person(
        session, w.advisor, w.home.id, ContactPersonInput("Hilkka", "Historia")
    )
    logged = contacts.log_contact(
        session,
        w.advisor,
        ContactInput(
            occurred_on=TODAY,
            channel=Channel.PHONE,
            summary="Puhelu",
            company_id=w.home.id,
            needs=(NeedInput(w.category.id, Severity.GREEN, "Koulutus"),),
            follow_up=FollowUpInput("Lähetä tarjous"),
            referral=ReferralInput(consent=True, partner_id=w.partner.id),
        ),
        today=TODAY,
    )
    # Elsewhere: another company's changes.
    companies.update_company(
        session, w.admin, w.away.id, company_input(w, business_id=w.away.business_id,
                                                   town_id=w.loimaa.id, name="Muu Oy")
    )  # fmt: skip
    contacts.log_contact(
        session, w.admin,
        ContactInput(occurred_on=TODAY, channel=Channel.EMAIL, summary="Muu", company_id=w.away.id),
        today=TODAY,
    )  # fmt: skip
    session.flush()

    history = audit.company_history(session, w.advisor, w.home.id, page_size=100)
    seen = {(row["entity"], row["entity_id"]) for row in history.rows}
    assert seen == {
        ("companies", w.home.id),
        ("contact_persons", person.id),
        ("interactions", logged.interaction_id),
        ("needs", logged.need_ids[0]),
        ("follow_ups", logged.follow_up_id),
        ("referrals", logged.referral_id),
    }
    assert {row["actor"] for row in history.rows} == {"Aino Neuvoja"}
    occurred = [row["occurred_at"] for row in history.rows]
    assert occurred == sorted(occurred, reverse=True)


def test_who_may_read_a_companys_history(session: Session, world: W) -> None:
    away = company_input(world, business_id=world.away.business_id, town_id=world.loimaa.id)
    companies.update_company(session, world.admin, world.away.id, away)
    for role in (Role.LEADERSHIP, Role.ADMIN):
        assert audit.company_history(session, world.users[role], world.away.id).total == 1
    with pytest.raises(Forbidden) as caught:
        audit.company_history(session, world.advisor, world.away.id)
    assert caught.value.key == "error.forbidden_town"
    with pytest.raises(Forbidden) as caught:
        audit.company_history(session, world.users[Role.PROJECT_MANAGER], world.away.id)
    assert caught.value.key == "error.forbidden"
    # The advisor of Loimaa may.
    loimaa = make.signed_in(session, world.other_advisor_row)
    assert audit.company_history(session, loimaa, world.away.id).total == 1


def test_a_removed_contact_person_stays_in_the_companys_history(session: Session, world: W) -> None:
    person = contact_persons.add_contact_person(
        session, world.advisor, world.home.id, ContactPersonInput("Poistuva", "Henkilö")
    )
    contact_persons.remove_contact_person(session, world.advisor, person.id)
    session.flush()
    history = audit.company_history(session, world.advisor, world.home.id)
    assert {(row["entity"], row["action"]) for row in history.rows} >= {
        ("contact_persons", AuditAction.CREATE),
        ("contact_persons", AuditAction.DELETE),
    }


def test_describe_reads_each_kind_of_change() -> None:
    assert audit.describe(None) == ""
    assert audit.describe({}) == ""
    assert (
        audit.describe(
            {
                "name": {"old": "A Oy", "new": "B Oy"},
                "towns": {"added": [3], "removed": [1, 2]},
                "password_hash": {"changed": True},
                "website": {"new": "a.fi"},
                "email": {"old": "x@y.fi"},
            }
        )
        == "name: A Oy → B Oy; towns: +[3] −[1, 2]; password_hash: ***; website: a.fi; "
        "email: x@y.fi"
    )


def test_every_entity_in_the_trail_has_a_name_in_both_languages(session: Session, world: W) -> None:
    companies.create_company(session, world.advisor, company_input(world))
    exports.full_export_zip(session, world.admin)
    privacy.export_person(session, world.admin, world.home_person.id)
    settings.update_settings(session, world.admin, {"retention.years": 4})
    users.set_language(session, world.advisor, "en")
    session.flush()
    entities = set(session.scalars(select(AuditEvent.entity).distinct()))
    assert {"companies", "all", "contact_persons", "settings", "users"} <= entities
    for entity in entities:
        for language in ("fi", "en"):
            assert translate(f"entity.{entity}", language) != f"entity.{entity}", entity
