"""Companies taking part in project activities: one at a time, a whole event, and feedback."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ActivityType, NeedMet, NeedStatus, ParticipationRole
from db.models import NAME_MAX, Company, Need, Participation, Project
from services.audit import audited
from services.auth import CurrentUser
from services.errors import NotFound, ValidationError
from services.projects import require_project_editor
from services.validation import clean_text, normalise_business_id

MAX_ATTENDEES = 2000


@dataclass(frozen=True)
class ActivityInput:
    """One project activity: what it was, when, and the role the companies had in it."""

    project_id: int
    activity_type: str
    occurred_on: dt.date
    activity_name: str | None = None
    role: str = ParticipationRole.PARTICIPANT


@dataclass(frozen=True)
class AttendanceResult:
    saved: int
    unknown_business_ids: list[str] = field(default_factory=list)
    invalid_lines: list[str] = field(default_factory=list)
    already_recorded: int = 0


@audited
def record_participation(
    session: Session,
    user: CurrentUser,
    activity: ActivityInput,
    *,
    company_id: int,
    need_id: int | None = None,
) -> Participation:
    """One company's participation, optionally about one of its needs."""
    name = _check_activity(session, user, activity)
    if session.get(Company, company_id) is None:
        raise NotFound("error.company.not_found", id=company_id)
    if need_id is not None:
        need = session.get(Need, need_id)
        if need is None or need.company_id != company_id:
            raise ValidationError("error.participation.need", field="need")
    participation = Participation(
        project_id=activity.project_id,
        company_id=company_id,
        activity_type=activity.activity_type,
        activity_name=name,
        occurred_on=activity.occurred_on,
        role=activity.role,
        need_id=need_id,
    )
    session.add(participation)
    session.flush()
    return participation


@audited
def record_attendance(
    session: Session,
    user: CurrentUser,
    activity: ActivityInput,
    *,
    company_ids: list[int] | None = None,
    business_ids_text: str = "",
) -> AttendanceResult:
    """A whole event at once: chosen companies and pasted business IDs.

    Unknown or malformed business IDs are listed and the rest saved; a company already
    recorded for the same activity on the same day is not recorded twice.
    """
    name = _check_activity(session, user, activity)
    wanted = list(dict.fromkeys(company_ids or []))
    lines = [line.strip() for line in re.split(r"[\s,;]+", business_ids_text) if line.strip()]
    invalid, valid = [], []
    for line in lines:
        try:
            valid.append(normalise_business_id(line))
        except ValidationError:
            invalid.append(line)
    found = dict(
        session.execute(
            select(Company.business_id, Company.id).where(Company.business_id.in_(valid))
        ).all()
    )
    unknown = [business_id for business_id in dict.fromkeys(valid) if business_id not in found]
    wanted += [found[business_id] for business_id in valid if business_id in found]
    wanted = list(dict.fromkeys(wanted))
    if len(wanted) > MAX_ATTENDEES:
        raise ValidationError("error.participation.too_many", maximum=MAX_ATTENDEES)
    existing = set(
        session.scalars(
            select(Participation.company_id).where(
                Participation.project_id == activity.project_id,
                Participation.occurred_on == activity.occurred_on,
                Participation.activity_type == activity.activity_type,
                Participation.activity_name.is_not_distinct_from(name),
                Participation.company_id.in_(wanted),
            )
        )
    )
    known = set(session.scalars(select(Company.id).where(Company.id.in_(wanted))))
    new = [
        company_id for company_id in wanted if company_id in known and company_id not in existing
    ]
    session.add_all(
        Participation(
            project_id=activity.project_id,
            company_id=company_id,
            activity_type=activity.activity_type,
            activity_name=name,
            occurred_on=activity.occurred_on,
            role=activity.role,
        )
        for company_id in new
    )
    session.flush()
    return AttendanceResult(
        saved=len(new),
        unknown_business_ids=unknown,
        invalid_lines=invalid,
        already_recorded=len(existing),
    )


@audited
def add_feedback(
    session: Session,
    user: CurrentUser,
    participation_id: int,
    *,
    feedback_score: int | None,
    need_met: str | None,
    today: dt.date,
) -> Participation:
    """Feedback after the activity: a score 1-5 and whether the company's need was met.

    "Yes" for a participation about a still-open need marks that need met, with this project
    as the one that addressed it.
    """
    participation = session.get(Participation, participation_id)
    if participation is None:
        raise NotFound("error.participation.not_found", id=participation_id)
    require_project_editor(session, user, participation.project_id)
    if feedback_score is not None and feedback_score not in range(1, 6):
        raise ValidationError("error.participation.score", field="feedback_score")
    if need_met is not None and need_met not in set(NeedMet):
        raise ValidationError("error.participation.need_met", field="need_met")
    participation.feedback_score = feedback_score
    participation.need_met = need_met
    if need_met == NeedMet.YES and participation.need_id is not None:
        need = session.get(Need, participation.need_id)
        if need is not None and need.status in (NeedStatus.OPEN, NeedStatus.IN_PROGRESS):
            need.status = NeedStatus.MET
            need.resolved_on = max(today, need.identified_on)
            need.addressed_by_project_id = participation.project_id
    session.flush()
    return participation


def _check_activity(session: Session, user: CurrentUser, activity: ActivityInput) -> str | None:
    project: Project = require_project_editor(session, user, activity.project_id)
    if activity.activity_type not in set(ActivityType):
        raise ValidationError("error.participation.activity_type", field="activity_type")
    if activity.role not in set(ParticipationRole):
        raise ValidationError("error.participation.role", field="role")
    if not project.starts_on <= activity.occurred_on <= project.ends_on:
        raise ValidationError(
            "error.participation.outside_period",
            field="occurred_on",
            starts_on=project.starts_on,
            ends_on=project.ends_on,
        )
    return clean_text(activity.activity_name, field="activity_name", max_length=NAME_MAX)
