"""Deterministic demo data: `python -m db.seed [--scale demo|national] [--url URL] [--seed N]`.

The seed fills an empty, migrated database with realistic data for Finland's regional towns:
real regions, towns and partner organisations (db/reference.py), advisors and project managers,
companies with contact persons, and since 2019 their interactions, needs, follow-ups, referrals
and project participations. The same seed on the same day gives the same data: one
`random.Random(seed)`, `Faker("fi_FI")` seeded with it, and every date an offset from today.

The signal that the need-fit analysis looks for
-----------------------------------------------
Every town has a need profile (category weights, from its economic profile: industrial towns
need workforce, training and digitalisation; rural and tourism towns marketing, succession and
premises; agriculture and food towns succession, funding and permits; ...). Needs are drawn from
the profile of the company's town. Projects then differ in how well their target categories fit
the needs of their towns, and their participation, feedback and results follow from that fit:

WELL MATCHED (targets are the dominant needs of their towns; high reach among companies with
such needs; many needs met with the project as the addressing project; feedback mostly 4-5;
about a third of participations company-driven):
  * "Osaava työvoima Länsi-Suomen seutukaupunkeihin 2019–2023": industrial Rauma, Uusikaupunki,
    Salo, Forssa, Riihimäki, Kankaanpää, Huittinen; targets workforce and training, their top two
    needs.
  * "Teollisuuden osaajat – Keski-Suomen ja Pirkanmaan seutukaupunkiverkosto": industrial
    Äänekoski, Jämsä, Keuruu, Valkeakoski, Mänttä-Vilppula, Varkaus; workforce, training and
    digitalisation.
  * "Maaseutukaupunkien omistajanvaihdos- ja yrittäjyysverkosto": agriculture and food towns;
    succession, funding and permits.
  * current: "Osaajasilta – Forssan ja Salon seudun työvoimahanke 2024–2027" (the demo
    manager's), "Matkailun kasvupolku Itä- ja Pohjois-Suomessa 2024–2027", "Digiloikka
    Pohjois-Pohjanmaan seutukaupungeissa 2024–2027".

CLEARLY MISMATCHED (targets are rare needs in their towns while the towns' most frequent needs go
untargeted; few participations; feedback 1-3; need mostly not met; co-developer share < 10 %):
  * "Itärajan seutukaupunkien teknologia- ja vientiverkosto": tourism and rural towns Lieksa,
    Nurmes, Kitee, Kuhmo, Suomussalmi, Kuusamo, Kemijärvi, whose needs are marketing,
    succession and premises; it targets R&D, export and circular economy.
  * "Pohjoisen seutukaupunkien elinvoimamalli": industrial Raahe, Ylivieska, Nivala, Haapajärvi,
    Kemi, Tornio need workforce and training; it targets premises, permits and networks.
  * current: "Kansainvälistyvä Etelä-Pohjanmaa 2024–2026" (the demo manager's): agriculture and
    food towns that need succession, funding and permits; it targets export and R&D.

The rest are in between. No current (2024-2027) project targets succession, and only the one in
Kemi, Tornio, Imatra and Äänekoski targets permits, so "unserved needs" exist in most towns; many
towns have no active project at all.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import random
import re
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, TextIO

from faker import Faker
from sqlalchemy import Connection, Engine, Table, func, inspect, select
from sqlalchemy.engine import make_url

from db import reference
from db.engine import database_url, is_sqlite, make_engine
from db.enums import (
    ActivityType,
    Channel,
    EcosystemDriver,
    FollowUpStatus,
    LegalBasis,
    Maturity,
    NeedMet,
    NeedStatus,
    ParticipationRole,
    PartnershipKind,
    ProjectKind,
    ReferralStatus,
    Role,
    size_class_for_staff,
)
from db.migrate import upgrade
from db.models import (
    Company,
    ContactPerson,
    FollowUp,
    Interaction,
    MaturityAssessment,
    Need,
    NeedCategory,
    Participation,
    Partner,
    Partnership,
    Project,
    Referral,
    Region,
    Town,
    User,
    partner_need_categories,
    partnership_towns,
    project_need_categories,
    project_towns,
    user_towns,
)
from services.auth import hash_password
from services.validation import business_id_check_digit, search_key

Progress = Callable[[str, float], None]

DEFAULT_SEED = 20261122

# The demo accounts printed in the README: (role, username, password).
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    (Role.ADVISOR.value, "advisor", "neuvoja-demo-2026"),
    (Role.PROJECT_MANAGER.value, "manager", "hanke-demo-2026"),
    (Role.LEADERSHIP.value, "leader", "johto-demo-2026"),
    (Role.ADMIN.value, "admin", "admin-demo-2026"),
]

# --- Scales --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How much to make: companies, and per company (or per need) the rest."""

    companies: int
    interactions_per_company: float
    needs_per_company: float
    follow_ups_per_company: float
    referrals_per_need: float
    participations_per_company: float
    chunk: int  # companies generated and inserted at a time


SCALES: dict[str, Scale] = {
    "demo": Scale(2_000, 10.0, 3.0, 2.0, 0.25, 4.0, 500),
    "national": Scale(100_000, 10.0, 3.0, 2.0, 0.167, 4.0, 5_000),
}

INSERT_BATCH = 10_000
FIRST_DAY = dt.date(2019, 1, 1)
FUTURE_DAYS = 400  # due dates may lie this far ahead

# --- Town need profiles --------------------------------------------------------------------

CATEGORY_CODES = reference.NEED_CATEGORY_CODES

# Category weights (in the order of reference.NEED_CATEGORIES) per economic profile.
PROFILE_WEIGHTS: dict[str, dict[str, float]] = {
    "industrial": {
        "workforce": 30, "training": 16, "funding": 7, "internationalisation": 5, "rdi": 5,
        "premises": 5, "networks": 4, "digitalisation": 12, "circular_economy": 4,
        "succession": 4, "marketing": 4, "permits": 2, "other": 2,
    },
    "tech_export": {
        "workforce": 16, "training": 6, "funding": 12, "internationalisation": 18, "rdi": 18,
        "premises": 4, "networks": 6, "digitalisation": 10, "circular_economy": 3,
        "succession": 2, "marketing": 3, "permits": 1, "other": 1,
    },
    "agri_food": {
        "workforce": 9, "training": 5, "funding": 14, "internationalisation": 3, "rdi": 2,
        "premises": 6, "networks": 5, "digitalisation": 6, "circular_economy": 9,
        "succession": 16, "marketing": 12, "permits": 12, "other": 1,
    },
    "tourism_rural": {
        "workforce": 7, "training": 3, "funding": 10, "internationalisation": 3, "rdi": 1,
        "premises": 12, "networks": 8, "digitalisation": 8, "circular_economy": 2,
        "succession": 16, "marketing": 24, "permits": 6, "other": 1,
    },
    "service_mixed": {
        "workforce": 14, "training": 9, "funding": 12, "internationalisation": 3, "rdi": 2,
        "premises": 8, "networks": 7, "digitalisation": 10, "circular_economy": 4,
        "succession": 10, "marketing": 14, "permits": 5, "other": 2,
    },
    "city": {
        "workforce": 14, "training": 8, "funding": 12, "internationalisation": 10, "rdi": 11,
        "premises": 6, "networks": 9, "digitalisation": 10, "circular_economy": 4,
        "succession": 4, "marketing": 9, "permits": 2, "other": 1,
    },
}  # fmt: skip

TOWN_PROFILE: dict[str, str] = {
    **dict.fromkeys(
        [
            "Rauma", "Uusikaupunki", "Forssa", "Riihimäki", "Valkeakoski", "Mänttä-Vilppula",
            "Äänekoski", "Jämsä", "Varkaus", "Imatra", "Kemi", "Tornio", "Raahe", "Heinola",
            "Hamina", "Kankaanpää", "Kauhajoki", "Kurikka", "Nivala", "Haapajärvi", "Ylivieska",
            "Keuruu", "Huittinen",
        ],
        "industrial",
    ),
    **dict.fromkeys(["Salo", "Pietarsaari"], "tech_export"),
    **dict.fromkeys(
        [
            "Loimaa", "Somero", "Lapua", "Alajärvi", "Närpiö", "Kannus", "Iisalmi",
            "Suonenjoki", "Sastamala", "Kitee",
        ],
        "agri_food",
    ),
    **dict.fromkeys(
        [
            "Savonlinna", "Lieksa", "Nurmes", "Kuusamo", "Kuhmo", "Suomussalmi", "Kemijärvi",
            "Kristiinankaupunki", "Parainen", "Raasepori",
        ],
        "tourism_rural",
    ),
    **dict.fromkeys(["Loviisa", "Porvoo", "Lohja", "Pieksämäki"], "service_mixed"),
}  # fmt: skip

# Local specialities on top of the profile (added weight).
TOWN_TWEAKS: dict[str, dict[str, float]] = {
    "Forssa": {"circular_economy": 8},
    "Äänekoski": {"circular_economy": 5},
    "Närpiö": {"internationalisation": 4, "workforce": 6},
    "Salo": {"workforce": 4},
}

SWEDISH_SPEAKING = {"Närpiö", "Pietarsaari", "Kristiinankaupunki", "Parainen", "Raasepori"}

# --- Industries ----------------------------------------------------------------------------

# (TOL 2008 code, trade word for company names, base weight)
INDUSTRIES: list[tuple[str, str, float]] = [
    ("01110", "Maatila", 3), ("01130", "Kasvihuone", 1), ("01410", "Maitotila", 2),
    ("02200", "Metsäpalvelu", 2), ("08120", "Sora", 0.5), ("10110", "Lihajaloste", 0.7),
    ("10710", "Leipomo", 1.5), ("16100", "Saha", 1), ("16230", "Puutuote", 1),
    ("22220", "Muovi", 0.7), ("25110", "Teräsrakenne", 1.5), ("25620", "Konepaja", 2),
    ("26110", "Elektroniikka", 0.6), ("28300", "Kone", 0.7), ("30120", "Venetelakka", 0.3),
    ("31090", "Huonekalu", 0.8), ("33120", "Huolto", 1), ("35300", "Lämpö", 0.3),
    ("38320", "Kierrätys", 0.5), ("41200", "Rakennus", 4), ("43210", "Sähkö", 2.5),
    ("43220", "LVI", 2), ("45200", "Autokorjaamo", 2.5), ("46690", "Tukku", 1),
    ("47190", "Kauppa", 3), ("49410", "Kuljetus", 3), ("52100", "Logistiikka", 0.7),
    ("55100", "Hotelli", 0.6), ("55200", "Lomakylä", 0.8), ("56101", "Ravintola", 2),
    ("62010", "Ohjelmisto", 1), ("62020", "IT-palvelu", 1), ("68200", "Kiinteistö", 1.5),
    ("69200", "Tilitoimisto", 1.5), ("71120", "Insinööritoimisto", 1.2),
    ("73110", "Mainostoimisto", 0.7), ("79900", "Elämyspalvelut", 0.6),
    ("81210", "Siivous", 1.5), ("86230", "Hammasklinikka", 0.6), ("87300", "Hoivakoti", 0.6),
    ("93290", "Ohjelmapalvelut", 0.6), ("96020", "Parturi-kampaamo", 2),
]  # fmt: skip

SECTION_BY_DIVISION: list[tuple[int, str]] = [
    (1, "A"), (5, "B"), (10, "C"), (35, "D"), (36, "E"), (41, "F"), (45, "G"), (49, "H"),
    (55, "I"), (58, "J"), (64, "K"), (68, "L"), (69, "M"), (77, "N"), (84, "O"), (85, "P"),
    (86, "Q"), (90, "R"), (94, "S"), (97, "T"), (99, "U"),
]  # fmt: skip


def industry_section(code: str) -> str:
    """The TOL 2008 section letter of a five-digit industry code."""
    division = int(code[:2])
    starts = [start for start, _ in SECTION_BY_DIVISION]
    return SECTION_BY_DIVISION[bisect.bisect_right(starts, division) - 1][1]


