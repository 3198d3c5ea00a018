"""Writes on competencies, training, certifications and expert pools. The portal, the API, the
admin and the tasks all call these.

Each write: one transaction; the professional's row locked first where a person is concerned
(the order every write about a person uses, so concurrent writes queue instead of racing); the
rules re-checked on the locked rows; saved with an audit entry (`audit.stamp`); mail after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.access import scope_for
from accounts.audit import actor_user, stamp
from professionals.models import IN_SERVICE_STATUSES, Professional

from . import permissions
from .models import (
    OPEN_MEMBERSHIP_STATES,
    Assessment,
    AssessmentKind,
    Certification,
    Competency,
    CompetencyLevel,
    Deployment,
    ExpertPool,
    ExpertPoolMembership,
    Framework,
    MembershipRole,
    MembershipState,
    ProficiencyLevel,
    ProgrammeCompetency,
    Requirement,
    Track,
    TrainingAction,
    TrainingMode,
    TrainingProgramme,
    TrainingRecord,
    TrainingRequest,
    TrainingRequestState,
    TrainingResult,
)
from .selectors import seats_taken


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


def _visible_professionals(actor, ids: Iterable[int], *, lock: bool = False) -> list[Professional]:
    """The professionals `ids` as `actor` sees them (locked, in id order, when asked); an id the
    actor may not see is refused as if it did not exist."""
    wanted = sorted(set(ids))
    queryset = Professional.objects.visible_to(actor).filter(pk__in=wanted).order_by("pk")
    if lock:
        queryset = queryset.select_for_update()
    found = list(queryset)
    missing = set(wanted) - {p.pk for p in found}
    if missing:
        raise ValidationError({"professionals": f"There is no professional with the id {min(missing)}."})
    return found


# ---------------------------------------------------------------------------------------------
# The framework


def framework_of(track: Track | None) -> Framework | None:
    """A professional's framework: their track's, or the default one."""
    if track is not None and track.framework_id is not None:
        return track.framework
    return Framework.default()


def level_check(framework: Framework, level: int, *, field: str = "level") -> None:
    """Refuse a level number the framework does not have, listing those it has."""
    numbers = list(ProficiencyLevel.objects.filter(framework=framework).values_list("number", flat=True))
    if level not in numbers:
        span = f"{min(numbers)} to {max(numbers)}" if numbers else "none defined yet"
        raise ValidationError({field: f"Level {level} is not a level of {framework.name} (its levels: {span})."})


def requirement_errors(requirement: Requirement) -> dict[str, str]:
    """What is wrong with a requirement before it is saved: its level is outside the framework of
    its competency, its competency belongs to another framework than its track, its grade band is
    upside down, or it overlaps another requirement of the same track, title and competency."""
    errors: dict[str, str] = {}
    competency = requirement.competency
    framework = framework_of(requirement.track)
    if framework is not None and competency.framework_id != framework.pk:
        errors["competency"] = f"{competency.code} is not in {framework.name}, the framework of {requirement.track}."
    try:
        level_check(competency.framework, requirement.level)
    except ValidationError as error:
        errors["level"] = error.message_dict["level"][0]
    low, high = requirement.min_grade, requirement.max_grade
    if low and high and low.rank > high.rank:
        errors["max_grade"] = "The highest grade of the band ranks below its lowest grade."
        return errors
    others = Requirement.objects.filter(
        track_id=requirement.track_id,
        position_title_id=requirement.position_title_id,
        competency_id=requirement.competency_id,
    ).select_related("min_grade", "max_grade")
    for other in others.exclude(pk=requirement.pk):
        other_low = other.min_grade.rank if other.min_grade else -1
        other_high = other.max_grade.rank if other.max_grade else 10**6
        mine_low = low.rank if low else -1
        mine_high = high.rank if high else 10**6
        if mine_low <= other_high and other_low <= mine_high:
            band = f"{other.min_grade or 'any'}–{other.max_grade or 'any'}"
            errors["min_grade"] = (
                f"The grade band overlaps the requirement for grades {band} (level {other.level}); one person "
                "would need two levels. Narrow one band."
            )
            break
    return errors


@transaction.atomic
def requirement_save(*, actor, requirement: Requirement) -> Requirement:
    _refuse(permissions.division_refusal(actor, "set competency requirements"))
    errors = requirement_errors(requirement)
    if errors:
        raise ValidationError(errors)
    requirement.save()
    return requirement


# ---------------------------------------------------------------------------------------------
# Assessments and the current level


def current_level_refresh(*, professional_id: int, competency_id: int) -> int | None:
    """THE rule for a professional's current level in a competency: their latest confirmed
    assessment (latest by assessment date, then by when it was recorded), whatever its kind and
    whether it went up or down. Unconfirmed self-assessments do not count. Stored in
    `CompetencyLevel` for the gap figures; returns the level, or None without any."""
    latest = (
        Assessment.objects.confirmed()
        .filter(professional_id=professional_id, competency_id=competency_id)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if latest is None:
        CompetencyLevel.objects.filter(professional_id=professional_id, competency_id=competency_id).delete()
        return None
    CompetencyLevel.objects.update_or_create(
        professional_id=professional_id,
        competency_id=competency_id,
        defaults={"level": latest.level, "assessment": latest, "assessed_on": latest.assessed_on},
    )
    return latest.level


def _assessment_checks(professional: Professional, competency: Competency, level: int, assessed_on: dt.date) -> None:
    framework = framework_of(professional.track)
    if framework is None or competency.framework_id != framework.pk:
        name = framework.name if framework else "no framework"
        raise ValidationError(
            {
                "competency": f"{competency.code} {competency.name} is not in {professional.full_name}'s framework "
                f"({name}, through their track). Choose one of its competencies."
            }
        )
    level_check(framework, level)
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "The assessment date is in the future."})


@transaction.atomic
def assessment_record(
    *,
    actor,
    professional_id: int,
    competency_id: int,
    kind: str,
    level: int,
    assessed_on: dt.date | None = None,
    evidence: str = "",
) -> Assessment:
    """Record an assessment. Self-assessments wait for confirmation; supervisor and division
    assessments count at once (and so may change the current level)."""
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": f"Unknown kind of assessment: {kind}."})
    (professional,) = _visible_professionals(actor, [professional_id], lock=True)
    _refuse(permissions.assessment_refusal(actor, professional_id=professional.pk, kind=kind))
    competency = Competency.objects.filter(pk=competency_id).first()
    if competency is None:
        raise ValidationError({"competency": f"There is no competency with the id {competency_id}."})
    assessed_on = assessed_on or timezone.localdate()
    _assessment_checks(professional, competency, level, assessed_on)
    user = actor_user(actor)
    assessment = Assessment(
        professional=professional,
        competency=competency,
        kind=kind,
        level=level,
        assessed_on=assessed_on,
        evidence=evidence.strip(),
        assessed_by=user,
    )
    if kind != AssessmentKind.SELF:
        assessment.confirmed_at, assessment.confirmed_by = timezone.now(), user
    stamp(assessment, actor, f"{assessment.get_kind_display()}: {competency.code} at {level}")
    assessment.save()
    if assessment.confirmed:
        current_level_refresh(professional_id=professional.pk, competency_id=competency.pk)
    return assessment


@transaction.atomic
def assessment_confirm(*, actor, assessment_id: int) -> Assessment:
    """Confirm a self-assessment (agency head or division): from now on it may be the current level."""
    _refuse(permissions.confirm_refusal(actor))
    professional_id = Assessment.objects.values_list("professional_id", flat=True).get(pk=assessment_id)
    _visible_professionals(actor, [professional_id], lock=True)
    assessment = Assessment.objects.select_for_update().select_related("competency").get(pk=assessment_id)
    if assessment.confirmed:
        raise ValidationError(f"This assessment was already confirmed on {assessment.confirmed_at:%d %b %Y}.")
    assessment.confirmed_at = timezone.now()
    assessment.confirmed_by = actor_user(actor)
    stamp(assessment, actor, f"Confirmed: {assessment.competency.code} at {assessment.level}")
    assessment.save(update_fields=["confirmed_at", "confirmed_by"])
    current_level_refresh(professional_id=professional_id, competency_id=assessment.competency_id)
    return assessment


# ---------------------------------------------------------------------------------------------
# Training programmes and requests


@transaction.atomic
def training_programme_create(
    *,
    actor,
    title: str,
    provider: str,
    start_date: dt.date,
    end_date: dt.date,
    seats: int,
    mode: str = TrainingMode.CLASSROOM,
    description: str = "",
    develops: Iterable[tuple[int, int]] = (),
) -> TrainingProgramme:
    """A programme and the (competency id, level reached) pairs it develops."""
    _refuse(permissions.division_refusal(actor, "add training programmes"))
    programme = TrainingProgramme(
        title=title.strip(),
        provider=provider.strip(),
        mode=mode,
        start_date=start_date,
        end_date=end_date,
        seats=seats,
        description=description.strip(),
    )
    programme.full_clean()
    stamp(programme, actor, "Created")
    programme.save()
    develops = list(develops)
    competencies = Competency.objects.select_related("framework").in_bulk([c for c, _ in develops])
    for competency_id, level in develops:
        competency = competencies.get(competency_id)
        if competency is None:
            raise ValidationError({"develops": f"There is no competency with the id {competency_id}."})
        level_check(competency.framework, level)
        ProgrammeCompetency.objects.create(programme=programme, competency=competency, level=level)
    return programme


def _open_or_done_for(programme_id: int, professional_ids: list[int]):
    return TrainingRequest.objects.filter(
        programme_id=programme_id,
        professionals__in=professional_ids,
        state__in=[TrainingRequestState.SUBMITTED, TrainingRequestState.APPROVED, TrainingRequestState.COMPLETED],
    ).values_list("professionals", flat=True)


@transaction.atomic
def training_request_create(
    *, actor, programme_id: int, professional_ids: Iterable[int], reason: str, today: dt.date | None = None
) -> TrainingRequest:
    """An agency ICT head asks for one or several of their people, a professional for themselves
    (the division may ask for anyone). Nobody is asked for twice for one programme."""
    today = today or timezone.localdate()
    ids = sorted(set(professional_ids))
    if not ids:
        raise ValidationError({"professionals": "Choose at least one professional to train."})
    _refuse(permissions.for_people_refusal(actor, professional_ids=ids))
    people = _visible_professionals(actor, ids, lock=True)
    programme = TrainingProgramme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise ValidationError({"programme": f"There is no training programme with the id {programme_id}."})
    if programme.end_date < today:
        raise ValidationError({"programme": f"{programme.title} ended on {programme.end_date:%d %b %Y}."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the training is needed; the division reads it when deciding."})
    gone = [p for p in people if p.status not in IN_SERVICE_STATUSES]
    if gone:
        raise ValidationError({"professionals": f"{gone[0].full_name} has left the service."})
    already = set(_open_or_done_for(programme.pk, ids))
    if already:
        name = next(p.full_name for p in people if p.pk in already)
        raise ValidationError(
            {"professionals": f"{name} is already in a request for {programme.title}; each person is asked once."}
        )
    scope = scope_for(actor)
    agency_id = scope.agency_id if scope.agency_id is not None else people[0].current_agency_id
    request = TrainingRequest(
        programme=programme,
        agency_id=agency_id,
        requested_by=actor_user(actor),
        reason=reason.strip(),
    )
    stamp(request, actor, "Submitted")
    request.save()
    request.professionals.set(people)
    return request


def _lock_request(request_id: int) -> TrainingRequest:
    """Lock the request's people (in id order), then the request."""
    ids = list(
        TrainingRequest.professionals.through.objects.filter(trainingrequest_id=request_id)
        .order_by("professional_id")
        .values_list("professional_id", flat=True)
    )
    list(Professional.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return TrainingRequest.objects.select_for_update().select_related("programme").get(pk=request_id)


def _move_request(request: TrainingRequest, action: str, actor, note: str = "", fields: tuple[str, ...] = ()):
    request.state = request.next_state(action)
    stamp(request, actor, f"{TrainingAction(action).label}{': ' + note if note else ''}")
    request.save(update_fields=["state", *fields])


def _decide(request: TrainingRequest, actor, note: str) -> tuple[str, ...]:
    request.decided_by = actor_user(actor)
    request.decided_at = timezone.now()
    request.decision_note = note
    return ("decided_by", "decided_at", "decision_note")


@transaction.atomic
def training_request_approve(*, actor, request_id: int, note: str = "") -> TrainingRequest:
    """Submitted -> approved by the division, if the programme still has seats for everyone."""
    _refuse(permissions.division_refusal(actor, "approve training requests"))
    request = _lock_request(request_id)
    request.next_state(TrainingAction.APPROVE)
    programme = TrainingProgramme.objects.select_for_update().get(pk=request.programme_id)
    taken = seats_taken([programme.pk]).get(programme.pk, 0)
    wanted = request.professionals.count()
    if taken + wanted > programme.seats:
        raise ValidationError(
            f"{programme.title} has {programme.seats} seats and {taken} are taken: {wanted} more do not fit. "
            "Reject the request, or raise the seats first."
        )
    _move_request(request, TrainingAction.APPROVE, actor, note.strip(), _decide(request, actor, note.strip()))
    return request


@transaction.atomic
def training_request_reject(*, actor, request_id: int, reason: str) -> TrainingRequest:
    _refuse(permissions.division_refusal(actor, "reject training requests"))
    request = _lock_request(request_id)
    request.next_state(TrainingAction.REJECT)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the request is rejected; the requester reads it."})
    _move_request(request, TrainingAction.REJECT, actor, reason.strip(), _decide(request, actor, reason.strip()))
    return request


@transaction.atomic
def training_request_withdraw(*, actor, request_id: int) -> TrainingRequest:
    """The asker (or their agency's ICT head, or the division) takes back a request not yet decided."""
    request = _lock_request(request_id)
    role = permissions.acting_as(actor)
    mine = request.requested_by_id is not None and request.requested_by_id == getattr(actor, "pk", None)
    own_agency = role == permissions.HEAD and request.agency_id == scope_for(actor).agency_id
    if not (mine or own_agency or role == permissions.DIVISION):
        raise PermissionDenied("Only whoever asked (or their agency's ICT head) withdraws a training request.")
    _move_request(request, TrainingAction.WITHDRAW, actor)
    return request


@transaction.atomic
def training_request_complete(
    *,
    actor,
    request_id: int,
    results: dict[int, str] | None = None,
    certificates: dict[int, str] | None = None,
    today: dt.date | None = None,
) -> TrainingRequest:
    """Approved -> completed: a training record per person (passed unless `results` says
    otherwise). A pass raises the person's level in each competency the programme develops to the
    programme's level, as a confirmed "training result" assessment, where that is higher than
    their current level and the competency is in their framework."""
    _refuse(permissions.division_refusal(actor, "record training results"))
    today = today or timezone.localdate()
    request = _lock_request(request_id)
    request.next_state(TrainingAction.COMPLETE)
    programme = request.programme
    if programme.end_date > today:
        raise ValidationError(f"{programme.title} runs until {programme.end_date:%d %b %Y}; complete it after that.")
    people = list(request.professionals.select_related("track__framework").order_by("pk"))
    results = {int(k): v for k, v in (results or {}).items()}
    unknown = set(results) - {p.pk for p in people}
    if unknown:
        raise ValidationError({"results": f"Professional {min(unknown)} is not in request {request.reference}."})
    bad = [v for v in results.values() if v not in TrainingResult.values]
    if bad:
        raise ValidationError({"results": f"Unknown result {bad[0]!r}: use {', '.join(TrainingResult.values)}."})
    developed = list(programme.developed.select_related("competency"))
    certificates = {int(k): v for k, v in (certificates or {}).items()}
    for person in people:
        result = results.get(person.pk, TrainingResult.PASSED)
        record = TrainingRecord(
            professional=person,
            programme=programme,
            request=request,
            attended=result != TrainingResult.ABSENT,
            result=result,
            certificate=certificates.get(person.pk, ""),
        )
        stamp(record, actor, "Training completed")
        record.save()
        if result == TrainingResult.PASSED:
            _raise_levels(person, developed, programme, actor, programme.end_date)
    request.completed_at = timezone.now()
    _move_request(request, TrainingAction.COMPLETE, actor, fields=("completed_at",))
    return request


def _raise_levels(person: Professional, developed, programme: TrainingProgramme, actor, day: dt.date) -> None:
    framework = framework_of(person.track)
    current = dict(CompetencyLevel.objects.filter(professional=person).values_list("competency_id", "level"))
    for item in developed:
        if framework is None or item.competency.framework_id != framework.pk:
            continue
        if current.get(item.competency_id, 0) >= item.level:
            continue
        assessment = Assessment(
            professional=person,
            competency=item.competency,
            kind=AssessmentKind.TRAINING,
            level=item.level,
            assessed_on=day,
            evidence=f"Passed {programme.title} ({programme.provider}).",
            assessed_by=actor_user(actor),
            confirmed_at=timezone.now(),
            confirmed_by=actor_user(actor),
        )
        stamp(assessment, actor, f"Training result: {item.competency.code} at {item.level}")
        assessment.save()
        current_level_refresh(professional_id=person.pk, competency_id=item.competency_id)


# ---------------------------------------------------------------------------------------------
# Certifications


@transaction.atomic
def certification_add(
    *,
    actor,
    professional_id: int,
    name: str,
    issuer: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    credential_id: str = "",
) -> Certification:
    """The division, the professional's agency head or the professional records a certification."""
    _refuse(permissions.for_people_refusal(actor, professional_ids=[professional_id]))
    (professional,) = _visible_professionals(actor, [professional_id], lock=True)
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "The issue date is in the future."})
    certification = Certification(
        professional=professional,
        name=name.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        credential_id=credential_id.strip(),
        added_by=actor_user(actor),
    )
    certification.full_clean()
    stamp(certification, actor, "Added")
    certification.save()
    return certification


