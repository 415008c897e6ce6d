"""Real Finnish reference data as plain constants: regions, towns, need categories, partners.

The seed (db/seed.py) loads these into an empty database; administrators may edit them there
afterwards. Nothing here touches the database.
"""

from __future__ import annotations

from db.enums import PartnerKind

# Statistics Finland region (maakunta) codes: (code, Finnish name, English name).
REGIONS: list[tuple[str, str, str]] = [
    ("01", "Uusimaa", "Uusimaa"),
    ("02", "Varsinais-Suomi", "Southwest Finland"),
    ("04", "Satakunta", "Satakunta"),
    ("05", "Kanta-Häme", "Kanta-Häme"),
    ("06", "Pirkanmaa", "Pirkanmaa"),
    ("07", "Päijät-Häme", "Päijät-Häme"),
    ("08", "Kymenlaakso", "Kymenlaakso"),
    ("09", "Etelä-Karjala", "South Karelia"),
    ("10", "Etelä-Savo", "South Savo"),
    ("11", "Pohjois-Savo", "North Savo"),
    ("12", "Pohjois-Karjala", "North Karelia"),
    ("13", "Keski-Suomi", "Central Finland"),
    ("14", "Etelä-Pohjanmaa", "South Ostrobothnia"),
    ("15", "Pohjanmaa", "Ostrobothnia"),
    ("16", "Keski-Pohjanmaa", "Central Ostrobothnia"),
    ("17", "Pohjois-Pohjanmaa", "North Ostrobothnia"),
    ("18", "Kainuu", "Kainuu"),
    ("19", "Lappi", "Lapland"),
    ("21", "Ahvenanmaa", "Åland"),
]

# Municipalities: (name, region code, is_regional_town). Regional towns (seutukaupungit) first,
# then the regional capitals, which are not regional towns.
TOWNS: list[tuple[str, str, bool]] = [
    # Uusimaa
    ("Loviisa", "01", True),
    ("Raasepori", "01", True),
    ("Lohja", "01", True),
    ("Porvoo", "01", True),
    # Varsinais-Suomi
    ("Salo", "02", True),
    ("Loimaa", "02", True),
    ("Uusikaupunki", "02", True),
    ("Parainen", "02", True),
    ("Somero", "02", True),
    # Satakunta
    ("Rauma", "04", True),
    ("Huittinen", "04", True),
    ("Kankaanpää", "04", True),
    # Kanta-Häme
    ("Forssa", "05", True),
    ("Riihimäki", "05", True),
    # Pirkanmaa
    ("Sastamala", "06", True),
    ("Valkeakoski", "06", True),
    ("Mänttä-Vilppula", "06", True),
    # Päijät-Häme
    ("Heinola", "07", True),
    # Kymenlaakso
    ("Hamina", "08", True),
    # Etelä-Karjala
    ("Imatra", "09", True),
    # Etelä-Savo
    ("Pieksämäki", "10", True),
    ("Savonlinna", "10", True),
    # Pohjois-Savo
    ("Iisalmi", "11", True),
    ("Varkaus", "11", True),
    ("Suonenjoki", "11", True),
    # Pohjois-Karjala
    ("Lieksa", "12", True),
    ("Nurmes", "12", True),
    ("Kitee", "12", True),
    # Keski-Suomi
    ("Jämsä", "13", True),
    ("Äänekoski", "13", True),
    ("Keuruu", "13", True),
    # Etelä-Pohjanmaa
    ("Kauhajoki", "14", True),
    ("Lapua", "14", True),
    ("Kurikka", "14", True),
    ("Alajärvi", "14", True),
    # Pohjanmaa
    ("Pietarsaari", "15", True),
    ("Närpiö", "15", True),
    ("Kristiinankaupunki", "15", True),
    # Keski-Pohjanmaa
    ("Kannus", "16", True),
    # Pohjois-Pohjanmaa
    ("Raahe", "17", True),
    ("Ylivieska", "17", True),
    ("Kuusamo", "17", True),
    ("Nivala", "17", True),
    ("Haapajärvi", "17", True),
    # Kainuu
    ("Kuhmo", "18", True),
    ("Suomussalmi", "18", True),
    # Lappi
    ("Kemi", "19", True),
    ("Tornio", "19", True),
    ("Kemijärvi", "19", True),
    # Regional capitals (maakuntakeskukset), not regional towns
    ("Helsinki", "01", False),
    ("Turku", "02", False),
    ("Pori", "04", False),
    ("Hämeenlinna", "05", False),
    ("Tampere", "06", False),
    ("Lahti", "07", False),
    ("Kouvola", "08", False),
    ("Lappeenranta", "09", False),
    ("Mikkeli", "10", False),
    ("Kuopio", "11", False),
    ("Joensuu", "12", False),
    ("Jyväskylä", "13", False),
    ("Seinäjoki", "14", False),
    ("Vaasa", "15", False),
    ("Kokkola", "16", False),
    ("Oulu", "17", False),
    ("Kajaani", "18", False),
    ("Rovaniemi", "19", False),
    ("Maarianhamina", "21", False),
]

