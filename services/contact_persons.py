"""Contact persons: personal data, so edits are limited to the company's home-town advisors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import LegalBasis, Role
from db.models import TITLE_MAX, Company, ContactPerson
from services.audit import audited
from services.auth import CurrentUser
from services.errors import NotFound, ValidationError
from services.permissions import Action, can, require, require_town
from services.validation import clean_email, clean_phone, clean_text


@dataclass(frozen=True)
class ContactPersonInput:
    first_name: str
    last_name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    legal_basis: str = LegalBasis.LEGITIMATE_INTEREST
    marketing_opt_out: bool = False


def may_see_personal_details(user: CurrentUser, company_town_id: int) -> bool:
    """Email and phone are shown to those who may edit the company, and to leadership."""
    if user.role in (Role.ADMIN, Role.LEADERSHIP):
        return True
    if user.role == Role.ADVISOR:
        return company_town_id in user.town_ids
    return can(user, Action.LOG_CONTACT)


def list_contact_persons(
    session: Session, user: CurrentUser, company_id: int
) -> list[dict[str, Any]]:
    """The company's contact persons; email and phone only for those allowed to see them."""
    require(user, Action.VIEW_REGISTER)
    company = _company(session, company_id)
    details = may_see_personal_details(user, company.town_id)
    people = session.scalars(
        select(ContactPerson)
        .where(ContactPerson.company_id == company_id, ContactPerson.anonymised_at.is_(None))
        .order_by(ContactPerson.last_name, ContactPerson.first_name, ContactPerson.id)
    )
    return [
        {
            "id": person.id,
            "name": f"{person.first_name} {person.last_name}",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "email": person.email if details else None,
            "phone": person.phone if details else None,
            "legal_basis": person.legal_basis,
            "marketing_opt_out": person.marketing_opt_out,
        }
        for person in people
    ]


@audited
def add_contact_person(
    session: Session, user: CurrentUser, company_id: int, data: ContactPersonInput
) -> ContactPerson:
    """Add a contact person to a company of the user's home towns."""
    company = _company(session, company_id)
    require_town(user, Action.EDIT_COMPANY, company.town_id)
    person = ContactPerson(company_id=company.id, **validated_contact_person(data))
    session.add(person)
    session.flush()
    return person


@audited
def update_contact_person(
    session: Session, user: CurrentUser, person_id: int, data: ContactPersonInput
) -> ContactPerson:
    person = _person(session, person_id)
    require_town(user, Action.EDIT_COMPANY, _company(session, person.company_id).town_id)
    for key, value in validated_contact_person(data).items():
        setattr(person, key, value)
    session.flush()
    return person


@audited
def remove_contact_person(session: Session, user: CurrentUser, person_id: int) -> None:
    """Delete a contact person; contacts that named them keep their text but lose the link."""
    person = _person(session, person_id)
    require_town(user, Action.EDIT_COMPANY, _company(session, person.company_id).town_id)
    session.delete(person)
    session.flush()


def validated_contact_person(data: ContactPersonInput) -> dict[str, Any]:
    """The person's fields, cleaned; raises ValidationError on the first bad one."""
    if data.legal_basis not in set(LegalBasis):
        raise ValidationError("error.legal_basis.invalid", field="legal_basis")
    return {
        "first_name": clean_text(
            data.first_name, field="first_name", max_length=100, required=True
        ),
        "last_name": clean_text(data.last_name, field="last_name", max_length=100, required=True),
        "title": clean_text(data.title, field="title", max_length=TITLE_MAX),
        "email": clean_email(data.email),
        "phone": clean_phone(data.phone),
        "legal_basis": data.legal_basis,
        "marketing_opt_out": data.marketing_opt_out,
    }


def _company(session: Session, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(entity="company", id=company_id)
    return company


def _person(session: Session, person_id: int) -> ContactPerson:
    person = session.get(ContactPerson, person_id)
    if person is None or person.anonymised_at is not None:
        raise NotFound(entity="contact_person", id=person_id)
    return person
