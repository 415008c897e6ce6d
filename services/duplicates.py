"""Likely duplicate companies, and merging two records into one with all their history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import (
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    Participation,
    Referral,
    Town,
)
from services.audit import acting_as, record
from services.auth import CurrentUser
from services.ecosystem import move_company_partnerships
from services.errors import NotFound, ValidationError
from services.permissions import Action, require

# Everything that belongs to a company and moves with it in a merge.
HISTORY = (ContactPerson, Interaction, Need, FollowUp, Referral, Participation)


def likely_duplicates(
    session: Session, admin: CurrentUser, *, limit: int = 200
) -> list[dict[str, Any]]:
    """Companies with the same name (case and accents aside) in the same municipality."""
    require(admin, Action.ADMINISTER)
    groups = (
        select(Company.name_key, Company.town_id)
        .group_by(Company.name_key, Company.town_id)
        .having(func.count() > 1)
        .limit(limit)
        .subquery()
    )
    stmt = (
        select(
            Company.id,
            Company.business_id,
            Company.name,
            Company.name_key,
            Town.name.label("town"),
            Company.is_active,
            Company.created_at,
        )
        .join(
            groups, (groups.c.name_key == Company.name_key) & (groups.c.town_id == Company.town_id)
        )
        .join(Town, Town.id == Company.town_id)
        .order_by(Company.name_key, Town.name, Company.id)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def merge_companies(
    session: Session, admin: CurrentUser, *, keep_id: int, remove_id: int
) -> dict[str, int]:
    """Move all of `remove_id`'s history to `keep_id`, then delete `remove_id`. Audited."""
    require(admin, Action.ADMINISTER)
    if keep_id == remove_id:
        raise ValidationError("error.merge.same", field="remove_id")
    keep, remove = session.get(Company, keep_id), session.get(Company, remove_id)
    if keep is None or remove is None:
        raise NotFound("error.company.not_found", id=remove_id if keep else keep_id)
    acting_as(session, admin)
    moved: dict[str, int] = {}
    for model in HISTORY:
        result = session.execute(
            update(model)
            .where(model.company_id == remove_id)
            .values(company_id=keep_id)
            .execution_options(synchronize_session=False)
        )
        moved[model.__tablename__] = result.rowcount or 0
    moved["partnerships"] = move_company_partnerships(session, keep_id=keep_id, remove_id=remove_id)
    session.expire_all()
    record(
        session,
        action=AuditAction.UPDATE,
        entity="companies",
        entity_id=keep_id,
        changes={"merged": {"old": {"id": remove_id, "business_id": remove.business_id,
                                    "name": remove.name}, "new": moved}},
    )  # fmt: skip
    session.delete(session.get(Company, remove_id))
    session.flush()
    return moved
