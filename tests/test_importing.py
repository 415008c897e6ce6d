"""Import and export (issue 7) on SQLite and PostgreSQL, with real files built here.

* Files: an XLSX written by openpyxl, a semicolon CSV in Windows-1252 with Finnish letters, a
  comma CSV in UTF-8 with a byte order mark, a YTJ-shaped JSON file; companies, contact persons,
  contacts (dates in many formats) and participations. Finnish and English headers recognised.
* Broken files give a clear report (a message key with a Finnish text; per row: row number and
  column) and write nothing, unless the valid rows only are explicitly imported.
* Companies already in the register are updated or skipped, as chosen.
* Round trip: the companies export imported into a new empty database gives the same records.
* Exports cannot be mistaken for formulas; the full ZIP export has every table but no secrets.
* Likely duplicates, and merging them with all their history, audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import AuditAction, Channel, ParticipationRole, PartnershipKind, Role
from db.migrate import upgrade
from db.models import (
    AuditEvent,
    Base,
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    Participation,
    Partnership,
    Referral,
    Region,
    Town,
    User,
)
from services import companies, duplicates, exports, importing
from services.companies import CompanyInput
from services.errors import Forbidden, NotFound, ValidationError
from services.exports import full_export_zip, neutralise, to_csv, to_xlsx
from services.i18n import translate
from services.importing import (
    FIELDS,
    MAX_FILE_BYTES,
    Problem,
    auto_mapping,
    check_rows,
    import_rows,
)
from tests import factories as make
from tests.databases import new_empty_database
from tests.test_security import build_world, table_counts

W = SimpleNamespace
PAST = dt.date(2025, 3, 5)


@pytest.fixture
def world(session: Session) -> W:
    w = build_world(session)
    keski = make.region(session, code="13", name="Keski-Suomi")
    pirkanmaa = make.region(session, code="06", name="Pirkanmaa")
    pohjanmaa = make.region(session, code="15", name="Pohjanmaa")
    w.aanekoski = make.town(session, "Äänekoski", region=keski)
    w.mantta = make.town(session, "Mänttä-Vilppula", region=pirkanmaa)
    w.narpio = make.town(session, "Närpiö", region=pohjanmaa)
    return w


def bid(number: int) -> str:
    """A valid business ID of its own for each number used here."""
    return make.valid_business_id(8_000_000 + number * 100)


def csv_bytes(lines: list[str], *, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Yritykset"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def checked_file(
    session: Session, w: W, data: bytes, name: str, entity: str = "companies"
) -> importing.CheckedRows:
    table = importing.read_file(data, name)
    return check_rows(session, w.admin, entity, table, auto_mapping(entity, table.headers))


def problems(checked: importing.CheckedRows) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.key) for p in checked.problems]


def all_explained(found: list[Problem]) -> None:
    """Every problem has a message in Finnish and English, with its values filled in."""
    for problem in found:
        for language in ("fi", "en"):
            text = translate(problem.key, language, **dict(problem.params))
            assert text != problem.key
            assert "{" not in text, text


def company(session: Session, business_id: str) -> Company:
    return session.scalars(select(Company).where(Company.business_id == business_id)).one()


# --- Real files: companies -------------------------------------------------------------------


def test_an_xlsx_written_by_openpyxl(session: Session, world: W) -> None:
    data = xlsx_bytes(
        [
            ["Y-tunnus", "Yrityksen nimi", "Kotikunta", "Toimiala", "Henkilöstö", "Kokoluokka",
             "WWW"],
            [bid(1), "Äänekosken Öljy Oy", "Äänekoski", "46711", 12, None, "www.oljy.fi"],
            [bid(2), "Mäntän Mylly Ky", "mänttä-vilppula", "C", 3.0, "pieni", None],
            [bid(3), "Forssan Valimo Oy", "FORSSA", 25110, 260, "", ""],
        ]
    )  # fmt: skip
    checked = checked_file(session, world, data, "yritykset.xlsx")
    assert checked.problems == []
    assert checked.total == 3
    before = table_counts(session)
    report = import_rows(session, world.admin, checked)
    assert (report.created, report.updated, report.skipped, report.refused) == (3, 0, 0, 0)
    assert table_counts(session)["companies"] == before["companies"] + 3

    oljy = company(session, bid(1))
    assert (oljy.name, oljy.town_id, oljy.industry_code, oljy.industry_section) == (
        "Äänekosken Öljy Oy",
        world.aanekoski.id,
        "46711",
        "G",
    )
    assert (oljy.staff_count, oljy.size_class, oljy.website) == (12, "small", "www.oljy.fi")
    mylly = company(session, bid(2))
    assert (mylly.town_id, mylly.industry_section, mylly.industry_code) == (
        world.mantta.id,
        "C",
        None,
    )
    assert (mylly.staff_count, mylly.size_class) == (3, "small")  # the file's size class wins
    valimo = company(session, bid(3))
    assert (valimo.town_id, valimo.industry_code, valimo.industry_section) == (
        world.forssa.id,
        "25110",
        "C",
    )
    assert (valimo.staff_count, valimo.size_class, valimo.website) == (260, "large", None)
    assert valimo.name_key == "forssan valimo oy"


def test_a_semicolon_csv_in_windows_1252_with_finnish_letters(session: Session, world: W) -> None:
    data = csv_bytes(
        [
            "Y-tunnus;Nimi;Kotikunta",
            f"{bid(4)};Öljy-Åström Oy;Äänekoski",
            f"{bid(5)};Määttä & Pöyhönen Ky;Mänttä-Vilppula",
            f'{bid(6)};"Sävel; Ääni ja Kuva Oy";Närpiö',
        ],
        encoding="cp1252",
    )
    assert data[:3] != b"\xef\xbb\xbf"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = importing.read_file(data, "yritykset.csv")
    assert table.headers == ["Y-tunnus", "Nimi", "Kotikunta"]
    assert [row["Nimi"] for row in table.rows] == [
        "Öljy-Åström Oy",
        "Määttä & Pöyhönen Ky",
        "Sävel; Ääni ja Kuva Oy",
    ]
    checked = check_rows(
        session, world.admin, "companies", table, auto_mapping("companies", table.headers)
    )
    assert checked.problems == []
    import_rows(session, world.admin, checked)
    assert company(session, bid(4)).name == "Öljy-Åström Oy"
    assert company(session, bid(5)).town_id == world.mantta.id
    assert company(session, bid(6)).town_id == world.narpio.id
    # With no staff count or size class, a company is a micro company.
    assert company(session, bid(6)).size_class == "micro"


def test_a_comma_csv_in_utf8_with_a_byte_order_mark_and_english_headers(
    session: Session, world: W
) -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        [
            "Business ID,Name,Municipality,Industry code,Employees,Website",
            f'{bid(7)},"Kahvila ☕, Leipomo & Co",Forssa,56101,4,https://kahvila.fi',
            f"{bid(8)[:7]}{bid(8)[8]},Nordic Ab,Loimaa,,,",  # business ID typed without hyphen
        ]
    )
    table = importing.read_file(data, "companies.CSV")
    assert table.headers[0] == "Business ID"  # the byte order mark is not part of the header
    checked = check_rows(
        session, world.admin, "companies", table, auto_mapping("companies", table.headers)
    )
    assert checked.problems == []
    import_rows(session, world.admin, checked)
    kahvila = company(session, bid(7))
    assert (kahvila.name, kahvila.industry_section, kahvila.website) == (
        "Kahvila ☕, Leipomo & Co",
        "I",
        "https://kahvila.fi",
    )
    assert company(session, bid(8)).town_id == world.loimaa.id


def ytj_company(business_id: str, names: list[dict[str, Any]], offices: list[dict[str, Any]],
                **extra: Any) -> dict[str, Any]:  # fmt: skip
    """One company as the business register's open-data API (YTJ v3 /companies) gives it."""
    return {
        "businessId": {"value": business_id, "registrationDate": "2001-05-04", "source": "3"},
        "names": names,
        "companyForms": [{"type": "16", "descriptions": [{"languageCode": "1",
                                                          "description": "Osakeyhtiö"}]}],
        "addresses": [
            {"type": 1, "street": "Kauppakatu 1", "postCode": "44100", "postOffices": offices,
             "registrationDate": "2015-01-01", "source": "0"},
            {"type": 2, "postCode": "00100", "postOfficeBox": "12",
             "postOffices": [{"city": "HELSINKI", "languageCode": "1", "municipalityCode": "091"}]},
        ],
        "registrationDate": "2001-05-04",
        "lastModified": "2025-01-01T12:00:00",
        **extra,
    }  # fmt: skip


