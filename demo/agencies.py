"""The demo government: the parent agency, the nine post-2022 ministries and some of their
departments, autonomous agencies, the 20 dzongkhags and 4 thromdes (DOMAIN.md), with their ICT
units and sanctioned posts.

The list is fixed so that the demo reads like the real thing; only flags such as digital maturity
are drawn from the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history

from agencies.models import Agency, ICTUnit, ICTUnitKind, SanctionedPost
from agencies.reference_data import DZONGKHAGS

from . import HISTORY_REASON

PARENT_CODE = "GOVTECH"
DISSOLVED_CODE = "MOIC"
# The 2022 restructuring dissolved the Ministry of Information and Communications; its Department
# of IT & Telecom (the ICT professionals' parent) became the GovTech Agency.
RESTRUCTURING_DATE = dt.date(2022, 12, 1)
PARENT_AGENCY_SETTING = "GovTech ICT Management Division"


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    kind: str
    region: str
    # Relative share of the ICT workforce placed here; 0 for agencies served by their ministry.
    weight: float
    unit_kind: str | None
    parent: str | None = None
    critical: bool = False
    systems: str = ""


def _central(code, name, short, kind, weight, unit, parent=None, critical=False, systems=""):
    return AgencySpec(code, name, short, kind, "Thimphu", weight, unit, parent, critical, systems)


MINISTRIES = [
    _central("MOAL", "Ministry of Agriculture and Livestock", "MoAL", "ministry", 2.2, "ict-division"),
    _central("MOESD", "Ministry of Education and Skills Development", "MoESD", "ministry", 2.8, "ict-division"),
    _central("MOENR", "Ministry of Energy and Natural Resources", "MoENR", "ministry", 2.0, "ict-division"),
    _central("MOF", "Ministry of Finance", "MoF", "ministry", 3.0, "ict-division", critical=True),
    _central("MOFAET", "Ministry of Foreign Affairs and External Trade", "MoFAET", "ministry", 1.6, "ict-division"),
    _central(
        "MOH",
        "Ministry of Health",
        "MoH",
        "ministry",
        3.0,
        "ict-division",
        systems="the electronic patient information system and the health management information system",
    ),  # fmt: skip
    _central("MOHA", "Ministry of Home Affairs", "MoHA", "ministry", 2.2, "ict-division"),
    _central("MOICE", "Ministry of Industry, Commerce and Employment", "MoICE", "ministry", 2.0, "ict-cluster"),
    _central("MOIT", "Ministry of Infrastructure and Transport", "MoIT", "ministry", 2.0, "ict-division"),
]

DEPARTMENTS = [
    _central("DOA", "Department of Agriculture", "DoA", "department", 1.0, "ict-section", "MOAL"),
    _central("DOL", "Department of Livestock", "DoL", "department", 0, None, "MOAL"),
    _central(
        "DSE",
        "Department of School Education",
        "DSE",
        "department",
        1.4,
        "ict-section",
        "MOESD",
        systems="the school management information system",
    ),  # fmt: skip
    _central(
        "DWPSD",
        "Department of Workforce Planning and Skills Development",
        "DWPSD",
        "department",
        0.8,
        "ict-section",
        "MOESD",
    ),  # fmt: skip
    _central("DOFPS", "Department of Forests and Park Services", "DoFPS", "department", 0.9, "ict-section", "MOENR"),
    _central("DOE", "Department of Energy", "DoE", "department", 0, None, "MOENR"),
    _central(
        "DRC",
        "Department of Revenue and Customs",
        "DRC",
        "department",
        2.2,
        "ict-section",
        "MOF",
        critical=True,
        systems="the revenue administration and customs systems",
    ),  # fmt: skip
    _central(
        "DTA",
        "Department of Treasury and Accounts",
        "DTA",
        "department",
        1.6,
        "ict-section",
        "MOF",
        critical=True,
        systems="the public expenditure management system and the electronic payment gateway",
    ),  # fmt: skip
    _central("DMDF", "Department of Macro-Fiscal and Development Finance", "DMDF", "department", 0, None, "MOF"),
    _central(
        "DPCA",
        "Department of Protocol and Consular Affairs",
        "DPCA",
        "department",
        0.6,
        "ict-section",
        "MOFAET",
        systems="the passport and visa systems",
    ),  # fmt: skip
    _central("DOPH", "Department of Public Health", "DoPH", "department", 1.0, "ict-section", "MOH"),
    _central("DOMS", "Department of Medical Services", "DoMS", "department", 1.0, "ict-section", "MOH"),
    _central(
        "DCRC",
        "Department of Civil Registration and Census",
        "DCRC",
        "department",
        1.5,
        "ict-section",
        "MOHA",
        critical=True,
        systems="the civil registration and census system",
    ),  # fmt: skip
    _central(
        "DLGDM",
        "Department of Local Governance and Disaster Management",
        "DLGDM",
        "department",
        0.8,
        "ict-section",
        "MOHA",
    ),  # fmt: skip
    _central(
        "DOT",
        "Department of Trade",
        "DoT",
        "department",
        0.8,
        "ict-section",
        "MOICE",
        systems="the electronic trade licensing system",
    ),  # fmt: skip
    _central(
        "DOST",
        "Department of Surface Transport",
        "DoST",
        "department",
        1.0,
        "ict-section",
        "MOIT",
        systems="the vehicle registration and driving licence systems",
    ),  # fmt: skip
    _central("DOAT", "Department of Air Transport", "DoAT", "department", 0, None, "MOIT"),
]

AUTONOMOUS = [
    _central(
        "RCSC",
        "Royal Civil Service Commission",
        "RCSC",
        "autonomous",
        1.6,
        "ict-unit",
        systems="the civil service information system",
    ),  # fmt: skip
    _central("NSB", "National Statistics Bureau", "NSB", "autonomous", 1.2, "ict-unit"),
    _central("ACC", "Anti-Corruption Commission", "ACC", "autonomous", 0.9, "ict-unit"),
    _central("RAA", "Royal Audit Authority", "RAA", "autonomous", 1.1, "ict-unit"),
    _central(
        "ECB",
        "Election Commission of Bhutan",
        "ECB",
        "autonomous",
        1.0,
        "ict-unit",
        critical=True,
        systems="the electoral roll and the results management system",
    ),  # fmt: skip
    _central(
        "NLCS",
        "National Land Commission Secretariat",
        "NLCS",
        "autonomous",
        1.2,
        "ict-unit",
        systems="the land records and cadastral information system",
    ),  # fmt: skip
    _central("BNCA", "Bhutan Narcotics Control Authority", "BNCA", "autonomous", 0.6, "ict-unit"),
    _central("CABSEC", "Cabinet Secretariat", "Cabinet Secretariat", "autonomous", 0.8, "ict-unit"),
    _central(
        "RMA",
        "Royal Monetary Authority of Bhutan",
        "RMA",
        "autonomous",
        1.5,
        "ict-division",
        critical=True,
        systems="the national payment and settlement systems",
    ),  # fmt: skip
    _central(
        "DDC",
        "Dzongkha Development Commission",
        "DDC",
        "autonomous",
        0.6,
        "ict-unit",
        systems="Dzongkha fonts, keyboards and localisation tools",
    ),  # fmt: skip
    _central("NECS", "National Environment Commission Secretariat", "NECS", "autonomous", 0.7, "ict-unit"),
    _central(
        "TCB",
        "Tourism Council of Bhutan",
        "TCB",
        "autonomous",
        0.9,
        "ict-unit",
        systems="the tourist visa and permit system",
    ),  # fmt: skip
    _central("BICMA", "Bhutan InfoComm and Media Authority", "BICMA", "autonomous", 0.9, "ict-unit"),
    _central("OAG", "Office of the Attorney General", "OAG", "autonomous", 0.7, "ict-unit"),
    _central("BSB", "Bhutan Standards Bureau", "BSB", "autonomous", 0.6, "ict-unit"),
]

THROMDES = [
    ("TH-THIMPHU", "Thimphu Thromde", "Thimphu", 2.0),
    ("TH-PHUENTSHOLING", "Phuentsholing Thromde", "Chhukha", 1.2),
    ("TH-GELEPHU", "Gelephu Thromde", "Sarpang", 1.0),
    ("TH-SJONGKHAR", "Samdrup Jongkhar Thromde", "Samdrup Jongkhar", 0.8),
]
# Dzongkhag ICT sections are small; the bigger dzongkhags have a few more people.
DZONGKHAG_WEIGHT = {"Thimphu": 1.4, "Chhukha": 1.3, "Paro": 1.2, "Samtse": 1.1, "Sarpang": 1.1, "Trashigang": 1.1}
# Landline area codes, for agency phone numbers.
AREA_CODE = {
    "Thimphu": "2", "Punakha": "2", "Wangdue Phodrang": "2", "Gasa": "2", "Bumthang": "3", "Trongsa": "3",
    "Zhemgang": "3", "Mongar": "4", "Trashigang": "4", "Trashiyangtse": "4", "Lhuentse": "4", "Chhukha": "5",
    "Samtse": "5", "Sarpang": "6", "Tsirang": "6", "Dagana": "6", "Samdrup Jongkhar": "7", "Pemagatshel": "7",
    "Paro": "8", "Haa": "8",
}  # fmt: skip


def agency_specs() -> list[AgencySpec]:
    """Every demo agency, parents before children (the dissolved ministry last)."""
    parent = _central(
        PARENT_CODE, "Government Technology Agency", "GovTech", "autonomous", 14.0, "ict-division", critical=True,
        systems="the government data centre, the government network and shared platforms such as the national "
        "digital identity and the government service portal",
    )  # fmt: skip
    dzongkhags = [
        AgencySpec(
            code="DZ-" + name.upper().replace(" ", ""),
            name=f"{name} Dzongkhag Administration",
            short_name=f"{name} Dzongkhag",
            kind="dzongkhag",
            region=name,
            weight=DZONGKHAG_WEIGHT.get(name, 1.0),
            unit_kind="ict-section",
        )
        for name in DZONGKHAGS
    ]
    thromdes = [AgencySpec(code, name, name, "thromde", region, w, "ict-unit") for code, name, region, w in THROMDES]
    dissolved = _central(DISSOLVED_CODE, "Ministry of Information and Communications", "MoIC", "ministry", 0, None)
    return [parent, *MINISTRIES, *AUTONOMOUS, *dzongkhags, *thromdes, *DEPARTMENTS, dissolved]


def _maturity(rng: random.Random, spec: AgencySpec) -> int:
    if spec.code == PARENT_CODE:
        return 5
    if spec.kind == "dzongkhag":
        return rng.choice([1, 2, 2, 3])
    if spec.kind == "thromde":
        return rng.choice([2, 3, 3, 4])
    return rng.choice([2, 3, 3, 4, 4, 5] if spec.critical else [2, 2, 3, 3, 4])


def _domain(spec: AgencySpec) -> str:
    if spec.kind == "dzongkhag":
        return spec.region.lower().replace(" ", "") + ".gov.bt"
    return spec.code.lower().replace("-", "") + ".gov.bt"


def create_agencies(rng: random.Random, *, kinds: dict, regions: dict) -> dict:
    """Insert the agencies (two passes: parents and successors need ids first). Returns them by code."""
    rows: dict[str, Agency] = {}
    passes: list[list[Agency]] = [[], []]
    for spec in agency_specs():
        agency = Agency(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            kind_id=kinds[spec.kind],
            region_id=regions[spec.region],
            is_parent_agency=spec.code == PARENT_CODE,
            critical_information_infrastructure=spec.critical,
            digital_maturity=_maturity(rng, spec),
            email=f"ict@{_domain(spec)}",
            phone=f"+975 {AREA_CODE[spec.region]} {rng.randint(210000, 399999)}",
            address=f"{spec.name}, {spec.region}, Bhutan",
        )
        if spec.code == PARENT_CODE:
            agency.established_on = RESTRUCTURING_DATE
        rows[spec.code] = agency
        passes[1 if spec.parent or spec.code == DISSOLVED_CODE else 0].append(agency)
    bulk_create_with_history(passes[0], Agency, default_change_reason=HISTORY_REASON)
    for spec in agency_specs():
        if spec.parent:
            rows[spec.code].parent_id = rows[spec.parent].pk
    dissolved = rows[DISSOLVED_CODE]
    dissolved.dissolved_on = RESTRUCTURING_DATE
    dissolved.successor_id = rows[PARENT_CODE].pk
    bulk_create_with_history(passes[1], Agency, default_change_reason=HISTORY_REASON)
    return rows


# ---------------------------------------------------------------------------------------------
# ICT units


TOR_OPENING = {
    "ict-division": (
        "The {unit} is the focal point for information and communication technology in the {agency}. It prepares "
        "the ICT plan of the {short} and its departments in line with the national e-governance policy and the "
        "standards issued by the GovTech Agency, and carries it out with the ICT sections below it."
    ),
    "ict-cluster": (
        "The {unit} brings the ICT professionals of the {agency} and its departments together in one cluster, so "
        "that scarce skills are shared across the {short} rather than tied to one office. The cluster head plans "
        "the work of the cluster each quarter with the department heads."
    ),
    "ict-section": (
        "The {unit} runs the day-to-day ICT services of the {agency}. It looks after the office network, user "
        "devices and the systems the {short} depends on, and answers users' requests for help."
    ),
    "ict-unit": (
        "The {unit} plans, runs and secures the ICT services of the {agency}. It is a small team, so it buys "
        "common services (hosting, email, the government network) from the GovTech Agency instead of running "
        "its own."
    ),
}
TOR_LOCAL = {
    "dzongkhag": (
        "It supports the Dzongkhag Administration, the gewog administrations and the community centres of "
        "{region}, keeps the gewog connectivity working and trains local staff in the government's online "
        "services."
    ),
    "thromde": (
        "It runs the thromde's online municipal services (building permits, property tax, water and waste "
        "billing) and the thromde's geographic information system."
    ),
}
TOR_PARENT = (
    "The ICT Management Division of the GovTech Agency is the parent agency of every ICT professional in the "
    "civil service. It keeps their records, places and transfers them between agencies, plans their training "
    "and career tracks, maintains the pools of experts and convenes the ICT Heads' meetings and the national "
    "ICT conference. Within the GovTech Agency it also runs {systems}."
)
TOR_EXTRAS = [
    "It keeps an up-to-date register of the agency's ICT assets, licences and contracts.",
    "It reports security incidents to the national computer incident response team within 24 hours.",
    "It reviews every ICT procurement of the agency for technical fit before the tender is issued.",
    "It publishes the agency's open data in agreement with the National Statistics Bureau.",
    "It tests and applies the backups of the agency's systems at least once a quarter.",
    "It proposes the training needs of its staff to the GovTech Agency each financial year.",
    "It keeps the agency's website and social media accounts current and accessible.",
    "It takes part in the ICT Heads' meetings and reports on the agency's ICT plan there.",
]


def terms_of_reference(rng: random.Random, spec: AgencySpec, unit_name: str) -> str:
    """Several sentences, varied by the kind of unit and agency, written for the demo."""
    if spec.code == PARENT_CODE:
        return TOR_PARENT.format(systems=spec.systems)
    words = {"unit": unit_name.split(",")[0], "agency": spec.name, "short": spec.short_name, "region": spec.region}
    parts = [TOR_OPENING[spec.unit_kind].format(**words)]
    if spec.kind in TOR_LOCAL:
        parts.append(TOR_LOCAL[spec.kind].format(**words))
    if spec.systems:
        parts.append(f"It develops and maintains {spec.systems}, working with the vendors that support them.")
    parts.extend(rng.sample(TOR_EXTRAS, 2))
    parts.append("It coordinates with the GovTech Agency on the placement, transfer and training of its ICT staff.")
    return " ".join(parts)


def unit_name(spec: AgencySpec, unit_kind_names: dict[str, str]) -> str:
    if spec.code == PARENT_CODE:
        return "ICT Management Division, Government Technology Agency"
    label = unit_kind_names[spec.unit_kind]
    label = label[:1].upper() + label[1:]
    # "ICT division" reads as a proper name once attached to an agency: "ICT Division, Ministry of Health".
    label = " ".join(word if word.isupper() else word.capitalize() for word in label.split())
    return f"{label}, {spec.name}"


def create_ict_units(rng: random.Random, *, agencies: dict, unit_kinds: dict, heads: dict[str, int | None]) -> list:
    """One ICT unit for each agency that employs ICT staff; `heads` maps agency code to a professional id."""
    names = dict(ICTUnitKind.objects.values_list("code", "name"))
    units = []
    for spec in agency_specs():
        if not spec.unit_kind:
            continue
        name = unit_name(spec, names)
        units.append(
            ICTUnit(
                agency_id=agencies[spec.code].pk,
                kind_id=unit_kinds[spec.unit_kind],
                name=name,
                terms_of_reference=terms_of_reference(rng, spec, name),
                head_id=heads.get(spec.code),
                email=agencies[spec.code].email,
                established_on=RESTRUCTURING_DATE if spec.code == PARENT_CODE else None,
            )
        )
    return bulk_create_with_history(units, ICTUnit, default_change_reason=HISTORY_REASON)


def create_sanctioned_posts(rng: random.Random, *, agencies: dict, filled: Counter, title_ids: dict) -> list:
    """The establishment, set against today's placements so that every kind of gap shows.

    `filled` counts current placements by (agency code, title code). About a third of the agencies
    get exactly the posts they fill, the rest either have vacancies (more posts, and sometimes a
    title nobody holds yet) or are over-filled (fewer posts than people).
    """
    by_agency: dict[str, dict[str, int]] = {}
    for (code, title), count in sorted(filled.items()):
        by_agency.setdefault(code, {})[title] = count
    posts = []
    for spec in agency_specs():
        if not spec.unit_kind:
            continue
        held = by_agency.get(spec.code, {})
        shape = "vacant" if not held else rng.choices(["vacant", "exact", "over"], [4, 3, 3])[0]
        numbers = dict(held)
        if shape == "vacant":
            for title, count in held.items():
                numbers[title] = count + rng.randint(0, max(1, count // 5))
            # A post nobody holds yet: the typical vacancy an ICT head asks the parent agency to fill.
            missing = [t for t in ("ict-officer", "senior-ict-officer", "ict-technical-associate") if t not in held]
            if missing or not any(numbers[t] > held[t] for t in held):
                title = missing[0] if missing else next(iter(held))
                numbers[title] = numbers.get(title, 0) + rng.randint(1, 2)
        elif shape == "over":
            title = max(held, key=lambda t: (held[t], t))
            numbers[title] = held[title] - rng.randint(1, max(1, held[title] // 4))
        for title, number in sorted(numbers.items()):
            posts.append(
                SanctionedPost(
                    agency_id=agencies[spec.code].pk,
                    position_title_id=title_ids[title],
                    number=number,
                    notes="Establishment approved by the Royal Civil Service Commission",
                )
            )
    return bulk_create_with_history(posts, SanctionedPost, batch_size=5000, default_change_reason=HISTORY_REASON)
