"""Demo logins: one for each role, so that every screen can be tried with the right scope."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.models import Role, User

from .agencies import agency_specs
from .people import Person


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    scope: str


def create_logins(
    rng: random.Random, *, agencies: dict, unit_agencies: list[str], heads: dict[str, Person | None], people: list
) -> list[Login]:
    """Division staff, an HR officer, the ICT head of every agency with an ICT unit, and a few
    professionals. All share settings.DEMO_PASSWORD, hashed once: hashing is deliberately slow."""
    password = make_password(settings.DEMO_PASSWORD)
    users: list[User] = [
        User(
            username="division",
            first_name="Kinley",
            last_name="Wangmo",
            email="division@govtech.gov.bt",
            role=Role.DIVISION,
            is_staff=True,
            password=password,
        ),
        User(
            username="hr",
            first_name="Sonam",
            last_name="Yangden",
            email="hr@rcsc.gov.bt",
            role=Role.HR_OFFICER,
            is_staff=True,
            password=password,
        ),
    ]
    logins = [
        Login("division", Role.DIVISION.label, "every agency and professional"),
        Login("hr", Role.HR_OFFICER.label, "every agency and professional (read only)"),
    ]
    children = Counter(spec.parent for spec in agency_specs() if spec.parent)
    for code in unit_agencies:
        agency, head = agencies[code], heads.get(code)
        username = f"head-{code.lower()}"
        users.append(
            User(
                username=username,
                first_name=head.first_name if head else "",
                last_name=" ".join(part for part in (head.middle_name, head.last_name) if part) if head else "",
                email=head.email if head else agency.email,
                role=Role.AGENCY_HEAD,
                agency_id=agency.pk,
                password=password,
            )
        )
        below = children.get(code, 0)
        scope = f"{agency.name} and its {below} department{'s' if below > 1 else ''}" if below else agency.name
        logins.append(Login(username, Role.AGENCY_HEAD.label, scope))
    in_service = sorted((p for p in people if p.in_service), key=lambda p: p.employee_id)
    for person in sorted(rng.sample(in_service, min(5, len(in_service))), key=lambda p: p.employee_id):
        username = f"pro-{person.employee_id}"
        users.append(
            User(
                username=username,
                first_name=person.first_name,
                last_name=" ".join(part for part in (person.middle_name, person.last_name) if part),
                email=person.email,
                role=Role.PROFESSIONAL,
                professional_id=person.pk,
                password=password,
            )
        )
        logins.append(Login(username, Role.PROFESSIONAL.label, f"own record ({person.full_name})"))
    User.objects.bulk_create(users)
    return logins


def existing_logins() -> list[Login]:
    """The logins already in the database (for `seed_demo --if-empty` on a seeded database)."""
    users = (
        User.objects.filter(is_active=True, is_superuser=False)
        .select_related("agency", "professional")
        .order_by("role", "username")
    )
    logins = []
    for user in users:
        if user.agency_id:
            scope = f"{user.agency.name} and the agencies under it"
        elif user.professional_id:
            scope = f"own record ({user.professional.full_name})"
        elif user.role == Role.HR_OFFICER:
            scope = "every agency and professional (read only)"
        else:
            scope = "every agency and professional"
        logins.append(Login(user.username, user.get_role_display(), scope))
    return logins