def test_a_ytj_json_file(session: Session, world: W) -> None:
    document = {
        "totalResults": 3,
        "companies": [
            ytj_company(
                bid(9),
                [
                    {"name": "Vanha Nimi Oy", "type": "1", "registrationDate": "2001-05-04",
                     "endDate": "2019-12-31", "version": 2, "source": "1"},
                    {"name": "Rinnakkaistoiminimi Ab", "type": "3", "registrationDate":
                     "2020-01-01", "version": 1, "source": "1"},
                    {"name": "Äänekosken Ohjelmisto Oy", "type": "1",
                     "registrationDate": "2020-01-01", "version": 1, "source": "1"},
                ],
                [{"city": "ÄÄNEKOSKI", "languageCode": "1", "municipalityCode": "992"},
                 {"city": "ÄÄNEKOSKI", "languageCode": "2", "municipalityCode": "992"}],
                mainBusinessLine={"type": "62010", "typeCodeSet": "TOIMI4", "descriptions": [
                    {"languageCode": "1", "description": "Ohjelmistojen suunnittelu"}]},
                website={"url": "www.ohjelmisto.fi", "registrationDate": "2020-01-01"},
            ),
            ytj_company(
                bid(10),
                [{"name": "Närpes Trä Ab", "type": "1", "registrationDate": "1990-01-01",
                  "version": 1}],
                # Swedish first: the Finnish name of the town is chosen.
                [{"city": "NÄRPES", "languageCode": "2", "municipalityCode": "545"},
                 {"city": "NÄRPIÖ", "languageCode": "1", "municipalityCode": "545"}],
                mainBusinessLine={"type": "16100"},
            ),
            ytj_company(
                bid(11),
                [{"name": "Loimaan Kone Oy", "type": "1", "version": 1}],
                [{"city": "LOIMAA", "languageCode": "1"}],
            ),
        ],
    }  # fmt: skip
    data = json.dumps(document, ensure_ascii=False, indent=2).encode()
    table = importing.read_file(data, "ytj.json")
    assert table.first_row_number == 1
    assert [row["name"] for row in table.rows] == [
        "Äänekosken Ohjelmisto Oy",
        "Närpes Trä Ab",
        "Loimaan Kone Oy",
    ]
    checked = check_rows(
        session, world.admin, "companies", table, auto_mapping("companies", table.headers)
    )
    assert checked.problems == []
    import_rows(session, world.admin, checked)
    software = company(session, bid(9))
    assert (software.name, software.town_id, software.industry_code) == (
        "Äänekosken Ohjelmisto Oy",
        world.aanekoski.id,
        "62010",
    )
    assert (software.industry_section, software.website) == ("J", "www.ohjelmisto.fi")
    wood = company(session, bid(10))
    assert (wood.town_id, wood.industry_section) == (world.narpio.id, "C")
    assert company(session, bid(11)).town_id == world.loimaa.id

    # A bare list of companies is read too.
    bare = json.dumps(document["companies"][2:]).encode()
    assert importing.read_file(bare, "lista.json").rows[0]["name"] == "Loimaan Kone Oy"


# --- Real files: people, contacts, participations --------------------------------------------


def test_contact_persons_from_a_finnish_csv(session: Session, world: W) -> None:
    data = csv_bytes(
        [
            "Y-tunnus;Etunimi;Sukunimi;Tehtävä;Sähköposti;Puhelin;Käsittelyperuste",
            f"{world.home.business_id};Sirpa;Säkkinen;Toimitusjohtaja;sirpa@EXAMPLE.fi;"
            "+358 40 123 4567;",
            f"{world.away.business_id};Åke;Öhman;;ake@example.fi;040-7654321;consent",
            f"{world.home.business_id};Virhe;Osoite;;ei-osoite;;",
            f"{bid(99)};Tuntematon;Yritys;;;;",
            f"{world.home.business_id};;Etunimetön;;;12;lupa",
        ],
        encoding="cp1252",
    )
    checked = checked_file(session, world, data, "henkilot.csv", "contact_persons")
    assert problems(checked) == [
        (4, "Sähköposti", "error.email.invalid"),
        (5, "Y-tunnus", "error.import.unknown_company"),
        (6, "Puhelin", "error.phone.invalid"),
        (6, "Käsittelyperuste", "error.import.value"),
        (6, "Etunimi", "error.required"),
    ]
    all_explained(checked.problems)
    before = table_counts(session)
    with pytest.raises(ValidationError) as caught:
        import_rows(session, world.admin, checked)
    assert caught.value.key == "error.import.invalid_rows"
    assert caught.value.params == {"count": 3}
    assert table_counts(session) == before

    report = import_rows(session, world.admin, checked, valid_only=True)
    assert (report.created, report.refused) == (2, 3)
    people = session.execute(
        select(ContactPerson.first_name, ContactPerson.last_name, ContactPerson.email,
               ContactPerson.phone, ContactPerson.legal_basis, ContactPerson.company_id)
        .where(ContactPerson.first_name.in_(["Sirpa", "Åke"]))
        .order_by(ContactPerson.id)
    ).all()  # fmt: skip
    assert [tuple(row) for row in people] == [
        ("Sirpa", "Säkkinen", "sirpa@example.fi", "+358 40 123 4567", "legitimate_interest",
         world.home.id),
        ("Åke", "Öhman", "ake@example.fi", "040-7654321", "consent", world.away.id),
    ]  # fmt: skip


