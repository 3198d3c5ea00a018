from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    DIVISION = "division", "ICT Management Division staff"
    AGENCY_HEAD = "agency_head", "Agency ICT head"
    HR_OFFICER = "hr_officer", "HR officer"
    PROFESSIONAL = "professional", "ICT professional"
    API_CLIENT = "api_client", "API client (another system)"


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser is division staff: the default role (professional) needs a linked record.
        extra_fields.setdefault("role", Role.DIVISION)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person or system that signs in. What it may see follows from `role` and its scope.

    The rules themselves live in `accounts.access`, the one place that decides visibility.
    """

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PROFESSIONAL, db_index=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="For agency ICT heads and agency-scoped API clients: the agency whose whole subtree they may see.",
    )
    professional = models.OneToOneField(
        "professionals.Professional",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        help_text="For ICT professionals: their own record.",
    )
    can_view_national_ids = models.BooleanField(
        default=False,
        help_text="HR officers and agency heads see national id numbers only when this is granted.",
    )
    read_only = models.BooleanField(
        default=False, help_text="Refuse every write by this account (used for read-only API clients)."
    )

    objects = AccountManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="agency_head") | Q(agency__isnull=False),
                name="agency_head_has_agency",
                violation_error_message="An agency ICT head must have an agency.",
            ),
            models.CheckConstraint(
                condition=~Q(role="professional") | Q(professional__isnull=False) | Q(is_active=False),
                name="professional_user_has_record",
                violation_error_message="A professional's account must be linked to their record.",
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
