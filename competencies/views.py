"""The portal's competency, training and expert-pool pages. Reads through `selectors` and `gaps`
(scoped; 404 for what the user may not see), writes through `services`; a refused write comes back
to its form or page with the service's message."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.spreadsheets import safe_text

from . import services
from .forms import (
    AssessmentForm,
    CertificationForm,
    CompletionForm,
    DecisionForm,
    DeploymentForm,
    ExpertSearchForm,
    NominationForm,
    OutcomeForm,
    ProgrammeForm,
    TrainingRequestForm,
)
from .gaps import heatmap, heatmap_csv_rows
from .models import (
    AssessmentKind,
    Competency,
    ExpertPoolMembership,
    Framework,
    Requirement,
    Track,
    TrainingAction,
    TrainingMode,
    TrainingRequestState,
)
from .permissions import acting_as, confirm_refusal, may_manage
from .selectors import (
    assessment_get,
    assessment_list,
    certification_list,
    deployment_get,
    expert_search,
    pool_list,
    pool_page,
    professional_competencies,
    professional_for,
    programme_list,
    seats_taken,
    training_request_get,
    training_request_list,
)

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(request, form, call, *, title: str, done: str, back: str, intro: str = ""):
    """Validate `form`, run `call(form)` (a service), then redirect to its result's page; refusals
    land on the form. Returns the response."""
    if request.method == "POST" and form.is_valid():
        try:
            target = call(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(target)
    return render(request, "competencies/form.html", {"form": form, "title": title, "back": back, "intro": intro})


# ---------------------------------------------------------------------------------------------
# Framework, heatmap, assessments


@login_required
def framework_page(request):
    """The frameworks, their levels and competencies, and what each track needs per title."""
    frameworks = Framework.objects.prefetch_related("levels", "competencies").order_by("-is_default", "name")
    tracks = Track.objects.prefetch_related("competencies").order_by("sort_order")
    requirements = Requirement.objects.select_related(
        "track", "position_title", "min_grade", "max_grade", "competency"
    ).order_by("track__sort_order", "position_title__name", "min_grade__rank", "competency__code")
    chosen = request.GET.get("track") or ""
    if chosen:
        requirements = requirements.filter(track__code=chosen)
    return render(
        request,
        "competencies/framework.html",
        {"frameworks": frameworks, "tracks": tracks, "requirements": requirements, "chosen": chosen},
    )


def _heatmap_for(request):
    """The heatmap the request asks for (404 for accounts without one: `gaps.heatmap`)."""
    by = "track" if request.GET.get("by") == "track" else "agency"
    return heatmap(
        user=request.user,
        by=by,
        agency_code=request.GET.get("agency") or None,
        track_code=request.GET.get("track") or None,
        category=request.GET.get("category") or "",
    )


@login_required
def heatmap_page(request):
    """Agencies (or tracks) x competencies: who falls short of their title's level, by how much."""
    data = _heatmap_for(request)
    htmx = request.htmx
    template = (
        "competencies/partials/heatmap_table.html"
        if htmx and not htmx.history_restore_request
        else "competencies/heatmap.html"
    )
    context = {
        "data": data,
        "tracks": Track.objects.order_by("sort_order"),
        "categories": Competency.objects.order_by("category").values_list("category", flat=True).distinct(),
        "chosen": request.GET,
        "query": request.GET.urlencode(),
    }
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def heatmap_csv(request):
    data = _heatmap_for(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="competency-gaps-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    for row in heatmap_csv_rows(data):
        writer.writerow([safe_text(value) for value in row])  # names are typed by people: never a formula
    return response


@login_required
def professional_competencies_page(request, pk: int):
    """The competencies card of a professional's page, loaded by htmx once the page shows (so the
    page itself keeps its pinned query count), or as a page of its own without JavaScript."""
    professional = professional_for(request.user, pk)
    context = {
        "data": professional_competencies(user=request.user, professional=professional),
        "professional": professional,
        "may_act": acting_as(request.user) is not None,
    }
    htmx = request.htmx
    template = (
        "competencies/partials/professional_competencies.html"
        if htmx and not htmx.history_restore_request
        else "competencies/professional_competencies.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def assessment_list_page(request):
    page = _page(request, assessment_list(user=request.user, params=request.GET))
    return render(
        request,
        "competencies/assessment_list.html",
        {
            "page_obj": page,
            "kinds": AssessmentKind.choices,
            "chosen": request.GET,
            "may_assess": acting_as(request.user) is not None,
            "may_confirm": confirm_refusal(request.user) is None,
        },
    )


@login_required
def assessment_create(request):
    if acting_as(request.user) is None:
        raise PermissionDenied("Your account may read assessments but not record them.")
    initial = {"employee_id": request.GET.get("employee_id", "")}
    form = AssessmentForm(request.POST or None, user=request.user, initial=initial)

    def call(form):
        data = form.cleaned_data
        assessment = services.assessment_record(
            actor=request.user,
            professional_id=form.professional.pk,
            competency_id=data["competency"].pk,
            kind=data["kind"],
            level=data["level"],
            assessed_on=data["assessed_on"],
            evidence=data["evidence"],
        )
        return reverse("professionals:detail", args=[assessment.professional_id]) + "#competencies"

    return _form_page(
        request,
        form,
        call,
        title="Record an assessment",
        done="The assessment was recorded.",
        back=reverse("competencies:assessments"),
        intro="Self-assessments count once the agency ICT head or the division confirms them; supervisor and "
        "division assessments count at once. The current level is the latest confirmed assessment.",
    )


@login_required
@require_POST
def assessment_confirm(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    try:
        services.assessment_confirm(actor=request.user, assessment_id=assessment.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The self-assessment was confirmed.")
    return redirect(request.POST.get("next") or reverse("competencies:assessments"))


# ---------------------------------------------------------------------------------------------
# Training


@login_required
def programme_list_page(request):
    today = timezone.localdate()
    page = _page(request, programme_list(params=request.GET, today=today))
    taken = seats_taken([p.pk for p in page.object_list])
    return render(
        request,
        "competencies/programme_list.html",
        {
            "page_obj": page,
            "taken": taken,
            "today": today,
            "modes": TrainingMode.choices,
            "chosen": request.GET,
            "may_manage": may_manage(request.user),
            "may_request": acting_as(request.user) is not None,
        },
    )


@login_required
def programme_create(request):
    if not may_manage(request.user):
        raise PermissionDenied("Only ICT Management Division staff add training programmes.")
    form = ProgrammeForm(request.POST or None)

    def call(form):
        data = form.cleaned_data
        services.training_programme_create(
            actor=request.user,
            title=data["title"],
            provider=data["provider"],
            mode=data["mode"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            seats=data["seats"],
            description=data["description"],
            develops=[(c.pk, data["level"]) for c in data["develops"]],
        )
        return reverse("competencies:programmes")

    return _form_page(
        request,
        form,
        call,
        title="New training programme",
        done="The programme was added.",
        back=reverse("competencies:programmes"),
    )


@login_required
def training_request_list_page(request):
    page = _page(request, training_request_list(user=request.user, params=request.GET))
    return render(
        request,
        "competencies/request_list.html",
        {
            "page_obj": page,
            "states": TrainingRequestState.choices,
            "chosen": request.GET,
            "may_request": acting_as(request.user) is not None,
        },
    )


@login_required
def training_request_create(request):
    if acting_as(request.user) is None:
        raise PermissionDenied("Your account may read training requests but not make them.")
    initial = {"programme": request.GET.get("programme"), "employee_ids": request.GET.get("employee_id", "")}
    form = TrainingRequestForm(request.POST or None, user=request.user, initial=initial)

    def call(form):
        data = form.cleaned_data
        made = services.training_request_create(
            actor=request.user,
            programme_id=data["programme"].pk,
            professional_ids=[p.pk for p in form.people],
            reason=data["reason"],
        )
        return reverse("competencies:request", args=[made.pk])

    return _form_page(
        request,
        form,
        call,
        title="Ask for training",
        done="The training request was submitted to the ICT Management Division.",
        back=reverse("competencies:requests"),
    )


@login_required
def training_request_page(request, pk: int):
    training = training_request_get(user=request.user, pk=pk)
    # A request for several people names those the viewer may see and counts the others.
    people = list(training.professionals.visible_to(request.user))
    return render(
        request,
        "competencies/request_detail.html",
        {
            "training": training,
            "people": people,
            "hidden_people": training.professionals.count() - len(people),
            "records": {r.professional_id: r for r in training.records.all()},
            "may_decide": may_manage(request.user),
            "may_withdraw": training.may(TrainingAction.WITHDRAW)
            and (training.requested_by_id == request.user.pk or may_manage(request.user)),
            "completion": CompletionForm(people=people) if training.may(TrainingAction.COMPLETE) else None,
        },
    )


@login_required
@require_POST
def training_request_action(request, pk: int, action: str):
    """One move on one request: 404 if the user may not see it, 403 if they may not make the move."""
    training = training_request_get(user=request.user, pk=pk)
    note = DecisionForm(request.POST).data.get("note", "")
    calls = {
        "approve": lambda: services.training_request_approve(actor=request.user, request_id=pk, note=note),
        "reject": lambda: services.training_request_reject(actor=request.user, request_id=pk, reason=note),
        "withdraw": lambda: services.training_request_withdraw(actor=request.user, request_id=pk),
        "complete": lambda: _complete(request, training),
    }
    if action not in calls:
        raise Http404("No such action.")
    try:
        calls[action]()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Training request {training.reference}: {TrainingAction(action).label.lower()}.")
    return redirect("competencies:request", pk=training.pk)


def _complete(request, training):
    form = CompletionForm(request.POST, people=list(training.professionals.all()))
    if not form.is_valid():
        raise ValidationError("Choose a result for each person.")
    return services.training_request_complete(actor=request.user, request_id=training.pk, results=form.results())


@login_required
def certification_list_page(request):
    today = timezone.localdate()
    page = _page(request, certification_list(user=request.user, params=request.GET, today=today))
    return render(
        request,
        "competencies/certification_list.html",
        {"page_obj": page, "chosen": request.GET, "today": today, "may_add": acting_as(request.user) is not None},
    )


@login_required
def certification_create(request):
    if acting_as(request.user) is None:
        raise PermissionDenied("Your account may read certifications but not record them.")
    form = CertificationForm(request.POST or None, user=request.user, initial=request.GET.dict())

    def call(form):
        data = form.cleaned_data
        made = services.certification_add(
            actor=request.user,
            professional_id=form.professional.pk,
            name=data["name"],
            issuer=data["issuer"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            credential_id=data["credential_id"],
        )
        return reverse("professionals:detail", args=[made.professional_id]) + "#competencies"

    return _form_page(
        request,
        form,
        call,
        title="Record a certification",
        done="The certification was recorded; reminders go out 60 and 14 days before it expires.",
        back=reverse("competencies:certifications"),
    )


# ---------------------------------------------------------------------------------------------
# Expert pools


@login_required
def pool_list_page(request):
    return render(
        request,
        "competencies/pool_list.html",
        {"pools": pool_list(user=request.user), "may_manage": may_manage(request.user)},
    )


@login_required
def pool_page_view(request, pk: int):
    page = pool_page(user=request.user, pk=pk)
    return render(
        request,
        "competencies/pool_detail.html",
        {
            "page": page,
            "may_manage": may_manage(request.user),
            "may_nominate": acting_as(request.user) is not None,
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
def pool_nominate(request, pk: int):
    pool = pool_page(user=request.user, pk=pk).pool
    if acting_as(request.user) is None:
        raise PermissionDenied("Your account may read expert pools but not nominate anyone.")
    form = NominationForm(request.POST or None, user=request.user)

    def call(form):
        services.pool_nominate(
            actor=request.user,
            pool_id=pool.pk,
            professional_id=form.professional.pk,
            role=form.cleaned_data["role"],
            note=form.cleaned_data["note"],
        )
        return reverse("competencies:pool", args=[pool.pk])

    return _form_page(
        request,
        form,
        call,
        title=f"Nominate to {pool.name}",
        done="The nomination was sent to the ICT Management Division.",
        back=reverse("competencies:pool", args=[pool.pk]),
    )


@login_required
@require_POST
def membership_action(request, pk: int, action: str):
    membership = ExpertPoolMembership.objects.visible_to(request.user).filter(pk=pk).first()
    if membership is None or action not in ("accept", "decline", "end"):
        raise Http404("No such membership among those you may see.")
    try:
        if action == "end":
            services.membership_end(actor=request.user, membership_id=pk)
        else:
            services.membership_decide(
                actor=request.user, membership_id=pk, accept=action == "accept", note=request.POST.get("note", "")
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, {"accept": "Accepted.", "decline": "Declined.", "end": "Membership ended."}[action])
    return redirect("competencies:pool", pk=membership.pool_id)


@login_required
def deployment_create(request, pk: int):
    if not may_manage(request.user):
        raise PermissionDenied("Only ICT Management Division staff deploy experts.")
    pool = pool_page(user=request.user, pk=pk).pool
    form = DeploymentForm(request.POST or None, pool=pool)

    def call(form):
        data = form.cleaned_data
        services.deployment_create(
            actor=request.user,
            pool_id=pool.pk,
            agency_id=data["agency"].pk,
            request=data["request"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            expert_ids=[p.pk for p in data["experts"]],
        )
        return reverse("competencies:pool", args=[pool.pk])

    return _form_page(
        request,
        form,
        call,
        title=f"Deploy experts of {pool.name}",
        done="The experts were deployed.",
        back=reverse("competencies:pool", args=[pool.pk]),
    )


@login_required
@require_POST
def deployment_outcome(request, pk: int):
    deployment = deployment_get(user=request.user, pk=pk)
    try:
        services.deployment_record_outcome(
            actor=request.user, deployment_id=pk, outcome=request.POST.get("outcome", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The outcome was recorded.")
    return redirect("competencies:pool", pk=deployment.pool_id)


@login_required
def expert_search_page(request):
    form = ExpertSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = expert_search(
            user=request.user,
            competency_id=data["competency"].pk if data["competency"] else None,
            min_level=data["min_level"],
            certification=data["certification"],
            agency_id=data["agency"].pk if data["agency"] else None,
            available_from=data["available_from"],
            available_to=data["available_to"],
            pool_id=data["pool"].pk if data["pool"] else None,
        )
    return render(request, "competencies/expert_search.html", {"form": form, "results": results})