def test_contacts_with_dates_in_many_formats(session: Session, world: W) -> None:
    data = csv_bytes(
        [
            "Y-tunnus;Päivämäärä;Yhteydenottotapa;Muistiinpanot;Yritysneuvoja",
            f"{world.home.business_id};5.3.2025;Yrityskäynti;Käynti tehtaalla;Aino Neuvoja",
            f"{world.home.business_id};2025-03-06;puhelu;Soitto;{world.advisor_row.username}",
            f"{world.away.business_id};7.3.25;Teams;Etätapaaminen;",
            f"{world.away.business_id};08/03/2025;sähköposti;Viesti;{world.pm_row.email}",
            f"{world.away.business_id};31.2.2025;puhelu;Mahdoton päivä;",
            f"{world.away.business_id};ensi viikolla;puhelu;Ei päivää;",
            f"{world.away.business_id};1.1.2099;puhelu;Tulevaisuudessa;",
            f"{world.away.business_id};9.3.2025;kirje;Tuntematon kanava;",
            f"{world.away.business_id};10.3.2025;puhelu;;",
            f"{world.away.business_id};11.3.2025;puhelu;Kuka?;Tuntematon Neuvoja",
        ]
    )
    checked = checked_file(session, world, data, "kaynnit.csv", "interactions")
    assert problems(checked) == [
        (6, "Päivämäärä", "error.import.date"),
        (7, "Päivämäärä", "error.import.date"),
        (8, "Päivämäärä", "error.contact.future_date"),
        (9, "Yhteydenottotapa", "error.import.value"),
        (10, "Muistiinpanot", "error.required"),
        (11, "Yritysneuvoja", "error.import.unknown_user"),
    ]
    assert checked.problems[0].params == {"value": "31.2.2025"}
    all_explained(checked.problems)
    before = table_counts(session)
    with pytest.raises(ValidationError):
        import_rows(session, world.admin, checked)
    assert table_counts(session) == before

    import_rows(session, world.admin, checked, valid_only=True)
    rows = session.execute(
        select(Interaction.occurred_on, Interaction.channel, Interaction.advisor_id)
        .where(Interaction.occurred_on.between(dt.date(2025, 3, 1), dt.date(2025, 3, 31)))
        .order_by(Interaction.occurred_on)
    ).all()
    assert [tuple(row) for row in rows] == [
        (dt.date(2025, 3, 5), Channel.VISIT, world.advisor_row.id),
        (dt.date(2025, 3, 6), Channel.PHONE, world.advisor_row.id),
        (dt.date(2025, 3, 7), Channel.ONLINE, world.admin.id),  # no advisor: the importer's
        (dt.date(2025, 3, 8), Channel.EMAIL, world.pm_row.id),
    ]


def test_an_xlsx_of_contacts_with_real_date_cells(session: Session, world: W) -> None:
    data = xlsx_bytes(
        [
            ["Y-tunnus", "Pvm", "Kanava", "Yhteenveto"],
            [world.home.business_id, dt.datetime(2025, 4, 1, 9, 30), "tapaaminen", "Aamu"],
            [world.home.business_id, dt.date(2025, 4, 2), "kysely", "Kysely"],
            [world.home.business_id, "2.4.2025", "tapahtuma", "Messut"],
        ]
    )
    checked = checked_file(session, world, data, "kaynnit.xlsx", "interactions")
    assert checked.problems == []
    assert [values["occurred_on"] for _, values in checked.valid] == [
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 2),
        dt.date(2025, 4, 2),
    ]
    assert [values["channel"] for _, values in checked.valid] == ["meeting", "survey", "event"]


def test_participations(session: Session, world: W) -> None:
    project = world.own_project.name  # 1.1.2026-31.12.2027
    data = csv_bytes(
        [
            "Y-tunnus;Hanke;Pvm;Toiminto;Tilaisuus;Rooli;Arvosana;Tarve täyttyi",
            f"{world.home.business_id};{project.upper()};15.3.2026;Työpaja;Kevätpaja;"
            "Yhteiskehittäjä;5;kyllä",
            f"{world.away.business_id};{project};2026-03-16;koulutus;;;;",
            f"{world.away.business_id};{project};1.1.2025;koulutus;;;;",
            f"{world.away.business_id};Tuntematon hanke;1.3.2026;koulutus;;;;",
            f"{world.away.business_id};{project};1.3.2026;luento;;johtaja;6;ehkä",
        ]
    )
    checked = checked_file(session, world, data, "osallistujat.csv", "participations")
    assert problems(checked) == [
        (4, "Pvm", "error.participation.outside_period"),
        (5, "Hanke", "error.import.unknown_project"),
        (6, "Arvosana", "error.participation.score"),
        (6, "Toiminto", "error.import.value"),
        (6, "Rooli", "error.import.value"),
        (6, "Tarve täyttyi", "error.import.value"),
    ]
    all_explained(checked.problems)
    report = import_rows(session, world.admin, checked, valid_only=True)
    assert (report.created, report.refused) == (2, 3)
    rows = session.execute(
        select(Participation.company_id, Participation.activity_type, Participation.activity_name,
               Participation.role, Participation.feedback_score, Participation.need_met)
        .where(Participation.occurred_on.in_([dt.date(2026, 3, 15), dt.date(2026, 3, 16)]))
        .order_by(Participation.occurred_on)
    ).all()  # fmt: skip
    assert [tuple(row) for row in rows] == [
        (world.home.id, "workshop", "Kevätpaja", ParticipationRole.CO_DEVELOPER, 5, "yes"),
        (world.away.id, "training", None, ParticipationRole.PARTICIPANT, None, None),
    ]