# Genitive forms, for names such as "Äänekosken työllisyyspalvelut" or "Forssan Konepaja Oy".
TOWN_GENITIVE: dict[str, str] = {
    "Loviisa": "Loviisan",
    "Raasepori": "Raaseporin",
    "Lohja": "Lohjan",
    "Porvoo": "Porvoon",
    "Salo": "Salon",
    "Loimaa": "Loimaan",
    "Uusikaupunki": "Uudenkaupungin",
    "Parainen": "Paraisten",
    "Somero": "Someron",
    "Rauma": "Rauman",
    "Huittinen": "Huittisten",
    "Kankaanpää": "Kankaanpään",
    "Forssa": "Forssan",
    "Riihimäki": "Riihimäen",
    "Sastamala": "Sastamalan",
    "Valkeakoski": "Valkeakosken",
    "Mänttä-Vilppula": "Mänttä-Vilppulan",
    "Heinola": "Heinolan",
    "Hamina": "Haminan",
    "Imatra": "Imatran",
    "Pieksämäki": "Pieksämäen",
    "Savonlinna": "Savonlinnan",
    "Iisalmi": "Iisalmen",
    "Varkaus": "Varkauden",
    "Suonenjoki": "Suonenjoen",
    "Lieksa": "Lieksan",
    "Nurmes": "Nurmeksen",
    "Kitee": "Kiteen",
    "Jämsä": "Jämsän",
    "Äänekoski": "Äänekosken",
    "Keuruu": "Keuruun",
    "Kauhajoki": "Kauhajoen",
    "Lapua": "Lapuan",
    "Kurikka": "Kurikan",
    "Alajärvi": "Alajärven",
    "Pietarsaari": "Pietarsaaren",
    "Närpiö": "Närpiön",
    "Kristiinankaupunki": "Kristiinankaupungin",
    "Kannus": "Kannuksen",
    "Raahe": "Raahen",
    "Ylivieska": "Ylivieskan",
    "Kuusamo": "Kuusamon",
    "Nivala": "Nivalan",
    "Haapajärvi": "Haapajärven",
    "Kuhmo": "Kuhmon",
    "Suomussalmi": "Suomussalmen",
    "Kemi": "Kemin",
    "Tornio": "Tornion",
    "Kemijärvi": "Kemijärven",
    "Helsinki": "Helsingin",
    "Turku": "Turun",
    "Pori": "Porin",
    "Hämeenlinna": "Hämeenlinnan",
    "Tampere": "Tampereen",
    "Lahti": "Lahden",
    "Kouvola": "Kouvolan",
    "Lappeenranta": "Lappeenrannan",
    "Mikkeli": "Mikkelin",
    "Kuopio": "Kuopion",
    "Joensuu": "Joensuun",
    "Jyväskylä": "Jyväskylän",
    "Seinäjoki": "Seinäjoen",
    "Vaasa": "Vaasan",
    "Kokkola": "Kokkolan",
    "Oulu": "Oulun",
    "Kajaani": "Kajaanin",
    "Rovaniemi": "Rovaniemen",
    "Maarianhamina": "Maarianhaminan",
}

