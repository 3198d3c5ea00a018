"""Signed RSVP links: an invitee answers from the link in their invitation email without signing in.

The token is the invitation's id signed with the SECRET_KEY and a timestamp (django.core.signing),
so a changed character makes it invalid and an old one expires.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

SALT = "meetings.rsvp"
# Invitations go out weeks or months ahead of an event; a link lives long enough for that, not forever.
DEFAULT_MAX_AGE = dt.timedelta(days=120)


class RsvpLinkError(ValidationError):
    """The link was changed, forged or is too old."""


def max_age() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "MEETINGS_RSVP_LINK_DAYS", DEFAULT_MAX_AGE.days))


def rsvp_token(invitation_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(invitation_id))


def invitation_id_from_token(token: str) -> int:
    """The invitation id the token was signed for; RsvpLinkError if it is expired or not ours."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        return int(signer.unsign(token, max_age=max_age()))
    except signing.SignatureExpired as error:
        raise RsvpLinkError(
            "This answer link has expired. Answer from the portal after signing in, or ask the ICT Management "
            "Division for a new invitation email.",
            code="expired",
        ) from error
    except (signing.BadSignature, ValueError) as error:
        raise RsvpLinkError(
            "This answer link is not valid: it may have been cut short or changed. Open the link exactly as it "
            "appears in your invitation email, or answer from the portal after signing in.",
            code="invalid",
        ) from error
