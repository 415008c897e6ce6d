"""Data protection for contact persons: export what is held, erase, and retention.

Erasure anonymises the person's own fields and redacts their name wherever the company's
history mentions it (contacts, needs, referrals, participations, the audit trail), keeping the
rest of the company's history. Every export and erasure is itself recorded, without the data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import (
    AuditEvent,
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    Participation,
    Partnership,
    Referral,
    now_utc,
)
from services.audit import acting_as, record
from services.auth import CurrentUser
from services.errors import NotFound
from services.paging import DEFAULT_PAGE_SIZE, Page, paginate
from services.permissions import Action, require
from services.settings import current_settings

ERASED_FIRST_NAME = "Poistettu"
ERASED_LAST_NAME = "henkilö"
REDACTED = "[poistettu]"


def _person(session: Session, person_id: int) -> ContactPerson:
    person = session.get(ContactPerson, person_id)
    if person is None:
        raise NotFound("error.person.not_found", id=person_id)
    return person


def export_person(session: Session, admin: CurrentUser, person_id: int) -> dict[str, Any]:
    """Everything held about a contact person, for a subject access request."""
    require(admin, Action.ADMINISTER)
    person = _person(session, person_id)
    company = session.get(Company, person.company_id)
    assert company is not None
    contacts = session.execute(
        select(Interaction.occurred_on, Interaction.channel, Interaction.summary)
        .where(Interaction.contact_person_id == person.id)
        .order_by(Interaction.occurred_on)
    ).all()
    data = {
        "person": {
            "id": person.id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
            "legal_basis": person.legal_basis,
            "marketing_opt_out": person.marketing_opt_out,
            "created_at": person.created_at.isoformat() if person.created_at else None,
            "anonymised_at": person.anonymised_at.isoformat() if person.anonymised_at else None,
        },
        "company": {"business_id": company.business_id, "name": company.name},
        "contacts": [
            {"date": row.occurred_on.isoformat(), "channel": row.channel, "summary": row.summary}
            for row in contacts
        ],
        "exported_at": now_utc().isoformat(),
    }
    acting_as(session, admin)
    record(session, action=AuditAction.EXPORT, entity="contact_persons", entity_id=person.id)
    session.flush()
    return data


def _name_pattern(person: ContactPerson) -> re.Pattern[str] | None:
    """The person's full name, first and last names on their own, email and phone number."""
    parts = [
        person.email or "",
        person.phone or "",
        f"{person.first_name} {person.last_name}",
        person.last_name,
        person.first_name,
    ]
    names = [re.escape(part.strip()) for part in parts if part and len(part.strip()) >= 2]
    if not names:
        return None
    # Finnish inflects names with endings ("Päivin", "Päiville"): those go with the name.
    return re.compile(r"(?<!\w)(" + "|".join(names) + r")\w*", re.IGNORECASE)


def _redact(text: str | None, pattern: re.Pattern[str]) -> str | None:
    return None if text is None else pattern.sub(REDACTED, text)


def erase_person(session: Session, admin: CurrentUser, person_id: int) -> None:
    """Anonymise a contact person and redact their name from the company's history."""
    require(admin, Action.ADMINISTER)
    person = _person(session, person_id)
    pattern = _name_pattern(person)
    if pattern is not None:
        _redact_company_texts(session, person.company_id, pattern)
        _redact_audit_trail(session, person, pattern)
    # Core updates: the flush hook would copy the old values into the audit trail.
    session.execute(
        update(ContactPerson)
        .where(ContactPerson.id == person.id)
        .values(
            first_name=ERASED_FIRST_NAME,
            last_name=ERASED_LAST_NAME,
            title=None,
            email=None,
            phone=None,
            marketing_opt_out=True,
            anonymised_at=now_utc(),
        )
        .execution_options(synchronize_session=False)
    )
    session.expire(person)
    acting_as(session, admin)
    record(session, action=AuditAction.ERASE, entity="contact_persons", entity_id=person.id)
    session.flush()


def _redact_company_texts(session: Session, company_id: int, pattern: re.Pattern[str]) -> None:
    texts = (
        (Interaction, Interaction.summary, Interaction.company_id),
        (Need, Need.description, Need.company_id),
        (Need, Need.resolution_note, Need.company_id),
        (FollowUp, FollowUp.description, FollowUp.company_id),
        (Referral, Referral.note, Referral.company_id),
        (Referral, Referral.outcome, Referral.company_id),
        (Participation, Participation.activity_name, Participation.company_id),
        # A partnership's description may name the people who agreed on it.
        (Partnership, Partnership.description, Partnership.first_company_id),
        (Partnership, Partnership.description, Partnership.second_company_id),
    )
    for model, column, owner in texts:
        rows = session.execute(
            select(model.id, column).where(owner == company_id, column.is_not(None))
        ).all()
        for row_id, text in rows:
            redacted = _redact(text, pattern)
            if redacted != text:
                session.execute(
                    update(model)
                    .where(model.id == row_id)
                    .values({column.key: redacted})
                    .execution_options(synchronize_session=False)
                )


