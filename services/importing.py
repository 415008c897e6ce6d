"""Bringing in the spreadsheets advisors already have: read, map columns, validate, import.

Files: CSV (comma or semicolon; UTF-8 or Windows-1252, as Finnish Excel writes them), XLSX, and
for companies the JSON of the Finnish business register's open-data API (YTJ v3 /companies).
Nothing is written unless every row is valid, unless the user explicitly imports the valid rows
only; a company already in the register (by business ID) is updated or skipped, as chosen.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import (
    TOL_SECTIONS,
    ActivityType,
    Channel,
    LegalBasis,
    NeedMet,
    ParticipationRole,
    SizeClass,
    size_class_for_staff,
)
from db.models import (
    NAME_MAX,
    TEXT_MAX,
    Company,
    ContactPerson,
    Interaction,
    Participation,
    Project,
    Town,
    User,
)
from services.audit import acting_as
from services.auth import CurrentUser
from services.errors import ValidationError
from services.exports import FORMULA_PREFIXES
from services.permissions import Action, require
from services.validation import (
    clean_email,
    clean_phone,
    clean_text,
    normalise_business_id,
    search_key,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
BATCH = 2_000
ENTITIES = ("companies", "contact_persons", "interactions", "participations")

# For each kind of record: field -> (required, header names recognised, lower-case, no accents).
FIELDS: dict[str, dict[str, tuple[bool, tuple[str, ...]]]] = {
    "companies": {
        "business_id": (True, ("y-tunnus", "ytunnus", "business id", "business_id", "y tunnus")),
        "name": (True, ("nimi", "yritys", "yrityksen nimi", "toiminimi", "name", "company")),
        "town": (
            True,
            ("kotikunta", "kunta", "sijaintikunta", "town", "municipality", "home town"),
        ),
        "industry_code": (
            False,
            ("toimialakoodi", "tol", "tol 2008", "industry code"),
        ),
        "industry_section": (False, ("toimiala", "industry", "industry section", "toimialaluokka")),
        "staff_count": (
            False,
            ("henkilosto", "henkilokunta", "tyontekijat", "staff", "employees", "staff count"),
        ),
        "size_class": (False, ("kokoluokka", "koko", "size", "size class")),
        "website": (False, ("www", "kotisivu", "verkkosivut", "website", "web")),
        "is_active": (False, ("toiminnassa", "aktiivinen", "active")),
    },
    "contact_persons": {
        "business_id": (True, ("y-tunnus", "ytunnus", "business id", "business_id")),
        "first_name": (True, ("etunimi", "first name", "first_name")),
        "last_name": (True, ("sukunimi", "last name", "last_name", "surname")),
        "title": (False, ("titteli", "tehtava", "tehtavanimike", "title", "role")),
        "email": (False, ("sahkoposti", "email", "e-mail", "sposti")),
        "phone": (False, ("puhelin", "puh", "matkapuhelin", "phone", "mobile")),
        "legal_basis": (False, ("kasittelyperuste", "legal basis")),
    },
    "interactions": {
        "business_id": (True, ("y-tunnus", "ytunnus", "business id", "business_id")),
        "date": (True, ("pvm", "paiva", "paivamaara", "date", "kayntipaiva")),
        "channel": (True, ("kanava", "tapa", "yhteydenottotapa", "channel", "type")),
        "summary": (True, ("yhteenveto", "kuvaus", "muistiinpanot", "summary", "notes")),
        "advisor": (False, ("neuvoja", "yritysneuvoja", "kirjaaja", "advisor", "user")),
    },
    "participations": {
        "business_id": (True, ("y-tunnus", "ytunnus", "business id", "business_id")),
        "project": (True, ("hanke", "project")),
        "date": (True, ("pvm", "paiva", "paivamaara", "date")),
        "activity_type": (True, ("toiminto", "tilaisuuden tyyppi", "activity type", "type")),
        "activity_name": (False, ("tilaisuus", "tapahtuma", "activity", "event")),
        "role": (False, ("rooli", "role")),
        "feedback_score": (False, ("palaute", "arvosana", "feedback", "score")),
        "need_met": (False, ("tarve tayttyi", "need met")),
    },
}

# Values people write in Finnish spreadsheets, mapped to the stored codes.
CHANNEL_WORDS = {
    "yrityskaynti": Channel.VISIT, "kaynti": Channel.VISIT, "visit": Channel.VISIT,
    "company visit": Channel.VISIT, "tapaaminen": Channel.MEETING, "meeting": Channel.MEETING,
    "puhelu": Channel.PHONE, "puhelin": Channel.PHONE, "phone": Channel.PHONE,
    "sahkoposti": Channel.EMAIL, "email": Channel.EMAIL, "tapahtuma": Channel.EVENT,
    "event": Channel.EVENT, "etatapaaminen": Channel.ONLINE, "teams": Channel.ONLINE,
    "online": Channel.ONLINE, "online meeting": Channel.ONLINE, "kysely": Channel.SURVEY,
    "survey": Channel.SURVEY,
}  # fmt: skip
SIZE_WORDS = {
    "mikro": SizeClass.MICRO, "mikroyritys": SizeClass.MICRO, "micro": SizeClass.MICRO,
    "pieni": SizeClass.SMALL, "pienyritys": SizeClass.SMALL, "small": SizeClass.SMALL,
    "keskisuuri": SizeClass.MEDIUM, "medium": SizeClass.MEDIUM,
    "suuri": SizeClass.LARGE, "suuryritys": SizeClass.LARGE, "large": SizeClass.LARGE,
    "keskisuuri yritys": SizeClass.MEDIUM, "medium-sized": SizeClass.MEDIUM,
}  # fmt: skip
ACTIVITY_WORDS = {
    "tapahtuma": ActivityType.EVENT,
    "event": ActivityType.EVENT,
    "koulutus": ActivityType.TRAINING,
    "training": ActivityType.TRAINING,
    "tyopaja": ActivityType.WORKSHOP,
    "workshop": ActivityType.WORKSHOP,
    "pilotti": ActivityType.PILOT,
    "pilot": ActivityType.PILOT,
    "verkostotapaaminen": ActivityType.NETWORK_MEETING,
    "network meeting": ActivityType.NETWORK_MEETING,
    "yhteiskehittaminen": ActivityType.CO_DEVELOPMENT,
    "co-development": ActivityType.CO_DEVELOPMENT,
}
ROLE_WORDS = {
    "osallistuja": ParticipationRole.PARTICIPANT,
    "participant": ParticipationRole.PARTICIPANT,
    "yhteiskehittaja": ParticipationRole.CO_DEVELOPER,
    "aloitteentekija": ParticipationRole.CO_DEVELOPER,
    "co-developer": ParticipationRole.CO_DEVELOPER,
    "initiator": ParticipationRole.CO_DEVELOPER,
    "kumppani": ParticipationRole.PARTNER,
    "partner": ParticipationRole.PARTNER,
    "puhuja": ParticipationRole.SPEAKER,
    "speaker": ParticipationRole.SPEAKER,
}
NEED_MET_WORDS = {
    "kylla": NeedMet.YES, "yes": NeedMet.YES, "k": NeedMet.YES,
    "osittain": NeedMet.PARTLY, "partly": NeedMet.PARTLY,
    "ei": NeedMet.NO, "no": NeedMet.NO, "e": NeedMet.NO,
}  # fmt: skip
ACTIVE_WORDS = {"kylla": True, "yes": True, "1": True, "ei": False, "no": False, "0": False}
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y")


@dataclass
class Table:
    """A file read into text cells: its headers and rows (row numbers as the user sees them)."""

    headers: list[str]
    rows: list[dict[str, str]]
    first_row_number: int = 2  # the header is row 1
    numbers: list[int] | None = None  # each row's number in the file, when lines were skipped

    def number(self, index: int) -> int:
        return self.numbers[index] if self.numbers else self.first_row_number + index


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class CheckedRows:
    """Validated rows ready to write, and the problems of the others."""

    entity: str
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def invalid_rows(self) -> int:
        return len({problem.row for problem in self.problems})


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    skipped: int
    refused: int


# --- Reading files -------------------------------------------------------------------------


def read_file(data: bytes, filename: str) -> Table:
    """Read a CSV, XLSX or YTJ JSON file into text cells; raises ValidationError for a file
    that cannot be read."""
    if not data:
        raise ValidationError("error.import.empty")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError("error.import.too_big", maximum=MAX_FILE_BYTES // (1024 * 1024))
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".json"):
        table = _read_ytj(data)
    elif name.endswith((".csv", ".txt")):
        table = _read_csv(data)
    else:
        raise ValidationError("error.import.file_type")
    if not table.rows:
        raise ValidationError("error.import.no_rows")
    if len(table.rows) > MAX_ROWS:
        raise ValidationError("error.import.too_many_rows", maximum=MAX_ROWS)
    return table


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        # UTF-16 ("Unicode text" in Excel) or binary: not what the import reads.
        raise ValidationError("error.import.encoding")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else None
    if text is None:
        raise ValidationError("error.import.encoding")
    return text


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _table(list(reader))
    except csv.Error:
        # A cell over the csv module's limit, or a quote left open over many lines.
        raise ValidationError("error.import.csv") from None


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError("error.import.not_xlsx") from None
    sheet = workbook.worksheets[0]
    lines = [
        ["" if cell is None else _cell_text(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return _table(lines)


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(lines: list[list[str]]) -> Table:
    # Row numbers as the user sees them in the spreadsheet, blank lines counted.
    numbered = [(number, line) for number, line in enumerate(lines, start=1)
                if any(str(cell).strip() for cell in line)]  # fmt: skip
    if not numbered:
        raise ValidationError("error.import.empty")
    header_number, header_line = numbered[0]
    headers = [str(cell).strip() for cell in header_line]
    named = [header for header in headers if header]
    if not named or len(set(named)) != len(named):
        raise ValidationError("error.import.headers")
    rows, numbers = [], []
    for number, line in numbered[1:]:
        rows.append(
            {header: (line[index].strip() if index < len(line) else "")
             for index, header in enumerate(headers) if header}
        )  # fmt: skip
        numbers.append(number)
    return Table(headers=named, rows=rows, first_row_number=header_number + 1, numbers=numbers)


def _read_ytj(data: bytes) -> Table:
    """Companies from the business register's open-data API (YTJ v3 /companies)."""
    try:
        document = json.loads(_decode(data))
    except json.JSONDecodeError:
        raise ValidationError("error.import.json") from None
    companies = document.get("companies") if isinstance(document, dict) else document
    if not isinstance(companies, list):
        raise ValidationError("error.import.json")
    if companies and not any(isinstance(c, dict) and isinstance(c.get("names"), list)
                             for c in companies):  # fmt: skip
        # Not the v3 shape (names as a list of dated names): an older or another API.
        raise ValidationError("error.import.json")
    rows = []
    for company in companies:
        if not isinstance(company, dict):
            continue
        rows.append(
            {
                "business_id": _ytj_field(company.get("businessId"), "value"),
                "name": _ytj_name(company.get("names") or []),
                "town": _ytj_town(company.get("addresses") or []),
                "industry_code": _ytj_field(company.get("mainBusinessLine"), "type"),
                "website": _ytj_field(company.get("website"), "url"),
            }
        )
    return Table(headers=list(FIELDS["companies"]), rows=rows, first_row_number=1)