# --- Recognising columns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "headers", "expected"),
    [
        (
            "companies",
            [" Y-TUNNUS ", "Yrityksen nimi", "KOTIKUNTA", "TOL 2008", "Henkilöstö", "Koko", "www"],
            {"business_id": " Y-TUNNUS ", "name": "Yrityksen nimi", "town": "KOTIKUNTA",
             "industry_code": "TOL 2008", "staff_count": "Henkilöstö", "size_class": "Koko",
             "website": "www"},
        ),
        (
            "companies",
            ["Business ID", "Company", "Home town", "Industry", "Staff count", "Size class",
             "Web"],
            {"business_id": "Business ID", "name": "Company", "town": "Home town",
             "industry_section": "Industry", "staff_count": "Staff count",
             "size_class": "Size class", "website": "Web"},
        ),
        (
            "companies",
            ["ytunnus", "Toiminimi", "Sijaintikunta", "Muuta"],
            {"business_id": "ytunnus", "name": "Toiminimi", "town": "Sijaintikunta",
             "industry_code": None, "staff_count": None, "size_class": None, "website": None},
        ),
        (
            "contact_persons",
            ["Y-tunnus", "ETUNIMI", "Sukunimi", "Tehtävänimike", "Sähköposti", "Matkapuhelin"],
            {"business_id": "Y-tunnus", "first_name": "ETUNIMI", "last_name": "Sukunimi",
             "title": "Tehtävänimike", "email": "Sähköposti", "phone": "Matkapuhelin",
             "legal_basis": None},
        ),
        (
            "contact_persons",
            ["Business ID", "First name", "Surname", "Title", "E-mail", "Phone", "Legal basis"],
            {"business_id": "Business ID", "first_name": "First name", "last_name": "Surname",
             "title": "Title", "email": "E-mail", "phone": "Phone",
             "legal_basis": "Legal basis"},
        ),
        (
            "interactions",
            ["Y-tunnus", "Käyntipäivä", "Tapa", "Kuvaus", "Kirjaaja"],
            {"business_id": "Y-tunnus", "date": "Käyntipäivä", "channel": "Tapa",
             "summary": "Kuvaus", "advisor": "Kirjaaja"},
        ),
        (
            "interactions",
            ["Business ID", "Date", "Channel", "Notes", "Advisor"],
            {"business_id": "Business ID", "date": "Date", "channel": "Channel",
             "summary": "Notes", "advisor": "Advisor"},
        ),
        (
            "participations",
            ["Y-tunnus", "Hanke", "Päivä", "Tilaisuuden tyyppi", "Tapahtuma", "Rooli",
             "Palaute", "Tarve täyttyi"],
            {"business_id": "Y-tunnus", "project": "Hanke", "date": "Päivä",
             "activity_type": "Tilaisuuden tyyppi", "activity_name": "Tapahtuma",
             "role": "Rooli", "feedback_score": "Palaute", "need_met": "Tarve täyttyi"},
        ),
    ],
)  # fmt: skip
def test_finnish_and_english_headers_are_recognised(
    entity: str, headers: list[str], expected: dict[str, str | None]
) -> None:
    # Fields the file has no column for map to None; "is_active" is one of those here.
    assert auto_mapping(entity, headers) == dict.fromkeys(FIELDS[entity]) | expected


# --- Broken files ----------------------------------------------------------------------------