# Need categories: (code, Finnish name, English name, sort order), texts as in the glossary.
NEED_CATEGORIES: list[tuple[str, str, str, int]] = [
    ("workforce", "osaava työvoima ja rekrytointi", "skilled workforce and recruitment", 10),
    ("training", "koulutus ja osaamisen kehittäminen", "training and upskilling", 20),
    ("funding", "rahoitus", "funding", 30),
    (
        "internationalisation",
        "kansainvälistyminen ja vienti",
        "internationalisation and export",
        40,
    ),
    ("rdi", "tutkimus, kehitys ja innovaatiot", "R&D and innovation", 50),
    ("premises", "toimitilat ja tontit", "premises and sites", 60),
    ("networks", "verkostot ja kumppanuudet", "networks and partners", 70),
    ("digitalisation", "digitalisaatio", "digitalisation", 80),
    (
        "circular_economy",
        "kiertotalous ja kestävyys",
        "circular economy and sustainability",
        90,
    ),
    ("succession", "omistajanvaihdos", "ownership change and succession", 100),
    ("marketing", "markkinointi ja myynti", "marketing and sales", 110),
    ("permits", "luvat ja viranomaisasiat", "permits and authorities", 120),
    ("other", "muu", "other", 130),
]

NEED_CATEGORY_CODES: list[str] = [code for code, *_ in NEED_CATEGORIES]

# Which need categories each kind of partner serves, unless a partner says otherwise.
_SERVES: dict[PartnerKind, list[str]] = {
    PartnerKind.ELY_CENTRE: [
        "funding",
        "training",
        "internationalisation",
        "circular_economy",
        "permits",
    ],
    PartnerKind.BUSINESS_FINLAND: ["internationalisation", "rdi", "funding"],
    PartnerKind.FINNVERA: ["funding", "succession"],
    PartnerKind.ENTERPRISE_AGENCY: ["funding", "succession", "marketing"],
    PartnerKind.EMPLOYMENT_SERVICES: ["workforce", "training"],
    PartnerKind.UNIVERSITY_OF_APPLIED_SCIENCES: ["rdi", "training", "digitalisation"],
    PartnerKind.UNIVERSITY: ["rdi", "circular_economy", "internationalisation"],
    PartnerKind.VOCATIONAL_COLLEGE: ["training", "workforce"],
    PartnerKind.REGIONAL_COUNCIL: ["funding", "networks", "premises"],
    PartnerKind.CHAMBER_OF_COMMERCE: ["networks", "internationalisation", "succession"],
    PartnerKind.ENTREPRENEURS_ASSOCIATION: ["networks", "succession", "marketing"],
    PartnerKind.DEVELOPMENT_COMPANY: ["premises", "networks", "funding", "digitalisation"],
    PartnerKind.MUNICIPALITY: ["premises", "permits"],
    PartnerKind.RESEARCH_ORGANISATION: ["rdi", "circular_economy", "digitalisation"],
    PartnerKind.ASSOCIATION: ["networks", "marketing"],
    PartnerKind.OTHER: ["other"],
}

# ELY centres: 15 centres; those covering two regions appear once per regional office.
_ELY_CENTRES: list[tuple[str, str]] = [
    ("Uudenmaan ELY-keskus", "01"),
    ("Varsinais-Suomen ELY-keskus", "02"),
    ("Satakunnan ELY-keskus", "04"),
    ("Hämeen ELY-keskus, Hämeenlinna", "05"),
    ("Pirkanmaan ELY-keskus", "06"),
    ("Hämeen ELY-keskus, Lahti", "07"),
    ("Kaakkois-Suomen ELY-keskus, Kouvola", "08"),
    ("Kaakkois-Suomen ELY-keskus, Lappeenranta", "09"),
    ("Etelä-Savon ELY-keskus", "10"),
    ("Pohjois-Savon ELY-keskus", "11"),
    ("Pohjois-Karjalan ELY-keskus", "12"),
    ("Keski-Suomen ELY-keskus", "13"),
    ("Etelä-Pohjanmaan ELY-keskus", "14"),
    ("Pohjanmaan ELY-keskus", "15"),
    ("Pohjois-Pohjanmaan ELY-keskus, Kokkola", "16"),
    ("Pohjois-Pohjanmaan ELY-keskus, Oulu", "17"),
    ("Kainuun ELY-keskus", "18"),
    ("Lapin ELY-keskus", "19"),
]