def _ytj_field(value: Any, key: str) -> str:
    """A field that YTJ v3 nests ({"value": ...}) and older files give as plain text."""
    if isinstance(value, dict):
        value = value.get(key)
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _ytj_name(names: list[Any]) -> str:
    # Type 1 is the trade name; the entry without an end date is the current one.
    current = [n for n in names if isinstance(n, dict) and not n.get("endDate")]
    for entry in sorted(current, key=lambda n: (str(n.get("type")) != "1", n.get("order", 0))):
        if entry.get("name"):
            return str(entry["name"])
    return ""


def _ytj_town(addresses: list[Any]) -> str:
    for address in addresses:
        if not isinstance(address, dict):
            continue
        for office in address.get("postOffices") or []:
            if isinstance(office, dict) and office.get("languageCode") in ("1", 1, "fi"):
                return str(office.get("city") or "").title()
        offices = address.get("postOffices") or []
        if offices and isinstance(offices[0], dict):
            return str(offices[0].get("city") or "").title()
    return ""


# --- Mapping columns -----------------------------------------------------------------------


def auto_mapping(entity: str, headers: Iterable[str]) -> dict[str, str | None]:
    """For each field, the file's column that it recognises by its (Finnish or English) name."""
    keyed = {search_key(header).strip(): header for header in headers}
    mapping: dict[str, str | None] = {}
    for name, (_, aliases) in FIELDS[entity].items():
        mapping[name] = next((keyed[a] for a in (name, *aliases) if a in keyed), None)
    return mapping


