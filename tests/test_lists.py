"""Lists, filters, paging and dashboard numbers on a small hand-made world, checked by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    FollowUpStatus,
    NeedStatus,
    ParticipationRole,
    ProjectKind,
    Role,
    Severity,
)
from services import companies, dashboards, follow_ups, interactions, needs, projects
from services.exports import to_csv, to_xlsx
from tests import factories as make

TODAY = dt.date(2026, 11, 22)
D = dt.date


@pytest.fixture
def world(session: Session) -> SimpleNamespace:
    """Three towns, seven companies, their needs, follow-ups, contacts and three projects."""
    w = SimpleNamespace()
    hame = make.region(session, code="05", name="Kanta-Häme")
    keski = make.region(session, code="13", name="Keski-Suomi")
    w.forssa = make.town(session, "Forssa", region=hame)
    w.aanekoski = make.town(session, "Äänekoski", region=keski)
    w.jamsa = make.town(session, "Jämsä", region=keski)
    w.funding = make.category(session, "funding", sort_order=1)
    w.workforce = make.category(session, "workforce", sort_order=2)
    w.digital = make.category(session, "digital", sort_order=3)

    w.advisor = make.user(session, role=Role.ADVISOR, full_name="Aino Neuvoja", towns=[w.forssa])
    w.advisor2 = make.user(
        session, role=Role.ADVISOR, full_name="Bertta Neuvoja", towns=[w.aanekoski]
    )
    w.manager = make.user(session, role=Role.PROJECT_MANAGER, full_name="Cecilia Hanke")
    w.leader = make.user(session, role=Role.LEADERSHIP, full_name="Daniel Johto")
    w.admin = make.user(session, role=Role.ADMIN, full_name="Eino Ylläpito")

    def company(name, town, business_id, section, staff):  # type: ignore[no-untyped-def]
        return make.company(
            session,
            name,
            town=town,
            business_id=business_id,
            industry_section=section,
            staff_count=staff,
        )

    w.c1 = company("Äänekosken Konepaja Oy", w.aanekoski, "0737546-2", "C", 20)  # small
    w.c2 = company("Forssan Leipomo Oy", w.forssa, "1572860-0", "C", 4)  # micro
    w.c3 = company("Jämsän Kuljetus Oy", w.jamsa, "0737000-4", "H", 120)  # medium
    w.c4 = company("Konepaja Virtanen Ky", w.forssa, "2001000-3", "C", 3)  # micro
    w.c5 = company("Metsäpalvelu Ahonen", w.jamsa, "2002000-9", "A", 1)  # micro
    w.c6 = company("Ohjelmistotalo Koodi Oy", w.aanekoski, "2003000-4", "J", 30)  # small
    w.c7 = company("Rakennus Laine Oy", w.forssa, "2004001-8", "F", 400)  # large

    w.p1 = make.project(
        session,
        "Verkostohanke Häme",
        starts_on=D(2026, 1, 1),
        ends_on=D(2027, 12, 31),
        towns=[w.forssa, w.aanekoski],
        categories=[w.funding, w.workforce],
        manager=w.manager,
        target_companies=20,
    )
    w.p2 = make.project(
        session,
        "Jämsän teemaverkosto",
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
        towns=[w.jamsa],
        kind=ProjectKind.THEMATIC_NETWORK,
    )
    w.p3 = make.project(
        session,
        "Kiertotalousverkosto",
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 12, 31),
        towns=[w.forssa],
        kind=ProjectKind.THEMATIC_NETWORK,
    )

    def need(company, category, identified_on, severity, status, **extra):  # type: ignore[no-untyped-def]
        return make.need(
            session,
            company=company,
            category=category,
            identified_on=identified_on,
            severity=severity,
            status=status,
            **extra,
        )

    w.n1 = need(w.c1, w.funding, D(2026, 10, 1), Severity.RED, NeedStatus.OPEN)
    w.n2 = need(w.c3, w.workforce, D(2026, 9, 15), Severity.YELLOW, NeedStatus.IN_PROGRESS)
    w.n3 = need(
        w.c4,
        w.funding,
        D(2026, 5, 1),
        Severity.GREEN,
        NeedStatus.MET,
        resolved_on=D(2026, 6, 1),
        addressed_by=w.p1,
    )
    w.n4 = need(w.c5, w.digital, D(2026, 3, 1), Severity.GREEN, NeedStatus.WITHDRAWN)
    w.n5 = need(w.c6, w.workforce, D(2025, 11, 1), Severity.RED, NeedStatus.NOT_MET)

    def follow_up(company, owner, due_on, status=FollowUpStatus.OPEN):  # type: ignore[no-untyped-def]
        return make.follow_up(session, company=company, owner=owner, due_on=due_on, status=status)

    w.f1 = follow_up(w.c2, w.advisor, D(2026, 11, 30))
    w.f2 = follow_up(w.c4, w.advisor, D(2026, 11, 1))  # overdue
    w.f3 = follow_up(w.c1, w.advisor, D(2026, 11, 21))  # overdue since yesterday
    w.f4 = follow_up(w.c6, w.advisor2, TODAY)  # due today: not overdue yet
    w.f5 = follow_up(w.c2, w.advisor, D(2026, 10, 1), FollowUpStatus.DONE)
    w.f6 = follow_up(w.c3, w.advisor2, D(2026, 9, 1), FollowUpStatus.CANCELLED)
    w.f7 = follow_up(w.c7, w.advisor2, D(2026, 12, 15))

    w.i1 = make.interaction(session, company=w.c1, advisor=w.advisor, occurred_on=D(2026, 11, 20))
    w.i2 = make.interaction(
        session,
        company=w.c2,
        advisor=w.advisor,
        occurred_on=D(2026, 11, 10),
        channel=Channel.PHONE,
        project=w.p1,
    )
    w.i3 = make.interaction(
        session, company=w.c6, advisor=w.advisor2, occurred_on=D(2026, 10, 1), channel=Channel.EMAIL
    )

    def took_part(project, company, on, role=ParticipationRole.PARTICIPANT, score=None):  # type: ignore[no-untyped-def]
        make.participation(
            session,
            project=project,
            company=company,
            occurred_on=on,
            role=role,
            feedback_score=score,
        )

    took_part(w.p1, w.c1, D(2026, 3, 1), score=4)
    took_part(w.p1, w.c1, D(2026, 5, 1), ParticipationRole.CO_DEVELOPER, score=5)
    took_part(w.p1, w.c2, D(2026, 4, 1), score=3)
    took_part(w.p1, w.c4, D(2026, 6, 1), ParticipationRole.CO_DEVELOPER)
    took_part(w.p2, w.c3, D(2025, 6, 1), score=2)
    took_part(w.p2, w.c5, D(2025, 7, 1), ParticipationRole.SPEAKER, score=4)

    for name in ("advisor", "advisor2", "manager", "leader", "admin"):
        setattr(w, f"as_{name}", make.signed_in(session, getattr(w, name)))
    return w


def ids(page_or_rows) -> list[int]:  # type: ignore[no-untyped-def]
    rows = getattr(page_or_rows, "rows", page_or_rows)
    return [row["id"] for row in rows]


# --- Company search ---------------------------------------------------------------------------


def search(session: Session, w: SimpleNamespace, **filters) -> set[int]:  # type: ignore[no-untyped-def]
    return set(ids(companies.search_companies(session, w.as_advisor, page_size=100, **filters)))


@pytest.mark.parametrize(
    "query", ["aanekosken", "aanekosk", "ÄÄNEKOSKEN", "äänekosken konepaja", " Aanekosken "]
)
def test_name_search_ignores_case_and_accents(session: Session, world, query: str) -> None:
    assert search(session, world, query=query) == {world.c1.id}


def test_name_search_finds_a_fragment_anywhere_in_the_name(session: Session, world) -> None:
    assert search(session, world, query="konepaja") == {world.c1.id, world.c4.id}
    assert search(session, world, query="oy") == {
        c.id for c in (world.c1, world.c2, world.c3, world.c6, world.c7)
    }


@pytest.mark.parametrize("query", ["0737546-2", "07375462", "0737546", " 0737546-2 "])
def test_business_id_search_with_or_without_the_hyphen(session: Session, world, query: str) -> None:
    assert search(session, world, query=query) == {world.c1.id}


def test_business_id_search_by_prefix(session: Session, world) -> None:
    assert search(session, world, query="0737") == {world.c1.id, world.c3.id}
    assert search(session, world, query="200") == {
        world.c4.id,
        world.c5.id,
        world.c6.id,
        world.c7.id,
    }


@pytest.mark.parametrize("query", ["%", "_", "Konepaja%", "zzz"])
def test_search_wildcards_are_plain_text(session: Session, world, query: str) -> None:
    assert search(session, world, query=query) == set()


def test_company_filters(session: Session, world) -> None:
    w = world
    assert search(session, w, town_id=w.forssa.id) == {w.c2.id, w.c4.id, w.c7.id}
    assert search(session, w, industry_section="C") == {w.c1.id, w.c2.id, w.c4.id}
    assert search(session, w, size_class="micro") == {w.c2.id, w.c4.id, w.c5.id}
    assert search(session, w, size_class="large") == {w.c7.id}
    assert search(session, w, has_open_needs=True) == {w.c1.id, w.c3.id}
    assert search(session, w, town_id=w.forssa.id, industry_section="C") == {w.c2.id, w.c4.id}
    assert search(session, w, query="konepaja", town_id=w.forssa.id) == {w.c4.id}
    assert search(session, w, town_id=w.jamsa.id, has_open_needs=True) == {w.c3.id}


def test_company_pages_split_seven_rows_into_three_three_and_one(session: Session, world) -> None:
    pages = [
        companies.search_companies(session, world.as_advisor, page=number, page_size=3)
        for number in (1, 2, 3)
    ]
    assert [page.total for page in pages] == [7, 7, 7]
    assert [page.page_count for page in pages] == [3, 3, 3]
    assert [len(page.rows) for page in pages] == [3, 3, 1]
    names = [row["name"] for page in pages for row in page.rows]
    assert names == [
        "Äänekosken Konepaja Oy",  # sorted by the folded name: "aanekosken ..."
        "Forssan Leipomo Oy",
        "Jämsän Kuljetus Oy",
        "Konepaja Virtanen Ky",
        "Metsäpalvelu Ahonen",
        "Ohjelmistotalo Koodi Oy",
        "Rakennus Laine Oy",
    ]


def test_a_page_number_past_the_end_shows_the_last_page(session: Session, world) -> None:
    page = companies.search_companies(session, world.as_advisor, page=99, page_size=3)
    assert (page.page, len(page.rows)) == (3, 1)
    page = companies.search_companies(session, world.as_advisor, page=0, page_size=3)
    assert (page.page, len(page.rows)) == (1, 3)


def test_an_empty_result_has_one_empty_page(session: Session, world) -> None:
    page = companies.search_companies(session, world.as_advisor, query="zzz", page_size=3)
    assert (page.total, page.page_count, page.rows) == (0, 1, [])


def test_export_returns_every_matching_company(session: Session, world) -> None:
    rows = companies.export_companies(session, world.as_manager, town_id=world.forssa.id)
    assert {row["business_id"] for row in rows} == {"1572860-0", "2001000-3", "2004001-8"}


# --- Follow-ups -------------------------------------------------------------------------------


def test_follow_ups_list_puts_overdue_first_and_marks_them(session: Session, world) -> None:
    w = world
    page = follow_ups.list_follow_ups(session, w.as_leader, today=TODAY)
    assert ids(page) == [w.f2.id, w.f3.id, w.f4.id, w.f1.id, w.f7.id]
    assert [row["overdue"] for row in page.rows] == [True, True, False, False, False]
    assert all(isinstance(row["overdue"], bool) for row in page.rows)
    # Due within a week (by 29.11.) is "this week"; 30.11. is already later.
    assert [row["bucket"] for row in page.rows] == [
        "overdue",
        "overdue",
        "this_week",
        "later",
        "later",
    ]
    closed = follow_ups.list_follow_ups(session, w.as_leader, today=TODAY, status=None)
    assert {row["id"]: row["bucket"] for row in closed.rows if row["bucket"] == "closed"} == {
        w.f5.id: "closed",
        w.f6.id: "closed",
    }


def test_follow_ups_filters(session: Session, world) -> None:
    w = world

    def listed(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return ids(follow_ups.list_follow_ups(session, w.as_leader, today=TODAY, **filters))

    assert listed(owner_id=w.advisor.id) == [w.f2.id, w.f3.id, w.f1.id]
    assert listed(overdue_only=True) == [w.f2.id, w.f3.id]
    assert listed(town_id=w.forssa.id) == [w.f2.id, w.f1.id, w.f7.id]
    assert listed(status=FollowUpStatus.DONE) == [w.f5.id]
    assert listed(status=None) == [w.f2.id, w.f3.id, w.f6.id, w.f5.id, w.f4.id, w.f1.id, w.f7.id]


# --- Needs and contacts -------------------------------------------------------------------------


def test_needs_newest_first_with_filters(session: Session, world) -> None:
    w = world

    def listed(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return ids(needs.list_needs(session, w.as_advisor, **filters))

    assert listed() == [w.n1.id, w.n2.id, w.n3.id, w.n4.id, w.n5.id]
    assert listed(town_id=w.aanekoski.id) == [w.n1.id, w.n5.id]
    assert listed(town_ids={w.forssa.id, w.aanekoski.id}) == [w.n1.id, w.n3.id, w.n5.id]
    assert listed(town_ids=set()) == []
    assert listed(category_id=w.funding.id) == [w.n1.id, w.n3.id]
    assert listed(severity=Severity.RED) == [w.n1.id, w.n5.id]
    assert listed(status=NeedStatus.OPEN) == [w.n1.id]
    assert listed(severity=Severity.RED, status=NeedStatus.OPEN) == [w.n1.id]
    assert listed(identified_since=D(2026, 6, 1)) == [w.n1.id, w.n2.id]


def test_needs_show_category_in_the_language_and_the_addressing_project(
    session: Session, world
) -> None:
    rows = needs.list_needs(session, world.as_advisor, language="en").rows
    by_id = {row["id"]: row for row in rows}
    assert by_id[world.n1.id]["category"] == "funding en"
    assert by_id[world.n3.id]["addressed_by_project"] == "Verkostohanke Häme"
    assert by_id[world.n3.id]["resolved_on"] == D(2026, 6, 1)
    finnish = needs.list_needs(session, world.as_advisor, category_id=world.digital.id).rows
    assert [row["category"] for row in finnish] == ["digital fi"]


def test_contacts_newest_first_with_filters(session: Session, world) -> None:
    w = world

    def listed(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return ids(interactions.list_interactions(session, w.as_advisor, **filters))

    assert listed() == [w.i1.id, w.i2.id, w.i3.id]
    assert listed(advisor_id=w.advisor2.id) == [w.i3.id]
    assert listed(channel=Channel.PHONE) == [w.i2.id]
    assert listed(since=D(2026, 11, 1)) == [w.i1.id, w.i2.id]
    assert listed(town_id=w.forssa.id) == [w.i2.id]
    projects_named = [
        row["project"] for row in interactions.list_interactions(session, w.as_advisor).rows
    ]
    assert projects_named == [None, "Verkostohanke Häme", None]


# --- Dashboards -------------------------------------------------------------------------------


def counts(rows, key: str) -> dict[str, tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    return {row[key]: (row["open"], row["overdue"], row["done"], row["cancelled"]) for row in rows}


def test_follow_up_status_by_town(session: Session, world) -> None:
    rows = dashboards.follow_up_status_by_town(session, world.as_leader, today=TODAY)
    assert counts(rows, "town") == {
        "Forssa": (3, 1, 1, 0),
        "Jämsä": (0, 0, 0, 1),
        "Äänekoski": (2, 1, 0, 0),
    }


def test_follow_up_status_by_town_filters(session: Session, world) -> None:
    since = dashboards.follow_up_status_by_town(
        session, world.as_leader, today=TODAY, due_since=D(2026, 11, 1)
    )
    assert counts(since, "town") == {"Forssa": (3, 1, 0, 0), "Äänekoski": (2, 1, 0, 0)}
    region = dashboards.follow_up_status_by_town(
        session, world.as_admin, today=TODAY, region_id=world.forssa.region_id
    )
    assert counts(region, "town") == {"Forssa": (3, 1, 1, 0)}


def test_follow_up_status_by_owner(session: Session, world) -> None:
    rows = dashboards.follow_up_status_by_owner(session, world.as_leader, today=TODAY)
    assert counts(rows, "owner") == {"Aino Neuvoja": (3, 2, 1, 0), "Bertta Neuvoja": (2, 0, 0, 1)}
    assert [row["owner"] for row in rows] == ["Aino Neuvoja", "Bertta Neuvoja"]
    since = dashboards.follow_up_status_by_owner(
        session, world.as_leader, today=TODAY, due_since=D(2026, 11, 1)
    )
    assert counts(since, "owner") == {"Aino Neuvoja": (3, 2, 0, 0), "Bertta Neuvoja": (2, 0, 0, 0)}


def engagement(rows) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {
        row["project"]: (
            row["companies"],
            row["participations"],
            row["mean_feedback"],
            row["company_driven_share"],
        )
        for row in rows
    }


def test_engagement_by_project(session: Session, world) -> None:
    rows = dashboards.engagement_by_project(
        session, world.as_manager, start=D(2025, 1, 1), end=D(2026, 12, 31)
    )
    # P1: companies c1, c2, c4; feedback (4 + 5 + 3) / 3; two of four co-developing.
    # P2: companies c3, c5; feedback (2 + 4) / 2; nobody co-developing. P3: no participations.
    assert engagement(rows) == {
        "Verkostohanke Häme": (3, 4, 4.0, 0.5),
        "Jämsän teemaverkosto": (2, 2, 3.0, 0.0),
    }
    assert [row["project"] for row in rows] == ["Verkostohanke Häme", "Jämsän teemaverkosto"]
    assert all(isinstance(row["mean_feedback"], float) for row in rows)
    assert all(isinstance(row["company_driven_share"], float) for row in rows)


def test_engagement_filters(session: Session, world) -> None:
    w = world

    def shown(**filters):  # type: ignore[no-untyped-def]
        return engagement(dashboards.engagement_by_project(session, w.as_leader, **filters))

    assert shown(start=D(2026, 1, 1), end=D(2026, 12, 31)) == {
        "Verkostohanke Häme": (3, 4, 4.0, 0.5)
    }
    assert shown(start=D(2025, 1, 1), end=D(2026, 12, 31), town_id=w.forssa.id) == {
        "Verkostohanke Häme": (2, 2, 3.0, 0.5)
    }
    assert shown(start=D(2025, 1, 1), end=D(2026, 12, 31), project_id=w.p2.id) == {
        "Jämsän teemaverkosto": (2, 2, 3.0, 0.0)
    }
    assert shown(start=D(2026, 3, 1), end=D(2026, 3, 1)) == {"Verkostohanke Häme": (1, 1, 4.0, 0.0)}


# --- Projects ---------------------------------------------------------------------------------


def test_projects_with_their_reach(session: Session, world) -> None:
    page = projects.list_projects(session, world.as_advisor)
    assert ids(page) == [world.p1.id, world.p2.id, world.p3.id]  # newest start first
    rows = {row["name"]: row for row in page.rows}
    p1 = rows["Verkostohanke Häme"]
    assert (p1["companies"], p1["participations"], p1["mean_feedback"]) == (3, 4, 4.0)
    assert (p1["manager"], p1["target_companies"]) == ("Cecilia Hanke", 20)
    assert set(p1["towns"].split(", ")) == {"Forssa", "Äänekoski"}
    p2 = rows["Jämsän teemaverkosto"]
    assert (p2["companies"], p2["participations"], p2["mean_feedback"]) == (2, 2, 3.0)
    assert p2["towns"] == "Jämsä"
    p3 = rows["Kiertotalousverkosto"]
    assert (p3["companies"], p3["participations"], p3["mean_feedback"]) == (0, 0, None)
    assert p3["manager"] is None


def test_projects_filters(session: Session, world) -> None:
    w = world

    def listed(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return ids(projects.list_projects(session, w.as_advisor, **filters))

    assert listed(kind=ProjectKind.THEMATIC_NETWORK) == [w.p2.id, w.p3.id]
    assert listed(active_on=D(2025, 6, 1)) == [w.p2.id]
    assert listed(active_on=TODAY) == [w.p1.id]
    assert listed(town_id=w.forssa.id) == [w.p1.id, w.p3.id]
    page = projects.list_projects(session, w.as_advisor, page=2, page_size=2)
    assert (page.total, page.page_count, ids(page)) == (3, 2, [w.p3.id])


# --- Exports ----------------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://x")', "+358401234567", "-2+3", "@SUM(A1)", "\tkoe", "\rkoe"]
HEADERS = {"name": "Nimi", "note": "Huomio", "staff": "Henkilöstö", "active": "Toiminnassa"}


def export_rows() -> list[dict[str, object]]:
    return [
        {"name": f"Yritys {number}", "note": text, "staff": -5, "active": True}
        for number, text in enumerate(DANGEROUS)
    ] + [{"name": "Tavallinen Oy", "note": "ei vaaraa = tässä", "staff": 12, "active": False}]


def test_csv_export_neutralises_formula_cells() -> None:
    data = to_csv(export_rows(), HEADERS)
    assert data.startswith(b"\xef\xbb\xbf")  # a byte order mark, for Finnish Excel
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert table[0] == list(HEADERS.values())
    notes = [row[1] for row in table[1:]]
    assert notes == [f"'{text}" for text in DANGEROUS] + ["ei vaaraa = tässä"]
    assert [row[2] for row in table[1:]] == ["-5"] * len(DANGEROUS) + ["12"]
    assert [row[3] for row in table[1:]] == ["1"] * len(DANGEROUS) + ["0"]


def test_xlsx_export_neutralises_formula_cells() -> None:
    data = to_xlsx([("Yritysrekisteri", export_rows(), HEADERS)])
    sheet = load_workbook(io.BytesIO(data))["Yritysrekisteri"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells if cell.data_type == "f"] == []
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(HEADERS.values())
    # XML turns a stored carriage return into a line feed when read back; still neutralised.
    assert [row[1] for row in values[1:]] == [
        f"'{text}".replace("\r", "\n") for text in DANGEROUS
    ] + ["ei vaaraa = tässä"]
    assert [row[2] for row in values[1:]] == [-5] * len(DANGEROUS) + [12]


def test_xlsx_sheet_titles_are_cut_to_excels_limit() -> None:
    data = to_xlsx([("Yritysrekisteri ja yhteyshenkilöt kaikki", [], HEADERS)])
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Yritysrekisteri ja yhteyshenkil"]
