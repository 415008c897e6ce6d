"""The advisor workflow's services (issue 3) on a small hand-made world, on SQLite and PostgreSQL.

Companies and contact persons, logging a contact whole or not at all, the company profile,
needs with their suggestions and referrals, and follow-ups. Every refusal is checked for its
message key and for leaving the database exactly as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    FollowUpStatus,
    LegalBasis,
    NeedStatus,
    ParticipationRole,
    PartnerKind,
    ReferralStatus,
    Role,
    Severity,
)
from db.models import (
    AuditEvent,
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    NeedCategory,
    Partner,
    Referral,
    Region,
    Town,
)
from services import companies, contact_persons, contacts, follow_ups, needs, profile
from services.companies import CompanyInput
from services.contact_persons import ContactPersonInput
from services.contacts import ContactInput, FollowUpInput, NeedInput, ReferralInput
from services.errors import (
    DomainError,
    DuplicateBusinessId,
    Forbidden,
    InvalidBusinessId,
    NotFound,
    ValidationError,
)
from tests import factories as make

TODAY = dt.date(2026, 11, 22)  # a Sunday
D = dt.date
DAY = dt.timedelta(days=1)
UNKNOWN_ID = 987_654


# --- Rows the shared factories do not make -----------------------------------------------------


def make_partner(
    session: Session,
    name: str,
    *,
    categories: Iterable[NeedCategory],
    town: Town | None = None,
    region: Region | None = None,
    is_active: bool = True,
) -> Partner:
    row = Partner(
        name=name,
        kind=PartnerKind.OTHER,
        town_id=town.id if town else None,
        region_id=region.id if region else None,
        is_active=is_active,
        categories=list(categories),
    )
    session.add(row)
    session.flush()
    return row


def make_person(
    session: Session, company: Company, first: str, last: str, **extra: Any
) -> ContactPerson:
    row = ContactPerson(company_id=company.id, first_name=first, last_name=last, **extra)
    session.add(row)
    session.flush()
    return row


def make_referral(
    session: Session,
    *,
    company: Company,
    referred_on: dt.date,
    partner: Partner,
    need: Need | None = None,
    note: str | None = None,
) -> Referral:
    row = Referral(
        company_id=company.id,
        need_id=need.id if need else None,
        partner_id=partner.id,
        consent=True,
        referred_on=referred_on,
        status=ReferralStatus.SENT,
        note=note,
    )
    session.add(row)
    session.flush()
    return row


def wrong_check_digit(business_id: str) -> str:
    base, check = business_id.split("-")
    return f"{base}-{(int(check) + 1) % 10}"


# --- The world ---------------------------------------------------------------------------------


@pytest.fixture
def world(session: Session) -> SimpleNamespace:
    """Four towns in three regions, advisors with home towns, companies, partners, projects."""
    w = SimpleNamespace()
    w.hame = make.region(session, code="05", name="Kanta-Häme")
    w.keski = make.region(session, code="13", name="Keski-Suomi")
    w.varsinais = make.region(session, code="02", name="Varsinais-Suomi")
    w.forssa = make.town(session, "Forssa", region=w.hame)
    w.humppila = make.town(session, "Humppila", region=w.hame, regional=False)
    w.aanekoski = make.town(session, "Äänekoski", region=w.keski)
    w.salo = make.town(session, "Salo", region=w.varsinais)

    w.funding = make.category(session, "funding", sort_order=1)
    w.workforce = make.category(session, "workforce", sort_order=2)
    w.retired = make.category(session, "retired", sort_order=3)
    w.retired.is_active = False

    w.advisor = make.user(session, role=Role.ADVISOR, full_name="Aino Neuvoja", towns=[w.forssa])
    w.advisor2 = make.user(
        session, role=Role.ADVISOR, full_name="Bertta Neuvoja", towns=[w.aanekoski, w.salo]
    )
    w.advisor3 = make.user(
        session, role=Role.ADVISOR, full_name="Cecilia Neuvoja", towns=[w.humppila]
    )
    w.manager = make.user(session, role=Role.PROJECT_MANAGER, full_name="Daniel Hanke")
    w.leader = make.user(session, role=Role.LEADERSHIP, full_name="Eeva Johto")
    w.admin = make.user(session, role=Role.ADMIN, full_name="Frans Ylläpito")
    w.gone = make.user(
        session, role=Role.ADVISOR, full_name="Gustav Lähtenyt", towns=[w.forssa], is_active=False
    )

    def company(name, town, number, **extra):  # type: ignore[no-untyped-def]
        business_id = make.valid_business_id(number)
        return make.company(session, name, town=town, business_id=business_id, **extra)

    w.leipomo = company("Forssan Leipomo Oy", w.forssa, 1_572_860, staff_count=4)
    w.virtanen = company("Konepaja Virtanen Ky", w.forssa, 2_001_000, staff_count=3)
    w.trading = company("Äänekoski Trading Oy", w.forssa, 2_002_000, industry_section="G")
    w.kone = company("Äänekosken Konepaja Oy", w.aanekoski, 737_546, staff_count=20)
    w.sahat = company("Sahat Äänekoski Oy", w.aanekoski, 737_600, industry_section="A")
    w.koodi = company(
        "Ohjelmistotalo Koodi Oy", w.aanekoski, 2_003_000, industry_section="J", staff_count=30
    )
    w.salon = company("Salon Sähkö Oy", w.salo, 2_004_000, staff_count=120)

    w.person = make_person(
        session,
        w.leipomo,
        "Liisa",
        "Leipuri",
        title="Toimitusjohtaja",
        email="liisa@leipomo.fi",
        phone="+358 40 123 4567",
    )
    w.kone_person = make_person(
        session, w.kone, "Kalle", "Kone", email="kalle@konepaja.fi", phone="040 765 4321"
    )

    # Partners around Forssa's funding needs: near and far, right and wrong category.
    w.forssa_own = make_partner(
        session,
        "Forssan seudun kehittämiskeskus",
        town=w.forssa,
        region=w.hame,
        categories=[w.funding],
    )
    w.hame_partner = make_partner(session, "Hämeen ELY", region=w.hame, categories=[w.funding])
    w.finnvera = make_partner(session, "Finnvera", categories=[w.funding, w.workforce])
    w.business_finland = make_partner(session, "Business Finland", categories=[w.funding])
    w.keski_partner = make_partner(
        session, "Keski-Suomen ELY", region=w.keski, categories=[w.funding]
    )
    w.aanekoski_own = make_partner(
        session,
        "Äänekosken kehitys",
        town=w.aanekoski,
        region=w.keski,
        categories=[w.funding, w.workforce],
    )
    w.humppila_own = make_partner(
        session,
        "Humppilan yrityspalvelut",
        town=w.humppila,
        region=w.hame,  # a town's own service names its region too
        categories=[w.funding],
    )
    w.hame_workforce = make_partner(
        session, "Hämeen TE-palvelut", region=w.hame, categories=[w.workforce]
    )
    w.closed_partner = make_partner(
        session, "Lakkautettu rahasto", categories=[w.funding], is_active=False
    )

    def project(name, starts_on, ends_on, towns, categories):  # type: ignore[no-untyped-def]
        return make.project(
            session, name, starts_on=starts_on, ends_on=ends_on, towns=towns, categories=categories
        )

    w.network = project(
        "Verkostohanke Häme",
        D(2026, 1, 1),
        D(2027, 12, 31),
        [w.forssa, w.aanekoski],
        [w.funding, w.workforce],
    )
    w.starts_today = project(
        "Alkava rahoitushanke", TODAY, TODAY + 30 * DAY, [w.forssa], [w.funding]
    )
    w.ends_today = project("Päättyvä hanke", D(2025, 1, 1), TODAY, [w.forssa], [w.funding])
    w.ended = project("Päättynyt hanke", D(2025, 1, 1), TODAY - DAY, [w.forssa], [w.funding])
    w.future = project("Tuleva hanke", TODAY + DAY, D(2027, 6, 30), [w.forssa], [w.funding])
    w.elsewhere = project(
        "Äänekosken hanke", D(2026, 1, 1), D(2027, 1, 1), [w.aanekoski], [w.funding]
    )
    w.wrong_category = project(
        "Osaajahanke", D(2026, 1, 1), D(2027, 1, 1), [w.forssa], [w.workforce]
    )

    for name in ("advisor", "advisor2", "advisor3", "manager", "leader", "admin"):
        setattr(w, f"as_{name}", make.signed_in(session, getattr(w, name)))
    return w


# --- Counting every table a contact may write to ----------------------------------------------

WRITTEN = (Company, ContactPerson, Interaction, Need, FollowUp, Referral, AuditEvent)


def row_counts(session: Session) -> dict[str, int]:
    """Rows in every table the advisor workflow writes to (autoflush counts pending rows too)."""
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in WRITTEN
    }


def refused(
    session: Session, call: Callable[[], object], error: type[DomainError], key: str
) -> DomainError:
    """The call raises `error` with message `key` and leaves every table as it was.

    No rollback in between: the services validate before they write.
    """
    before = row_counts(session)
    with pytest.raises(error) as caught:
        call()
    assert caught.value.key == key
    assert row_counts(session) == before
    return caught.value


def ids(page_or_rows: Any) -> list[int]:
    rows = getattr(page_or_rows, "rows", page_or_rows)
    return [row["id"] for row in rows]


# --- Company search ---------------------------------------------------------------------------


def found(session: Session, w: SimpleNamespace, **filters: Any) -> list[int]:
    page = companies.search_companies(session, w.as_advisor, page_size=100, **filters)
    return ids(page)


@pytest.mark.parametrize(
    "query", ["aanekosken", "ÄÄNEKOSKEN", "äänekosken konepaja", "KONEPAJA OY"]
)
def test_search_finds_names_without_case_or_accents(session: Session, world, query: str) -> None:
    assert found(session, world, query=query) == [world.kone.id]


@pytest.mark.parametrize("query", ["aanekoski", "Äänekoski", "AANEKOSKI", " äänekoski "])
def test_a_towns_name_lists_its_companies_with_the_name_matches(
    session: Session, world, query: str
) -> None:
    w = world
    # Names with "aanekoski" (one of them in Forssa) and the town's other companies, by name.
    expected = sorted([w.trading, w.sahat, w.kone, w.koodi], key=lambda c: (c.name_key, c.id))
    assert found(session, w, query=query) == [company.id for company in expected]


def test_a_towns_name_with_a_town_filter(session: Session, world) -> None:
    w = world
    assert found(session, w, query="aanekoski", town_id=w.forssa.id) == [w.trading.id]
    forssa = sorted([w.leipomo, w.trading, w.virtanen], key=lambda c: (c.name_key, c.id))
    assert found(session, w, query="forssa") == [company.id for company in forssa]


@pytest.mark.parametrize("query", ["{bid}", "{base}{check}", "{base}", "{base} {check}", " {bid} "])
def test_search_by_business_id_with_or_without_the_hyphen(
    session: Session, world, query: str
) -> None:
    bid = world.kone.business_id
    base, check = bid.split("-")
    assert found(session, world, query=query.format(bid=bid, base=base, check=check)) == [
        world.kone.id
    ]


def test_search_by_a_prefix_of_digits(session: Session, world) -> None:
    w = world
    assert found(session, w, query="0737") == [w.kone.id, w.sahat.id]  # 0737546-x, 0737600-x
    assert found(session, w, query="07375") == [w.kone.id]
    assert set(found(session, w, query="200")) == {
        w.virtanen.id,
        w.trading.id,
        w.koodi.id,
        w.salon.id,
    }
    assert found(session, w, query="9") == []


def test_search_filters(session: Session, world) -> None:
    w = world
    make.need(
        session,
        company=w.kone,
        category=w.funding,
        identified_on=D(2026, 9, 1),
        status=NeedStatus.IN_PROGRESS,
    )
    make.need(session, company=w.salon, category=w.funding, identified_on=D(2026, 9, 1))
    make.need(
        session,
        company=w.leipomo,
        category=w.funding,
        identified_on=D(2026, 1, 1),
        status=NeedStatus.MET,
        resolved_on=D(2026, 2, 1),
    )
    assert set(found(session, w, town_id=w.forssa.id)) == {
        w.leipomo.id,
        w.virtanen.id,
        w.trading.id,
    }
    assert found(session, w, industry_section="J") == [w.koodi.id]
    assert set(found(session, w, size_class="small")) == {w.kone.id, w.koodi.id}
    assert found(session, w, size_class="medium") == [w.salon.id]
    assert set(found(session, w, has_open_needs=True)) == {w.kone.id, w.salon.id}
    assert found(session, w, has_open_needs=True, town_id=w.salo.id) == [w.salon.id]
    assert found(session, w, query="konepaja", town_id=w.forssa.id) == [w.virtanen.id]


def test_search_pages(session: Session, world) -> None:
    pages = [
        companies.search_companies(session, world.as_leader, page=n, page_size=3) for n in (1, 2, 3)
    ]
    assert [(p.total, p.page_count, len(p.rows)) for p in pages] == [
        (7, 3, 3),
        (7, 3, 3),
        (7, 3, 1),
    ]
    assert len({row["id"] for p in pages for row in p.rows}) == 7


# --- Creating and editing companies ---------------------------------------------------------


def new_company(w: SimpleNamespace, **changes: Any) -> CompanyInput:
    values: dict[str, Any] = {
        "business_id": make.valid_business_id(5_550_000),
        "name": "Uusi Kahvila Oy",
        "town_id": w.forssa.id,
        "industry_code": "56101",
        "industry_section": "i",
        "staff_count": 12,
        "website": "https://kahvila.example.fi",
    }
    return CompanyInput(**(values | changes))


def test_advisor_adds_a_company_in_a_home_town(session: Session, world) -> None:
    data = new_company(world)
    base, check = data.business_id.split("-")
    created = companies.create_company(
        session, world.as_advisor, dataclasses.replace(data, business_id=f" {base}{check} ")
    )
    stored = session.get(Company, created.id)
    assert stored is not None
    assert stored.business_id == data.business_id  # the hyphen put back
    assert (stored.name, stored.name_key, stored.town_id) == (
        "Uusi Kahvila Oy",
        "uusi kahvila oy",
        world.forssa.id,
    )
    assert (stored.industry_code, stored.industry_section) == ("56101", "I")
    assert (stored.staff_count, stored.size_class) == (12, "small")  # the class from the staff
    assert stored.website == "https://kahvila.example.fi"


def test_a_wrong_check_digit_is_refused_and_nothing_is_saved(session: Session, world) -> None:
    bad = wrong_check_digit(make.valid_business_id(5_550_000))
    error = refused(
        session,
        lambda: companies.create_company(
            session, world.as_advisor, new_company(world, business_id=bad)
        ),
        InvalidBusinessId,
        "error.business_id.check_digit",
    )
    assert error.params["value"] == bad
    assert isinstance(error, ValidationError)
    assert error.field == "business_id"


@pytest.mark.parametrize("business_id", ["", "123456-7", "1234567-", "ABCDEFG-1", "12345678-9"])
def test_a_malformed_business_id_is_refused(session: Session, world, business_id: str) -> None:
    refused(
        session,
        lambda: companies.create_company(
            session, world.as_admin, new_company(world, business_id=business_id)
        ),
        InvalidBusinessId,
        "error.business_id.format",
    )


@pytest.mark.parametrize("spelling", ["hyphen", "digits"])
def test_a_duplicate_business_id_points_at_the_company_that_has_it(
    session: Session, world, spelling: str
) -> None:
    existing = world.leipomo
    typed = existing.business_id if spelling == "hyphen" else existing.business_id.replace("-", "")
    error = refused(
        session,
        lambda: companies.create_company(
            session, world.as_advisor, new_company(world, business_id=typed, name="Kopio Oy")
        ),
        DuplicateBusinessId,
        "error.business_id.duplicate",
    )
    assert error.params["company_id"] == existing.id
    assert error.params["value"] == existing.business_id


def test_advisor_may_not_add_a_company_outside_home_towns(session: Session, world) -> None:
    refused(
        session,
        lambda: companies.create_company(
            session, world.as_advisor, new_company(world, town_id=world.aanekoski.id)
        ),
        Forbidden,
        "error.forbidden_town",
    )


@pytest.mark.parametrize("role", ["manager", "leader"])
def test_roles_that_do_not_edit_companies_may_not_add_one(
    session: Session, world, role: str
) -> None:
    refused(
        session,
        lambda: companies.create_company(session, getattr(world, f"as_{role}"), new_company(world)),
        Forbidden,
        "error.forbidden",
    )


@pytest.mark.parametrize(
    ("changes", "key", "field"),
    [
        ({"name": "   "}, "error.required", "name"),
        ({"name": "x" * 201}, "error.text.too_long", "name"),
        ({"name": "Kahvila\x07 Oy"}, "error.text.control_characters", "name"),
        ({"town_id": UNKNOWN_ID}, "error.town.unknown", "town_id"),
        ({"industry_code": "5A"}, "error.industry_code.invalid", "industry_code"),
        ({"industry_section": "Z"}, "error.industry_section.invalid", "industry_section"),
        ({"staff_count": -1}, "error.staff_count.invalid", "staff_count"),
        ({"staff_count": None}, "error.size_class.required", "size_class"),
        ({"website": "ei osoite"}, "error.website.invalid", "website"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_company_field_is_validated(
    session: Session, world, changes: dict[str, Any], key: str, field: str
) -> None:
    # The admin may edit anywhere, so an unknown town is a validation error, not a permission one.
    error = refused(
        session,
        lambda: companies.create_company(session, world.as_admin, new_company(world, **changes)),
        ValidationError,
        key,
    )
    assert isinstance(error, ValidationError)
    assert error.field == field


def test_company_name_of_exactly_the_limit_and_with_markup_is_kept_as_typed(
    session: Session, world
) -> None:
    name = "<b>Kahvila</b> & <script>alert(1)</script>"
    created = companies.create_company(session, world.as_advisor, new_company(world, name=name))
    assert session.scalar(select(Company.name).where(Company.id == created.id)) == name
    long_name = "Ä" * 200
    created = companies.create_company(
        session,
        world.as_advisor,
        new_company(world, name=long_name, business_id=make.valid_business_id(5_560_000)),
    )
    assert session.scalar(select(Company.name).where(Company.id == created.id)) == long_name


def company_row(session: Session, company_id: int) -> tuple[Any, ...]:
    """The stored facts (autoflush first, so a change made in memory would show here too)."""
    row = session.execute(
        select(Company.business_id, Company.name, Company.town_id, Company.staff_count).where(
            Company.id == company_id
        )
    ).one()
    return tuple(row)


def as_input(company: Company, **changes: Any) -> CompanyInput:
    values: dict[str, Any] = {
        "business_id": company.business_id,
        "name": company.name,
        "town_id": company.town_id,
        "industry_section": company.industry_section,
        "staff_count": company.staff_count,
        "size_class": company.size_class,
    }
    return CompanyInput(**(values | changes))


def test_advisor_edits_a_company_of_a_home_town(session: Session, world) -> None:
    w = world
    updated = companies.update_company(
        session,
        w.as_advisor,
        w.leipomo.id,
        as_input(w.leipomo, name="Forssan Uusi Leipomo Oy", staff_count=60, size_class=None),
    )
    assert updated.updated_at is not None
    assert company_row(session, w.leipomo.id) == (
        w.leipomo.business_id,
        "Forssan Uusi Leipomo Oy",
        w.forssa.id,
        60,
    )
    assert (updated.name_key, updated.size_class) == ("forssan uusi leipomo oy", "medium")
    # Keeping its own business ID is not a duplicate.
    companies.update_company(session, w.as_advisor, w.leipomo.id, as_input(w.leipomo))


def test_editing_to_another_companys_business_id_is_refused(session: Session, world) -> None:
    w = world
    before = company_row(session, w.leipomo.id)
    error = refused(
        session,
        lambda: companies.update_company(
            session,
            w.as_advisor,
            w.leipomo.id,
            as_input(w.leipomo, business_id=w.virtanen.business_id, name="Muutettu Oy"),
        ),
        DuplicateBusinessId,
        "error.business_id.duplicate",
    )
    assert error.params["company_id"] == w.virtanen.id
    assert company_row(session, w.leipomo.id) == before


def test_editing_with_a_wrong_check_digit_changes_nothing(session: Session, world) -> None:
    w = world
    before = company_row(session, w.leipomo.id)
    refused(
        session,
        lambda: companies.update_company(
            session,
            w.as_advisor,
            w.leipomo.id,
            as_input(w.leipomo, business_id=wrong_check_digit(w.leipomo.business_id), name="X"),
        ),
        InvalidBusinessId,
        "error.business_id.check_digit",
    )
    assert company_row(session, w.leipomo.id) == before


def test_advisor_may_not_edit_another_towns_company_or_move_one_there(
    session: Session, world
) -> None:
    w = world
    kone, leipomo = company_row(session, w.kone.id), company_row(session, w.leipomo.id)
    refused(
        session,
        lambda: companies.update_company(
            session, w.as_advisor, w.kone.id, as_input(w.kone, name="Kaapattu Oy")
        ),
        Forbidden,
        "error.forbidden_town",
    )
    refused(
        session,
        lambda: companies.update_company(
            session, w.as_advisor, w.leipomo.id, as_input(w.leipomo, town_id=w.aanekoski.id)
        ),
        Forbidden,
        "error.forbidden_town",
    )
    assert (company_row(session, w.kone.id), company_row(session, w.leipomo.id)) == (kone, leipomo)
    # Their home-town colleague and the admin may.
    companies.update_company(session, w.as_advisor2, w.kone.id, as_input(w.kone, name="Kone Oy"))
    companies.update_company(session, w.as_admin, w.kone.id, as_input(w.kone, town_id=w.salo.id))
    assert company_row(session, w.kone.id)[1:3] == ("Kone Oy", w.salo.id)


def test_editing_an_unknown_company(session: Session, world) -> None:
    refused(
        session,
        lambda: companies.update_company(
            session, world.as_admin, UNKNOWN_ID, as_input(world.leipomo)
        ),
        NotFound,
        "error.not_found",
    )


# --- Contact persons ------------------------------------------------------------------------


def person_input(**changes: Any) -> ContactPersonInput:
    values: dict[str, Any] = {
        "first_name": " Maija ",
        "last_name": "Myyjä",
        "title": "Myyntipäällikkö",
        "email": "Maija.Myyja@Leipomo.FI",
        "phone": "+358 50 111 2222",
        "legal_basis": LegalBasis.CONSENT,
    }
    return ContactPersonInput(**(values | changes))


def test_contact_persons_are_added_edited_and_removed(session: Session, world) -> None:
    w = world
    added = contact_persons.add_contact_person(session, w.as_advisor, w.leipomo.id, person_input())
    assert (added.first_name, added.last_name, added.email, added.legal_basis) == (
        "Maija",
        "Myyjä",
        "Maija.Myyja@leipomo.fi",  # the domain lower-cased
        "consent",
    )
    listed = contact_persons.list_contact_persons(session, w.as_advisor, w.leipomo.id)
    assert [p["name"] for p in listed] == ["Liisa Leipuri", "Maija Myyjä"]  # by last name

    contact_persons.update_contact_person(
        session, w.as_advisor, added.id, person_input(title="Toimitusjohtaja", phone="")
    )
    row = session.get(ContactPerson, added.id)
    assert row is not None
    assert (row.title, row.phone) == ("Toimitusjohtaja", None)

    contact_persons.remove_contact_person(session, w.as_advisor, added.id)
    assert session.get(ContactPerson, added.id) is None
    assert [
        p["id"] for p in contact_persons.list_contact_persons(session, w.as_advisor, w.leipomo.id)
    ] == [w.person.id]


def test_removing_a_contact_person_keeps_the_contacts_that_named_them(
    session: Session, world
) -> None:
    w = world
    logged = contacts.log_contact(
        session,
        w.as_advisor,
        ContactInput(
            occurred_on=TODAY,
            channel=Channel.PHONE,
            summary="Soitto",
            company_id=w.leipomo.id,
            contact_person_id=w.person.id,
        ),
        today=TODAY,
    )
    contact_persons.remove_contact_person(session, w.as_advisor, w.person.id)
    stored = session.execute(
        select(Interaction.summary, Interaction.contact_person_id).where(
            Interaction.id == logged.interaction_id
        )
    ).one()
    assert tuple(stored) == ("Soitto", None)


@pytest.mark.parametrize(
    ("changes", "key", "field"),
    [
        ({"first_name": ""}, "error.required", "first_name"),
        ({"last_name": "  "}, "error.required", "last_name"),
        ({"last_name": "x" * 101}, "error.text.too_long", "last_name"),
        ({"email": "maija@"}, "error.email.invalid", "email"),
        ({"phone": "12345"}, "error.phone.invalid", "phone"),
        ({"phone": "040-abc-123"}, "error.phone.invalid", "phone"),
        ({"legal_basis": "whim"}, "error.legal_basis.invalid", "legal_basis"),
        ({"title": "x" * 121}, "error.text.too_long", "title"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_contact_person_fields_are_validated(
    session: Session, world, changes: dict[str, Any], key: str, field: str
) -> None:
    w = world
    error = refused(
        session,
        lambda: contact_persons.add_contact_person(
            session, w.as_advisor, w.leipomo.id, person_input(**changes)
        ),
        ValidationError,
        key,
    )
    assert isinstance(error, ValidationError)
    assert error.field == field
    before = session.execute(
        select(ContactPerson.first_name, ContactPerson.email).where(ContactPerson.id == w.person.id)
    ).one()
    refused(
        session,
        lambda: contact_persons.update_contact_person(
            session, w.as_advisor, w.person.id, person_input(**changes)
        ),
        ValidationError,
        key,
    )
    after = session.execute(
        select(ContactPerson.first_name, ContactPerson.email).where(ContactPerson.id == w.person.id)
    ).one()
    assert after == before


def test_advisor_may_not_change_another_towns_contact_persons(session: Session, world) -> None:
    w = world
    for call in (
        lambda: contact_persons.add_contact_person(
            session, w.as_advisor, w.kone.id, person_input()
        ),
        lambda: contact_persons.update_contact_person(
            session, w.as_advisor, w.kone_person.id, person_input()
        ),
        lambda: contact_persons.remove_contact_person(session, w.as_advisor, w.kone_person.id),
    ):
        refused(session, call, Forbidden, "error.forbidden_town")
    for call in (
        lambda: contact_persons.add_contact_person(session, w.as_leader, w.kone.id, person_input()),
        lambda: contact_persons.remove_contact_person(session, w.as_manager, w.kone_person.id),
    ):
        refused(session, call, Forbidden, "error.forbidden")
    assert session.get(ContactPerson, w.kone_person.id) is not None


def test_unknown_or_anonymised_contact_persons_are_not_found(session: Session, world) -> None:
    w = world
    w.person.anonymised_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session.flush()
    for person_id in (UNKNOWN_ID, w.person.id):
        refused(
            session,
            lambda person_id=person_id: contact_persons.remove_contact_person(
                session, w.as_advisor, person_id
            ),
            NotFound,
            "error.not_found",
        )
    assert contact_persons.list_contact_persons(session, w.as_advisor, w.leipomo.id) == []
    refused(
        session,
        lambda: contact_persons.add_contact_person(session, w.as_admin, UNKNOWN_ID, person_input()),
        NotFound,
        "error.not_found",
    )


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("advisor2", True),  # Äänekoski is a home town
        ("advisor", False),  # another town's advisor sees the names only
        ("advisor3", False),
        ("leader", True),
        ("admin", True),
        ("manager", True),
    ],
)
def test_email_and_phone_only_for_those_allowed(
    session: Session, world, viewer: str, sees: bool
) -> None:
    (person,) = contact_persons.list_contact_persons(
        session, getattr(world, f"as_{viewer}"), world.kone.id
    )
    assert person["name"] == "Kalle Kone"
    expected = ("kalle@konepaja.fi", "040 765 4321") if sees else (None, None)
    assert (person["email"], person["phone"]) == expected


# --- Logging a contact ------------------------------------------------------------------------

CONTACT_DAY = TODAY - 2 * DAY


def full_contact(w: SimpleNamespace, **changes: Any) -> ContactInput:
    """A valid contact with every part: person, project, two needs, a follow-up, a referral."""
    values: dict[str, Any] = {
        "occurred_on": CONTACT_DAY,
        "channel": Channel.VISIT,
        "summary": "  Yrityskäynti: laajennus suunnitteilla.  ",
        "company_id": w.leipomo.id,
        "contact_person_id": w.person.id,
        "project_id": w.network.id,
        "needs": (
            NeedInput(
                category_id=w.workforce.id, severity=Severity.YELLOW, description="Leipureita"
            ),
            NeedInput(category_id=w.funding.id, severity=Severity.RED, description=" Uusi uuni "),
        ),
        "follow_up": FollowUpInput(description="Lähetä rahoitusvaihtoehdot"),
        "referral": ReferralInput(
            consent=True, partner_id=w.hame_partner.id, need_index=1, note="Rahoitus uuniin"
        ),
    }
    return ContactInput(**(values | changes))


def new_company_contact(w: SimpleNamespace, **changes: Any) -> ContactInput:
    """A contact with a company and a contact person that are both new."""
    values: dict[str, Any] = {
        "company_id": None,
        "contact_person_id": None,
        "new_company": new_company(w),
        "new_contact_person": person_input(),
    }
    return full_contact(w, **(values | changes))


def test_logging_a_contact_saves_every_part(session: Session, world) -> None:
    w = world
    before = row_counts(session)
    logged = contacts.log_contact(session, w.as_advisor, full_contact(w), today=TODAY)

    after = row_counts(session)
    del before["audit_events"], after["audit_events"]  # an audit trail may come on top
    assert {table: after[table] - before[table] for table in after} == {
        "companies": 0,
        "contact_persons": 0,
        "interactions": 1,
        "needs": 2,
        "follow_ups": 1,
        "referrals": 1,
    }
    interaction = session.get(Interaction, logged.interaction_id)
    assert interaction is not None
    assert (
        interaction.company_id,
        interaction.advisor_id,
        interaction.occurred_on,
        interaction.channel,
        interaction.summary,
        interaction.contact_person_id,
        interaction.project_id,
    ) == (
        w.leipomo.id,
        w.advisor.id,
        CONTACT_DAY,
        "visit",
        "Yrityskäynti: laajennus suunnitteilla.",
        w.person.id,
        w.network.id,
    )
    assert logged.company_id == w.leipomo.id
    found_needs = [session.get(Need, need_id) for need_id in logged.need_ids]
    assert [
        (n.category_id, n.severity, n.description, n.status, n.identified_on, n.created_by_id)
        for n in found_needs
        if n is not None
    ] == [
        (w.workforce.id, "yellow", "Leipureita", "open", CONTACT_DAY, w.advisor.id),
        (w.funding.id, "red", "Uusi uuni", "open", CONTACT_DAY, w.advisor.id),
    ]
    assert {n.interaction_id for n in found_needs if n} == {interaction.id}

    follow_up = session.get(FollowUp, logged.follow_up_id)
    assert follow_up is not None
    assert (
        follow_up.owner_id,
        follow_up.due_on,
        follow_up.status,
        follow_up.description,
        follow_up.interaction_id,
        follow_up.need_id,  # two needs: the follow-up is about the contact, not one need
    ) == (
        w.advisor.id,
        CONTACT_DAY + 14 * DAY,
        "open",
        "Lähetä rahoitusvaihtoehdot",
        interaction.id,
        None,
    )

    referral = session.get(Referral, logged.referral_id)
    assert referral is not None
    assert (
        referral.company_id,
        referral.need_id,
        referral.partner_id,
        referral.project_id,
        referral.consent,
        referral.referred_on,
        referral.status,
        referral.note,
        referral.created_by_id,
        referral.interaction_id,
    ) == (
        w.leipomo.id,
        logged.need_ids[1],  # the need chosen for the referral
        w.hame_partner.id,
        None,
        True,
        CONTACT_DAY,
        "sent",
        "Rahoitus uuniin",
        w.advisor.id,
        interaction.id,
    )


def test_a_minimal_contact_and_its_defaults(session: Session, world) -> None:
    w = world
    logged = contacts.log_contact(
        session,
        w.as_advisor,
        ContactInput(
            occurred_on=TODAY,
            channel=Channel.EMAIL,
            summary="Sähköposti",
            company_id=w.kone.id,  # another town's company: contacts are logged anywhere
            needs=(NeedInput(w.funding.id, Severity.GREEN, "Rahoitus"),),
            follow_up=FollowUpInput(description="Soita", due_on=TODAY),  # on the day is fine
        ),
        today=TODAY,
    )
    assert logged.referral_id is None
    follow_up = session.get(FollowUp, logged.follow_up_id)
    assert follow_up is not None
    assert (follow_up.due_on, follow_up.owner_id, follow_up.need_id) == (
        TODAY,
        w.advisor.id,
        logged.need_ids[0],  # one need: the follow-up is about it
    )
    interaction = session.get(Interaction, logged.interaction_id)
    assert interaction is not None
    assert (interaction.contact_person_id, interaction.project_id) == (None, None)


def test_the_follow_up_may_go_to_a_colleague_and_the_referral_to_a_project(
    session: Session, world
) -> None:
    w = world
    logged = contacts.log_contact(
        session,
        w.as_manager,
        full_contact(
            w,
            follow_up=FollowUpInput(
                "Kutsu työpajaan", due_on=TODAY + 3 * DAY, owner_id=w.advisor2.id
            ),
            referral=ReferralInput(consent=True, project_id=w.network.id),
            summary="x" * 4000,
        ),
        today=TODAY,
    )
    follow_up = session.get(FollowUp, logged.follow_up_id)
    referral = session.get(Referral, logged.referral_id)
    assert follow_up is not None
    assert referral is not None
    assert (follow_up.owner_id, follow_up.due_on) == (w.advisor2.id, TODAY + 3 * DAY)
    assert (referral.project_id, referral.partner_id, referral.need_id) == (
        w.network.id,
        None,
        None,
    )


def test_a_new_company_and_contact_person_are_made_with_the_contact(
    session: Session, world
) -> None:
    w = world
    data = new_company_contact(w)
    logged = contacts.log_contact(session, w.as_advisor, data, today=TODAY)
    company = session.get(Company, logged.company_id)
    assert company is not None
    assert (company.business_id, company.name, company.town_id) == (
        data.new_company.business_id,  # type: ignore[union-attr]
        "Uusi Kahvila Oy",
        w.forssa.id,
    )
    interaction = session.get(Interaction, logged.interaction_id)
    assert interaction is not None
    person = session.get(ContactPerson, interaction.contact_person_id)
    assert person is not None
    assert (person.company_id, person.first_name, person.last_name) == (
        company.id,
        "Maija",
        "Myyjä",
    )
    assert (
        session.scalar(select(func.count()).select_from(Need).where(Need.company_id == company.id))
        == 2
    )


LONG = "x" * 4001

CONTACT_ERRORS: list[
    tuple[str, Callable[[SimpleNamespace], dict[str, Any]], type, str, str | None]
] = [
    ("empty summary", lambda w: {"summary": "   "}, ValidationError, "error.required", "summary"),
    (
        "summary too long",
        lambda w: {"summary": LONG},
        ValidationError,
        "error.text.too_long",
        "summary",
    ),
    (
        "control characters",
        lambda w: {"summary": "Käynti\x00 ja\x1b[31m"},
        ValidationError,
        "error.text.control_characters",
        "summary",
    ),
    (
        "future date",
        lambda w: {"occurred_on": TODAY + DAY},
        ValidationError,
        "error.contact.future_date",
        "occurred_on",
    ),
    (
        "date before 2000",
        lambda w: {"occurred_on": D(1999, 12, 31)},
        ValidationError,
        "error.contact.too_old",
        "occurred_on",
    ),
    (
        "unknown channel",
        lambda w: {"channel": "fax"},
        ValidationError,
        "error.contact.channel",
        "channel",
    ),
    (
        "no company",
        lambda w: {"company_id": None, "contact_person_id": None},
        ValidationError,
        "error.contact.company_required",
        "company",
    ),
    (
        "unknown company",
        lambda w: {"company_id": UNKNOWN_ID, "contact_person_id": None},
        NotFound,
        "error.company.not_found",
        None,
    ),
    (
        "contact person of another company",
        lambda w: {"contact_person_id": w.kone_person.id},
        ValidationError,
        "error.contact.person_mismatch",
        "contact_person",
    ),
    (
        "unknown project",
        lambda w: {"project_id": UNKNOWN_ID},
        ValidationError,
        "error.project.unknown",
        "project",
    ),
    (
        "inactive category",
        lambda w: {"needs": (NeedInput(w.retired.id, Severity.RED, "Vanha luokka"),)},
        ValidationError,
        "error.need.category",
        "need_1",
    ),
    (
        "unknown category in the second need",
        lambda w: {
            "needs": (
                NeedInput(w.funding.id, Severity.RED, "Rahoitus"),
                NeedInput(UNKNOWN_ID, Severity.RED, "Outo"),
            )
        },
        ValidationError,
        "error.need.category",
        "need_2",
    ),
    (
        "unknown severity",
        lambda w: {"needs": (NeedInput(w.funding.id, "purple", "Rahoitus"),)},
        ValidationError,
        "error.need.severity",
        "need_1",
    ),
    (
        "need without description",
        lambda w: {"needs": (NeedInput(w.funding.id, Severity.RED, "  "),)},
        ValidationError,
        "error.need.description",
        "need_1",
    ),
    (
        "need description too long",
        lambda w: {"needs": (NeedInput(w.funding.id, Severity.RED, LONG),)},
        ValidationError,
        "error.text.too_long",
        "need_1",
    ),
    (
        "follow-up due before the contact",
        lambda w: {"follow_up": FollowUpInput("Soita", due_on=CONTACT_DAY - DAY)},
        ValidationError,
        "error.follow_up.due_before_contact",
        "follow_up_due",
    ),
    (
        "follow-up without description",
        lambda w: {"follow_up": FollowUpInput(" ")},
        ValidationError,
        "error.required",
        "follow_up",
    ),
    (
        "follow-up owner inactive",
        lambda w: {"follow_up": FollowUpInput("Soita", owner_id=w.gone.id)},
        ValidationError,
        "error.follow_up.owner",
        "follow_up_owner",
    ),
    (
        "follow-up owner unknown",
        lambda w: {"follow_up": FollowUpInput("Soita", owner_id=UNKNOWN_ID)},
        ValidationError,
        "error.follow_up.owner",
        "follow_up_owner",
    ),
    (
        "referral without consent",
        lambda w: {"referral": ReferralInput(consent=False, partner_id=w.hame_partner.id)},
        ValidationError,
        "error.referral.consent",
        "referral_consent",
    ),
    (
        "referral with no target",
        lambda w: {"referral": ReferralInput(consent=True, need_index=0)},
        ValidationError,
        "error.referral.target",
        "referral_target",
    ),
    (
        "referral to an unknown partner",
        lambda w: {"referral": ReferralInput(consent=True, partner_id=UNKNOWN_ID)},
        ValidationError,
        "error.referral.target",
        "referral_target",
    ),
    (
        "referral to an unknown project",
        lambda w: {"referral": ReferralInput(consent=True, project_id=UNKNOWN_ID)},
        ValidationError,
        "error.referral.target",
        "referral_target",
    ),
    (
        "referral about a need the contact does not have",
        lambda w: {"referral": ReferralInput(consent=True, partner_id=w.finnvera.id, need_index=2)},
        ValidationError,
        "error.referral.need",
        "referral_need",
    ),
    (
        "referral note too long",
        lambda w: {"referral": ReferralInput(consent=True, partner_id=w.finnvera.id, note=LONG)},
        ValidationError,
        "error.text.too_long",
        "referral_note",
    ),
    (
        "new company with a wrong check digit",
        lambda w: {
            "company_id": None,
            "contact_person_id": None,
            "new_company": new_company(
                w, business_id=wrong_check_digit(make.valid_business_id(5_550_000))
            ),
            "new_contact_person": person_input(),
        },
        InvalidBusinessId,
        "error.business_id.check_digit",
        "business_id",
    ),
    (
        "new company already in the register",
        lambda w: {
            "company_id": None,
            "contact_person_id": None,
            "new_company": new_company(w, business_id=w.virtanen.business_id),
            "new_contact_person": person_input(),
        },
        DuplicateBusinessId,
        "error.business_id.duplicate",
        "business_id",
    ),
    (
        "new company outside the home towns",
        lambda w: {
            "company_id": None,
            "contact_person_id": None,
            "new_company": new_company(w, town_id=w.salo.id),
            "new_contact_person": person_input(),
        },
        Forbidden,
        "error.forbidden_town",
        None,
    ),
    (
        "new contact person at another town's company",
        lambda w: {
            "company_id": w.kone.id,
            "contact_person_id": None,
            "new_contact_person": person_input(),
        },
        Forbidden,
        "error.forbidden_town",
        None,
    ),
]


@pytest.mark.parametrize(
    ("changes", "error", "key", "field"),
    [case[1:] for case in CONTACT_ERRORS],
    ids=[case[0] for case in CONTACT_ERRORS],
)
def test_a_bad_contact_is_refused_whole(
    session: Session,
    world,
    changes: Callable[[SimpleNamespace], dict[str, Any]],
    error: type[DomainError],
    key: str,
    field: str | None,
) -> None:
    data = full_contact(world, **changes(world))
    caught = refused(
        session,
        lambda: contacts.log_contact(session, world.as_advisor, data, today=TODAY),
        error,
        key,
    )
    assert getattr(caught, "field", None) == field
    if key.startswith("error.need."):
        assert caught.params["number"] == int(field.removeprefix("need_"))  # type: ignore[union-attr]
    if key == "error.text.too_long":
        assert (caught.params["max_length"], caught.params["length"]) == (4000, 4001)
    if key == "error.business_id.duplicate":
        assert caught.params["company_id"] == world.virtanen.id


def test_a_bad_last_part_saves_no_new_company_person_or_need(session: Session, world) -> None:
    """The referral, the last part, lacks consent; the new company, person and needs before it
    must not be saved either."""
    w = world
    data = new_company_contact(
        w, referral=ReferralInput(consent=False, partner_id=w.hame_partner.id, need_index=0)
    )
    refused(
        session,
        lambda: contacts.log_contact(session, w.as_advisor, data, today=TODAY),
        ValidationError,
        "error.referral.consent",
    )
    assert (
        session.scalar(
            select(Company.id).where(Company.business_id == data.new_company.business_id)  # type: ignore[union-attr]
        )
        is None
    )


def test_leadership_may_not_log_contacts(session: Session, world) -> None:
    refused(
        session,
        lambda: contacts.log_contact(session, world.as_leader, full_contact(world), today=TODAY),
        Forbidden,
        "error.forbidden",
    )


def test_a_bad_new_contact_person_is_refused_before_anything_is_written(
    session: Session, world
) -> None:
    w = world
    data = new_company_contact(w, new_contact_person=person_input(email="ei-osoite"))
    refused(
        session,
        lambda: contacts.log_contact(session, w.as_advisor, data, today=TODAY),
        ValidationError,
        "error.email.invalid",
    )


# --- The company profile ----------------------------------------------------------------------


@pytest.fixture
def story(session: Session, world) -> SimpleNamespace:
    """Forssan Leipomo's history: one of each kind of event, plus another company's noise."""
    w = world
    s = SimpleNamespace()
    s.participation = make.participation(
        session,
        project=w.network,
        company=w.leipomo,
        occurred_on=D(2026, 6, 1),
        role=ParticipationRole.CO_DEVELOPER,
    )
    s.participation.activity_name = "Leipomotyöpaja"
    s.referral = make_referral(
        session,
        company=w.leipomo,
        referred_on=D(2026, 10, 5),
        partner=w.finnvera,
        note="Takaus",
    )
    s.old_need = make.need(
        session,
        company=w.leipomo,
        category=w.workforce,
        identified_on=D(2026, 9, 1),
        severity=Severity.YELLOW,
        status=NeedStatus.IN_PROGRESS,
        description="Kesätyöntekijät",
    )
    s.need = make.need(
        session,
        company=w.leipomo,
        category=w.funding,
        identified_on=D(2026, 11, 10),
        severity=Severity.GREEN,
        description="Koneinvestointi",
    )
    s.red_need = make.need(
        session,
        company=w.leipomo,
        category=w.funding,
        identified_on=D(2026, 8, 1),
        severity=Severity.RED,
        description="Kassakriisi",
    )
    s.met_need = make.need(
        session,
        company=w.leipomo,
        category=w.funding,
        identified_on=D(2026, 2, 1),
        severity=Severity.RED,
        status=NeedStatus.MET,
        resolved_on=D(2026, 3, 1),
        description="Vanha tarve",
    )
    s.interaction = make.interaction(
        session, company=w.leipomo, advisor=w.advisor, occurred_on=D(2026, 11, 20), summary="Käynti"
    )
    s.follow_up = make.follow_up(
        session, company=w.leipomo, owner=w.advisor, due_on=D(2026, 12, 1), description="Soita"
    )
    s.overdue = make.follow_up(
        session, company=w.leipomo, owner=w.advisor2, due_on=D(2026, 11, 15), description="Myöhässä"
    )
    s.done = make.follow_up(
        session,
        company=w.leipomo,
        owner=w.advisor,
        due_on=D(2026, 7, 1),
        status=FollowUpStatus.DONE,
        description="Tehty",
    )
    # Another company's events never show on this profile.
    make.interaction(session, company=w.kone, advisor=w.advisor, occurred_on=D(2026, 11, 21))
    make.need(session, company=w.kone, category=w.funding, identified_on=D(2026, 11, 21))
    make.follow_up(session, company=w.kone, owner=w.advisor, due_on=D(2026, 12, 2))
    session.flush()
    return s


def test_company_facts_and_whether_the_viewer_may_edit(session: Session, world) -> None:
    w = world
    facts = profile.company_facts(session, w.as_advisor, w.leipomo.id)
    assert (facts["name"], facts["business_id"], facts["town"], facts["region_fi"]) == (
        "Forssan Leipomo Oy",
        w.leipomo.business_id,
        "Forssa",
        "Kanta-Häme",
    )
    assert facts["can_edit"] is True
    assert profile.company_facts(session, w.as_advisor, w.kone.id)["can_edit"] is False
    assert profile.company_facts(session, w.as_leader, w.kone.id)["can_edit"] is False
    assert profile.company_facts(session, w.as_admin, w.kone.id)["can_edit"] is True
    refused(
        session,
        lambda: profile.company_facts(session, w.as_advisor, UNKNOWN_ID),
        NotFound,
        "error.company.not_found",
    )


def test_timeline_has_every_kind_newest_first(session: Session, world, story) -> None:
    w, s = world, story
    events = profile.timeline(session, w.as_advisor3, w.leipomo.id)
    shown = [
        (e["kind"], e["item_id"], e["on"], e["detail"], e["text"], e["who"]) for e in events.rows
    ]
    assert shown == [
        ("follow_up", s.follow_up.id, D(2026, 12, 1), "open", "Soita", "Aino Neuvoja"),
        ("interaction", s.interaction.id, D(2026, 11, 20), "visit", "Käynti", "Aino Neuvoja"),
        ("follow_up", s.overdue.id, D(2026, 11, 15), "open", "Myöhässä", "Bertta Neuvoja"),
        ("need", s.need.id, D(2026, 11, 10), "funding fi", "Koneinvestointi", "green"),
        ("referral", s.referral.id, D(2026, 10, 5), "Finnvera", "Takaus", "sent"),
        ("need", s.old_need.id, D(2026, 9, 1), "workforce fi", "Kesätyöntekijät", "yellow"),
        ("need", s.red_need.id, D(2026, 8, 1), "funding fi", "Kassakriisi", "red"),
        ("follow_up", s.done.id, D(2026, 7, 1), "done", "Tehty", "Aino Neuvoja"),
        (
            "participation",
            s.participation.id,
            D(2026, 6, 1),
            "Verkostohanke Häme",
            "Leipomotyöpaja",
            "co_developer",
        ),
        ("need", s.met_need.id, D(2026, 2, 1), "funding fi", "Vanha tarve", "red"),
    ]
    assert events.total == 10
    english = profile.timeline(session, w.as_advisor, w.leipomo.id, language="en")
    assert next(e["detail"] for e in english.rows if e["kind"] == "need") == "funding en"
    second = profile.timeline(session, w.as_advisor, w.leipomo.id, page=2, page_size=4)
    assert [e["item_id"] for e in second.rows] == [
        s.referral.id,
        s.old_need.id,
        s.red_need.id,
        s.done.id,
    ]


def test_a_logged_contact_shows_on_the_timeline(session: Session, world) -> None:
    w = world
    logged = contacts.log_contact(session, w.as_advisor, full_contact(w), today=TODAY)
    events = profile.timeline(session, w.as_advisor, w.leipomo.id).rows
    assert {(e["kind"], e["item_id"]) for e in events} == {
        ("interaction", logged.interaction_id),
        ("need", logged.need_ids[0]),
        ("need", logged.need_ids[1]),
        ("follow_up", logged.follow_up_id),
        ("referral", logged.referral_id),
    }
    assert events[0]["kind"] == "follow_up"  # due in twelve days: the newest date
    assert [e["on"] for e in events] == sorted((e["on"] for e in events), reverse=True)
    assert {e["on"] for e in events[1:]} == {CONTACT_DAY}


def test_open_needs_put_red_first(session: Session, world, story) -> None:
    rows = profile.open_needs(session, world.as_advisor, world.leipomo.id)
    assert [(r["id"], r["severity"], r["status"]) for r in rows] == [
        (story.red_need.id, "red", "open"),
        (story.old_need.id, "yellow", "in_progress"),
        (story.need.id, "green", "open"),
    ]
    assert rows[0]["category"] == "funding fi"


def test_open_follow_ups_soonest_first_with_overdue_marked(session: Session, world, story) -> None:
    rows = profile.open_follow_ups(session, world.as_leader, world.leipomo.id, today=TODAY)
    assert [(r["id"], r["due_on"], r["overdue"], r["owner"]) for r in rows] == [
        (story.overdue.id, D(2026, 11, 15), True, "Bertta Neuvoja"),
        (story.follow_up.id, D(2026, 12, 1), False, "Aino Neuvoja"),
    ]


def test_who_else_is_in_contact_in_the_last_twelve_months(session: Session, world) -> None:
    w = world

    def contact(advisor, on):  # type: ignore[no-untyped-def]
        make.interaction(session, company=w.leipomo, advisor=advisor, occurred_on=on)

    contact(w.advisor, D(2026, 11, 20))  # the viewer's own contacts are not "someone else"
    contact(w.advisor2, D(2026, 3, 1))
    contact(w.advisor2, D(2026, 9, 1))
    contact(w.manager, D(2026, 11, 1))
    contact(w.advisor3, D(2025, 10, 1))  # thirteen months ago: too old
    make.interaction(session, company=w.kone, advisor=w.advisor3, occurred_on=D(2026, 11, 1))

    rows = profile.who_else_in_contact(session, w.as_advisor, w.leipomo.id, today=TODAY)
    assert [
        (r["id"], r["advisor"], r["contacts"], r["last_contact"], r["towns"]) for r in rows
    ] == [
        (w.manager.id, "Daniel Hanke", 1, D(2026, 11, 1), ""),
        (w.advisor2.id, "Bertta Neuvoja", 2, D(2026, 9, 1), rows[1]["towns"]),
    ]
    assert set(rows[1]["towns"].split(", ")) == {"Salo", "Äänekoski"}

    # Seen by Bertta, Aino is the other one.
    rows = profile.who_else_in_contact(session, w.as_advisor2, w.leipomo.id, today=TODAY)
    assert [(r["advisor"], r["towns"]) for r in rows] == [
        ("Aino Neuvoja", "Forssa"),
        ("Daniel Hanke", ""),
    ]

    # The window moves with today: 1.3.2026 is within a year of 15.2.2027, not of 15.3.2027.
    def contacts_seen(today: dt.date) -> list[tuple[str, int]]:
        rows = profile.who_else_in_contact(session, w.as_advisor, w.leipomo.id, today=today)
        return [(r["advisor"], r["contacts"]) for r in rows]

    assert contacts_seen(D(2027, 2, 15)) == [("Daniel Hanke", 1), ("Bertta Neuvoja", 2)]
    assert contacts_seen(D(2027, 3, 15)) == [("Daniel Hanke", 1), ("Bertta Neuvoja", 1)]
    assert contacts_seen(D(2027, 11, 15)) == []


# --- Needs ------------------------------------------------------------------------------------


@pytest.fixture
def open_need(session: Session, world) -> Need:
    return make.need(
        session,
        company=world.leipomo,
        category=world.funding,
        identified_on=D(2026, 10, 1),
        severity=Severity.RED,
        description="Rahoitus uuniin",
    )


def need_state(session: Session, need_id: int) -> tuple[Any, ...]:
    row = session.execute(
        select(
            Need.status,
            Need.resolved_on,
            Need.resolution_note,
            Need.addressed_by_project_id,
            Need.addressed_by_partner_id,
        ).where(Need.id == need_id)
    ).one()
    return tuple(row)


@pytest.mark.parametrize("status", [NeedStatus.MET, NeedStatus.NOT_MET, NeedStatus.WITHDRAWN])
def test_closing_a_need_records_the_day_and_reopening_clears_it(
    session: Session, world, open_need: Need, status: NeedStatus
) -> None:
    w = world
    needs.change_need_status(
        session,
        w.as_advisor,
        open_need.id,
        status=status,
        today=TODAY,
        note=" Hoidettu hankkeessa ",
        project_id=w.network.id,
        partner_id=w.finnvera.id,
    )
    assert need_state(session, open_need.id) == (
        status.value,
        TODAY,
        "Hoidettu hankkeessa",
        w.network.id,
        w.finnvera.id,
    )
    needs.change_need_status(
        session, w.as_advisor, open_need.id, status=NeedStatus.OPEN, today=TODAY
    )
    assert need_state(session, open_need.id)[:3] == ("open", None, "Hoidettu hankkeessa")


def test_in_progress_is_not_resolved(session: Session, world, open_need: Need) -> None:
    needs.change_need_status(
        session,
        world.as_advisor,
        open_need.id,
        status=NeedStatus.IN_PROGRESS,
        today=TODAY,
        note="Työn alla",
    )
    assert need_state(session, open_need.id)[:3] == ("in_progress", None, "Työn alla")


@pytest.mark.parametrize(
    ("role", "key"),
    [
        ("advisor2", "error.forbidden_town"),
        ("manager", "error.forbidden"),
        ("leader", "error.forbidden"),
    ],
)
def test_only_home_town_advisors_and_admins_change_a_needs_status(
    session: Session, world, open_need: Need, role: str, key: str
) -> None:
    before = need_state(session, open_need.id)
    refused(
        session,
        lambda: needs.change_need_status(
            session, getattr(world, f"as_{role}"), open_need.id, status=NeedStatus.MET, today=TODAY
        ),
        Forbidden,
        key,
    )
    assert need_state(session, open_need.id) == before
    needs.change_need_status(
        session, world.as_admin, open_need.id, status=NeedStatus.MET, today=TODAY
    )
    assert need_state(session, open_need.id)[0] == "met"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"status": "done"}, "error.need.status"),
        ({"project_id": UNKNOWN_ID}, "error.project.unknown"),
        ({"partner_id": UNKNOWN_ID}, "error.referral.target"),
        ({"note": LONG}, "error.text.too_long"),
        ({"note": "ok\x00"}, "error.text.control_characters"),
    ],
)
def test_a_bad_status_change_changes_nothing(
    session: Session, world, open_need: Need, changes: dict[str, Any], key: str
) -> None:
    before = need_state(session, open_need.id)
    arguments: dict[str, Any] = {"status": NeedStatus.MET} | changes
    refused(
        session,
        lambda: needs.change_need_status(
            session, world.as_advisor, open_need.id, today=TODAY, **arguments
        ),
        ValidationError,
        key,
    )
    assert need_state(session, open_need.id) == before


def test_an_unknown_need(session: Session, world) -> None:
    refused(
        session,
        lambda: needs.change_need_status(
            session, world.as_admin, UNKNOWN_ID, status=NeedStatus.MET, today=TODAY
        ),
        NotFound,
        "error.need.not_found",
    )


def test_suggestions_are_active_projects_and_partners_covering_the_town_and_category(
    session: Session, world, open_need: Need
) -> None:
    w = world
    suggested = needs.suggestions_for_need(session, w.as_advisor3, open_need.id, today=TODAY)
    assert [p["id"] for p in suggested["projects"]] == [
        w.starts_today.id,  # "Alkava rahoitushanke"
        w.ends_today.id,  # "Päättyvä hanke"
        w.network.id,  # "Verkostohanke Häme"
    ]
    # The town's own first, then the region's, then national ones by name.
    assert [p["name"] for p in suggested["partners"]] == [
        "Forssan seudun kehittämiskeskus",
        "Hämeen ELY",
        "Business Finland",
        "Finnvera",
    ]


def test_suggestions_for_another_town_and_category(session: Session, world) -> None:
    w = world
    need = make.need(session, company=w.kone, category=w.workforce, identified_on=D(2026, 10, 1))
    suggested = needs.suggestions_for_need(session, w.as_advisor, need.id, today=TODAY)
    assert [p["name"] for p in suggested["projects"]] == ["Verkostohanke Häme"]
    assert [p["name"] for p in suggested["partners"]] == ["Äänekosken kehitys", "Finnvera"]
    salo_need = make.need(session, company=w.salon, category=w.workforce, identified_on=TODAY)
    assert needs.suggestions_for_need(session, w.as_advisor, salo_need.id, today=TODAY) == {
        "projects": [],
        "partners": [{"id": w.finnvera.id, "name": "Finnvera", "kind": "other"}],
    }


def referrals_of(session: Session, need_id: int) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(
            Referral.partner_id,
            Referral.project_id,
            Referral.consent,
            Referral.referred_on,
            Referral.status,
            Referral.note,
            Referral.created_by_id,
            Referral.company_id,
        )
        .where(Referral.need_id == need_id)
        .order_by(Referral.id)
    )
    return [tuple(row) for row in rows]


def test_referring_an_open_need_moves_it_to_in_progress(
    session: Session, world, open_need: Need
) -> None:
    w = world
    needs.refer_need(
        session,
        w.as_advisor,
        open_need.id,
        consent=True,
        today=TODAY,
        partner_id=w.hame_partner.id,
        note="Soittakaa",
    )
    assert referrals_of(session, open_need.id) == [
        (w.hame_partner.id, None, True, TODAY, "sent", "Soittakaa", w.advisor.id, w.leipomo.id)
    ]
    assert need_state(session, open_need.id)[0] == "in_progress"
    # A second referral, to a project, keeps it in progress.
    needs.refer_need(
        session, w.as_manager, open_need.id, consent=True, today=TODAY, project_id=w.network.id
    )
    assert [r[:2] for r in referrals_of(session, open_need.id)] == [
        (w.hame_partner.id, None),
        (None, w.network.id),
    ]
    assert need_state(session, open_need.id)[0] == "in_progress"


@pytest.mark.parametrize(
    ("targets", "consent", "key"),
    [
        ({"partner_id": "hame_partner"}, False, "error.referral.consent"),
        ({}, True, "error.referral.target"),
        ({"partner_id": "hame_partner", "project_id": "network"}, True, "error.referral.target"),
        ({"partner_id": None}, True, "error.referral.target"),
        ({"project_id": None}, True, "error.referral.target"),
    ],
    ids=["no consent", "no target", "two targets", "unknown partner", "unknown project"],
)
def test_a_referral_needs_consent_and_exactly_one_target(
    session: Session,
    world,
    open_need: Need,
    targets: dict[str, str | None],
    consent: bool,
    key: str,
) -> None:
    chosen = {
        name: getattr(world, attr).id if attr else UNKNOWN_ID for name, attr in targets.items()
    }
    before = need_state(session, open_need.id)
    refused(
        session,
        lambda: needs.refer_need(
            session, world.as_advisor, open_need.id, consent=consent, today=TODAY, **chosen
        ),
        ValidationError,
        key,
    )
    assert need_state(session, open_need.id) == before


def test_leadership_may_not_refer(session: Session, world, open_need: Need) -> None:
    refused(
        session,
        lambda: needs.refer_need(
            session,
            world.as_leader,
            open_need.id,
            consent=True,
            today=TODAY,
            partner_id=world.finnvera.id,
        ),
        Forbidden,
        "error.forbidden",
    )


def test_an_advisor_may_not_move_another_towns_need_by_referring_it(
    session: Session, world, open_need: Need
) -> None:
    before = need_state(session, open_need.id)
    with pytest.raises(Forbidden):
        needs.refer_need(
            session,
            world.as_advisor2,  # Äänekoski and Salo; the need is in Forssa
            open_need.id,
            consent=True,
            today=TODAY,
            partner_id=world.finnvera.id,
        )
    assert need_state(session, open_need.id) == before


# --- Follow-ups -------------------------------------------------------------------------------


@pytest.fixture
def tasks(session: Session, world) -> SimpleNamespace:
    w = world
    t = SimpleNamespace()

    def follow_up(company, owner, due_on, status=FollowUpStatus.OPEN):  # type: ignore[no-untyped-def]
        return make.follow_up(session, company=company, owner=owner, due_on=due_on, status=status)

    t.later = follow_up(w.leipomo, w.advisor, TODAY + 8 * DAY)
    t.week_end = follow_up(w.virtanen, w.advisor, TODAY + 7 * DAY)
    t.today = follow_up(w.leipomo, w.advisor, TODAY)
    t.yesterday = follow_up(w.kone, w.advisor, TODAY - DAY)  # hers, though in Äänekoski
    t.long_ago = follow_up(w.trading, w.advisor, D(2026, 11, 1))
    t.colleague_there = follow_up(w.kone, w.advisor2, D(2026, 11, 25))
    t.colleague_here = follow_up(w.leipomo, w.advisor2, D(2026, 12, 10))
    t.done = follow_up(w.leipomo, w.advisor, D(2026, 10, 1), FollowUpStatus.DONE)
    t.cancelled = follow_up(w.leipomo, w.advisor, D(2026, 10, 2), FollowUpStatus.CANCELLED)
    return t


def test_my_follow_ups_overdue_then_this_week_then_later(session: Session, world, tasks) -> None:
    t = tasks
    page = follow_ups.list_follow_ups(
        session, world.as_advisor, today=TODAY, owner_id=world.advisor.id
    )
    assert [(r["id"], r["bucket"], r["overdue"]) for r in page.rows] == [
        (t.long_ago.id, "overdue", True),
        (t.yesterday.id, "overdue", True),
        (t.today.id, "this_week", False),
        (t.week_end.id, "this_week", False),
        (t.later.id, "later", False),
    ]


def test_everyones_follow_ups_grouped_by_owner(session: Session, world, tasks) -> None:
    t = tasks
    page = follow_ups.list_follow_ups(session, world.as_leader, today=TODAY, by_owner=True)
    assert [(r["owner"], r["id"]) for r in page.rows] == [
        ("Aino Neuvoja", t.long_ago.id),
        ("Aino Neuvoja", t.yesterday.id),
        ("Aino Neuvoja", t.today.id),
        ("Aino Neuvoja", t.week_end.id),
        ("Aino Neuvoja", t.later.id),
        ("Bertta Neuvoja", t.colleague_there.id),
        ("Bertta Neuvoja", t.colleague_here.id),
    ]
    closed = follow_ups.list_follow_ups(
        session, world.as_leader, today=TODAY, status=None, owner_id=world.advisor.id
    )
    assert {r["id"]: r["bucket"] for r in closed.rows if r["bucket"] == "closed"} == {
        t.done.id: "closed",
        t.cancelled.id: "closed",
    }


def follow_up_state(session: Session, follow_up_id: int) -> tuple[Any, ...]:
    row = session.execute(
        select(FollowUp.status, FollowUp.due_on, FollowUp.done_on, FollowUp.owner_id).where(
            FollowUp.id == follow_up_id
        )
    ).one()
    return tuple(row)


def test_completing_and_cancelling(session: Session, world, tasks) -> None:
    w, t = world, tasks
    follow_ups.complete_follow_up(session, w.as_advisor, t.long_ago.id, today=TODAY)
    assert follow_up_state(session, t.long_ago.id) == ("done", D(2026, 11, 1), TODAY, w.advisor.id)
    follow_ups.cancel_follow_up(session, w.as_advisor, t.later.id)
    assert follow_up_state(session, t.later.id) == (
        "cancelled",
        TODAY + 8 * DAY,
        None,
        w.advisor.id,
    )
    mine = follow_ups.list_follow_ups(session, w.as_advisor, today=TODAY, owner_id=w.advisor.id)
    assert ids(mine) == [t.yesterday.id, t.today.id, t.week_end.id]


def test_rescheduling_never_into_the_past(session: Session, world, tasks) -> None:
    w, t = world, tasks
    before = follow_up_state(session, t.long_ago.id)
    refused(
        session,
        lambda: follow_ups.reschedule_follow_up(
            session, w.as_advisor, t.long_ago.id, due_on=TODAY - DAY, today=TODAY
        ),
        ValidationError,
        "error.follow_up.due_in_past",
    )
    assert follow_up_state(session, t.long_ago.id) == before
    follow_ups.reschedule_follow_up(session, w.as_advisor, t.long_ago.id, due_on=TODAY, today=TODAY)
    assert follow_up_state(session, t.long_ago.id)[:2] == ("open", TODAY)
    follow_ups.reschedule_follow_up(
        session, w.as_advisor, t.long_ago.id, due_on=D(2027, 1, 15), today=TODAY
    )
    assert follow_up_state(session, t.long_ago.id)[:2] == ("open", D(2027, 1, 15))


def test_reassigning_only_to_an_active_user(session: Session, world, tasks) -> None:
    w, t = world, tasks
    for owner_id in (w.gone.id, UNKNOWN_ID):
        refused(
            session,
            lambda owner_id=owner_id: follow_ups.reassign_follow_up(
                session, w.as_advisor, t.today.id, owner_id=owner_id
            ),
            ValidationError,
            "error.follow_up.owner",
        )
    assert follow_up_state(session, t.today.id)[3] == w.advisor.id
    follow_ups.reassign_follow_up(session, w.as_advisor, t.today.id, owner_id=w.advisor2.id)
    assert follow_up_state(session, t.today.id)[3] == w.advisor2.id
    mine = follow_ups.list_follow_ups(session, w.as_advisor2, today=TODAY, owner_id=w.advisor2.id)
    assert ids(mine) == [t.today.id, t.colleague_there.id, t.colleague_here.id]


ACTIONS: dict[str, Callable[[Session, Any, int], object]] = {
    "complete": lambda s, u, i: follow_ups.complete_follow_up(s, u, i, today=TODAY),
    "cancel": lambda s, u, i: follow_ups.cancel_follow_up(s, u, i),
    "reschedule": lambda s, u, i: follow_ups.reschedule_follow_up(
        s, u, i, due_on=TODAY + DAY, today=TODAY
    ),
    "reassign": lambda s, u, i: follow_ups.reassign_follow_up(s, u, i, owner_id=u.id),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_who_may_act_on_a_follow_up(session: Session, world, tasks, action: str) -> None:
    w, t, act = world, tasks, ACTIONS[action]
    # A colleague's follow-up in a town that is not hers: refused, unchanged.
    before = follow_up_state(session, t.colleague_there.id)
    refused(
        session,
        lambda: act(session, w.as_advisor, t.colleague_there.id),
        Forbidden,
        "error.forbidden_town",
    )
    refused(
        session,
        lambda: act(session, w.as_leader, t.colleague_there.id),
        Forbidden,
        "error.forbidden",
    )
    assert follow_up_state(session, t.colleague_there.id) == before
    # A colleague's follow-up at a company of her home town, and her own anywhere: allowed.
    act(session, w.as_advisor, t.colleague_here.id)
    act(session, w.as_advisor, t.yesterday.id)
    # The admin may act on anyone's.
    act(session, w.as_admin, t.colleague_there.id)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_closed_follow_up_cannot_be_changed(session: Session, world, tasks, action: str) -> None:
    w, t = world, tasks
    for follow_up_id in (t.done.id, t.cancelled.id):
        before = follow_up_state(session, follow_up_id)
        refused(
            session,
            lambda follow_up_id=follow_up_id: ACTIONS[action](session, w.as_advisor, follow_up_id),
            ValidationError,
            "error.follow_up.not_open",
        )
        assert follow_up_state(session, follow_up_id) == before
    refused(
        session,
        lambda: ACTIONS[action](session, w.as_admin, UNKNOWN_ID),
        NotFound,
        "error.follow_up.not_found",
    )
