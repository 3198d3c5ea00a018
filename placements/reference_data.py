"""Bhutan's transfer rules (DOMAIN.md), loaded by `manage.py load_reference_data`.

Afterwards they are data: division staff change the numbers, switch rules off or on per kind of
request, in the administration. Loading again leaves rules that already exist as they are, so a
country's edits survive an upgrade.
"""

from .models import RuleCode

SOURCE = "Bhutan Civil Service Rules (transfer provisions), as configured by default"

RULES = [
    # code, months, excluded employment types, applies to transfer / placement / secondment
    (RuleCode.MIN_SERVICE, 36, "", (True, False, True)),
    # The time in the current post is not fixed in the rules we found: three years is a default to confirm.
    (RuleCode.MIN_IN_POST, 36, "", (True, False, True)),
    (RuleCode.NEAR_SUPERANNUATION, 12, "", (True, True, True)),
    (RuleCode.EMPLOYMENT_TYPE, None, "contract", (True, False, True)),
    (RuleCode.VACANCY, None, "", (True, True, True)),
    (RuleCode.ONE_OPEN_REQUEST, None, "", (True, True, True)),
]


def load() -> None:
    from .models import TransferRule

    for code, months, excluded, (transfer, placement, secondment) in RULES:
        TransferRule.objects.get_or_create(
            code=code,
            defaults={
                "months": months,
                "employment_types": excluded,
                "applies_to_transfer": transfer,
                "applies_to_placement": placement,
                "applies_to_secondment": secondment,
                "source": SOURCE,
            },
        )