PROFILE_SECTION_BOOST: dict[str, dict[str, float]] = {
    "industrial": {"C": 3.5, "F": 1.3, "H": 1.5},
    "tech_export": {"C": 2.5, "J": 3, "M": 2},
    "agri_food": {"A": 4, "C": 1.2},
    "tourism_rural": {"I": 4, "R": 4, "N": 1.5, "A": 1.5},
    "service_mixed": {"G": 1.5, "I": 1.5, "M": 1.3, "Q": 1.5},
    "city": {"J": 3, "M": 2.5, "G": 1.5, "Q": 1.5, "A": 0.1},
}

# A few companies whose names start with Finnish or Swedish letters, for accent-insensitive search.
FEATURED_COMPANIES: list[tuple[str, str, str, int]] = [
    ("Äänekoski", "Äänekosken Konepaja Oy", "25620", 38),
    ("Jämsä", "Ämmänkosken Saha Oy", "16100", 22),
    ("Pietarsaari", "Öhman Marine Oy Ab", "30120", 64),
    ("Närpiö", "Österby Grönsaker Ab", "01130", 17),
    ("Salo", "Åkerlund Electronics Oy", "26110", 85),
    ("Forssa", "Forssan Kierrätyskuitu Oy", "38320", 12),
]

# --- Projects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """How a project's participation behaves, given how well it fits its towns' needs."""

    reach: float  # chance a need in a target category leads to participation
    engage: float  # chance a company in its towns joins its general activities
    visits: float  # mean number of general activities an engaged company attends
    feedback: tuple[int, int, int, int, int]  # weights of scores 1..5
    need_met: tuple[int, int, int]  # weights of yes, partly, no
    co_developer: float  # share of participations where the company co-develops


FITS: dict[str, Fit] = {
    "well": Fit(0.55, 0.34, 5.0, (1, 3, 10, 42, 44), (60, 30, 10), 0.32),
    "mid": Fit(0.32, 0.22, 4.0, (4, 9, 30, 40, 17), (35, 35, 30), 0.16),
    "poor": Fit(0.08, 0.06, 1.8, (25, 38, 30, 6, 1), (6, 20, 74), 0.05),
}


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    kind: ProjectKind
    starts_on: dt.date
    ends_on: dt.date
    towns: tuple[str, ...]
    categories: tuple[str, ...]
    fit: str
    manager: str | None  # a demo username, or None for a generated project manager
    description: str


REGIONAL = ProjectKind.REGIONAL_NETWORK
THEMATIC = ProjectKind.THEMATIC_NETWORK

PROJECTS: list[ProjectSpec] = [
    ProjectSpec(
        "Osaava työvoima Länsi-Suomen seutukaupunkeihin 2019–2023",
        REGIONAL,
        dt.date(2019, 3, 1),
        dt.date(2023, 6, 30),
        ("Rauma", "Uusikaupunki", "Salo", "Forssa", "Riihimäki", "Kankaanpää", "Huittinen"),
        ("workforce", "training"),
        "well",
        "manager",
        "Seutukaupunkien verkostohanke osaavan työvoiman saatavuuteen: teollisuusyritysten "
        "rekrytointimessut, oppisopimusmallit ja täsmäkoulutukset yhdessä oppilaitosten ja "
        "työllisyyspalvelujen kanssa.",
    ),
    ProjectSpec(
        "Teollisuuden osaajat – Keski-Suomen ja Pirkanmaan seutukaupunkiverkosto",
        REGIONAL,
        dt.date(2019, 5, 1),
        dt.date(2023, 8, 31),
        ("Äänekoski", "Jämsä", "Keuruu", "Valkeakoski", "Mänttä-Vilppula", "Varkaus"),
        ("workforce", "training", "digitalisation"),
        "well",
        None,
        "Metsä- ja teknologiateollisuuden seutukaupunkien yhteinen osaamisverkosto: "
        "rekrytointi, henkilöstön täydennyskoulutus ja tuotannon digitalisaatio.",
    ),
    ProjectSpec(
        "Yrityspalvelut yhdessä – Itä-Suomen seutukaupunkien palvelumalli",
        REGIONAL,
        dt.date(2019, 9, 1),
        dt.date(2023, 6, 30),
        ("Pieksämäki", "Savonlinna", "Iisalmi", "Suonenjoki", "Imatra"),
        ("funding", "succession", "workforce"),
        "mid",
        None,
        "Työllisyys- ja yrityspalvelujen yhteinen palvelumalli: yhden luukun yritysneuvonta, "
        "rahoitusneuvonta ja omistajanvaihdosten tuki.",
    ),
    ProjectSpec(
        "Työllisyyspalvelujen seutuverkosto Etelä-Suomessa",
        REGIONAL,
        dt.date(2019, 9, 1),
        dt.date(2023, 12, 31),
        ("Loviisa", "Porvoo", "Lohja", "Raasepori", "Hamina", "Heinola"),
        ("workforce", "training"),
        "mid",
        None,
        "Kuntien työllisyyspalvelujen ja yritysten yhteistyö rekrytoinneissa ja osaamisen "
        "kehittämisessä Uudenmaan, Kymenlaakson ja Päijät-Hämeen seutukaupungeissa.",
    ),
    ProjectSpec(
        "Pohjanmaan seutukaupunkien yritysverkostot",
        REGIONAL,
        dt.date(2019, 6, 1),
        dt.date(2023, 5, 31),
        ("Kauhajoki", "Kurikka", "Lapua", "Alajärvi", "Närpiö", "Kristiinankaupunki", "Kannus"),
        ("networks", "marketing", "succession"),
        "mid",
        None,
        "Yritysverkostojen ja alihankintaketjujen vahvistaminen Etelä-, Keski- ja Pohjanmaan "
        "seutukaupungeissa; yhteismarkkinointi ja omistajanvaihdosten verkostotuki.",
    ),
    ProjectSpec(
        "Pohjoisen seutukaupunkien elinvoimamalli",
        REGIONAL,
        dt.date(2019, 10, 1),
        dt.date(2023, 9, 30),
        ("Raahe", "Ylivieska", "Nivala", "Haapajärvi", "Kemi", "Tornio"),
        ("premises", "permits", "networks"),
        "poor",
        None,
        "Toimintamallit yritysten sijoittumiseen, lupaprosessien sujuvoittamiseen ja "
        "kuntarajat ylittävään elinkeinoyhteistyöhön.",
    ),
    ProjectSpec(
        "Itärajan seutukaupunkien teknologia- ja vientiverkosto",
        REGIONAL,
        dt.date(2019, 4, 1),
        dt.date(2023, 3, 31),
        ("Lieksa", "Nurmes", "Kitee", "Kuhmo", "Suomussalmi", "Kuusamo", "Kemijärvi"),
        ("rdi", "internationalisation", "circular_economy"),
        "poor",
        "manager",
        "Teknologiayhteistyö, tutkimuskumppanuudet ja vientivalmiuksien kehittäminen "
        "itärajan seutukaupunkien yrityksille.",
    ),
    ProjectSpec(
        "Maaseutukaupunkien omistajanvaihdos- ja yrittäjyysverkosto",
        REGIONAL,
        dt.date(2020, 1, 1),
        dt.date(2023, 12, 31),
        ("Loimaa", "Somero", "Sastamala", "Kitee", "Suonenjoki", "Iisalmi", "Alajärvi"),
        ("succession", "funding", "permits"),
        "well",
        None,
        "Omistajanvaihdosten, rahoituksen ja lupa-asioiden neuvontaverkosto maatalous- ja "
        "elintarvikevaltaisille seutukaupungeille.",
    ),
    ProjectSpec(
        "Seutukaupunkien innovaatioekosysteemit",
        THEMATIC,
        dt.date(2020, 1, 1),
        dt.date(2023, 12, 31),
        (
            "Salo",
            "Rauma",
            "Raahe",
            "Äänekoski",
            "Pietarsaari",
            "Tornio",
            "Varkaus",
            "Riihimäki",
            "Ylivieska",
        ),
        ("rdi", "networks", "internationalisation", "digitalisation"),
        "mid",
        None,
        "Teemaverkosto yhdeksän seutukaupungin innovaatioekosysteemeille: kypsyystason "
        "arviointi, yritys-, kaupunki- ja oppilaitosvetoiset kehittämisalustat ja kumppanuudet.",
    ),
    ProjectSpec(
        "Kiertotalouden teemaverkosto",
        THEMATIC,
        dt.date(2020, 3, 1),
        dt.date(2023, 12, 31),
        ("Forssa", "Äänekoski", "Kemi", "Imatra", "Uusikaupunki", "Kemijärvi", "Lapua"),
        ("circular_economy", "permits"),
        "mid",
        None,
        "Teemaverkosto teollisten sivuvirtojen hyödyntämiseen, kiertotalouden "
        "liiketoimintamalleihin ja ympäristölupien sujuvoittamiseen.",
    ),
    ProjectSpec(
        "Osaajasilta – Forssan ja Salon seudun työvoimahanke 2024–2027",
        REGIONAL,
        dt.date(2024, 1, 1),
        dt.date(2027, 6, 30),
        ("Forssa", "Salo", "Riihimäki", "Uusikaupunki", "Rauma"),
        ("workforce", "training", "digitalisation"),
        "well",
        "manager",
        "Jatkohanke Länsi-Suomen osaajaverkostolle: kansainvälinen rekrytointi, "
        "oppisopimuspolut ja tuotannon digitaidot yritysten omien tarpeiden pohjalta.",
    ),
    ProjectSpec(
        "Kansainvälistyvä Etelä-Pohjanmaa 2024–2026",
        REGIONAL,
        dt.date(2024, 3, 1),
        dt.date(2026, 12, 31),
        ("Lapua", "Alajärvi", "Kurikka", "Närpiö", "Kauhajoki"),
        ("internationalisation", "rdi"),
        "poor",
        "manager",
        "Vientivalmennusta, kansainvälisiä messuja ja tuotekehitysyhteistyötä Etelä-Pohjanmaan "
        "ja Pohjanmaan seutukaupunkien yrityksille.",
    ),
    ProjectSpec(
        "Matkailun kasvupolku Itä- ja Pohjois-Suomessa 2024–2027",
        REGIONAL,
        dt.date(2024, 5, 1),
        dt.date(2027, 4, 30),
        ("Savonlinna", "Kuusamo", "Lieksa", "Nurmes", "Kemijärvi", "Kuhmo"),
        ("marketing", "digitalisation", "networks"),
        "well",
        None,
        "Matkailu- ja palveluyritysten tuotteistus, myynti- ja markkinointiyhteistyö sekä "
        "digitaaliset varauskanavat.",
    ),
    ProjectSpec(
        "Digiloikka Pohjois-Pohjanmaan seutukaupungeissa 2024–2027",
        REGIONAL,
        dt.date(2024, 9, 1),
        dt.date(2027, 8, 31),
        ("Raahe", "Ylivieska", "Nivala", "Haapajärvi"),
        ("digitalisation", "training", "workforce"),
        "well",
        None,
        "Teollisuuden pk-yritysten digitalisaatio, automaatio ja henkilöstön digiosaaminen.",
    ),
    ProjectSpec(
        "Vihreän siirtymän yritysverkosto 2025–2027",
        THEMATIC,
        dt.date(2025, 1, 1),
        dt.date(2027, 12, 31),
        ("Kemi", "Tornio", "Imatra", "Äänekoski"),
        ("circular_economy", "rdi", "permits"),
        "mid",
        None,
        "Vihreän siirtymän investointien, kiertotalouden ja lupaprosessien yritysverkosto "
        "teollisuuspaikkakunnille.",
    ),
]

