"""`manage.py seed_demo`: deterministic, realistic, consistent with the model's rules, and careful
with a database that already has data."""

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Role, User
from agencies.models import Agency, AgencyKind, ICTUnit, ICTUnitKind, Region, SanctionedPost, SiteSettings
from competencies.models import Track
from core.dates import date_at_age
from placements.models import Placement
from professionals.models import (
    EXIT_EVENTS,
    IN_SERVICE_STATUSES,
    LEAVE_EVENTS,
    STATUS_AFTER_EVENT,
    Grade,
    GradeCategory,
    GradeChange,
    PendingStatusChange,
    PositionTitle,
    Professional,
    Qualification,
    RetirementAgeRule,
    StatusEvent,
)
from professionals.retirement import superannuation_date
from professionals.services import retirement_rules_by_category, status_changes_due_record

pytestmark = pytest.mark.django_db

SMALL = {"professionals": 120, "years": 6, "seed": 7}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def snapshot() -> tuple[list, list]:
    people = sorted(
        Professional.objects.values_list(
            "employee_id", "first_name", "middle_name", "last_name", "date_of_birth", "status", "grade__code"
        )
    )
    placements = sorted(
        Placement.objects.values_list(
            "professional__employee_id", "agency__code", "position_title__code", "start_date", "end_date", "kind"
        ),
        key=lambda row: (row[0], row[3]),
    )
    return people, placements


def exit_dates() -> dict[int, dt.date]:
    return dict(
        StatusEvent.objects.filter(kind__in=[k.value for k in EXIT_EVENTS]).values_list(
            "professional_id", "effective_date"
        )
    )


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    seed()
    first = snapshot()
    seed(reset=True)
    assert snapshot() == first
    seed(reset=True, seed=8)
    other = snapshot()
    assert other[0] != first[0]
    assert other[1] != first[1]


def test_the_agencies_follow_the_post_2022_structure():
    seed()
    active = Counter(Agency.objects.active().values_list("kind__code", flat=True))
    assert active["ministry"] == 9
    assert active["dzongkhag"] == 20
    assert active["thromde"] == 4
    assert active["autonomous"] >= 12
    assert 9 <= active["department"] <= 27
    assert Agency.objects.filter(is_parent_agency=True).count() == 1
    assert not Agency.objects.filter(region__isnull=True).exists()
    for name, code in Agency.objects.filter(kind__code="dzongkhag").values_list("region__name", "code"):
        assert code == "DZ-" + name.upper().replace(" ", "")
    departments = Agency.objects.filter(kind__code="department")
    assert all(parent == "ministry" for parent in departments.values_list("parent__kind__code", flat=True))
    assert Agency.objects.filter(critical_information_infrastructure=True).count() >= 3
    assert set(Agency.objects.values_list("digital_maturity", flat=True)) <= {1, 2, 3, 4, 5}
    assert SiteSettings.load().parent_agency_name == "GovTech ICT Management Division"


def test_the_dissolved_ministry_passed_its_staff_to_the_parent_agency_on_dissolution():
    seed(years=10)
    moic = Agency.objects.get(code="MOIC")
    parent = Agency.objects.get(is_parent_agency=True)
    assert moic.dissolved_on == dt.date(2022, 12, 1)
    assert moic.successor == parent
    assert not ICTUnit.objects.filter(agency=moic).exists()
    placements = Placement.objects.filter(agency=moic)
    assert placements.exists()
    assert not placements.filter(end_date__isnull=True).exists()
    assert not placements.filter(end_date__gt=moic.dissolved_on).exists()
    moved = Placement.objects.filter(agency=parent, kind="restructuring")
    assert set(moved.values_list("start_date", flat=True)) == {moic.dissolved_on}
    assert not Placement.objects.filter(agency=parent, start_date__lt=moic.dissolved_on).exists()


def test_the_target_number_are_in_service_with_the_statuses_of_a_real_cadre():
    seed()
    statuses = Counter(Professional.objects.values_list("status", flat=True))
    assert sum(statuses[s] for s in IN_SERVICE_STATUSES) == SMALL["professionals"]
    for status in ("active", "eol", "resigned", "retired"):
        assert statuses[status], status
    assert sum(statuses.values()) > SMALL["professionals"]  # plus those who left during the history


def test_yearly_attrition_stays_between_8_and_20_percent():
    seed()
    today = timezone.localdate()
    appointed = dict(Professional.objects.values_list("id", "first_appointment_date"))
    exits = exit_dates()

    def in_service_on(day: dt.date) -> int:
        return sum(1 for pid, start in appointed.items() if start <= day and (pid not in exits or exits[pid] > day))

    for year in range(today.year - SMALL["years"], today.year):
        left = sum(1 for day in exits.values() if day.year == year)
        average = (in_service_on(dt.date(year, 1, 1)) + in_service_on(dt.date(year, 12, 31))) / 2
        assert 0.08 <= left / average <= 0.20, (year, left, average)


