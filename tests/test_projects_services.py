"""Projects and participation in the service layer: who may do what, and what is refused.

Runs on SQLite and PostgreSQL through the rolled-back `session` fixture.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import ActivityType, NeedMet, NeedStatus, ParticipationRole, ProjectKind, Role
from db.models import Participation, Project
from services import need_fit as nf
from services.errors import Forbidden, NotFound, ValidationError
from services.participations import (
    ActivityInput,
    AttendanceResult,
    add_feedback,
    record_attendance,
    record_participation,
)
from services.projects import (
    ProjectInput,
    create_project,
    list_projects,
    may_edit_project,
    project_details,
    update_project,
)
from tests import factories as make

TODAY = dt.date(2026, 11, 22)
D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    w = SimpleNamespace()
    region = make.region(session, code="02", name="Varsinais-Suomi")
    w.salo = make.town(session, "Salo", region=region)
    w.loimaa = make.town(session, "Loimaa", region=region)
    w.workforce = make.category(session, "workforce", sort_order=1)
    w.training = make.category(session, "training", sort_order=2)

    w.admin = make.user(session, role=Role.ADMIN, full_name="Eino Ylläpito")
    w.pm = make.user(session, role=Role.PROJECT_MANAGER, full_name="Cecilia Hanke")
    w.pm2 = make.user(session, role=Role.PROJECT_MANAGER, full_name="Pekka Toinen")
    w.advisor = make.user(session, role=Role.ADVISOR, full_name="Aino Neuvoja", towns=[w.salo])
    w.leader = make.user(session, role=Role.LEADERSHIP, full_name="Daniel Johto")

    w.P = make.project(
        session, "Osaajasilta Salo", starts_on=START, ends_on=END, towns=[w.salo],
        categories=[w.workforce], manager=w.pm, target_companies=30,
    )  # fmt: skip
    w.Q = make.project(
        session, "Loimaan verkosto", starts_on=START, ends_on=END, towns=[w.loimaa],
        categories=[w.training], manager=w.pm2,
    )  # fmt: skip

    w.c1 = make.company(session, "Salon Konepaja Oy", town=w.salo, business_id="0737546-2")
    w.c2 = make.company(session, "Salon Leipomo Oy", town=w.salo, business_id="1572860-0")
    w.c3 = make.company(session, "Loimaan Kuljetus Oy", town=w.loimaa, business_id="0737000-4")

    def need(company, category, identified_on, status=NeedStatus.OPEN, by=None):  # type: ignore[no-untyped-def]
        return make.need(
            session, company=company, category=category, identified_on=identified_on,
            status=status, addressed_by=by,
            resolved_on=identified_on if status in (NeedStatus.MET, NeedStatus.NOT_MET) else None,
        )  # fmt: skip

    w.n_open = need(w.c1, w.workforce, D(2026, 2, 1))
    w.n_busy = need(w.c1, w.training, D(2026, 3, 1), NeedStatus.IN_PROGRESS)
    w.n_met_by_q = need(w.c1, w.training, D(2026, 1, 15), NeedStatus.MET, w.Q)
    w.n_not_met = need(w.c1, w.workforce, D(2026, 1, 20), NeedStatus.NOT_MET)
    w.n_withdrawn = need(w.c1, w.workforce, D(2026, 1, 25), NeedStatus.WITHDRAWN)
    w.n_late = need(w.c1, w.workforce, D(2026, 12, 1))  # identified after TODAY
    w.n_other = need(w.c2, w.workforce, D(2026, 2, 1))

    for name in ("admin", "pm", "pm2", "advisor", "leader"):
        setattr(w, f"as_{name}", make.signed_in(session, getattr(w, name)))
    return w


def project_input(w, **changes) -> ProjectInput:  # type: ignore[no-untyped-def]
    data = ProjectInput(
        name="Uusi hanke 2026",
        kind=ProjectKind.THEMATIC_NETWORK,
        starts_on=D(2026, 3, 1),
        ends_on=D(2027, 2, 28),
        town_ids=(w.salo.id, w.loimaa.id),
        category_ids=(w.workforce.id,),
        manager_id=w.pm.id,
        target_companies=12,
        description="  Kuvaus  ",
    )
    return dataclasses.replace(data, **changes)


def same_as(w, project: Project, **changes) -> ProjectInput:  # type: ignore[no-untyped-def]
    """The project's current facts as a form would send them back, with some changes."""
    data = ProjectInput(
        name=project.name,
        kind=project.kind,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        town_ids=tuple(town.id for town in project.towns),
        category_ids=tuple(category.id for category in project.categories),
        manager_id=project.manager_id,
        target_companies=project.target_companies,
        description=project.description,
    )
    return dataclasses.replace(data, **changes)