WELL_MATCHED_PROJECTS = [p.name for p in PROJECTS if p.fit == "well"]
MISMATCHED_PROJECTS = [p.name for p in PROJECTS if p.fit == "poor"]
# The pair the tests and the README compare.
WELL_MATCHED_PROJECT = PROJECTS[0].name
MISMATCHED_PROJECT = PROJECTS[6].name

# --- Text ----------------------------------------------------------------------------------

CHANNEL_WEIGHTS: list[tuple[str, float]] = [
    (Channel.VISIT, 25), (Channel.PHONE, 25), (Channel.EMAIL, 22), (Channel.MEETING, 10),
    (Channel.ONLINE, 10), (Channel.EVENT, 6), (Channel.SURVEY, 2),
]  # fmt: skip

# How likely a contact by each channel reveals a need (before scaling).
CHANNEL_NEED_RATE: dict[str, float] = {
    Channel.VISIT: 0.45, Channel.MEETING: 0.40, Channel.ONLINE: 0.35, Channel.SURVEY: 0.35,
    Channel.PHONE: 0.25, Channel.EVENT: 0.20, Channel.EMAIL: 0.18,
}  # fmt: skip

CHANNEL_LABEL: dict[str, str] = {
    Channel.VISIT: "Yrityskäynti",
    Channel.MEETING: "Tapaaminen",
    Channel.PHONE: "Puhelu",
    Channel.EMAIL: "Sähköposti",
    Channel.EVENT: "Tapahtuma",
    Channel.ONLINE: "Etätapaaminen",
    Channel.SURVEY: "Kysely",
}

TOPICS: dict[str, list[str]] = {
    "workforce": [
        "Keskusteltiin rekrytointitilanteesta; yritys tarvitsee lisää tuotantotyöntekijöitä.",
        "Toimitusjohtajan mukaan osaavien hitsaajien saatavuus on pullonkaula.",
        "Käytiin läpi kesätyöntekijöiden ja harjoittelijoiden rekrytointi.",
        "Yritys harkitsee ulkomaisen työvoiman rekrytointia; kerrottu Talent Boost -palveluista.",
        "Sovittiin rekrytointitilaisuudesta yhdessä työllisyyspalvelujen kanssa.",
        "Esiteltiin palkkatuen ja oppisopimuksen mahdollisuudet.",
    ],
    "training": [
        "Keskusteltiin henkilöstön osaamisen kehittämisestä ja täsmäkoulutuksesta.",
        "Yritys on kiinnostunut oppisopimuskoulutuksesta kahdelle työntekijälle.",
        "Esihenkilötyön valmennustarve nousi esiin.",
        "Käytiin läpi RekryKoulutus- ja TäsmäKoulutus-mahdollisuudet.",
        "Yritys tarvitsee trukki- ja työturvallisuuskorttikoulutuksia.",
    ],
    "funding": [
        "Keskusteltiin investoinnin rahoituksesta ja ELY-keskuksen kehittämisavustuksesta.",
        "Yrityksellä kassavaikeuksia; käytiin läpi Finnveran takausvaihtoehdot.",
        "Laajennusinvestointi suunnitteilla, rahoituspaketti vielä auki.",
        "Neuvottiin kehittämishankkeen rahoitushakemuksen tekemisessä.",
    ],
    "internationalisation": [
        "Yritys suunnittelee vientiä Ruotsiin ja Norjaan; keskusteltiin vientivalmiuksista.",
        "Kerrottiin Business Finlandin kansainvälistymispalveluista ja messutuesta.",
        "Saksan markkinat kiinnostavat; tarvitaan jakelukumppani.",
        "Käytiin läpi vientikaupan maksu- ja toimitusehdot.",
    ],
    "rdi": [
        "Yrityksellä on uusi tuoteidea, jonka testaamiseen tarvitaan kumppani.",
        "Keskusteltiin tuotekehitysprojektista ja yhteistyöstä ammattikorkeakoulun kanssa.",
        "Esiteltiin innovaatioseteli ja tutkimusyhteistyön mahdollisuudet.",
        "Prototyypin testausympäristö puuttuu; kartoitettiin vaihtoehtoja.",
    ],
    "premises": [
        "Yritys tarvitsee suuremmat tuotantotilat kahden vuoden sisällä.",
        "Keskusteltiin tonttivaihtoehdoista teollisuusalueella.",
        "Nykyiset toimitilat ovat käyneet ahtaiksi; etsitään vuokratiloja keskustasta.",
        "Käytiin läpi kaupungin vapaat yritystontit ja kaavoitustilanne.",
    ],
    "networks": [
        "Yritys etsii alihankintakumppaneita ja yhteistyöverkostoa.",
        "Kutsuttiin mukaan alueen yritysverkoston tapaamiseen.",
        "Keskusteltiin yhteistarjouksista muiden paikallisten yritysten kanssa.",
        "Yritys toivoo yhteyttä alueen oppilaitoksiin ja suuryrityksiin.",
    ],
    "digitalisation": [
        "Toiminnanohjausjärjestelmän uusiminen on ajankohtaista.",
        "Verkkokaupan avaaminen suunnitteilla; tarvitaan osaamista ja kumppani.",
        "Keskusteltiin tuotannon automaatiosta ja datan hyödyntämisestä.",
        "Kyberturvallisuus huolettaa; käytiin läpi perusasiat.",
    ],
    "circular_economy": [
        "Yritys haluaa hyödyntää sivuvirtansa; keskusteltiin kiertotalouskumppaneista.",
        "Hiilijalanjäljen laskenta on ajankohtaista asiakkaiden vaatimuksesta.",
        "Energiatehokkuusinvestointi ja aurinkopaneelit suunnitteilla.",
        "Pakkausmateriaalien vaihtaminen kierrätettäviin on työn alla.",
    ],
    "succession": [
        "Yrittäjä jäämässä eläkkeelle 2–3 vuoden sisällä; jatkaja puuttuu.",
        "Keskusteltiin omistajanvaihdoksen vaiheista ja yrityksen arvonmäärityksestä.",
        "Sukupolvenvaihdos suunnitteilla; tarvitaan neuvontaa verotuksesta.",
        "Yritys on myynnissä; kerrottiin omistajanvaihdospalveluista.",
    ],
    "marketing": [
        "Keskusteltiin uusien asiakasryhmien tavoittamisesta ja hinnoittelusta.",
        "Yritys tarvitsee apua verkkonäkyvyyteen ja sosiaaliseen mediaan.",
        "Myynnin kehittäminen ja myyntiosaaminen nousivat esiin.",
        "Matkailusesongin markkinointi ja kansainväliset varauskanavat työn alla.",
    ],
    "permits": [
        "Ympäristöluvan päivitys viivästyy; sovittiin yhteydenotosta viranomaiseen.",
        "Laajennuksen rakennuslupa on vireillä; selvitettiin aikataulua.",
        "Keskusteltiin elintarvikehuoneiston ilmoitusmenettelystä.",
        "Ulkomaisen työntekijän oleskelulupaprosessi on pitkä; neuvottiin hakemuksessa.",
    ],
    "other": [
        "Yleinen kuulumiskäynti; ei akuutteja kehittämistarpeita.",
        "Päivitettiin yrityksen yhteystiedot ja toimialatiedot.",
        "Keskusteltiin yleisesti alueen elinvoimasta ja yrityksen näkymistä.",
    ],
}

TOPIC_ENDINGS = [
    "",
    "",
    "",
    " Palataan asiaan kuukauden kuluttua.",
    " Yhteyshenkilö toivoo jatkossa yhteydenottoa sähköpostitse.",
    " Tilauskanta on hyvä, näkymät vakaat.",
    " Liikevaihto kasvanut edellisvuodesta.",
    " Yritys on tyytyväinen aiempaan yhteistyöhön.",
    " Lähetetty yhteenveto ja linkit palveluihin.",
]

NEED_TEXTS: dict[str, list[str]] = {
    "workforce": [
        "Yritys hakee kahta CNC-koneistajaa syksyksi; rekrytointi vaikeaa.",
        "Tarvitaan kolme hitsaajaa tilauskannan kasvun vuoksi.",
        "Kesäkauden työvoima puuttuu; tarvitaan 5–6 kausityöntekijää.",
        "Sähköasentajan rekrytointi ei ole tuottanut hakijoita puoleen vuoteen.",
        "Yritys tarvitsee myyntipäällikön; sopivia hakijoita ei löydy paikkakunnalta.",
        "Kaksi ammattitaitoista rekkakuskia tarvitaan heti.",
        "Hoitoalan työntekijöistä jatkuva pula.",
        "Ulkomaisen työvoiman rekrytointiin tarvitaan tukea.",
    ],
    "training": [
        "Henkilöstö tarvitsee lisäkoulutusta uuden tuotantolinjan käyttöön.",
        "Oppisopimuskoulutus kahdelle uudelle työntekijälle.",
        "Esihenkilöiden johtamisvalmennus tarpeen.",
        "Työturvallisuus- ja tulityökorttikoulutukset koko henkilöstölle.",
        "Täsmäkoulutus robottihitsaukseen.",
        "Asiakaspalvelu- ja kielikoulutusta matkailusesonkia varten.",
    ],
    "funding": [
        "Rahoitus 300 000 euron laiteinvestointiin puuttuu.",
        "Käyttöpääomalaina kassavajeen tasaamiseen.",
        "Kehittämisavustus tuotekehitysprojektiin.",
        "Investointituki uuden tuotantohallin rakentamiseen.",
        "Takaus pankkilainalle omistajanvaihdoksen rahoittamiseksi.",
    ],
    "internationalisation": [
        "Vientikumppani Ruotsin markkinoille.",
        "Tuki Saksan messuille osallistumiseen.",
        "Vientiosaamisen kehittäminen ja vientisopimukset.",
        "Jakelukanava Baltian maihin.",
        "Kansainvälisten asiakkaiden tavoittaminen verkossa.",
    ],
    "rdi": [
        "Uuden tuotteen prototyypin testaus ja tuotteistaminen.",
        "Tutkimuskumppani materiaalikehitykseen.",
        "Innovaatioseteli palvelukonseptin kehittämiseen.",
        "Tuotekehitysprojekti yhdessä ammattikorkeakoulun kanssa.",
    ],
    "premises": [
        "Suuremmat tuotantotilat (noin 1 500 m²) kahden vuoden sisällä.",
        "Teollisuustontti laajennusta varten.",
        "Vuokratila myymälälle keskustasta.",
        "Lisää varastotilaa ennen talvikautta.",
    ],
    "networks": [
        "Alihankintakumppanit metallituotteille.",
        "Yhteistyökumppani yhteistarjouksiin julkisissa hankinnoissa.",
        "Pääsy alueen yritysverkostoon ja vertaistukeen.",
        "Yhteys alueen suuriin teollisuusyrityksiin toimittajaksi.",
    ],
    "digitalisation": [
        "Toiminnanohjausjärjestelmän (ERP) hankinta ja käyttöönotto.",
        "Verkkokaupan perustaminen.",
        "Tuotannon automaation ja datan hyödyntämisen kehittäminen.",
        "Sähköisen ajanvarauksen ja laskutuksen käyttöönotto.",
        "Kyberturvallisuuden perustason kartoitus.",
    ],
    "circular_economy": [
        "Sivuvirtojen hyödyntäminen ja kumppani puujätteelle.",
        "Hiilijalanjäljen laskenta asiakkaan vaatimuksesta.",
        "Energiatehokkuuskartoitus ja aurinkosähköinvestointi.",
        "Kierrätettävät pakkausmateriaalit.",
    ],
    "succession": [
        "Yrittäjä jää eläkkeelle; jatkaja puuttuu.",
        "Sukupolvenvaihdoksen suunnittelu ja arvonmääritys.",
        "Ostajan löytäminen yritykselle kolmen vuoden sisällä.",
        "Henkilöstön omistajuuden selvittäminen jatkajaratkaisuna.",
    ],
    "marketing": [
        "Verkkonäkyvyyden ja sosiaalisen median markkinoinnin kehittäminen.",
        "Uusien asiakasryhmien tavoittaminen ja hinnoittelu.",
        "Myyntiosaamisen vahvistaminen.",
        "Matkailupalvelujen tuotteistus ja varauskanavat.",
        "Brändin ja verkkosivujen uudistus.",
    ],
    "permits": [
        "Ympäristöluvan muutos laajennuksen vuoksi.",
        "Rakennusluvan käsittely viivästyy.",
        "Elintarvikehuoneiston ilmoitus ja valvonta.",
        "Oleskelulupien käsittelyajat ulkomaisille työntekijöille.",
        "Maa-aineslupa soranottoon.",
    ],
    "other": [
        "Yleistä neuvontaa yrityksen kehittämiseen.",
        "Tietoa julkisista hankinnoista ja tarjouskilpailuista.",
        "Apua sopimusasioissa.",
    ],
}

