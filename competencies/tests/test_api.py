import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import make_api_client
from competencies.factories import ExpertPoolFactory, TrainingProgrammeFactory
from competencies.models import ProgrammeCompetency, TrainingRequest
from competencies.services import certification_add, membership_decide, pool_nominate

pytestmark = pytest.mark.django_db


def local_today():
    """Today in the portal's time zone, read when the test runs (a run may cross midnight)."""
    return timezone.localdate()


def api(comp, who) -> APIClient:
    client = APIClient()
    client.force_login(comp.users[who])
    return client


@pytest.fixture
def programme(comp):
    programme = TrainingProgrammeFactory(
        start_date=local_today() + dt.timedelta(days=3), end_date=local_today() + dt.timedelta(days=5)
    )
    ProgrammeCompetency.objects.create(programme=programme, competency=comp.c["TEST"], level=3)
    return programme


def test_competencies_are_listed_with_their_framework_and_filtered_by_track(comp):
    response = api(comp, "pro").get("/api/v1/competencies/", {"track": "test-track"})
    assert response.status_code == 200
    assert sorted(row["code"] for row in response.json()["results"]) == ["PROG", "TEST"]
    assert response.json()["results"][0]["framework"] == "ict-seven-levels"
    assert api(comp, "pro").get("/api/v1/competencies/", {"track": "nope"}).status_code == 400


def test_assessments_are_scoped_for_every_role(levels, django_assert_max_num_queries):
    expected = {
        "division": {"Asha", "Bumpa", "Chimi", "Dawa", "Euden"},
        "hr": {"Asha", "Bumpa", "Chimi", "Dawa", "Euden"},
        "head": {"Asha", "Bumpa", "Chimi"},
        "head_mof": {"Dawa"},
        "pro": {"Asha"},
    }
    for who, names in expected.items():
        client = api(levels, who)
        with django_assert_max_num_queries(8):
            rows = client.get("/api/v1/assessments/").json()["results"]
        assert {row["professional"]["name"].split()[0] for row in rows} == names, who


