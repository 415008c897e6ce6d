"""Exports to CSV and XLSX that spreadsheets cannot mistake for formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import Base
from services.audit import acting_as, record
from services.auth import CurrentUser
from services.permissions import Action, require

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], headers: Mapping[str, str]) -> bytes:
    """CSV for Finnish Excel: semicolons, UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers.values())
    for row in rows:
        writer.writerow(_csv_cell(row.get(key)) for key in headers)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any) -> Any:
    # Finnish Excel reads "3,5" as a number; "3.5" would be text, or even a date.
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    return _cell(value)


def to_xlsx(sheets: Sequence[tuple[str, Iterable[Mapping[str, Any]], Mapping[str, str]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, rows, headers)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, headers in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers.values()))
        for row in rows:
            sheet.append([_cell(row.get(key)) for key in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return neutralise(value)


# Columns never exported: secrets.
SECRET_COLUMNS = {"users": {"password_hash"}, "user_sessions": {"token_hash"}}
SKIPPED_TABLES = {"user_sessions", "alembic_version"}


def full_export_zip(session: Session, user: CurrentUser) -> bytes:
    """Every table as a CSV file in one ZIP, for administrators; the export is audited."""
    require(user, Action.ADMINISTER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES:
                continue
            hidden = SECRET_COLUMNS.get(table.name, set())
            columns = [column for column in table.columns if column.name not in hidden]
            with archive.open(f"{table.name}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text, delimiter=";")
                writer.writerow(column.name for column in columns)
                result = session.execute(
                    select(*columns).order_by(*table.primary_key.columns),
                    execution_options={"yield_per": 5000},
                )
                for row in result:
                    writer.writerow(_cell(_plain(value)) for value in row)
                text.flush()
                text.detach()
    acting_as(session, user)
    record(session, action=AuditAction.EXPORT, entity="all", entity_id=None)
    session.flush()
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
