"""Validators shared by every form and import: business IDs, emails, phones, text lengths."""

from __future__ import annotations

import re
import unicodedata

from services.errors import InvalidBusinessId, ValidationError

BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_BUSINESS_ID = re.compile(r"^([0-9]{7})-([0-9])$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 \-()]+$")
# Control characters other than tab and newline have no place in what users type.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def business_id_check_digit(base: str) -> int | None:
    """The check digit for the seven-digit base, or None when no digit is valid."""
    remainder = sum(int(d) * w for d, w in zip(base, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """A valid business ID in its canonical form `NNNNNNN-N`; raises InvalidBusinessId."""
    text = (value or "").strip()
    if re.fullmatch(r"[0-9]{8}", text):
        # Typed without the hyphen, as search boxes and spreadsheets often have it.
        text = f"{text[:7]}-{text[7]}"
    match = _BUSINESS_ID.match(text)
    if not match:
        raise InvalidBusinessId("error.business_id.format", field="business_id", value=text)
    base, check = match.groups()
    expected = business_id_check_digit(base)
    if expected is None or expected != int(check):
        raise InvalidBusinessId("error.business_id.check_digit", field="business_id", value=text)
    return text


def is_valid_business_id(value: str) -> bool:
    try:
        normalise_business_id(value)
    except InvalidBusinessId:
        return False
    return True


def clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = False
) -> str | None:
    """Trimmed text within its length limit; None when empty and not required."""
    text = (value or "").strip()
    if _CONTROL.search(text):
        raise ValidationError("error.text.control_characters", field=field)
    if not text:
        if required:
            raise ValidationError("error.required", field=field)
        return None
    if len(text) > max_length:
        raise ValidationError(
            "error.text.too_long", field=field, max_length=max_length, length=len(text)
        )
    return text


def clean_email(value: str | None, *, field: str = "email", required: bool = False) -> str | None:
    """A plausible email address, lower-cased domain; raises ValidationError."""
    text = clean_text(value, field=field, max_length=254, required=required)
    if text is None:
        return None
    if not _EMAIL.match(text):
        raise ValidationError("error.email.invalid", field=field, value=text)
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def clean_phone(value: str | None, *, field: str = "phone", required: bool = False) -> str | None:
    """A phone number of 6-15 digits, optionally international (+358 ...)."""
    text = clean_text(value, field=field, max_length=40, required=required)
    if text is None:
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if not _PHONE_CHARS.match(text) or not 6 <= len(digits) <= 15:
        raise ValidationError("error.phone.invalid", field=field, value=text)
    return text


def search_key(text: str) -> str:
    """Lower-case with accents folded, so 'aanekoski' finds 'Äänekoski'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
