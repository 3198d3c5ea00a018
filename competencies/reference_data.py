"""The default career tracks (DOMAIN.md)."""

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


def load() -> None:
    from .models import Track

    for order, (code, name, description) in enumerate(TRACKS, start=1):
        Track.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order * 10}
        )
