"""Exports to CSV and XLSX that spreadsheets cannot mistake for formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook

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
        writer.writerow(_cell(row.get(key)) for key in headers)
    return buffer.getvalue().encode("utf-8-sig")


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