def refused_file(data: bytes, name: str, key: str, **params: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        importing.read_file(data, name)
    assert caught.value.key == key
    if params:
        assert caught.value.params == params
    assert translate(key, "fi", **params) != key


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"", "tyhja.csv", "error.import.empty"),
        (b"   \r\n \r\n;;;\r\n", "tyhjat-rivit.csv", "error.import.empty"),
        (b"Y-tunnus;Nimi;Kotikunta\r\n", "vain-otsikko.csv", "error.import.no_rows"),
        (b"\xef\xbb\xbf", "vain-bom.csv", "error.import.empty"),
        (b"Y-tunnus;Nimi;Nimi\r\n1;2;3\r\n", "toistuva.csv", "error.import.headers"),
        (b";;\r\n\r\n", "ei-otsikoita.csv", "error.import.empty"),
        (
            b"Y-tunnus;Nimi;Kotikunta\r\n1234567-8;\x81\x8d\x8f\x90\x9d;Forssa\r\n",
            "sekava.csv",
            "error.import.encoding",
        ),
        (b"PK\x03\x04 ei oikeasti zip", "rikki.xlsx", "error.import.not_xlsx"),
        (b"Y-tunnus;Nimi\r\n", "rikki.xlsx", "error.import.not_xlsx"),
        (b"{ei jsonia", "rikki.json", "error.import.json"),
        (b'{"results": []}', "vaara.json", "error.import.json"),
        (b'"merkkijono"', "vaara.json", "error.import.json"),
        (b'{"companies": []}', "tyhja.json", "error.import.no_rows"),
        (b"%PDF-1.7", "yritykset.pdf", "error.import.file_type"),
        (b"Y-tunnus;Nimi\r\n", "yritykset", "error.import.file_type"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_clear_message(
    data: bytes, name: str, key: str
) -> None:
    refused_file(data, name, key)


def test_an_empty_xlsx(session: Session) -> None:
    refused_file(xlsx_bytes([]), "tyhja.xlsx", "error.import.empty")
    refused_file(xlsx_bytes([["Y-tunnus", "Nimi", "Kotikunta"]]), "otsikko.xlsx",
                 "error.import.no_rows")  # fmt: skip


def test_a_file_over_50_megabytes_is_refused_before_it_is_read() -> None:
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
    too_big = b"Y-tunnus;Nimi;Kotikunta\r\n" + b"x" * (MAX_FILE_BYTES + 1)
    refused_file(too_big, "iso.csv", "error.import.too_big", maximum=50)
    refused_file(b"x" * (MAX_FILE_BYTES + 1), "iso.xlsx", "error.import.too_big", maximum=50)
    # Exactly the limit is not too big (it fails as a file type here, quickly).
    refused_file(b"x" * MAX_FILE_BYTES, "iso.bin", "error.import.file_type")


def test_a_utf16_file_is_refused_for_its_encoding() -> None:
    data = "Y-tunnus\tNimi\tKotikunta\r\n1234567-8\tÖljy Oy\tForssa\r\n".encode("utf-16")
    refused_file(data, "unicode-teksti.txt", "error.import.encoding")


@pytest.mark.parametrize(
    "data",
    [
        f"Y-tunnus;Nimi;Kotikunta\r\n1234567-8;{'x' * 1_000_000};Forssa\r\n".encode(),
        (
            'Y-tunnus;Nimi;Kotikunta\r\n1234567-8;"Auki jäänyt lainaus;Forssa\r\n'
            + "x;y;z\r\n" * 30_000
        ).encode(),
    ],
    ids=["one_megabyte_cell", "unclosed_quote"],
)  # fmt: skip
def test_a_csv_with_a_huge_cell_gives_a_clear_report(data: bytes) -> None:
    with pytest.raises(ValidationError):
        importing.read_file(data, "iso-solu.csv")


def test_a_json_file_of_another_shape_gives_a_clear_report() -> None:
    v1 = {"results": [], "companies": [{"businessId": "1234567-8", "name": "Vanha Rajapinta Oy"}]}
    with pytest.raises(ValidationError):
        importing.read_file(json.dumps(v1).encode(), "ytj-v1.json")


def test_a_one_megabyte_cell_in_an_xlsx_is_reported_per_row(session: Session, world: W) -> None:
    data = xlsx_bytes([["Y-tunnus", "Nimi", "Kotikunta"], [bid(12), "x" * 1_000_000, "Forssa"]])
    checked = checked_file(session, world, data, "iso.xlsx")
    assert problems(checked) == [(2, "Nimi", "error.text.too_long")]
    # openpyxl keeps at most Excel's 32 767 characters of a cell; still far too long.
    assert checked.problems[0].params["max_length"] == 200
    assert checked.problems[0].params["length"] >= 32_767


def test_missing_required_columns(session: Session, world: W) -> None:
    data = csv_bytes(["Y-tunnus;Toimiala", f"{bid(13)};C"])
    with pytest.raises(ValidationError) as caught:
        checked_file(session, world, data, "puuttuu.csv")
    assert caught.value.key == "error.import.unmapped"
    assert caught.value.params == {"fields": "name, town"}
    assert "name, town" in translate("error.import.unmapped", "fi", **caught.value.params)
    with pytest.raises(ValidationError) as caught:
        checked_file(session, world, data, "puuttuu.csv", "interactions")
    assert caught.value.params == {"fields": "date, channel, summary"}
    with pytest.raises(ValidationError) as caught:
        check_rows(session, world.admin, "laskut", importing.read_file(data, "a.csv"), {})
    assert caught.value.key == "error.import.entity"


@pytest.fixture
def broken_companies(session: Session, world: W) -> importing.CheckedRows:
    """A companies file with good rows and every kind of bad one."""
    good = bid(20)
    data = csv_bytes(
        [
            "Y-tunnus;Nimi;Kotikunta;Henkilöstö;Kokoluokka;Verkkosivut",
            f"{good};Hyvä Oy;Forssa;5;;",
            f"{good[:-1]}{(int(good[-1]) + 1) % 10};Väärä tarkiste Oy;Forssa;;;",
            "123456-7;Liian lyhyt Oy;Forssa;;;",
            "ABCDEFG-H;Kirjaimia Oy;Forssa;;;",
            ";Tyhjä tunnus Oy;Forssa;;;",
            f"{bid(21)};Tuntematon kunta Oy;Atlantis;;;",
            f"{good.replace('-', '')};Sama tunnus uudelleen Oy;Forssa;;;",
            f"{bid(22)};;Forssa;;;",
            f"{bid(23)};Outo koko Oy;Forssa;paljon;jättimäinen;",
            f"{bid(24)};Ohjausmerkki\x07 Oy;Forssa;;;",
            f"{bid(25)};Toinen hyvä Oy;Tammela;250;;",
            f"{bid(26)};Kolmas hyvä Oy;Loimaa;;keskisuuri;www.kolmas.fi",
        ]
    )
    return checked_file(session, world, data, "sekalainen.csv")


def test_bad_rows_are_reported_with_row_numbers_and_columns(
    broken_companies: importing.CheckedRows,
) -> None:
    checked = broken_companies
    assert checked.total == 12
    assert problems(checked) == [
        (3, "Y-tunnus", "error.business_id.check_digit"),
        (4, "Y-tunnus", "error.business_id.format"),
        (5, "Y-tunnus", "error.business_id.format"),
        (6, "Y-tunnus", "error.business_id.format"),
        (7, "Kotikunta", "error.import.unknown_town"),
        (8, "Y-tunnus", "error.import.repeat"),
        (9, "Nimi", "error.required"),
        (10, "Henkilöstö", "error.staff_count.invalid"),
        (10, "Kokoluokka", "error.import.value"),
        (11, "Nimi", "error.text.control_characters"),
    ]
    assert checked.invalid_rows == 9
    assert [number for number, _ in checked.valid] == [2, 12, 13]
    assert checked.problems[4].params == {"value": "Atlantis"}
    all_explained(checked.problems)
    report = importing.problems_csv(checked.problems, lambda key, **p: translate(key, "fi", **p))
    assert report[4] == {
        "row": 7,
        "column": "Kotikunta",
        "problem": "Kuntaa ”Atlantis” ei löytynyt.",
    }


def test_nothing_is_written_unless_every_row_is_valid(
    session: Session, world: W, broken_companies: importing.CheckedRows
) -> None:
    before = table_counts(session)
    with pytest.raises(ValidationError) as caught:
        import_rows(session, world.admin, broken_companies)
    assert caught.value.key == "error.import.invalid_rows"
    assert caught.value.params == {"count": 9}
    assert table_counts(session) == before


def test_valid_rows_only_when_asked(
    session: Session, world: W, broken_companies: importing.CheckedRows
) -> None:
    before = table_counts(session)
    progress: list[float] = []
    report = import_rows(
        session, world.admin, broken_companies, valid_only=True, progress=progress.append
    )
    assert (report.created, report.updated, report.skipped, report.refused) == (3, 0, 0, 9)
    assert progress == [1.0]
    after = table_counts(session)
    assert after["companies"] == before["companies"] + 3
    assert after["audit_events"] == before["audit_events"] + 3
    assert {
        c.name for c in session.scalars(select(Company).where(Company.id > world.twin_b.id))
    } >= {
        "Hyvä Oy",
        "Toinen hyvä Oy",
        "Kolmas hyvä Oy",
    }
    assert company(session, bid(25)).size_class == "large"
    assert company(session, bid(26)).size_class == "medium"


def test_row_numbers_count_blank_rows(session: Session, world: W) -> None:
    data = xlsx_bytes(
        [
            ["Y-tunnus", "Nimi", "Kotikunta"],
            [bid(30), "Hyvä Oy", "Forssa"],
            [None, None, None],
            [bid(31), "Huono kunta Oy", "Atlantis"],
        ]
    )
    checked = checked_file(session, world, data, "aukko.xlsx")
    assert problems(checked) == [(4, "Kotikunta", "error.import.unknown_town")]


# --- Companies already in the register -------------------------------------------------------


def update_file(w: W) -> bytes:
    return csv_bytes(
        [
            "Y-tunnus;Nimi;Kotikunta;Henkilöstö",
            f"{w.home.business_id};Kotikylän Konepaja Oyj;Tammela;40",
            f"{bid(40)};Aivan Uusi Oy;Forssa;2",
        ]
    )


def test_known_companies_are_skipped_by_default(session: Session, world: W) -> None:
    checked = checked_file(session, world, update_file(world), "paivitys.csv")
    report = import_rows(session, world.admin, checked)
    assert (report.created, report.updated, report.skipped) == (1, 0, 1)
    session.expire_all()
    home = session.get(Company, world.home.id)
    assert (home.name, home.town_id, home.staff_count) == (
        "Kotikylän Konepaja Oy",
        world.forssa.id,
        5,
    )


def test_known_companies_are_updated_when_chosen(session: Session, world: W) -> None:
    checked = checked_file(session, world, update_file(world), "paivitys.csv")
    mark = session.scalar(select(func.max(AuditEvent.id))) or 0
    report = import_rows(session, world.admin, checked, update_existing=True)
    assert (report.created, report.updated, report.skipped) == (1, 1, 0)
    session.expire_all()
    home = session.get(Company, world.home.id)
    assert (home.name, home.name_key, home.town_id, home.staff_count, home.size_class) == (
        "Kotikylän Konepaja Oyj",
        "kotikylan konepaja oyj",
        world.tammela.id,
        40,
        "small",
    )
    assert (
        session.scalar(select(func.count()).where(Company.business_id == world.home.business_id))
        == 1
    )
    update = session.execute(
        select(AuditEvent.user_id, AuditEvent.changes).where(
            AuditEvent.id > mark,
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.entity == "companies",
            AuditEvent.entity_id == world.home.id,
        )
    ).one()
    assert update.user_id == world.admin.id
    assert update.changes["name"] == {
        "old": "Kotikylän Konepaja Oy",
        "new": "Kotikylän Konepaja Oyj",
    }


def test_updating_from_a_file_without_sizes_keeps_the_size_class(
    session: Session, world: W
) -> None:
    big = make.company(session, "Suuri Tehdas Oy", town=world.forssa, business_id=bid(41),
                       staff_count=300)  # fmt: skip
    data = csv_bytes(["Y-tunnus;Nimi;Kotikunta", f"{big.business_id};Suuri Tehdas Oyj;Forssa"])
    checked = checked_file(session, world, data, "nimet.csv")
    import_rows(session, world.admin, checked, update_existing=True)
    session.expire_all()
    stored = session.get(Company, big.id)
    assert stored.name == "Suuri Tehdas Oyj"
    assert (stored.staff_count, stored.size_class) == (300, "large")


def test_only_administrators_import(session: Session, world: W) -> None:
    data = csv_bytes(["Y-tunnus;Nimi;Kotikunta", f"{bid(42)};Oy;Forssa"])
    table = importing.read_file(data, "a.csv")
    mapping = auto_mapping("companies", table.headers)
    checked = check_rows(session, world.admin, "companies", table, mapping)
    for role in (Role.ADVISOR, Role.PROJECT_MANAGER, Role.LEADERSHIP):
        with pytest.raises(Forbidden):
            check_rows(session, world.users[role], "companies", table, mapping)
        with pytest.raises(Forbidden):
            import_rows(session, world.users[role], checked)


# --- Round trip ------------------------------------------------------------------------------

# As pages/import-export.py: the shown columns, then every other field the import reads back.
EXPORT_COLUMNS = ["business_id", "name", "town", "industry_section", "size_class", "staff_count",
                  "industry_code", "website", "is_active"]  # fmt: skip


def page_export(session: Session, w: W, language: str, *, xlsx: bool = False) -> bytes:
    """The companies download as pages/import-export.py makes it, in the given language."""
    rows = companies.export_companies(session, w.admin)
    for row in rows:
        row["size_class"] = translate(f"size_class.{row['size_class']}", language)
    headers = {column: translate(f"col.{column}", language) for column in EXPORT_COLUMNS}
    if xlsx:
        return to_xlsx([(translate("export.companies", language), rows, headers)])
    return to_csv(rows, headers)


@pytest.fixture
def empty_database(
    engine: Engine, request: pytest.FixtureRequest, tmp_path: Any
) -> Iterator[Engine]:
    """A second, empty, migrated database on the same backend, with the towns and an admin."""
    url = new_empty_database(engine.dialect.name, request, tmp_path)
    target = make_engine(url)
    upgrade(target)
    with Session(target) as session:
        regions: dict[str, Region] = {}
        for code, name in (("05", "Kanta-Häme"), ("02", "Varsinais-Suomi"), ("13", "Keski-Suomi"),
                           ("06", "Pirkanmaa"), ("15", "Pohjanmaa")):  # fmt: skip
            regions[name] = make.region(session, code=code, name=name)
        towns = (
            ("Forssa", "Kanta-Häme"),
            ("Tammela", "Kanta-Häme"),
            ("Loimaa", "Varsinais-Suomi"),
            ("Äänekoski", "Keski-Suomi"),
            ("Mänttä-Vilppula", "Pirkanmaa"),
            ("Närpiö", "Pohjanmaa"),
        )
        for name, region in towns:
            make.town(session, name, region=regions[region])
        make.user(session, role=Role.ADMIN, username="tuoja", full_name="Tuoja Ylläpito")
        session.commit()
    yield target
    target.dispose()


def register(session: Session) -> dict[str, tuple[Any, ...]]:
    """Every company as (name, town, section, size class, staff), by business ID."""
    rows = session.execute(
        select(Company.business_id, Company.name, Town.name, Company.industry_section,
               Company.size_class, Company.staff_count)
        .join(Town, Town.id == Company.town_id)
    ).all()  # fmt: skip
    return {row[0]: tuple(row[1:]) for row in rows}


def import_into(target: Engine, data: bytes, name: str, **options: Any) -> importing.ImportReport:
    with Session(target) as session:
        admin = make.signed_in(session, session.scalars(select(User)).one())
        table = importing.read_file(data, name)
        checked = check_rows(
            session, admin, "companies", table, auto_mapping("companies", table.headers)
        )
        assert problems(checked) == []
        report = import_rows(session, admin, checked, **options)
        session.commit()
        return report


def round_trip_companies(session: Session, w: W) -> None:
    for number, name, town, section, staff in (
        (50, 'Öljy & Åström; "Lainausmerkit" Oy', w.aanekoski, "G", 3),
        (51, "Kahvila ☕ <b>Leipomo</b> Ky", w.forssa, "I", 12),
        (52, "Mänttä-Vilppulan Mylly, Oy", w.mantta, None, 260),
        (53, "'; DROP TABLE companies; --", w.narpio, "C", 0),
    ):
        companies.create_company(
            session,
            w.admin,
            CompanyInput(bid(number), name, town.id, industry_section=section, staff_count=staff),
        )
    session.flush()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["fi", "en"])
