"""The professionals list (/professionals/): who sees what, filters, search, sort, pages, htmx."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from professionals.factories import ProfessionalFactory

from .view_fixtures import make_roster, names

pytestmark = pytest.mark.django_db

URL = reverse("professionals:list")


@pytest.fixture
def roster(agency_tree, ref):
    return make_roster(agency_tree, ref)


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture
def head_client(client, roster):
    client.force_login(roster.head)
    return client


# -- who sees what


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_division_staff_see_everyone_in_service_by_default_sorted_by_name(division_client, roster):
    response = division_client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Dorji", "Karma", "Kinley", "Pema", "Sonam"]
    assert "10000000001" in response.content.decode()


def test_an_agency_head_sees_only_their_agencys_subtree(head_client, roster):
    response = head_client.get(URL + "?status=all")
    assert names(response) == ["Karma", "Pema", "Sonam"]
    assert "Ministry of Health and the agencies under it" in response.content.decode()


def test_an_agency_head_sees_no_national_ids_and_cannot_search_by_them(head_client, roster):
    response = head_client.get(URL)
    assert "10000000001" not in response.content.decode()
    assert names(head_client.get(URL + "?q=10000000001")) == []


def test_an_agency_heads_agency_dropdown_lists_only_their_subtree(head_client, roster):
    response = head_client.get(URL)
    offered = [option.code for option in response.context["filter"].options.options("agency")]
    assert sorted(offered) == ["DMS", "JDWNRH", "MOH"]
    assert "Ministry of Finance" not in str(response.context["form"]["agency"])


def test_an_agency_head_filtering_by_another_agency_sees_a_note_not_its_people(head_client, roster):
    response = head_client.get(URL + "?agency=MOF")
    assert response.status_code == 200
    assert names(response) == ["Karma", "Pema", "Sonam"]
    assert "Ignored agency &#x27;MOF&#x27;: not a known agency." in response.content.decode()


def test_hr_officers_see_everyone_but_no_national_ids(hr_client, roster):
    response = hr_client.get(URL)
    assert names(response) == ["Dorji", "Karma", "Kinley", "Pema", "Sonam"]
    content = response.content.decode()
    assert "10000000001" not in content
    assert "national id" not in content.lower()


def test_hr_officers_granted_national_ids_see_them(client, roster):
    client.force_login(UserFactory(role=Role.HR_OFFICER, can_view_national_ids=True))
    assert "10000000001" in client.get(URL).content.decode()


def test_hr_officers_cannot_find_someone_by_national_id(hr_client, roster):
    response = hr_client.get(URL + "?q=10000000001")
    assert names(response) == []


def test_division_staff_find_someone_by_national_id(division_client, roster):
    response = division_client.get(URL + "?q=10000000001")
    assert names(response) == ["Karma"]


def test_a_professional_is_sent_to_their_own_record(client, roster):
    client.force_login(roster.professional_user)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("professionals:detail", args=[roster.karma.pk])


def test_division_staff_get_the_add_button(division_client, roster):
    assert "Add a professional" in division_client.get(URL).content.decode()


@pytest.mark.parametrize("role", ["hr", "head"])
def test_others_do_not_get_the_add_button(client, hr_user, roster, role):
    client.force_login(hr_user if role == "hr" else roster.head)
    assert "Add a professional" not in client.get(URL).content.decode()


def test_it_refuses_post(division_client):
    assert division_client.post(URL).status_code == 405


# -- filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("agency=MOH", ["Karma", "Pema", "Sonam"]),
        ("agency=DMS", ["Pema", "Sonam"]),
        ("agency=MOF", ["Dorji"]),
        ("agency_kind=ministry", ["Dorji", "Karma"]),
        ("agency_kind=dzongkhag", ["Kinley"]),
        ("region=paro", ["Kinley"]),
        ("track=cybersecurity", ["Pema"]),
        ("grade=P4", ["Karma"]),
        ("category=S", ["Sonam"]),
        ("title=senior-ict-officer", ["Dorji", "Pema"]),
        ("status=eol", ["Pema"]),
        ("status=exited", ["Tshering"]),
        ("status=all", ["Dorji", "Karma", "Kinley", "Pema", "Sonam", "Tshering"]),
        ("status=active", ["Dorji", "Karma", "Kinley", "Sonam"]),
        ("employment_type=contract", ["Sonam"]),
        ("superannuation=within_1", ["Karma"]),
        ("superannuation=1_5", ["Pema"]),
        ("superannuation=5_10", ["Sonam"]),
        ("superannuation=over_10", ["Dorji", "Kinley"]),
        ("q=karma", ["Karma"]),
        ("q=WANG", ["Karma"]),
        ("q=pema+dema", ["Pema"]),
        ("q=2001000003", ["Sonam"]),
        ("q=200100000", ["Dorji", "Karma", "Kinley", "Pema", "Sonam"]),
        ("agency=MOH&grade=P3&status=eol", ["Pema"]),
        ("agency=MOH&grade=P2", []),
    ],
)
def test_each_filter_narrows_the_list(division_client, roster, query, expected):
    response = division_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert response.context["ignored"] == []
    assert names(response) == expected


def test_the_superannuation_filter_can_find_dates_already_reached(division_client, roster):
    roster.dorji.superannuation_date = roster.dorji.date_of_birth.replace(year=2020)
    roster.dorji.save(update_fields=["superannuation_date"])
    assert names(division_client.get(URL + "?superannuation=reached")) == ["Dorji"]


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("grade=XYZ", "Ignored grade 'XYZ': not a known grade."),
        ("agency=NOPE", "Ignored agency 'NOPE': not a known agency."),
        ("status=sleeping", "Ignored status 'sleeping': not a known status."),
        ("sort=salary", "Ignored sort order 'salary': not a known sort order."),
        ("superannuation=99", "Ignored range of years to superannuation '99': not a known range"),
        ("region=atlantis", "Ignored dzongkhag 'atlantis': not a known dzongkhag."),
    ],
)
def test_an_invalid_filter_value_is_ignored_with_a_visible_note(division_client, roster, query, note):
    response = division_client.get(f"{URL}?{query}&grade=P4" if "grade" not in query else f"{URL}?{query}")
    assert response.status_code == 200
    assert any(str(ignored).startswith(note) for ignored in response.context["ignored"])
    assert 'data-testid="ignored-filters"' in response.content.decode()


def test_the_other_filters_still_apply_when_one_is_invalid(division_client, roster):
    response = division_client.get(URL + "?grade=XYZ&agency=DMS")
    assert names(response) == ["Pema", "Sonam"]


def test_an_overlong_search_is_ignored_with_a_note(division_client, roster):
    response = division_client.get(URL + "?q=" + "x" * 200)
    assert [ignored.name for ignored in response.context["ignored"]] == ["q"]
    assert len(names(response)) == 5


# -- sorting and pages


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Dorji", "Karma", "Kinley", "Pema", "Sonam"]),
        ("-name", ["Sonam", "Pema", "Kinley", "Karma", "Dorji"]),
        ("employee_id", ["Karma", "Pema", "Sonam", "Dorji", "Kinley"]),
        ("grade", ["Dorji", "Pema", "Karma", "Kinley", "Sonam"]),
        ("-grade", ["Sonam", "Kinley", "Karma", "Pema", "Dorji"]),
        # Department of Medical Services, Ministry of Finance, Ministry of Health, National Referral
        # Hospital, Paro Dzongkhag Administration.
        ("agency", ["Pema", "Dorji", "Karma", "Sonam", "Kinley"]),
        ("superannuation", ["Karma", "Pema", "Sonam", "Dorji", "Kinley"]),
        ("-superannuation", ["Kinley", "Dorji", "Sonam", "Pema", "Karma"]),
    ],
)
def test_the_list_sorts(division_client, roster, sort, expected):
    assert names(division_client.get(f"{URL}?sort={sort}")) == expected


def test_the_list_has_pages_of_fifty_and_forgives_a_bad_page_number(division_client, ref):
    ProfessionalFactory.create_batch(55, grade=ref.grades["P4"])
    first = division_client.get(URL)
    assert len(first.context["professionals"]) == 50
    assert first.context["page_obj"].paginator.count == 55
    second = division_client.get(URL + "?page=2")
    assert len(second.context["professionals"]) == 5
    assert {p.pk for p in first.context["professionals"]}.isdisjoint({p.pk for p in second.context["professionals"]})
    assert division_client.get(URL + "?page=abc").status_code == 200
    assert len(division_client.get(URL + "?page=99").context["professionals"]) == 5


def test_page_links_keep_the_filters(division_client, ref):
    ProfessionalFactory.create_batch(55, grade=ref.grades["P4"])
    content = division_client.get(URL + "?grade=P4&sort=-name").content.decode()
    assert "?grade=P4&amp;sort=-name&amp;page=2" in content


def test_an_empty_result_says_so(division_client, roster):
    response = division_client.get(URL + "?q=nobody-has-this-name")
    assert 'data-testid="no-results"' in response.content.decode()


# -- htmx


def test_an_htmx_request_gets_only_the_results_fragment(division_client, roster):
    response = division_client.get(URL + "?grade=P4", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="filter-form"' not in content
    assert 'data-testid="professionals-table"' in content
    assert names(response) == ["Karma"]
    assert "HX-Request" in response["Vary"]


def test_an_htmx_update_announces_the_new_count_to_screen_readers(division_client, roster):
    content = division_client.get(URL + "?agency=MOH", headers={"HX-Request": "true"}).content.decode()
    assert 'id="results-announcement"' in content
    assert 'hx-swap-oob="true"' in content
    assert "3 professionals found." in content


def test_an_htmx_history_restore_gets_the_whole_page(division_client, roster):
    response = division_client.get(
        URL + "?grade=P4", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_an_htmx_fragment_is_scoped_like_the_page(client, roster):
    client.force_login(roster.head)
    response = client.get(URL + "?agency=MOF&status=all", headers={"HX-Request": "true"})
    assert names(response) == ["Karma", "Pema", "Sonam"]
    assert "Ignored agency" in response.content.decode()


def test_the_filter_form_updates_the_list_in_place_and_the_address(division_client, roster):
    content = division_client.get(URL).content.decode()
    assert 'hx-get="/professionals/"' in content
    assert 'hx-target="#professional-results"' in content
    assert 'hx-push-url="true"' in content
    # Without JavaScript the same form submits normally.
    assert 'method="get" action="/professionals/"' in content


def test_the_export_links_carry_the_filters_but_not_the_page(division_client, ref):
    ProfessionalFactory.create_batch(55, grade=ref.grades["P4"])
    content = division_client.get(URL + "?grade=P4&page=2").content.decode()
    assert f"{reverse('professionals:export_csv')}?grade=P4" in content
    assert f"{reverse('professionals:export_xlsx')}?grade=P4" in content
    assert "export.csv?grade=P4&amp;page" not in content


# -- the count, kept between views


def result_count(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="result-count">', 1)[1].split("<", 1)[0]


def count_queries_run(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return sum(1 for query in context.captured_queries if query["sql"].startswith("SELECT COUNT(*)"))


def test_paging_and_sorting_a_filter_count_it_once_until_the_records_change(division_client, roster, ref):
    url = URL + "?q=a&status=all"
    assert count_queries_run(division_client, url) == 1
    assert count_queries_run(division_client, url + "&page=1&sort=-name") == 0
    assert result_count(division_client.get(url)) == "5"
    ProfessionalFactory(first_name="Tashi", grade=ref.grades["P4"])  # any change drops the kept counts
    assert count_queries_run(division_client, url) == 1
    assert result_count(division_client.get(url)) == "6"


def test_a_count_is_not_shared_with_an_account_that_searches_differently(client, division_user, hr_user, roster):
    # Division staff may search national ids and HR officers may not: the same scope, and the
    # same search, hold different people.
    client.force_login(division_user)
    assert result_count(client.get(URL + "?q=10000000001")) == "1"
    client.force_login(hr_user)
    assert result_count(client.get(URL + "?q=10000000001")) == "0"


# -- the labels of grades, titles, tracks and agencies, kept between views


def test_a_track_the_kept_labels_do_not_know_yet_is_read_afresh(division_client, roster):
    from competencies.models import Track
    from professionals.models import Professional

    assert division_client.get(URL).status_code == 200  # the labels are now kept
    # Written without signals, as another process would have before this one's cache knew.
    (track,) = Track.objects.bulk_create([Track(code="quantum", name="Quantum Computing")])
    Professional.objects.filter(pk=roster.karma.pk).update(track=track)
    html = division_client.get(URL).content.decode()
    assert "Quantum Computing" in html
