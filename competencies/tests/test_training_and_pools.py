import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from competencies.factories import ExpertPoolFactory, TrainingProgrammeFactory
from competencies.models import (
    Assessment,
    Certification,
    CompetencyLevel,
    Deployment,
    ExpertPoolMembership,
    ProgrammeCompetency,
    TrainingRecord,
    TrainingRequest,
)
from competencies.selectors import expert_search
from competencies.services import (
    certification_add,
    certification_reminders_send,
    deployment_create,
    membership_decide,
    pool_nominate,
    training_request_approve,
    training_request_complete,
    training_request_create,
    training_request_reject,
    training_request_withdraw,
)
from competencies.tasks import send_certification_reminders

pytestmark = pytest.mark.django_db


def local_today():
    """Today in the portal's time zone, read when the test runs (a run may cross midnight)."""
    return timezone.localdate()


@pytest.fixture
def programme(comp):
    programme = TrainingProgrammeFactory(
        title="Secure coding",
        start_date=local_today() + dt.timedelta(days=10),
        end_date=local_today() + dt.timedelta(days=14),
        seats=2,
    )
    ProgrammeCompetency.objects.create(programme=programme, competency=comp.c["PROG"], level=4)
    ProgrammeCompetency.objects.create(programme=programme, competency=comp.c["TEST"], level=3)
    return programme


def ask(comp, who, programme, *people):
    return training_request_create(
        actor=comp.users[who],
        programme_id=programme.pk,
        professional_ids=[comp.people[p].pk for p in people],
        reason="Closes the gap found in the last assessment.",
    )


# ---------------------------------------------------------------------------------------------
# Training requests


def test_an_agency_head_asks_for_several_of_their_people(comp, programme):
    request = ask(comp, "head", programme, "A", "B")
    assert request.state == "submitted" and request.agency == comp.agencies["MOH"]
    assert set(request.professionals.values_list("first_name", flat=True)) == {"Asha", "Bumpa"}
    assert request.history.get().history_change_reason == "Submitted"


def test_a_professional_asks_for_themselves_only(comp, programme):
    assert ask(comp, "pro", programme, "A").agency == comp.agencies["MOH"]
    with pytest.raises(PermissionDenied, match="for themselves only"):
        ask(comp, "pro", programme, "B")


def test_an_agency_head_cannot_ask_for_people_of_other_agencies(comp, programme):
    with pytest.raises(ValidationError, match="no professional with the id"):
        ask(comp, "head", programme, "D")
    with pytest.raises(PermissionDenied):
        ask(comp, "hr", programme, "A")


def test_nobody_is_asked_for_twice_for_one_programme(comp, programme):
    ask(comp, "head", programme, "A")
    with pytest.raises(ValidationError, match="Asha .* already in a request"):
        ask(comp, "pro", programme, "A")
    assert TrainingRequest.objects.count() == 1


def test_approval_by_the_division_checks_the_seats(comp, programme):
    first = ask(comp, "head", programme, "A", "B")
    second = ask(comp, "division", programme, "D")
    training_request_approve(actor=comp.users["division"], request_id=first.pk)
    with pytest.raises(ValidationError, match="2 seats and 2 are taken: 1 more do not fit"):
        training_request_approve(actor=comp.users["division"], request_id=second.pk)
    first.refresh_from_db()
    assert first.state == "approved" and first.decided_by == comp.users["division"]
    assert first.history.first().history_change_reason == "Approved"


@pytest.mark.parametrize("who", ["head", "pro", "hr"])
def test_only_the_division_decides(comp, programme, who):
    request = ask(comp, "head", programme, "A")
    with pytest.raises(PermissionDenied):
        training_request_approve(actor=comp.users[who], request_id=request.pk)
    with pytest.raises(PermissionDenied):
        training_request_reject(actor=comp.users[who], request_id=request.pk, reason="No")
    assert TrainingRequest.objects.get(pk=request.pk).state == "submitted"


def test_a_rejection_needs_a_reason_and_closes_the_request(comp, programme):
    request = ask(comp, "head", programme, "A")
    with pytest.raises(ValidationError, match="Say why"):
        training_request_reject(actor=comp.users["division"], request_id=request.pk, reason=" ")
    training_request_reject(actor=comp.users["division"], request_id=request.pk, reason="Budget spent")
    with pytest.raises(ValidationError, match="is rejected; it can be approved only when it is submitted"):
        training_request_approve(actor=comp.users["division"], request_id=request.pk)
    assert TrainingRequest.objects.get(pk=request.pk).history.first().history_change_reason == "Rejected: Budget spent"


def test_the_asker_withdraws_but_another_agency_cannot(comp, programme):
    request = ask(comp, "pro", programme, "A")
    with pytest.raises(PermissionDenied):
        training_request_withdraw(actor=comp.users["head_mof"], request_id=request.pk)
    training_request_withdraw(actor=comp.users["pro"], request_id=request.pk)
    assert TrainingRequest.objects.get(pk=request.pk).state == "withdrawn"