# --- Validating rows -----------------------------------------------------------------------


def check_rows(
    session: Session,
    user: CurrentUser,
    entity: str,
    table: Table,
    mapping: Mapping[str, str | None],
) -> CheckedRows:
    """Every row checked; nothing is written."""
    require(user, Action.IMPORT)
    if entity not in FIELDS:
        raise ValidationError("error.import.entity")
    missing = [name for name, (required, _) in FIELDS[entity].items()
               if required and not mapping.get(name)]  # fmt: skip
    if missing:
        raise ValidationError("error.import.unmapped", fields=", ".join(missing))
    lookups = _Lookups(session, entity, table, mapping)
    checked = CheckedRows(entity=entity, total=len(table.rows))
    check = _CHECKS[entity]
    seen: set[Any] = set()
    for offset, raw in enumerate(table.rows):
        number = table.number(offset)
        cells = {name: raw.get(column, "") if column else "" for name, column in mapping.items()}
        problems: list[Problem] = []

        def report(
            column: str,
            key: str,
            *,
            _row: int = number,
            _found: list[Problem] = problems,
            **params: Any,
        ) -> None:
            _found.append(Problem(_row, mapping.get(column) or column, key, params))

        values = check(cells, lookups, report)
        duplicate_key = values.get("_unique") if values else None
        if duplicate_key is not None and duplicate_key in seen:
            problems.append(
                Problem(number, mapping.get("business_id") or "", "error.import.repeat")
            )
        if problems:
            checked.problems.extend(problems)
        else:
            seen.add(duplicate_key)
            checked.valid.append((number, values))
    return checked


