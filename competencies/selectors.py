"""Reads of the competencies app, each starting from `visible_to(user)`: what the user may not see
answers 404 (`*_get`) or is simply not listed. Lists do their joins once (a fixed number of
queries whatever the page holds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agencies.querysets import subtree_ids
from professionals.models import IN_SERVICE_STATUSES, Professional

from .gaps import person_gaps, suggested_trainings
from .models import (
    Assessment,
    Certification,
    CompetencyLevel,
    Deployment,
    ExpertPool,
    ExpertPoolMembership,
    MembershipState,
    TrainingProgramme,
    TrainingRecord,
    TrainingRequest,
    TrainingRequestState,
)


def professional_for(user, pk: int) -> Professional:
    professional = Professional.objects.visible_to(user).select_related("track", "grade").filter(pk=pk).first()
    if professional is None:
        raise Http404("No such professional among those you may see.")
    return professional


def assessment_list(*, user, params) -> tuple:
    """Assessments the user may see, newest first, with the filters the page offers."""
    queryset = Assessment.objects.visible_to(user).select_related(
        "professional", "competency", "assessed_by", "confirmed_by"
    )
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    if params.get("state") == "unconfirmed":
        queryset = queryset.filter(confirmed_at__isnull=True)
    elif params.get("state") == "confirmed":
        queryset = queryset.filter(confirmed_at__isnull=False)
    if params.get("q"):
        q = params["q"].strip()
        queryset = queryset.filter(
            Q(professional__employee_id=q) | Q(professional__first_name__icontains=q) | Q(competency__code__iexact=q)
        )
    return queryset.order_by("-assessed_on", "-id")


def assessment_get(*, user, pk: int) -> Assessment:
    assessment = Assessment.objects.visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment among those you may see.")
    return assessment


def seats_taken(programme_ids) -> dict[int, int]:
    """People in approved or completed requests, per programme: one grouped query."""
    rows = (
        TrainingRequest.professionals.through.objects.filter(
            trainingrequest__programme_id__in=list(programme_ids),
            trainingrequest__state__in=[TrainingRequestState.APPROVED, TrainingRequestState.COMPLETED],
        )
        .values("trainingrequest__programme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["trainingrequest__programme_id"]: row["n"] for row in rows}


def programme_list(*, params, today: dt.date):
    queryset = TrainingProgramme.objects.prefetch_related("developed__competency")
    when = params.get("when", "upcoming")
    if when == "upcoming":
        queryset = queryset.filter(end_date__gte=today).order_by("start_date", "title")
    elif when == "past":
        queryset = queryset.filter(end_date__lt=today).order_by("-start_date", "title")
    if params.get("mode"):
        queryset = queryset.filter(mode=params["mode"])
    if params.get("competency"):
        queryset = queryset.filter(developed__competency__code=params["competency"]).distinct()
    return queryset


def training_request_list(*, user, params):
    queryset = (
        TrainingRequest.objects.visible_to(user)
        .select_related("programme", "agency", "requested_by")
        .prefetch_related(Prefetch("professionals", queryset=Professional.objects.order_by("first_name")))
    )
    if params.get("state"):
        queryset = queryset.filter(state=params["state"])
    return queryset.order_by("-created_at", "-id")


def training_request_get(*, user, pk: int) -> TrainingRequest:
    request = (
        TrainingRequest.objects.visible_to(user)
        .select_related("programme", "agency", "requested_by", "decided_by")
        .prefetch_related("professionals", "records")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such training request among those you may see.")
    return request


def certification_list(*, user, params, today: dt.date):
    queryset = Certification.objects.visible_to(user).select_related("professional")
    if params.get("expiring"):
        days = int(params["expiring"]) if str(params["expiring"]).isdigit() else 60
        queryset = queryset.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))
    if params.get("q"):
        queryset = queryset.filter(name__icontains=params["q"].strip())
    return queryset.order_by("expires_on", "name", "id")


def pool_list(*, user):
    """Every pool (their names and purposes are public), with how many current members and open
    nominations each has: one query."""
    today = timezone.localdate()
    current = Q(memberships__state=MembershipState.ACCEPTED, memberships__since__lte=today) & (
        Q(memberships__until__isnull=True) | Q(memberships__until__gte=today)
    )
    return (
        ExpertPool.objects.select_related("track")
        .annotate(
            members_count=Count("memberships", filter=current, distinct=True),
            nominations_count=Count(
                "memberships", filter=Q(memberships__state=MembershipState.NOMINATED), distinct=True
            ),
        )
        .order_by("name")
    )


@dataclass
class PoolPage:
    pool: ExpertPool
    members: list[ExpertPoolMembership]
    nominations: list[ExpertPoolMembership]
    past: list[ExpertPoolMembership]
    deployments: list[Deployment]


def pool_page(*, user, pk: int) -> PoolPage:
    pool = ExpertPool.objects.select_related("track").prefetch_related("competencies").filter(pk=pk).first()
    if pool is None:
        raise Http404("No such expert pool.")
    memberships = list(
        ExpertPoolMembership.objects.visible_to(user)
        .filter(pool=pool)
        .select_related("professional", "professional__current_agency", "nominated_by")
        .order_by("role", "professional__first_name")
    )
    today = timezone.localdate()
    current = [
        m
        for m in memberships
        if m.state == MembershipState.ACCEPTED and m.since <= today and (m.until is None or m.until >= today)
    ]
    deployments = list(
        Deployment.objects.visible_to(user)
        .filter(pool=pool)
        .select_related("agency")
        .annotate(expert_count=Count("experts"))
        .prefetch_related(
            Prefetch("experts", queryset=Professional.objects.visible_to(user), to_attr="visible_experts")
        )
        .order_by("-start_date")
    )
    # Each deployment names the experts the viewer may see and only counts the others: an agency
    # head learns that a team of four went, not who the three from other agencies are.
    for deployment in deployments:
        deployment.hidden_experts = deployment.expert_count - len(deployment.visible_experts)
    return PoolPage(
        pool=pool,
        members=current,
        nominations=[m for m in memberships if m.state == MembershipState.NOMINATED],
        past=[m for m in memberships if m not in current and m.state != MembershipState.NOMINATED],
        deployments=deployments,
    )


def deployment_get(*, user, pk: int) -> Deployment:
    deployment = Deployment.objects.visible_to(user).select_related("pool", "agency").filter(pk=pk).first()
    if deployment is None:
        raise Http404("No such deployment among those you may see.")
    return deployment


def expert_search(
    *,
    user,
    competency_id: int | None = None,
    min_level: int | None = None,
    certification: str = "",
    agency_id: int | None = None,
    available_from: dt.date | None = None,
    available_to: dt.date | None = None,
    pool_id: int | None = None,
    limit: int = 100,
):
    """Professionals in service whom `user` may see, matching every criterion given: a current level
    of at least `min_level` in a competency, a certification (name contains) valid today, placed in
    an agency or below it, not deployed in the period, a current member of a pool. Each comes with
    their level in the competency. Three queries whatever the number found."""
    today = timezone.localdate()
    people = Professional.objects.visible_to(user).filter(status__in=IN_SERVICE_STATUSES)
    if competency_id:
        levels = CompetencyLevel.objects.filter(competency_id=competency_id, level__gte=min_level or 1)
        people = people.filter(pk__in=levels.values("professional_id"))
    if certification.strip():
        valid = Certification.objects.valid_on(today).filter(name__icontains=certification.strip())
        people = people.filter(pk__in=valid.values("professional_id"))
    if agency_id:
        people = people.filter(current_agency_id__in=subtree_ids([agency_id]))
    if available_from:
        until = available_to or available_from
        busy = Deployment.experts.through.objects.filter(
            deployment__start_date__lte=until, deployment__end_date__gte=available_from
        )
        people = people.exclude(pk__in=busy.values("professional_id"))
    if pool_id:
        people = people.filter(
            pk__in=ExpertPoolMembership.objects.current(today).filter(pool_id=pool_id).values("professional_id")
        )
    found = list(people.select_related("current_agency", "grade", "track").order_by("first_name", "pk")[:limit])
    level_of = {}
    if competency_id:
        level_of = dict(
            CompetencyLevel.objects.filter(competency_id=competency_id, professional__in=found).values_list(
                "professional_id", "level"
            )
        )
    return [(person, level_of.get(person.pk)) for person in found]


@dataclass
class ProfessionalCompetencies:
    gaps: list
    suggestions: list
    records: list[TrainingRecord]
    certifications: list[Certification]
    memberships: list[ExpertPoolMembership]
    deployments: list[Deployment]
    requests: list[TrainingRequest]


def professional_competencies(*, user, professional: Professional) -> ProfessionalCompetencies:
    """What the professional's page shows of competencies, training, certifications and pools, in a
    fixed number of queries. `professional` was fetched through `visible_to(user)`."""
    today = timezone.localdate()
    gaps = person_gaps(professional)
    return ProfessionalCompetencies(
        gaps=gaps,
        suggestions=suggested_trainings(professional, gaps, today=today),
        records=list(
            TrainingRecord.objects.filter(professional=professional)
            .select_related("programme")
            .order_by("-programme__start_date")
        ),
        certifications=list(Certification.objects.filter(professional=professional).order_by("-issued_on")),
        memberships=list(
            ExpertPoolMembership.objects.filter(professional=professional).select_related("pool").order_by("pool__name")
        ),
        deployments=list(
            Deployment.objects.filter(experts=professional).select_related("pool", "agency").order_by("-start_date")
        ),
        requests=list(
            TrainingRequest.objects.visible_to(user)
            .filter(
                professionals=professional, state__in=[TrainingRequestState.SUBMITTED, TrainingRequestState.APPROVED]
            )
            .select_related("programme")
        ),
    )
