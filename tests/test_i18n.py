"""Translations: both catalogues complete, every key the pages use exists, Finnish formats."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from enum import StrEnum
from pathlib import Path

import pytest

from db import enums
from db.enums import TOL_SECTIONS
from services import errors
from services.i18n import (
    CATALOGUES,
    LANGUAGES,
    format_date,
    format_number,
    format_percent,
    translate,
)
from services.permissions import PAGES

ROOT = Path(__file__).resolve().parent.parent
UI_SOURCES = sorted([ROOT / "streamlit_app.py", *(ROOT / "pages").glob("*.py")])
SERVICE_SOURCES = sorted((ROOT / "services").glob("*.py"))
NBSP = "\u00a0"

# Label kind (as in ui.label(kind, value)) -> the values it names: an enumeration's, or a
# service's own small set.
LABELLED_VALUES: dict[str, type[StrEnum] | tuple[str, ...]] = {
    "role": enums.Role,
    "channel": enums.Channel,
    "severity": enums.Severity,
    "need_status": enums.NeedStatus,
    "follow_up_status": enums.FollowUpStatus,
    "referral_status": enums.ReferralStatus,
    "size_class": enums.SizeClass,
    "project_kind": enums.ProjectKind,
    "participation_role": enums.ParticipationRole,
    "activity_type": enums.ActivityType,
    "need_met": enums.NeedMet,
    "legal_basis": enums.LegalBasis,
    "bucket": ("overdue", "this_week", "later", "closed"),  # services/follow_ups.py
    "actor_type": enums.ActorType,
    "partner_kind": enums.PartnerKind,
    "partnership_kind": enums.PartnershipKind,
    "maturity": enums.Maturity,
    "driver": enums.EcosystemDriver,
    "coverage": ("town", "region", "country"),  # services/ecosystem.py list_actors
    "party_kind": ("actor", "company", "project"),  # services/ecosystem.py PartyKind
}


def _calls(path: Path) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings(node: ast.AST, path: Path) -> list[str]:
    """The string literals in a list (or in the list a module-level name is bound to)."""
    if isinstance(node, ast.Name):
        for statement in ast.parse(path.read_text()).body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == node.id
                for target in statement.targets
            ):
                return _strings(statement.value, path)
        return []
    if isinstance(node, ast.List | ast.Tuple):
        return [value for item in node.elts if (value := _literal(item)) is not None]
    return []


def keys_used_in_ui() -> set[str]:
    """Keys in t("...") / ui.t("...") calls, empty_key=..., and the table columns' headers."""
    keys: set[str] = set()
    for path in UI_SOURCES:
        source = path.read_text()
        keys.update(re.findall(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""", source))
        for call in _calls(path):
            keys.update(
                value
                for keyword in call.keywords
                if keyword.arg == "empty_key" and (value := _literal(keyword.value))
            )
            if _name(call) == "table" and len(call.args) >= 2:
                keys.update(f"col.{column}" for column in _strings(call.args[1], path))
    return keys


def label_kinds_used_in_ui() -> set[str]:
    """Kinds in ui.label("kind", ...), ui.select_enum(title, "kind", ...) and enums={...}."""
    kinds: set[str] = set()
    for path in UI_SOURCES:
        for call in _calls(path):
            name = _name(call)
            if name == "label" and call.args and (kind := _literal(call.args[0])):
                kinds.add(kind)
            if name == "select_enum" and len(call.args) >= 2 and (kind := _literal(call.args[1])):
                kinds.add(kind)
            for keyword in call.keywords:
                if keyword.arg == "enums" and isinstance(keyword.value, ast.Dict):
                    kinds.update(
                        kind for value in keyword.value.values if (kind := _literal(value))
                    )
    return kinds


def error_keys_in_services() -> set[str]:
    return {
        key
        for path in SERVICE_SOURCES
        for key in re.findall(r"""["'](error\.[a-z_.]+)["']""", path.read_text())
    }


def test_finnish_and_english_have_the_same_keys() -> None:
    fi, en = set(CATALOGUES["fi"]), set(CATALOGUES["en"])
    assert sorted(fi - en) == [], "missing in English"
    assert sorted(en - fi) == [], "missing in Finnish"


def test_no_message_is_empty() -> None:
    for language, catalogue in CATALOGUES.items():
        assert [key for key, text in catalogue.items() if not text.strip()] == [], language


def test_both_languages_use_the_same_placeholders() -> None:
    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    different = {
        key: (placeholders(CATALOGUES["fi"][key]), placeholders(CATALOGUES["en"].get(key, "")))
        for key in CATALOGUES["fi"]
        if placeholders(CATALOGUES["fi"][key]) != placeholders(CATALOGUES["en"].get(key, ""))
    }
    assert different == {}


def test_the_scan_finds_keys_in_the_pages() -> None:
    used = keys_used_in_ui()
    # A scan that finds nothing would make the next test pass vacuously.
    assert {
        "login.username",
        "app.forbidden_title",
        "col.business_id",
        "home.no_follow_ups",
    } <= used
    assert {"size_class", "channel", "need_status"} <= label_kinds_used_in_ui()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_used_in_the_pages_exists(language: str) -> None:
    assert sorted(keys_used_in_ui() - set(CATALOGUES[language])) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_titles_languages_and_sections_have_names(language: str) -> None:
    catalogue = CATALOGUES[language]
    wanted = (
        {f"page.{page}" for page in PAGES}
        | {f"language.{code}" for code in LANGUAGES}
        | {f"tol.{letter}" for letter in TOL_SECTIONS}
    )
    assert sorted(wanted - set(catalogue)) == []


def test_every_label_kind_used_in_the_pages_is_checked_here() -> None:
    unknown = sorted(label_kinds_used_in_ui() - set(LABELLED_VALUES))
    assert unknown == [], "add these label kinds and their values to LABELLED_VALUES"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(LABELLED_VALUES))
def test_every_labelled_value_has_a_label(language: str, kind: str) -> None:
    keys = {f"{kind}.{value}" for value in LABELLED_VALUES[kind]}
    assert sorted(keys - set(CATALOGUES[language])) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_the_services_raise_has_a_message(language: str) -> None:
    class_keys = {
        cls.key
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.DomainError)
    }
    raised = error_keys_in_services() | class_keys
    assert "error.forbidden_town" in raised
    assert sorted(raised - set(CATALOGUES[language])) == []