class _Lookups:
    """Reference data and existing records the rows point at, read once for the whole file."""

    def __init__(self, session: Session, entity: str, table: Table, mapping: Mapping[str, Any]):
        self.towns = {search_key(name): town_id for town_id, name in
                      session.execute(select(Town.id, Town.name))}  # fmt: skip
        column = mapping.get("business_id")
        wanted = set()
        for row in table.rows if column else []:
            try:
                wanted.add(normalise_business_id(row.get(column, "")))
            except ValidationError:
                continue
        self.companies: dict[str, int] = {}
        ordered = sorted(wanted)
        for start in range(0, len(ordered), 900):
            chunk = ordered[start : start + 900]
            self.companies.update(
                session.execute(
                    select(Company.business_id, Company.id).where(Company.business_id.in_(chunk))
                ).all()
            )
        self.projects = {search_key(name): (pid, s, e) for pid, name, s, e in
                         session.execute(select(Project.id, Project.name, Project.starts_on,
                                                Project.ends_on))}  # fmt: skip
        self.users: dict[str, int] = {}
        for user_id, username, email, full_name in session.execute(
            select(User.id, User.username, User.email, User.full_name).where(User.is_active)
        ):
            for key in (username, email, full_name):
                self.users[search_key(key)] = user_id


Report = Callable[..., None]


def _text(cells: Mapping[str, str], name: str, report: Report, *, max_length: int,
          required: bool = False) -> str | None:  # fmt: skip
    try:
        return clean_text(_unguarded(cells.get(name, "")), field=name, max_length=max_length,
                          required=required)  # fmt: skip
    except ValidationError as error:
        report(name, error.key, **error.params)
        return None


