"""The kinds of meeting in the seeds (DOMAIN.md, "Meetings in the seeds"); division staff add others."""

EVENT_KINDS = [
    ("ict-conference", "ICT conference", "The annual or biennial conference of all ICT professionals."),
    ("ict-heads-meeting", "ICT Heads' meeting", "The agencies' ICT heads with the division, about four a year."),
    ("review-committee", "ICT review committee", "Reviews ICT projects, policies and the cadre's management."),
    ("experts-group", "Experts' group meeting", "Members of an expert pool on a question in their field."),
    ("senior-user-management", "Senior user management meeting", "Senior users of government systems."),
    ("committee-of-secretaries", "Committee of Secretaries briefing", "Briefing the Committee of Secretaries."),
    ("dzongdags-meeting", "Dzongdags' meeting", "The annual meeting of the dzongkhag administrations' heads."),
    ("orientation", "Orientation", "Orientation of newly appointed ICT professionals."),
    ("internal", "Internal division meeting", "Meetings within the ICT Management Division."),
]


def load() -> None:
    from .models import EventKind

    for order, (code, name, description) in enumerate(EVENT_KINDS, start=1):
        EventKind.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order * 10}
        )