# --- Creating projects ----------------------------------------------------------------------


def test_an_admin_creates_a_project(session: Session, w) -> None:
    project = create_project(session, w.as_admin, project_input(w))
    assert project.id is not None
    facts = project_details(session, w.as_admin, project.id)
    assert facts == {
        "id": project.id,
        "name": "Uusi hanke 2026",
        "kind": "thematic_network",
        "description": "Kuvaus",
        "starts_on": D(2026, 3, 1),
        "ends_on": D(2027, 2, 28),
        "manager_id": w.pm.id,
        "manager": "Cecilia Hanke",
        "target_companies": 12,
        "town_ids": facts["town_ids"],
        "towns": ["Loimaa", "Salo"],
        "category_ids": [w.workforce.id],
        "can_edit": True,
    }
    assert sorted(facts["town_ids"]) == sorted([w.salo.id, w.loimaa.id])
    assert project_details(session, w.as_pm, project.id)["can_edit"] is True  # its manager
    assert project_details(session, w.as_pm2, project.id)["can_edit"] is False
    assert project_details(session, w.as_advisor, project.id)["can_edit"] is False


def test_a_project_may_have_no_manager_and_last_one_day(session: Session, w) -> None:
    project = create_project(
        session,
        w.as_admin,
        project_input(w, manager_id=None, starts_on=TODAY, ends_on=TODAY, target_companies=None),
    )
    facts = project_details(session, w.as_leader, project.id)
    assert (facts["manager"], facts["starts_on"], facts["ends_on"]) == (None, TODAY, TODAY)
    assert facts["description"] == "Kuvaus"


@pytest.mark.parametrize("who", ["pm", "advisor", "leader"])
def test_only_an_admin_creates_projects(session: Session, w, who: str) -> None:
    before = session.scalar(select(func.count()).select_from(Project))
    with pytest.raises(Forbidden):
        create_project(session, getattr(w, f"as_{who}"), project_input(w))
    assert session.scalar(select(func.count()).select_from(Project)) == before


@pytest.mark.parametrize(
    ("changes", "key", "field"),
    [
        ({"name": "   "}, "error.required", "name"),
        ({"name": "x" * 201}, "error.text.too_long", "name"),
        ({"kind": "network"}, "error.project.kind", "kind"),
        ({"ends_on": D(2026, 2, 28)}, "error.project.period", "ends_on"),  # a day before start
        ({"town_ids": ()}, "error.project.towns", "towns"),
        ({"category_ids": ()}, "error.project.categories", "categories"),
        ({"target_companies": -1}, "error.project.target", "target_companies"),
        ({"target_companies": 1_000_001}, "error.project.target", "target_companies"),
        ({"name": "Osaajasilta Salo"}, "error.project.duplicate_name", "name"),
        ({"name": "  Osaajasilta Salo "}, "error.project.duplicate_name", "name"),
        ({"description": "a\x00b"}, "error.text.control_characters", "description"),
    ],
)
def test_project_input_is_validated(session: Session, w, changes, key: str, field: str) -> None:  # type: ignore[no-untyped-def]
    before = session.scalar(select(func.count()).select_from(Project))
    with pytest.raises(ValidationError) as caught:
        create_project(session, w.as_admin, project_input(w, **changes))
    assert (caught.value.key, caught.value.field) == (key, field)
    assert session.scalar(select(func.count()).select_from(Project)) == before


def test_unknown_towns_categories_and_managers_are_refused(session: Session, w) -> None:
    missing = w.salo.id + w.loimaa.id + 1000
    for changes, key in [
        ({"town_ids": (w.salo.id, missing)}, "error.project.unknown_reference"),
        ({"category_ids": (missing,)}, "error.project.unknown_reference"),
        ({"manager_id": w.advisor.id}, "error.project.manager"),
        ({"manager_id": w.leader.id}, "error.project.manager"),
        ({"manager_id": w.pm.id + w.pm2.id + w.admin.id + 1000}, "error.project.manager"),
    ]:
        with pytest.raises(ValidationError) as caught:
            create_project(session, w.as_admin, project_input(w, **changes))
        assert caught.value.key == key, changes
    # An admin may manage a project too.
    assert create_project(session, w.as_admin, project_input(w, manager_id=w.admin.id)).id


