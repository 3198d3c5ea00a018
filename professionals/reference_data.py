"""The Bhutan civil-service defaults (DOMAIN.md): grade categories, grades, retirement ages and
ICT position titles. Loaded by `manage.py load_reference_data`; afterwards they are data that
division staff edit, so another government changes rows, not code.

Ranks order seniority (higher is more senior). SS1 ranks beside P2 as the civil-service rules
say; the O-level sub-grades and the title-to-grade bands are plausible defaults (unconfirmed).
"""

import datetime as dt

CATEGORIES = [
    # code, name, sort order
    ("EX", "Executive", 10),
    ("ES", "Executive Specialist", 20),
    ("P", "Professional and Management", 30),
    ("SS", "Senior Supervisory", 40),
    ("S", "Supervisory and Support", 50),
    ("O", "Operational", 60),
]

GRADES = [
    # code, category, rank
    ("EX1", "EX", 72),
    ("EX2", "EX", 71),
    ("EX3", "EX", 70),
    ("ES1", "ES", 62),
    ("ES2", "ES", 61),
    ("ES3", "ES", 60),
    ("P1", "P", 50),
    ("SS1", "SS", 47),
    ("P2", "P", 46),
    ("SS2", "SS", 45),
    ("P3", "P", 44),
    ("SS3", "SS", 43),
    ("P4", "P", 42),
    ("SS4", "SS", 41),
    ("P5", "P", 40),
    ("S1", "S", 24),
    ("S2", "S", 23),
    ("S3", "S", 22),
    ("S4", "S", 21),
    ("S5", "S", 20),
    ("O1", "O", 13),
    ("O2", "O", 12),
    ("O3", "O", 11),
    ("O4", "O", 10),
]

# Superannuation ages; raised by the civil-service reform effective 2023-04-22.
ORIGINAL_RULES_FROM = dt.date(1990, 1, 1)
RULE_CHANGE = dt.date(2023, 4, 22)
RETIREMENT_AGES = [
    # category, age before the change, age from RULE_CHANGE
    ("EX", 60, 63),
    ("ES", 60, 63),
    ("P", 58, 60),
    ("SS", 58, 59),
    ("S", 56, 57),
    ("O", 56, 57),
]

POSITION_TITLES = [
    # code, name, lowest grade, highest grade
    ("ict-technical-associate", "ICT Technical Associate", "S5", "S1"),
    ("assistant-ict-officer", "Assistant ICT Officer", "SS4", "SS1"),
    ("ict-officer", "ICT Officer", "P5", "P4"),
    ("senior-ict-officer", "Senior ICT Officer", "P3", "P2"),
    ("chief-ict-officer", "Chief ICT Officer", "P1", "P1"),
    ("ict-specialist", "ICT Specialist", "ES3", "ES1"),
]


def load() -> None:
    from .models import Grade, GradeCategory, PositionTitle, RetirementAgeRule

    categories = {}
    for code, name, order in CATEGORIES:
        categories[code], _ = GradeCategory.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    grades = {}
    for code, category, rank in GRADES:
        grades[code], _ = Grade.objects.update_or_create(
            code=code, defaults={"category": categories[category], "rank": rank, "name": code}
        )
    for category, before, after in RETIREMENT_AGES:
        for age, start, source in (
            (before, ORIGINAL_RULES_FROM, "Civil service rules before the 2023 reform"),
            (after, RULE_CHANGE, "Superannuation ages raised with effect from 22 April 2023"),
        ):
            RetirementAgeRule.objects.update_or_create(
                category=categories[category], effective_from=start, defaults={"age": age, "source": source}
            )
    for code, name, low, high in POSITION_TITLES:
        PositionTitle.objects.update_or_create(
            code=code, defaults={"name": name, "min_grade": grades[low], "max_grade": grades[high]}
        )