def test_everyone_in_service_has_one_open_placement_and_leavers_none():
    seed()
    exits = exit_dates()
    placements = defaultdict(list)
    for row in Placement.objects.values_list("professional_id", "start_date", "end_date"):
        placements[row[0]].append(row[1:])
    for pid, status, appointed in Professional.objects.values_list("id", "status", "first_appointment_date"):
        periods = sorted(placements[pid])
        open_ones = [p for p in periods if p[1] is None]
        assert len(open_ones) == (1 if status in IN_SERVICE_STATUSES else 0)
        assert periods[0][0] == appointed
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier[1] == later[0]  # back to back: no gap, no overlap
        assert all(end is None or end > start for start, end in periods)
        if status not in IN_SERVICE_STATUSES:
            assert periods[-1][1] == exits[pid]


def test_the_stored_current_agency_is_the_agency_of_the_open_placement():
    seed()
    open_agency = dict(Placement.objects.filter(end_date__isnull=True).values_list("professional_id", "agency_id"))
    stored = dict(Professional.objects.values_list("id", "current_agency_id"))
    assert stored == {pid: open_agency.get(pid) for pid in stored}
    assert sum(agency is not None for agency in stored.values()) == len(open_agency) > 0


def test_each_status_is_the_effect_of_the_last_status_event():
    seed()
    events = defaultdict(list)
    for row in StatusEvent.objects.order_by("effective_date", "id").values_list(
        "professional_id", "kind", "effective_date", "expected_end"
    ):
        events[row[0]].append(row[1:])
    leave = {k.value for k in LEAVE_EVENTS}
    today = timezone.localdate()
    for pid, status, appointed in Professional.objects.values_list("id", "status", "first_appointment_date"):
        history = events.get(pid, [])
        assert status == (STATUS_AFTER_EVENT[history[-1][0]] if history else "active")
        for kind, day, expected_end in history:
            assert appointed <= day <= today
            assert (expected_end is not None) == (kind in leave)


def test_grades_titles_and_grade_history_agree():
    seed()
    bands = {t.pk: (t.min_grade, t.max_grade) for t in PositionTitle.objects.select_related("min_grade", "max_grade")}
    history = defaultdict(list)
    for pid, grade_id, reason, day in GradeChange.objects.order_by("effective_date", "id").values_list(
        "professional_id", "grade_id", "reason", "effective_date"
    ):
        history[pid].append((reason, day, grade_id))
    for person in Professional.objects.select_related("grade"):
        low, high = bands[person.position_title_id]
        assert low.category_id == person.grade.category_id
        assert low.rank <= person.grade.rank <= high.rank
        assert history[person.pk][0][:2] == ("appointment", person.first_appointment_date)
        assert history[person.pk][-1][2] == person.grade_id
    assert not Professional.objects.filter(grade__category__code="EX").exists()


def test_superannuation_dates_are_stored_and_follow_the_rules():
    seed()
    rules = retirement_rules_by_category()
    people = Professional.objects.select_related("grade")
    assert people.filter(superannuation_date__isnull=True).count() == 0
    for person in people:
        expected = superannuation_date(person.date_of_birth, rules[person.grade.category_id])
        assert person.superannuation_date == expected


def test_people_look_like_the_bhutanese_civil_service():
    seed()
    today = timezone.localdate()
    people = list(Professional.objects.all())
    national_ids = [p.national_id for p in people]
    assert len(set(national_ids)) == len(people)
    assert all(len(n) == 11 and n.isdigit() for n in national_ids)
    assert len({p.employee_id for p in people}) == len(people)
    assert all(p.employee_id[:4] == str(p.first_appointment_date.year) for p in people)
    assert all(len(p.phone) == 8 and p.phone[:2] in ("17", "77") for p in people)
    for p in people:
        age_at_appointment = p.first_appointment_date.year - p.date_of_birth.year
        if date_at_age(p.date_of_birth, age_at_appointment) > p.first_appointment_date:
            age_at_appointment -= 1
        assert 21 <= age_at_appointment <= 28
    serving = [p for p in people if p.status in IN_SERVICE_STATUSES]
    assert all(p.date_of_birth.year <= today.year - 24 for p in serving)
    # No one serves past superannuation, but for those whose date has come and whose retirement
    # waits for the division to confirm it (the nightly job lists them; nothing changes silently).
    waiting = set(
        PendingStatusChange.objects.filter(
            kind=PendingStatusChange.Kind.SUPERANNUATION, state=PendingStatusChange.State.OPEN
        ).values_list("professional_id", flat=True)
    )
    assert all(p.superannuation_date > today or p.pk in waiting for p in serving)
    assert 0.45 <= sum(p.gender == "M" for p in serving) / len(serving) <= 0.75
    types = Counter(p.employment_type for p in serving)
    assert types["regular"] > types["probation"] > 0
    assert all(
        p.first_appointment_date > today - dt.timedelta(days=366) for p in serving if p.employment_type == "probation"
    )
    per_person = Counter(Qualification.objects.values_list("professional_id", flat=True))
    assert max(per_person.values()) <= 2


