"""Enumerations stored as short strings; the database checks them with CHECK constraints."""

from enum import StrEnum


class Role(StrEnum):
    ADVISOR = "advisor"
    PROJECT_MANAGER = "project_manager"
    LEADERSHIP = "leadership"
    ADMIN = "admin"


class SizeClass(StrEnum):
    MICRO = "micro"  # fewer than 10 staff
    SMALL = "small"  # fewer than 50
    MEDIUM = "medium"  # fewer than 250
    LARGE = "large"


class Channel(StrEnum):
    VISIT = "visit"
    MEETING = "meeting"
    PHONE = "phone"
    EMAIL = "email"
    EVENT = "event"
    ONLINE = "online"
    SURVEY = "survey"


class Severity(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class NeedStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    MET = "met"
    NOT_MET = "not_met"
    WITHDRAWN = "withdrawn"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"


class PartnerKind(StrEnum):
    EMPLOYMENT_SERVICES = "employment_services"
    ELY_CENTRE = "ely_centre"
    BUSINESS_FINLAND = "business_finland"
    FINNVERA = "finnvera"
    ENTERPRISE_AGENCY = "enterprise_agency"
    DEVELOPMENT_COMPANY = "development_company"
    UNIVERSITY_OF_APPLIED_SCIENCES = "university_of_applied_sciences"
    UNIVERSITY = "university"
    VOCATIONAL_COLLEGE = "vocational_college"
    REGIONAL_COUNCIL = "regional_council"
    CHAMBER_OF_COMMERCE = "chamber_of_commerce"
    ENTREPRENEURS_ASSOCIATION = "entrepreneurs_association"
    MUNICIPALITY = "municipality"
    RESEARCH_ORGANISATION = "research_organisation"
    ASSOCIATION = "association"
    OTHER = "other"


class ActorType(StrEnum):
    """The kinds of organisation an innovation ecosystem is made of, besides its companies."""

    EDUCATION = "education"
    MUNICIPAL = "municipal"
    STATE = "state"
    RESEARCH = "research"
    ASSOCIATION = "association"
    OTHER = "other"


# Employment services moved from the state to the municipalities on 1.1.2025, and regional
# councils are joint municipal authorities: both count as municipal actors.
ACTOR_TYPE_OF_KIND: dict[PartnerKind, ActorType] = {
    PartnerKind.UNIVERSITY: ActorType.EDUCATION,
    PartnerKind.UNIVERSITY_OF_APPLIED_SCIENCES: ActorType.EDUCATION,
    PartnerKind.VOCATIONAL_COLLEGE: ActorType.EDUCATION,
    PartnerKind.MUNICIPALITY: ActorType.MUNICIPAL,
    PartnerKind.DEVELOPMENT_COMPANY: ActorType.MUNICIPAL,
    PartnerKind.EMPLOYMENT_SERVICES: ActorType.MUNICIPAL,
    PartnerKind.REGIONAL_COUNCIL: ActorType.MUNICIPAL,
    PartnerKind.ELY_CENTRE: ActorType.STATE,
    PartnerKind.BUSINESS_FINLAND: ActorType.STATE,
    PartnerKind.FINNVERA: ActorType.STATE,
    PartnerKind.RESEARCH_ORGANISATION: ActorType.RESEARCH,
    PartnerKind.CHAMBER_OF_COMMERCE: ActorType.ASSOCIATION,
    PartnerKind.ENTREPRENEURS_ASSOCIATION: ActorType.ASSOCIATION,
    PartnerKind.ENTERPRISE_AGENCY: ActorType.ASSOCIATION,
    PartnerKind.ASSOCIATION: ActorType.ASSOCIATION,
    PartnerKind.OTHER: ActorType.OTHER,
}


def kinds_of_type(actor_type: ActorType) -> list[str]:
    """The partner kinds that make up an actor type."""
    return [kind.value for kind, of in ACTOR_TYPE_OF_KIND.items() if of == actor_type]


class PartnershipKind(StrEnum):
    EDUCATION_COOPERATION = "education_cooperation"
    RND = "rnd"
    NETWORK_MEMBERSHIP = "network_membership"
    FUNDING = "funding"
    SERVICE_AGREEMENT = "service_agreement"


class Maturity(StrEnum):
    STARTING = "starting"
    DEVELOPING = "developing"
    ESTABLISHED = "established"


class EcosystemDriver(StrEnum):
    """Who drives a town's innovation ecosystem."""

    CITY = "city"
    COMPANY = "company"
    EDUCATION = "education"


class ProjectKind(StrEnum):
    REGIONAL_NETWORK = "regional_network"
    THEMATIC_NETWORK = "thematic_network"


class ActivityType(StrEnum):
    EVENT = "event"
    TRAINING = "training"
    WORKSHOP = "workshop"
    PILOT = "pilot"
    NETWORK_MEETING = "network_meeting"
    CO_DEVELOPMENT = "co_development"


class ParticipationRole(StrEnum):
    PARTICIPANT = "participant"
    CO_DEVELOPER = "co_developer"  # co-developer or initiator: the company drives the work
    PARTNER = "partner"
    SPEAKER = "speaker"


class NeedMet(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class LegalBasis(StrEnum):
    LEGITIMATE_INTEREST = "legitimate_interest"
    CONSENT = "consent"
    CONTRACT = "contract"
    PUBLIC_TASK = "public_task"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    EXPORT = "export"
    ERASE = "erase"


# TOL 2008 sections: letter -> (Finnish, English).
TOL_SECTIONS: dict[str, tuple[str, str]] = {
    "A": ("Maatalous, metsätalous ja kalatalous", "Agriculture, forestry and fishing"),
    "B": ("Kaivostoiminta ja louhinta", "Mining and quarrying"),
    "C": ("Teollisuus", "Manufacturing"),
    "D": ("Sähkö-, kaasu- ja lämpöhuolto", "Electricity, gas and heat supply"),
    "E": ("Vesihuolto ja jätehuolto", "Water supply and waste management"),
    "F": ("Rakentaminen", "Construction"),
    "G": ("Tukku- ja vähittäiskauppa", "Wholesale and retail trade"),
    "H": ("Kuljetus ja varastointi", "Transportation and storage"),
    "I": ("Majoitus- ja ravitsemistoiminta", "Accommodation and food service"),
    "J": ("Informaatio ja viestintä", "Information and communication"),
    "K": ("Rahoitus- ja vakuutustoiminta", "Financial and insurance activities"),
    "L": ("Kiinteistöalan toiminta", "Real estate activities"),
    "M": (
        "Ammatillinen, tieteellinen ja tekninen toiminta",
        "Professional, scientific and technical activities",
    ),
    "N": ("Hallinto- ja tukipalvelutoiminta", "Administrative and support services"),
    "O": ("Julkinen hallinto ja maanpuolustus", "Public administration and defence"),
    "P": ("Koulutus", "Education"),
    "Q": ("Terveys- ja sosiaalipalvelut", "Human health and social work"),
    "R": ("Taiteet, viihde ja virkistys", "Arts, entertainment and recreation"),
    "S": ("Muu palvelutoiminta", "Other service activities"),
    "T": ("Kotitalouksien toiminta työnantajina", "Activities of households as employers"),
    "U": ("Kansainvälisten organisaatioiden toiminta", "Extraterritorial organisations"),
}


def size_class_for_staff(staff: int) -> SizeClass:
    """The size class that a staff count puts a company in."""
    if staff < 10:
        return SizeClass.MICRO
    if staff < 50:
        return SizeClass.SMALL
    if staff < 250:
        return SizeClass.MEDIUM
    return SizeClass.LARGE