def test_completion_records_results_and_a_pass_raises_levels(comp, programme):
    request = ask(comp, "head", programme, "A", "B")
    training_request_approve(actor=comp.users["division"], request_id=request.pk)
    with pytest.raises(ValidationError, match="runs until"):
        training_request_complete(actor=comp.users["division"], request_id=request.pk)
    after = programme.end_date + dt.timedelta(days=1)
    done = training_request_complete(
        actor=comp.users["division"], request_id=request.pk, results={comp.people["B"].pk: "failed"}, today=after
    )
    assert done.state == "completed"
    records = dict(TrainingRecord.objects.values_list("professional__first_name", "result"))
    assert records == {"Asha": "passed", "Bumpa": "failed"}
    levels = dict(
        CompetencyLevel.objects.filter(professional=comp.people["A"]).values_list("competency__code", "level")
    )
    assert levels == {"PROG": 4, "TEST": 3}  # the programme's levels, from nothing
    assert Assessment.objects.filter(kind="training", professional=comp.people["B"]).count() == 0
    with pytest.raises(ValidationError, match="is completed"):
        training_request_complete(actor=comp.users["division"], request_id=request.pk, today=after)


def test_completion_never_lowers_a_level(comp, programme):
    from competencies.services import assessment_record

    assessment_record(
        actor=comp.users["division"],
        professional_id=comp.people["A"].pk,
        competency_id=comp.c["PROG"].pk,
        kind="division",
        level=6,
        assessed_on=local_today(),
    )
    request = ask(comp, "head", programme, "A")
    training_request_approve(actor=comp.users["division"], request_id=request.pk)
    training_request_complete(
        actor=comp.users["division"], request_id=request.pk, today=programme.end_date + dt.timedelta(days=1)
    )
    assert CompetencyLevel.objects.get(professional=comp.people["A"], competency=comp.c["PROG"]).level == 6


def test_training_requests_are_scoped_for_every_role(comp, programme):
    mine = ask(comp, "head", programme, "A")
    theirs = ask(comp, "division", programme, "D")
    seen = {who: set(TrainingRequest.objects.visible_to(comp.users[who])) for who in comp.users}
    assert seen["division"] == seen["hr"] == {mine, theirs}
    assert seen["head"] == {mine} and seen["head_mof"] == {theirs}
    assert seen["pro"] == {mine} and seen["pro_d"] == {theirs}


# ---------------------------------------------------------------------------------------------
# Certifications and their reminders


def certify(comp, who, person, expires_on, name="CISSP"):
    return certification_add(
        actor=comp.users[who],
        professional_id=comp.people[person].pk,
        name=name,
        issuer="ISC2",
        issued_on=dt.date(2023, 1, 1),
        expires_on=expires_on,
    )


def test_certifications_are_added_by_the_person_their_head_or_the_division(comp):
    certify(comp, "pro", "A", None)
    certify(comp, "head", "B", None)
    with pytest.raises(PermissionDenied):
        certify(comp, "pro", "B", None)
    with pytest.raises(ValidationError, match="expires after"):
        certify(comp, "division", "A", dt.date(2022, 1, 1))
    assert Certification.objects.count() == 2


def test_expiry_reminders_go_once_at_60_days_and_once_at_14(comp):
    certify(comp, "division", "A", dt.date(2026, 6, 30))
    day = dt.date(2026, 6, 30) - dt.timedelta(days=61)
    assert certification_reminders_send(today=day)["reminded"] == 0  # 61 days: not yet
    sent = certification_reminders_send(today=day + dt.timedelta(days=1))  # 60 days
    assert sent == {"reminded": 1, "emails": 1}
    message = mail.outbox[-1]
    assert sorted(message.to) == ["asha@example.gov.bt", "h@moh.bt"]  # the person and the MOH head
    assert "expiring in 60 days" in message.subject
    assert certification_reminders_send(today=day + dt.timedelta(days=1))["reminded"] == 0  # same day again
    assert certification_reminders_send(today=day + dt.timedelta(days=2))["reminded"] == 0  # 59 days
    assert send_certification_reminders.delay(str(dt.date(2026, 6, 16))).get()["reminded"] == 1  # 14 days
    assert certification_reminders_send(today=dt.date(2026, 6, 20))["reminded"] == 0
    assert len(mail.outbox) == 2


def test_a_certification_added_inside_14_days_gets_only_the_nearer_reminder(comp):
    certify(comp, "division", "A", dt.date(2026, 6, 30))
    assert certification_reminders_send(today=dt.date(2026, 6, 20))["reminded"] == 1
    assert certification_reminders_send(today=dt.date(2026, 6, 21))["reminded"] == 0
    assert "in 10 days" in mail.outbox[0].subject and len(mail.outbox) == 1


# ---------------------------------------------------------------------------------------------
# Expert pools


@pytest.fixture
def pool(comp):
    pool = ExpertPoolFactory(name="Infocomm security")
    pool.competencies.add(comp.c["SCTY"])
    return pool


def member(comp, pool, person, since=dt.date(2024, 1, 1)):
    membership = pool_nominate(actor=comp.users["division"], pool_id=pool.pk, professional_id=comp.people[person].pk)
    return membership_decide(actor=comp.users["division"], membership_id=membership.pk, accept=True, since=since)