def test_the_daily_task_finds_leave_that_ended_and_superannuation_that_passed():
    output = seed()
    today = timezone.localdate()
    soon = today + dt.timedelta(days=365)
    serving = Professional.objects.filter(status__in=IN_SERVICE_STATUSES)
    # Someone superannuates within the year, unless the rules allow no one to: on 22 April 2023
    # every age rose, so no date of birth reaches the new ages before April 2024.
    possible = any(
        today < superannuation_date(dt.date(year, month, 1), rules) <= soon
        for rules in retirement_rules_by_category().values()
        for year in range(today.year - 70, today.year - 40)
        for month in range(1, 13)
    )
    due = serving.filter(superannuation_date__gt=today, superannuation_date__lte=soon).exists()
    assert due == possible
    # The seed queues what the nightly job would have found by today ...
    kinds = Counter(PendingStatusChange.objects.filter(state="open").values_list("kind", flat=True))
    assert kinds["leave_ended"] >= 2 and kinds["superannuation"] >= 2
    assert f"{sum(kinds.values())} status changes due" in output
    # ... so the job itself finds the same items and adds none.
    found = status_changes_due_record(today=today)
    assert (found["leave_ended"], found["superannuation"], found["created"]) == (
        kinds["leave_ended"],
        kinds["superannuation"],
        0,
    )


def test_the_establishment_shows_vacancies_exact_fits_and_over_filling():
    seed(professionals=320)
    filled = Counter(Placement.objects.current().values_list("agency_id", flat=True))
    posts = Counter()
    for agency_id, number in SanctionedPost.objects.values_list("agency_id", "number"):
        posts[agency_id] += number
    shapes = Counter(
        "vacant" if posts[a] > filled[a] else "exact" if posts[a] == filled[a] else "over"
        for a in ICTUnit.objects.values_list("agency_id", flat=True)
    )
    assert shapes["vacant"] and shapes["exact"] and shapes["over"]


def test_every_ict_unit_is_headed_by_someone_serving_there():
    seed(professionals=320)
    current = dict(Placement.objects.current().values_list("professional_id", "agency_id"))
    staffed = set(current.values())
    for unit in ICTUnit.objects.select_related("head"):
        assert unit.terms_of_reference.count(". ") >= 2
        if unit.agency_id in staffed:
            assert unit.head is not None
        if unit.head:
            assert current[unit.head_id] == unit.agency_id
            assert unit.head.status in IN_SERVICE_STATUSES


def test_agency_head_logins_cover_every_agency_with_an_ict_unit():
    seed()
    heads = User.objects.filter(role=Role.AGENCY_HEAD).select_related("agency")
    assert heads.count() == ICTUnit.objects.count()
    for user in heads:
        assert ICTUnit.objects.filter(agency=user.agency).exists()
        assert user.username == f"head-{user.agency.code.lower()}"
        unit = user.agency.ict_unit
        if unit.head:
            assert user.first_name == unit.head.first_name


def test_the_demo_logins_accept_the_demo_password():
    output = seed()
    users = list(User.objects.all())
    roles = Counter(user.role for user in users)
    assert roles[Role.DIVISION] == 1 and roles[Role.HR_OFFICER] == 1
    assert 1 <= roles[Role.PROFESSIONAL] <= 5
    assert all(user.check_password(settings.DEMO_PASSWORD) for user in users)
    assert User.objects.get(username="division").is_staff
    for user in User.objects.filter(role=Role.PROFESSIONAL).select_related("professional"):
        assert user.username == f"pro-{user.professional.employee_id}"
        assert user.professional.status in IN_SERVICE_STATUSES
    assert "head-govtech" in output
    assert f"Password for every demo login: {settings.DEMO_PASSWORD} (DEMO_PASSWORD)" in output


def test_the_seed_writes_one_audit_row_per_professional_and_current_placement():
    seed()
    history = Professional.history.all()
    assert history.count() == Professional.objects.count()
    assert set(history.values_list("history_change_reason", flat=True)) == {"Loaded by seed_demo"}
    assert Placement.history.count() == Placement.objects.current().count()


