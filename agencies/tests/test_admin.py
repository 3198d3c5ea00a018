import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import AgencyFactory, ICTUnitFactory, SanctionedPostFactory
from agencies.models import Agency, ICTUnit, ICTUnitKind, SiteSettings
from tests.admin_helpers import form_errors

pytestmark = pytest.mark.django_db

INLINES = {
    "ict_unit-TOTAL_FORMS": "0",
    "ict_unit-INITIAL_FORMS": "0",
    "ict_unit-MIN_NUM_FORMS": "0",
    "ict_unit-MAX_NUM_FORMS": "1",
    "sanctioned_posts-TOTAL_FORMS": "0",
    "sanctioned_posts-INITIAL_FORMS": "0",
    "sanctioned_posts-MIN_NUM_FORMS": "0",
    "sanctioned_posts-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def hr_client(client, hr_user):
    hr_user.is_staff = True
    hr_user.save()
    client.force_login(hr_user)
    return client


def agency_data(ref, **overrides):
    data = {
        "code": "MOICE",
        "name": "Ministry of Industry, Commerce and Employment",
        "short_name": "",
        "kind": ref.kinds["ministry"].pk,
        "parent": "",
        "region": "",
        "digital_maturity": "",
        "email": "",
        "phone": "",
        "address": "",
        "established_on": "",
        "dissolved_on": "",
        "successor": "",
        **INLINES,
    }
    data.update(overrides)
    return data


def change_data(agency, **overrides):
    data = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind_id,
        "parent": agency.parent_id or "",
        "region": agency.region_id or "",
        "digital_maturity": "",
        "email": "",
        "phone": "",
        "address": "",
        "established_on": "",
        "dissolved_on": "",
        "successor": "",
        **INLINES,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "model, text",
    [
        ("agency", "Department of Medical Services"),
        ("agencykind", "Ministry"),
        ("region", "Paro"),
        ("ictunitkind", "ICT"),
        ("sitesettings", "ICT Management Division"),
        ("ictunit", "ICT unit, Ministry of Health"),
        ("sanctionedpost", "Ministry of Health"),
    ],
)
def test_each_changelist_opens_for_division_staff_with_its_rows(division_client, agency_tree, model, text):
    ICTUnitFactory(agency=agency_tree["MOH"], kind=ICTUnitKind.objects.get(code="ict-unit"))
    SanctionedPostFactory(agency=agency_tree["MOH"])
    SiteSettings.load()
    response = division_client.get(reverse(f"admin:agencies_{model}_changelist"))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_agency_page_shows_its_ict_unit_and_history(division_client, agency_tree):
    ICTUnitFactory(agency=agency_tree["MOH"], kind=ICTUnitKind.objects.get(code="ict-unit"), name="ICT Division of MOH")
    response = division_client.get(reverse("admin:agencies_agency_change", args=[agency_tree["MOH"].pk]))
    assert response.status_code == 200
    assert "ICT Division of MOH" in response.content.decode()
    assert (
        division_client.get(reverse("admin:agencies_agency_history", args=[agency_tree["MOH"].pk])).status_code == 200
    )


def test_the_dissolved_filter(division_client, agency_tree):
    Agency.objects.filter(code="MOF").update(dissolved_on="2024-01-01")
    url = reverse("admin:agencies_agency_changelist")
    assert division_client.get(url, {"dissolved": "yes"}).context["cl"].result_count == 1
    assert division_client.get(url, {"dissolved": "no"}).context["cl"].result_count == 4