# --- Editing projects ---------------------------------------------------------------------------


def test_a_project_manager_edits_their_own_project(session: Session, w) -> None:
    changed = same_as(
        w, w.P, name="Osaajasilta Salo ja Loimaa", town_ids=(w.salo.id, w.loimaa.id),
        category_ids=(w.workforce.id, w.training.id), ends_on=D(2027, 6, 30),
    )  # fmt: skip
    update_project(session, w.as_pm, w.P.id, changed)
    facts = project_details(session, w.as_pm, w.P.id)
    assert facts["name"] == "Osaajasilta Salo ja Loimaa"
    assert facts["towns"] == ["Loimaa", "Salo"]
    assert sorted(facts["category_ids"]) == sorted([w.workforce.id, w.training.id])
    assert (facts["ends_on"], facts["manager_id"]) == (D(2027, 6, 30), w.pm.id)
    # Saving again under its own name is not a duplicate.
    update_project(session, w.as_pm, w.P.id, same_as(w, w.P, description="Uusi kuvaus"))
    assert project_details(session, w.as_pm, w.P.id)["description"] == "Uusi kuvaus"


def test_a_project_manager_may_not_edit_another_managers_project(session: Session, w) -> None:
    with pytest.raises(Forbidden) as caught:
        update_project(session, w.as_pm, w.Q.id, same_as(w, w.Q, name="Kaapattu"))
    assert caught.value.key == "error.forbidden_project"
    session.refresh(w.Q)
    assert w.Q.name == "Loimaan verkosto"


@pytest.mark.parametrize("new_manager", ["pm2", "admin", None])
def test_a_project_manager_may_not_hand_the_project_on(session: Session, w, new_manager) -> None:  # type: ignore[no-untyped-def]
    manager_id = None if new_manager is None else getattr(w, new_manager).id
    with pytest.raises(Forbidden) as caught:
        update_project(session, w.as_pm, w.P.id, same_as(w, w.P, manager_id=manager_id))
    assert caught.value.key == "error.forbidden_project_manager"
    session.refresh(w.P)
    assert w.P.manager_id == w.pm.id


@pytest.mark.parametrize("who", ["advisor", "leader"])
def test_advisors_and_leaders_edit_no_project(session: Session, w, who: str) -> None:
    with pytest.raises(Forbidden):
        update_project(session, getattr(w, f"as_{who}"), w.P.id, same_as(w, w.P, name="X"))


def test_an_admin_edits_any_project_and_changes_its_manager(session: Session, w) -> None:
    update_project(session, w.as_admin, w.Q.id, same_as(w, w.Q, manager_id=w.pm.id))
    assert project_details(session, w.as_pm, w.Q.id)["can_edit"] is True
    assert project_details(session, w.as_pm2, w.Q.id)["can_edit"] is False
    update_project(session, w.as_admin, w.Q.id, same_as(w, w.Q, manager_id=None))
    # The app reads in a new session after each write; here the loaded `manager` relationship
    # must be read afresh after its foreign key changed.
    session.expire_all()
    assert project_details(session, w.as_admin, w.Q.id)["manager"] is None


def test_editing_is_validated_like_creating(session: Session, w) -> None:
    for changes, key in [
        ({"name": "Loimaan verkosto"}, "error.project.duplicate_name"),
        ({"ends_on": D(2025, 12, 31)}, "error.project.period"),
        ({"town_ids": ()}, "error.project.towns"),
        ({"category_ids": ()}, "error.project.categories"),
    ]:
        with pytest.raises(ValidationError) as caught:
            update_project(session, w.as_pm, w.P.id, same_as(w, w.P, **changes))
        assert caught.value.key == key
    with pytest.raises(NotFound):
        update_project(session, w.as_admin, w.P.id + w.Q.id + 1000, same_as(w, w.P))


