"""Bhutan defaults for the kinds of agency, the dzongkhags and the kinds of ICT unit (DOMAIN.md)."""

AGENCY_KINDS = [
    # code, name, plural, local government, order
    ("ministry", "Ministry", "Ministries", False, 10),
    ("department", "Department", "Departments", False, 20),
    ("autonomous", "Autonomous agency", "Autonomous agencies", False, 30),
    ("dzongkhag", "Dzongkhag administration", "Dzongkhag administrations", True, 40),
    ("thromde", "Thromde", "Thromdes", True, 50),
    ("gewog", "Gewog", "Gewogs", True, 60),
    ("community-centre", "Community centre", "Community centres", True, 70),
    ("other", "Other", "Other bodies", False, 90),
]

DZONGKHAGS = [
    "Bumthang",
    "Chhukha",
    "Dagana",
    "Gasa",
    "Haa",
    "Lhuentse",
    "Mongar",
    "Paro",
    "Pemagatshel",
    "Punakha",
    "Samdrup Jongkhar",
    "Samtse",
    "Sarpang",
    "Thimphu",
    "Trashigang",
    "Trashiyangtse",
    "Trongsa",
    "Tsirang",
    "Wangdue Phodrang",
    "Zhemgang",
]

ICT_UNIT_KINDS = [
    ("ict-division", "ICT division"),
    ("ict-section", "ICT section"),
    ("ict-unit", "ICT unit"),
    ("ict-cluster", "ICT cluster"),
    ("dtu", "Digital Transformation Unit"),
]


def load() -> None:
    from django.utils.text import slugify

    from .models import AgencyKind, ICTUnitKind, Region, SiteSettings

    for code, name, plural, local, order in AGENCY_KINDS:
        AgencyKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "plural_name": plural, "is_local_government": local, "sort_order": order},
        )
    for name in DZONGKHAGS:
        Region.objects.update_or_create(code=slugify(name), defaults={"name": name})
    for code, name in ICT_UNIT_KINDS:
        ICTUnitKind.objects.update_or_create(code=code, defaults={"name": name})
    SiteSettings.load()