_REGIONAL_COUNCILS: list[tuple[str, str]] = [
    ("Uudenmaan liitto", "01"),
    ("Varsinais-Suomen liitto", "02"),
    ("Satakuntaliitto", "04"),
    ("Hämeen liitto", "05"),
    ("Pirkanmaan liitto", "06"),
    ("Päijät-Hämeen liitto", "07"),
    ("Kymenlaakson liitto", "08"),
    ("Etelä-Karjalan liitto", "09"),
    ("Etelä-Savon maakuntaliitto", "10"),
    ("Pohjois-Savon liitto", "11"),
    ("Pohjois-Karjalan maakuntaliitto", "12"),
    ("Keski-Suomen liitto", "13"),
    ("Etelä-Pohjanmaan liitto", "14"),
    ("Pohjanmaan liitto", "15"),
    ("Keski-Pohjanmaan liitto", "16"),
    ("Pohjois-Pohjanmaan liitto", "17"),
    ("Kainuun liitto", "18"),
    ("Lapin liitto", "19"),
    ("Ålands landskapsregering", "21"),
]

_CHAMBERS: list[tuple[str, str]] = [
    ("Helsingin seudun kauppakamari", "01"),
    ("Turun kauppakamari", "02"),
    ("Satakunnan kauppakamari", "04"),
    ("Hämeen kauppakamari", "05"),
    ("Tampereen kauppakamari", "06"),
    ("Kymenlaakson kauppakamari", "08"),
    ("Etelä-Karjalan kauppakamari", "09"),
    ("Etelä-Savon kauppakamari", "10"),
    ("Kuopion alueen kauppakamari", "11"),
    ("Pohjois-Karjalan kauppakamari", "12"),
    ("Keski-Suomen kauppakamari", "13"),
    ("Etelä-Pohjanmaan kauppakamari", "14"),
    ("Pohjanmaan kauppakamari", "15"),
    ("Keski-Pohjanmaan kauppakamari", "16"),
    ("Oulun kauppakamari", "17"),
    ("Lapin kauppakamari", "19"),
]

_ENTREPRENEURS_REGIONAL: list[tuple[str, str]] = [
    ("Uudenmaan Yrittäjät", "01"),
    ("Varsinais-Suomen Yrittäjät", "02"),
    ("Satakunnan Yrittäjät", "04"),
    ("Hämeen Yrittäjät", "05"),
    ("Pirkanmaan Yrittäjät", "06"),
    ("Päijät-Hämeen Yrittäjät", "07"),
    ("Kymenlaakson Yrittäjät", "08"),
    ("Etelä-Karjalan Yrittäjät", "09"),
    ("Etelä-Savon Yrittäjät", "10"),
    ("Savon Yrittäjät", "11"),
    ("Pohjois-Karjalan Yrittäjät", "12"),
    ("Keski-Suomen Yrittäjät", "13"),
    ("Etelä-Pohjanmaan Yrittäjät", "14"),
    ("Pohjanmaan Yrittäjät", "15"),
    ("Keski-Pohjanmaan Yrittäjät", "16"),
    ("Oulun Yrittäjät", "17"),
    ("Kainuun Yrittäjät", "18"),
    ("Lapin Yrittäjät", "19"),
]

