"""Innovation ecosystems on a small hand-built world: every figure worked out by hand.

Runs on SQLite and PostgreSQL (the `session` fixture is parametrised over both). The world:

Regions Satakunta (Rauma "T1", Huittinen "T2") and Pohjanmaa (Närpiö "T3", not a regional
town, so the default town list leaves it out).

Actors (name, kind -> actor type, coverage, need categories served):
  a1 Rauman Kehitys Oy      development_company -> municipal    T1         marketing
  a2 Satakuntaliitto        regional_council    -> municipal    region A   workforce
  a3 Business Finland       business_finland    -> state        country    workforce
  a4 SAMK                   university_of_applied_sciences -> education  T2  premises
  a5 Vanha Yhdistys ry      association (INACTIVE)              T1         workforce
  a6 Pohjanmaan ELY-keskus  ely_centre          -> state        region B   workforce
  a7 Närpiön Yrityspalvelut enterprise_agency   -> association  T3         workforce
  a8 Rauman Yrittäjät ry    entrepreneurs_association -> association T1  (none)

Companies: T1 c1 Alfa, c2 Beta, c3 Gamma; T2 c4 Delta, c5 Epsilon; T3 c6 Zeta.

Projects:
  P1 Kasvupolku      T1, T2  1.1.2024–31.12.2026  manager pm   targets training
  P2 Vientiverkosto  T1, T3  1.1.2025–31.12.2026  manager pm2  targets export
  P3 Rauman paja     T1      1.1.2025–31.12.2025  no manager
  P4 Rahoitus 2023   T1      1.1.2023–31.12.2024  targets funding (ended)
  P5 Närpiön markkinointi T3 1.1.2025–31.12.2025  targets marketing

Participations (project, company, day, role):
  2025: P1 c1 1.3 co-developer; P1 c1 1.4; P1 c2 1.5; P1 c4 15.3 co-developer; P1 c5 1.6;
        P2 c1 1.9; P2 c6 1.9 co-developer; P3 c2 1.1 (the first day); P3 c3 31.12 (the last)
  2024: P1 c3 31.12        2026: P2 c3 1.1 co-developer

Partnerships (recorded by the admin; towns derived from the parties' home towns):
  pA a1–a4  education_cooperation  1.1.2024–        T1, T2  (two towns, one region)
  pB c1–c6  rnd                    1.3.–31.12.2025  T1, T3  (two regions)
  pC a3–c4  funding                1.6.2025–31.5.2026  T2  (with the state)
  pD a2–P1  network_membership     1.1.2025–        T1, T2  (a project's towns)
  pE a1–c2  service_agreement      1.1.2023–31.12.2024  T1  (ended the year before)
  pG a1–c1  rnd                    1.5.2025–        T1

Maturity assessments: T1 2023 starting/city, 2025 developing/company, 2026 established/
education; T2 2024 starting/education; T3 none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import random
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import (
    ACTOR_TYPE_OF_KIND,
    ActorType,
    AuditAction,
    EcosystemDriver,
    Maturity,
    NeedStatus,
    ParticipationRole,
    PartnerKind,
    PartnershipKind,
    Role,
    Severity,
    kinds_of_type,
)
from db.models import MaturityAssessment, Partner, Partnership, partnership_towns
from services import ecosystem as eco
from services.audit import list_events
from services.duplicates import merge_companies
from services.ecosystem import ActorInput, PartnershipInput, Party, PartyKind
from services.errors import Forbidden, NotFound, ValidationError
from services.graph_layout import spring_layout
from tests import factories as make

D = dt.date
YEAR = 2025
TODAY = D(2026, 6, 1)  # the day assessments are recorded on
CO_DEVELOPER = ParticipationRole.CO_DEVELOPER
PARTICIPANT = ParticipationRole.PARTICIPANT
K, PK = PartnerKind, PartnershipKind


def actor(a: Partner) -> Party:
    return Party(PartyKind.ACTOR, a.id)


def company(c) -> Party:  # type: ignore[no-untyped-def]
    return Party(PartyKind.COMPANY, c.id)


def project(p) -> Party:  # type: ignore[no-untyped-def]
    return Party(PartyKind.PROJECT, p.id)


def counts(session: Session) -> tuple[int, int]:
    """Partnerships and their town links: what a refused write must leave as it was."""
    return (
        session.scalar(select(func.count()).select_from(Partnership)) or 0,
        session.scalar(select(func.count()).select_from(partnership_towns)) or 0,
    )


def assessments(session: Session) -> list[tuple[int, int, str, str, str]]:
    return [
        tuple(row)  # type: ignore[misc]
        for row in session.execute(
            select(
                MaturityAssessment.town_id,
                MaturityAssessment.year,
                MaturityAssessment.maturity,
                MaturityAssessment.driver,
                MaturityAssessment.rationale,
            ).order_by(MaturityAssessment.town_id, MaturityAssessment.year)
        )
    ]


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    w = SimpleNamespace()
    w.RA = make.region(session, code="04", name="Satakunta")
    w.RB = make.region(session, code="15", name="Pohjanmaa")
    w.T1 = make.town(session, "Rauma", region=w.RA)
    w.T2 = make.town(session, "Huittinen", region=w.RA)
    w.T3 = make.town(session, "Närpiö", region=w.RB, regional=False)
    codes = ["workforce", "training", "marketing", "export", "premises", "funding"]
    for order, code in enumerate(codes, start=1):
        setattr(w, code, make.category(session, code, sort_order=order))

    w.admin = make.user(session, role=Role.ADMIN, full_name="Eino Ylläpito")
    w.pm = make.user(session, role=Role.PROJECT_MANAGER, full_name="Cecilia Hanke")
    w.pm2 = make.user(session, role=Role.PROJECT_MANAGER, full_name="Pekka Toinen")
    w.advisor = make.user(session, role=Role.ADVISOR, full_name="Aino Neuvoja", towns=[w.T1])
    w.leader = make.user(session, role=Role.LEADERSHIP, full_name="Daniel Johto")
    for name in ("admin", "pm", "pm2", "advisor", "leader"):
        setattr(w, f"as_{name}", make.signed_in(session, getattr(w, name)))

    def new_actor(name, kind, *, town=None, region=None, serves=(), active=True):  # type: ignore[no-untyped-def]
        data = ActorInput(
            name=name, kind=kind, town_id=town.id if town else None,
            region_id=region.id if region else None,
            category_ids=tuple(category.id for category in serves), is_active=active,
        )  # fmt: skip
        return eco.create_actor(session, w.as_admin, data)

    w.a1 = new_actor("Rauman Kehitys Oy", K.DEVELOPMENT_COMPANY, town=w.T1, serves=[w.marketing])
    w.a2 = new_actor("Satakuntaliitto", K.REGIONAL_COUNCIL, region=w.RA, serves=[w.workforce])
    w.a3 = new_actor("Business Finland", K.BUSINESS_FINLAND, serves=[w.workforce])
    w.a4 = new_actor("SAMK", K.UNIVERSITY_OF_APPLIED_SCIENCES, town=w.T2, serves=[w.premises])
    w.a5 = new_actor(
        "Vanha Yhdistys ry", K.ASSOCIATION, town=w.T1, serves=[w.workforce], active=False
    )
    w.a6 = new_actor("Pohjanmaan ELY-keskus", K.ELY_CENTRE, region=w.RB, serves=[w.workforce])
    w.a7 = new_actor("Närpiön Yrityspalvelut", K.ENTERPRISE_AGENCY, town=w.T3, serves=[w.workforce])
    w.a8 = new_actor("Rauman Yrittäjät ry", K.ENTREPRENEURS_ASSOCIATION, town=w.T1)

    w.c1 = make.company(session, "Alfa Oy", town=w.T1)
    w.c2 = make.company(session, "Beta Oy", town=w.T1)
    w.c3 = make.company(session, "Gamma Oy", town=w.T1)
    w.c4 = make.company(session, "Delta Oy", town=w.T2)
    w.c5 = make.company(session, "Epsilon Oy", town=w.T2)
    w.c6 = make.company(session, "Zeta Oy", town=w.T3)

    w.P1 = make.project(
        session, "Kasvupolku", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31),
        towns=[w.T1, w.T2], categories=[w.training], manager=w.pm,
    )  # fmt: skip
    w.P2 = make.project(
        session, "Vientiverkosto", starts_on=D(2025, 1, 1), ends_on=D(2026, 12, 31),
        towns=[w.T1, w.T3], categories=[w.export], manager=w.pm2,
    )  # fmt: skip
    w.P3 = make.project(
        session, "Rauman paja", starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31), towns=[w.T1]
    )
    w.P4 = make.project(
        session, "Rahoitus 2023", starts_on=D(2023, 1, 1), ends_on=D(2024, 12, 31),
        towns=[w.T1], categories=[w.funding],
    )  # fmt: skip
    w.P5 = make.project(
        session, "Närpiön markkinointi", starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31),
        towns=[w.T3], categories=[w.marketing],
    )  # fmt: skip

    def took_part(p, c, on, role=PARTICIPANT):  # type: ignore[no-untyped-def]
        make.participation(session, project=p, company=c, occurred_on=on, role=role)

    took_part(w.P1, w.c1, D(2025, 3, 1), CO_DEVELOPER)
    took_part(w.P1, w.c1, D(2025, 4, 1))
    took_part(w.P1, w.c2, D(2025, 5, 1))
    took_part(w.P1, w.c4, D(2025, 3, 15), CO_DEVELOPER)
    took_part(w.P1, w.c5, D(2025, 6, 1))
    took_part(w.P2, w.c1, D(2025, 9, 1))
    took_part(w.P2, w.c6, D(2025, 9, 1), CO_DEVELOPER)
    took_part(w.P3, w.c2, D(2025, 1, 1))
    took_part(w.P3, w.c3, D(2025, 12, 31))
    took_part(w.P1, w.c3, D(2024, 12, 31))
    took_part(w.P2, w.c3, D(2026, 1, 1), CO_DEVELOPER)

    def partner(kind, first, second, starts_on, ends_on=None, towns=()):  # type: ignore[no-untyped-def]
        data = PartnershipInput(
            kind=kind, first=first, second=second, starts_on=starts_on, ends_on=ends_on,
            town_ids=tuple(town.id for town in towns),
        )  # fmt: skip
        return eco.create_partnership(session, w.as_admin, data)

    w.pA = partner(PK.EDUCATION_COOPERATION, actor(w.a1), actor(w.a4), D(2024, 1, 1))
    w.pB = partner(PK.RND, company(w.c1), company(w.c6), D(2025, 3, 1), D(2025, 12, 31))
    w.pC = partner(PK.FUNDING, actor(w.a3), company(w.c4), D(2025, 6, 1), D(2026, 5, 31))
    w.pD = partner(PK.NETWORK_MEMBERSHIP, actor(w.a2), project(w.P1), D(2025, 1, 1))
    w.pE = partner(PK.SERVICE_AGREEMENT, actor(w.a1), company(w.c2), D(2023, 1, 1), D(2024, 12, 31))
    w.pG = partner(PK.RND, actor(w.a1), company(w.c1), D(2025, 5, 1))

    def assess(town, year, maturity, driver):  # type: ignore[no-untyped-def]
        return eco.record_assessment(
            session, w.as_admin, town_id=town.id, year=year, maturity=maturity, driver=driver,
            rationale=f"Arvio {town.name} {year}", today=TODAY,
        )  # fmt: skip

    assess(w.T1, 2023, Maturity.STARTING, EcosystemDriver.CITY)
    assess(w.T1, 2025, Maturity.DEVELOPING, EcosystemDriver.COMPANY)
    assess(w.T1, 2026, Maturity.ESTABLISHED, EcosystemDriver.EDUCATION)
    assess(w.T2, 2024, Maturity.STARTING, EcosystemDriver.EDUCATION)
    return w


def partnership_input(w, **changes) -> PartnershipInput:  # type: ignore[no-untyped-def]
    """A valid partnership: a1 (Rauma) and c3 (Rauma), from 1.1.2025."""
    data = PartnershipInput(
        kind=PartnershipKind.RND,
        first=actor(w.a1),
        second=company(w.c3),
        starts_on=D(2025, 1, 1),
    )
    return dataclasses.replace(data, **changes)


def by_town(rows: list[dict]) -> dict[int, dict]:  # type: ignore[type-arg]
    return {row["town_id"]: row for row in rows}


def by_type(actors: dict[str, int], local: dict[str, int]) -> dict[str, int]:
    """The per-type columns: all the town's actors (`actors_<type>`) and those based in the
    town (`local_<type>`), zero for the types not given."""
    row = {}
    for kind in ActorType:
        row[f"actors_{kind.value}"] = actors.get(kind.value, 0)
        row[f"local_{kind.value}"] = local.get(kind.value, 0)
    return row


# --- 1. Measured figures ------------------------------------------------------------------


def test_measured_figures_per_town(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    rows = eco.measured_figures(
        session, w.as_leader, year=YEAR, town_ids=[w.T1.id, w.T2.id, w.T3.id]
    )
    # Ordered by town name: Huittinen, Närpiö, Rauma.
    assert [row["town"] for row in rows] == ["Huittinen", "Närpiö", "Rauma"]
    figures = by_town(rows)

    # Rauma (T1), 2025.
    # Actors: a1 (municipal, local), a8 (association, local), a2 (municipal, regional);
    #   a5 is inactive, a3 is national, a4 is based in Huittinen -> 3 actors, 2 local.
    # Partnerships active in 2025 reaching Rauma: pA, pB, pD, pG (pE ended 31.12.2024) = 4;
    #   crossing a municipal border: pA (T1+T2), pB (T1+T3), pD (T1+T2) = 3 -> share 3/4;
    #   crossing a regional border: pB = 1; with the state: none.
    # Participations of Rauma companies in 2025: c1 x3 (P1 twice, P2), c2 x2 (P1, P3),
    #   c3 x1 (P3 on 31.12) = 6 by 3 companies; co-developer: c1 in P1 = 1 -> 1/6.
    # Derived ties (companies per project in 2025: P1 c1,c2,c4,c5; P2 c1,c6; P3 c2,c3):
    #   P1 a=2 b=2 -> C(2,2)+2*2 = 5, across 4; P2 a=1 b=1 -> 0+1 = 1, across 1;
    #   P3 a=2 b=0 -> 1, across 0. Total 7, across the border 5.
    # Latest assessment up to 2025: 2025 developing / company.
    assert figures[w.T1.id] == {
        "town_id": w.T1.id, "town": "Rauma", "region": "Satakunta",
        "actors": 3, "local_actors": 2,
        "partnerships": 4, "cross_municipal": 3, "cross_regional": 1, "with_state": 0,
        "cross_border_share": 0.75,
        "companies_engaged": 3, "participations": 6,
        "company_driven": 1, "company_driven_share": 1 / 6,
        "derived_ties": 7, "cross_border_ties": 5,
        "maturity": "developing", "driver": "company", "assessed_year": 2025,
        **by_type({"municipal": 2, "association": 1}, {"municipal": 1, "association": 1}),
    }  # fmt: skip

    # Huittinen (T2), 2025.
    # Actors: a4 (education, local), a2 (municipal, regional) -> 2, 1 local.
    # Partnerships: pA (T1+T2), pC (T2, with Business Finland), pD (T1+T2) = 3;
    #   municipal border 2 -> share 2/3; regional 0; with the state 1.
    # Participations: c4 (co-developer), c5 in P1 = 2 by 2 companies -> driven 1/2.
    # Ties: P1 a=2 (c4, c5) b=2 (c1, c2) -> 1 + 4 = 5, across 4.
    # Latest assessment up to 2025: 2024 starting / education.
    assert figures[w.T2.id] == {
        "town_id": w.T2.id, "town": "Huittinen", "region": "Satakunta",
        "actors": 2, "local_actors": 1,
        "partnerships": 3, "cross_municipal": 2, "cross_regional": 0, "with_state": 1,
        "cross_border_share": 2 / 3,
        "companies_engaged": 2, "participations": 2,
        "company_driven": 1, "company_driven_share": 0.5,
        "derived_ties": 5, "cross_border_ties": 4,
        "maturity": "starting", "driver": "education", "assessed_year": 2024,
        **by_type({"education": 1, "municipal": 1}, {"education": 1}),
    }  # fmt: skip

    # Närpiö (T3), 2025.
    # Actors: a7 (enterprise agency = association, local), a6 (state, regional Pohjanmaa).
    # Partnerships: pB only (T1+T3): municipal and regional border, no state.
    # Participations: c6 in P2 as co-developer -> 1 of 1.
    # Ties: P2 a=1 (c6) b=1 (c1) -> 0 + 1 = 1, across 1. No assessment.
    assert figures[w.T3.id] == {
        "town_id": w.T3.id, "town": "Närpiö", "region": "Pohjanmaa",
        "actors": 2, "local_actors": 1,
        "partnerships": 1, "cross_municipal": 1, "cross_regional": 1, "with_state": 0,
        "cross_border_share": 1.0,
        "companies_engaged": 1, "participations": 1,
        "company_driven": 1, "company_driven_share": 1.0,
        "derived_ties": 1, "cross_border_ties": 1,
        "maturity": None, "driver": None, "assessed_year": None,
        **by_type({"association": 1, "state": 1}, {"association": 1}),
    }  # fmt: skip


def test_measured_figures_of_another_year_and_default_towns(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    # Without towns: the regional towns only (Närpiö is not one).
    rows = eco.measured_figures(session, w.as_leader, year=2024)
    assert [row["town"] for row in rows] == ["Huittinen", "Rauma"]
    rauma = by_town(rows)[w.T1.id]
    # 2024 in Rauma: pA (from 1.1.2024) and pE (until 31.12.2024) = 2, pA crosses a border;
    # one participation (c3 in P1 on 31.12.2024), alone in P1 that year -> no ties;
    # the latest assessment up to 2024 is 2023's.
    assert {key: rauma[key] for key in (
        "partnerships", "cross_municipal", "cross_regional", "cross_border_share",
        "companies_engaged", "participations", "company_driven", "company_driven_share",
        "derived_ties", "cross_border_ties", "maturity", "driver", "assessed_year",
    )} == {
        "partnerships": 2, "cross_municipal": 1, "cross_regional": 0, "cross_border_share": 0.5,
        "companies_engaged": 1, "participations": 1, "company_driven": 0,
        "company_driven_share": 0.0, "derived_ties": 0, "cross_border_ties": 0,
        "maturity": "starting", "driver": "city", "assessed_year": 2023,
    }  # fmt: skip
    # 2022 in Rauma: nothing at all, and no share where there is nothing to divide.
    empty = by_town(eco.measured_figures(session, w.as_leader, year=2022, town_ids=[w.T1.id]))
    assert empty[w.T1.id]["partnerships"] == 0
    assert empty[w.T1.id]["cross_border_share"] is None
    assert empty[w.T1.id]["company_driven_share"] is None
    assert empty[w.T1.id]["maturity"] is None


# --- 2. Partnerships ----------------------------------------------------------------------

BAD_PARTNERSHIPS = {
    "same party twice": (
        lambda w: {"first": actor(w.a1), "second": actor(w.a1)},
        "error.partnership.same_party",
    ),
    "a project as the first party": (
        lambda w: {"first": project(w.P1), "second": actor(w.a1)},
        "error.partnership.party_kind",
    ),
    "a party that does not exist": (
        lambda w: {"second": Party(PartyKind.COMPANY, w.c6.id + 10_000)},
        "error.partnership.party_not_found",
    ),
    "end before start": (
        lambda w: {"starts_on": D(2025, 6, 1), "ends_on": D(2025, 5, 31)},
        "error.partnership.period",
    ),
    "unknown kind": (lambda w: {"kind": "joint_venture"}, "error.partnership.kind"),
    "no towns derivable": (
        # A regional and a national actor, no town chosen.
        lambda w: {"first": actor(w.a2), "second": actor(w.a3)},
        "error.partnership.towns",
    ),
    "unknown town": (
        lambda w: {"town_ids": (w.T1.id + w.T2.id + w.T3.id + 10_000,)},
        "error.partnership.unknown_town",
    ),
}


@pytest.mark.parametrize("case", BAD_PARTNERSHIPS)
def test_a_refused_partnership_changes_nothing(session: Session, w, case: str) -> None:  # type: ignore[no-untyped-def]
    changes, key = BAD_PARTNERSHIPS[case]
    data = partnership_input(w, **changes(w))
    before = counts(session)
    with pytest.raises(ValidationError) as caught:
        eco.create_partnership(session, w.as_admin, data)
    assert caught.value.key == key
    assert counts(session) == before

    details = eco.partnership_details(session, w.as_admin, w.pG.id)
    with pytest.raises(ValidationError) as caught:
        eco.update_partnership(session, w.as_admin, w.pG.id, data)
    assert caught.value.key == key
    assert counts(session) == before
    assert eco.partnership_details(session, w.as_admin, w.pG.id) == details


def test_the_parties_home_towns_are_added(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    # a1 is based in Rauma, c6 in Närpiö; Huittinen chosen besides.
    made = eco.create_partnership(
        session,
        w.as_admin,
        partnership_input(w, second=company(w.c6), town_ids=(w.T2.id,), description="  Yhteistyö "),
    )
    details = eco.partnership_details(session, w.as_leader, made.id)
    assert set(details["town_ids"]) == {w.T1.id, w.T2.id, w.T3.id}
    assert (details["first_name"], details["second_name"]) == ("Rauman Kehitys Oy", "Zeta Oy")
    assert details["description"] == "Yhteistyö"
    # pD (a regional actor and P1, no town chosen) took P1's towns.
    assert set(eco.partnership_details(session, w.as_leader, w.pD.id)["town_ids"]) == {
        w.T1.id,
        w.T2.id,
    }


def test_an_actor_project_partnership_without_towns_takes_the_projects(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    national = eco.create_partnership(
        session, w.as_admin, partnership_input(w, first=actor(w.a3), second=project(w.P2))
    )
    assert set(eco.partnership_details(session, w.as_admin, national.id)["town_ids"]) == {
        w.T1.id,
        w.T3.id,
    }
    # With a town chosen, that town is the partnership's own and the project's are not added.
    chosen = eco.create_partnership(
        session,
        w.as_admin,
        partnership_input(w, first=actor(w.a3), second=project(w.P2), town_ids=(w.T2.id,)),
    )
    assert eco.partnership_details(session, w.as_admin, chosen.id)["town_ids"] == [w.T2.id]


def test_a_partnership_is_updated_and_deleted(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    eco.update_partnership(
        session,
        w.as_admin,
        w.pG.id,
        partnership_input(
            w,
            kind=PartnershipKind.SERVICE_AGREEMENT,
            second=company(w.c6),
            starts_on=D(2025, 5, 1),
            ends_on=D(2025, 12, 31),
        ),
    )
    details = eco.partnership_details(session, w.as_leader, w.pG.id)
    assert details["kind"] == "service_agreement"
    assert details["second"] == company(w.c6)
    assert details["second_name"] == "Zeta Oy"
    assert (details["starts_on"], details["ends_on"]) == (D(2025, 5, 1), D(2025, 12, 31))
    assert set(details["town_ids"]) == {w.T1.id, w.T3.id}
    # It now crosses a regional border in the listing.
    row = next(r for r in eco.list_partnerships(session, w.as_leader).rows if r["id"] == w.pG.id)
    assert (row["cross_municipal"], row["cross_regional"]) == (True, True)

    before = counts(session)
    eco.delete_partnership(session, w.as_admin, w.pB.id)
    with pytest.raises(NotFound):
        eco.partnership_details(session, w.as_admin, w.pB.id)
    assert counts(session) == (before[0] - 1, before[1] - 2)  # pB reached Rauma and Närpiö
    with pytest.raises(NotFound):
        eco.update_partnership(session, w.as_admin, w.pB.id, partnership_input(w))
    with pytest.raises(NotFound):
        eco.delete_partnership(session, w.as_admin, w.pB.id)


def test_partnerships_are_listed_marked_and_filtered(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    def ids(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return [row["id"] for row in eco.list_partnerships(session, w.as_leader, **filters).rows]

    page = eco.list_partnerships(session, w.as_leader)
    # Newest start first.
    assert [row["id"] for row in page.rows] == [
        w.pC.id, w.pG.id, w.pB.id, w.pD.id, w.pA.id, w.pE.id,
    ]  # fmt: skip
    assert page.total == 6
    marks = {
        row["id"]: (row["cross_municipal"], row["cross_regional"], row["with_state"])
        for row in page.rows
    }
    assert marks == {
        w.pA.id: (True, False, False),  # Rauma + Huittinen, one region
        w.pB.id: (True, True, False),  # Rauma + Närpiö, two regions
        w.pC.id: (False, False, True),  # Business Finland, Huittinen only
        w.pD.id: (True, False, False),  # P1's towns
        w.pE.id: (False, False, False),
        w.pG.id: (False, False, False),
    }
    rows = {row["id"]: row for row in page.rows}
    assert (rows[w.pD.id]["first"], rows[w.pD.id]["second"]) == ("Satakuntaliitto", "Kasvupolku")
    assert (rows[w.pB.id]["first"], rows[w.pB.id]["second"]) == ("Alfa Oy", "Zeta Oy")
    assert rows[w.pB.id]["towns"] == "Närpiö, Rauma"

    assert set(ids(town_id=w.T2.id)) == {w.pA.id, w.pC.id, w.pD.id}
    assert set(ids(town_id=w.T1.id)) == {w.pA.id, w.pB.id, w.pD.id, w.pE.id, w.pG.id}
    assert set(ids(year=2024)) == {w.pA.id, w.pE.id}
    assert set(ids(year=2025)) == {w.pA.id, w.pB.id, w.pC.id, w.pD.id, w.pG.id}
    assert set(ids(year=2026)) == {w.pA.id, w.pC.id, w.pD.id, w.pG.id}
    assert set(ids(kind=PartnershipKind.RND)) == {w.pB.id, w.pG.id}
    assert set(ids(cross_border_only=True)) == {w.pA.id, w.pB.id, w.pD.id}
    assert ids(town_id=w.T1.id, year=2025, kind="rnd", cross_border_only=True) == [w.pB.id]
    assert ids(town_id=w.T3.id, year=2024) == []


# --- 3. Permissions -----------------------------------------------------------------------


def test_an_advisor_records_partnerships_reaching_a_home_town(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    huittinen_only = partnership_input(w, first=actor(w.a4), second=company(w.c5))
    before = counts(session)
    with pytest.raises(Forbidden):
        eco.create_partnership(session, w.as_advisor, huittinen_only)
    assert counts(session) == before
    # The same, reaching Rauma too, is the advisor's to record.
    made = eco.create_partnership(
        session, w.as_advisor, dataclasses.replace(huittinen_only, town_ids=(w.T1.id,))
    )
    assert set(eco.partnership_details(session, w.as_advisor, made.id)["town_ids"]) == {
        w.T1.id,
        w.T2.id,
    }

    # pC reaches Huittinen only: neither edited nor deleted.
    for attempt in (
        lambda: eco.update_partnership(session, w.as_advisor, w.pC.id, partnership_input(w)),
        lambda: eco.delete_partnership(session, w.as_advisor, w.pC.id),
    ):
        with pytest.raises(Forbidden):
            attempt()
    assert eco.partnership_details(session, w.as_admin, w.pC.id)["kind"] == "funding"
    # pA reaches Rauma and Huittinen; moving it to Huittinen alone is refused.
    with pytest.raises(Forbidden):
        eco.update_partnership(session, w.as_advisor, w.pA.id, huittinen_only)
    assert eco.partnership_details(session, w.as_admin, w.pA.id)["second"] == actor(w.a4)
    # Rauma's own partnerships are the advisor's.
    eco.update_partnership(
        session, w.as_advisor, w.pG.id, partnership_input(w, second=company(w.c2))
    )
    assert eco.partnership_details(session, w.as_admin, w.pG.id)["second"] == company(w.c2)
    eco.delete_partnership(session, w.as_advisor, w.pE.id)
    assert session.get(Partnership, w.pE.id) is None


def test_an_advisor_edits_only_actors_based_in_home_towns(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    def data(name: str, **where: int | None) -> ActorInput:
        return ActorInput(name=name, kind=PartnerKind.ASSOCIATION, **where)  # type: ignore[arg-type]

    made = eco.create_actor(session, w.as_advisor, data("Rauman Kyläyhdistys", town_id=w.T1.id))
    assert (made.town_id, made.region_id) == (w.T1.id, w.RA.id)

    actors_before = session.scalar(select(func.count()).select_from(Partner))
    for refused in (
        data("Huittisen Yhdistys", town_id=w.T2.id),  # another town
        data("Satakunnan Yhdistys", region_id=w.RA.id),  # regional, even of the home region
        data("Suomen Yhdistys"),  # national
    ):
        with pytest.raises(Forbidden):
            eco.create_actor(session, w.as_advisor, refused)
    assert session.scalar(select(func.count()).select_from(Partner)) == actors_before

    eco.update_actor(
        session, w.as_advisor, w.a1.id, dataclasses.replace(data("Rauma Kehittää Oy"),
        kind=PartnerKind.DEVELOPMENT_COMPANY, town_id=w.T1.id),
    )  # fmt: skip
    assert eco.actor_details(session, w.as_leader, w.a1.id)["name"] == "Rauma Kehittää Oy"
    for actor_id, refused in (
        (w.a4.id, data("SAMK", town_id=w.T2.id)),  # based in Huittinen
        (w.a2.id, data("Satakuntaliitto", region_id=w.RA.id)),  # regional
        (w.a1.id, data("Rauma Kehittää Oy", town_id=w.T2.id)),  # moved out of Rauma
    ):
        with pytest.raises(Forbidden):
            eco.update_actor(session, w.as_advisor, actor_id, refused)
    assert eco.actor_details(session, w.as_leader, w.a1.id)["town_id"] == w.T1.id
    assert (
        eco.actor_details(session, w.as_leader, w.a4.id)["kind"] == "university_of_applied_sciences"
    )

    can_edit = {
        who: [eco.actor_details(session, user, a.id)["can_edit"] for a in (w.a1, w.a2, w.a4)]
        for who, user in (("advisor", w.as_advisor), ("admin", w.as_admin),
                          ("pm", w.as_pm), ("leader", w.as_leader))
    }  # fmt: skip
    assert can_edit == {
        "advisor": [True, False, False],
        "admin": [True, True, True],
        "pm": [False, False, False],
        "leader": [False, False, False],
    }


def test_a_project_manager_records_partnerships_of_own_projects_only(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    own = eco.create_partnership(
        session, w.as_pm, partnership_input(w, first=actor(w.a3), second=project(w.P1))
    )
    assert eco.partnership_details(session, w.as_pm, own.id)["second"] == project(w.P1)

    before = counts(session)
    for refused in (
        partnership_input(w, first=actor(w.a3), second=project(w.P2)),  # pm2's project
        partnership_input(w),  # no project at all, though in the project's towns
    ):
        with pytest.raises(Forbidden):
            eco.create_partnership(session, w.as_pm, refused)
    with pytest.raises(Forbidden):
        eco.update_partnership(session, w.as_pm, w.pB.id, partnership_input(w))
    with pytest.raises(Forbidden):
        eco.update_partnership(session, w.as_pm2, w.pD.id, partnership_input(w))
    with pytest.raises(Forbidden):
        eco.delete_partnership(session, w.as_pm2, w.pD.id)
    # Their own partnership may not be handed over to another manager's project.
    with pytest.raises(Forbidden):
        eco.update_partnership(
            session, w.as_pm, w.pD.id, partnership_input(w, first=actor(w.a2), second=project(w.P2))
        )
    assert counts(session) == before
    assert eco.partnership_details(session, w.as_admin, w.pD.id)["second"] == project(w.P1)
    with pytest.raises(Forbidden):
        eco.create_actor(session, w.as_pm, ActorInput(name="Hankeyhdistys", kind="association"))

    eco.update_partnership(
        session, w.as_pm, w.pD.id,
        partnership_input(w, kind=PartnershipKind.FUNDING, first=actor(w.a2), second=project(w.P1)),
    )  # fmt: skip
    assert eco.partnership_details(session, w.as_admin, w.pD.id)["kind"] == "funding"
    eco.delete_partnership(session, w.as_pm, w.pD.id)
    assert counts(session)[0] == before[0] - 1


def test_leadership_writes_nothing(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    before, assessed = counts(session), assessments(session)
    attempts = [
        lambda: eco.create_partnership(session, w.as_leader, partnership_input(w)),
        lambda: eco.update_partnership(session, w.as_leader, w.pG.id, partnership_input(w)),
        lambda: eco.delete_partnership(session, w.as_leader, w.pG.id),
        lambda: eco.create_actor(
            session, w.as_leader, ActorInput(name="Johdon yhdistys", kind="association",
                                             town_id=w.T1.id)
        ),
        lambda: eco.update_actor(
            session, w.as_leader, w.a1.id,
            ActorInput(name="Uusi nimi", kind="development_company", town_id=w.T1.id),
        ),
        lambda: eco.record_assessment(
            session, w.as_leader, town_id=w.T1.id, year=2024, maturity="starting",
            driver="city", rationale="Johdon arvio", today=TODAY,
        ),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    assert counts(session) == before
    assert assessments(session) == assessed
    assert eco.actor_details(session, w.as_leader, w.a1.id)["name"] == "Rauman Kehitys Oy"


def test_who_records_assessments(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    def assess(user, town):  # type: ignore[no-untyped-def]
        return eco.record_assessment(
            session, user, town_id=town.id, year=2024, maturity="developing", driver="city",
            rationale="Perustelu", today=TODAY,
        )  # fmt: skip

    before = assessments(session)
    for user, town in ((w.as_advisor, w.T2), (w.as_pm, w.T1), (w.as_leader, w.T1)):
        with pytest.raises(Forbidden):
            assess(user, town)
    assert assessments(session) == before

    assert assess(w.as_advisor, w.T1).town_id == w.T1.id
    assert assess(w.as_admin, w.T3).town_id == w.T3.id
    assert {(town, year) for town, year, *_ in assessments(session)} - {
        (town, year) for town, year, *_ in before
    } == {(w.T1.id, 2024), (w.T3.id, 2024)}


# --- 4. Maturity assessments --------------------------------------------------------------


def test_recording_the_same_year_again_replaces_it(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    first = eco.record_assessment(
        session, w.as_admin, town_id=w.T3.id, year=2025, maturity="starting", driver="city",
        rationale="Alku", today=TODAY,
    )  # fmt: skip
    again = eco.record_assessment(
        session, w.as_admin, town_id=w.T3.id, year=2025,
        maturity="established", driver="education", rationale="  Uusi arvio  ", today=TODAY,
    )  # fmt: skip
    assert again.id == first.id
    assert [row for row in assessments(session) if row[0] == w.T3.id] == [
        (w.T3.id, 2025, "established", "education", "Uusi arvio")
    ]
    events = list_events(session, w.as_admin, entity="maturity_assessments", entity_id=first.id)
    assert [event["action"] for event in events.rows] == [AuditAction.UPDATE, AuditAction.CREATE]
    update, create = events.rows
    assert create["changes"]["maturity"] == {"new": "starting"}
    assert update["changes"]["maturity"] == {"old": "starting", "new": "established"}
    assert update["changes"]["rationale"] == {"old": "Alku", "new": "Uusi arvio"}


BAD_ASSESSMENTS = {
    "next year": ({"year": 2027}, "error.assessment.year", "year"),
    "before 2000": ({"year": 1999}, "error.assessment.year", "year"),
    "no rationale": ({"rationale": "   "}, "error.required", "rationale"),
    "rationale too long": ({"rationale": "x" * 1001}, "error.text.too_long", "rationale"),
    "unknown maturity": ({"maturity": "mature"}, "error.assessment.maturity", "maturity"),
    "unknown driver": ({"driver": "state"}, "error.assessment.driver", "driver"),
}


@pytest.mark.parametrize("case", BAD_ASSESSMENTS)
def test_a_refused_assessment_changes_nothing(session: Session, w, case: str) -> None:  # type: ignore[no-untyped-def]
    changes, key, field = BAD_ASSESSMENTS[case]
    arguments = {
        "town_id": w.T1.id, "year": 2025, "maturity": "established", "driver": "city",
        "rationale": "Muutettu", "today": TODAY, **changes,
    }  # fmt: skip
    before = assessments(session)
    with pytest.raises(ValidationError) as caught:
        eco.record_assessment(session, w.as_admin, **arguments)
    assert (caught.value.key, caught.value.field) == (key, field)
    assert assessments(session) == before


def test_assessment_years_and_rationale_at_their_limits(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    for year in (2000, TODAY.year):
        eco.record_assessment(
            session, w.as_admin, town_id=w.T3.id, year=year, maturity="starting", driver="city",
            rationale="x" * 1000, today=TODAY,
        )  # fmt: skip
    assert [
        (year, len(text)) for town, year, _, _, text in assessments(session) if town == w.T3.id
    ] == [
        (2000, 1000),
        (2026, 1000),
    ]
    with pytest.raises(NotFound):
        eco.record_assessment(
            session, w.as_admin, town_id=w.T1.id + w.T2.id + w.T3.id + 10_000, year=2025,
            maturity="starting", driver="city", rationale="Ei kuntaa", today=TODAY,
        )  # fmt: skip


def test_assessment_history_is_newest_first_with_measured_figures(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    history = eco.assessment_history(session, w.as_leader, town_id=w.T1.id)
    assert [row["year"] for row in history] == [2026, 2025, 2023]
    assert [(row["maturity"], row["driver"]) for row in history] == [
        ("established", "education"),
        ("developing", "company"),
        ("starting", "city"),
    ]
    assert {row["assessed_by"] for row in history} == {"Eino Ylläpito"}
    assert history[1]["rationale"] == "Arvio Rauma 2025"
    measured = [{key: row[key] for key in eco.MEASURED_KEYS} for row in history]
    assert measured == [
        # 2026: pA, pD, pG (pB ended 31.12.2025); pA and pD cross a border; c3 in P2 on 1.1.
        {"actors": 3, "partnerships": 3, "cross_border_share": 2 / 3, "companies_engaged": 1,
         "company_driven_share": 1.0},
        # 2025: as in test_measured_figures_per_town.
        {"actors": 3, "partnerships": 4, "cross_border_share": 0.75, "companies_engaged": 3,
         "company_driven_share": 1 / 6},
        # 2023: pE only, within Rauma; no participations.
        {"actors": 3, "partnerships": 1, "cross_border_share": 0.0, "companies_engaged": 0,
         "company_driven_share": None},
    ]  # fmt: skip
    assert eco.assessment_history(session, w.as_leader, town_id=w.T3.id) == []


def test_an_assessment_is_deleted_by_whom_may_record_it(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    ids = dict(
        session.execute(
            select(MaturityAssessment.year, MaturityAssessment.id).where(
                MaturityAssessment.town_id.in_([w.T1.id, w.T2.id])
            )
        ).all()
    )
    before = assessments(session)
    for user, year in ((w.as_advisor, 2024), (w.as_leader, 2023), (w.as_pm, 2023)):
        with pytest.raises(Forbidden):
            eco.delete_assessment(session, user, ids[year])  # 2024 is Huittinen's
    assert assessments(session) == before
    eco.delete_assessment(session, w.as_advisor, ids[2023])
    assert [
        row["year"] for row in eco.assessment_history(session, w.as_leader, town_id=w.T1.id)
    ] == [
        2026,
        2025,
    ]
    with pytest.raises(NotFound):
        eco.delete_assessment(session, w.as_admin, ids[2023])


def test_actors_of_a_towns_ecosystem_are_listed(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    def names(**filters) -> list[str]:  # type: ignore[no-untyped-def]
        return [row["name"] for row in eco.list_actors(session, w.as_leader, **filters).rows]

    # Rauma's own actors and Satakunta's regional council; not the inactive one.
    assert names(town_id=w.T1.id) == ["Rauman Kehitys Oy", "Rauman Yrittäjät ry", "Satakuntaliitto"]
    assert names(town_id=w.T1.id, include_inactive=True) == [
        "Rauman Kehitys Oy", "Rauman Yrittäjät ry", "Satakuntaliitto", "Vanha Yhdistys ry",
    ]  # fmt: skip
    assert names(of_type="state") == ["Business Finland", "Pohjanmaan ELY-keskus"]
    rows = {row["name"]: row for row in eco.list_actors(session, w.as_leader).rows}
    assert (rows["Rauman Kehitys Oy"]["actor_type"], rows["Rauman Kehitys Oy"]["coverage"]) == (
        "municipal",
        "town",
    )
    assert rows["Satakuntaliitto"]["coverage"] == "region"
    assert rows["Business Finland"]["coverage"] == "country"
    # a1 is a party to pA, pE and pG.
    assert rows["Rauman Kehitys Oy"]["partnerships"] == 3
    assert rows["Business Finland"]["categories"] == "workforce fi"


# --- 5. "Invest in" gaps ------------------------------------------------------------------


@pytest.fixture
def needs(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    """Needs in Rauma (and one in Huittinen), identified before 1.6.2025."""

    def need(c, category, severity=Severity.GREEN, status=NeedStatus.OPEN):  # type: ignore[no-untyped-def]
        resolved = D(2025, 2, 1) if status == NeedStatus.MET else None
        make.need(
            session, company=c, category=category, identified_on=D(2025, 1, 10),
            severity=severity, status=status, resolved_on=resolved,
        )  # fmt: skip

    red, yellow = Severity.RED, Severity.YELLOW
    # workforce: 3 open or in progress (2 red) in Rauma; a met one and Huittinen's do not count.
    need(w.c1, w.workforce, red)
    need(w.c2, w.workforce, yellow)
    need(w.c3, w.workforce, red, NeedStatus.IN_PROGRESS)
    need(w.c1, w.workforce, red, NeedStatus.MET)
    need(w.c4, w.workforce, red)
    # marketing: 2 (P5 targets it but covers Närpiö only).
    need(w.c2, w.marketing)
    need(w.c3, w.marketing)
    # premises: 1.
    need(w.c1, w.premises)
    # training: targeted by P1 (active, covers Rauma); export: by P2 (the same).
    need(w.c1, w.training, red)
    need(w.c2, w.training)
    need(w.c3, w.training)
    need(w.c1, w.export, red)
    # funding: 2 (1 red); P4 targeted it but ended on 31.12.2024.
    need(w.c1, w.funding)
    need(w.c2, w.funding, red)


@pytest.mark.usefixtures("needs")
def test_invest_in_gaps(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    rows = eco.invest_in_gaps(
        session, w.as_leader, town_id=w.T1.id, today=D(2025, 6, 1), min_needs=2, language="en"
    )
    keys = (
        "category", "needs", "red", "companies", "local_actors", "regional_actors",
        "national_actors", "is_gap",
    )  # fmt: skip
    # Gaps first, most needs first; training and export are served by active projects.
    assert [tuple(row[key] for key in keys) for row in rows] == [
        # Only the regional council (and Business Finland) serve workforce: still a gap; the
        # inactive local association does not count.
        ("workforce en", 3, 2, 3, "", "Satakuntaliitto", "Business Finland", True),
        ("funding en", 2, 1, 2, "", "", "", True),
        # Rauman Kehitys Oy, based in Rauma, serves marketing: no gap.
        ("marketing en", 2, 0, 2, "Rauman Kehitys Oy", "", "", False),
        ("premises en", 1, 0, 1, "", "", "", False),  # under min_needs
    ]
    by_category = {row["category_id"]: row for row in rows}
    # Serving workforce elsewhere: the ELY centre of Pohjanmaa and the enterprise agency of
    # Närpiö (one each, by kind); not the national nor the inactive one.
    assert by_category[w.workforce.id]["kinds_elsewhere"] == ["ely_centre", "enterprise_agency"]
    assert by_category[w.funding.id]["kinds_elsewhere"] == []

    lower = eco.invest_in_gaps(
        session, w.as_leader, town_id=w.T1.id, today=D(2025, 6, 1), min_needs=1
    )
    assert {row["category_id"] for row in lower if row["is_gap"]} == {
        w.workforce.id,
        w.funding.id,
        w.premises.id,
    }
    # After the projects end (1.1.2027) their categories are unserved again.
    later = eco.invest_in_gaps(
        session, w.as_leader, town_id=w.T1.id, today=D(2027, 1, 1), min_needs=2
    )
    later_by = {row["category_id"]: row for row in later}
    assert (later_by[w.training.id]["needs"], later_by[w.training.id]["is_gap"]) == (3, True)
    assert later_by[w.export.id]["needs"] == 1
    with pytest.raises(NotFound):
        eco.invest_in_gaps(
            session, w.as_leader, town_id=w.T3.id + 10_000, today=D(2025, 6, 1), min_needs=2
        )


@pytest.mark.usefixtures("needs")
def test_kinds_elsewhere_include_an_actor_in_a_neighbouring_town(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    rows = eco.invest_in_gaps(
        session, w.as_leader, town_id=w.T1.id, today=D(2025, 6, 1), min_needs=1
    )
    premises = next(row for row in rows if row["category_id"] == w.premises.id)
    # SAMK, based in Huittinen, serves premises.
    assert premises["kinds_elsewhere"] == ["university_of_applied_sciences"]


# --- 6. The network -----------------------------------------------------------------------


def test_the_network_of_a_town(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    net = eco.network(session, w.as_leader, town_id=w.T1.id, year=YEAR)
    a = {name: f"actor:{getattr(w, name).id}" for name in ("a1", "a2", "a4", "a8")}
    c = {name: f"company:{getattr(w, name).id}" for name in ("c1", "c6")}
    p = {name: f"project:{getattr(w, name).id}" for name in ("P1", "P2", "P3")}
    edges = {(e["source"], e["target"], e["kind"], e["weight"]) for e in net.edges}
    assert edges == {
        # Partnerships active in 2025 reaching Rauma (not pC, not pE).
        (a["a1"], a["a4"], "education_cooperation", 1),
        (c["c1"], c["c6"], "rnd", 1),
        (a["a2"], p["P1"], "network_membership", 1),
        (a["a1"], c["c1"], "rnd", 1),
        # c1, a partner company, took part in P1 twice and P2 once in 2025.
        (c["c1"], p["P1"], "participation", 2),
        (c["c1"], p["P2"], "participation", 1),
    }
    nodes = {node["key"]: node for node in net.nodes}
    # c2 and c3 have no partnerships: they are counted in their projects, not drawn.
    # a8 is Rauma's own actor with no ties; a5 is inactive.
    assert set(nodes) == {*a.values(), *c.values(), *p.values()}
    assert (net.total_nodes, net.total_edges) == (9, 6)
    assert nodes[a["a8"]]["degree"] == 0
    assert nodes[a["a8"]]["group"] == "association"
    assert (nodes[a["a4"]]["group"], nodes[a["a4"]]["town"]) == ("education", "Huittinen")
    assert (nodes[c["c1"]]["degree"], nodes[c["c1"]]["elsewhere"]) == (4, False)
    assert (nodes[c["c6"]]["town"], nodes[c["c6"]]["elsewhere"]) == ("Närpiö", True)
    assert (nodes[p["P1"]]["label"], nodes[p["P1"]]["group"], nodes[p["P1"]]["degree"]) == (
        "Kasvupolku",
        "project",
        2,
    )
    # Rauma's companies taking part in 2025: P1 c1 and c2, P2 c1, P3 c2 and c3.
    assert {key: nodes[key]["companies"] for key in p.values()} == {
        p["P1"]: 2,
        p["P2"]: 1,
        p["P3"]: 2,
    }
    assert nodes[p["P3"]]["degree"] == 0
    assert (nodes[c["c1"]]["partnered"], nodes[p["P3"]]["partnered"]) == (True, False)


def test_the_network_cap_keeps_partnership_parties_first(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    # Six nodes: the six partnership parties (a1, a2, a4, c1, c6, P1), before P2 and P3 with
    # more companies and the unconnected a8.
    net = eco.network(session, w.as_leader, town_id=w.T1.id, year=YEAR, max_nodes=6)
    kept = {node["key"] for node in net.nodes}
    assert kept == {
        f"actor:{w.a1.id}",
        f"actor:{w.a2.id}",
        f"actor:{w.a4.id}",
        f"company:{w.c1.id}",
        f"company:{w.c6.id}",
        f"project:{w.P1.id}",
    }
    assert all(e["source"] in kept and e["target"] in kept for e in net.edges)
    assert len(net.edges) == 5  # the four partnerships and c1–P1
    assert (net.total_nodes, net.total_edges) == (9, 6)

    # Three nodes: the most connected parties, c1 (4 ties), P1 (2 ties, 2 companies), a1 (2).
    top = eco.network(session, w.as_leader, town_id=w.T1.id, year=YEAR, max_nodes=3)
    assert {node["key"] for node in top.nodes} == {
        f"company:{w.c1.id}",
        f"project:{w.P1.id}",
        f"actor:{w.a1.id}",
    }
    assert {(e["source"], e["target"]) for e in top.edges} == {
        (f"actor:{w.a1.id}", f"company:{w.c1.id}"),
        (f"company:{w.c1.id}", f"project:{w.P1.id}"),
    }


# --- 7. The layout ------------------------------------------------------------------------


def _random_graph(n: int, m: int, seed: int) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    keys = [f"n{i}" for i in range(n)]
    edges = {tuple(sorted(rng.sample(keys, 2))) for _ in range(m)}
    return keys, sorted(edges)  # type: ignore[arg-type]


def test_the_layout_is_the_same_every_time() -> None:
    keys, edges = _random_graph(40, 60, seed=3)
    first = spring_layout(keys, edges)
    assert spring_layout(list(keys), list(edges)) == first
    assert set(first) == set(keys)
    assert spring_layout([], []) == {}
    assert spring_layout(["yksin"], []) == {"yksin": (0.0, 0.0)}


def test_a_layout_of_100_nodes_fits_and_nothing_overlaps() -> None:
    keys, edges = _random_graph(100, 150, seed=11)
    positions = spring_layout(keys, [*edges, ("n0", "unknown")])
    assert set(positions) == set(keys)
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in positions.values())
    assert max(max(abs(x), abs(y)) for x, y in positions.values()) == pytest.approx(1.0)
    closest = min(math.dist(positions[a], positions[b]) for a, b in itertools.combinations(keys, 2))
    assert closest > 1e-3


def test_tied_nodes_end_closer_than_untied_ones() -> None:
    # Four groups of eight, tied within the group, and one tie between neighbouring groups.
    keys = [f"g{g}n{i}" for g in range(4) for i in range(8)]
    edges = [
        (f"g{g}n{i}", f"g{g}n{j}") for g in range(4) for i in range(8) for j in range(i + 1, 8)
        if (i + j) % 3 == 0 or j == i + 1
    ] + [(f"g{g}n0", f"g{(g + 1) % 4}n0") for g in range(4)]  # fmt: skip
    positions = spring_layout(keys, edges)
    tied = {frozenset(edge) for edge in edges}
    near = [math.dist(positions[a], positions[b]) for a, b in edges]
    far = [
        math.dist(positions[a], positions[b])
        for a, b in itertools.combinations(keys, 2)
        if frozenset((a, b)) not in tied
    ]
    assert sum(near) / len(near) < 0.6 * (sum(far) / len(far))


# --- 8. Merging companies -----------------------------------------------------------------


def test_merging_companies_moves_their_partnerships(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    double = make.company(session, "Alfa Oy", town=w.T1)

    def partner(first, second):  # type: ignore[no-untyped-def]
        data = partnership_input(w, first=first, second=second)
        return eco.create_partnership(session, w.as_admin, data).id

    with_actor = partner(actor(w.a1), company(double))
    with_company = partner(company(double), company(w.c6))
    with_itself = partner(company(w.c1), company(double))
    before = counts(session)

    merge_companies(session, w.as_admin, keep_id=w.c1.id, remove_id=double.id)

    assert eco.partnership_details(session, w.as_leader, with_actor)["second"] == company(w.c1)
    moved = eco.partnership_details(session, w.as_leader, with_company)
    assert (moved["first"], moved["first_name"]) == (company(w.c1), "Alfa Oy")
    assert moved["second"] == company(w.c6)
    # The kept company is not left partnered with itself: that one is gone, towns and all.
    with pytest.raises(NotFound):
        eco.partnership_details(session, w.as_leader, with_itself)
    assert counts(session) == (before[0] - 1, before[1] - 1)
    # c1's earlier partnerships are untouched.
    assert eco.partnership_details(session, w.as_leader, w.pB.id)["first"] == company(w.c1)


def test_a_moved_partnership_reaches_the_kept_companys_town(session: Session, w) -> None:  # type: ignore[no-untyped-def]
    # The same company entered twice, once in Huittinen by mistake.
    double = make.company(session, "Alfa Oy", town=w.T2)
    moved = eco.create_partnership(
        session, w.as_admin, partnership_input(w, first=actor(w.a4), second=company(double))
    ).id
    merge_companies(session, w.as_admin, keep_id=w.c1.id, remove_id=double.id)
    assert w.T1.id in eco.partnership_details(session, w.as_leader, moved)["town_ids"]


# --- 9. Actor types -----------------------------------------------------------------------


def test_every_partner_kind_has_an_actor_type() -> None:
    assert set(ACTOR_TYPE_OF_KIND) == set(PartnerKind)
    assert all(isinstance(of, ActorType) for of in ACTOR_TYPE_OF_KIND.values())
    assert {eco.actor_type(kind.value) for kind in PartnerKind} <= {t.value for t in ActorType}
    # The types split the kinds: each kind in exactly one type.
    grouped = [kind for of in ActorType for kind in kinds_of_type(of)]
    assert sorted(grouped) == sorted(kind.value for kind in PartnerKind)
    assert set(eco.STATE_KINDS) == {"ely_centre", "business_finland", "finnvera"}
