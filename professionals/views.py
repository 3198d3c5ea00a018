"""The portal's professionals pages: the list (with its htmx fragment and exports), a
professional's page, and the division's forms to create, edit and record status changes.

Reads go through `selectors` (scoped by `visible_to`; 404 for what the user may not see), writes
through `services`; the views only connect the two to requests and templates.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.generic import FormView, TemplateView, View

from accounts.access import scope_for
from agencies.models import SiteSettings
from core.forms import add_service_errors
from core.fragments import render_html

from .exports import csv_lines, export_columns, export_rows, xlsx_bytes
from .forms import (
    PROFESSIONAL_FORM_SECTIONS,
    ProfessionalChangeForm,
    ProfessionalForm,
    StatusEventForm,
)
from .models import IN_SERVICE_STATUSES, GradeChange, StatusEventKind
from .selectors import (
    ListPaginator,
    list_rows,
    may_change_professionals,
    professional_get,
    professional_get_for_change,
    professional_list,
    professional_profile,
    with_current_placement,
)
from .services import professional_create, professional_update, status_event_record

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# The list


class ProfessionalListView(LoginRequiredMixin, TemplateView):
    """The filtered list; an htmx request (the filter form, a page link) gets only the results."""

    template_name = "professionals/professional_list.html"
    results_template_name = "professionals/partials/professional_results.html"

    def get(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        if scope.professional_id is not None:
            # A professional sees one record, their own: the list would be a list of one.
            return redirect("professionals:detail", pk=scope.professional_id)
        response = super().get(request, *args, **kwargs)
        # The same URL answers with a page or a fragment: caches must keep them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_template_names(self):
        htmx = self.request.htmx
        if htmx and not htmx.history_restore_request:
            return [self.results_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        user = self.request.user
        site_settings = SiteSettings.load()
        filterset = professional_list(user=user, params=self.request.GET, region_label=site_settings.region_label)
        page = ListPaginator(filterset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        scope = scope_for(user)
        rows = list_rows(page.object_list)
        rows_html = render_html(
            "professionals/list_rows.html", {"rows": rows, "sees_national_id": scope.sees_national_ids}
        )
        scope_agency = (
            next((o for o in filterset.options.options("agency") if o.pk == scope.agency_id), None)
            if scope.agency_id is not None
            else None
        )
        return super().get_context_data(
            site_settings=site_settings,
            filter=filterset,
            form=filterset.form,
            page_obj=page,
            professionals=rows,
            rows_html=rows_html,
            ignored=filterset.ignored,
            sees_national_id=scope.sees_national_ids,
            may_create=may_change_professionals(user),
            scope_agency=scope_agency,
            scope_agency_id=scope.agency_id,
            **kwargs,
        )


class ProfessionalExportView(LoginRequiredMixin, View):
    """The list's rows (all pages, same filters and order) as a file."""

    file_format = "csv"

    def get(self, request, *args, **kwargs):
        user = request.user
        site_settings = SiteSettings.load()
        filterset = professional_list(user=user, params=request.GET, region_label=site_settings.region_label)
        columns = export_columns(
            sees_national_ids=scope_for(user).sees_national_ids, region_label=site_settings.region_label
        )
        rows = export_rows(with_current_placement(filterset.qs), columns)
        filename = f"professionals-{timezone.localdate():%Y-%m-%d}.{self.file_format}"
        if self.file_format == "csv":
            response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_bytes(columns, rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


# ---------------------------------------------------------------------------------------------
# One professional


class ProfessionalDetailView(LoginRequiredMixin, TemplateView):
    template_name = "professionals/professional_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        professional = professional_get(user=user, pk=self.kwargs["pk"])
        profile = professional_profile(user=user, professional=professional)
        return super().get_context_data(
            professional=professional,
            profile=profile,
            in_service=professional.status in IN_SERVICE_STATUSES,
            today=timezone.localdate(),
            **kwargs,
        )


def form_sections(context: dict) -> dict:
    """The professional form's fields grouped into the page's sections (Identity, Contact, Service)."""
    form = context["form"]
    context["sections"] = [(title, [form[name] for name in names]) for title, names in PROFESSIONAL_FORM_SECTIONS]
    return context


class ChangeProfessionalMixin:
    """Fetch the professional for a form that changes them: 404 if the user may not see them,
    403 if they may see but not change them. Comes after LoginRequiredMixin in the bases, so
    anonymous visitors are sent to the login page first."""

    def dispatch(self, request, *args, **kwargs):
        self.professional = professional_get_for_change(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(professional=self.professional, **kwargs)

    def get_success_url(self):
        return reverse("professionals:detail", kwargs={"pk": self.professional.pk})


class DivisionOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_change_professionals(request.user):
            raise PermissionDenied("Only ICT Management Division staff add professionals.")
        return super().dispatch(request, *args, **kwargs)


class ProfessionalCreateView(LoginRequiredMixin, DivisionOnlyMixin, FormView):
    template_name = "professionals/professional_form.html"
    form_class = ProfessionalForm

    def get_context_data(self, **kwargs):
        return form_sections(super().get_context_data(**kwargs))

    def form_valid(self, form):
        try:
            professional = professional_create(
                actor=self.request.user, reason="Created in the portal", **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{professional.full_name} ({professional.employee_id}) was added.")
        return redirect("professionals:detail", pk=professional.pk)


class ProfessionalUpdateView(LoginRequiredMixin, ChangeProfessionalMixin, FormView):
    template_name = "professionals/professional_form.html"
    form_class = ProfessionalChangeForm

    def get_form_kwargs(self):
        # A copy: validating the form writes the typed values onto its instance, and the page
        # keeps showing the record as it is stored.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.professional)}

    def get_context_data(self, **kwargs):
        return form_sections(super().get_context_data(**kwargs))

    def form_valid(self, form):
        changes = form.changed_service_fields()
        if not changes:
            messages.info(self.request, "Nothing was changed.")
            return redirect(self.get_success_url())
        try:
            professional_update(
                professional_id=self.professional.pk,
                actor=self.request.user,
                reason=form.cleaned_data["change_reason"] or "Edited in the portal",
                grade_effective_date=form.cleaned_data["grade_effective_date"],
                grade_change_reason=form.cleaned_data["grade_change_reason"] or GradeChange.Reason.PROMOTION,
                **changes,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The record of {self.professional.full_name} was updated.")
        return redirect(self.get_success_url())


class StatusEventCreateView(LoginRequiredMixin, ChangeProfessionalMixin, FormView):
    template_name = "professionals/status_event_form.html"
    form_class = StatusEventForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "professional": self.professional}

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in StatusEventKind.values else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(in_service=self.professional.status in IN_SERVICE_STATUSES, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            event = status_event_record(
                professional_id=self.professional.pk,
                kind=data["kind"],
                effective_date=data["effective_date"],
                expected_end=data["expected_end"],
                reference=data["reference"],
                notes=data["notes"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Recorded for {self.professional.full_name}: {event.get_kind_display().lower()} "
            f"from {event.effective_date:%d %b %Y}.",
        )
        return redirect(self.get_success_url())