def test_a_refused_edit_changes_nothing(session: Session, w) -> None:
    with pytest.raises(ValidationError):
        update_project(
            session, w.as_pm, w.P.id, same_as(w, w.P, name="Muutettu", description="x" * 4001)
        )
    assert w.P.name == "Osaajasilta Salo"


def test_who_may_edit_a_project(session: Session, w) -> None:
    users = [getattr(w, f"as_{who}") for who in ("admin", "pm", "pm2", "advisor", "leader")]
    assert [may_edit_project(user, w.P) for user in users] == [True, True, False, False, False]
    assert may_edit_project(w.as_pm2, w.Q) is True


def test_project_details_and_listing(session: Session, w) -> None:
    with pytest.raises(NotFound):
        project_details(session, w.as_advisor, w.P.id + w.Q.id + 1000)
    make.participation(session, project=w.P, company=w.c1, occurred_on=D(2026, 2, 1))
    make.participation(
        session, project=w.P, company=w.c1, occurred_on=D(2026, 3, 1), feedback_score=4
    )
    make.participation(
        session, project=w.P, company=w.c2, occurred_on=D(2026, 3, 1), feedback_score=5
    )
    mine = {w.P.id, w.Q.id}
    rows = [r for r in list_projects(session, w.as_advisor, page_size=500).rows if r["id"] in mine]
    by_id = {row["id"]: row for row in rows}
    assert (by_id[w.P.id]["companies"], by_id[w.P.id]["participations"]) == (2, 3)
    assert by_id[w.P.id]["mean_feedback"] == 4.5
    assert (by_id[w.Q.id]["companies"], by_id[w.Q.id]["mean_feedback"]) == (0, None)
    assert by_id[w.P.id]["towns"] == "Salo"
    assert by_id[w.P.id]["manager"] == "Cecilia Hanke"
    in_loimaa = list_projects(session, w.as_advisor, town_id=w.loimaa.id, page_size=500)
    assert [row["id"] for row in in_loimaa.rows] == [w.Q.id]


# --- One participation at a time ---------------------------------------------------------------


WORKSHOP_DAY = D(2026, 5, 5)


def activity(w, on: dt.date = WORKSHOP_DAY, **changes) -> ActivityInput:  # type: ignore[no-untyped-def]
    data = ActivityInput(
        project_id=w.P.id,
        activity_type=ActivityType.WORKSHOP,
        occurred_on=on,
        activity_name="  Rekrytointityöpaja  ",
    )
    return dataclasses.replace(data, **changes)


def test_a_project_manager_records_a_participation_about_a_need(session: Session, w) -> None:
    row = record_participation(
        session, w.as_pm, activity(w), company_id=w.c1.id, need_id=w.n_open.id
    )
    assert (row.project_id, row.company_id, row.need_id) == (w.P.id, w.c1.id, w.n_open.id)
    assert (row.activity_type, row.activity_name, row.occurred_on) == (
        "workshop", "Rekrytointityöpaja", D(2026, 5, 5),
    )  # fmt: skip
    assert (row.role, row.feedback_score, row.need_met) == ("participant", None, None)
    # Recording a participation does not change the need.
    session.refresh(w.n_open)
    assert w.n_open.status == NeedStatus.OPEN


def test_a_participation_without_a_need_and_with_a_role(session: Session, w) -> None:
    row = record_participation(
        session,
        w.as_admin,
        activity(w, role=ParticipationRole.CO_DEVELOPER, activity_name="   "),
        company_id=w.c3.id,  # a company outside the project's towns may take part too
    )
    assert (row.need_id, row.role, row.activity_name) == (None, "co_developer", None)


@pytest.mark.parametrize("on", [START, END])
def test_the_first_and_last_day_of_the_period_are_inside(session: Session, w, on) -> None:  # type: ignore[no-untyped-def]
    assert record_participation(session, w.as_pm, activity(w, on), company_id=w.c1.id).id


@pytest.mark.parametrize("on", [D(2025, 12, 31), D(2027, 1, 1)])
def test_a_day_outside_the_period_is_refused(session: Session, w, on) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        record_participation(session, w.as_pm, activity(w, on), company_id=w.c1.id)
    assert (caught.value.key, caught.value.field) == (
        "error.participation.outside_period", "occurred_on",
    )  # fmt: skip
    assert caught.value.params == {"starts_on": START, "ends_on": END}


