"""Writes on accounts: API clients and their tokens.

The management commands, the admin and the API authentication all go through here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, Role, User

# last_used_at is a hint for people reviewing clients, not a log: write it at most this often so
# that a busy client does not turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class ApiTokenRejected(Exception):
    """The key does not authenticate; the message says why and what to do."""


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, client: User, name: str = "", expires_on: dt.date | None = None) -> tuple[ApiToken, str]:
    """Issue a new token for an API client; returns the row and the key, which is never stored."""
    if client.role != Role.API_CLIENT:
        raise ValidationError(f"{client.username} is not an API client; tokens are issued to API clients only.")
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": "The expiry date must be in the future."})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 1 in 4 billion, but cheap to rule out
        prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=client, name=name[:80], prefix=prefix, key_hash=_hash_key(key), expires_on=expires_on
    )
    return token, key


@transaction.atomic
def api_client_create(
    *,
    name: str,
    agency=None,
    read_only: bool = False,
    sees_national_ids: bool = False,
    expires_on: dt.date | None = None,
) -> tuple[User, ApiToken, str]:
    """Create an API client (an account with role api_client) and its first token.

    Scoped to `agency`, it sees what that agency's ICT head sees; without one, everything.
    """
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError as error:
        raise ValidationError(
            {"name": f"{name!r} cannot be a client name: use letters, digits and @ . + - _ only."}
        ) from error
    if len(name) > 150:
        raise ValidationError({"name": "A client name has at most 150 characters."})
    if User.objects.filter(username=name).exists():
        raise ValidationError({"name": f"An account named {name!r} already exists; choose another name."})
    client = User(username=name, role=Role.API_CLIENT, agency=agency, read_only=read_only)
    client.can_view_national_ids = sees_national_ids
    client.set_unusable_password()  # a client signs in with tokens only, never at the login page
    client.save()
    token, key = api_token_issue(client=client, name="issued with the client", expires_on=expires_on)
    return client, token, key


@transaction.atomic
def api_tokens_revoke(*, token_ids: list[int]) -> int:
    """Revoke these tokens (those already revoked keep their date); returns how many changed."""
    return ApiToken.objects.filter(id__in=token_ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def api_client_revoke(*, name: str) -> int:
    """Revoke every token of the API client `name`; returns how many were still active."""
    client = User.objects.filter(username=name, role=Role.API_CLIENT).first()
    if client is None:
        raise ValidationError({"name": f"There is no API client named {name!r}; list them with list_api_clients."})
    token_ids = list(client.api_tokens.values_list("id", flat=True))
    return api_tokens_revoke(token_ids=token_ids)


def api_token_authenticate(key: str) -> ApiToken:
    """The token row for `key` with its user, or ApiTokenRejected saying why not."""
    prefix, dot, _ = key.partition(".")
    if not dot or not prefix:
        raise ApiTokenRejected(
            "The API token is malformed: a token looks like '1a2b3c4d.<secret>'; copy it whole, as printed."
        )
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash_key(key)):
        raise ApiTokenRejected("The API token is not valid. Check that it was copied whole, or ask for a new one.")
    now = timezone.now()
    today = timezone.localdate(now)
    if token.revoked_at is not None:
        raise ApiTokenRejected(
            f"This API token was revoked on {timezone.localdate(token.revoked_at):%d %b %Y}. "
            "Ask the ICT Management Division for a new one."
        )
    if token.expires_on is not None and token.expires_on <= today:
        raise ApiTokenRejected(
            f"This API token expired on {token.expires_on:%d %b %Y}. Ask the ICT Management Division for a new one."
        )
    if not token.user.is_active:
        raise ApiTokenRejected("This API client has been disabled. Ask the ICT Management Division why.")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