RED_REASONS = [
    " Uhkana lomautukset, ellei ratkaisua löydy pian.",
    " Yritys harkitsee toiminnan siirtämistä toiselle paikkakunnalle.",
    " Ilman ratkaisua toiminta voi loppua vuoden sisällä.",
    " Suurin asiakas irtisanoi sopimuksen; tilanne kriittinen.",
]

FOLLOW_UP_TEXTS: dict[str, str] = {
    "workforce": "Välitä rekrytointitarve työllisyyspalveluille ja kysy tilanne.",
    "training": "Lähetä tiedot täsmäkoulutuksesta ja oppisopimuksesta.",
    "funding": "Kokoa rahoitusvaihtoehdot ja lähetä yritykselle.",
    "internationalisation": "Järjestä tapaaminen Business Finlandin asiantuntijan kanssa.",
    "rdi": "Esittele yritys ammattikorkeakoulun TKI-yhteyshenkilölle.",
    "premises": "Lähetä lista vapaista toimitiloista ja tonteista.",
    "networks": "Kutsu yritys seuraavaan verkostotapaamiseen.",
    "digitalisation": "Lähetä tietoa digitalisaation kehittämisavustuksista.",
    "circular_economy": "Yhdistä yritys kiertotalousverkoston kumppaniin.",
    "succession": "Sovi omistajanvaihdosneuvonta Uusyrityskeskukseen.",
    "marketing": "Lähetä tietoa myynti- ja markkinointivalmennuksesta.",
    "permits": "Selvitä luvan käsittelyaika viranomaiselta.",
    "other": "Tarkista yrityksen tiedot ja sovi seuraava yhteydenotto.",
}

GENERAL_FOLLOW_UPS = [
    "Soita ja kysy kuulumiset.",
    "Sovi uusi yrityskäynti.",
    "Lähetä yhteenveto keskustelusta.",
    "Tarkista, onko asia edennyt.",
]

REFERRAL_COMPLETED = [
    "Yritys sai rahoituspäätöksen.",
    "Rekrytointi onnistui yhteistyössä.",
    "Koulutus toteutui suunnitellusti.",
    "Yritys sai tarvitsemansa asiantuntija-avun.",
    "Asiakkuus alkoi ja palvelu toteutui.",
]
REFERRAL_DECLINED = [
    "Yritys ei täyttänyt rahoituksen ehtoja.",
    "Yritys päätti olla jatkamatta.",
    "Palvelu ei sopinut yrityksen tarpeeseen.",
]

RESOLUTION_NOTES: dict[str, list[str]] = {
    "project": ["Tarve ratkesi hankkeen toiminnan kautta.", "Hankkeen valmennus auttoi."],
    "partner": ["Kumppanin palvelu ratkaisi tarpeen.", "Ohjaus kumppanille tuotti tuloksen."],
    "self": ["Yritys ratkaisi asian itse.", "Tilanne ratkesi yrityksen omin toimin."],
    NeedStatus.NOT_MET: ["Sopivaa palvelua ei löytynyt.", "Ratkaisua ei löytynyt ajoissa."],
    NeedStatus.WITHDRAWN: ["Yritys luopui suunnitelmasta.", "Tarve poistui muutosten myötä."],
}

ACTIVITIES: dict[str, list[tuple[str, str]]] = {
    "workforce": [
        (ActivityType.EVENT, "Rekrytointimessut"),
        (ActivityType.WORKSHOP, "Työnantajakuvatyöpaja"),
        (ActivityType.NETWORK_MEETING, "Työnantajaverkoston tapaaminen"),
        (ActivityType.PILOT, "Kansainvälisen rekrytoinnin pilotti"),
    ],
    "training": [
        (ActivityType.TRAINING, "Täsmäkoulutus"),
        (ActivityType.TRAINING, "Esihenkilövalmennus"),
        (ActivityType.WORKSHOP, "Osaamiskartoitustyöpaja"),
    ],
    "funding": [
        (ActivityType.EVENT, "Rahoitusinfo"),
        (ActivityType.WORKSHOP, "Rahoitushakemusklinikka"),
    ],
    "internationalisation": [
        (ActivityType.TRAINING, "Vientivalmennus"),
        (ActivityType.EVENT, "Vientiaamu"),
        (ActivityType.PILOT, "Yhteisvientipilotti"),
    ],
    "rdi": [
        (ActivityType.WORKSHOP, "Tuotekehitystyöpaja"),
        (ActivityType.PILOT, "Innovaatiopilotti"),
    ],
    "premises": [
        (ActivityType.EVENT, "Toimitila- ja tonttiesittely"),
        (ActivityType.WORKSHOP, "Sijoittumistyöpaja"),
    ],
    "networks": [
        (ActivityType.NETWORK_MEETING, "Yritysverkoston tapaaminen"),
        (ActivityType.EVENT, "Yritysilta"),
        (ActivityType.NETWORK_MEETING, "Alihankintaverkoston tapaaminen"),
    ],
    "digitalisation": [
        (ActivityType.TRAINING, "Digivalmennus"),
        (ActivityType.WORKSHOP, "Digiklinikka"),
        (ActivityType.PILOT, "Tekoälypilotti"),
    ],
    "circular_economy": [
        (ActivityType.WORKSHOP, "Sivuvirtatyöpaja"),
        (ActivityType.TRAINING, "Hiilijalanjälkivalmennus"),
        (ActivityType.PILOT, "Kiertotalouspilotti"),
    ],
    "succession": [
        (ActivityType.EVENT, "Omistajanvaihdosilta"),
        (ActivityType.TRAINING, "Jatkajavalmennus"),
    ],
    "marketing": [
        (ActivityType.TRAINING, "Myyntivalmennus"),
        (ActivityType.WORKSHOP, "Somemarkkinoinnin työpaja"),
        (ActivityType.EVENT, "Markkinointipäivä"),
    ],
    "permits": [
        (ActivityType.EVENT, "Lupainfo"),
        (ActivityType.WORKSHOP, "Luvituksen sujuvoittamistyöpaja"),
    ],
    "other": [(ActivityType.EVENT, "Hankkeen avoin tilaisuus")],
}
CO_DEVELOPMENT = [
    (ActivityType.CO_DEVELOPMENT, "Yhteiskehittämisryhmä"),
    (ActivityType.CO_DEVELOPMENT, "Palvelumuotoilun sprintti"),
    (ActivityType.PILOT, "Yrityslähtöinen pilotti"),
]

TITLES_FIRST = ["toimitusjohtaja", "toimitusjohtaja", "toimitusjohtaja", "yrittäjä", "omistaja"]
TITLES_OTHER = [
    "HR-päällikkö",
    "talouspäällikkö",
    "tuotantopäällikkö",
    "myyntijohtaja",
    "markkinointipäällikkö",
    "kehityspäällikkö",
    "henkilöstöasiantuntija",
    "hallituksen puheenjohtaja",
    "laatupäällikkö",
    "tehdaspäällikkö",
]

NAME_STEMS = [
    "Kaamos", "Revontuli", "Kide", "Routa", "Honka", "Kuusi", "Tähti", "Aalto", "Karhu",
    "Kallio", "Koski", "Virta", "Kaski", "Lumo", "Saga", "Vire", "Tammi", "Ilves", "Haukka",
    "Kelo", "Paasi", "Louhi", "Tapio", "Ahjo", "Kipinä", "Tuike", "Nova", "Arktis", "Taiga",
    "Meri", "Helmi", "Salama", "Aura", "Vaskia", "Hiidenkivi", "Kuura", "Utu",
]  # fmt: skip

MOBILE_PREFIXES = ["040", "041", "044", "045", "046", "050"]

# --- Helpers -------------------------------------------------------------------------------


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


def _pick(cumulative: list[float], u: float) -> int:
    """Index drawn from cumulative weights with a uniform number u in [0, 1)."""
    return bisect.bisect_right(cumulative, u * cumulative[-1])


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    """Lower-case ASCII for usernames, emails and web addresses: 'Mäkinen' -> 'makinen'."""
    return _NOT_SLUG.sub("-", search_key(text)).strip("-")


@dataclass
class SeedReport:
    """What a seed made: row counts per table and the seconds it took."""

    scale: str
    seed: int
    anchor: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


def database_is_empty(engine: Engine) -> bool:
    """True when the database has no regions yet (or no tables at all)."""
    with engine.connect() as conn:
        return _is_empty(conn)


def _is_empty(conn: Connection) -> bool:
    if not inspect(conn).has_table(Region.__tablename__):
        return True
    return conn.execute(select(Region.id).limit(1)).first() is None


# --- Innovation ecosystems -----------------------------------------------------------------

# The towns of the ecosystem network (surveyed in 2022) and Forssa: who drives the ecosystem,
# and its maturity (0 starting, 1 developing, 2 established) each year from 2022 on.
MATURITY_PATHS: dict[str, tuple[str, tuple[int, ...]]] = {
    "Salo": ("company", (0, 1, 1, 2, 2)),
    "Rauma": ("company", (1, 1, 2, 2, 2)),
    "Raahe": ("company", (0, 0, 1, 1, 1)),
    "Äänekoski": ("company", (1, 1, 1, 2, 2)),
    "Pietarsaari": ("company", (1, 2, 2, 2, 2)),
    "Tornio": ("city", (0, 1, 1, 1, 1)),
    "Varkaus": ("city", (0, 0, 0, 1, 1)),
    "Riihimäki": ("education", (0, 0, 1, 1, 1)),
    "Ylivieska": ("education", (0, 1, 1, 1, 2)),
    "Forssa": ("city", (0, 0, 0, 1, 1)),
}

MATURITY_TEXT: dict[Maturity, str] = {
    Maturity.STARTING: "Verkostotoiminta on käynnistymässä; yhteistyö nojaa muutamaan "
    "yritykseen ja kaupungin elinvoimapalveluihin.",
    Maturity.DEVELOPING: "Verkosto on kehitysvaiheessa: yhteisiä kehittämisalustoja syntyy, "
    "mutta pysyvät rakenteet puuttuvat vielä.",
    Maturity.ESTABLISHED: "Vakiintunut ekosysteemi, jossa on pysyviä kumppanuuksia "
    "oppilaitosten ja yritysten kanssa myös yli kuntarajojen.",
}

DRIVER_TEXT: dict[EcosystemDriver, str] = {
    EcosystemDriver.CITY: "Toimintaa vetävät kaupunki ja sen kehitysyhtiö.",
    EcosystemDriver.COMPANY: "Veturiyritykset vetävät kehittämistä.",
    EcosystemDriver.EDUCATION: "Oppilaitosten kampukset ovat toiminnan keskiössä.",
}

PARTNERSHIPS_PER_LEVEL = {"starting": 3, "developing": 6, "established": 10}
# In the order of PartnershipKind: education, R&D, network membership, funding, service.
PARTNERSHIP_WEIGHTS = [25, 25, 25, 15, 10]

# --- The generator -------------------------------------------------------------------------


