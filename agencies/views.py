"""The agency pages: the hierarchy, one agency, and division staff's edits of its ICT unit and
establishment. Thin views: fetch through `agencies.selectors` (404 outside the user's scope),
validate with a form, write through `agencies.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import reference_write_refusal
from core.fragments import render_html
from placements.establishment import establishment_for
from professionals.models import PositionTitle

from . import selectors
from .forms import EstablishmentFormSet, ICTUnitForm, establishment_initial
from .models import Agency, ICTUnit
from .querysets import subtree_ids
from .services import establishment_set, ict_unit_save

STAFF_PAGE_SIZE = 50


@login_required
def agency_list(request):
    selectors.agency_pages_check(request.user)
    # The page composes: the establishment is placements' (it counts approved moves), the tree
    # is agencies'. Two grouped queries for every visible agency's figures.
    establishment = establishment_for(
        agency_ids=Agency.objects.visible_to(request.user).active().values("id"), on=timezone.localdate()
    )
    roots = selectors.agency_tree(user=request.user, establishment=establishment)
    dissolved = (
        Agency.objects.visible_to(request.user)
        .filter(dissolved_on__isnull=False)
        .select_related("successor")
        .order_by("-dissolved_on", "name")
    )
    totals = {
        "agencies": sum(node.size for node in roots),
        "headcount": sum(node.headcount for node in roots),
        "sanctioned": sum(node.sanctioned for node in roots),
        "vacant": sum(node.vacant for node in roots),
    }
    context = {"roots": roots, "dissolved": dissolved, "single_root": len(roots) == 1, "totals": totals}
    return render(request, "agencies/agency_list.html", context)


@login_required
def agency_detail(request, code: str):
    user = request.user
    agency = selectors.agency_get_for_user(user=user, code=code)
    subtree = subtree_ids([agency.pk])
    # The establishment per agency and title for the whole subtree, in two grouped queries: the
    # agency's own table, its children's figures and the subtree's totals all come from it.
    figures = establishment_for(agency_ids=subtree, on=timezone.localdate())
    staff_page = Paginator(selectors.agency_staff(agency_ids=subtree, user=user), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    children = selectors.agency_children(agency=agency, user=user, establishment=figures)
    # The staff rows render through Jinja2 (ictmgmt/jinja2.py): the Django template took 2 ms.
    rows_html = render_html("agencies/staff_rows.html", {"placements": staff_page.object_list, "children": children})
    staff = {"staff_page": staff_page, "children": children, "staff_rows_html": rows_html}
    if request.htmx and "page" in request.GET:
        # Paging through the staff list swaps only that card.
        return render(request, "agencies/partials/staff.html", staff)
    establishment = figures.by_title(agency.pk)
    context = {
        "agency": agency,
        "unit": getattr(agency, "ict_unit", None),
        "ancestors": selectors.agency_ancestors(agency=agency, user=user),
        "children": children,
        "establishment": establishment,
        "own": figures.figures(agency.pk),
        "totals": figures.figures(),
        **staff,
        "may_edit": reference_write_refusal(user) is None,
    }
    return render(request, "agencies/agency_detail.html", context)


def _editable_agency(request, code: str) -> Agency:
    """The agency for an edit page: 404 outside the user's scope, 403 for those who may see it
    but not change it (everyone but division staff whose account may write)."""
    agency = selectors.agency_get_for_user(user=request.user, code=code)
    if refusal := reference_write_refusal(request.user):
        raise PermissionDenied(refusal)
    return agency


def _done(request, agency: Agency, message: str, *, level: int = messages.SUCCESS):
    messages.add_message(request, level, message)
    if request.htmx:
        return HttpResponseClientRedirect(agency_url(agency))
    return redirect(agency_url(agency))


def agency_url(agency: Agency) -> str:
    return reverse("agencies:detail", args=[agency.code])


def _render_edit(request, page: str, partial: str, context: dict):
    return render(request, partial if request.htmx else page, context)


@login_required
def ict_unit_edit(request, code: str):
    agency = _editable_agency(request, code)
    unit = getattr(agency, "ict_unit", None) or ICTUnit(agency=agency)
    form = ICTUnitForm(request.POST or None, instance=unit, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            ict_unit_save(agency=agency, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(request, agency, f"The ICT unit of {agency.name} is saved.")
    return _render_edit(
        request,
        "agencies/ict_unit_form.html",
        "agencies/partials/ict_unit_form.html",
        {"agency": agency, "form": form, "is_new": unit.pk is None},
    )


@login_required
def establishment_edit(request, code: str):
    agency = _editable_agency(request, code)
    titles = list(PositionTitle.objects.order_by("name"))
    initial = establishment_initial(agency=agency, titles=titles)
    formset = EstablishmentFormSet(request.POST or None, initial=initial, prefix="posts")
    if request.method == "POST" and formset.is_valid():
        changed = [
            {
                "position_title": form.cleaned_data["title"],
                "number": form.cleaned_data["number"],
                "notes": form.cleaned_data["notes"],
            }
            for form in formset.forms
            if form.has_changed()
        ]
        try:
            establishment_set(agency=agency, rows=changed, actor=request.user)
        except ValidationError as exc:
            # Rules checked under the row locks; shown above the table like the formset's own.
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            if not changed:
                return _done(request, agency, "Nothing changed in the establishment.", level=messages.INFO)
            titles_changed = f"{len(changed)} title{'s' if len(changed) != 1 else ''} changed"
            return _done(request, agency, f"The establishment of {agency.name} is saved ({titles_changed}).")
    rows = [(form, form.initial.get("title") or form["title"].value()) for form in formset.forms]
    return _render_edit(
        request,
        "agencies/establishment_form.html",
        "agencies/partials/establishment_form.html",
        {"agency": agency, "formset": formset, "rows": rows},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
