import datetime as dt

import pytest
from django.utils import timezone

from competencies.models import AssessmentKind, TrainingRequest
from competencies.services import assessment_record, training_request_create

pytestmark = pytest.mark.django_db


def as_user(client, comp, who):
    client.force_login(comp.users[who])
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_heatmap_page_shows_the_hand_computed_cells(client, levels):
    page = as_user(client, levels, "division").get("/competencies/?track=test-track")
    assert page.status_code == 200
    html = text(page)
    assert 'data-testid="heatmap"' in html and "Ministry of Health" in html
    assert "4/4" not in html and "2/4" in html  # PROG government-wide: 2 of 4 below
    assert "−2.0" in html  # 4 levels short among 2 people below


def test_the_heatmap_fragment_answers_an_htmx_request(client, levels):
    fragment = as_user(client, levels, "division").get("/competencies/?by=track", HTTP_HX_REQUEST="true")
    assert "<html" not in text(fragment) and "Test track" in text(fragment)
    assert fragment["Vary"].count("HX-Request") == 1


def test_the_heatmap_exports_its_cells_as_csv(client, levels):
    response = as_user(client, levels, "division").get("/competencies/gaps.csv?track=test-track")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("row,code,people,competency")
    assert "Government-wide,,4,PROG,Development and implementation,4,2,0.500,4" in lines


@pytest.mark.parametrize("who, url", [("pro", "/competencies/"), ("head", "/competencies/?agency=MOF")])
def test_the_heatmap_answers_404_to_whom_may_not_see_it(client, levels, who, url):
    assert as_user(client, levels, who).get(url).status_code == 404
    assert as_user(client, levels, who).get(url.replace("/competencies/", "/competencies/gaps.csv")).status_code == 404


def test_the_heatmap_page_runs_a_fixed_number_of_queries(client, levels, django_assert_max_num_queries):
    as_user(client, levels, "division")
    with django_assert_max_num_queries(12):
        assert client.get("/competencies/").status_code == 200


def test_the_assessment_list_is_scoped_and_runs_a_fixed_number_of_queries(
    client, levels, django_assert_max_num_queries
):
    as_user(client, levels, "head")
    with django_assert_max_num_queries(8):
        html = text(client.get("/competencies/assessments/"))
    assert "Asha" in html and "Dawa" not in html  # MOF is not the MOH head's


def test_a_professional_page_loads_their_competencies_against_their_title(
    client, levels, django_assert_max_num_queries
):
    person = levels.people["B"]
    page = text(as_user(client, levels, "division").get(f"/professionals/{person.pk}/"))
    assert f'hx-get="/competencies/professional/{person.pk}/"' in page
    with django_assert_max_num_queries(14):
        card = text(client.get(f"/competencies/professional/{person.pk}/", HTTP_HX_REQUEST="true"))
    assert 'data-testid="competency-gaps"' in card and "<html" not in card
    assert "Programming/software development" in card and "−2" in card and "−3" in card
    assert "<html" in text(client.get(f"/competencies/professional/{person.pk}/"))  # without JavaScript


def test_the_competencies_card_answers_404_outside_the_scope(client, levels):
    url = f"/competencies/professional/{levels.people['D'].pk}/"
    assert as_user(client, levels, "head").get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert as_user(client, levels, "pro").get(url).status_code == 404
    assert as_user(client, levels, "pro_d").get(url).status_code == 200


def test_a_head_records_a_supervisor_assessment_through_the_form(client, levels):
    response = as_user(client, levels, "head").post(
        "/competencies/assessments/new/",
        {
            "employee_id": levels.people["A"].employee_id,
            "competency": levels.c["TEST"].pk,
            "kind": "supervisor",
            "level": 2,
            "assessed_on": "2025-06-01",
        },
    )
    assert response.status_code == 302
    assert levels.people["A"].competency_levels.get(competency=levels.c["TEST"]).level == 2


