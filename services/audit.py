"""The audit trail: every ORM create, update and delete is recorded in the same transaction.

Services say who is acting with `acting_as(session, user)`; a flush hook then writes one audit
event per changed record with the old and new values of the fields that changed.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import AuditEvent, Base
from services.auth import CurrentUser

ACTOR_KEY = "seutu.actor_id"
# Never copied into the trail.
SECRET_FIELDS = frozenset({"password_hash"})
# Bookkeeping that would only add noise.
IGNORED_FIELDS = frozenset({"created_at", "updated_at", "failed_logins", "last_login_at"})


def acting_as(session: Session, user: CurrentUser) -> None:
    """Attribute the changes made in this session to `user`."""
    session.info[ACTOR_KEY] = user.id


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


@event.listens_for(Session, "before_flush")
def _audit_changes(session: Session, _context: object, _instances: object) -> None:
    if ACTOR_KEY not in session.info:
        return
    events: list[tuple[Base, AuditAction, dict[str, Any]]] = []
    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, AuditEvent):
            events.append((obj, AuditAction.CREATE, _values(obj, new=True)))
    for obj in session.dirty:
        if isinstance(obj, Base) and not isinstance(obj, AuditEvent):
            changes = _changed(obj)
            if changes:
                events.append((obj, AuditAction.UPDATE, changes))
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditEvent):
            events.append((obj, AuditAction.DELETE, _values(obj, new=False)))
    if not events:
        return
    # New rows need their ids before the trail can point at them.
    pending = [obj for obj, action, _ in events if action == AuditAction.CREATE]
    if pending:
        session.flush(pending)
    for obj, action, changes in events:
        session.add(
            AuditEvent(
                user_id=session.info[ACTOR_KEY],
                action=action,
                entity=obj.__tablename__,
                entity_id=getattr(obj, "id", None),
                changes=changes,
            )
        )


def _values(obj: Base, *, new: bool) -> dict[str, Any]:
    side = "new" if new else "old"
    return {
        column.key: {side: _plain(getattr(obj, column.key))}
        for column in inspect(obj).mapper.column_attrs
        if _kept(column.key) and getattr(obj, column.key) is not None
    }


def _changed(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        if not _kept(column.key):
            continue
        history = state.attrs[column.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            changes[column.key] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _kept(key: str) -> bool:
    return key not in SECRET_FIELDS and key not in IGNORED_FIELDS


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value