def test_it_refuses_a_database_that_already_has_professionals():
    seed()
    with pytest.raises(CommandError) as refused:
        seed()
    message = str(refused.value)
    assert message.startswith(f"The database already has {Professional.objects.count()} professionals, ")
    assert message.endswith("run with --reset to replace all demo data, or use an empty database.")


def test_if_empty_keeps_a_seeded_database_and_lists_its_logins():
    seed()
    before = snapshot()
    output = seed(if_empty=True, seed=99)
    assert snapshot() == before
    assert output.startswith("The database already has data; nothing was seeded.")
    assert "division" in output and "head-moh" in output
    assert f"Password for every demo login: {settings.DEMO_PASSWORD}" in output


def test_if_empty_seeds_an_empty_database():
    output = seed(if_empty=True)
    assert "Demo data seeded" in output
    assert Professional.objects.in_service().count() == SMALL["professionals"]


def test_a_superuser_is_division_staff_by_default():
    admin = User.objects.create_superuser("admin", "admin@example.com", "secret-password-1")
    assert admin.role == Role.DIVISION


def test_it_refuses_a_database_that_already_has_agencies(agency_tree):
    with pytest.raises(CommandError, match="already has 5 agencies; run with --reset"):
        seed()
    assert Agency.objects.count() == 5


def test_reset_replaces_the_demo_data_and_keeps_superusers():
    admin = User.objects.create_superuser("admin", "admin@example.com", "secret-password-1", role=Role.DIVISION)
    seed()
    User.objects.filter(pk=admin.pk).update(role=Role.AGENCY_HEAD, agency=Agency.objects.get(code="MOH"))
    old_logins = list(User.objects.filter(is_superuser=False).values_list("pk", flat=True))
    seed(reset=True, professionals=60, seed=9)
    assert not User.objects.filter(pk__in=old_logins).exists()
    assert Professional.objects.filter(status__in=IN_SERVICE_STATUSES).count() == 60
    assert Professional.history.count() == Professional.objects.count()
    assert Agency.history.count() == Agency.objects.count()
    admin.refresh_from_db()
    assert (admin.agency, admin.role) == (None, Role.DIVISION)


def test_it_loads_missing_reference_data_first():
    for model in (PositionTitle, RetirementAgeRule, Grade, GradeCategory, Track, ICTUnitKind, AgencyKind, Region):
        model.objects.all().delete()
    seed(professionals=30, years=2)
    assert Professional.objects.filter(status__in=IN_SERVICE_STATUSES).count() == 30
    assert GradeCategory.objects.count() == 6


def test_a_short_history_of_a_small_cadre_still_holds_together():
    seed(professionals=12, years=1)
    assert Professional.objects.filter(status__in=IN_SERVICE_STATUSES).count() == 12
    assert Placement.objects.current().count() == 12


def test_it_rejects_a_history_longer_than_the_simulated_careers():
    with pytest.raises(CommandError, match="--years goes up to 30"):
        seed(years=31)


def test_the_demo_has_meetings_with_attendance_minutes_and_action_items_in_every_state():
    from meetings.models import ActionItem, Event, Invitation, Minutes

    seed()
    today = timezone.localdate()
    heads = Event.objects.filter(kind__code="ict-heads-meeting", starts_at__date__lte=today)
    # Four a year for the last five years (fewer so far this year, whatever the date).
    per_year = Counter(heads.values_list("starts_at__year", flat=True))
    assert [per_year[year] for year in range(today.year - 4, today.year)] == [4, 4, 4, 4]
    assert per_year[today.year] <= 4 and not per_year[today.year - 5]
    conferences = Event.objects.filter(kind__code="ict-conference")
    assert conferences.count() >= 2
    # The default 320 give 100+ invitees; this small cadre (120) invites most of those serving on the day
    # (some of whom have left since), however long ago the conference was.
    for event in conferences:
        day = event.starts_at.date()
        serving = Placement.objects.filter(start_date__lte=day).exclude(end_date__lt=day).count()
        assert event.invitations.count() >= min(100, 0.8 * serving), (day, event.invitations.count(), serving)
    assert Event.objects.filter(kind__code="review-committee").exists()
    assert Event.objects.filter(kind__code="experts-group").exists()
    assert Event.objects.filter(status="planned", starts_at__date__gt=today).exists()
    held = Invitation.objects.filter(event__status="held")
    rate = held.filter(attended=True).count() / held.count()
    assert 0.4 < rate < 0.9
    assert set(Minutes.objects.values_list("status", flat=True)) == {"draft", "approved"}
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"open", "in_progress", "done", "dropped"}
    assert ActionItem.objects.overdue(today).exists()
    seed(reset=True)  # the reset removes the meetings first, then seeds them again
    assert Event.objects.filter(kind__code="ict-conference").count() == conferences.count()