def test_a_level_outside_the_framework_comes_back_on_the_form(client, levels):
    response = as_user(client, levels, "division").post(
        "/competencies/assessments/new/",
        {
            "employee_id": levels.people["A"].employee_id,
            "competency": levels.c["TEST"].pk,
            "kind": "division",
            "level": 8,
            "assessed_on": "2025-06-01",
        },
    )
    assert response.status_code == 200 and "Level 8 is not a level of" in text(response)


def test_a_self_assessment_is_confirmed_from_the_list(client, levels):
    own = assessment_record(
        actor=levels.users["pro"],
        professional_id=levels.people["A"].pk,
        competency_id=levels.c["PROG"].pk,
        kind=AssessmentKind.SELF,
        level=4,
        assessed_on=dt.date(2025, 3, 1),
    )
    assert as_user(client, levels, "pro").post(f"/competencies/assessments/{own.pk}/confirm/").status_code == 403
    client.force_login(levels.users["head_mof"])
    assert client.post(f"/competencies/assessments/{own.pk}/confirm/").status_code == 404
    client.force_login(levels.users["head"])
    client.post(f"/competencies/assessments/{own.pk}/confirm/")
    own.refresh_from_db()
    assert own.confirmed


@pytest.mark.parametrize(
    "url",
    [
        "/competencies/framework/",
        "/competencies/assessments/",
        "/training/",
        "/training/programmes/",
        "/training/certifications/",
        "/expert-pools/",
        "/expert-pools/search/?competency=PROG&min_level=2",
        "/competencies/assessments/new/",
        "/training/new/",
        "/training/certifications/new/",
    ],
)
@pytest.mark.parametrize("who", ["division", "hr", "head", "pro"])
def test_every_page_opens_for_every_role_or_says_why_not(client, levels, url, who):
    response = as_user(client, levels, who).get(url)
    assert response.status_code in (200, 403)
    assert response.status_code == 200 or (who == "hr" and url.endswith("new/"))


def test_a_training_request_page_answers_404_outside_the_scope(client, levels, comp):
    from competencies.factories import TrainingProgrammeFactory

    programme = TrainingProgrammeFactory(
        start_date=timezone.localdate(), end_date=timezone.localdate() + dt.timedelta(days=5)
    )
    request = training_request_create(
        actor=comp.users["head"],
        programme_id=programme.pk,
        professional_ids=[comp.people["A"].pk],
        reason="Gap in TEST",
    )
    assert as_user(client, comp, "head_mof").get(f"/training/{request.pk}/").status_code == 404
    assert as_user(client, comp, "pro_d").post(f"/training/{request.pk}/withdraw/").status_code == 404
    assert as_user(client, comp, "pro").get(f"/training/{request.pk}/").status_code == 200
    assert as_user(client, comp, "division").post(f"/training/{request.pk}/approve/").status_code == 302
    assert TrainingRequest.objects.get(pk=request.pk).state == "approved"
    assert client.get(f"/training/{request.pk}/approve/").status_code == 405


def test_a_professional_asks_for_training_from_the_training_pages(client, comp):
    from competencies.factories import TrainingProgrammeFactory

    today = timezone.localdate()
    programme = TrainingProgrammeFactory(start_date=today + dt.timedelta(days=3), end_date=today + dt.timedelta(days=5))
    page = as_user(client, comp, "pro").get("/training/new/")
    assert comp.people["A"].employee_id in text(page)  # shown in the disabled box
    # The browser sends nothing for a disabled field: the form must still know who asks.
    response = client.post("/training/new/", {"programme": programme.pk, "reason": "Needed for the new system"})
    assert response.status_code == 302, text(response)
    made = TrainingRequest.objects.get(programme=programme)
    assert list(made.professionals.all()) == [comp.people["A"]]


def test_a_professional_cannot_name_someone_else_through_the_address(client, comp):
    page = as_user(client, comp, "pro").get(f"/training/certifications/new/?employee_id={comp.people['D'].employee_id}")
    assert comp.people["D"].employee_id not in text(page)
    assert comp.people["A"].employee_id in text(page)