def _unguarded(text: str) -> str:
    """Undo the apostrophe our exports put before text that would start a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _date(cells: Mapping[str, str], name: str, report: Report) -> dt.date | None:
    text = cells.get(name, "").strip()
    if not text:
        report(name, "error.required")
        return None
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    report(name, "error.import.date", value=text)
    return None


def _word(cells: Mapping[str, str], name: str, words: Mapping[str, str], report: Report,
          *, default: str | None = None) -> str | None:  # fmt: skip
    text = search_key(cells.get(name, "")).strip()
    if not text:
        return default
    if text in set(words.values()):
        return text
    if text in words:
        return words[text]
    report(name, "error.import.value", value=cells.get(name, ""))
    return None


def _company(cells: Mapping[str, str], lookups: _Lookups, report: Report) -> int | None:
    try:
        business_id = normalise_business_id(cells.get("business_id", ""))
    except ValidationError as error:
        report("business_id", error.key, **error.params)
        return None
    company_id = lookups.companies.get(business_id)
    if company_id is None:
        report("business_id", "error.import.unknown_company", value=business_id)
    return company_id


def _check_company(cells: Mapping[str, str], lookups: _Lookups, report: Report) -> dict[str, Any]:
    try:
        business_id = normalise_business_id(cells.get("business_id", ""))
    except ValidationError as error:
        report("business_id", error.key, **error.params)
        business_id = None
    name = _text(cells, "name", report, max_length=NAME_MAX, required=True)
    town_text = cells.get("town", "").strip()
    town_id = lookups.towns.get(search_key(town_text))
    if town_id is None:
        report("town", "error.import.unknown_town", value=town_text)
    code, section = _industry(cells.get("industry_code", ""), cells.get("industry_section", ""))
    staff_text = cells.get("staff_count", "").strip().replace(" ", "")
    staff = None
    if staff_text:
        if staff_text.isdigit() and int(staff_text) <= 1_000_000:
            staff = int(staff_text)
        else:
            report("staff_count", "error.staff_count.invalid")
    size = _word(cells, "size_class", SIZE_WORDS, report)
    # Unknown when neither a size nor a staff count is given: a new company counts as micro,
    # a known one keeps its size (see _import_companies).
    size = size or (size_class_for_staff(staff) if staff is not None else None)
    website = _text(cells, "website", report, max_length=300)
    active_text = search_key(cells.get("is_active", "")).strip()
    is_active = None
    if active_text:
        is_active = ACTIVE_WORDS.get(active_text)
        if is_active is None:
            report("is_active", "error.import.value", value=cells.get("is_active", ""))
    return {
        "_unique": business_id,
        "business_id": business_id,
        "name": name,
        "name_key": search_key(name or ""),
        "town_id": town_id,
        "industry_code": code,
        "industry_section": section,
        "staff_count": staff,
        "size_class": size,
        "website": website,
        "is_active": is_active,
    }


def _industry(code_text: str, section_text: str) -> tuple[str | None, str | None]:
    """The TOL code and section from whichever columns hold them: a "Toimiala" column may
    hold a section letter ("C", "C Teollisuus") or a code ("25110")."""
    code = None
    section = None
    for text in (code_text.strip(), section_text.strip()):
        if not text:
            continue
        if text[0].isdigit():
            code = code or re.sub(r"[^0-9]", "", text)[:5] or None
        elif text[0].upper() in TOL_SECTIONS and (len(text) == 1 or not text[1].isalpha()):
            section = section or text[0].upper()
    if section is None and code is not None:
        section = _section_for(code)
    return code, section


def _section_for(code: str) -> str | None:
    """The TOL 2008 section letter of an industry code, from its two-digit division."""
    division = int(code[:2]) if len(code) >= 2 else None
    if division is None:
        return None
    for upper, letter in SECTION_DIVISIONS:
        if division <= upper:
            return letter
    return None


# TOL 2008 divisions: the last division of each section.
SECTION_DIVISIONS = (
    (3, "A"), (9, "B"), (33, "C"), (35, "D"), (39, "E"), (43, "F"), (47, "G"), (53, "H"),
    (56, "I"), (63, "J"), (66, "K"), (68, "L"), (75, "M"), (82, "N"), (84, "O"), (85, "P"),
    (88, "Q"), (93, "R"), (96, "S"), (98, "T"), (99, "U"),
)  # fmt: skip


def _check_person(cells: Mapping[str, str], lookups: _Lookups, report: Report) -> dict[str, Any]:
    email = phone = None
    try:
        email = clean_email(cells.get("email"))
    except ValidationError as error:
        report("email", error.key, **error.params)
    try:
        phone = clean_phone(cells.get("phone"))
    except ValidationError as error:
        report("phone", error.key, **error.params)
    basis = cells.get("legal_basis", "").strip()
    if basis and basis not in set(LegalBasis):
        report("legal_basis", "error.import.value", value=basis)
    return {
        "company_id": _company(cells, lookups, report),
        "first_name": _text(cells, "first_name", report, max_length=100, required=True),
        "last_name": _text(cells, "last_name", report, max_length=100, required=True),
        "title": _text(cells, "title", report, max_length=120),
        "email": email,
        "phone": phone,
        "legal_basis": basis or LegalBasis.LEGITIMATE_INTEREST,
    }


def _check_interaction(
    cells: Mapping[str, str], lookups: _Lookups, report: Report
) -> dict[str, Any]:
    occurred_on = _date(cells, "date", report)
    if occurred_on is not None and occurred_on > dt.date.today():
        report("date", "error.contact.future_date")
    advisor_text = cells.get("advisor", "").strip()
    advisor_id = lookups.users.get(search_key(advisor_text)) if advisor_text else None
    if advisor_text and advisor_id is None:
        report("advisor", "error.import.unknown_user", value=advisor_text)
    return {
        "company_id": _company(cells, lookups, report),
        "occurred_on": occurred_on,
        "channel": _word(cells, "channel", CHANNEL_WORDS, report),
        "summary": _text(cells, "summary", report, max_length=TEXT_MAX, required=True),
        "advisor_id": advisor_id,
    }


def _check_participation(
    cells: Mapping[str, str], lookups: _Lookups, report: Report
) -> dict[str, Any]:
    occurred_on = _date(cells, "date", report)
    project_text = cells.get("project", "").strip()
    project = lookups.projects.get(search_key(project_text))
    if project is None:
        report("project", "error.import.unknown_project", value=project_text)
    elif occurred_on is not None and not project[1] <= occurred_on <= project[2]:
        report("date", "error.participation.outside_period", starts_on=project[1],
               ends_on=project[2])  # fmt: skip
    score_text = cells.get("feedback_score", "").strip()
    score = None
    if score_text:
        if score_text in {"1", "2", "3", "4", "5"}:
            score = int(score_text)
        else:
            report("feedback_score", "error.participation.score")
    return {
        "company_id": _company(cells, lookups, report),
        "project_id": project[0] if project else None,
        "occurred_on": occurred_on,
        "activity_type": _word(cells, "activity_type", ACTIVITY_WORDS, report),
        "activity_name": _text(cells, "activity_name", report, max_length=NAME_MAX),
        "role": _word(cells, "role", ROLE_WORDS, report, default=ParticipationRole.PARTICIPANT),
        "feedback_score": score,
        "need_met": _word(cells, "need_met", NEED_MET_WORDS, report),
    }


_CHECKS = {
    "companies": _check_company,
    "contact_persons": _check_person,
    "interactions": _check_interaction,
    "participations": _check_participation,
}


# --- Importing -----------------------------------------------------------------------------


def import_rows(
    session: Session,
    user: CurrentUser,
    checked: CheckedRows,
    *,
    update_existing: bool = False,
    valid_only: bool = False,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Write the checked rows in the caller's one transaction.

    Refuses (writes nothing) when any row is invalid, unless `valid_only`. Companies whose
    business ID is in the register are updated when `update_existing`, else skipped.
    """
    require(user, Action.IMPORT)
    if checked.problems and not valid_only:
        raise ValidationError("error.import.invalid_rows", count=checked.invalid_rows)
    acting_as(session, user)
    created = updated = skipped = 0
    rows = [values for _, values in checked.valid]
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        if checked.entity == "companies":
            c, u, s = _import_companies(session, batch, update_existing=update_existing)
            created, updated, skipped = created + c, updated + u, skipped + s
        else:
            model = {"contact_persons": ContactPerson, "interactions": Interaction,
                     "participations": Participation}[checked.entity]  # fmt: skip
            session.add_all(model(**_fields(row, user)) for row in batch)
            created += len(batch)
        session.flush()
        if progress is not None:
            progress(min(1.0, (start + len(batch)) / max(1, len(rows))))
    return ImportReport(
        created=created, updated=updated, skipped=skipped, refused=checked.invalid_rows
    )