# ---------------------------------------------------------------------------------------------
# Expert pools


@transaction.atomic
def pool_nominate(
    *, actor, pool_id: int, professional_id: int, role: str = MembershipRole.MEMBER, note: str = ""
) -> ExpertPoolMembership:
    """An agency head nominates one of their people, a professional themselves, the division anyone;
    the division then accepts or declines."""
    _refuse(permissions.for_people_refusal(actor, professional_ids=[professional_id]))
    (professional,) = _visible_professionals(actor, [professional_id], lock=True)
    pool = ExpertPool.objects.filter(pk=pool_id).first()
    if pool is None:
        raise ValidationError({"pool": f"There is no expert pool with the id {pool_id}."})
    if role not in MembershipRole.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use lead or member."})
    if professional.status not in IN_SERVICE_STATUSES:
        raise ValidationError({"professional": f"{professional.full_name} has left the service."})
    existing = ExpertPoolMembership.objects.filter(
        pool=pool, professional=professional, state__in=OPEN_MEMBERSHIP_STATES
    ).first()
    if existing is not None:
        raise ValidationError(
            {
                "professional": f"{professional.full_name} is already {existing.get_state_display().lower()} "
                f"in {pool.name}; a person holds one place per pool."
            }
        )
    membership = ExpertPoolMembership(
        pool=pool,
        professional=professional,
        role=role,
        note=note.strip(),
        nominated_by=actor_user(actor),
    )
    stamp(membership, actor, "Nominated")
    membership.save()
    return membership


