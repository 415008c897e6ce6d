"""Domain errors. Each carries a message key and its parameters; the page translates it."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain said no. `key` names the message in the translation catalogues."""

    key = "error.domain"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class ValidationError(DomainError):
    """Input that cannot be accepted; `field` says which input, when there is one."""

    key = "error.invalid"

    def __init__(self, key: str | None = None, /, *, field: str | None = None, **params: Any):
        super().__init__(key, **params)
        self.field = field


class InvalidBusinessId(ValidationError):
    key = "error.business_id.invalid"


class DuplicateBusinessId(ValidationError):
    """The business ID is already in the register; `company_id` points at the holder."""

    key = "error.business_id.duplicate"


class Forbidden(DomainError):
    """The acting user's role or home towns do not allow this."""

    key = "error.forbidden"


class NotFound(DomainError):
    key = "error.not_found"


class InvalidCredentials(DomainError):
    key = "error.login.invalid"


class AccountLocked(DomainError):
    key = "error.login.locked"
