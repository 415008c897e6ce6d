"""Administrator-editable settings, such as the need-fit flag thresholds, with their defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Setting
from services.audit import audited
from services.auth import CurrentUser
from services.errors import ValidationError
from services.permissions import Action, require


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its default and the range an administrator may set it within."""

    default: float
    minimum: float
    maximum: float
    integer: bool = False


# Flag thresholds: a flag fires when its figure is below (above, for overdue follow-ups) the
# threshold and at least `min_*` cases lie behind the figure.
SPECS: dict[str, SettingSpec] = {
    "low_reach.threshold": SettingSpec(0.20, 0.0, 1.0),
    "low_reach.min_companies": SettingSpec(10, 1, 10_000, integer=True),
    "low_resolution.threshold": SettingSpec(0.20, 0.0, 1.0),
    "low_resolution.min_needs": SettingSpec(10, 1, 10_000, integer=True),
    "low_satisfaction.min_feedback": SettingSpec(3.0, 1.0, 5.0),
    "low_satisfaction.max_not_met_share": SettingSpec(0.50, 0.0, 1.0),
    "low_satisfaction.min_participations": SettingSpec(10, 1, 10_000, integer=True),
    "misaligned.threshold": SettingSpec(0.25, 0.0, 1.0),
    "misaligned.min_needs": SettingSpec(20, 1, 100_000, integer=True),
    "low_company_driven.threshold": SettingSpec(0.10, 0.0, 1.0),
    "low_company_driven.min_participations": SettingSpec(10, 1, 10_000, integer=True),
    "overdue_follow_ups.threshold": SettingSpec(0.30, 0.0, 1.0),
    "overdue_follow_ups.min_open": SettingSpec(5, 1, 10_000, integer=True),
    # "Invest in": a need category is a gap when at least this many unserved needs wait in a town.
    "ecosystem.gap_min_needs": SettingSpec(5, 1, 10_000, integer=True),
    "retention.years": SettingSpec(5, 1, 50, integer=True),
    "session.idle_minutes": SettingSpec(60, 5, 24 * 60, integer=True),
}


def defaults() -> dict[str, float]:
    return {key: spec.default for key, spec in SPECS.items()}


def current_settings(session: Session) -> dict[str, float]:
    """Every setting: the stored value where an administrator set one, else the default."""
    values = defaults()
    for key, value in session.execute(select(Setting.key, Setting.value)):
        if key in SPECS:
            values[key] = value
    return values


@audited
def update_settings(session: Session, user: CurrentUser, changes: dict[str, Any]) -> None:
    """Store new values after checking each is a number within its range."""
    require(user, Action.ADMINISTER)
    checked = {key: _checked(key, value) for key, value in changes.items()}
    now = dt.datetime.now(dt.UTC)
    for key, value in checked.items():
        setting = session.get(Setting, key)
        if setting is None:
            session.add(Setting(key=key, value=value, updated_at=now, updated_by_id=user.id))
        elif setting.value != value:
            setting.value = value
            setting.updated_at = now
            setting.updated_by_id = user.id
    session.flush()


def _checked(key: str, value: Any) -> float:
    spec = SPECS.get(key)
    if spec is None:
        raise ValidationError("error.setting.unknown", field=key, key=key)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError("error.setting.not_a_number", field=key, key=key) from None
    if not spec.minimum <= number <= spec.maximum:
        raise ValidationError(
            "error.setting.range", field=key, key=key, minimum=spec.minimum, maximum=spec.maximum
        )
    if spec.integer:
        if number != int(number):
            raise ValidationError("error.setting.integer", field=key, key=key)
        return int(number)
    return number