def test_export_then_import_into_an_empty_database_gives_the_same_records(
    session: Session, world: W, empty_database: Engine, language: str, fmt: str
) -> None:
    round_trip_companies(session, world)
    exported = register(session)
    assert len(exported) == 8  # the world's four and these four
    data = page_export(session, world, language, xlsx=fmt == "xlsx")
    report = import_into(empty_database, data, f"yritykset.{fmt}")
    assert (report.created, report.updated, report.skipped, report.refused) == (8, 0, 0, 0)
    with Session(empty_database) as target:
        assert register(target) == exported
        # Importing the same file again finds every company already there.
    again = import_into(empty_database, data, f"yritykset.{fmt}")
    assert (again.created, again.skipped) == (0, 8)


def test_a_medium_company_survives_the_finnish_round_trip(
    session: Session, world: W, empty_database: Engine
) -> None:
    companies.create_company(
        session, world.admin, CompanyInput(bid(60), "Keskikokoinen Oy", world.forssa.id,
                                           staff_count=120)
    )  # fmt: skip
    data = page_export(session, world, "fi")
    import_into(empty_database, data, "yritykset.csv")
    with Session(empty_database) as target:
        assert register(target) == register(session)


def test_a_name_starting_like_a_formula_survives_the_round_trip(
    session: Session, world: W, empty_database: Engine
) -> None:
    for number, name in ((61, "+Plus Palvelut Oy"), (62, "@Home Oy"), (63, "-30 % Outlet Oy")):
        companies.create_company(
            session, world.admin, CompanyInput(bid(number), name, world.forssa.id, staff_count=1)
        )
    import_into(empty_database, page_export(session, world, "en"), "companies.csv")
    with Session(empty_database) as target:
        assert register(target) == register(session)