def _lock_membership(membership_id: int) -> ExpertPoolMembership:
    professional_id = ExpertPoolMembership.objects.values_list("professional_id", flat=True).get(pk=membership_id)
    Professional.objects.select_for_update().get(pk=professional_id)
    return ExpertPoolMembership.objects.select_for_update().select_related("pool", "professional").get(pk=membership_id)


@transaction.atomic
def membership_decide(
    *, actor, membership_id: int, accept: bool, since: dt.date | None = None, role: str | None = None, note: str = ""
) -> ExpertPoolMembership:
    """Nominated -> accepted (a member from `since`, today by default) or declined, by the division."""
    _refuse(permissions.division_refusal(actor, "accept or decline nominations to expert pools"))
    membership = _lock_membership(membership_id)
    if membership.state != MembershipState.NOMINATED:
        raise ValidationError(
            f"{membership.professional.full_name}'s place in {membership.pool.name} is "
            f"{membership.get_state_display().lower()}; only a nomination can be accepted or declined."
        )
    membership.state = MembershipState.ACCEPTED if accept else MembershipState.DECLINED
    if accept:
        membership.since = since or timezone.localdate()
        membership.role = role or membership.role
    membership.decided_by = actor_user(actor)
    membership.decided_at = timezone.now()
    if note.strip():
        membership.note = note.strip()
    stamp(membership, actor, "Accepted" if accept else f"Declined{': ' + note.strip() if note.strip() else ''}")
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, actor, membership_id: int, until: dt.date | None = None) -> ExpertPoolMembership:
    _refuse(permissions.division_refusal(actor, "end memberships of expert pools"))
    membership = _lock_membership(membership_id)
    if membership.state != MembershipState.ACCEPTED:
        raise ValidationError("Only an accepted membership can end.")
    until = until or timezone.localdate()
    if until < membership.since:
        raise ValidationError({"until": f"The membership started on {membership.since:%d %b %Y}."})
    membership.state, membership.until = MembershipState.ENDED, until
    stamp(membership, actor, "Ended")
    membership.save(update_fields=["state", "until"])
    return membership


