"""The engagement and leadership aggregates on a small hand-built world, on SQLite and PostgreSQL.

Every expected figure is a literal worked out by hand; the comments show the arithmetic. The world:

    Regions  A: Forssa (Fo), Humppila (Hu)        B: Jämsä (Jä)
    Companies                 town  TOL  staff -> size
        c1 Forssan Konepaja   Fo    C    20       small
        c2 Forssan Leipomo    Fo    C    4        micro
        c3 Humppilan Kuljetus Hu    H    120      medium
        c4 Humppilan Puu      Hu    C    3        micro
        c5 Jämsän Ohjelmisto  Jä    J    30       small
        c6 Jämsän Metsä       Jä    A    2        micro
        c7 Humppilan Kauppa   Hu    G    60       medium
    Projects  P1 "Verkostohanke Häme", P2 "Digiloikka"

The engagement period is March-April 2026 (61 days); the previous period of the same length
is 30.12.2025-28.2.2026. The leadership "today" is 22.11.2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import (
    Channel,
    FollowUpStatus,
    NeedStatus,
    ParticipationRole,
    ReferralStatus,
    Role,
)
from db.models import Interaction, Referral
from services import engagement, leadership
from services.dashboards import follow_up_status_by_owner, follow_up_status_by_town
from services.engagement import EngagementFilters, month_of
from services.errors import Forbidden
from tests import factories as make

D = dt.date
TODAY = D(2026, 11, 22)
PERIOD = EngagementFilters(start=D(2026, 3, 1), end=D(2026, 4, 30))
# 1.3.-30.4. is 31 + 30 = 61 days; the 61 days before it: 30.-31.12. (2) + January (31) +
# February 2026 (28) = 61, ending on 28.2.
PREVIOUS = EngagementFilters(start=D(2025, 12, 30), end=D(2026, 2, 28))
EMPTY = EngagementFilters(start=D(1990, 1, 1), end=D(1990, 12, 31))
# The leadership response-time window.
RESPONSE_START, RESPONSE_END = D(2025, 10, 1), D(2026, 4, 30)

VISIT, MEETING, PHONE = Channel.VISIT, Channel.MEETING, Channel.PHONE
EMAIL, ONLINE = Channel.EMAIL, Channel.ONLINE
OPEN, DONE, CANCELLED = FollowUpStatus.OPEN, FollowUpStatus.DONE, FollowUpStatus.CANCELLED


# --- The world --------------------------------------------------------------------------------


def _found_in(session: Session, need: Any, interaction: Interaction) -> None:
    need.interaction_id = interaction.id
    session.flush()


def _referral(session: Session, w: SimpleNamespace, need: Any, on: dt.date) -> Referral:
    row = Referral(
        company_id=need.company_id,
        need_id=need.id,
        project_id=w.p1.id,
        consent=True,
        referred_on=on,
        status=ReferralStatus.SENT,
    )
    session.add(row)
    session.flush()
    return row


def _follow_up(
    session: Session,
    company: Any,
    owner: Any,
    due_on: dt.date,
    status: FollowUpStatus = OPEN,
    *,
    need: Any = None,
) -> Any:
    row = make.follow_up(
        session,
        company=company,
        owner=owner,
        due_on=due_on,
        status=status,
        done_on=due_on if status == DONE else None,
    )
    if need is not None:
        row.need_id = need.id
        session.flush()
    return row


@pytest.fixture
def world(session: Session) -> SimpleNamespace:
    w = SimpleNamespace()
    region_a = make.region(session, code="91", name="Alue A")
    region_b = make.region(session, code="92", name="Alue B")
    w.region_a, w.region_b = region_a, region_b
    w.forssa = make.town(session, "Forssa", region=region_a)
    w.humppila = make.town(session, "Humppila", region=region_a)
    w.jamsa = make.town(session, "Jämsä", region=region_b)
    w.funding = make.category(session, "funding", sort_order=1)
    w.workforce = make.category(session, "workforce", sort_order=2)
    w.digital = make.category(session, "digitalisation", sort_order=3)

    w.aino = make.user(session, role=Role.ADVISOR, full_name="Aino Neuvoja", towns=[w.forssa])
    w.bertta = make.user(session, role=Role.ADVISOR, full_name="Bertta Neuvoja")
    w.cecilia = make.user(session, role=Role.PROJECT_MANAGER, full_name="Cecilia Hanke")
    w.leader = make.user(session, role=Role.LEADERSHIP, full_name="Daniel Johto")
    w.as_leader = make.signed_in(session, w.leader)

    def company(name: str, town: Any, section: str, staff: int) -> Any:
        return make.company(session, name, town=town, industry_section=section, staff_count=staff)

    w.c1 = company("Forssan Konepaja Oy", w.forssa, "C", 20)  # small
    w.c2 = company("Forssan Leipomo Oy", w.forssa, "C", 4)  # micro
    w.c3 = company("Humppilan Kuljetus Oy", w.humppila, "H", 120)  # medium
    w.c4 = company("Humppilan Puu Oy", w.humppila, "C", 3)  # micro
    w.c5 = company("Jämsän Ohjelmisto Oy", w.jamsa, "J", 30)  # small
    w.c6 = company("Jämsän Metsä Oy", w.jamsa, "A", 2)  # micro
    w.c7 = company("Humppilan Kauppa Oy", w.humppila, "G", 60)  # medium

    w.p1 = make.project(
        session, "Verkostohanke Häme", starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31)
    )
    w.p2 = make.project(session, "Digiloikka", starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31))

    def contact(c: Any, on: dt.date, channel: Channel, project: Any = None) -> Interaction:
        return make.interaction(
            session, company=c, advisor=w.aino, occurred_on=on, channel=channel, project=project
        )

    # Interactions in the period (eight, six companies).
    w.i1 = contact(w.c1, D(2026, 3, 5), VISIT, w.p1)
    w.i2 = contact(w.c1, D(2026, 4, 10), PHONE)
    w.i3 = contact(w.c2, D(2026, 3, 20), VISIT)
    w.i4 = contact(w.c3, D(2026, 4, 15), EMAIL, w.p2)
    w.i5 = contact(w.c5, D(2026, 3, 1), MEETING)  # the period's first day
    w.i6 = contact(w.c5, D(2026, 4, 30), MEETING, w.p1)  # the period's last day
    w.i7 = contact(w.c4, D(2026, 4, 2), PHONE, w.p1)
    w.i8 = contact(w.c7, D(2026, 3, 18), ONLINE)
    # In the previous period (three, three companies).
    w.j1 = contact(w.c1, D(2026, 2, 10), VISIT)
    w.j2 = contact(w.c3, D(2025, 12, 30), PHONE)  # the previous period's first day
    w.j3 = contact(w.c2, D(2026, 2, 28), EMAIL, w.p1)  # the previous period's last day
    # Outside both.
    contact(w.c1, D(2025, 12, 29), VISIT)  # the day before the previous period
    contact(w.c2, D(2026, 5, 1), VISIT)  # the day after the period
    contact(w.c6, D(2026, 6, 15), PHONE)

    def need(
        c: Any,
        category: Any,
        on: dt.date,
        status: NeedStatus = NeedStatus.OPEN,
        resolved: dt.date | None = None,
        addressed_by: Any = None,
        found_in: Interaction | None = None,
    ) -> Any:
        row = make.need(
            session,
            company=c,
            category=category,
            identified_on=on,
            status=status,
            resolved_on=resolved,
            addressed_by=addressed_by,
        )
        if found_in is not None:
            _found_in(session, row, found_in)
        return row

    met, not_met = NeedStatus.MET, NeedStatus.NOT_MET
    # Identified in the period (six).
    w.n1 = need(w.c1, w.funding, D(2026, 3, 5), met, D(2026, 4, 20), w.p1, w.i1)
    w.n2 = need(w.c1, w.workforce, D(2026, 4, 10), addressed_by=w.p1, found_in=w.i2)
    w.n3 = need(w.c2, w.funding, D(2026, 3, 20), not_met, D(2026, 4, 25), found_in=w.i3)
    w.n4 = need(w.c3, w.digital, D(2026, 4, 15), NeedStatus.IN_PROGRESS, found_in=w.i4)
    w.n5 = need(w.c5, w.workforce, D(2026, 3, 1), met, D(2026, 3, 31), w.p2, w.i5)
    # Found in a contact logged for P1, not met, addressed by no project.
    w.n10 = need(w.c4, w.workforce, D(2026, 4, 2), not_met, D(2026, 4, 28), found_in=w.i7)
    # Identified in the previous period (three).
    w.n6 = need(w.c4, w.funding, D(2026, 1, 15), met, D(2026, 3, 10), w.p1)  # met in the period
    w.n7 = need(w.c2, w.workforce, D(2026, 2, 28), not_met, D(2026, 2, 28), found_in=w.j3)
    w.n8 = need(w.c3, w.funding, D(2026, 2, 1), NeedStatus.WITHDRAWN, D(2026, 3, 15))
    # Identified outside both periods.
    w.n9 = need(w.c6, w.digital, D(2026, 6, 15))
    w.n11 = need(w.c5, w.funding, D(2025, 10, 1))  # the response window's first day
    w.n12 = need(w.c5, w.funding, D(2025, 10, 10))
    w.n13 = need(w.c5, w.funding, D(2025, 10, 20))
    w.n14 = need(w.c5, w.funding, D(2025, 10, 25))  # never answered
    w.n15 = need(w.c5, w.funding, D(2025, 9, 30))  # the day before the response window

    def take_part(
        project: Any, c: Any, on: dt.date, role: ParticipationRole, score: int | None
    ) -> None:
        make.participation(
            session, project=project, company=c, occurred_on=on, role=role, feedback_score=score
        )

    participant, co_developer = ParticipationRole.PARTICIPANT, ParticipationRole.CO_DEVELOPER
    partner, speaker = ParticipationRole.PARTNER, ParticipationRole.SPEAKER
    # In the period: seven participations of five companies.
    take_part(w.p1, w.c1, D(2026, 3, 12), participant, 5)
    take_part(w.p1, w.c1, D(2026, 4, 12), co_developer, 4)
    take_part(w.p1, w.c2, D(2026, 3, 25), participant, None)
    take_part(w.p2, w.c5, D(2026, 3, 2), speaker, 2)
    take_part(w.p1, w.c4, D(2026, 4, 30), partner, 5)
    take_part(w.p1, w.c1, D(2026, 3, 28), participant, 5)
    take_part(w.p2, w.c7, D(2026, 4, 22), participant, 4)  # c7 has no need
    # Outside the period.
    take_part(w.p2, w.c3, D(2026, 5, 10), speaker, 1)
    take_part(w.p1, w.c1, D(2026, 2, 15), participant, 3)  # previous period
    take_part(w.p2, w.c6, D(2026, 5, 2), participant, 1)

    # Follow-ups at each ageing boundary on 22.11.2026, and around them.
    w.f1 = _follow_up(session, w.c1, w.aino, D(2026, 11, 21))  # 1 day overdue
    w.f2 = _follow_up(session, w.c3, w.bertta, D(2026, 11, 15))  # 7
    w.f3 = _follow_up(session, w.c5, w.bertta, D(2026, 11, 14))  # 8
    w.f4 = _follow_up(session, w.c1, w.aino, D(2026, 10, 23))  # 30
    w.f5 = _follow_up(session, w.c2, w.cecilia, D(2026, 10, 22))  # 31
    w.f6 = _follow_up(session, w.c4, w.aino, D(2026, 8, 24))  # 90
    w.f7 = _follow_up(session, w.c6, w.bertta, D(2026, 8, 23))  # 91
    w.f8 = _follow_up(session, w.c2, w.aino, TODAY)  # due today: open, not overdue
    w.f9 = _follow_up(session, w.c7, w.cecilia, D(2026, 12, 1))  # not yet due
    w.f10 = _follow_up(session, w.c1, w.aino, D(2026, 9, 1), DONE)
    w.f11 = _follow_up(session, w.c5, w.bertta, D(2026, 10, 1), CANCELLED)

    # Responses to needs: completed follow-ups (done_on = due_on) and referrals.
    _follow_up(session, w.c1, w.aino, D(2026, 3, 15), DONE, need=w.n1)  # 10 days
    _follow_up(session, w.c1, w.cecilia, D(2026, 4, 1), DONE, need=w.n1)  # later: 27 days
    _referral(session, w, w.n1, D(2026, 3, 25))  # 20 days: the follow-up came first
    _follow_up(session, w.c2, w.aino, D(2026, 3, 30), DONE, need=w.n3)  # 10 days
    _referral(session, w, w.n3, D(2026, 3, 22))  # 2 days: the referral came first
    _follow_up(session, w.c1, w.aino, D(2026, 12, 15), need=w.n2)  # open: no response
    _follow_up(session, w.c1, w.aino, D(2026, 4, 20), CANCELLED, need=w.n2)  # no response
    _referral(session, w, w.n7, D(2026, 3, 3))  # 28.2. -> 3.3.2026: 3 days
    _follow_up(session, w.c4, w.aino, D(2026, 1, 15), DONE, need=w.n6)  # same day: 0 days
    _referral(session, w, w.n8, D(2026, 2, 21))  # 20 days
    _referral(session, w, w.n8, D(2026, 2, 11))  # 10 days: the first counts
    _follow_up(session, w.c3, w.bertta, D(2026, 4, 18), DONE, need=w.n4)  # 3 days
    _follow_up(session, w.c4, w.bertta, D(2026, 4, 30), DONE, need=w.n10)  # 28 days
    _follow_up(session, w.c5, w.bertta, D(2026, 3, 31), DONE, need=w.n5)  # 30 days
    _follow_up(session, w.c5, w.bertta, D(2025, 10, 6), DONE, need=w.n11)  # 5 days
    _follow_up(session, w.c5, w.bertta, D(2025, 10, 11), DONE, need=w.n12)  # 1 day
    _follow_up(session, w.c5, w.bertta, D(2025, 11, 19), DONE, need=w.n13)  # 11 + 19 = 30 days
    _referral(session, w, w.n15, D(2025, 10, 2))  # its need is outside the window
    return w


def figures(session: Session, w: SimpleNamespace, filters: EngagementFilters) -> dict[str, Any]:
    return engagement.key_figures(session, w.as_leader, filters)


def with_filters(**changes: Any) -> EngagementFilters:
    return replace(PERIOD, **changes)


# --- The previous period ----------------------------------------------------------------------


def test_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    chosen = EngagementFilters(
        start=D(2026, 3, 1),
        end=D(2026, 4, 30),
        town_ids=(1, 2),
        project_ids=(3,),
        industry_section="C",
        size_class="micro",
    )
    before = chosen.previous()
    assert (before.start, before.end) == (D(2025, 12, 30), D(2026, 2, 28))
    assert (before.end - before.start).days + 1 == 61 == (chosen.end - chosen.start).days + 1
    assert (before.town_ids, before.project_ids) == ((1, 2), (3,))
    assert (before.industry_section, before.size_class) == ("C", "micro")
    assert PERIOD.previous() == PREVIOUS


def test_previous_period_across_a_leap_day_and_of_a_single_day() -> None:
    # March 2024 is 31 days; the 31 days before it end on 29.2.2024 and start on 30.1.2024
    # (30.-31.1. is 2 days, February 2024 has 29: 2 + 29 = 31).
    march = EngagementFilters(start=D(2024, 3, 1), end=D(2024, 3, 31)).previous()
    assert (march.start, march.end) == (D(2024, 1, 30), D(2024, 2, 29))
    one_day = EngagementFilters(start=D(2026, 1, 1), end=D(2026, 1, 1)).previous()
    assert (one_day.start, one_day.end) == (D(2025, 12, 31), D(2025, 12, 31))
    # A whole year: 2025 (365 days) before 1.1.2026-31.12.2026 (365 days).
    year = EngagementFilters(start=D(2026, 1, 1), end=D(2026, 12, 31)).previous()
    assert (year.start, year.end) == (D(2025, 1, 1), D(2025, 12, 31))


# --- Key figures ------------------------------------------------------------------------------


def test_key_figures_for_the_period(session: Session, world: SimpleNamespace) -> None:
    assert figures(session, world, PERIOD) == {
        # c1, c2, c3, c4, c5, c7 (c6 only outside the period).
        "companies_contacted": 6,
        # i1-i8, with both of the period's boundary days (i5 on 1.3., i6 on 30.4.).
        "interactions": 8,
        # n1, n2, n3, n4, n5, n10.
        "needs_identified": 6,
        # c1 (three times), c2, c4, c5, c7; c3 took part only in May.
        "companies_participating": 5,
        # Resolved in the period as met or not met: n1 met, n3 not, n5 met, n6 met (identified
        # in January), n10 not; n8 was withdrawn. 3 / 5.
        "met_share": 0.6,
        "needs_resolved": 5,
        "needs_met": 3,
    }


def test_key_figures_for_the_previous_period(session: Session, world: SimpleNamespace) -> None:
    assert figures(session, world, PERIOD.previous()) == {
        "companies_contacted": 3,  # c1 (10.2.), c3 (30.12.), c2 (28.2.)
        "interactions": 3,  # j1, j2, j3; not 29.12.2025
        "needs_identified": 3,  # n6 (15.1.), n8 (1.2.), n7 (28.2.)
        "companies_participating": 1,  # c1 on 15.2.
        "met_share": 0.0,  # n7 not met on 28.2.: 0 / 1
        "needs_resolved": 1,
        "needs_met": 0,
    }


def test_key_figures_of_an_empty_period(session: Session, world: SimpleNamespace) -> None:
    assert figures(session, world, EMPTY) == {
        "companies_contacted": 0,
        "interactions": 0,
        "needs_identified": 0,
        "companies_participating": 0,
        "met_share": None,  # nothing resolved: no share rather than a division by zero
        "needs_resolved": 0,
        "needs_met": 0,
    }


def key(f: dict[str, Any]) -> tuple[Any, ...]:
    return (
        f["companies_contacted"],
        f["interactions"],
        f["needs_identified"],
        f["companies_participating"],
        f["needs_met"],
        f["needs_resolved"],
        f["met_share"],
    )


def test_town_filter(session: Session, world: SimpleNamespace) -> None:
    w = world
    # Forssa: c1 (i1, i2) and c2 (i3); needs n1, n2, n3; c1 and c2 took part; n1 met, n3 not.
    assert key(figures(session, w, with_filters(town_ids=(w.forssa.id,)))) == (
        2, 3, 3, 2, 1, 2, 0.5
    )  # fmt: skip
    # Forssa and Jämsä: + c5 (i5, i6), n5 (met), c5 took part. Resolved n1, n3, n5: 2 / 3.
    both = figures(session, w, with_filters(town_ids=(w.forssa.id, w.jamsa.id)))
    assert key(both) == (3, 5, 4, 3, 2, 3, 2 / 3)
    # Every town is the same as no town filter.
    every = (w.forssa.id, w.humppila.id, w.jamsa.id)
    assert figures(session, w, with_filters(town_ids=every)) == figures(session, w, PERIOD)


def test_industry_section_filter(session: Session, world: SimpleNamespace) -> None:
    w = world
    # Section C: c1, c2, c4. Contacts i1, i2, i3, i7; needs n1, n2, n3, n10; all three took
    # part; resolved n1 met, n3 not, n6 met, n10 not: 2 / 4.
    assert key(figures(session, w, with_filters(industry_section="C"))) == (3, 4, 4, 3, 2, 4, 0.5)
    # Section A: c6 only, with nothing in the period.
    assert key(figures(session, w, with_filters(industry_section="A"))) == (0, 0, 0, 0, 0, 0, None)


def test_size_class_filter(session: Session, world: SimpleNamespace) -> None:
    w = world
    # Micro: c2, c4, c6. Contacts i3, i7; needs n3, n10; c2 and c4 took part;
    # resolved n3 not, n6 met, n10 not: 1 / 3.
    assert key(figures(session, w, with_filters(size_class="micro"))) == (2, 2, 2, 2, 1, 3, 1 / 3)
    # Small: c1, c5. Contacts i1, i2, i5, i6; needs n1, n2, n5; both took part; n1, n5 met.
    assert key(figures(session, w, with_filters(size_class="small"))) == (2, 4, 3, 2, 2, 2, 1.0)
    # Medium: c3, c7. Contacts i4, i8; need n4; c7 took part; n8 was withdrawn: no share.
    assert key(figures(session, w, with_filters(size_class="medium"))) == (2, 2, 1, 1, 0, 0, None)
    assert key(figures(session, w, with_filters(size_class="large"))) == (0, 0, 0, 0, 0, 0, None)


def test_company_filters_combine(session: Session, world: SimpleNamespace) -> None:
    w = world
    # Section C and small: c1 alone. i1, i2; n1, n2; took part; n1 met: 1 / 1.
    assert key(figures(session, w, with_filters(industry_section="C", size_class="small"))) == (
        1, 2, 2, 1, 1, 1, 1.0
    )  # fmt: skip
    # Section C in Humppila: c4 alone. i7; n10; took part; n6 met, n10 not: 1 / 2.
    chosen = with_filters(industry_section="C", town_ids=(w.humppila.id,))
    assert key(figures(session, w, chosen)) == (1, 1, 1, 1, 1, 2, 0.5)


def test_project_filter_counts_only_activity_linked_to_the_project(
    session: Session, world: SimpleNamespace
) -> None:
    w = world
    p1 = figures(session, w, with_filters(project_ids=(w.p1.id,)))
    # Contacts logged for P1: i1 (c1), i6 (c5), i7 (c4).
    assert (p1["interactions"], p1["companies_contacted"]) == (3, 3)
    # Needs found in those contacts (n1 in i1, n10 in i7) or addressed by P1 (n1, n2).
    assert p1["needs_identified"] == 3
    # Took part in P1: c1, c2, c4.
    assert p1["companies_participating"] == 3

    p2 = figures(session, w, with_filters(project_ids=(w.p2.id,)))
    # i4 (c3); n4 (found in i4) and n5 (addressed by P2); c5 and c7 took part; n5 met: 1 / 1.
    assert key(p2) == (1, 1, 2, 2, 1, 1, 1.0)

    both = figures(session, w, with_filters(project_ids=(w.p1.id, w.p2.id)))
    # i1, i4, i6, i7 (c1, c3, c5, c4); n1, n2, n10, n4, n5; c1, c2, c4, c5, c7.
    assert key(both)[:4] == (4, 4, 5, 5)

    # P1 in Forssa: i1; n1, n2; c1 and c2 took part.
    p1_forssa = figures(session, w, with_filters(project_ids=(w.p1.id,), town_ids=(w.forssa.id,)))
    assert key(p1_forssa)[:4] == (1, 1, 2, 2)


def test_project_filter_met_share_of_needs_addressed_by_the_project(
    session: Session, world: SimpleNamespace
) -> None:
    w = world
    p1 = figures(session, w, with_filters(project_ids=(w.p1.id,)))
    # Needs addressed by P1 resolved in the period: n1 met (20.4.) and n6 met (10.3.): 2 / 2.
    # (n10, found in P1's contact i7 and not met, is covered by the test below.)
    assert p1["needs_met"] == 2


def test_project_filter_met_share_counts_needs_found_in_the_projects_contacts(
    session: Session, world: SimpleNamespace
) -> None:
    w = world
    p1 = figures(session, w, with_filters(project_ids=(w.p1.id,)))
    # Linked to P1 and resolved in the period: n1 met, n6 met (addressed by P1) and n10 not met
    # (found in i7, logged for P1): 2 / 3.
    assert (p1["needs_met"], p1["needs_resolved"], p1["met_share"]) == (2, 3, 2 / 3)
    before = figures(session, w, with_filters(project_ids=(w.p1.id,)).previous())
    # n7, found in j3 (logged for P1), not met on 28.2.: 0 / 1.
    assert (before["needs_resolved"], before["met_share"]) == (1, 0.0)


# --- Months -----------------------------------------------------------------------------------


def test_month_of_in_this_dialect(session: Session, world: SimpleNamespace) -> None:
    w = world
    month = month_of(session, Interaction.occurred_on)
    ids = {w.i5.id: "2026-03", w.i6.id: "2026-04", w.j2.id: "2025-12", w.j3.id: "2026-02"}
    rows = session.execute(select(Interaction.id, month).where(Interaction.id.in_(list(ids)))).all()
    assert dict(rows) == ids


def test_interactions_by_month_and_channel(session: Session, world: SimpleNamespace) -> None:
    w = world
    by_month = engagement.interactions_by_month(session, w.as_leader, PERIOD)
    assert [tuple(row.values()) for row in by_month] == [
        ("2026-03", "meeting", 1),  # i5 (1.3.)
        ("2026-03", "online", 1),  # i8
        ("2026-03", "visit", 2),  # i1, i3
        ("2026-04", "email", 1),  # i4
        ("2026-04", "meeting", 1),  # i6 (30.4.)
        ("2026-04", "phone", 2),  # i2, i7
    ]
    assert set(by_month[0]) == {"month", "channel", "interactions"}
    before = engagement.interactions_by_month(session, w.as_leader, PREVIOUS)
    assert [tuple(row.values()) for row in before] == [
        ("2025-12", "phone", 1),  # j2
        ("2026-02", "email", 1),  # j3
        ("2026-02", "visit", 1),  # j1
    ]
    p1 = engagement.interactions_by_month(
        session, w.as_leader, with_filters(project_ids=(w.p1.id,))
    )
    assert [tuple(row.values()) for row in p1] == [
        ("2026-03", "visit", 1),  # i1
        ("2026-04", "meeting", 1),  # i6
        ("2026-04", "phone", 1),  # i7
    ]
    assert engagement.interactions_by_month(session, w.as_leader, EMPTY) == []


# --- Needs ------------------------------------------------------------------------------------


def test_needs_by_category_and_status(session: Session, world: SimpleNamespace) -> None:
    w = world
    rows = engagement.needs_by_category(session, w.as_leader, PERIOD)
    # Categories in their sort order, statuses alphabetically within each.
    assert [tuple(row.values()) for row in rows] == [
        ("funding", "funding fi", "met", 1),  # n1
        ("funding", "funding fi", "not_met", 1),  # n3
        ("workforce", "workforce fi", "met", 1),  # n5
        ("workforce", "workforce fi", "not_met", 1),  # n10
        ("workforce", "workforce fi", "open", 1),  # n2
        ("digitalisation", "digitalisation fi", "in_progress", 1),  # n4
    ]
    assert set(rows[0]) == {"category_code", "category", "status", "needs"}
    english = engagement.needs_by_category(session, w.as_leader, PERIOD, language="en")
    assert [row["category"] for row in english][:1] == ["funding en"]
    # Micro companies: n3 (c2), n10 (c4).
    micro = engagement.needs_by_category(session, w.as_leader, with_filters(size_class="micro"))
    assert [(row["category_code"], row["status"], row["needs"]) for row in micro] == [
        ("funding", "not_met", 1),
        ("workforce", "not_met", 1),
    ]


# --- The funnel -------------------------------------------------------------------------------


def stages(rows: list[dict[str, Any]]) -> list[int]:
    assert [row["stage"] for row in rows] == [
        "contacted",
        "need_identified",
        "participated",
        "need_met",
    ]
    counts = [row["companies"] for row in rows]
    assert counts == sorted(counts, reverse=True)  # each stage a subset of the one before
    return counts


def test_funnel(session: Session, world: SimpleNamespace) -> None:
    w = world
    # Contacted: c1, c2, c3, c4, c5, c7 = 6.
    # A need in the period: all but c7 = 5.
    # Took part too: c1, c2, c4, c5 = 4 (c3 only in May; c7 took part but has no need).
    # A need met in the period too: c1 (n1), c4 (n6), c5 (n5) = 3; c2's n3 was not met.
    assert stages(engagement.funnel(session, w.as_leader, PERIOD)) == [6, 5, 4, 3]


def test_funnel_with_filters(session: Session, world: SimpleNamespace) -> None:
    w = world
    # Section C: c1, c2, c4 contacted, each with a need, each took part; met: c1, c4.
    assert stages(engagement.funnel(session, w.as_leader, with_filters(industry_section="C"))) == [
        3, 3, 3, 2
    ]  # fmt: skip
    # P1: contacted through i1 (c1), i6 (c5), i7 (c4); P1-linked needs: c1 (n1, n2), c4 (n10);
    # took part in P1: c1, c4; met and addressed by P1: c1 (n1), c4 (n6).
    p1 = engagement.funnel(session, w.as_leader, with_filters(project_ids=(w.p1.id,)))
    assert stages(p1) == [3, 2, 2, 2]
    # Jämsä: c5 (i5, i6), n5, took part, n5 met.
    jamsa = engagement.funnel(session, w.as_leader, with_filters(town_ids=(w.jamsa.id,)))
    assert stages(jamsa) == [1, 1, 1, 1]
    assert stages(engagement.funnel(session, w.as_leader, EMPTY)) == [0, 0, 0, 0]


# --- Participation and feedback ---------------------------------------------------------------


def test_participation_by_project_and_role(session: Session, world: SimpleNamespace) -> None:
    w = world
    rows = engagement.participation_by_project(session, w.as_leader, PERIOD)
    # (project, role, participations, distinct companies); projects by name, roles by code.
    assert [tuple(row.values()) for row in rows] == [
        ("Digiloikka", "participant", 1, 1),  # c7
        ("Digiloikka", "speaker", 1, 1),  # c5
        ("Verkostohanke Häme", "co_developer", 1, 1),  # c1
        ("Verkostohanke Häme", "participant", 3, 2),  # c1 twice, c2
        ("Verkostohanke Häme", "partner", 1, 1),  # c4 on 30.4.
    ]
    assert set(rows[0]) == {"project", "role", "participations", "companies"}
    p2 = engagement.participation_by_project(
        session, w.as_leader, with_filters(project_ids=(w.p2.id,))
    )
    assert [tuple(row.values()) for row in p2] == [
        ("Digiloikka", "participant", 1, 1),
        ("Digiloikka", "speaker", 1, 1),
    ]
    forssa = engagement.participation_by_project(
        session, w.as_leader, with_filters(town_ids=(w.forssa.id,))
    )
    assert [tuple(row.values()) for row in forssa] == [
        ("Verkostohanke Häme", "co_developer", 1, 1),
        ("Verkostohanke Häme", "participant", 3, 2),
    ]


def scores(rows: list[dict[str, Any]]) -> list[int]:
    assert [row["score"] for row in rows] == [1, 2, 3, 4, 5]
    return [row["participations"] for row in rows]


def test_feedback_distribution_has_a_row_for_every_score(
    session: Session, world: SimpleNamespace
) -> None:
    w = world
    # Scores in the period: 5, 4, (none), 2, 5, 5, 4 -> one 2, two 4s, three 5s; no 1 or 3
    # (the 1s are in May, the 3 in February).
    assert scores(engagement.feedback_distribution(session, w.as_leader, PERIOD)) == [
        0, 1, 0, 2, 3
    ]  # fmt: skip
    assert scores(engagement.feedback_distribution(session, w.as_leader, PREVIOUS)) == [
        0, 0, 1, 0, 0
    ]  # fmt: skip
    p2 = engagement.feedback_distribution(
        session, w.as_leader, with_filters(project_ids=(w.p2.id,))
    )
    assert scores(p2) == [0, 1, 0, 1, 0]  # c5's 2, c7's 4
    assert scores(engagement.feedback_distribution(session, w.as_leader, EMPTY)) == [0] * 5


# --- Town comparison --------------------------------------------------------------------------

TOWN_KEYS = (
    "town",
    "companies_contacted",
    "interactions",
    "needs_identified",
    "companies_participating",
    "needs_met",
    "needs_resolved",
    "met_share",
)


def towns(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    assert all(set(row) == set(TOWN_KEYS) for row in rows)
    return [tuple(row[k] for k in TOWN_KEYS) for row in rows]


def test_town_comparison(session: Session, world: SimpleNamespace) -> None:
    w = world
    assert towns(engagement.town_comparison(session, w.as_leader, PERIOD)) == [
        # c1 (i1, i2), c2 (i3); n1, n2, n3; c1, c2 took part; n1 met, n3 not: 1 / 2.
        ("Forssa", 2, 3, 3, 2, 1, 2, 0.5),
        # c3 (i4), c4 (i7), c7 (i8); n4, n10; c4, c7 took part; n6 met, n10 not: 1 / 2.
        ("Humppila", 3, 3, 2, 2, 1, 2, 0.5),
        # c5 (i5, i6); n5; c5 took part; n5 met: 1 / 1.
        ("Jämsä", 1, 2, 1, 1, 1, 1, 1.0),
    ]
    # The towns add up to the key figures: 2 + 3 + 1 = 6, 3 + 3 + 2 = 8, 3 + 2 + 1 = 6, ...
    assert towns(engagement.town_comparison(session, w.as_leader, PREVIOUS)) == [
        # c1 (j1), c2 (j3); n7; c1 took part; n7 not met: 0 / 1.
        ("Forssa", 2, 2, 1, 1, 0, 1, 0.0),
        # c3 (j2); n6 (c4), n8 (c3); nothing resolved: no share.
        ("Humppila", 1, 1, 2, 0, 0, 0, None),
    ]
    micro = engagement.town_comparison(session, w.as_leader, with_filters(size_class="micro"))
    assert towns(micro) == [
        ("Forssa", 1, 1, 1, 1, 0, 1, 0.0),  # c2: i3, n3 (not met), took part
        ("Humppila", 1, 1, 1, 1, 1, 2, 0.5),  # c4: i7, n10, took part; n6 met, n10 not
    ]
    assert engagement.town_comparison(session, w.as_leader, EMPTY) == []


# --- Follow-ups by town and owner -------------------------------------------------------------


def statuses(rows: list[dict[str, Any]], name: str) -> list[tuple[Any, ...]]:
    return [(row[name], row["open"], row["overdue"], row["done"], row["cancelled"]) for row in rows]


def test_follow_up_status_by_town(session: Session, world: SimpleNamespace) -> None:
    w = world
    rows = follow_up_status_by_town(session, w.as_leader, today=TODAY)
    assert statuses(rows, "town") == [
        # Open: f1, f4, f5 (overdue), f8 (due today), n2's (15.12.) = 5; done: f10 and the
        # three response follow-ups of n1 (two) and n3 = 4; cancelled: n2's = 1.
        ("Forssa", 5, 3, 4, 1),
        # Open: f2, f6 (overdue), f9 (December); done: n4's, n10's, n6's.
        ("Humppila", 3, 2, 3, 0),
        # Open: f3, f7 (overdue); done: n5's, n11's, n12's, n13's; cancelled: f11.
        ("Jämsä", 2, 2, 4, 1),
    ]
    region_a = follow_up_status_by_town(session, w.as_leader, today=TODAY, region_id=w.region_a.id)
    assert statuses(region_a, "town") == [("Forssa", 5, 3, 4, 1), ("Humppila", 3, 2, 3, 0)]
    region_b = follow_up_status_by_town(session, w.as_leader, today=TODAY, region_id=w.region_b.id)
    assert statuses(region_b, "town") == [("Jämsä", 2, 2, 4, 1)]
    # Due on or after 24.8.2026 (f6's due date, kept; f7 on 23.8. left out).
    since = follow_up_status_by_town(session, w.as_leader, today=TODAY, due_since=D(2026, 8, 24))
    assert statuses(since, "town") == [
        ("Forssa", 5, 3, 1, 0),  # f1, f4, f5, f8, n2's 15.12.; done f10 (1.9.)
        ("Humppila", 3, 2, 0, 0),  # f2, f6, f9
        ("Jämsä", 1, 1, 0, 1),  # f3; cancelled f11 (1.10.)
    ]
    # A day later the follow-up due today is overdue too.
    tomorrow = follow_up_status_by_town(session, w.as_leader, today=D(2026, 11, 23))
    assert [row["overdue"] for row in tomorrow] == [4, 2, 2]


def test_follow_up_status_by_owner(session: Session, world: SimpleNamespace) -> None:
    w = world
    rows = follow_up_status_by_owner(session, w.as_leader, today=TODAY)
    assert statuses(rows, "owner") == [
        # f1, f4, f6 overdue, f8, n2's open; f10 and the responses to n1, n3, n6 done;
        # n2's cancelled.
        ("Aino Neuvoja", 5, 3, 4, 1),
        # f2, f3, f7 overdue; the responses to n4, n10, n5, n11, n12, n13 done; f11 cancelled.
        ("Bertta Neuvoja", 3, 3, 6, 1),
        # f5 overdue, f9 open; n1's later response done.
        ("Cecilia Hanke", 2, 1, 1, 0),
    ]
    # The owners add up to the towns: open 5 + 3 + 2 = 10 = 5 + 3 + 2; overdue 3 + 3 + 1 = 7.
    by_town = follow_up_status_by_town(session, w.as_leader, today=TODAY)
    for column in ("open", "overdue", "done", "cancelled"):
        assert sum(r[column] for r in rows) == sum(r[column] for r in by_town)
    since = follow_up_status_by_owner(session, w.as_leader, today=TODAY, due_since=D(2026, 8, 24))
    assert statuses(since, "owner") == [
        ("Aino Neuvoja", 5, 3, 1, 0),  # f1, f4, f6, f8, n2's 15.12.; f10 done
        ("Bertta Neuvoja", 2, 2, 0, 1),  # f2, f3; f11 cancelled
        ("Cecilia Hanke", 2, 1, 0, 0),  # f5, f9
    ]


# --- Overdue ageing ---------------------------------------------------------------------------


def test_overdue_ageing_buckets_at_their_boundaries(
    session: Session, world: SimpleNamespace
) -> None:
    w = world
    # The boundaries, counted by hand from 22.11.2026.
    assert [(TODAY - f.due_on).days for f in (w.f1, w.f2, w.f3, w.f4, w.f5, w.f6, w.f7)] == [
        1, 7, 8, 30, 31, 90, 91
    ]  # fmt: skip
    rows = leadership.overdue_ageing(session, w.as_leader, today=TODAY)
    assert [(row["bucket"], row["follow_ups"]) for row in rows] == [
        ("1-7", 2),  # f1 (1 day), f2 (7)
        ("8-30", 2),  # f3 (8), f4 (30)
        ("31-90", 2),  # f5 (31), f6 (90)
        ("over_90", 1),  # f7 (91); not f8 (due today), done f10 or cancelled f11
    ]
    forssa = leadership.overdue_ageing(session, w.as_leader, today=TODAY, town_ids=[w.forssa.id])
    assert [row["follow_ups"] for row in forssa] == [1, 1, 1, 0]  # f1, f4, f5
    others = leadership.overdue_ageing(
        session, w.as_leader, today=TODAY, town_ids=[w.humppila.id, w.jamsa.id]
    )
    assert [row["follow_ups"] for row in others] == [1, 1, 1, 1]  # f2, f3, f6, f7
    # A day later each moves on: f8 is 1 day, f1 2, f2 8, f3 9, f4 31, f5 32, f6 91, f7 92.
    later = leadership.overdue_ageing(session, w.as_leader, today=D(2026, 11, 23))
    assert [row["follow_ups"] for row in later] == [2, 2, 2, 2]


# --- Response times ---------------------------------------------------------------------------


def test_response_times_by_town_and_month(session: Session, world: SimpleNamespace) -> None:
    w = world
    rows = leadership.response_times(session, w.as_leader, start=RESPONSE_START, end=RESPONSE_END)
    assert [tuple(row.values()) for row in rows] == [
        # (town, month, needs, with a response, median days)
        ("Forssa", "2026-02", 1, 1, 3.0),  # n7: referred 3 days after 28.2.
        # n1: follow-up after 10 days (the referral after 20, the second follow-up after 27);
        # n3: referral after 2 days (the follow-up after 10). Two values: (2 + 10) / 2 = 6.
        ("Forssa", "2026-03", 2, 2, 6.0),
        ("Forssa", "2026-04", 1, 0, None),  # n2: only an open and a cancelled follow-up
        ("Humppila", "2026-01", 1, 1, 0.0),  # n6: done the same day
        ("Humppila", "2026-02", 1, 1, 10.0),  # n8: the first of its two referrals
        ("Humppila", "2026-04", 2, 2, 15.5),  # n10 after 28 days, n4 after 3: (3 + 28) / 2
        # n11 after 5 days, n12 after 1, n13 after 30; n14 none. Sorted 1, 5, 30: the middle 5.
        ("Jämsä", "2025-10", 4, 3, 5.0),
        ("Jämsä", "2026-03", 1, 1, 30.0),  # n5: 1.3. -> 31.3.
        # n9 (15.6.2026) and n15 (30.9.2025) fall outside the window.
    ]
    assert set(rows[0]) == {"town", "month", "needs", "responded", "median_days"}
    assert all(isinstance(row["median_days"], float) for row in rows if row["responded"])

    forssa = leadership.response_times(
        session, w.as_leader, start=RESPONSE_START, end=RESPONSE_END, town_ids=[w.forssa.id]
    )
    assert [(r["month"], r["median_days"]) for r in forssa] == [
        ("2026-02", 3.0),
        ("2026-03", 6.0),
        ("2026-04", None),
    ]
    march = leadership.response_times(session, w.as_leader, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert [tuple(row.values()) for row in march] == [
        ("Forssa", "2026-03", 2, 2, 6.0),
        ("Jämsä", "2026-03", 1, 1, 30.0),
    ]


def test_response_time_median_of_an_even_group_of_four(
    session: Session, world: SimpleNamespace
) -> None:
    w = world
    # n14, so far unanswered, gets a referral after 20 days: 1, 5, 20, 30 -> (5 + 20) / 2.
    _referral(session, w, w.n14, D(2025, 11, 14))
    rows = leadership.response_times(
        session, w.as_leader, start=D(2025, 10, 1), end=D(2025, 10, 31)
    )
    assert [tuple(row.values()) for row in rows] == [("Jämsä", "2025-10", 4, 4, 12.5)]


# --- Permissions ------------------------------------------------------------------------------

ENGAGEMENT_CALLS = {
    "key_figures": lambda s, u: engagement.key_figures(s, u, EMPTY),
    "interactions_by_month": lambda s, u: engagement.interactions_by_month(s, u, EMPTY),
    "needs_by_category": lambda s, u: engagement.needs_by_category(s, u, EMPTY),
    "funnel": lambda s, u: engagement.funnel(s, u, EMPTY),
    "participation_by_project": lambda s, u: engagement.participation_by_project(s, u, EMPTY),
    "feedback_distribution": lambda s, u: engagement.feedback_distribution(s, u, EMPTY),
    "town_comparison": lambda s, u: engagement.town_comparison(s, u, EMPTY),
}
LEADERSHIP_CALLS = {
    "overdue_ageing": lambda s, u: leadership.overdue_ageing(s, u, today=TODAY),
    "response_times": lambda s, u: leadership.response_times(
        s, u, start=EMPTY.start, end=EMPTY.end
    ),
    "follow_up_status_by_town": lambda s, u: follow_up_status_by_town(s, u, today=TODAY),
    "follow_up_status_by_owner": lambda s, u: follow_up_status_by_owner(s, u, today=TODAY),
}
ALLOWED = {
    **dict.fromkeys(
        ENGAGEMENT_CALLS, frozenset({Role.PROJECT_MANAGER, Role.LEADERSHIP, Role.ADMIN})
    ),
    **dict.fromkeys(LEADERSHIP_CALLS, frozenset({Role.LEADERSHIP, Role.ADMIN})),
}
CALLS = {**ENGAGEMENT_CALLS, **LEADERSHIP_CALLS}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_who_may_see_the_dashboards(session: Session, role: Role, name: str) -> None:
    user = make.acting(role)
    if role in ALLOWED[name]:
        CALLS[name](session, user)
    else:
        with pytest.raises(Forbidden):
            CALLS[name](session, user)


def test_the_expected_roles_are_turned_away() -> None:
    # Advisors see neither dashboard; project managers the engagement one only.
    assert {name for name, roles in ALLOWED.items() if Role.ADVISOR not in roles} == set(CALLS)
    assert {name for name, roles in ALLOWED.items() if Role.PROJECT_MANAGER not in roles} == set(
        LEADERSHIP_CALLS
    )