def test_the_round_trip_keeps_industry_code_and_website(
    session: Session, world: W, empty_database: Engine
) -> None:
    companies.create_company(
        session,
        world.admin,
        CompanyInput(bid(64), "Koodi Oy", world.forssa.id, industry_code="62010",
                     industry_section="J", staff_count=4, website="www.koodi.fi"),
    )  # fmt: skip
    import_into(empty_database, page_export(session, world, "fi"), "yritykset.csv")
    with Session(empty_database) as target:
        row = target.scalars(select(Company).where(Company.business_id == bid(64))).one()
        assert (row.industry_code, row.website) == ("62010", "www.koodi.fi")


# --- Formula neutralising --------------------------------------------------------------------

DANGEROUS = {
    "equals": '=HYPERLINK("http://evil.example","Klikkaa")',
    "plus": "+358 40 123 4567",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(A1:A9)",
    "tab": "\t=1+1",
    "carriage_return": "\r=1+1",
}
HARMLESS = {
    "text": "Tavallinen Oy",
    "inner_equals": "a=b",
    "space_first": " =1+1",
    "apostrophe": "'jo lainattu",
    "finnish": "Äänekoski",
}


def test_neutralise() -> None:
    for value in DANGEROUS.values():
        assert neutralise(value) == "'" + value
    for value in HARMLESS.values():
        assert neutralise(value) == value
    for value in (-5, 3.5, None, True, dt.date(2026, 1, 1)):
        assert neutralise(value) == value


def test_csv_cells_are_never_formulas() -> None:
    rows = [{"name": value, "n": -5, "flag": True, "none": None} for value in DANGEROUS.values()]
    rows += [{"name": value, "n": 7, "flag": False, "none": None} for value in HARMLESS.values()]
    data = to_csv(rows, {"name": "Nimi", "n": "Luku", "flag": "Lippu", "none": "Tyhjä"})
    assert data.startswith(b"\xef\xbb\xbf")  # for Finnish Excel
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert parsed[0] == ["Nimi", "Luku", "Lippu", "Tyhjä"]
    names = [row[0] for row in parsed[1:]]
    assert names == ["'" + v for v in DANGEROUS.values()] + list(HARMLESS.values())
    for row in parsed[1:]:
        assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert [row[1:] for row in parsed[1:2]] == [["-5", "1", ""]]  # numbers stay numbers
    decimals = to_csv([{"x": -3.5}, {"x": 0.25}], {"x": "Luku"}).decode("utf-8-sig")
    assert decimals.splitlines()[1:] == ["-3,5", "0,25"]  # Finnish decimals, still numbers


def test_xlsx_cells_are_never_formulas() -> None:
    rows = [{"name": value, "n": -5} for value in DANGEROUS.values()]
    data = to_xlsx([("Vienti", rows, {"name": "Nimi", "n": "Luku"})])
    workbook = load_workbook(io.BytesIO(data))  # formulas, if any, would be kept as formulas
    sheet = workbook["Vienti"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    # (XML reads a carriage return back as a line feed.)
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(rows))] == [
        "'" + value.replace("\r", "\n") for value in DANGEROUS.values()
    ]
    assert sheet.cell(row=2, column=2).value == -5
    assert sheet.cell(row=2, column=1).data_type == "s"


# --- The full export -------------------------------------------------------------------------


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {
            name: list(
                csv.reader(
                    io.StringIO(archive.read(name).decode("utf-8-sig"), newline=""), delimiter=";"
                )
            )
            for name in archive.namelist()
        }