@transaction.atomic
def deployment_create(
    *,
    actor,
    pool_id: int,
    agency_id: int,
    request: str,
    start_date: dt.date,
    end_date: dt.date,
    expert_ids: Iterable[int],
) -> Deployment:
    """Assign experts of a pool to an agency's request for a period. Each must be a member of the
    pool for the whole period and not deployed elsewhere at the same time."""
    from agencies.models import Agency

    _refuse(permissions.division_refusal(actor, "deploy experts"))
    ids = sorted(set(expert_ids))
    if not ids:
        raise ValidationError({"experts": "Choose at least one expert to deploy."})
    if end_date < start_date:
        raise ValidationError({"end_date": "The deployment ends before it starts."})
    if not (request or "").strip():
        raise ValidationError({"request": "Say what the agency asked the experts for."})
    pool = ExpertPool.objects.filter(pk=pool_id).first()
    if pool is None:
        raise ValidationError({"pool": f"There is no expert pool with the id {pool_id}."})
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError({"agency": f"There is no agency with the id {agency_id}."})
    experts = _visible_professionals(actor, ids, lock=True)
    members = set(
        ExpertPoolMembership.objects.filter(pool=pool, professional_id__in=ids, state=MembershipState.ACCEPTED)
        .filter(since__lte=start_date)
        .filter(Q(until__isnull=True) | Q(until__gte=end_date))
        .values_list("professional_id", flat=True)
    )
    outsiders = [p for p in experts if p.pk not in members]
    if outsiders:
        raise ValidationError(
            {"experts": f"{outsiders[0].full_name} is not a member of {pool.name} for the whole period."}
        )
    busy = (
        Deployment.objects.filter(experts__in=ids, start_date__lte=end_date, end_date__gte=start_date)
        .values_list("experts", "agency__name", "start_date", "end_date")
        .order_by("start_date")
    )
    for expert_id, where, start, end in busy:
        if expert_id in ids:
            name = next(p.full_name for p in experts if p.pk == expert_id)
            raise ValidationError(
                {
                    "experts": f"{name} is already deployed to {where} from {start:%d %b %Y} to {end:%d %b %Y}, "
                    "which overlaps this period."
                }
            )
    deployment = Deployment(
        pool=pool,
        agency=agency,
        request=request.strip(),
        start_date=start_date,
        end_date=end_date,
        created_by=actor_user(actor),
    )
    stamp(deployment, actor, "Deployed")
    deployment.save()
    deployment.experts.set(experts)
    return deployment