def test_the_need_must_be_the_companys_own(session: Session, w) -> None:
    for need_id in (w.n_other.id, w.n_other.id + 1000):
        with pytest.raises(ValidationError) as caught:
            record_participation(session, w.as_pm, activity(w), company_id=w.c1.id, need_id=need_id)
        assert (caught.value.key, caught.value.field) == ("error.participation.need", "need")
    assert session.scalar(select(func.count()).select_from(Participation)) == 0


def test_bad_activity_type_role_and_company_are_refused(session: Session, w) -> None:
    with pytest.raises(ValidationError) as caught:
        record_participation(
            session, w.as_pm, activity(w, activity_type="party"), company_id=w.c1.id
        )
    assert caught.value.key == "error.participation.activity_type"
    with pytest.raises(ValidationError) as caught:
        record_participation(session, w.as_pm, activity(w, role="boss"), company_id=w.c1.id)
    assert caught.value.key == "error.participation.role"
    with pytest.raises(NotFound):
        record_participation(session, w.as_pm, activity(w), company_id=w.c3.id + 1000)
    with pytest.raises(NotFound):
        record_participation(
            session, w.as_admin, activity(w, project_id=w.P.id + w.Q.id + 1000), company_id=w.c1.id
        )


@pytest.mark.parametrize("who", ["pm2", "advisor", "leader"])
def test_only_the_projects_editors_record_participation(session: Session, w, who: str) -> None:
    user = getattr(w, f"as_{who}")
    with pytest.raises(Forbidden):
        record_participation(session, user, activity(w), company_id=w.c1.id)
    with pytest.raises(Forbidden):
        record_attendance(session, user, activity(w), company_ids=[w.c1.id])
    assert session.scalar(select(func.count()).select_from(Participation)) == 0


# --- A whole event at once -----------------------------------------------------------------


def participants(session: Session, project_id: int) -> list[tuple[int, dt.date, str]]:
    rows = session.execute(
        select(Participation.company_id, Participation.occurred_on, Participation.activity_type)
        .where(Participation.project_id == project_id)
        .order_by(Participation.occurred_on, Participation.company_id, Participation.id)
    )
    return [tuple(row) for row in rows]


def test_attendance_from_chosen_companies_and_pasted_business_ids(session: Session, w) -> None:
    unknown = make.valid_business_id(9_100_000)
    wrong_check = w.c2.business_id[:-1] + str((int(w.c2.business_id[-1]) + 1) % 10)
    pasted = (
        f"{w.c3.business_id}\n"  # known, pasted
        f"  {w.c1.business_id}, {unknown}\n"  # c1 also chosen: recorded once; unknown listed
        f"abc; 1234567\n"  # malformed
        f"{wrong_check}\n"  # wrong check digit
        f"07375462\n"  # c1 again, without the hyphen
        f"{unknown}\n"  # the unknown one again: listed once
    )
    result = record_attendance(
        session,
        w.as_pm,
        activity(w),
        company_ids=[w.c1.id, w.c2.id, w.c1.id],
        business_ids_text=pasted,
    )
    assert result == AttendanceResult(
        saved=3,
        unknown_business_ids=[unknown],
        invalid_lines=["abc", "1234567", wrong_check],
        already_recorded=0,
    )
    day = D(2026, 5, 5)
    assert sorted(participants(session, w.P.id)) == sorted(
        [(w.c1.id, day, "workshop"), (w.c2.id, day, "workshop"), (w.c3.id, day, "workshop")]
    )
    names = session.scalars(select(Participation.activity_name).where(
        Participation.project_id == w.P.id)).all()  # fmt: skip
    assert set(names) == {"Rekrytointityöpaja"}


