import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.factories import UserFactory, make_api_client
from accounts.models import Role, User
from agencies.factories import ICTUnitFactory, SanctionedPostFactory
from agencies.models import SiteSettings
from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import OfficeOrder
from professionals.factories import ProfessionalFactory
from professionals.models import PendingStatusChange, Qualification
from professionals.services import status_event_record

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (permissions are cached on the instance)."""
    return User.objects.get(pk=user.pk)


# -- the permission backend ------------------------------------------------------------------


def test_division_staff_have_every_permission_on_the_project_apps(division_user):
    user = fresh(division_user)
    for perm in (
        "accounts.add_user",
        "agencies.delete_agency",
        "professionals.change_professional",
        "placements.add_placement",
        "competencies.change_track",
        "professionals.view_historicalprofessional",
    ):
        assert user.has_perm(perm), perm
    assert user.has_module_perms("agencies")


def test_division_staff_may_only_look_at_background_tasks(division_user):
    user = fresh(division_user)
    assert user.has_perm("django_celery_beat.view_periodictask")
    assert user.has_perm("django_celery_results.view_taskresult")
    assert not user.has_perm("django_celery_beat.change_periodictask")
    assert not user.has_perm("django_celery_results.delete_taskresult")


def test_division_staff_get_nothing_outside_the_project_apps(division_user):
    user = fresh(division_user)
    assert not user.has_perm("auth.change_group")
    assert not user.has_perm("axes.delete_accessattempt")


def test_hr_officers_may_only_view(hr_user):
    user = fresh(hr_user)
    assert user.has_perm("professionals.view_professional")
    assert user.has_perm("agencies.view_agency")
    assert not user.has_perm("professionals.change_professional")
    assert not user.has_perm("placements.add_placement")
    assert not user.has_perm("django_celery_beat.view_periodictask")


def test_an_explicit_grant_does_not_make_an_hr_officer_a_writer(hr_user):
    hr_user.user_permissions.add(Permission.objects.get(codename="change_professional"))
    assert not fresh(hr_user).has_perm("professionals.change_professional")


def test_a_read_only_division_account_may_only_view(db):
    user = fresh(UserFactory(role=Role.DIVISION, is_staff=True, read_only=True))
    assert user.has_perm("professionals.view_professional")
    assert not user.has_perm("professionals.change_professional")


@pytest.mark.parametrize("role", [Role.AGENCY_HEAD, Role.API_CLIENT])
def test_other_roles_get_no_admin_permissions_from_their_role(agency_tree, role):
    user = fresh(UserFactory(role=role, agency=agency_tree["MOH"]))
    assert user.get_all_permissions() == set()
    assert not user.has_module_perms("professionals")


def test_an_inactive_account_has_no_permissions(division_user):
    division_user.is_active = False
    division_user.save()
    assert not fresh(division_user).has_perm("professionals.view_professional")


def test_superusers_keep_every_permission(db):
    user = fresh(UserFactory(role=Role.HR_OFFICER, is_superuser=True, read_only=True))
    assert user.has_perm("auth.change_group")
    assert user.has_perm("professionals.delete_professional")


def test_permissions_cost_a_fixed_number_of_queries(division_user, django_assert_num_queries):
    user = fresh(division_user)
    with django_assert_num_queries(3):
        user.has_perm("agencies.view_agency")
        user.has_perm("agencies.change_agency")
        user.has_module_perms("placements")


# -- the admin site --------------------------------------------------------------------------


def test_the_admin_index_opens_for_division_staff(division_client):
    response = division_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("Users and access", "ICT professionals", "Periodic tasks"):
        assert section in page


def test_an_agency_head_is_sent_to_the_admin_login(client, agency_tree):
    client.force_login(UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"]))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_division_staff_may_look_at_periodic_tasks_but_not_add_them(division_client):
    assert division_client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200
    assert division_client.get(reverse("admin:django_celery_beat_periodictask_add")).status_code == 403


# -- the user admin --------------------------------------------------------------------------


def test_the_user_list_shows_roles_and_filters_by_role(division_client, hr_user, agency_tree):
    UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    url = reverse("admin:accounts_user_changelist")
    response = division_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "head-moh" in page and "hr-officer" in page and "Ministry of Health" in page
    filtered = division_client.get(url, {"role__exact": Role.HR_OFFICER})
    assert [user.username for user in filtered.context["cl"].result_list] == ["hr-officer"]


def new_user_data(**overrides):
    data = {
        "username": "head-mof",
        "usable_password": "true",
        "password1": "a-long-Passphrase-2025",
        "password2": "a-long-Passphrase-2025",
        "first_name": "Tashi",
        "last_name": "",
        "email": "",
        "role": Role.AGENCY_HEAD,
        "agency": "",
        "professional": "",
    }
    data.update(overrides)
    return data


def test_division_staff_add_an_agency_head_with_role_and_agency(division_client, agency_tree):
    response = division_client.post(
        reverse("admin:accounts_user_add"), new_user_data(agency=agency_tree["MOF"].pk, can_view_national_ids="on")
    )
    assert response.status_code == 302
    user = User.objects.get(username="head-mof")
    assert (user.role, user.agency, user.can_view_national_ids) == (Role.AGENCY_HEAD, agency_tree["MOF"], True)


def test_an_agency_head_without_an_agency_is_refused_on_the_agency_field(division_client, agency_tree):
    response = division_client.post(reverse("admin:accounts_user_add"), new_user_data())
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agency"] == ["An agency ICT head must have an agency."]
    assert not User.objects.filter(username="head-mof").exists()


def test_division_staff_cannot_make_themselves_superusers(division_client, division_user):
    url = reverse("admin:accounts_user_change", args=[division_user.pk])
    response = division_client.post(
        url,
        {
            "username": division_user.username,
            "first_name": "Deki",
            "last_name": "",
            "email": "",
            "role": Role.DIVISION,
            "agency": "",
            "professional": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    division_user.refresh_from_db()
    assert not division_user.is_superuser


def test_division_staff_cannot_change_a_superuser(division_client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert division_client.post(reverse("admin:accounts_user_change", args=[root.pk]), {}).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert division_client.post(password_url, {}).status_code == 403


def test_an_hr_officer_may_view_users_but_not_add_them(client, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.post(reverse("admin:accounts_user_add"), new_user_data()).status_code == 403


def _meetings_rows(person, agency):
    from competencies.models import ExpertPool
    from meetings.factories import ActionItemFactory, EventFactory, InvitationFactory
    from meetings.models import EventKind, Minutes

    ExpertPool.objects.create(name="Infocomm security")
    event = EventFactory(kind=EventKind.objects.get(code="ict-heads-meeting"))
    InvitationFactory(event=event, professional=person)
    Minutes.objects.create(event=event, text="Agreed.")
    ActionItemFactory(event=event, owner_agency=agency)


def _reports_rows(agency, user):
    from reports.models import PlannedGrowth, PlannedRecruitment, ReportRun, WorkforceSnapshot

    PlannedRecruitment.objects.create(agency=agency, year=2027, number=2)
    PlannedGrowth.objects.create(agency=agency, year=2027, posts=1)
    ReportRun.objects.create(kind="roster", requested_by=user)
    WorkforceSnapshot.objects.create(
        month=dt.date(2026, 10, 31), in_service=1, on_eol=0, exits_12_months=0, attrition_rate_12_months=0
    )


def _competencies_rows(person, agency, actor):
    from competencies import services
    from competencies.models import Competency, ExpertPool

    prog = Competency.objects.get(framework__is_default=True, code="PROG")
    services.assessment_record(actor=actor, professional_id=person.pk, competency_id=prog.pk, kind="division", level=3)
    programme = services.training_programme_create(
        actor=actor,
        title="Secure coding",
        provider="RIM",
        start_date=dt.date(2025, 1, 6),
        end_date=dt.date(2025, 1, 10),
        seats=20,
        develops=[(prog.pk, 4)],
    )
    request = services.training_request_create(
        actor=actor, programme_id=programme.pk, professional_ids=[person.pk], reason="Gap", today=dt.date(2025, 1, 1)
    )
    services.training_request_approve(actor=actor, request_id=request.pk)
    services.training_request_complete(actor=actor, request_id=request.pk, today=dt.date(2025, 2, 1))
    services.certification_add(
        actor=actor, professional_id=person.pk, name="CCNA", issuer="Cisco", issued_on=dt.date(2024, 1, 1)
    )
    pool = ExpertPool.objects.get(name="Infocomm security")
    nomination = services.pool_nominate(actor=actor, pool_id=pool.pk, professional_id=person.pk)
    services.membership_decide(actor=actor, membership_id=nomination.pk, accept=True, since=dt.date(2024, 1, 1))
    services.deployment_create(
        actor=actor,
        pool_id=pool.pk,
        agency_id=agency.pk,
        request="Audit",
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 3, 5),
        expert_ids=[person.pk],
    )


def test_every_admin_page_of_the_project_opens_for_division_staff(division_client, division_user, agency_tree, ref, rf):
    person = ProfessionalFactory()
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2016, 1, 1))
    status_event_record(
        professional_id=person.pk,
        kind="eol",
        effective_date=dt.date(2024, 1, 1),
        expected_end=dt.date(2025, 1, 1),
        actor=division_user,
    )
    PendingStatusChange.objects.create(professional=person, kind="leave_ended", due_date=dt.date(2025, 1, 1))
    Qualification.objects.create(professional=person, level="bachelor", field="IT")
    ICTUnitFactory(agency=agency_tree["MOH"], kind=ref.unit_kinds["ict-unit"], head=person)
    SanctionedPostFactory(agency=agency_tree["MOH"])
    SiteSettings.load()
    make_api_client("hr-system")
    order = OfficeOrder.objects.create(
        number="ICT/2026/001", year=2026, sequence=1, issued_on=dt.date(2026, 1, 5), subject="Transfer", body="Moved."
    )
    TransferRequestFactory(
        professional=person,
        releasing_agency=agency_tree["MOH"],
        receiving_agency=agency_tree["MOF"],
        office_order=order,
    )
    _meetings_rows(person, agency_tree["MOH"])
    _reports_rows(agency_tree["MOH"], division_user)
    _competencies_rows(person, agency_tree["MOH"], division_user)
    request = rf.get("/")
    request.user = division_user

    project = {"accounts", "agencies", "professionals", "placements", "competencies", "meetings", "reports"}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in project:
            continue
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        assert division_client.get(reverse(f"{prefix}_changelist")).status_code == 200, opts.label
        if model_admin.has_add_permission(request):
            assert division_client.get(reverse(f"{prefix}_add")).status_code == 200, opts.label
        obj = model._default_manager.first()
        assert obj is not None, opts.label
        assert division_client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200, opts.label
        assert division_client.get(reverse(f"{prefix}_history", args=[obj.pk])).status_code == 200, opts.label