def test_a_head_nominates_and_the_division_accepts(comp, pool):
    nomination = pool_nominate(
        actor=comp.users["head"], pool_id=pool.pk, professional_id=comp.people["B"].pk, role="lead", note="CISSP"
    )
    assert nomination.state == "nominated"
    with pytest.raises(PermissionDenied):
        membership_decide(actor=comp.users["head"], membership_id=nomination.pk, accept=True)
    accepted = membership_decide(actor=comp.users["division"], membership_id=nomination.pk, accept=True)
    assert accepted.state == "accepted" and accepted.since == local_today() and accepted.role == "lead"
    assert [h.history_change_reason for h in accepted.history.order_by("history_id")] == ["Nominated", "Accepted"]
    with pytest.raises(ValidationError, match="only a nomination can be accepted"):
        membership_decide(actor=comp.users["division"], membership_id=nomination.pk, accept=False)


def test_a_duplicate_membership_is_refused_with_a_clear_message(comp, pool):
    member(comp, pool, "A")
    with pytest.raises(ValidationError) as error:
        pool_nominate(actor=comp.users["pro"], pool_id=pool.pk, professional_id=comp.people["A"].pk)
    (message,) = error.value.message_dict["professional"]
    assert (
        message
        == f"{comp.people['A'].full_name} is already accepted in Infocomm security; a person holds one place per pool."
    )
    assert ExpertPoolMembership.objects.filter(pool=pool).count() == 1


def test_meetings_invite_a_pools_current_members(comp, pool):
    from meetings.services import InviteeSelection, invitees_select

    member(comp, pool, "A")
    pool_nominate(actor=comp.users["division"], pool_id=pool.pk, professional_id=comp.people["B"].pk)  # not yet
    chosen = invitees_select(InviteeSelection(source="expert_pool", pool_id=pool.pk))
    assert [pid for pid, _ in chosen] == [comp.people["A"].pk]


def test_deployments_overlapping_for_the_same_expert_are_refused(comp, pool):
    member(comp, pool, "A")
    member(comp, pool, "B")
    kwargs = {"actor": comp.users["division"], "pool_id": pool.pk, "request": "Security audit of the e-GP system"}
    deployment_create(
        agency_id=comp.agencies["MOF"].pk,
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 3, 31),
        expert_ids=[comp.people["A"].pk],
        **kwargs,
    )
    with pytest.raises(ValidationError) as error:
        deployment_create(
            agency_id=comp.agencies["DZ-PARO"].pk,
            start_date=dt.date(2025, 3, 31),
            end_date=dt.date(2025, 4, 10),
            expert_ids=[comp.people["A"].pk, comp.people["B"].pk],
            **kwargs,
        )
    assert "Asha" in error.value.message_dict["experts"][0]
    assert (
        "already deployed to Ministry of Finance from 01 Mar 2025 to 31 Mar 2025"
        in (error.value.message_dict["experts"][0])
    )
    assert Deployment.objects.count() == 1


def test_only_current_members_are_deployed(comp, pool):
    member(comp, pool, "A", since=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="not a member of Infocomm security for the whole period"):
        deployment_create(
            actor=comp.users["division"],
            pool_id=pool.pk,
            agency_id=comp.agencies["MOF"].pk,
            request="Audit",
            start_date=dt.date(2025, 3, 1),
            end_date=dt.date(2025, 3, 5),
            expert_ids=[comp.people["A"].pk],
        )


def test_expert_search_by_level_certification_agency_availability_and_pool(comp, levels, pool):
    certify(comp, "division", "B", local_today() + dt.timedelta(days=400), name="CISSP")
    certify(comp, "division", "C", local_today() - dt.timedelta(days=1), name="CISSP")  # expired yesterday
    member(comp, pool, "C")
    division = comp.users["division"]

    def names(**criteria):
        return [p.first_name for p, _ in expert_search(user=division, **criteria)]

    # Current PROG levels: A 3, B 2, C 5, D 1.
    assert names(competency_id=comp.c["PROG"].pk, min_level=3) == ["Asha", "Chimi"]
    assert expert_search(user=division, competency_id=comp.c["PROG"].pk, min_level=5)[0][1] == 5
    assert names(certification="cissp") == ["Bumpa"]
    assert names(agency_id=comp.agencies["DMS"].pk) == ["Bumpa", "Chimi"]
    assert names(pool_id=pool.pk) == ["Chimi"]
    deployment_create(
        actor=division,
        pool_id=pool.pk,
        agency_id=comp.agencies["MOF"].pk,
        request="Audit",
        start_date=local_today(),
        end_date=local_today() + dt.timedelta(days=5),
        expert_ids=[comp.people["C"].pk],
    )
    assert names(pool_id=pool.pk, available_from=local_today() + dt.timedelta(days=3)) == []
    assert names(pool_id=pool.pk, available_from=local_today() + dt.timedelta(days=6)) == ["Chimi"]
    # An agency head finds only their own people.
    assert [p.first_name for p, _ in expert_search(user=comp.users["head_mof"], competency_id=comp.c["PROG"].pk)] == [
        "Dawa"
    ]
