"""Validators: business IDs (Y-tunnus), emails, phone numbers, text lengths, search keys."""

from __future__ import annotations

import pytest
from faker import Faker

from services.errors import InvalidBusinessId, ValidationError
from services.validation import (
    business_id_check_digit,
    clean_email,
    clean_phone,
    clean_text,
    is_valid_business_id,
    normalise_business_id,
    search_key,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def weighted_remainder(base: str) -> int:
    """The business ID rule, written out here independently of the code under test."""
    return sum(int(digit) * weight for digit, weight in zip(base, WEIGHTS, strict=True)) % 11


def bases_with_remainder_one(count: int) -> list[str]:
    bases = (f"{number:07d}" for number in range(0, 10_000_000, 7919))
    return [base for base in bases if weighted_remainder(base) == 1][:count]


# --- Business IDs ------------------------------------------------------------------------------


def test_check_digit_by_hand_for_known_ids() -> None:
    # 0737546-2: 0*7 + 7*9 + 3*10 + 7*5 + 5*8 + 4*4 + 6*2 = 196; 196 % 11 = 9; 11 - 9 = 2.
    assert 0 * 7 + 7 * 9 + 3 * 10 + 7 * 5 + 5 * 8 + 4 * 4 + 6 * 2 == 196
    assert business_id_check_digit("0737546") == 2
    assert normalise_business_id("0737546-2") == "0737546-2"
    # 1572860-0: 1*7 + 5*9 + 7*10 + 2*5 + 8*8 + 6*4 + 0*2 = 220; 220 % 11 = 0, so the digit is 0.
    assert 1 * 7 + 5 * 9 + 7 * 10 + 2 * 5 + 8 * 8 + 6 * 4 + 0 * 2 == 220
    assert business_id_check_digit("1572860") == 0
    assert normalise_business_id("1572860-0") == "1572860-0"


def test_accepts_a_thousand_ids_from_faker() -> None:
    fake = Faker("fi_FI")
    fake.seed_instance(2026)
    ids = [fake.company_business_id() for _ in range(1000)]
    rejected = [value for value in ids if not is_valid_business_id(value)]
    assert rejected == []
    assert all(normalise_business_id(value) == value for value in ids)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("  0737546-2  ", "0737546-2"),
        ("07375462", "0737546-2"),
        ("\t15728600\n", "1572860-0"),
    ],
)
def test_accepts_whitespace_and_a_missing_hyphen(typed: str, canonical: str) -> None:
    assert normalise_business_id(typed) == canonical


@pytest.mark.parametrize("base", ["0737546", "1572860", "2345678", "9999999", "0000001"])
def test_exactly_one_check_digit_is_valid_for_an_ordinary_base(base: str) -> None:
    remainder = weighted_remainder(base)
    assert remainder != 1
    expected = 0 if remainder == 0 else 11 - remainder
    accepted = [digit for digit in range(10) if is_valid_business_id(f"{base}-{digit}")]
    assert accepted == [expected]
    for digit in set(range(10)) - {expected}:
        with pytest.raises(InvalidBusinessId) as caught:
            normalise_business_id(f"{base}-{digit}")
        assert caught.value.key == "error.business_id.check_digit"
        assert caught.value.field == "business_id"


def test_rejects_every_id_whose_base_leaves_remainder_one() -> None:
    bases = bases_with_remainder_one(25)
    assert len(bases) == 25
    for base in bases:
        assert business_id_check_digit(base) is None
        assert not any(is_valid_business_id(f"{base}-{digit}") for digit in range(10)), base


@pytest.mark.parametrize(
    "malformed",
    ["", "   ", "123456-7", "12345678-9", "abcdefg-h", "1234567 8", "1234567--8", "1234567-"],
)
def test_rejects_malformed_strings(malformed: str) -> None:
    with pytest.raises(InvalidBusinessId) as caught:
        normalise_business_id(malformed)
    assert caught.value.key == "error.business_id.format"
    assert caught.value.field == "business_id"


@pytest.mark.parametrize(
    "lookalike", ["０７３７５４６-２", "٠٧٣٧٥٤٦-٢"], ids=["fullwidth", "arabic-indic"]
)
def test_rejects_non_ascii_digits(lookalike: str) -> None:
    assert not is_valid_business_id(lookalike)


# --- Email, phone, text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("matti.meikalainen@example.fi", "matti.meikalainen@example.fi"),
        ("  Anna.Virtanen@Yritys.FI ", "Anna.Virtanen@yritys.fi"),
        ("info+crm@seutu-kaupunki.fi", "info+crm@seutu-kaupunki.fi"),
    ],
)
def test_accepts_plausible_emails(typed: str, cleaned: str) -> None:
    assert clean_email(typed) == cleaned


@pytest.mark.parametrize(
    "typed",
    ["matti", "matti@", "@example.fi", "matti@example", "matti @example.fi", "a@b@c.fi", "a@b.f"],
)
def test_rejects_implausible_emails(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_email(typed, field="contact_email")
    assert caught.value.key == "error.email.invalid"
    assert caught.value.field == "contact_email"


def test_email_is_optional_unless_required() -> None:
    assert clean_email("   ") is None
    with pytest.raises(ValidationError) as caught:
        clean_email("", required=True)
    assert (caught.value.key, caught.value.field) == ("error.required", "email")


def test_email_longer_than_the_column_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_email("a" * 250 + "@example.fi")
    assert caught.value.key == "error.text.too_long"
    assert caught.value.field == "email"
    assert caught.value.params["max_length"] == 254


@pytest.mark.parametrize("typed", ["+358 40 123 4567", "040-1234567", "(09) 123 456", "0401234567"])
def test_accepts_finnish_and_international_phone_numbers(typed: str) -> None:
    assert clean_phone(f" {typed} ") == typed


@pytest.mark.parametrize(
    "typed", ["12345", "puhelin", "040/123456", "+358 40 123 4567 890 12", "040 123 4567 x"]
)
def test_rejects_bad_phone_numbers(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_phone(typed)
    assert caught.value.key == "error.phone.invalid"
    assert caught.value.field == "phone"


def test_text_is_trimmed_and_limited() -> None:
    assert clean_text("  Konepaja  ", field="name", max_length=8) == "Konepaja"
    assert clean_text("", field="name", max_length=8) is None
    with pytest.raises(ValidationError) as caught:
        clean_text("Konepajat", field="name", max_length=8)
    assert caught.value.key == "error.text.too_long"
    assert caught.value.field == "name"
    assert caught.value.params == {"max_length": 8, "length": 9}


def test_text_with_control_characters_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_text("Konepaja\x00Oy", field="name", max_length=100)
    assert (caught.value.key, caught.value.field) == ("error.text.control_characters", "name")
    assert clean_text("rivi 1\nrivi 2\tsarake", field="summary", max_length=100)


def test_required_text_must_not_be_blank() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_text("   ", field="summary", max_length=100, required=True)
    assert (caught.value.key, caught.value.field) == ("error.required", "summary")


@pytest.mark.parametrize(
    ("text", "key"),
    [("Äänekosken Konepaja", "aanekosken konepaja"), ("ÖLJY", "oljy"), ("Åland", "aland")],
)
def test_search_key_folds_case_and_accents(text: str, key: str) -> None:
    assert search_key(text) == key