def test_the_same_event_recorded_again_records_nothing_new(session: Session, w) -> None:
    first = record_attendance(
        session, w.as_pm, activity(w), company_ids=[w.c1.id], business_ids_text=w.c2.business_id
    )
    assert (first.saved, first.already_recorded) == (2, 0)
    again = record_attendance(
        session,
        w.as_pm,
        activity(w),
        company_ids=[w.c2.id],
        business_ids_text=f"{w.c1.business_id}\n{w.c3.business_id}",
    )
    assert again == AttendanceResult(saved=1, already_recorded=2)  # only c3 is new
    third = record_attendance(
        session, w.as_pm, activity(w), company_ids=[w.c1.id, w.c2.id, w.c3.id]
    )
    assert third == AttendanceResult(saved=0, already_recorded=3)
    assert len(participants(session, w.P.id)) == 3
    # Another day, or another kind of activity, is another event.
    other_day = record_attendance(
        session, w.as_pm, activity(w, D(2026, 5, 6)), company_ids=[w.c1.id]
    )
    other_kind = record_attendance(
        session, w.as_pm, activity(w, activity_type=ActivityType.TRAINING), company_ids=[w.c1.id]
    )
    assert (other_day.saved, other_kind.saved) == (1, 1)
    # The same event in another project does not count as recorded.
    admin_q = record_attendance(
        session, w.as_admin, activity(w, project_id=w.Q.id), company_ids=[w.c1.id]
    )
    assert (admin_q.saved, admin_q.already_recorded) == (1, 0)
    assert len(participants(session, w.P.id)) == 5


def test_a_single_participation_counts_as_already_recorded(session: Session, w) -> None:
    record_participation(session, w.as_pm, activity(w), company_id=w.c1.id, need_id=w.n_open.id)
    result = record_attendance(session, w.as_pm, activity(w), company_ids=[w.c1.id, w.c2.id])
    assert result == AttendanceResult(saved=1, already_recorded=1)


def test_two_differently_named_workshops_on_one_day_are_two_activities(session, w) -> None:  # type: ignore[no-untyped-def]
    morning = record_attendance(
        session, w.as_pm, activity(w, activity_name="Aamupäivä: rekrytointi"), company_ids=[w.c1.id]
    )
    afternoon = record_attendance(
        session,
        w.as_pm,
        activity(w, activity_name="Iltapäivä: oppisopimus"),
        company_ids=[w.c1.id],
    )
    assert (morning.saved, afternoon.saved) == (1, 1)


def test_only_unknown_or_malformed_ids_record_nothing(session: Session, w) -> None:
    unknown = make.valid_business_id(9_200_000)
    result = record_attendance(
        session, w.as_pm, activity(w), business_ids_text=f"{unknown}\nYtunnus"
    )
    assert result == AttendanceResult(
        saved=0, unknown_business_ids=[unknown], invalid_lines=["Ytunnus"]
    )
    assert participants(session, w.P.id) == []
    assert record_attendance(session, w.as_pm, activity(w)) == AttendanceResult(saved=0)


def test_attendance_outside_the_period_is_refused(session: Session, w) -> None:
    with pytest.raises(ValidationError) as caught:
        record_attendance(session, w.as_pm, activity(w, D(2027, 1, 1)), company_ids=[w.c1.id])
    assert caught.value.key == "error.participation.outside_period"
    assert participants(session, w.P.id) == []


# --- Feedback later ------------------------------------------------------------------------------


def took_part(session: Session, w, need=None):  # type: ignore[no-untyped-def]
    return record_participation(
        session, w.as_pm, activity(w), company_id=w.c1.id, need_id=need.id if need else None
    )


def test_feedback_yes_marks_an_open_need_met_by_the_project(session: Session, w) -> None:
    before = nf.project_fit(session, w.as_pm, w.P.id, today=TODAY)
    # workforce needs in Salo in 2026: n_open, n_not_met, n_withdrawn, n_late (c1), n_other (c2)
    assert (before.demand_needs, before.met_by_project) == (5, 0)
    participation = took_part(session, w, w.n_open)
    add_feedback(
        session, w.as_pm, participation.id, feedback_score=5, need_met=NeedMet.YES, today=TODAY
    )
    session.refresh(w.n_open)
    assert (w.n_open.status, w.n_open.addressed_by_project_id, w.n_open.resolved_on) == (
        NeedStatus.MET, w.P.id, TODAY,
    )  # fmt: skip
    assert (participation.feedback_score, participation.need_met) == (5, "yes")
    after = nf.project_fit(session, w.as_pm, w.P.id, today=TODAY)
    assert after.met_by_project == before.met_by_project + 1
    assert (after.feedback_count, after.mean_feedback, after.need_met_answers) == (1, 5.0, 1)


