"""The password policy: long enough, not a common password, not the username."""

from __future__ import annotations

from services.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 200

# Passwords that lists of breached passwords show people choose most, with Finnish favourites.
# Compared case-insensitively, and also with trailing digits and punctuation removed.
_COMMON = """
    123456 123456789 12345678 password qwerty 1234567890 111111 1234567 000000 abc123
    password1 iloveyou qwertyuiop 123123 admin letmein welcome monkey dragon football
    baseball sunshine princess master shadow superman michael trustno1 passw0rd
    administrator changeme default secret login qwerty123 password123 welcome1
    salasana salasana1 salasana123 kissa koira perkele suomi suomi100 jyväskylä helsinki
    tampere turku oulu kesä talvi kevät syksy hyvää päivää moikka terve sisu sauna
    seututoimisto seutukaupunki yritys yrityspalvelut kunta kaupunki elinvoima
    qwertyuiopå asdfghjklöä zxcvbnm
"""
COMMON_PASSWORDS = frozenset(_COMMON.split())


def check_password(password: str, *, username: str = "") -> None:
    """Raise ValidationError unless the password meets the policy."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("error.password.too_short", field="password", minimum=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ValidationError("error.password.too_long", field="password", maximum=MAX_LENGTH)
    lowered = password.casefold()
    stripped = lowered.rstrip("0123456789!?.,-_#@ ")
    if lowered in COMMON_PASSWORDS or stripped in COMMON_PASSWORDS or len(set(lowered)) < 4:
        raise ValidationError("error.password.common", field="password")
    if username and username.casefold() in lowered:
        raise ValidationError("error.password.username", field="password")