@transaction.atomic
def deployment_record_outcome(*, actor, deployment_id: int, outcome: str) -> Deployment:
    _refuse(permissions.division_refusal(actor, "record deployment outcomes"))
    deployment = Deployment.objects.select_for_update().get(pk=deployment_id)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Write what came of the deployment."})
    deployment.outcome = outcome.strip()
    stamp(deployment, actor, "Outcome recorded")
    deployment.save(update_fields=["outcome"])
    return deployment


# ---------------------------------------------------------------------------------------------
# Certification expiry reminders (run daily by competencies.tasks)

REMINDER_DAYS = (60, 14)


def certification_reminders_send(*, today: dt.date) -> dict[str, int]:
    """Email the professional and their agency's ICT heads when a certification comes within 60
    and within 14 days of expiry: once per threshold. A certification first seen inside both (added
    late) gets the nearer one only. Marked in the transaction that picks the rows (locked), and
    sent inside it, so a retry or a second run the same day sends nothing twice."""
    from django.core.mail import get_connection

    from .emails import expiry_message, expiry_recipients

    sent = picked = 0
    with transaction.atomic():
        candidates = list(
            Certification.objects.select_for_update(of=("self",))
            .select_related("professional")
            .filter(
                expires_on__gte=today,
                expires_on__lte=today + dt.timedelta(days=max(REMINDER_DAYS)),
                professional__status__in=IN_SERVICE_STATUSES,
            )
            .order_by("expires_on", "id")
        )
        due = []
        for certification in candidates:
            days_left = (certification.expires_on - today).days
            threshold = min(t for t in REMINDER_DAYS if days_left <= t)
            if certification.reminded_days is None or certification.reminded_days > threshold:
                certification.reminded_days = threshold
                due.append(certification)
        for threshold in REMINDER_DAYS:
            marked = [c.pk for c in due if c.reminded_days == threshold]
            if marked:
                Certification.objects.filter(pk__in=marked).update(reminded_days=threshold)
        picked = len(due)
        recipients = expiry_recipients(due)
        messages = [expiry_message(c, recipients[c.pk], today=today) for c in due if recipients[c.pk]]
        sent = get_connection().send_messages(messages) if messages else 0
    return {"reminded": picked, "emails": sent or 0}
