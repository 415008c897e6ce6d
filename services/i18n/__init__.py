"""One translation function over Finnish (default) and English catalogues, and number and
date formats for each language."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from services.i18n import en, fi

LANGUAGES = ("fi", "en")
DEFAULT_LANGUAGE = "fi"
CATALOGUES: dict[str, dict[str, str]] = {"fi": fi.MESSAGES, "en": en.MESSAGES}
_NBSP = "\u00a0"


def translate(key: str, language: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message for `key` in `language`, with {placeholders} filled in.

    A key missing from a catalogue shows itself, so the gap is visible; a test keeps the two
    catalogues complete.
    """
    catalogue = CATALOGUES.get(language, CATALOGUES[DEFAULT_LANGUAGE])
    template = catalogue.get(key) or CATALOGUES[DEFAULT_LANGUAGE].get(key) or key
    if not params:
        return template
    shown = {name: format_value(value, language) for name, value in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


def format_value(value: object, language: str) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return format_number(value, language)
    if isinstance(value, dt.date):
        return format_date(value, language)
    return value


def format_date(value: dt.date | None, language: str = DEFAULT_LANGUAGE) -> str:
    """22.11.2026 in Finnish, 22 Nov 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if language == "en":
        return f"{value.day} {value:%b} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


def format_number(
    value: float | int | None, language: str = DEFAULT_LANGUAGE, digits: int = 0
) -> str:
    """1 000 000 and 3,5 in Finnish; 1,000,000 and 3.5 in English."""
    if value is None:
        return ""
    # Halves round up, as in Excel and in the reports people compare with (3,25 -> 3,3).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}"
    if language == "en":
        return text
    return text.replace(",", _NBSP).replace(".", ",")


def format_percent(share: float | None, language: str = DEFAULT_LANGUAGE, digits: int = 0) -> str:
    if share is None:
        return ""
    return f"{format_number(share * 100, language, digits)}{_NBSP}%"
