"""The portal's meetings pages: the events list, an event's page (agenda, invitees and answers,
attendance, minutes, action items), the division's forms, the attendance tick-list, the signed
answer link, the action-items board and the minutes PDF.

Reads go through `selectors` (404 for what the user may not see), writes through `services`.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView, View

from accounts.access import scope_for
from agencies.models import Agency, SiteSettings
from core.forms import add_service_errors
from core.pdf import html_to_pdf

from . import selectors, services
from .forms import (
    INVITE_ERROR_FIELDS,
    ActionItemForm,
    ActionNoteForm,
    ActionStatusForm,
    AgendaItemForm,
    EventForm,
    InviteForm,
    MinutesForm,
    RsvpForm,
)
from .ics import event_calendar
from .models import ActionStatus, EventKind, EventStatus, Invitation, InvitationSource, MinutesStatus, Rsvp
from .permissions import may_manage_events, require_event_manager
from .rsvp import RsvpLinkError, invitation_id_from_token

PAGE_SIZE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back_to_event(pk: int, anchor: str = ""):
    return redirect(reverse("meetings:event_detail", kwargs={"pk": pk}) + (f"#{anchor}" if anchor else ""))


class ResultsFragmentMixin:
    """A list page whose filters and page links ask (with htmx) for its results fragment only."""

    results_template_name = ""

    def get_template_names(self):
        htmx = self.request.htmx
        if htmx and not htmx.history_restore_request:
            return [self.results_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The same URL answers with a page or a fragment: caches must keep them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


# ---------------------------------------------------------------------------------------------
# Events


class EventListView(LoginRequiredMixin, ResultsFragmentMixin, TemplateView):
    """Upcoming or past events by month; an htmx request gets only the results."""

    template_name = "meetings/event_list.html"
    results_template_name = "meetings/partials/event_results.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        when = params.get("when") if params.get("when") in ("upcoming", "past", "all") else "upcoming"
        kinds = list(EventKind.objects.all())
        kind = params.get("kind", "") if params.get("kind", "") in {k.code for k in kinds} else ""
        status = params.get("status", "") if params.get("status", "") in EventStatus.values else ""
        events = selectors.event_list(user=self.request.user, when=when, kind=kind, status=status)
        page = Paginator(events, PAGE_SIZE).get_page(params.get("page"))
        return super().get_context_data(
            when=when,
            kind=kind,
            status=status,
            kinds=kinds,
            statuses=EventStatus.choices,
            page_obj=page,
            events=page.object_list,
            may_manage=may_manage_events(self.request.user),
            **kwargs,
        )


class EventDetailView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/event_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = selectors.event_get(user=user, pk=self.kwargs["pk"])
        return super().get_context_data(
            event=event,
            page=selectors.event_page(user=user, event=event),
            agenda_form=AgendaItemForm(),
            rsvp_choices=[(c, label) for c, label in Rsvp.choices if c != Rsvp.PENDING],
            statuses=EventStatus,
            **kwargs,
        )


class EventCreateView(LoginRequiredMixin, FormView):
    template_name = "meetings/event_form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_event_manager(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            event = services.event_create(actor=self.request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{event.title} was planned. Now add the agenda and invite people.")
        return redirect("meetings:event_detail", pk=event.pk)


class EventUpdateView(LoginRequiredMixin, FormView):
    template_name = "meetings/event_form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = selectors.event_get_for_change(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A copy: validating writes the typed values onto the instance; the page keeps the stored ones.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.event)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        changes = form.changed_service_fields()
        if not changes:
            messages.info(self.request, "Nothing was changed.")
            return _back_to_event(self.event.pk)
        try:
            services.event_update(event_id=self.event.pk, actor=self.request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The event was updated; invitees get the new details by email.")
        return _back_to_event(self.event.pk)


def _event_action(view):
    """For POST actions on an event: sign-in required, 404 for events the user may not see."""

    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        event = selectors.event_get(user=request.user, pk=pk)
        return view(request, event, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_POST(wrapper)


@_event_action
def event_status(request, event):
    status = request.POST.get("status", "")
    try:
        services.event_set_status(event_id=event.pk, status=status, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"The event is now {EventStatus(status).label.lower()}.")
    return _back_to_event(event.pk)


@_event_action
def agenda_add(request, event):
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(event_id=event.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, "The agenda item needs a title; its duration is a whole number of minutes.")
    return _back_to_event(event.pk, "agenda")


@_event_action
def agenda_move(request, event, item_pk):
    offset = -1 if request.POST.get("direction") == "up" else 1
    if not event.agenda_items.filter(pk=item_pk).exists():
        raise Http404("No such agenda item.")
    services.agenda_item_move(item_id=item_pk, actor=request.user, offset=offset)
    return _back_to_event(event.pk, "agenda")


@_event_action
def agenda_remove(request, event, item_pk):
    if not event.agenda_items.filter(pk=item_pk).exists():
        raise Http404("No such agenda item.")
    services.agenda_item_remove(item_id=item_pk, actor=request.user)
    return _back_to_event(event.pk, "agenda")


# ---------------------------------------------------------------------------------------------
# Invitations and answers


class InviteView(LoginRequiredMixin, FormView):
    template_name = "meetings/invite_form.html"
    form_class = InviteForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = selectors.event_get_for_change(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        source = self.request.GET.get("source")
        return {"source": source if source in InvitationSource.values else InvitationSource.ICT_HEADS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        try:
            added = services.invitations_add(
                event_id=self.event.pk, actor=self.request.user, selection=form.selection()
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    field = INVITE_ERROR_FIELDS.get(name, name)
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        if added:
            messages.success(self.request, f"{len(added)} invited; each gets an email with the calendar file.")
        else:
            messages.info(self.request, "Everyone this selection names was already invited; nobody was added.")
        return _back_to_event(self.event.pk, "invitees")


@_event_action
def invitation_remove(request, event, invitation_pk):
    require_event_manager(request.user)
    if not event.invitations.filter(pk=invitation_pk).exists():
        raise Http404("No such invitation.")
    try:
        services.invitation_remove(invitation_id=invitation_pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _back_to_event(event.pk, "invitees")


@_event_action
def rsvp(request, event):
    """An answer from the portal: for one's own invitation, or an agency head for their agency's invitees."""
    if not selectors.may_answer_invitations(request.user):
        raise PermissionDenied("Your account may not answer invitations.")
    invitation = (
        Invitation.objects.visible_to(request.user).filter(event=event, pk=request.POST.get("invitation") or 0).first()
    )
    if invitation is None:
        raise Http404("No such invitation among those you may answer.")
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose attending, not attending or maybe.")
        return _back_to_event(event.pk, "invitees")
    try:
        services.invitation_rsvp(invitation_id=invitation.pk, answer=form.cleaned_data["answer"], actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, f"Answer recorded for {invitation.invitee_name}: {Rsvp(form.cleaned_data['answer']).label}."
        )
    return _back_to_event(event.pk, "invitees")


class RsvpLinkView(View):
    """The signed link from the invitation email: no sign-in; a changed or old link is refused."""

    template_name = "meetings/rsvp_link.html"

    def _invitation(self, token):
        invitation_id = invitation_id_from_token(token)
        invitation = (
            Invitation.objects.select_related("event", "event__kind", "professional").filter(pk=invitation_id).first()
        )
        if invitation is None:
            raise RsvpLinkError("This invitation was withdrawn; there is nothing to answer.", code="withdrawn")
        return invitation

    def _render(self, request, *, invitation=None, error=None, status=200, done=False):
        context = {"invitation": invitation, "event": invitation.event if invitation else None, "error": error}
        context.update(choices=RsvpForm.base_fields["answer"].choices, done=done, token=self.kwargs["token"])
        response = render(request, self.template_name, context, status=status)
        response["Cache-Control"] = "private, no-store"
        # The token must not leak to other sites in a Referer header ("no-referrer" would make browsers
        # send "Origin: null" with the form, which the CSRF check refuses).
        response["Referrer-Policy"] = "same-origin"
        return response

    def get(self, request, token):
        try:
            invitation = self._invitation(token)
        except RsvpLinkError as error:
            return self._render(request, error=_error_text(error), status=400)
        return self._render(request, invitation=invitation)

    def post(self, request, token):
        try:
            invitation = self._invitation(token)
        except RsvpLinkError as error:
            return self._render(request, error=_error_text(error), status=400)
        form = RsvpForm(request.POST)
        if not form.is_valid():
            return self._render(request, invitation=invitation, error="Choose one of the answers.", status=400)
        try:
            invitation = services.invitation_rsvp(invitation_id=invitation.pk, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            return self._render(request, invitation=self._invitation(token), error=_error_text(error), status=400)
        return self._render(request, invitation=self._invitation(token), done=True)


def event_ics(request, pk):
    """The event as a calendar file, for anyone who may see it."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    event = selectors.event_get(user=request.user, pk=pk)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