_UNIVERSITIES_OF_APPLIED_SCIENCES: list[tuple[str, str]] = [
    ("Laurea-ammattikorkeakoulu", "01"),
    ("Metropolia Ammattikorkeakoulu", "01"),
    ("Turun ammattikorkeakoulu", "02"),
    ("Satakunnan ammattikorkeakoulu SAMK", "04"),
    ("Hämeen ammattikorkeakoulu HAMK", "05"),
    ("Tampereen ammattikorkeakoulu TAMK", "06"),
    ("LAB-ammattikorkeakoulu", "07"),
    ("Kaakkois-Suomen ammattikorkeakoulu Xamk", "08"),
    ("Savonia-ammattikorkeakoulu", "11"),
    ("Karelia-ammattikorkeakoulu", "12"),
    ("Jyväskylän ammattikorkeakoulu JAMK", "13"),
    ("Seinäjoen ammattikorkeakoulu SeAMK", "14"),
    ("Vaasan ammattikorkeakoulu VAMK", "15"),
    ("Yrkeshögskolan Novia", "15"),
    ("Centria-ammattikorkeakoulu", "16"),
    ("Oulun ammattikorkeakoulu Oamk", "17"),
    ("Kajaanin ammattikorkeakoulu", "18"),
    ("Lapin ammattikorkeakoulu", "19"),
]

_UNIVERSITIES: list[tuple[str, str]] = [
    ("Aalto-yliopisto", "01"),
    ("Turun yliopisto", "02"),
    ("Åbo Akademi", "02"),
    ("Tampereen yliopisto", "06"),
    ("LUT-yliopisto", "09"),
    ("Itä-Suomen yliopisto", "11"),
    ("Jyväskylän yliopisto", "13"),
    ("Vaasan yliopisto", "15"),
    ("Oulun yliopisto", "17"),
    ("Lapin yliopisto", "19"),
]

_VOCATIONAL_COLLEGES: list[tuple[str, str]] = [
    ("Salon seudun ammattiopisto", "02"),
    ("Winnova", "04"),
    ("Sataedu", "04"),
    ("Koulutuskuntayhtymä Tavastia", "05"),
    ("Sastamalan koulutuskuntayhtymä Sasky", "06"),
    ("Koulutuskeskus Salpaus", "07"),
    ("Ekami", "08"),
    ("Saimaan ammattiopisto Sampo", "09"),
    ("Etelä-Savon ammattiopisto Esedu", "10"),
    ("Savon koulutuskuntayhtymä Sakky", "11"),
    ("Riveria", "12"),
    ("Jyväskylän koulutuskuntayhtymä Gradia", "13"),
    ("Koulutuskeskus Sedu", "14"),
    ("Yrkesakademin i Österbotten", "15"),
    ("Keski-Pohjanmaan koulutusyhtymä Kpedu", "16"),
    ("Jokilaaksojen koulutuskuntayhtymä JEDU", "17"),
    ("Koulutuskuntayhtymä OSAO", "17"),
    ("Kainuun ammattiopisto", "18"),
    ("Lapin koulutuskeskus REDU", "19"),
]

# Regional development companies: (name, region code, town or None for the whole region).
_DEVELOPMENT_COMPANIES: list[tuple[str, str, str | None]] = [
    ("Posintra Oy", "01", "Porvoo"),
    ("Yritys-Salo Oy", "02", "Salo"),
    ("Forssan Seudun Kehittämiskeskus Oy", "05", "Forssa"),
    ("Novago Yrityskehitys Oy", "05", "Riihimäki"),
    ("Imatran Seudun Kehitysyhtiö Oy", "09", "Imatra"),
    ("Kehitysyhtiö Savogrow Oy", "11", "Varkaus"),
    ("Pielisen Karjalan Kehittämiskeskus Pikes Oy", "12", None),
    ("Jämsek Oy", "13", "Jämsä"),
    ("Oy Concordia Ab", "15", "Pietarsaari"),
    ("Kokkolanseudun Kehitys Oy", "16", None),
    ("Digipolis Oy", "19", "Kemi"),
    ("Business Jyväskylä", "13", None),
    ("Business Joensuu", "12", None),
    ("Business Tampere", "06", None),
    ("Business Oulu", "17", None),
]

# Partner: (name, kind, region code or None, town name or None, served need-category codes).
Partner = tuple[str, PartnerKind, str | None, str | None, list[str]]