def test_the_full_export_has_every_table_and_no_secrets(session: Session, world: W) -> None:
    companies.create_company(
        session, world.admin, CompanyInput(bid(70), DANGEROUS["equals"], world.forssa.id,
                                           staff_count=1)
    )  # fmt: skip
    hashes = list(session.scalars(select(User.password_hash)))
    counts = table_counts(session)
    data = full_export_zip(session, world.admin)
    files = read_zip(data)

    expected = {f"{t.name}.csv" for t in Base.metadata.sorted_tables} - {"user_sessions.csv"}
    assert set(files) == expected
    for table in Base.metadata.sorted_tables:
        if table.name == "user_sessions":
            continue
        header, *rows = files[f"{table.name}.csv"]
        hidden = {"password_hash"} if table.name == "users" else set()
        assert header == [c.name for c in table.columns if c.name not in hidden]
        assert len(rows) == counts[table.name], table.name
    assert "password_hash" not in files["users.csv"][0]
    usernames = {row[files["users.csv"][0].index("username")] for row in files["users.csv"][1:]}
    assert world.advisor_row.username in usernames
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for secret in hashes:
        assert secret not in everything
    assert "$argon2" not in everything
    name_column = files["companies.csv"][0].index("name")
    assert "'" + DANGEROUS["equals"] in {row[name_column] for row in files["companies.csv"][1:]}

    event = session.execute(
        select(AuditEvent.user_id, AuditEvent.entity, AuditEvent.changes).where(
            AuditEvent.action == AuditAction.EXPORT
        )
    ).one()
    assert tuple(event) == (world.admin.id, "all", None)


def test_only_administrators_take_the_full_export(session: Session, world: W) -> None:
    for role in (Role.ADVISOR, Role.PROJECT_MANAGER, Role.LEADERSHIP):
        with pytest.raises(Forbidden):
            exports.full_export_zip(session, world.users[role])
    assert session.scalar(select(func.count()).where(AuditEvent.action == AuditAction.EXPORT)) == 0


# --- Duplicates and merging ------------------------------------------------------------------


def test_likely_duplicates_are_the_same_name_in_the_same_town(session: Session, world: W) -> None:
    a = make.company(session, "Äänekosken Öljy Oy", town=world.aanekoski)
    b = make.company(session, "aanekosken oljy oy", town=world.aanekoski)
    make.company(session, "Äänekosken Öljy Oy", town=world.forssa)  # another town
    make.company(session, "Äänekosken Öljy Ab", town=world.aanekoski)  # another name
    found = duplicates.likely_duplicates(session, world.admin)
    assert [row["id"] for row in found] == [*sorted([a.id, b.id]), world.twin_a.id, world.twin_b.id]
    assert {row["town"] for row in found} == {"Äänekoski", "Forssa"}
    for role in (Role.ADVISOR, Role.PROJECT_MANAGER, Role.LEADERSHIP):
        with pytest.raises(Forbidden):
            duplicates.likely_duplicates(session, world.users[role])


HISTORY = (ContactPerson, Interaction, Need, FollowUp, Referral, Participation)


def company_history_counts(session: Session, company_id: int) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(
            select(func.count()).select_from(model).where(model.company_id == company_id)
        )
        or 0
        for model in HISTORY
    }


def test_merging_moves_all_history_and_is_audited(session: Session, world: W) -> None:
    keep, remove = world.home, world.away  # the away company has people, needs, follow-ups...
    session.add(
        Referral(company_id=remove.id, partner_id=world.partner.id, consent=True,
                 referred_on=dt.date(2026, 1, 1))
    )  # fmt: skip
    make.participation(
        session, project=world.own_project, company=remove, occurred_on=dt.date(2026, 5, 5)
    )
    make.interaction(
        session, company=remove, advisor=world.advisor_row, occurred_on=dt.date(2026, 5, 5)
    )
    session.add(
        Partnership(kind=PartnershipKind.RND, first_partner_id=world.partner.id,
                    second_company_id=remove.id, starts_on=dt.date(2026, 2, 2))
    )  # fmt: skip
    kept_before = company_history_counts(session, keep.id)
    moving = {**company_history_counts(session, remove.id), "partnerships": 1}
    assert all(moving.values())  # something of every kind moves
    total = table_counts(session)

    moved = duplicates.merge_companies(session, world.admin, keep_id=keep.id, remove_id=remove.id)
    session.expire_all()
    assert moved == moving
    del moving["partnerships"]  # partnerships name the company in two columns, checked here:
    assert session.scalars(
        select(Partnership.second_company_id).where(
            Partnership.first_partner_id == world.partner.id
        )
    ).all() == [keep.id]
    assert company_history_counts(session, remove.id) == dict.fromkeys(moving, 0)
    assert company_history_counts(session, keep.id) == {
        name: kept_before[name] + moving[name] for name in moving
    }
    assert session.get(Company, remove.id) is None
    after = table_counts(session)
    assert after["companies"] == total["companies"] - 1
    for model in HISTORY:
        assert after[model.__tablename__] == total[model.__tablename__]

    merged = session.execute(
        select(AuditEvent.user_id, AuditEvent.changes).where(
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.entity == "companies",
            AuditEvent.entity_id == keep.id,
        )
    ).one()
    assert merged.user_id == world.admin.id
    assert merged.changes["merged"]["old"] == {
        "id": remove.id,
        "business_id": remove.business_id,
        "name": "Loimaan Leipomo Oy",
    }
    assert merged.changes["merged"]["new"] == {**moving, "partnerships": 1}
    deleted = session.execute(
        select(AuditEvent.entity_id).where(AuditEvent.action == AuditAction.DELETE)
    ).scalar_one()
    assert deleted == remove.id


def test_merging_a_company_into_itself_or_an_unknown_one_is_refused(
    session: Session, world: W
) -> None:
    before = table_counts(session)
    with pytest.raises(ValidationError) as caught:
        duplicates.merge_companies(
            session, world.admin, keep_id=world.twin_a.id, remove_id=world.twin_a.id
        )
    assert caught.value.key == "error.merge.same"
    assert translate("error.merge.same", "fi") != "error.merge.same"
    with pytest.raises(NotFound):
        duplicates.merge_companies(session, world.admin, keep_id=world.twin_a.id, remove_id=987_654)
    with pytest.raises(NotFound):
        duplicates.merge_companies(session, world.admin, keep_id=987_654, remove_id=world.twin_a.id)
    for role in (Role.ADVISOR, Role.PROJECT_MANAGER, Role.LEADERSHIP):
        with pytest.raises(Forbidden):
            duplicates.merge_companies(
                session, world.users[role], keep_id=world.twin_a.id, remove_id=world.twin_b.id
            )
    assert table_counts(session) == before