def test_an_assessment_is_recorded_and_bad_levels_get_a_clear_400(comp):
    client = api(comp, "head")
    body = {"professional": comp.people["A"].pk, "competency": comp.c["PROG"].pk, "kind": "supervisor", "level": 3}
    created = client.post("/api/v1/assessments/", body, format="json")
    assert created.status_code == 201 and created.json()["confirmed"] is True
    refused = client.post("/api/v1/assessments/", {**body, "level": 9}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["level"] == [
        "Level 9 is not a level of ICT competency framework (seven levels) (its levels: 1 to 7)."
    ]
    forbidden = client.post("/api/v1/assessments/", {**body, "kind": "division"}, format="json")
    assert forbidden.status_code == 403 and "Division assessments" in forbidden.json()["detail"]


def test_a_read_only_client_may_not_write(comp):
    _, key = make_api_client("stats", read_only=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/assessments/").status_code == 200
    body = {"professional": comp.people["A"].pk, "competency": comp.c["PROG"].pk, "kind": "division", "level": 3}
    assert client.post("/api/v1/assessments/", body, format="json").status_code == 403


def test_a_training_request_moves_through_the_api(comp, programme):
    created = api(comp, "head").post(
        "/api/v1/training-requests/",
        {"programme": programme.pk, "professionals": [comp.people["A"].pk, comp.people["B"].pk], "reason": "TEST gap"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api(comp, "head").post(f"/api/v1/training-requests/{pk}/approve/", {}, format="json").status_code == 403
    assert api(comp, "head_mof").post(f"/api/v1/training-requests/{pk}/approve/", {}).status_code == 404
    approved = api(comp, "division").post(f"/api/v1/training-requests/{pk}/approve/", {"note": "ok"}, format="json")
    assert approved.json()["state"] == "approved"
    again = api(comp, "division").post(f"/api/v1/training-requests/{pk}/approve/", {}, format="json")
    assert (
        again.status_code == 400
        and "is approved; it can be approved only when it is submitted" in again.json()["detail"]
    )
    assert TrainingRequest.objects.get(pk=pk).history.count() == 2


def test_training_lists_run_a_fixed_number_of_queries(comp, programme, django_assert_max_num_queries):
    for person in ("A", "B", "C"):
        api(comp, "division").post(
            "/api/v1/training-requests/",
            {"programme": programme.pk, "professionals": [comp.people[person].pk], "reason": "gap"},
            format="json",
        )
    client = api(comp, "division")
    for url in ("/api/v1/training-requests/", "/api/v1/training-programmes/", "/api/v1/certifications/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_certifications_are_scoped_and_created(comp):
    certification_add(
        actor=comp.users["division"],
        professional_id=comp.people["D"].pk,
        name="CCNA",
        issuer="Cisco",
        issued_on=dt.date(2024, 1, 1),
    )
    assert api(comp, "head").get("/api/v1/certifications/").json()["count"] == 0
    assert api(comp, "head_mof").get("/api/v1/certifications/").json()["count"] == 1
    created = api(comp, "pro").post(
        "/api/v1/certifications/",
        {"professional": comp.people["A"].pk, "name": "CISSP", "issuer": "ISC2", "issued_on": "2024-05-01"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["professional"]["id"] == comp.people["A"].pk


def test_expert_pools_show_the_members_and_deployments_each_account_may_see(comp, django_assert_max_num_queries):
    pool = ExpertPoolFactory(name="Networking")
    for person in ("A", "D"):
        nomination = pool_nominate(
            actor=comp.users["division"], pool_id=pool.pk, professional_id=comp.people[person].pk
        )
        membership_decide(
            actor=comp.users["division"], membership_id=nomination.pk, accept=True, since=dt.date(2024, 1, 1)
        )
    deployed = api(comp, "division").post(
        f"/api/v1/expert-pools/{pool.pk}/deployments/",
        {
            "agency": "MOF",
            "request": "LAN redesign",
            "start_date": "2025-02-01",
            "end_date": "2025-02-10",
            "experts": [comp.people["D"].pk],
        },
        format="json",
    )
    assert deployed.status_code == 201, deployed.json()
    head = api(comp, "head")
    with django_assert_max_num_queries(8):
        pools = head.get("/api/v1/expert-pools/").json()["results"]
    mine = next(p for p in pools if p["name"] == "Networking")
    assert [m["professional"]["name"].split()[0] for m in mine["members"]] == ["Asha"]
    assert mine["deployments"] == []  # Dawa's deployment to MOF is not the MOH head's
    overlapping = api(comp, "division").post(
        f"/api/v1/expert-pools/{pool.pk}/deployments/",
        {
            "agency": "MOH",
            "request": "Audit",
            "start_date": "2025-02-05",
            "end_date": "2025-02-06",
            "experts": [comp.people["D"].pk],
        },
        format="json",
    )
    assert overlapping.status_code == 400 and "already deployed to Ministry of Finance" in overlapping.json()["detail"]


def test_nominations_and_duplicates_through_the_api(comp):
    pool = ExpertPoolFactory(name="Project management")
    first = api(comp, "pro").post(f"/api/v1/expert-pools/{pool.pk}/nominate/", {"professional": comp.people["A"].pk})
    assert first.status_code == 201
    duplicate = api(comp, "head").post(
        f"/api/v1/expert-pools/{pool.pk}/nominate/", {"professional": comp.people["A"].pk}
    )
    assert duplicate.status_code == 400 and "already nominated in Project management" in duplicate.json()["detail"]
    membership = first.json()["members"][0]["id"]
    assert (
        api(comp, "head")
        .post(f"/api/v1/expert-pools/{pool.pk}/decide/", {"membership": membership, "accept": True})
        .status_code
        == 403
    )
    decided = api(comp, "division").post(
        f"/api/v1/expert-pools/{pool.pk}/decide/", {"membership": membership, "accept": True}
    )
    assert decided.json()["members"][0]["state"] == "accepted"


def test_expert_search_through_the_api(levels):
    found = api(levels, "division").get("/api/v1/expert-pools/search/", {"competency": "PROG", "min_level": 3})
    assert [row["name"].split()[0] for row in found.json()] == ["Asha", "Chimi"]
    assert found.json()[1]["level"] == 5
    assert api(levels, "division").get("/api/v1/expert-pools/search/", {"competency": "NOPE"}).status_code == 400
    assert api(levels, "division").get("/api/v1/expert-pools/search/", {"colour": "red"}).status_code == 400