def _regional(
    rows: list[tuple[str, str]], kind: PartnerKind, serves: list[str] | None = None
) -> list[Partner]:
    return [(name, kind, code, None, list(serves or _SERVES[kind])) for name, code in rows]


def _build_partners() -> list[Partner]:
    partners: list[Partner] = [
        (
            "Business Finland",
            PartnerKind.BUSINESS_FINLAND,
            None,
            None,
            list(_SERVES[PartnerKind.BUSINESS_FINLAND]),
        ),
        ("Finnvera", PartnerKind.FINNVERA, None, None, list(_SERVES[PartnerKind.FINNVERA])),
    ]
    partners += _regional(_ELY_CENTRES, PartnerKind.ELY_CENTRE)
    partners += [
        (
            f"Uusyrityskeskus {name_fi}",
            PartnerKind.ENTERPRISE_AGENCY,
            code,
            None,
            list(_SERVES[PartnerKind.ENTERPRISE_AGENCY]),
        )
        for code, name_fi, _ in REGIONS
        if code != "21"
    ]
    partners += _regional(_REGIONAL_COUNCILS, PartnerKind.REGIONAL_COUNCIL)
    partners += _regional(_CHAMBERS, PartnerKind.CHAMBER_OF_COMMERCE)
    partners += _regional(_ENTREPRENEURS_REGIONAL, PartnerKind.ENTREPRENEURS_ASSOCIATION)
    partners += _regional(
        _UNIVERSITIES_OF_APPLIED_SCIENCES, PartnerKind.UNIVERSITY_OF_APPLIED_SCIENCES
    )
    partners += _regional(_UNIVERSITIES, PartnerKind.UNIVERSITY)
    partners += _regional(_VOCATIONAL_COLLEGES, PartnerKind.VOCATIONAL_COLLEGE)
    development = PartnerKind.DEVELOPMENT_COMPANY
    partners += [
        (name, development, code, town, list(_SERVES[development]))
        for name, code, town in _DEVELOPMENT_COMPANIES
    ]
    for town, code, regional in TOWNS:
        if not regional:
            continue
        genitive = TOWN_GENITIVE[town]
        partners.append(
            (
                f"{genitive} työllisyyspalvelut",
                PartnerKind.EMPLOYMENT_SERVICES,
                code,
                town,
                list(_SERVES[PartnerKind.EMPLOYMENT_SERVICES]),
            )
        )
        partners.append(
            (
                f"{genitive} Yrittäjät ry",
                PartnerKind.ENTREPRENEURS_ASSOCIATION,
                code,
                town,
                list(_SERVES[PartnerKind.ENTREPRENEURS_ASSOCIATION]),
            )
        )
    return partners


PARTNERS: list[Partner] = _build_partners()


# Research organisations of the innovation ecosystems: (name, region code or None, served codes).
_RESEARCH_ORGANISATIONS: list[tuple[str, str | None, list[str]]] = [
    ("Teknologian tutkimuskeskus VTT", None, ["rdi", "digitalisation", "circular_economy"]),
    ("Luonnonvarakeskus Luke", None, ["rdi", "circular_economy"]),
    ("Geologian tutkimuskeskus GTK", None, ["rdi", "circular_economy"]),
    ("Helsingin yliopiston Ruralia-instituutti", "14", ["rdi", "succession"]),
    ("Kokkolan yliopistokeskus Chydenius", "16", ["rdi", "training"]),
]


def _build_ecosystem_actors() -> list[Partner]:
    """Actors added for the innovation ecosystems: each regional town's own city organisation,
    and the research organisations."""
    actors: list[Partner] = [
        (name, PartnerKind.RESEARCH_ORGANISATION, code, None, serves)
        for name, code, serves in _RESEARCH_ORGANISATIONS
    ]
    municipality = PartnerKind.MUNICIPALITY
    actors += [
        (f"{TOWN_GENITIVE[town]} kaupunki", municipality, code, town, list(_SERVES[municipality]))
        for town, code, regional in TOWNS
        if regional
    ]
    return actors


ECOSYSTEM_ACTORS: list[Partner] = _build_ecosystem_actors()
