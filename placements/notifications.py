"""The emails a transfer request sends: to the ICT heads of both agencies and to the professional,
at submission, concurrence, approval, rejection and when the move takes effect.

Built at sending time from the database (the task gets ids only), so the message says what is
true when it leaves, and sent through Django's email backend (console unless EMAIL_URL is set).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from accounts.models import Role, User
from agencies.models import SiteSettings

from .models import TransferAction, TransferRequest

NOTIFIED_ACTIONS = (
    TransferAction.SUBMIT,
    TransferAction.CONCUR,
    TransferAction.APPROVE,
    TransferAction.REJECT,
    TransferAction.EFFECT,
    TransferAction.WITHDRAW,
    TransferAction.CANCEL,
)

WHAT_NEXT = {
    TransferAction.SUBMIT: "Next: the ICT head of the {concurrence} is asked to concur; then the division decides.",
    TransferAction.CONCUR: "Next: the ICT Management Division decides on the request.",
    TransferAction.APPROVE: "Office order {order} records the decision. The move takes effect on {date}.",
    TransferAction.REJECT: "The request is closed; a new request may be made if the reason no longer holds.",
    TransferAction.EFFECT: "The move took effect on {date}; the new placement is recorded (office order {order}).",
    TransferAction.WITHDRAW: "The request was withdrawn and is closed.",
    TransferAction.CANCEL: "The approved move will not take place.",
}


def recipients(request: TransferRequest) -> list[str]:
    """The agency heads concerned (of either agency, with an email address) and the professional."""
    agencies = [pk for pk in (request.releasing_agency_id, request.receiving_agency_id) if pk]
    heads = User.objects.filter(role=Role.AGENCY_HEAD, is_active=True, agency_id__in=agencies).exclude(email="")
    addresses = list(heads.order_by("email").values_list("email", flat=True))
    if request.professional.email:
        addresses.append(request.professional.email)
    return list(dict.fromkeys(addresses))


def transfer_email(*, request_id: int, action: str) -> EmailMessage | None:
    request = TransferRequest.objects.select_related(
        "professional", "releasing_agency", "receiving_agency", "position_title", "office_order"
    ).get(pk=request_id)
    to = recipients(request)
    if not to:
        return None
    person = request.professional
    verb = TransferAction(action).label.lower()
    kind = request.get_kind_display().split(" (")[0].lower()
    event = request.events.filter(action=action).select_related("actor").order_by("-at", "-id").first()
    by = (event.actor.get_full_name() or event.actor.username) if event and event.actor else "the system"
    site = SiteSettings.load()
    lines = [
        f"Request {request.reference} for the {kind} of {person.full_name} ({person.employee_id}) was {verb} by {by}.",
        "",
        f"From:       {request.releasing_agency.name if request.releasing_agency else '(first posting)'}",
        f"To:         {request.receiving_agency.name}",
        f"As:         {request.position_title.name}",
        f"Proposed:   {request.proposed_effective_date:%d %b %Y}",
        f"Status:     {request.get_state_display()}",
    ]
    if event and event.note:
        lines += ["", f"{'Reason' if action != TransferAction.CONCUR else 'Note'}: {event.note}"]
    lines += [
        "",
        WHAT_NEXT[TransferAction(action)].format(
            concurrence=request.get_concurrence_from_display().lower() or "other agency",
            order=request.office_order.number if request.office_order_id else "-",
            date=f"{request.effective_date:%d %b %Y}" if request.effective_date else "-",
        ),
        "",
        f"The request, its rule checks and its timeline are on the portal under Transfers ({request.reference}).",
        "",
        f"{site.parent_agency_name}",
    ]
    subject = f"{request.reference} {verb}: {kind} of {person.full_name} to {request.receiving_agency.name}"
    return EmailMessage(subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=to)


def transfer_notification_send(*, request_id: int, action: str) -> int:
    """Send the email for `action` on the request; returns how many messages left (0 or 1)."""
    message = transfer_email(request_id=request_id, action=action)
    return message.send() if message is not None else 0
