"""The demo seed: real reference data, valid records, working demo accounts and a real signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, and_, case, exists, func, select, text
from sqlalchemy.orm import Session

from db import reference
from db.engine import make_engine
from db.enums import NeedStatus, ParticipationRole, size_class_for_staff
from db.migrate import upgrade
from db.models import (
    Company,
    FollowUp,
    Interaction,
    Need,
    Participation,
    Project,
    Region,
    Town,
    User,
    project_need_categories,
    project_towns,
)
from db.seed import (
    DEMO_ACCOUNTS,
    MISMATCHED_PROJECT,
    MISMATCHED_PROJECTS,
    SCALES,
    WELL_MATCHED_PROJECT,
    SeedReport,
    database_is_empty,
    main,
    seed,
)
from services.auth import authenticate
from services.validation import is_valid_business_id, search_key

# One anchor for every seed in this module, so a run across midnight still compares like with like.
ANCHOR = dt.date.today()


def _fresh_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, SeedReport]]:
    path = tmp_path_factory.mktemp("seed") / "demo.db"
    engine = _fresh_engine(path)
    assert database_is_empty(engine)
    report = seed(engine, today=ANCHOR)
    yield engine, report
    engine.dispose()


@pytest.fixture
def engine(seeded: tuple[Engine, SeedReport]) -> Engine:
    return seeded[0]


def test_regions_have_statistics_finland_codes(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(Region.code, Region.name_fi, Region.name_en)).all()
    assert len(rows) == 19
    assert sorted(code for code, _, _ in rows) == [
        *(f"{n:02d}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)),
        "21",
    ]
    names = {code: (fi, en) for code, fi, en in rows}
    assert names["13"] == ("Keski-Suomi", "Central Finland")
    assert names["19"] == ("Lappi", "Lapland")
    assert names["21"] == ("Ahvenanmaa", "Åland")


def test_every_town_is_in_its_real_region(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Town.name, Region.code, Region.name_fi, Town.is_regional_town).join(
                Region, Region.id == Town.region_id
            )
        ).all()
    seeded = {name: (code, regional) for name, code, _, regional in rows}
    assert seeded == {name: (code, regional) for name, code, regional in reference.TOWNS}
    region_names = {name: region for name, _, region, _ in rows}
    assert region_names["Äänekoski"] == "Keski-Suomi"
    assert seeded["Äänekoski"] == ("13", True)
    assert seeded["Forssa"] == ("05", True)
    assert seeded["Tornio"] == ("19", True)
    assert seeded["Jyväskylä"] == ("13", False)
    assert sum(regional for _, regional in seeded.values()) >= 45


def test_business_ids_are_valid_and_unique(engine: Engine) -> None:
    with engine.connect() as conn:
        ids = conn.scalars(select(Company.business_id)).all()
    assert len(ids) == SCALES["demo"].companies
    assert len(set(ids)) == len(ids)
    invalid = [value for value in ids if not is_valid_business_id(value)]
    assert invalid == []


def test_size_class_matches_staff_count(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(Company.staff_count, Company.size_class)).all()
    assert all(size == size_class_for_staff(staff) for staff, size in rows)
    micro = sum(size == "micro" for _, size in rows)
    assert micro / len(rows) > 0.6  # most companies are micro companies


def test_name_key_makes_accent_insensitive_search_work(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(Company.name, Company.name_key)).all()
        found = conn.scalars(
            select(Company.name).where(Company.name_key.like(f"{search_key('aanekosken')}%"))
        ).all()
    assert all(key == search_key(name) for name, key in rows)
    assert "Äänekosken Konepaja Oy" in found


@pytest.mark.parametrize(("role", "username", "password"), DEMO_ACCOUNTS)
def test_demo_accounts_sign_in(engine: Engine, role: str, username: str, password: str) -> None:
    with Session(engine) as session:
        user = authenticate(session, username=username, password=password)
        session.rollback()
    assert user.role == role
    assert user.username == username


def test_demo_advisor_works_in_forssa_and_salo(engine: Engine) -> None:
    with Session(engine) as session:
        user = authenticate(session, username="advisor", password="neuvoja-demo-2026")
        towns = set(session.scalars(select(Town.name).where(Town.id.in_(user.town_ids))))
        session.rollback()
    assert towns == {"Forssa", "Salo"}


def test_demo_advisors_day_is_alive(engine: Engine) -> None:
    with engine.connect() as conn:
        advisor = conn.scalar(select(User.id).where(User.username == "advisor"))
        overdue = conn.scalar(
            select(func.count()).where(
                FollowUp.owner_id == advisor,
                FollowUp.status == "open",
                FollowUp.due_on < ANCHOR,
            )
        )
        this_week = conn.scalar(
            select(func.count()).where(
                FollowUp.owner_id == advisor,
                FollowUp.status == "open",
                FollowUp.due_on.between(ANCHOR, ANCHOR + dt.timedelta(days=7)),
            )
        )
        recent = conn.scalar(
            select(func.count()).where(
                Interaction.advisor_id == advisor,
                Interaction.occurred_on >= ANCHOR - dt.timedelta(days=21),
            )
        )
        red_open = conn.scalar(
            select(func.count())
            .select_from(Need)
            .join(Company, Company.id == Need.company_id)
            .join(Town, Town.id == Company.town_id)
            .where(
                Town.name.in_(["Forssa", "Salo"]),
                Need.severity == "red",
                Need.status == "open",
            )
        )
    assert overdue >= 3
    assert this_week >= 2
    assert recent >= 3
    assert red_open >= 1


def test_report_counts_match_the_database(seeded: tuple[Engine, SeedReport]) -> None:
    engine, report = seeded
    with engine.connect() as conn:
        for table, count in report.counts.items():
            assert conn.scalar(text(f"SELECT COUNT(*) FROM {table}")) == count, table
    counts = report.counts
    assert counts["companies"] == 2_000
    assert 2_500 <= counts["contact_persons"] <= 3_500
    assert 15_000 <= counts["interactions"] <= 25_000
    assert 4_500 <= counts["needs"] <= 7_500
    assert 3_000 <= counts["follow_ups"] <= 5_000
    assert 1_000 <= counts["referrals"] <= 2_000
    assert 6_000 <= counts["participations"] <= 10_000
    assert report.seconds > 0


def test_records_hang_together(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        # A need is identified in the interaction that found it.
        mismatched_dates = conn.scalar(
            select(func.count())
            .select_from(Need)
            .join(Interaction, Interaction.id == Need.interaction_id)
            .where(
                (Need.identified_on != Interaction.occurred_on)
                | (Need.company_id != Interaction.company_id)
            )
        )
        assert mismatched_dates == 0
        # Participations happen in the project's towns, within its period, never in the future.
        outside = conn.scalar(
            select(func.count())
            .select_from(Participation)
            .join(Project, Project.id == Participation.project_id)
            .join(Company, Company.id == Participation.company_id)
            .where(
                ~exists().where(
                    and_(
                        project_towns.c.project_id == Project.id,
                        project_towns.c.town_id == Company.town_id,
                    )
                )
                | (Participation.occurred_on < Project.starts_on)
                | (Participation.occurred_on > Project.ends_on)
                | (Participation.occurred_on > ANCHOR)
            )
        )
        assert outside == 0
        # A project credited with meeting a need covers the town and targets the category.
        wrong_credit = conn.scalar(
            select(func.count())
            .select_from(Need)
            .join(Company, Company.id == Need.company_id)
            .where(
                Need.addressed_by_project_id.is_not(None),
                ~exists().where(
                    and_(
                        project_towns.c.project_id == Need.addressed_by_project_id,
                        project_towns.c.town_id == Company.town_id,
                    )
                )
                | ~exists().where(
                    and_(
                        project_need_categories.c.project_id == Need.addressed_by_project_id,
                        project_need_categories.c.category_id == Need.category_id,
                    )
                ),
            )
        )
        assert wrong_credit == 0
        inactive = conn.scalar(select(func.avg(case((Company.is_active, 0.0), else_=1.0))))
        assert 0.01 <= inactive <= 0.06


def _project_fit(engine: Engine, name: str) -> dict[str, float]:
    """Share of needs in a project's towns and period that it targets, and its feedback."""
    with engine.connect() as conn:
        pid, starts, ends = conn.execute(
            select(Project.id, Project.starts_on, Project.ends_on).where(Project.name == name)
        ).one()
        towns = select(project_towns.c.town_id).where(project_towns.c.project_id == pid)
        cats = select(project_need_categories.c.category_id).where(
            project_need_categories.c.project_id == pid
        )
        needs = (
            select(func.count())
            .select_from(Need)
            .join(Company, Company.id == Need.company_id)
            .where(Company.town_id.in_(towns), Need.identified_on.between(starts, ends))
        )
        total = conn.scalar(needs)
        targeted = conn.scalar(needs.where(Need.category_id.in_(cats)))
        met_by_project = conn.scalar(
            needs.where(
                Need.category_id.in_(cats),
                Need.status == NeedStatus.MET,
                Need.addressed_by_project_id == pid,
            )
        )
        feedback, participations = conn.execute(
            select(func.avg(Participation.feedback_score), func.count()).where(
                Participation.project_id == pid
            )
        ).one()
    assert total
    assert participations
    return {
        "share": targeted / total,
        "resolution": met_by_project / targeted,
        "feedback": float(feedback),
        "participations": participations,
    }