# ---------------------------------------------------------------------------------------------
# Attendance


class AttendanceView(LoginRequiredMixin, TemplateView):
    """The tick-list for the day: large buttons, one tap per person, saved at once (htmx)."""

    template_name = "meetings/attendance.html"

    def get_context_data(self, **kwargs):
        event = selectors.event_get_for_change(user=self.request.user, pk=self.kwargs["pk"])
        sheet = selectors.attendance_sheet(event=event)
        return super().get_context_data(
            event=event,
            sheet=sheet,
            present=sum(1 for row in sheet if row.attended),
            **kwargs,
        )


@_event_action
def attendance_mark(request, event, invitation_pk):
    require_event_manager(request.user)
    attended = request.POST.get("attended") == "1"
    error = None
    try:
        invitation = services.attendance_record(
            event_id=event.pk, actor=request.user, attended=attended, invitation_id=invitation_pk
        )
    except ValidationError as exc:
        error = _error_text(exc)
        invitation = (
            Invitation.objects.filter(event=event, pk=invitation_pk).select_related("professional", "agency").first()
        )
        if invitation is None:
            raise Http404("No such invitation.") from exc
    if request.htmx:
        context = {
            "row": invitation,
            "event": event,
            "error": error,
            "oob_present": event.invitations.filter(attended=True).count(),
        }
        html = render_to_string("meetings/partials/attendance_row.html", context, request)
        return HttpResponse(html, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect("meetings:attendance", pk=event.pk)


class AttendanceRatesView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/attendance_rates.html"

    def get_context_data(self, **kwargs):
        kinds = list(EventKind.objects.all())
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in {k.code for k in kinds} else ""
        return super().get_context_data(
            table=selectors.attendance_rates(user=self.request.user, kind=kind), kinds=kinds, kind=kind, **kwargs
        )


# ---------------------------------------------------------------------------------------------
# Minutes


class MinutesView(LoginRequiredMixin, FormView):
    template_name = "meetings/minutes_form.html"
    form_class = MinutesForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = selectors.event_get_for_change(user=request.user, pk=kwargs["pk"])
            self.minutes = getattr(self.event, "minutes", None)
            if self.minutes is not None and self.minutes.status == MinutesStatus.APPROVED:
                messages.info(request, "These minutes are approved and can no longer be changed.")
                return _back_to_event(self.event.pk, "minutes")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.minutes is not None:
            return {"text": self.minutes.text}
        agenda = "\n\n".join(
            f"{item.position}. {item.title}\n" for item in self.event.agenda_items.order_by("position")
        )
        return {"text": agenda}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, minutes=self.minutes, **kwargs)

    def form_valid(self, form):
        try:
            services.minutes_save(event_id=self.event.pk, actor=self.request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The draft minutes were saved.")
        return _back_to_event(self.event.pk, "minutes")


@_event_action
def minutes_approve(request, event):
    try:
        services.minutes_approve(event_id=event.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "The minutes are approved and visible to the invited agencies.")
    return _back_to_event(event.pk, "minutes")


def minutes_pdf(request, pk):
    """The minutes and the open action items as a PDF (WeasyPrint). Small enough to render in the
    request (well under a second), so no background task and stored file."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    event = selectors.event_get(user=request.user, pk=pk)
    page = selectors.event_page(user=request.user, event=event)
    if page.minutes is None:
        raise Http404("These minutes are not available yet.")
    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "event": event,
            "page": page,
            "site": SiteSettings.load(),
            "open_items": [item for item in page.action_items if item.is_open],
            "paragraphs": [p.strip() for p in page.minutes.text.split("\n\n") if p.strip()],
            "printed_at": timezone.localtime(),
        },
        request,
    )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-event-{event.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Action items


class ActionItemCreateView(LoginRequiredMixin, FormView):
    template_name = "meetings/action_item_form.html"
    form_class = ActionItemForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = selectors.event_get_for_change(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            item = services.action_item_create(
                event_id=self.event.pk,
                actor=self.request.user,
                title=data["title"],
                description=data["description"],
                owner_agency=data["owner_agency"],
                owner_professional=data["owner_employee_id"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "owner_professional" in error.error_dict:
                error.error_dict["owner_employee_id"] = error.error_dict.pop("owner_professional")
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Action item added: {item.title}.")
        return _back_to_event(self.event.pk, "actions")


class ActionItemListView(LoginRequiredMixin, ResultsFragmentMixin, TemplateView):
    """The board: every item the user may see, overdue first; filters by status, agency, overdue."""

    template_name = "meetings/action_item_list.html"
    results_template_name = "meetings/partials/action_item_results.html"

    def get_context_data(self, **kwargs):
        user, params = self.request.user, self.request.GET
        status = params.get("status", "open")
        status = status if status in ("open", "all", *ActionStatus.values) else "open"
        agencies = Agency.objects.visible_to(user).filter(action_items__isnull=False).distinct().order_by("name")
        agency = agencies.filter(code=params.get("agency", "")).first() if params.get("agency") else None
        overdue = params.get("overdue") == "1"
        items = selectors.action_item_list(
            user=user, status="" if status == "all" else status, agency=agency, overdue=overdue
        )
        page = Paginator(items, PAGE_SIZE).get_page(params.get("page"))
        return super().get_context_data(
            action_rows=page.object_list,
            page_obj=page,
            status=status,
            statuses=ActionStatus.choices,
            agencies=agencies,
            agency=agency,
            overdue=overdue,
            counts=selectors.action_item_counts(user=user),
            today=timezone.localdate(),
            scope=scope_for(user),
            **kwargs,
        )


class ActionItemDetailView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/action_item_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        item = selectors.action_item_get(user=user, pk=self.kwargs["pk"])
        may_update = selectors.may_update_item(user)
        return super().get_context_data(
            item=item,
            may_update=may_update,
            status_form=ActionStatusForm(item=item) if may_update else None,
            note_form=ActionNoteForm() if may_update else None,
            today=timezone.localdate(),
            **kwargs,
        )


def _item_action(view):
    def wrapper(request, pk):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        item = selectors.action_item_get(user=request.user, pk=pk)
        if not selectors.may_update_item(request.user):
            raise PermissionDenied("Your account may read this action item but not update it.")
        try:
            view(request, item)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("meetings:action_item_detail", pk=item.pk)

    wrapper.__name__ = view.__name__
    return require_POST(wrapper)


@_item_action
def action_item_status(request, item):
    status = request.POST.get("status", "")
    services.action_item_set_status(
        item_id=item.pk, actor=request.user, status=status, note=request.POST.get("note", "")
    )
    messages.success(request, f"The item is now {ActionStatus(status).label.lower()}.")


@_item_action
def action_item_note(request, item):
    services.action_item_note_add(item_id=item.pk, actor=request.user, text=request.POST.get("text", ""))
    messages.success(request, "Progress note added.")