def _redact_audit_trail(session: Session, person: ContactPerson, pattern: re.Pattern[str]) -> None:
    """Old and new values in the audit trail may hold the name; redact them there too."""
    company_id = person.company_id
    related = or_(
        and_(AuditEvent.entity == "contact_persons", AuditEvent.entity_id == person.id),
        and_(AuditEvent.entity == "companies", AuditEvent.entity_id == company_id),
        *[
            and_(
                AuditEvent.entity == model.__tablename__,
                AuditEvent.entity_id.in_(select(model.id).where(model.company_id == company_id)),
            )
            for model in (Interaction, Need, FollowUp, Referral, Participation)
        ],
        and_(
            AuditEvent.entity == Partnership.__tablename__,
            AuditEvent.entity_id.in_(
                select(Partnership.id).where(
                    or_(
                        Partnership.first_company_id == company_id,
                        Partnership.second_company_id == company_id,
                    )
                )
            ),
        ),
    )
    for event_id, entity, changes in session.execute(
        select(AuditEvent.id, AuditEvent.entity, AuditEvent.changes).where(
            related, AuditEvent.changes.is_not(None)
        )
    ).all():
        if changes is None:  # a JSON null: nothing to redact
            continue
        # The person's own events may hold earlier names, emails and phones: none are kept.
        if entity == "contact_persons":
            redacted = {"erased": True} if changes != {"erased": True} else changes
        else:
            redacted = _redact_json(changes, pattern)
        if redacted != changes:
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.id == event_id)
                .values(changes=redacted)
                .execution_options(synchronize_session=False)
            )


def _redact_json(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, dict):
        return {key: _redact_json(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_json(item, pattern) for item in value]
    return value


def _stale_condition(session: Session, today: dt.date) -> Any:
    years = int(current_settings(session)["retention.years"])
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year without one
        cutoff = today.replace(year=today.year - years, day=28)
    recent = exists().where(
        Interaction.contact_person_id == ContactPerson.id, Interaction.occurred_on >= cutoff
    )
    created_before = ContactPerson.created_at < dt.datetime.combine(cutoff, dt.time(), dt.UTC)
    return and_(ContactPerson.anonymised_at.is_(None), created_before, ~recent)


def stale_contact_persons(
    session: Session,
    admin: CurrentUser,
    *,
    today: dt.date,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """Contact persons with no contact within the retention period, for anonymisation."""
    require(admin, Action.ADMINISTER)
    last_contact = (
        select(Interaction.occurred_on)
        .where(Interaction.contact_person_id == ContactPerson.id)
        .order_by(Interaction.occurred_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(
            ContactPerson.id,
            ContactPerson.first_name,
            ContactPerson.last_name,
            Company.name.label("company"),
            last_contact.label("last_contact"),
        )
        .join(Company, Company.id == ContactPerson.company_id)
        .where(_stale_condition(session, today))
        .order_by(ContactPerson.id)
    )
    return paginate(session, stmt, page=page, page_size=page_size)


def erase_stale_contact_persons(session: Session, admin: CurrentUser, *, today: dt.date) -> int:
    """Anonymise every contact person past the retention period; returns how many."""
    require(admin, Action.ADMINISTER)
    ids = session.scalars(select(ContactPerson.id).where(_stale_condition(session, today))).all()
    for person_id in ids:
        erase_person(session, admin, person_id)
    return len(ids)


def find_contact_persons(
    session: Session, admin: CurrentUser, *, query: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Contact persons whose name, email or company matches, for a data subject request."""
    require(admin, Action.ADMINISTER)
    text = query.strip()
    if len(text) < 2:
        return []
    like = f"%{text}%"
    stmt = (
        select(
            ContactPerson.id,
            ContactPerson.first_name,
            ContactPerson.last_name,
            ContactPerson.email,
            Company.name.label("company"),
        )
        .join(Company, Company.id == ContactPerson.company_id)
        .where(
            ContactPerson.anonymised_at.is_(None),
            or_(
                (ContactPerson.first_name + " " + ContactPerson.last_name).ilike(like),
                ContactPerson.email.ilike(like),
                Company.name.ilike(like),
            ),
        )
        .order_by(ContactPerson.last_name, ContactPerson.first_name)
        .limit(limit)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]