def test_the_assessment_form_offers_today_as_an_iso_date(client, comp):
    html = text(as_user(client, comp, "division").get("/competencies/assessments/new/"))
    assert f'name="assessed_on" value="{timezone.localdate().isoformat()}"' in html


def test_a_withdrawn_request_of_an_account_since_deleted_opens_for_every_role(client, comp):
    from competencies.factories import TrainingProgrammeFactory
    from competencies.services import training_request_withdraw

    today = timezone.localdate()
    programme = TrainingProgrammeFactory(start_date=today + dt.timedelta(days=3), end_date=today + dt.timedelta(days=5))
    request = training_request_create(
        actor=comp.users["head"], programme_id=programme.pk, professional_ids=[comp.people["A"].pk], reason="Gap"
    )
    training_request_withdraw(actor=comp.users["head"], request_id=request.pk)
    TrainingRequest.objects.filter(pk=request.pk).update(requested_by=None, decided_by=None)
    for who in ("division", "hr", "head", "pro"):
        response = as_user(client, comp, who).get(f"/training/{request.pk}/")
        assert response.status_code == 200, who
        assert "Withdrawn" in text(response)


def test_a_request_for_several_people_names_only_those_the_viewer_may_see(client, comp):
    from competencies.factories import TrainingProgrammeFactory

    today = timezone.localdate()
    programme = TrainingProgrammeFactory(start_date=today + dt.timedelta(days=3), end_date=today + dt.timedelta(days=5))
    request = training_request_create(
        actor=comp.users["division"],
        programme_id=programme.pk,
        professional_ids=[comp.people["A"].pk, comp.people["D"].pk],
        reason="Both need it",
    )
    head = text(as_user(client, comp, "head").get(f"/training/{request.pk}/"))  # MOH's head: Asha, not Dawa
    assert "Asha" in head and "Dawa" not in head and comp.people["D"].employee_id not in head
    assert "and 1 other professional outside your view" in head
    division = text(as_user(client, comp, "division").get(f"/training/{request.pk}/"))
    assert "Asha" in division and "Dawa" in division and "outside your view" not in division


def test_a_deployment_names_only_the_experts_the_viewer_may_see(client, comp):
    from competencies.factories import ExpertPoolFactory
    from competencies.services import deployment_create, membership_decide, pool_nominate

    division = comp.users["division"]
    pool = ExpertPoolFactory(name="Networking")
    for name in ("A", "D"):
        membership = pool_nominate(actor=division, pool_id=pool.pk, professional_id=comp.people[name].pk)
        membership_decide(actor=division, membership_id=membership.pk, accept=True, since=dt.date(2020, 1, 1))
    today = timezone.localdate()
    deployment_create(
        actor=division, pool_id=pool.pk, agency_id=comp.agencies["MOH"].pk, request="Network redesign",
        start_date=today, end_date=today + dt.timedelta(days=10),
        expert_ids=[comp.people["A"].pk, comp.people["D"].pk],
    )  # fmt: skip
    html = text(as_user(client, comp, "head").get(f"/expert-pools/{pool.pk}/"))
    experts = html.split('data-testid="experts">')[1].split("</div>")[0]
    assert experts == f"{comp.people['A'].full_name} and 1 other expert outside your view"
    html = text(as_user(client, comp, "division").get(f"/expert-pools/{pool.pk}/"))
    names = html.split('data-testid="experts">')[1].split("</div>")[0]
    assert names == f"{comp.people['A'].full_name}, {comp.people['D'].full_name}"


def test_the_heatmap_csv_never_hands_a_spreadsheet_a_formula(client, levels):
    from agencies.models import Agency

    Agency.objects.filter(code="MOH").update(name='=HYPERLINK("http://evil.example","Ministry")')
    response = as_user(client, levels, "division").get("/competencies/gaps.csv?track=test-track&by=agency")
    lines = response.content.decode().splitlines()
    assert any(line.startswith("\"'=HYPERLINK(") for line in lines), lines[:5]
    assert not any(line.startswith(("=", '"=')) for line in lines)
