"""Logging a contact: the interaction, the needs found, a follow-up and a referral, all at once.

Everything is validated before anything is written, and the whole contact is saved in the
caller's one transaction, so a contact is saved whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from db.enums import Channel, FollowUpStatus, ReferralStatus, Severity
from db.models import (
    TEXT_MAX,
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    NeedCategory,
    Partner,
    Project,
    Referral,
    User,
)
from services.audit import audited
from services.auth import CurrentUser
from services.companies import (
    CompanyInput,
    create_company,
    ensure_unique_business_id,
    validated_company,
)
from services.contact_persons import (
    ContactPersonInput,
    add_contact_person,
    validated_contact_person,
)
from services.errors import NotFound, ValidationError
from services.permissions import Action, require
from services.validation import clean_text

EARLIEST_CONTACT = dt.date(2000, 1, 1)
DEFAULT_FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class NeedInput:
    category_id: int
    severity: str
    description: str


@dataclass(frozen=True)
class FollowUpInput:
    description: str
    due_on: dt.date | None = None  # None: DEFAULT_FOLLOW_UP_DAYS after the contact
    owner_id: int | None = None  # None: the advisor who logs the contact


@dataclass(frozen=True)
class ReferralInput:
    consent: bool
    partner_id: int | None = None
    project_id: int | None = None
    note: str | None = None
    need_index: int | None = None  # which of the contact's needs the referral is about


@dataclass(frozen=True)
class ContactInput:
    occurred_on: dt.date
    channel: str
    summary: str
    company_id: int | None = None
    new_company: CompanyInput | None = None
    contact_person_id: int | None = None
    new_contact_person: ContactPersonInput | None = None
    project_id: int | None = None
    needs: tuple[NeedInput, ...] = field(default_factory=tuple)
    follow_up: FollowUpInput | None = None
    referral: ReferralInput | None = None


@dataclass(frozen=True)
class LoggedContact:
    interaction_id: int
    company_id: int
    need_ids: tuple[int, ...]
    follow_up_id: int | None
    referral_id: int | None


@audited
def log_contact(
    session: Session, user: CurrentUser, data: ContactInput, *, today: dt.date
) -> LoggedContact:
    """Save one contact with everything found in it; raises before writing if any part is bad."""
    require(user, Action.LOG_CONTACT)
    summary = _check(session, data, today=today)
    company_id = _company_id(session, user, data)
    contact_person_id = data.contact_person_id
    if data.new_contact_person is not None:
        contact_person_id = add_contact_person(
            session, user, company_id, data.new_contact_person
        ).id
    interaction = Interaction(
        company_id=company_id,
        advisor_id=user.id,
        occurred_on=data.occurred_on,
        channel=data.channel,
        summary=summary,
        contact_person_id=contact_person_id,
        project_id=data.project_id,
    )
    session.add(interaction)
    session.flush()
    needs = [
        Need(
            company_id=company_id,
            interaction_id=interaction.id,
            category_id=need.category_id,
            severity=need.severity,
            description=need.description.strip(),
            identified_on=data.occurred_on,
            created_by_id=user.id,
        )
        for need in data.needs
    ]
    session.add_all(needs)
    session.flush()
    follow_up = _follow_up(session, user, data, company_id, interaction, needs)
    referral = _referral(session, user, data, company_id, interaction, needs)
    return LoggedContact(
        interaction_id=interaction.id,
        company_id=company_id,
        need_ids=tuple(need.id for need in needs),
        follow_up_id=follow_up.id if follow_up else None,
        referral_id=referral.id if referral else None,
    )


def _check(session: Session, data: ContactInput, *, today: dt.date) -> str:
    """Validate every part of the contact; return the cleaned summary."""
    if data.company_id is None and data.new_company is None:
        raise ValidationError("error.contact.company_required", field="company")
    if data.company_id is not None and session.get(Company, data.company_id) is None:
        raise NotFound("error.company.not_found", id=data.company_id)
    if data.company_id is None and data.new_company is not None:
        business_id = validated_company(session, data.new_company)["business_id"]
        ensure_unique_business_id(session, business_id)
    if data.new_contact_person is not None:
        validated_contact_person(data.new_contact_person)
    if data.occurred_on > today:
        raise ValidationError("error.contact.future_date", field="occurred_on")
    if data.occurred_on < EARLIEST_CONTACT:
        raise ValidationError("error.contact.too_old", field="occurred_on")
    if data.channel not in set(Channel):
        raise ValidationError("error.contact.channel", field="channel")
    summary = clean_text(data.summary, field="summary", max_length=TEXT_MAX, required=True)
    assert summary is not None
    if data.contact_person_id is not None:
        person = session.get(ContactPerson, data.contact_person_id)
        if person is None or person.company_id != data.company_id:
            raise ValidationError("error.contact.person_mismatch", field="contact_person")
    if data.project_id is not None and session.get(Project, data.project_id) is None:
        raise ValidationError("error.project.unknown", field="project")
    for index, need in enumerate(data.needs, start=1):
        _check_need(session, need, index)
    if data.follow_up is not None:
        _check_follow_up(session, data.follow_up, data.occurred_on)
    if data.referral is not None:
        _check_referral(session, data.referral, len(data.needs))
    return summary


def _check_need(session: Session, need: NeedInput, index: int) -> None:
    category = session.get(NeedCategory, need.category_id)
    if category is None or not category.is_active:
        raise ValidationError("error.need.category", field=f"need_{index}", number=index)
    if need.severity not in set(Severity):
        raise ValidationError("error.need.severity", field=f"need_{index}", number=index)
    if not need.description.strip():
        raise ValidationError("error.need.description", field=f"need_{index}", number=index)
    clean_text(need.description, field=f"need_{index}", max_length=TEXT_MAX)


def _check_follow_up(session: Session, follow_up: FollowUpInput, occurred_on: dt.date) -> None:
    clean_text(follow_up.description, field="follow_up", max_length=TEXT_MAX, required=True)
    if follow_up.due_on is not None and follow_up.due_on < occurred_on:
        raise ValidationError("error.follow_up.due_before_contact", field="follow_up_due")
    if follow_up.owner_id is not None:
        owner = session.get(User, follow_up.owner_id)
        if owner is None or not owner.is_active:
            raise ValidationError("error.follow_up.owner", field="follow_up_owner")


def _check_referral(session: Session, referral: ReferralInput, need_count: int) -> None:
    if not referral.consent:
        raise ValidationError("error.referral.consent", field="referral_consent")
    if referral.partner_id is None and referral.project_id is None:
        raise ValidationError("error.referral.target", field="referral_target")
    if referral.partner_id is not None and session.get(Partner, referral.partner_id) is None:
        raise ValidationError("error.referral.target", field="referral_target")
    if referral.project_id is not None and session.get(Project, referral.project_id) is None:
        raise ValidationError("error.referral.target", field="referral_target")
    if referral.need_index is not None and not 0 <= referral.need_index < need_count:
        raise ValidationError("error.referral.need", field="referral_need")
    clean_text(referral.note, field="referral_note", max_length=TEXT_MAX)


def _company_id(session: Session, user: CurrentUser, data: ContactInput) -> int:
    if data.company_id is not None:
        return data.company_id
    assert data.new_company is not None
    return create_company(session, user, data.new_company).id


def _follow_up(
    session: Session,
    user: CurrentUser,
    data: ContactInput,
    company_id: int,
    interaction: Interaction,
    needs: list[Need],
) -> FollowUp | None:
    if data.follow_up is None:
        return None
    follow_up = FollowUp(
        company_id=company_id,
        interaction_id=interaction.id,
        need_id=needs[0].id if len(needs) == 1 else None,
        owner_id=data.follow_up.owner_id or user.id,
        description=data.follow_up.description.strip(),
        due_on=data.follow_up.due_on
        or data.occurred_on + dt.timedelta(days=DEFAULT_FOLLOW_UP_DAYS),
        status=FollowUpStatus.OPEN,
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def _referral(
    session: Session,
    user: CurrentUser,
    data: ContactInput,
    company_id: int,
    interaction: Interaction,
    needs: list[Need],
) -> Referral | None:
    if data.referral is None:
        return None
    chosen = data.referral.need_index
    referral = Referral(
        company_id=company_id,
        interaction_id=interaction.id,
        need_id=needs[chosen].id if chosen is not None else None,
        partner_id=data.referral.partner_id,
        project_id=data.referral.project_id,
        consent=True,
        referred_on=data.occurred_on,
        status=ReferralStatus.SENT,
        note=clean_text(data.referral.note, field="referral_note", max_length=TEXT_MAX),
        created_by_id=user.id,
    )
    session.add(referral)
    session.flush()
    return referral