class _TownInfo:
    __slots__ = (
        "advisors",
        "cat_cum",
        "domain",
        "genitive",
        "id",
        "ind_cum",
        "name",
        "partners_by_cat",
        "projects",
        "region",
        "region_advisors",
    )

    def __init__(self, town_id: int, name: str, region: str) -> None:
        self.id = town_id
        self.name = name
        self.region = region
        self.genitive = reference.TOWN_GENITIVE[name]
        self.domain = f"{_ascii(name)}.fi"
        self.cat_cum: list[float] = []
        self.ind_cum: list[float] = []
        self.advisors: list[int] = []
        self.region_advisors: list[int] = []
        self.projects: list[_ProjectInfo] = []
        self.partners_by_cat: list[list[int]] = []


class _ProjectInfo:
    __slots__ = ("activities", "cats", "end", "feedback_cum", "fit", "id", "met_cum", "start")

    def __init__(self, project_id: int, spec: ProjectSpec, cats: list[int], start: int, end: int):
        self.id = project_id
        self.fit = FITS[spec.fit]
        self.cats = frozenset(cats)
        self.start = start
        self.end = end
        self.feedback_cum = _cumulative(self.fit.feedback)
        self.met_cum = _cumulative(self.fit.need_met)
        self.activities = [a for code in spec.categories for a in ACTIVITIES[code]]


class _NeedInfo:
    __slots__ = (
        "advisor",
        "cat",
        "day",
        "fixed",
        "id",
        "interaction",
        "met_day",
        "met_project",
        "met_rank",
        "partner",
        "resolved",
        "severity",
        "status",
    )

    def __init__(
        self, need_id: int, interaction: int, cat: int, day: int, severity: str, advisor: int
    ):
        self.id = need_id
        self.interaction = interaction
        self.cat = cat
        self.day = day
        self.severity = severity
        self.advisor = advisor
        self.fixed = False
        self.met_rank = -1  # best participation outcome: 2 yes, 1 partly, 0 no
        self.met_project: int | None = None
        self.met_day = 0
        self.status = NeedStatus.OPEN.value
        self.resolved: int | None = None
        self.partner: int | None = None


_MET_VALUES = [NeedMet.YES.value, NeedMet.PARTLY.value, NeedMet.NO.value]
_MET_RANK = [2, 1, 0]

TABLE_ORDER: list[Table] = [
    Region.__table__,
    Town.__table__,
    NeedCategory.__table__,
    Partner.__table__,
    partner_need_categories,
    User.__table__,
    user_towns,
    Project.__table__,
    project_towns,
    project_need_categories,
    Company.__table__,
    ContactPerson.__table__,
    Partnership.__table__,
    partnership_towns,
    MaturityAssessment.__table__,
    Interaction.__table__,
    Need.__table__,
    Participation.__table__,
    FollowUp.__table__,
    Referral.__table__,
]  # type: ignore[list-item]