def test_feedback_yes_marks_an_in_progress_need_met_too(session: Session, w) -> None:
    participation = took_part(session, w, w.n_busy)
    add_feedback(
        session, w.as_admin, participation.id, feedback_score=None, need_met="yes", today=TODAY
    )
    session.refresh(w.n_busy)
    assert (w.n_busy.status, w.n_busy.addressed_by_project_id) == (NeedStatus.MET, w.P.id)


def test_a_need_met_on_a_later_day_than_today_resolves_on_its_own_day(session, w) -> None:  # type: ignore[no-untyped-def]
    participation = took_part(session, w, w.n_late)  # identified 1.12.2026
    add_feedback(session, w.as_pm, participation.id, feedback_score=4, need_met="yes", today=TODAY)
    session.refresh(w.n_late)
    assert (w.n_late.status, w.n_late.resolved_on) == (NeedStatus.MET, D(2026, 12, 1))


@pytest.mark.parametrize("answer", [NeedMet.PARTLY, NeedMet.NO, None])
def test_partly_no_or_no_answer_leave_the_need_open(session: Session, w, answer) -> None:  # type: ignore[no-untyped-def]
    participation = took_part(session, w, w.n_open)
    add_feedback(session, w.as_pm, participation.id, feedback_score=2, need_met=answer, today=TODAY)
    session.refresh(w.n_open)
    assert (w.n_open.status, w.n_open.addressed_by_project_id, w.n_open.resolved_on) == (
        NeedStatus.OPEN, None, None,
    )  # fmt: skip
    assert (participation.feedback_score, participation.need_met) == (2, answer)


@pytest.mark.parametrize("need", ["n_met_by_q", "n_not_met", "n_withdrawn"])
def test_yes_leaves_a_closed_need_as_it_was(session: Session, w, need: str) -> None:
    row = getattr(w, need)
    before = (row.status, row.addressed_by_project_id, row.resolved_on)
    participation = took_part(session, w, row)
    add_feedback(session, w.as_pm, participation.id, feedback_score=5, need_met="yes", today=TODAY)
    session.refresh(row)
    assert (row.status, row.addressed_by_project_id, row.resolved_on) == before


def test_yes_without_a_need_changes_no_need(session: Session, w) -> None:
    participation = took_part(session, w)
    add_feedback(session, w.as_pm, participation.id, feedback_score=3, need_met="yes", today=TODAY)
    session.refresh(w.n_open)
    assert w.n_open.status == NeedStatus.OPEN
    assert participation.need_met == "yes"


@pytest.mark.parametrize(
    ("score", "answer", "key"),
    [
        (0, None, "error.participation.score"),
        (6, None, "error.participation.score"),
        (-1, None, "error.participation.score"),
        (3.5, None, "error.participation.score"),
        (3, "maybe", "error.participation.need_met"),
        (3, "YES", "error.participation.need_met"),
        (3, "", "error.participation.need_met"),
    ],
)
def test_feedback_is_validated(session: Session, w, score, answer, key: str) -> None:  # type: ignore[no-untyped-def]
    participation = took_part(session, w, w.n_open)
    with pytest.raises(ValidationError) as caught:
        add_feedback(
            session, w.as_pm, participation.id, feedback_score=score, need_met=answer, today=TODAY
        )
    assert caught.value.key == key
    session.refresh(participation)
    assert (participation.feedback_score, participation.need_met) == (None, None)


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5, None])
def test_every_score_from_one_to_five_is_accepted(session: Session, w, score) -> None:  # type: ignore[no-untyped-def]
    participation = took_part(session, w)
    add_feedback(
        session, w.as_pm, participation.id, feedback_score=score, need_met=None, today=TODAY
    )
    session.refresh(participation)
    assert participation.feedback_score == score


@pytest.mark.parametrize("who", ["pm2", "advisor", "leader"])
def test_only_the_projects_editors_give_feedback(session: Session, w, who: str) -> None:
    participation = took_part(session, w, w.n_open)
    with pytest.raises(Forbidden):
        add_feedback(
            session, getattr(w, f"as_{who}"), participation.id, feedback_score=5,
            need_met="yes", today=TODAY,
        )  # fmt: skip
    session.refresh(w.n_open)
    assert w.n_open.status == NeedStatus.OPEN


def test_feedback_on_an_unknown_participation(session: Session, w) -> None:
    with pytest.raises(NotFound):
        add_feedback(session, w.as_admin, 987_654, feedback_score=5, need_met=None, today=TODAY)
