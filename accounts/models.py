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


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, today) -> "ApiTokenQuerySet":
        """Tokens that authenticate on `today`: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))


class ApiToken(models.Model):
    """A secret another system sends as `Authorization: Token <key>` to act as its API client.

    The key is `<prefix>.<secret>`. Only the prefix (to find the row) and a SHA-256 hash of the
    whole key are stored, so a copy of the database does not hand out working keys; the key itself
    is shown once, when `create_api_client` issues it. The secret has 256 random bits, so a fast
    hash is enough: there is nothing to guess that a slow one would protect.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        limit_choices_to={"role": Role.API_CLIENT},
        help_text="The API client (an account with the role API client) the token acts as.",
    )
    name = models.CharField(max_length=80, blank=True, help_text="What the token is for, e.g. the server holding it.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="From this day on the token no longer works. Empty: until revoked."
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.user.username} {self.prefix}…"

    def state(self, today) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and self.expires_on <= today:
            return "expired"
        return "active"