class _Seeder:
    def __init__(self, scale: Scale, seed: int, today: dt.date, progress: Progress | None) -> None:
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = Faker("fi_FI")
        self.fake.seed_instance(seed)
        self.progress = progress or (lambda _label, _fraction: None)
        self.today = today
        self.today_idx = (today - FIRST_DAY).days
        if self.today_idx < 365 * 5:
            raise ValueError("the seed's anchor date must be in 2024 or later")
        horizon = self.today_idx + FUTURE_DAYS
        self.dates = [FIRST_DAY + dt.timedelta(days=i) for i in range(horizon + 1)]
        self.stamps = [
            dt.datetime.combine(d, dt.time(8 + i % 9, (i * 7) % 60), tzinfo=dt.UTC)
            for i, d in enumerate(self.dates)
        ]
        self.counts: dict[str, int] = {t.name: 0 for t in TABLE_ORDER}
        self.conn: Connection | None = None

    # -- plumbing --

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        assert self.conn is not None
        for start in range(0, len(rows), INSERT_BATCH):
            self.conn.execute(table.insert(), rows[start : start + INSERT_BATCH])
        self.counts[table.name] += len(rows)

    def day(self, when: dt.date) -> int:
        return (when - FIRST_DAY).days

    # -- the whole run --

    def run(self, conn: Connection) -> None:
        self.conn = conn
        self.progress("Viitetiedot", 0.0)
        self.make_pools()
        self.reference_data()
        self.progress("Käyttäjät", 0.02)
        self.users()
        self.progress("Hankkeet", 0.05)
        self.company_towns()
        self.projects()
        n = self.scale.companies
        chunk = self.scale.chunk
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            label = f"Yritykset {start + 1:,}–{stop:,} / {n:,}".replace(",", " ")
            self.progress(label, 0.06 + 0.94 * start / n)
            self.companies(start, stop)
        self.progress("Innovaatioekosysteemit", 0.99)
        self.ecosystem()
        self.progress("Valmis", 1.0)

    def make_pools(self) -> None:
        fake = self.fake
        self.first_names = [fake.first_name() for _ in range(2000)]
        self.last_names = [fake.last_name() for _ in range(2000)]
        self.ascii_names = {n: _ascii(n) for n in [*self.first_names, *self.last_names]}
        self.industries = [(code, industry_section(code), trade) for code, trade, _ in INDUSTRIES]
        self.industry_index = {code: i for i, (code, _, _) in enumerate(self.industries)}
        self.channel_cum = _cumulative([w for _, w in CHANNEL_WEIGHTS])
        self.channels = [c.value for c, _ in CHANNEL_WEIGHTS]
        base_rate = sum(CHANNEL_NEED_RATE[c] * w for c, w in CHANNEL_WEIGHTS) / sum(
            w for _, w in CHANNEL_WEIGHTS
        )
        factor = self.scale.needs_per_company / (self.scale.interactions_per_company * base_rate)
        self.need_rate = {c.value: CHANNEL_NEED_RATE[c] * factor for c, _ in CHANNEL_WEIGHTS}

    def reference_data(self) -> None:
        regions = reference.REGIONS
        self.region_id = {code: i + 1 for i, (code, _, _) in enumerate(regions)}
        self.insert(
            Region.__table__,
            [
                {"id": i + 1, "code": code, "name_fi": fi, "name_en": en}
                for i, (code, fi, en) in enumerate(regions)
            ],
        )
        self.towns: list[_TownInfo] = []
        self.town_by_name: dict[str, _TownInfo] = {}
        rows = []
        for i, (name, code, regional) in enumerate(reference.TOWNS):
            info = _TownInfo(i + 1, name, code)
            self.towns.append(info)
            self.town_by_name[name] = info
            rows.append(
                {
                    "id": i + 1,
                    "name": name,
                    "region_id": self.region_id[code],
                    "is_regional_town": regional,
                }
            )
        self.insert(Town.__table__, rows)
        self.regional = {name for name, _, regional in reference.TOWNS if regional}

        self.cat_id = {code: i + 1 for i, code in enumerate(CATEGORY_CODES)}
        self.insert(
            NeedCategory.__table__,
            [
                {
                    "id": i + 1,
                    "code": code,
                    "name_fi": fi,
                    "name_en": en,
                    "sort_order": order,
                    "is_active": True,
                }
                for i, (code, fi, en, order) in enumerate(reference.NEED_CATEGORIES)
            ],
        )
        # Need profiles and industry mixes per town, with a little local variation.
        rng = self.rng
        for info in self.towns:
            profile = TOWN_PROFILE.get(info.name, "city")
            weights = dict(PROFILE_WEIGHTS[profile])
            for code, extra in TOWN_TWEAKS.get(info.name, {}).items():
                weights[code] += extra
            info.cat_cum = _cumulative(
                [weights[code] * rng.uniform(0.8, 1.25) for code in CATEGORY_CODES]
            )
            boost = PROFILE_SECTION_BOOST[profile]
            info.ind_cum = _cumulative(
                [w * boost.get(industry_section(code), 1.0) for code, _, w in INDUSTRIES]
            )

        partner_rows, link_rows = [], []
        serving: list[tuple[int, str | None, str | None, list[int]]] = []
        for i, (name, kind, region, town, serves) in enumerate(reference.PARTNERS):
            pid = i + 1
            town_id = self.town_by_name[town].id if town else None
            partner_rows.append(
                {
                    "id": pid,
                    "name": name,
                    "kind": kind.value,
                    "region_id": self.region_id[region] if region else None,
                    "town_id": town_id,
                    "is_active": True,
                }
            )
            cats = [self.cat_id[c] for c in serves]
            link_rows += [{"partner_id": pid, "category_id": c} for c in cats]
            serving.append((pid, region, town, cats))
        self.insert(Partner.__table__, partner_rows)
        self.insert(partner_need_categories, link_rows)
        for info in self.towns:
            info.partners_by_cat = [[] for _ in range(len(CATEGORY_CODES) + 1)]
            for pid, region, town, cats in serving:
                covers = town == info.name or (
                    town is None and (region is None or region == info.region)
                )
                if covers:
                    for c in cats:
                        info.partners_by_cat[c].append(pid)

    # -- innovation ecosystems --

    def ecosystem(self) -> None:
        """Ecosystem actors, maturity assessments and partnerships. A random stream of its own,
        so the register data above stays the same as before this step existed."""
        rng = random.Random(self.seed + 9)
        actor_ids = self.ecosystem_actors()
        levels = self.maturity_assessments(rng)
        self.partnerships(rng, actor_ids, levels)

    def ecosystem_actors(self) -> dict[str, int]:
        rows, links = [], []
        next_id = len(reference.PARTNERS) + 1
        ids: dict[str, int] = {}
        for name, kind, region, town, serves in reference.ECOSYSTEM_ACTORS:
            ids[name] = next_id
            rows.append(
                {
                    "id": next_id,
                    "name": name,
                    "kind": kind.value,
                    "region_id": self.region_id[region] if region else None,
                    "town_id": self.town_by_name[town].id if town else None,
                    "is_active": True,
                }
            )
            links += [{"partner_id": next_id, "category_id": self.cat_id[c]} for c in serves]
            next_id += 1
        self.insert(Partner.__table__, rows)
        self.insert(partner_need_categories, links)
        return ids

    def maturity_assessments(self, rng: random.Random) -> dict[int, str]:
        """Yearly assessments since the 2022 survey for the towns of the ecosystem network and
        Forssa, one recent assessment for some other towns. Returns each town's latest level."""
        rows = []
        latest: dict[int, str] = {}
        last_year = self.today.year
        levels = list(Maturity)
        for name, (driver, path) in MATURITY_PATHS.items():
            town = self.town_by_name[name]
            for offset, level in enumerate(path):
                year = 2022 + offset
                if year > last_year:
                    break
                rows.append(self.assessment(rng, town, year, levels[level], driver))
                latest[town.id] = levels[level].value
        for town in self.towns:
            if town.name in MATURITY_PATHS or town.name not in self.regional:
                continue
            if rng.random() < 0.4:
                level = rng.choice([Maturity.STARTING, Maturity.STARTING, Maturity.DEVELOPING])
                driver = rng.choice(list(EcosystemDriver))
                rows.append(self.assessment(rng, town, last_year - 1, level, driver))
                latest[town.id] = level.value
        for i, row in enumerate(rows):
            row["id"] = i + 1
        self.insert(MaturityAssessment.__table__, rows)
        return latest

    def assessment(
        self, rng: random.Random, town: _TownInfo, year: int, level: Maturity, driver: str
    ) -> dict[str, Any]:
        day = min(self.day(dt.date(year, 11, 15)), self.today_idx)
        return {
            "town_id": town.id,
            "year": year,
            "maturity": level.value,
            "driver": EcosystemDriver(driver).value,
            "rationale": f"{MATURITY_TEXT[level]} {DRIVER_TEXT[EcosystemDriver(driver)]}",
            "assessed_by_id": rng.choice(town.advisors),
            "created_at": self.stamps[day],
            "updated_at": None,
        }

    def partnerships(
        self, rng: random.Random, actor_ids: dict[str, int], levels: dict[int, str]
    ) -> None:
        assert self.conn is not None
        partners = self.conn.execute(
            select(Partner.id, Partner.kind, Partner.region_id, Partner.town_id)
        ).all()
        by_kind: dict[tuple[str, int | None], list[int]] = {}
        national: dict[str, list[int]] = {}
        for pid, kind, region_id, town_id in partners:
            if region_id is None:
                national.setdefault(kind, []).append(pid)
            elif town_id is None:
                by_kind.setdefault((kind, region_id), []).append(pid)
        # The companies most active in projects, per town: the likeliest partners.
        active = self.conn.execute(
            select(Company.town_id, Participation.company_id, func.count())
            .join(Company, Company.id == Participation.company_id)
            .group_by(Company.town_id, Participation.company_id)
        ).all()
        counted: dict[int, list[tuple[int, int]]] = {}
        for town_id, company_id, count in active:
            counted.setdefault(town_id, []).append((count, company_id))
        top = {town_id: [c for _, c in sorted(pairs, reverse=True)[:30]]
               for town_id, pairs in counted.items()}  # fmt: skip
        development = [pid for (k, _), pids in by_kind.items() if k == "development_company"
                       for pid in pids]  # fmt: skip
        local_development: dict[int, list[int]] = {}
        for pid, kind, _, town_id in partners:
            if kind == "development_company" and town_id is not None:
                local_development.setdefault(town_id, []).append(pid)

        def regional(region_id: int, *kinds: str) -> list[int]:
            return [pid for k in kinds for pid in by_kind.get((k, region_id), [])]

        # More companies, more partnerships: about sevenfold at the national scale.
        per_scale = max(1, round((self.scale.companies / SCALES["demo"].companies) ** 0.5))
        regional_towns = [t for t in self.towns if t.name in self.regional]
        rows, town_rows = [], []

        def add(kind: PartnershipKind, first: tuple[str, int], second: tuple[str, int],
                towns: set[int], creator: int,
                within: _ProjectInfo | None = None) -> None:  # fmt: skip
            if within is not None:  # a project's partner joins while it runs, until its end
                latest = max(within.start, min(within.end, self.today_idx) - 30)
                start = rng.randrange(within.start, latest + 1)
                end: int | None = within.end
            else:
                start = rng.randrange(0, self.today_idx - 30)
                end = start + rng.randrange(365, 1100) if rng.random() < 0.35 else None
            if end is not None:
                end = min(end, len(self.dates) - 1)
            pid = len(rows) + 1
            rows.append(
                {
                    "id": pid,
                    "kind": kind.value,
                    "first_partner_id": first[1] if first[0] == "actor" else None,
                    "first_company_id": first[1] if first[0] == "company" else None,
                    "second_partner_id": second[1] if second[0] == "actor" else None,
                    "second_company_id": second[1] if second[0] == "company" else None,
                    "project_id": second[1] if second[0] == "project" else None,
                    "starts_on": self.dates[start],
                    "ends_on": self.dates[end] if end is not None else None,
                    "description": None,
                    "created_by_id": creator,
                    "created_at": self.stamps[start],
                }
            )
            town_rows.extend({"partnership_id": pid, "town_id": t} for t in sorted(towns))

        for town in regional_towns:
            level = levels.get(town.id, Maturity.STARTING.value)
            count = (PARTNERSHIPS_PER_LEVEL[level] + rng.randrange(0, 3)) * per_scale
            cross_share = {"starting": 0.1, "developing": 0.25, "established": 0.45}[level]
            city = ("actor", actor_ids[f"{town.genitive} kaupunki"])
            region_id = self.region_id[town.region]
            likeliest = top.get(town.id, [])
            creator = town.advisors[0]
            for _ in range(count):
                kind = rng.choices(list(PartnershipKind), weights=PARTNERSHIP_WEIGHTS)[0]
                company = ("company", rng.choice(likeliest)) if likeliest else None
                if kind == PartnershipKind.NETWORK_MEMBERSHIP or company is None:
                    if town.projects and rng.random() > cross_share:
                        project = rng.choice(town.projects)
                        add(PartnershipKind.NETWORK_MEMBERSHIP, city, ("project", project.id),
                            {town.id}, creator, within=project)  # fmt: skip
                    else:
                        other = rng.choice([t for t in regional_towns if t is not town])
                        peer = ("actor", actor_ids[f"{other.genitive} kaupunki"])
                        add(PartnershipKind.NETWORK_MEMBERSHIP, city, peer, {town.id, other.id},
                            creator)  # fmt: skip
                    continue
                if kind == PartnershipKind.SERVICE_AGREEMENT:
                    chosen = rng.choice(local_development.get(town.id)
                                        or regional(region_id, "enterprise_agency")
                                        or development)  # fmt: skip
                    add(kind, city, ("actor", chosen), {town.id}, creator)
                    continue
                if kind == PartnershipKind.EDUCATION_COOPERATION:
                    options = regional(
                        region_id, "vocational_college", "university_of_applied_sciences"
                    )
                elif kind == PartnershipKind.RND:
                    options = (
                        regional(
                            region_id,
                            "university_of_applied_sciences",
                            "university",
                            "research_organisation",
                        )
                        or national["research_organisation"]
                    )
                    if rng.random() < cross_share and len(regional_towns) > 1:
                        # Companies developing together across a municipal border.
                        other = rng.choice([t for t in regional_towns if t is not town])
                        peers = top.get(other.id, [])
                        if peers:
                            add(kind, company, ("company", rng.choice(peers)),
                                {town.id, other.id}, creator)  # fmt: skip
                            continue
                else:  # funding
                    options = (
                        regional(region_id, "ely_centre")
                        + national["business_finland"]
                        + national["finnvera"]
                    )
                if not options:
                    options = national["research_organisation"]
                add(kind, ("actor", rng.choice(options)), company, {town.id}, creator)
        self.insert(Partnership.__table__, rows)
        self.insert(partnership_towns, town_rows)

    def _staff_name(self) -> tuple[str, str]:
        return self.rng.choice(self.first_names), self.rng.choice(self.last_names)

    def users(self) -> None:
        rng = self.rng
        created = self.stamps[0]
        demo_people = {
            "advisor": ("Aino Lehtonen", "aino.lehtonen@forssa.fi"),
            "manager": ("Mikko Heikkinen", "mikko.heikkinen@salo.fi"),
            "leader": ("Sari Koskinen", "sari.koskinen@forssa.fi"),
            "admin": ("Juha Mäkinen", "juha.makinen@forssa.fi"),
        }
        used = {"aino.lehtonen", "mikko.heikkinen", "sari.koskinen", "juha.makinen"}
        rows: list[dict[str, Any]] = []
        towns_rows: list[dict[str, Any]] = []

        def add(username: str, full_name: str, email: str, role: str, pw_hash: str) -> int:
            uid = len(rows) + 1
            rows.append(
                {
                    "id": uid,
                    "username": username,
                    "full_name": full_name,
                    "email": email,
                    "role": role,
                    "password_hash": pw_hash,
                    "is_active": True,
                    "language": "fi",
                    "failed_logins": 0,
                    "locked_until": None,
                    "last_login_at": None,
                    "created_at": created,
                }
            )
            return uid

        self.user_id: dict[str, int] = {}
        for role, username, password in DEMO_ACCOUNTS:
            full_name, email = demo_people[username]
            self.user_id[username] = add(username, full_name, email, role, hash_password(password))
        advisor = self.user_id["advisor"]
        for town in ("Forssa", "Salo"):
            towns_rows.append({"user_id": advisor, "town_id": self.town_by_name[town].id})
            self.town_by_name[town].advisors.append(advisor)

        # Generated staff share one hash of a random password: they are not for signing in.
        staff_hash = hash_password(secrets.token_urlsafe(24))

        def new_person(domain: str) -> tuple[str, str, str]:
            first, last = self._staff_name()
            base = f"{self.ascii_names[first]}.{self.ascii_names[last]}"
            username, n = base, 1
            while username in used:
                n += 1
                username = f"{base}{n}"
            used.add(username)
            return username, f"{first} {last}", f"{username}@{domain}"

        for info in self.towns:
            for _ in range(1 if info.name in ("Forssa", "Salo") else 2):
                username, full_name, email = new_person(info.domain)
                uid = add(username, full_name, email, Role.ADVISOR.value, staff_hash)
                info.advisors.append(uid)
                towns_rows.append({"user_id": uid, "town_id": info.id})
        self.managers: list[int] = []
        for _ in range(6):
            town = rng.choice(self.towns)
            username, full_name, email = new_person(town.domain)
            self.managers.append(
                add(username, full_name, email, Role.PROJECT_MANAGER.value, staff_hash)
            )
        self.insert(User.__table__, rows)
        self.insert(user_towns, towns_rows)

        by_region: dict[str, list[int]] = {}
        for info in self.towns:
            by_region.setdefault(info.region, []).extend(info.advisors)
        for info in self.towns:
            info.region_advisors = by_region[info.region]
        self.all_advisors = [uid for info in self.towns for uid in info.advisors]

    def company_towns(self) -> None:
        """Decide every company's town up front: most companies are in regional towns."""
        rng = self.rng
        weights = []
        for _, _, regional in reference.TOWNS:
            weights.append(rng.uniform(0.6, 1.8) if regional else rng.uniform(0.3, 0.8))
        n = self.scale.companies
        self.company_town = rng.choices(range(len(self.towns)), weights=weights, k=n)
        self.companies_in_town = [0] * len(self.towns)
        for t in self.company_town:
            self.companies_in_town[t] += 1
        # Business IDs: unique seven-digit bases with a valid check digit.
        bases = rng.sample(range(1_000_000, 3_400_000), int(n * 1.25) + 100)
        ids = []
        for base in bases:
            digits = f"{base:07d}"
            check = business_id_check_digit(digits)
            if check is not None:
                ids.append(f"{digits}-{check}")
                if len(ids) == n:
                    break
        self.business_ids = ids
        self.used_names = {name for _, name, _, _ in FEATURED_COMPANIES}
        self.featured: dict[str, list[tuple[str, str, int]]] = {}
        for town, name, code, staff in FEATURED_COMPANIES:
            self.featured.setdefault(town, []).append((name, code, staff))

    def projects(self) -> None:
        rows, town_rows, cat_rows = [], [], []
        self.project_ids: dict[str, int] = {}
        generated = 0
        for i, spec in enumerate(PROJECTS):
            pid = i + 1
            self.project_ids[spec.name] = pid
            if spec.manager:
                manager = self.user_id[spec.manager]
            else:
                manager = self.managers[generated % len(self.managers)]
                generated += 1
            towns = [self.town_by_name[t] for t in spec.towns]
            share = {"well": 0.3, "mid": 0.25, "poor": 0.3}[spec.fit]
            target = round(sum(self.companies_in_town[t.id - 1] for t in towns) * share / 5) * 5
            created_day = max(0, self.day(spec.starts_on) - 30)
            rows.append(
                {
                    "id": pid,
                    "name": spec.name,
                    "kind": spec.kind.value,
                    "description": spec.description,
                    "starts_on": spec.starts_on,
                    "ends_on": spec.ends_on,
                    "manager_id": manager,
                    "target_companies": max(5, target),
                    "created_at": self.stamps[created_day],
                }
            )
            cats = [self.cat_id[c] for c in spec.categories]
            info = _ProjectInfo(pid, spec, cats, self.day(spec.starts_on), self.day(spec.ends_on))
            for town in towns:
                town.projects.append(info)
                town_rows.append({"project_id": pid, "town_id": town.id})
            cat_rows += [{"project_id": pid, "category_id": c} for c in cats]
        self.insert(Project.__table__, rows)
        self.insert(project_towns, town_rows)
        self.insert(project_need_categories, cat_rows)
        self.spotlight_left = 6  # the demo advisor's "my day" companies still to make
        self.next_ids = dict.fromkeys(
            ["contact", "interaction", "need", "participation", "follow_up", "referral"], 1
        )
        # Calibrated so that participations average the scale's number per company.
        self.participation_scale = 2.5 * self.scale.participations_per_company / 4.0

    # -- companies and everything about them --

    def companies(self, start: int, stop: int) -> None:
        out: dict[str, list[dict[str, Any]]] = {
            t: []
            for t in (
                "companies",
                "contact_persons",
                "interactions",
                "needs",
                "participations",
                "follow_ups",
                "referrals",
            )
        }
        for idx in range(start, stop):
            self.company(idx, out)
        for table in (
            Company.__table__,
            ContactPerson.__table__,
            Interaction.__table__,
            Need.__table__,
            Participation.__table__,
            FollowUp.__table__,
            Referral.__table__,
        ):
            self.insert(table, out[table.name])  # type: ignore[arg-type]

    def staff_count(self) -> int:
        rng = self.rng
        r = rng.random()
        if r < 0.78:
            return _pick(_MICRO_CUM, rng.random())
        if r < 0.94:
            return int(10 * 5 ** rng.random())
        if r < 0.99:
            return int(50 * 5 ** rng.random())
        return int(250 * 8 ** rng.random())

    def company_name(self, town: _TownInfo, trade: str, staff: int) -> str:
        """A company name, redrawn a few times so that names rarely repeat."""
        rng = self.rng
        name = self.draw_name(town, trade, staff)
        for attempt in range(60):
            if name not in self.used_names:
                break
            if attempt < 5:
                name = self.draw_name(town, trade, staff)
            else:  # the trade's own patterns are taken: a partnership-style name
                first, second = rng.choice(self.last_names), rng.choice(self.last_names)
                name = f"{first} & {second} {rng.choice(['Oy', 'Oy', 'Ky'])}"
        self.used_names.add(name)
        return name

    def draw_name(self, town: _TownInfo, trade: str, staff: int) -> str:
        rng = self.rng
        last = rng.choice(self.last_names)
        r = rng.random()
        if staff < 3 and r < 0.35:
            if r < 0.2:
                return f"Tmi {rng.choice(self.first_names)} {last}"
            return f"{trade} {last} Ky"
        r = rng.random()
        if r < 0.18:
            name = f"{town.genitive} {trade} Oy"
        elif r < 0.5:
            name = f"{trade} {last} Oy"
        elif r < 0.78:
            name = f"{rng.choice(NAME_STEMS)} {trade} Oy"
        elif r < 0.88:
            name = f"{last} & {rng.choice(self.last_names)} Oy"
        else:
            ending = rng.choice(["", " Group", " Solutions", " Works"])
            name = f"{rng.choice(NAME_STEMS)}{ending} Oy"
        if town.name in SWEDISH_SPEAKING and rng.random() < 0.3:
            name += " Ab"
        return name

    def pick_advisor(self, town: _TownInfo) -> int:
        rng = self.rng
        r = rng.random()
        if r < 0.88:
            return rng.choice(town.advisors)
        if r < 0.95:
            return rng.choice(town.region_advisors)
        return rng.choice(self.all_advisors)

    def company(self, idx: int, out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        rand = rng.random
        randint = rng.randint
        today = self.today_idx
        dates, stamps = self.dates, self.stamps
        cid = idx + 1
        town = self.towns[self.company_town[idx]]

        featured = bool(self.featured.get(town.name))
        if featured:
            name, code, staff = self.featured[town.name].pop(0)
            ind = self.industries[self.industry_index[code]]
        else:
            ind = self.industries[_pick(town.ind_cum, rand())]
            staff = self.staff_count()
            name = self.company_name(town, ind[2], staff)
        size = size_class_for_staff(staff).value
        active = rand() >= 0.03 or featured
        last_day = today if active else randint(today // 3, today - 60)
        slug = "-".join(
            w for w in _ascii(name).split("-") if w not in ("oy", "ab", "ky", "tmi", "oyj")
        )
        has_site = rand() < (0.35 if size == "micro" else 0.85)
        out["companies"].append(
            {
                "id": cid,
                "business_id": self.business_ids[idx],
                "name": name,
                "name_key": search_key(name),
                "town_id": town.id,
                "industry_code": ind[0],
                "industry_section": ind[1],
                "size_class": size,
                "staff_count": staff,
                "website": f"https://www.{slug}.fi" if has_site else None,
                "is_active": active,
                "updated_at": None,
                "created_at": stamps[randint(0, 60)],
            }
        )

        # Contact persons.
        ids = self.next_ids
        contacts: list[int] = []
        n_contacts = 1 + (rand() < 0.45) + (size in ("medium", "large") and rand() < 0.5)
        for k in range(n_contacts):
            first, last = rng.choice(self.first_names), rng.choice(self.last_names)
            ascii_first, ascii_last = self.ascii_names[first], self.ascii_names[last]
            pid = ids["contact"]
            ids["contact"] += 1
            contacts.append(pid)
            phone = f"{rng.choice(MOBILE_PREFIXES)} {randint(100, 999)} {randint(1000, 9999)}"
            if rand() < 0.2:
                phone = "+358 " + phone[1:]
            r = rand()
            basis = (
                LegalBasis.LEGITIMATE_INTEREST
                if r < 0.75
                else LegalBasis.CONSENT
                if r < 0.87
                else LegalBasis.CONTRACT
                if r < 0.95
                else LegalBasis.PUBLIC_TASK
            )
            out["contact_persons"].append(
                {
                    "id": pid,
                    "company_id": cid,
                    "first_name": first,
                    "last_name": last,
                    "title": rng.choice(TITLES_FIRST if k == 0 else TITLES_OTHER),
                    "email": f"{ascii_first}.{ascii_last}@{slug or 'yritys'}.fi"
                    if rand() < 0.92
                    else None,
                    "phone": phone if rand() < 0.9 else None,
                    "legal_basis": basis.value,
                    "marketing_opt_out": rand() < 0.12,
                    "anonymised_at": None,
                    "created_at": stamps[randint(0, 200)],
                }
            )

        # Interactions, and the needs found in them.
        mean = self.scale.interactions_per_company * _INTERACTION_SIZE_FACTOR[size]
        n_int = min(80, int(rng.expovariate(1.0 / mean) + 0.5))
        if not active:
            n_int = n_int // 2
        days = sorted(randint(0, last_day) for _ in range(n_int))
        dominant = (_pick(town.cat_cum, rand()) + 1, _pick(town.cat_cum, rand()) + 1)
        interactions: list[list[Any]] = []  # [id, day, channel, advisor, topic, contact, project]
        needs: list[_NeedInfo] = []
        for day in days:
            channel = self.channels[_pick(self.channel_cum, rand())]
            r = rand()
            topic = (
                dominant[0]
                if r < 0.3
                else dominant[1]
                if r < 0.45
                else _pick(town.cat_cum, rand()) + 1
            )
            advisor = self.pick_advisor(town)
            iid = ids["interaction"]
            ids["interaction"] += 1
            contact = rng.choice(contacts) if rand() < 0.7 else None
            interactions.append([iid, day, channel, advisor, topic, contact, None])
            if rand() < self.need_rate[channel]:
                r = rand()
                severity = "red" if r < 0.07 else "yellow" if r < 0.4 else "green"
                needs.append(_NeedInfo(ids["need"], iid, topic, day, severity, advisor))
                ids["need"] += 1

        # The demo advisor's "my day": recent contacts, red open needs, open follow-ups.
        spotlight = None  # (number, interaction id, need id, day, topic)
        if active and town.name in ("Forssa", "Salo") and self.spotlight_left > 0:
            k = 6 - self.spotlight_left
            self.spotlight_left -= 1
            advisor = self.user_id["advisor"]
            day = today - 21 + 2 * k
            topic = _pick(town.cat_cum, rand()) + 1
            iid = ids["interaction"]
            ids["interaction"] += 1
            interactions.append([iid, day, Channel.VISIT.value, advisor, topic, contacts[0], None])
            need_id = None
            if k < 4:
                nd = _NeedInfo(ids["need"], iid, topic, day, "red" if k < 3 else "yellow", advisor)
                nd.fixed = True
                ids["need"] += 1
                needs.append(nd)
                need_id = nd.id
            spotlight = (k, iid, need_id, day, topic)

        # Project participations; outcomes feed back into the needs.
        joined = self.participations(cid, town, needs, out["participations"])
        if joined:
            for inter in interactions:
                if rand() < 0.3:
                    for p in joined:
                        if p.start <= inter[1] <= p.end:
                            inter[6] = p.id
                            break

        fl = self.scale.follow_ups_per_company / self.scale.interactions_per_company
        interaction_rows = out["interactions"]
        need_by_interaction = {nd.interaction: nd for nd in needs}
        for iid, day, channel, advisor, topic, contact, project in interactions:
            code = CATEGORY_CODES[topic - 1]
            interaction_rows.append(
                {
                    "id": iid,
                    "company_id": cid,
                    "advisor_id": advisor,
                    "occurred_on": dates[day],
                    "channel": channel,
                    "summary": f"{CHANNEL_LABEL[channel]}: {rng.choice(TOPICS[code])}"
                    f"{rng.choice(TOPIC_ENDINGS)}",
                    "contact_person_id": contact,
                    "project_id": project,
                    "created_at": stamps[day],
                }
            )
            nd = need_by_interaction.get(iid)
            if nd is not None and nd.fixed:
                continue
            if rand() < (fl * 2.4 if nd is not None else fl * 0.4):
                self.follow_up(cid, iid, day, advisor, nd, topic, out["follow_ups"])

        for nd in needs:
            self.finish_need(nd, town)
            self.referral(cid, nd, town, out["referrals"])
            code = CATEGORY_CODES[nd.cat - 1]
            description = rng.choice(NEED_TEXTS[code])
            if nd.severity == "red":
                description += rng.choice(RED_REASONS)
            note = None
            if nd.status == NeedStatus.MET:
                kind = "project" if nd.met_project else "partner" if nd.partner else "self"
                note = rng.choice(RESOLUTION_NOTES[kind])
            elif nd.status in (NeedStatus.NOT_MET, NeedStatus.WITHDRAWN):
                note = rng.choice(RESOLUTION_NOTES[nd.status])
            out["needs"].append(
                {
                    "id": nd.id,
                    "company_id": cid,
                    "interaction_id": nd.interaction,
                    "category_id": nd.cat,
                    "description": description,
                    "severity": nd.severity,
                    "status": nd.status,
                    "identified_on": dates[nd.day],
                    "resolved_on": dates[nd.resolved] if nd.resolved is not None else None,
                    "resolution_note": note,
                    "addressed_by_project_id": nd.met_project if nd.status == "met" else None,
                    "addressed_by_partner_id": nd.partner,
                    "created_by_id": nd.advisor,
                    "created_at": stamps[nd.day],
                }
            )

        # Spotlight follow-ups: one overdue and one due this week, owned by the demo advisor.
        if spotlight is not None:
            k, iid, need_id, day, topic = spotlight
            for due in (day + 5 + k % 3, today + k % 5):
                fid = ids["follow_up"]
                ids["follow_up"] += 1
                out["follow_ups"].append(
                    {
                        "id": fid,
                        "company_id": cid,
                        "interaction_id": iid,
                        "need_id": need_id,
                        "owner_id": self.user_id["advisor"],
                        "description": FOLLOW_UP_TEXTS[CATEGORY_CODES[topic - 1]],
                        "due_on": dates[due],
                        "status": FollowUpStatus.OPEN.value,
                        "done_on": None,
                        "created_at": stamps[day],
                    }
                )

    def participations(
        self, cid: int, town: _TownInfo, needs: list[_NeedInfo], rows: list[dict[str, Any]]
    ) -> list[_ProjectInfo]:
        rng = self.rng
        rand = rng.random
        randint = rng.randint
        today = self.today_idx
        joined = []
        for p in town.projects:
            hi = min(p.end, today)
            if hi < p.start:
                continue
            fit = p.fit
            took = False
            for nd in needs:
                if nd.fixed or nd.cat not in p.cats or not p.start <= nd.day <= hi - 7:
                    continue
                if rand() >= fit.reach:
                    continue
                took = True
                for _ in range(1 + (rand() < 0.4) + (rand() < 0.15)):
                    self.need_participation(p, cid, min(hi, nd.day + randint(5, 150)), nd, rows)
            if rand() < fit.engage:
                # General activities; linked to the company's latest need in a target
                # category, when it has one by then.
                took = True
                targeted = [nd for nd in needs if nd.cat in p.cats and not nd.fixed]
                mean = fit.visits * self.participation_scale
                visits = max(1, round(rng.expovariate(1.0 / mean)))
                for _ in range(min(visits, 25)):
                    day = randint(p.start, hi)
                    earlier = [nd for nd in targeted if nd.day <= day]
                    if earlier and rand() < 0.6:
                        self.need_participation(p, cid, day, earlier[-1], rows)
                    else:
                        self.participation(p, cid, day, None, None, rows)
            if took:
                joined.append(p)
        return joined

    def need_participation(
        self, p: _ProjectInfo, cid: int, day: int, nd: _NeedInfo, rows: list[dict[str, Any]]
    ) -> None:
        """A participation addressing a need; the best outcome so far decides the need."""
        met = _pick(p.met_cum, self.rng.random())
        self.participation(p, cid, day, nd.id, _MET_VALUES[met], rows)
        rank = _MET_RANK[met]
        if rank > nd.met_rank:
            nd.met_rank, nd.met_project, nd.met_day = rank, p.id, day

    def participation(
        self,
        p: _ProjectInfo,
        cid: int,
        day: int,
        need_id: int | None,
        need_met: str | None,
        rows: list[dict[str, Any]],
    ) -> None:
        rng = self.rng
        r = rng.random()
        co = p.fit.co_developer
        if r < co:
            role = ParticipationRole.CO_DEVELOPER
            activity = rng.choice(CO_DEVELOPMENT)
        else:
            role = (
                ParticipationRole.PARTNER
                if r < co + 0.03
                else ParticipationRole.SPEAKER
                if r < co + 0.05
                else ParticipationRole.PARTICIPANT
            )
            activity = rng.choice(p.activities)
        feedback = _pick(p.feedback_cum, rng.random()) + 1 if rng.random() < 0.88 else None
        pid = self.next_ids["participation"]
        self.next_ids["participation"] += 1
        rows.append(
            {
                "id": pid,
                "project_id": p.id,
                "company_id": cid,
                "activity_type": activity[0].value,
                "activity_name": f"{activity[1]} {self.dates[day].year}",
                "occurred_on": self.dates[day],
                "role": role.value,
                "feedback_score": feedback,
                "need_id": need_id,
                "need_met": need_met,
                "created_at": self.stamps[day],
            }
        )

    def finish_need(self, nd: _NeedInfo, town: _TownInfo) -> None:
        """Status, resolution date and who addressed the need, from its age and outcomes."""
        if nd.fixed:
            return
        rng = self.rng
        r = rng.random()
        today = self.today_idx
        age = today - nd.day
        status = NeedStatus.OPEN
        if nd.met_rank == 2:
            status = NeedStatus.MET
        elif nd.met_rank == 1:
            if age > 180:
                status = (
                    NeedStatus.MET
                    if r < 0.45
                    else NeedStatus.NOT_MET
                    if r < 0.75
                    else NeedStatus.IN_PROGRESS
                )
            else:
                status = NeedStatus.IN_PROGRESS
        elif nd.met_rank == 0:
            nd.met_project = None
            if age > 120:
                status = (
                    NeedStatus.NOT_MET
                    if r < 0.55
                    else NeedStatus.WITHDRAWN
                    if r < 0.7
                    else NeedStatus.MET
                    if r < 0.85
                    else NeedStatus.OPEN
                )
            else:
                status = NeedStatus.OPEN if r < 0.5 else NeedStatus.IN_PROGRESS
        else:
            if age > 365:
                cum = _AGE_OLD
            elif age > 90:
                cum = _AGE_MID
            else:
                cum = _AGE_RECENT
            status = _STATUS_ORDER[_pick(cum, r)]
        nd.status = status.value
        if status == NeedStatus.MET and nd.met_rank >= 1 and nd.met_project is not None:
            nd.resolved = min(today, nd.met_day + rng.randint(0, 30))
            return
        nd.met_project = None
        if status in (NeedStatus.MET, NeedStatus.NOT_MET, NeedStatus.WITHDRAWN):
            nd.resolved = min(today, nd.day + rng.randint(5, max(5, min(age, 240))))
            options = town.partners_by_cat[nd.cat]
            if status == NeedStatus.MET and options and rng.random() < 0.7:
                nd.partner = rng.choice(options)

    def follow_up(
        self,
        cid: int,
        iid: int,
        day: int,
        advisor: int,
        nd: _NeedInfo | None,
        topic: int,
        rows: list[dict[str, Any]],
    ) -> None:
        rng = self.rng
        today = self.today_idx
        due = day + rng.randint(3, 45)
        r = rng.random()
        if due <= today - 14:
            status = "done" if r < 0.88 else "cancelled" if r < 0.95 else "open"
        elif due <= today:
            status = "done" if r < 0.5 else "cancelled" if r < 0.55 else "open"
        else:
            status = "open" if r < 0.9 else "done"
        done_on = None
        if status == "done":
            done_on = self.dates[max(day, min(today, due + rng.randint(-10, 10)))]
        if nd is not None or rng.random() < 0.5:
            text = FOLLOW_UP_TEXTS[CATEGORY_CODES[topic - 1]]
        else:
            text = rng.choice(GENERAL_FOLLOW_UPS)
        fid = self.next_ids["follow_up"]
        self.next_ids["follow_up"] += 1
        rows.append(
            {
                "id": fid,
                "company_id": cid,
                "interaction_id": iid,
                "need_id": nd.id if nd is not None else None,
                "owner_id": advisor,
                "description": text,
                "due_on": self.dates[due],
                "status": status,
                "done_on": done_on,
                "created_at": self.stamps[day],
            }
        )

    def referral(
        self, cid: int, nd: _NeedInfo, town: _TownInfo, rows: list[dict[str, Any]]
    ) -> None:
        rng = self.rng
        rate = self.scale.referrals_per_need
        if rng.random() >= (rate * 1.5 if nd.partner else rate * 0.9):
            return
        partner = nd.partner
        project = None
        if partner is None:
            projects = [
                p.id for p in town.projects if nd.cat in p.cats and p.start <= nd.day <= p.end
            ]
            options = town.partners_by_cat[nd.cat]
            if projects and (not options or rng.random() < 0.3):
                project = rng.choice(projects)
            elif options:
                partner = rng.choice(options)
            else:
                return
        today = self.today_idx
        day = min(today, nd.day + rng.randint(0, 10))
        age = today - day
        r = rng.random()
        if nd.partner:
            status = ReferralStatus.COMPLETED
        elif age > 120:
            status = _REFERRAL_OLD[_pick(_REFERRAL_OLD_CUM, r)]
        else:
            status = _REFERRAL_NEW[_pick(_REFERRAL_NEW_CUM, r)]
        outcome = None
        if status == ReferralStatus.COMPLETED:
            outcome = rng.choice(REFERRAL_COMPLETED)
        elif status == ReferralStatus.DECLINED:
            outcome = rng.choice(REFERRAL_DECLINED)
        rid = self.next_ids["referral"]
        self.next_ids["referral"] += 1
        rows.append(
            {
                "id": rid,
                "company_id": cid,
                "need_id": nd.id,
                "interaction_id": nd.interaction,
                "partner_id": partner,
                "project_id": project,
                "consent": True,
                "referred_on": self.dates[day],
                "status": status.value,
                "outcome": outcome,
                "created_by_id": nd.advisor,
                "created_at": self.stamps[day],
            }
        )


_MICRO_CUM = _cumulative([3, 20, 18, 14, 10, 9, 8, 7, 6, 5])
_INTERACTION_SIZE_FACTOR = {"micro": 0.8, "small": 1.6, "medium": 2.4, "large": 3.2}
_STATUS_ORDER = [
    NeedStatus.MET,
    NeedStatus.NOT_MET,
    NeedStatus.WITHDRAWN,
    NeedStatus.IN_PROGRESS,
    NeedStatus.OPEN,
]
_AGE_OLD = _cumulative([48, 22, 18, 7, 5])
_AGE_MID = _cumulative([30, 10, 8, 30, 22])
_AGE_RECENT = _cumulative([7, 0, 3, 35, 55])
_REFERRAL_OLD = [
    ReferralStatus.COMPLETED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.SENT,
]
_REFERRAL_OLD_CUM = _cumulative([55, 15, 18, 12])
_REFERRAL_NEW = [
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.DECLINED,
]
_REFERRAL_NEW_CUM = _cumulative([50, 38, 7, 5])


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move id sequences past the explicit ids the seed inserted."""
    for table in TABLE_ORDER:
        if "id" not in table.c:
            continue
        highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
        conn.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), highest)))


def seed(
    engine: Engine,
    *,
    scale: str = "demo",
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> SeedReport:
    """Fill an empty, migrated database with demo data; raises RuntimeError if not empty.

    `progress(step_label, fraction_done)` is called as the work proceeds. Everything is written
    in one transaction, so a failed seed leaves the database empty.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    started = time.perf_counter()
    anchor = today or dt.date.today()
    seeder = _Seeder(SCALES[scale], seed, anchor, progress)
    with engine.begin() as conn:
        if not inspect(conn).has_table(Region.__tablename__):
            raise RuntimeError("The database has no tables; run the migrations before seeding.")
        if not _is_empty(conn):
            raise RuntimeError(
                "The database already has data (regions exist); the seed only fills an empty "
                "database."
            )
        seeder.run(conn)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    # Fresh statistics, so the query planner picks the covering indexes for the new volumes;
    # on PostgreSQL VACUUM also marks the pages visible, which index-only scans need.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    return SeedReport(
        scale=scale,
        seed=seed,
        anchor=anchor,
        counts=dict(seeder.counts),
        seconds=time.perf_counter() - started,
    )


# --- Command line --------------------------------------------------------------------------


class TextProgress:
    """A one-line progress bar on a text stream (stderr by default)."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.last = ""
        self.started = time.perf_counter()

    def __call__(self, label: str, fraction: float) -> None:
        fraction = min(1.0, max(0.0, fraction))
        filled = int(self.width * fraction)
        elapsed = time.perf_counter() - self.started
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"\r[{bar}] {fraction * 100:5.1f} % {elapsed:6.1f} s  {label}"
        if line != self.last:
            self.stream.write(line.ljust(len(self.last)))
            self.stream.flush()
            self.last = line

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m db.seed", description="Fill an empty Seutu CRM database with demo data."
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--url", help="database URL (default: SEUTU_DATABASE_URL or data/)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    url = args.url or database_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
        if not database_is_empty(engine):
            print(
                f"The database at {make_url(url).render_as_string(hide_password=True)} already "
                "has data; refusing to seed. Use an empty database.",
                file=sys.stderr,
            )
            return 2
        bar = TextProgress()
        report = seed(engine, scale=args.scale, seed=args.seed, progress=bar)
        bar.finish()
    finally:
        engine.dispose()

    total = f"{report.total_rows:,}".replace(",", " ")
    print(
        f"Seeded scale {report.scale!r} (seed {report.seed}, anchor {report.anchor}) "
        f"in {report.seconds:.1f} s: {total} rows"
    )
    for table, count in report.counts.items():
        print(f"  {table:<26}{count:>12,}".replace(",", " "))
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            size = Path(database).stat().st_size / 1_000_000
            print(f"SQLite file {database}: {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