def _columns(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's values for the table, without the checking's own keys."""
    return {key: value for key, value in row.items() if not key.startswith("_")}


def _fields(row: Mapping[str, Any], user: CurrentUser) -> dict[str, Any]:
    values = _columns(row)
    if "advisor_id" in values and values["advisor_id"] is None:
        values["advisor_id"] = user.id  # contacts without an advisor are the importer's
    return values


def _import_companies(
    session: Session, batch: list[dict[str, Any]], *, update_existing: bool
) -> tuple[int, int, int]:
    ids = [row["business_id"] for row in batch]
    existing = {company.business_id: company for company in
                session.scalars(select(Company).where(Company.business_id.in_(ids)))}  # fmt: skip
    created = updated = skipped = 0
    for row in batch:
        values = _columns(row)
        company = existing.get(row["business_id"])
        if company is None:
            values["size_class"] = values["size_class"] or SizeClass.MICRO
            values["is_active"] = True if values["is_active"] is None else values["is_active"]
            session.add(Company(**values))
            created += 1
        elif update_existing:
            for key, value in values.items():
                if value is not None:
                    setattr(company, key, value)
            company.updated_at = dt.datetime.now(dt.UTC)
            updated += 1
        else:
            skipped += 1
    return created, updated, skipped


def problems_csv(problems: list[Problem], translate: Callable[..., str]) -> list[dict[str, Any]]:
    """The validation report as rows for a download: row, column, problem."""
    return [
        {"row": p.row, "column": p.column, "problem": translate(p.key, **dict(p.params))}
        for p in problems
    ]