def test_well_matched_project_fits_its_towns_needs_and_mismatched_does_not(engine: Engine) -> None:
    well = _project_fit(engine, WELL_MATCHED_PROJECT)
    poor = _project_fit(engine, MISMATCHED_PROJECT)
    assert well["share"] >= 0.3
    assert poor["share"] <= 0.15
    assert well["share"] > poor["share"] + 0.2
    assert well["feedback"] >= 3.9
    assert poor["feedback"] <= 3.0
    assert well["resolution"] > poor["resolution"] + 0.2
    assert well["participations"] > 5 * poor["participations"]


def test_company_driven_share_separates_the_projects(engine: Engine) -> None:
    def co_developer_share(names: list[str]) -> float:
        with engine.connect() as conn:
            return conn.scalar(
                select(
                    func.avg(
                        case((Participation.role == ParticipationRole.CO_DEVELOPER, 1.0), else_=0.0)
                    )
                )
                .join(Project, Project.id == Participation.project_id)
                .where(Project.name.in_(names))
            )

    assert co_developer_share([WELL_MATCHED_PROJECT]) >= 0.25
    assert co_developer_share(MISMATCHED_PROJECTS) < 0.10


def test_seed_is_deterministic(seeded: tuple[Engine, SeedReport], tmp_path: Path) -> None:
    first, first_report = seeded
    second = _fresh_engine(tmp_path / "again.db")
    steps: list[tuple[str, float]] = []
    try:
        second_report = seed(second, today=ANCHOR, progress=lambda s, f: steps.append((s, f)))
        assert second_report.counts == first_report.counts

        def sample(engine: Engine) -> list[tuple]:
            with engine.connect() as conn:
                companies = conn.execute(select(Company).order_by(Company.id).limit(50)).all()
                needs = conn.execute(select(Need).order_by(Need.id).limit(50)).all()
                last = conn.execute(
                    select(Interaction).order_by(Interaction.id.desc()).limit(50)
                ).all()
            return [tuple(row) for row in (*companies, *needs, *last)]

        assert sample(first) == sample(second)
    finally:
        second.dispose()
    fractions = [fraction for _, fraction in steps]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_seeding_a_non_empty_database_is_refused(engine: Engine) -> None:
    assert not database_is_empty(engine)
    with pytest.raises(RuntimeError, match="already has data"):
        seed(engine, today=ANCHOR)


def test_command_line_refuses_a_non_empty_database(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--url", str(engine.url)]) == 2
    assert "refusing" in capsys.readouterr().err
