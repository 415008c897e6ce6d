"""The audit trail: every ORM create, update and delete is recorded in the same transaction.

Write services say who is acting with `acting_as(session, user)`; a flush hook then writes one
audit event per changed record with the old and new values of the fields that changed. Events
that are not row changes (an export, an erasure) are recorded with `record`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import and_, event, func, insert, inspect, or_, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import (
    AuditEvent,
    Base,
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    Need,
    Referral,
    User,
    now_utc,
)
from services.auth import CurrentUser
from services.errors import NotFound
from services.paging import Page, paginate
from services.permissions import Action, require, require_town

ACTOR_KEY = "seutu.actor_id"
# Never copied into the trail; a change to them is recorded as "changed", without values.
SECRET_FIELDS = frozenset({"password_hash"})
# Bookkeeping that would only add noise.
IGNORED_FIELDS = frozenset({"created_at", "updated_at", "failed_logins", "last_login_at"})

P = ParamSpec("P")
R = TypeVar("R")


def acting_as(session: Session, user: CurrentUser) -> None:
    """Attribute the changes made in this session to `user`."""
    session.info[ACTOR_KEY] = user.id


def audited(function: Callable[P, R]) -> Callable[P, R]:
    """For a write service `f(session, user, ...)`: its changes are recorded as the user's."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session, user = args[0], args[1]
        acting_as(session, user)  # type: ignore[arg-type]
        return function(*args, **kwargs)

    return wrapper


def data_version(session: Session) -> int:
    """A number that grows with every change made through the services (each is audited):
    cached figures keyed by it are computed afresh after any write, in any app process."""
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def record(
    session: Session,
    *,
    action: AuditAction,
    entity: str,
    entity_id: int | None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record an event that is not a row change, such as an export or an erasure."""
    session.add(
        AuditEvent(
            user_id=session.info.get(ACTOR_KEY),
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
        )
    )


@event.listens_for(Session, "after_flush")
def _audit_changes(session: Session, _context: object) -> None:
    # After the flush new rows have their ids, while the session still holds what changed.
    actor = session.info.get(ACTOR_KEY)
    if actor is None:
        return
    now = now_utc()
    rows: list[dict[str, Any]] = []

    def add(obj: object, action: AuditAction, changes: dict[str, Any]) -> None:
        if isinstance(obj, Base) and not isinstance(obj, AuditEvent) and changes:
            if getattr(obj, "id", None) is None:
                # A record keyed by something else (a setting's key): say which one.
                key = inspect(obj).identity or ()
                changes = {"record": {"new": "/".join(str(part) for part in key)}, **changes}
            rows.append(
                {
                    "occurred_at": now,
                    "user_id": actor,
                    "action": action.value,
                    "entity": obj.__tablename__,
                    "entity_id": getattr(obj, "id", None),
                    "changes": changes,
                }
            )

    for obj in session.new:
        add(obj, AuditAction.CREATE, _values(obj, side="new"))
    for obj in session.dirty:
        add(obj, AuditAction.UPDATE, _changed(obj))
    for obj in session.deleted:
        add(obj, AuditAction.DELETE, _values(obj, side="old"))
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _values(obj: object, *, side: str) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for relationship in state.mapper.relationships:
        if relationship.secondary is not None and side == "new":
            linked = sorted(item.id for item in getattr(obj, relationship.key))
            if linked:
                values[relationship.key] = {"added": linked, "removed": []}
    for column in state.mapper.column_attrs:
        if column.key in IGNORED_FIELDS:
            continue
        value = getattr(obj, column.key)
        if value is None:
            continue
        values[column.key] = {side: "***" if column.key in SECRET_FIELDS else _plain(value)}
    return values


def _changed(obj: object) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        if column.key in IGNORED_FIELDS:
            continue
        history = state.attrs[column.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if column.key in SECRET_FIELDS:
            changes[column.key] = {"changed": True}
        else:
            changes[column.key] = {"old": _plain(old), "new": _plain(new)}
    # Many-to-many links (a project's towns, a user's home towns) as the ids added and removed.
    for relationship in state.mapper.relationships:
        if relationship.secondary is None:
            continue
        history = state.attrs[relationship.key].history
        added = sorted(item.id for item in history.added)
        removed = sorted(item.id for item in history.deleted)
        if added or removed:
            changes[relationship.key] = {"added": added, "removed": removed}
    return changes


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def list_events(
    session: Session,
    user: CurrentUser,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page:
    """The audit trail, newest first; administrators only."""
    require(user, Action.ADMINISTER)
    return paginate(
        session,
        _events_query(entity=entity, entity_id=entity_id, actor_id=actor_id, action=action,
                      since=since),
        page=page,
        page_size=page_size,
    )  # fmt: skip


def company_history(
    session: Session, user: CurrentUser, company_id: int, *, page: int = 1, page_size: int = 25
) -> Page:
    """Changes to a company and to its contact persons, contacts, needs and follow-ups.

    The old and new values may hold personal data: only for those who may edit the company,
    and for leadership and administrators.
    """
    require(user, Action.VIEW_REGISTER)
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("error.company.not_found", id=company_id)
    if user.role not in (Role.LEADERSHIP, Role.ADMIN):
        require_town(user, Action.EDIT_COMPANY, company.town_id)
    related = [and_(AuditEvent.entity == "companies", AuditEvent.entity_id == company_id)]
    for model in (ContactPerson, Interaction, Need, FollowUp, Referral):
        # The company's records now, and those deleted since (their deletion names the company).
        removed = select(AuditEvent.entity_id).where(
            AuditEvent.entity == model.__tablename__,
            AuditEvent.action == AuditAction.DELETE,
            AuditEvent.changes["company_id"]["old"].as_integer() == company_id,
        )
        current = select(model.id).where(model.company_id == company_id)
        related.append(
            and_(
                AuditEvent.entity == model.__tablename__,
                or_(AuditEvent.entity_id.in_(current), AuditEvent.entity_id.in_(removed)),
            )
        )
    stmt = _events_query().where(or_(*related))
    return paginate(session, stmt, page=page, page_size=page_size)


def _events_query(
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: dt.date | None = None,
) -> Any:
    stmt = (
        select(
            AuditEvent.id,
            AuditEvent.occurred_at,
            User.full_name.label("actor"),
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_id,
            AuditEvent.changes,
        )
        .outerjoin(User, User.id == AuditEvent.user_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.user_id == actor_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    return stmt


def describe(changes: dict[str, Any] | None) -> str:
    """A short readable line of what changed: field: old → new."""
    if not changes:
        return ""
    parts = []
    for field, change in changes.items():
        if "added" in change:
            parts.append(f"{field}: +{change['added']} −{change['removed']}")
        elif "changed" in change:
            parts.append(f"{field}: ***")
        elif "old" in change and "new" in change:
            parts.append(f"{field}: {change['old']} → {change['new']}")
        else:
            parts.append(f"{field}: {change.get('new', change.get('old'))}")
    return "; ".join(parts)
