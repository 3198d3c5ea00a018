"""The portal's transfer pages: the request queue (with its htmx fragment), the new-request form
with its live rule check, a request's page with the moves its user may make, the office-order
download and the division's restructuring form. Reads through `selectors`, writes through
`transfer_services`; nothing the user may not see is ever shown (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from accounts.access import scope_for
from core.forms import add_service_errors
from core.fragments import render_html

from . import transfer_services as services
from .api.transfer_views import office_order_response
from .forms import RestructureForm, TransferRequestForm
from .models import RuleCode, TransferAction, TransferKind, TransferState
from .permissions import may_decide
from .selectors import (
    office_order_get,
    rules_preview,
    transfer_page,
    transfer_pages_check,
    transfer_queue,
    transfer_request_get,
)

PAGE_SIZE = 50


class TransferQueueView(LoginRequiredMixin, TemplateView):
    """Division: every request; agency heads: their side's; a professional: their own."""

    template_name = "placements/transfer_list.html"
    results_template_name = "placements/partials/transfer_results.html"

    def get(self, request, *args, **kwargs):
        transfer_pages_check(request.user)
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_template_names(self):
        htmx = self.request.htmx
        return [self.results_template_name if htmx and not htmx.history_restore_request else self.template_name]

    def get_context_data(self, **kwargs):
        filterset = transfer_queue(user=self.request.user, params=self.request.GET, request=self.request)
        valid = filterset.is_valid()
        page = Paginator(filterset.qs if valid else filterset.queryset, PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        scope = scope_for(self.request.user)
        # The rows render through Jinja2 (ictmgmt/jinja2.py): in Django templates they took 3 ms.
        rows_html = render_html(
            "placements/transfer_rows.html", {"transfers": page.object_list, "detail_prefix": reverse("transfers:list")}
        )
        return super().get_context_data(
            filter_errors=[] if valid else [f"{name}: {' '.join(e)}" for name, e in filterset.errors.items()],
            page_obj=page,
            transfers=page.object_list,
            rows_html=rows_html,
            states=TransferState.choices,
            kinds=TransferKind.choices,
            # Called by the full page only (an htmx request gets the results alone).
            agency_options=lambda: self._agency_options(filterset),
            chosen=self.request.GET,
            may_request=scope.may_write or scope.professional_id is not None,
            may_restructure=may_decide(self.request.user),
            **kwargs,
        )

    def _agency_options(self, filterset) -> str:
        agencies = filterset.form.fields["agency"].queryset.order_by("name").values_list("code", "name")
        return render_html(
            "placements/options.html", {"options": agencies, "chosen": self.request.GET.get("agency", "")}
        )


class TransferCreateView(LoginRequiredMixin, FormView):
    template_name = "placements/transfer_form.html"
    form_class = TransferRequestForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            transfer_pages_check(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "may_override": may_decide(self.request.user)}

    def get_initial(self):
        initial = {}
        if self.request.GET.get("employee_id"):
            initial["employee_id"] = self.request.GET["employee_id"]
        professional = getattr(self.request.user, "professional", None)
        if professional is not None:
            initial["employee_id"] = professional.employee_id
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        submit = "submit" in self.request.POST
        try:
            transfer = services.transfer_request_create(
                actor=self.request.user,
                kind=data["kind"],
                professional_id=form.professional.pk,
                receiving_agency=data["receiving_agency"],
                position_title=data["position_title"],
                reason=data["reason"],
                proposed_effective_date=data["proposed_effective_date"],
                submit=submit,
                overrides=form.overrides() or None,
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        verb = "submitted" if submit else "saved as a draft"
        messages.success(self.request, f"Request {transfer.reference} was {verb}.")
        return redirect("transfers:detail", pk=transfer.pk)


@login_required
@require_POST
def rule_check(request):
    """The new-request form's live check (htmx): who the person is and what each rule says."""
    transfer_pages_check(request.user)
    may_override = may_decide(request.user)
    form = TransferRequestForm(request.POST, user=request.user, may_override=may_override)
    form.is_valid()
    preview = None
    data = form.cleaned_data
    if form.professional and all(
        data.get(f) for f in ("kind", "receiving_agency", "position_title", "proposed_effective_date")
    ):
        preview = rules_preview(
            kind=data["kind"],
            professional=form.professional,
            receiving_agency=data["receiving_agency"],
            position_title=data["position_title"],
            effective_date=data["proposed_effective_date"],
            overrides=form.overrides() if may_override else None,
        )
    return render(
        request,
        "placements/partials/rule_checks.html",
        {"form": form, "preview": preview, "professional": form.professional, "may_override": may_override},
    )


class TransferDetailView(LoginRequiredMixin, TemplateView):
    template_name = "placements/transfer_detail.html"

    def get_context_data(self, **kwargs):
        transfer = transfer_request_get(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            page=transfer_page(user=self.request.user, transfer=transfer),
            transfer=transfer,
            today=timezone.localdate(),
            rule_codes=RuleCode.choices,
            **kwargs,
        )


def _overrides_from(post) -> dict[str, str]:
    code, reason = post.get("override_rule", ""), post.get("override_reason", "")
    return {code: reason} if code else {}


# action -> how to call its service from the posted form
ACTION_CALLS = {
    TransferAction.SUBMIT: lambda pk, user, post: services.transfer_request_submit(
        request_id=pk, actor=user, overrides=_overrides_from(post)
    ),
    TransferAction.CONCUR: lambda pk, user, post: services.transfer_request_concur(
        request_id=pk, actor=user, note=post.get("note", "")
    ),
    TransferAction.APPROVE: lambda pk, user, post: services.transfer_request_approve(
        request_id=pk,
        actor=user,
        effective_date=_date(post.get("effective_date")),
        overrides=_overrides_from(post),
        note=post.get("note", ""),
    ),
    TransferAction.REJECT: lambda pk, user, post: services.transfer_request_reject(
        request_id=pk, actor=user, reason=post.get("reason", "")
    ),
    TransferAction.WITHDRAW: lambda pk, user, post: services.transfer_request_withdraw(
        request_id=pk, actor=user, reason=post.get("reason", "")
    ),
    TransferAction.CANCEL: lambda pk, user, post: services.transfer_request_cancel(
        request_id=pk, actor=user, reason=post.get("reason", "")
    ),
    TransferAction.EFFECT: lambda pk, user, post: services.transfer_request_effect(request_id=pk, actor=user),
    TransferAction.OVERRIDE: lambda pk, user, post: services.transfer_request_override(
        request_id=pk, actor=user, rule=post.get("override_rule", ""), reason=post.get("override_reason", "")
    ),
}


def _date(value: str | None):
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise ValidationError({"effective_date": f"{value!r} is not a date; use the date picker (YYYY-MM-DD)."})
    return day


@login_required
@require_POST
def transfer_action(request, pk: int, action: str):
    """One move on one request (POST only). 404 if the user may not see the request, 403 if they may
    see it but not make this move; a refused move comes back to the page with its message."""
    transfer = transfer_request_get(user=request.user, pk=pk)
    call = ACTION_CALLS.get(action)
    if call is None:
        raise Http404("No such action.")
    try:
        call(transfer.pk, request.user, request.POST)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = TransferAction(action).label.lower()
        messages.success(request, f"Request {transfer.reference}: {done}.")
    return redirect("transfers:detail", pk=transfer.pk)


@login_required
def office_order_download(request, pk: int):
    """The office order's PDF, for those who see one of the moves it orders (404 otherwise)."""
    return office_order_response(office_order_get(user=request.user, pk=pk))


class RestructureView(LoginRequiredMixin, FormView):
    """Division staff dissolve an agency into its successor and move its staff and open requests."""

    template_name = "placements/restructure_form.html"
    form_class = RestructureForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_decide(request.user):
            raise PermissionDenied("Only ICT Management Division staff restructure agencies.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.agency_restructure(
                agency_id=data["agency"].pk,
                successor=data["successor"],
                effective_date=data["effective_date"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        order = f" under office order {result.office_order.number}" if result.office_order else ""
        messages.success(
            self.request,
            f"{result.agency.name} → {result.successor.name}: {result.placements_moved} placement(s) moved{order}; "
            f"{result.requests_redirected} open request(s) redirected, {result.requests_cancelled} cancelled.",
        )
        return redirect(reverse("transfers:list"))
