"""The default career tracks, competency framework and requirements (DOMAIN.md).

Loaded by `manage.py load_reference_data`; afterwards they are data that division staff edit.
The requirements are a plausible default (unconfirmed): the level each track's competencies need
per position title, with the ICT Officer and Senior ICT Officer titles split by grade band.
"""

TRACKS = [
    ("application-development", "Application Development", "Design, build and maintain government software."),
    ("infrastructure-networks", "Infrastructure & Networks", "Data centres, networks, cloud and end-user platforms."),
    ("cybersecurity", "Cybersecurity", "Protect government systems and information; respond to incidents."),
    ("data-analytics", "Data & Analytics", "Data engineering, analysis, statistics and data governance."),
    ("service-desk-support", "Service Desk & Support", "Day-to-day user support and ICT operations."),
    (
        "enterprise-architecture",
        "Enterprise Architecture & e-Gov standards",
        "Architecture, interoperability and standards across agencies.",
    ),
    ("telecom-space", "Telecom & Space technology", "Telecommunications, spectrum and space technology."),
    ("ict-management", "ICT Management & Project Management", "Plan, govern and deliver ICT programmes and projects."),
]

# The competencies of each track, the core ones first (they need the full level of the title).
TRACK_COMPETENCIES = {
    "application-development": ["PROG", "REQM", "TEST", "ARCH", "DTAN"],
    "infrastructure-networks": ["ITOP", "NTAS", "NTDS", "USUP", "SCTY"],
    "cybersecurity": ["SCTY", "SCAD", "PENT", "PEDP", "USUP"],
    "data-analytics": ["DENG", "DATS", "DTAN", "PEDP", "BUSA"],
    "service-desk-support": ["USUP", "ITOP", "NTAS", "RLMT"],
    "enterprise-architecture": ["STPL", "ARCH", "ISCO", "GOVN", "REQM"],
    "telecom-space": ["RFEN", "NTDS", "SPAC", "ITOP"],
    "ict-management": ["PRMG", "ITSP", "GOVN", "PGMG", "WFPL", "RLMT"],
}
CORE = 2  # the first two competencies of a track need the title's level; the others one less

# (position title, lowest grade, highest grade, level needed); None: no bound.
TITLE_LEVELS = [
    ("ict-technical-associate", None, None, 2),
    ("assistant-ict-officer", None, None, 3),
    ("ict-officer", None, "P5", 3),
    ("ict-officer", "P4", None, 4),
    ("senior-ict-officer", None, "P3", 4),
    ("senior-ict-officer", "P2", None, 5),
    ("chief-ict-officer", None, None, 5),
    ("ict-specialist", None, None, 6),
]


def load() -> None:
    from professionals.models import Grade, PositionTitle

    from .frameworks import DEFAULT_FILE, framework_load_file
    from .models import Competency, Requirement, Track

    framework = framework_load_file(DEFAULT_FILE)
    tracks = {}
    for order, (code, name, description) in enumerate(TRACKS, start=1):
        tracks[code], _ = Track.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order * 10}
        )
    competencies = {c.code: c for c in Competency.objects.filter(framework=framework)}
    for code, codes in TRACK_COMPETENCIES.items():
        tracks[code].competencies.add(*(competencies[c] for c in codes))
    titles = dict(PositionTitle.objects.values_list("code", "id"))
    grades = dict(Grade.objects.values_list("code", "id"))
    existing = set(Requirement.objects.values_list("track_id", "position_title_id", "competency_id", "min_grade_id"))
    rows = []
    for track_code, codes in TRACK_COMPETENCIES.items():
        for position, lowest, highest, level in TITLE_LEVELS:
            if position not in titles:
                continue
            for index, competency_code in enumerate(codes):
                key = (tracks[track_code].pk, titles[position], competencies[competency_code].pk, grades.get(lowest))
                if key in existing:  # edited rows are kept as division staff left them
                    continue
                rows.append(
                    Requirement(
                        track=tracks[track_code],
                        position_title_id=titles[position],
                        min_grade_id=grades.get(lowest),
                        max_grade_id=grades.get(highest),
                        competency=competencies[competency_code],
                        level=max(1, level if index < CORE else level - 1),
                    )
                )
    Requirement.objects.bulk_create(rows)
