import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from placements.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_login_page_shows_the_parent_agency_name(client):
    from agencies.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"parent_agency_name": "GovTech ICT Management Division"})
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "GovTech ICT Management Division" in response.content.decode()


def test_an_agency_head_sees_the_count_of_their_subtree_only(client, agency_tree):
    PlacementFactory(agency=agency_tree["JDWNRH"])
    PlacementFactory(agency=agency_tree["MOH"])
    PlacementFactory(agency=agency_tree["MOF"])
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    client.force_login(head)
    response = client.get("/")
    assert response.context["professionals_in_service"] == 2
    assert response.context["agencies_visible"] == 3
    assert response.context["pending_changes"] is None
    assert "Ministry of Health and the agencies under it" in response.content.decode()


def test_the_home_page_runs_a_fixed_number_of_queries(
    client, agency_tree, division_user, django_assert_max_num_queries
):
    for _ in range(10):
        PlacementFactory(agency=agency_tree["MOH"])
    client.force_login(division_user)
    # The full dashboard: its budget and its independence of data size are pinned in test_dashboard.py.
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


def test_the_health_check_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_api_schema_and_docs_need_a_login(client, division_user):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(division_user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()