def test_dates_in_finnish_and_english() -> None:
    assert format_date(dt.date(2026, 11, 22), "fi") == "22.11.2026"
    assert format_date(dt.date(2026, 2, 3), "fi") == "3.2.2026"
    assert format_date(dt.datetime(2026, 11, 22, 23, 59), "fi") == "22.11.2026"
    assert format_date(dt.date(2026, 11, 22), "en") == "22 Nov 2026"
    assert format_date(None) == ""


def test_numbers_in_finnish_and_english() -> None:
    assert format_number(1_000_000, "fi") == f"1{NBSP}000{NBSP}000"
    assert format_number(3.5, "fi", 1) == "3,5"
    assert format_number(1234.5, "fi", 1) == f"1{NBSP}234,5"
    assert format_number(1_000_000, "en") == "1,000,000"
    assert format_number(3.5, "en", 1) == "3.5"
    assert format_percent(0.5, "fi") == f"50{NBSP}%"


def test_messages_fill_in_numbers_and_dates_in_the_language() -> None:
    assert translate("export.preview", "fi", total=1000) == f"1{NBSP}000 yritystä vastaa valintoja."
    assert translate("home.today", "fi", date=dt.date(2026, 11, 22)) == "Tänään on 22.11.2026."
    assert "22 Nov 2026" in translate("home.today", "en", date=dt.date(2026, 11, 22))


def test_a_missing_key_shows_itself() -> None:
    assert translate("no.such.key", "en") == "no.such.key"


def test_halves_round_up_as_in_excel() -> None:
    assert format_number(3.25, "fi", 1) == "3,3"
    assert format_number(2.5, "fi") == "3"
    assert format_percent(0.125, "fi") == f"13{NBSP}%"