def test_an_agency_added_in_the_admin_goes_through_the_service_with_its_audit_entry(
    division_client, division_user, ref, agency_tree
):
    data = agency_data(ref)
    data.update(
        {
            "ict_unit-TOTAL_FORMS": "1",
            "ict_unit-0-kind": ref.unit_kinds["ict-division"].pk,
            "ict_unit-0-name": "ICT Division",
            "ict_unit-0-terms_of_reference": "",
            "ict_unit-0-head": "",
            "ict_unit-0-email": "",
            "ict_unit-0-established_on": "",
        }
    )
    response = division_client.post(reverse("admin:agencies_agency_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    agency = Agency.objects.get(code="MOICE")
    entry = agency.history.get()
    assert entry.history_user == division_user
    assert entry.history_change_reason == "Created in the admin"
    assert ICTUnit.objects.get(agency=agency).name == "ICT Division"


def test_a_parent_below_the_agency_itself_is_refused_on_the_parent_field(division_client, agency_tree):
    moh = agency_tree["MOH"]
    response = division_client.post(
        reverse("admin:agencies_agency_change", args=[moh.pk]), change_data(moh, parent=agency_tree["JDWNRH"].pk)
    )
    assert response.status_code == 200
    assert "loop" in form_errors(response)["parent"][0]
    moh.refresh_from_db()
    assert moh.parent_id is None
    assert moh.history.count() == 1


def test_dissolution_before_establishment_is_refused_on_its_field(division_client, ref):
    response = division_client.post(
        reverse("admin:agencies_agency_add"),
        agency_data(ref, established_on="2020-01-01", dissolved_on="2019-01-01"),
    )
    assert response.status_code == 200
    assert "dissolved_on" in form_errors(response)
    assert not Agency.objects.filter(code="MOICE").exists()


def test_an_hr_officer_may_view_agencies_but_not_add_or_change(hr_client, agency_tree, ref):
    moh = agency_tree["MOH"]
    assert hr_client.get(reverse("admin:agencies_agency_changelist")).status_code == 200
    assert hr_client.get(reverse("admin:agencies_agency_change", args=[moh.pk])).status_code == 200
    assert hr_client.post(reverse("admin:agencies_agency_add"), agency_data(ref)).status_code == 403
    change = hr_client.post(reverse("admin:agencies_agency_change", args=[moh.pk]), change_data(moh, name="Renamed"))
    assert change.status_code == 403
    moh.refresh_from_db()
    assert moh.name == "Ministry of Health"
    assert not Agency.objects.filter(code="MOICE").exists()


def test_an_hr_officer_may_not_edit_reference_data(hr_client, ref):
    assert hr_client.get(reverse("admin:agencies_region_changelist")).status_code == 200
    assert hr_client.post(reverse("admin:agencies_region_add"), {"code": "x", "name": "X"}).status_code == 403


def test_an_agency_head_is_sent_to_the_admin_login(client, agency_tree):
    client.force_login(UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"]))
    response = client.get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_site_settings_can_be_edited_but_not_added_twice_or_deleted(division_client):
    settings = SiteSettings.load()
    assert division_client.get(reverse("admin:agencies_sitesettings_add")).status_code == 403
    delete = division_client.post(reverse("admin:agencies_sitesettings_delete", args=[settings.pk]), {"post": "yes"})
    assert delete.status_code == 403
    response = division_client.post(
        reverse("admin:agencies_sitesettings_change", args=[settings.pk]),
        {
            "parent_agency_name": "GovTech Agency",
            "country_name": "Bhutan",
            "region_label": "Dzongkhag",
            "region_label_plural": "Dzongkhags",
            "office_order_prefix": "GT/ICT",
        },
    )
    assert response.status_code == 302
    assert SiteSettings.load().parent_agency_name == "GovTech Agency"
    assert SiteSettings.load().office_order_prefix == "GT/ICT"


def test_site_settings_can_be_added_when_there_is_none(division_client):
    SiteSettings.objects.all().delete()
    assert division_client.get(reverse("admin:agencies_sitesettings_add")).status_code == 200


@pytest.mark.parametrize("model", ["agency", "ictunit", "sanctionedpost"])
def test_changelists_run_the_same_queries_for_3_or_15_rows(division_client, ref, model):
    url = reverse(f"admin:agencies_{model}_changelist")
    parent = AgencyFactory(code="ROOT", kind=ref.kinds["ministry"])

    def add(count):
        for _ in range(count):
            agency = AgencyFactory(kind=ref.kinds["department"], parent=parent, region=ref.regions["paro"])
            ICTUnitFactory(agency=agency, kind=ICTUnitKind.objects.get(code="ict-unit"))
            SanctionedPostFactory(agency=agency)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert division_client.get(url).status_code == 200
        return len(captured)

    add(3)
    few = queries()
    add(12)
    assert queries() == few
