"""The professionals pages run a fixed number of SQL queries, whatever the data and the filters.

The list (50 rows, any filter combination) stays within 12 queries and the professional's page
within 20; each is also pinned to the same count for small and large data, so that a query per
row (N+1) fails here before it reaches 50,000 professionals.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory
from professionals.models import GradeChange, Qualification
from professionals.services import professional_update, status_event_record

from .view_fixtures import make_roster

pytestmark = pytest.mark.django_db

LIST = reverse("professionals:list")
LIST_MAX_QUERIES = 12
PROFILE_MAX_QUERIES = 20

FILTER_COMBINATIONS = [
    "",
    "q=karma",
    "q=karma+wang&status=all",
    "agency=MOH",
    "agency=MOH&agency_kind=ministry&region=thimphu",
    "grade=P4&category=P&title=ict-officer&track=application-development",
    "status=eol&employment_type=contract&superannuation=1_5",
    "sort=agency&status=exited",
    "sort=-grade&superannuation=over_10&page=2",
    "q=karma&agency=MOH&agency_kind=ministry&region=thimphu&grade=P4&category=P&title=ict-officer"
    "&track=application-development&status=all&employment_type=regular&superannuation=within_1&sort=superannuation",
    "grade=XYZ&agency=NOPE&sort=salary",
]


@pytest.fixture
def roster(agency_tree, ref):
    return make_roster(agency_tree, ref)


def add_people(count: int, agency_tree, ref) -> None:
    for number in range(count):
        person = ProfessionalFactory(grade=ref.grades["P4"], track=ref.tracks["application-development"])
        PlacementFactory(professional=person, agency=agency_tree["DMS" if number % 2 else "MOH"])


def count_queries(client, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("query", FILTER_COMBINATIONS)
@pytest.mark.parametrize("role", ["division", "hr", "head"])
def test_the_list_runs_at_most_12_queries_for_any_filters(
    client, roster, hr_user, division_user, role, query, django_assert_max_num_queries
):
    client.force_login({"division": division_user, "hr": hr_user, "head": roster.head}[role])
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        assert client.get(f"{LIST}?{query}").status_code == 200
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        assert client.get(f"{LIST}?{query}", headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.parametrize("role", ["division", "head"])
def test_the_list_runs_as_many_queries_for_3_rows_as_for_a_full_page(
    client, agency_tree, ref, roster, division_user, role
):
    client.force_login(division_user if role == "division" else roster.head)
    url = f"{LIST}?agency=MOH&status=all&sort=grade"
    few = count_queries(client, url)
    fragment_few = count_queries(client, url, headers={"HX-Request": "true"})
    add_people(60, agency_tree, ref)
    assert count_queries(client, url) == few
    assert count_queries(client, url, headers={"HX-Request": "true"}) == fragment_few
    assert few <= LIST_MAX_QUERIES


@pytest.mark.parametrize("url", [reverse("professionals:export_csv"), reverse("professionals:export_xlsx")])
def test_an_export_runs_as_many_queries_for_3_rows_as_for_60(client, agency_tree, ref, roster, division_user, url):
    client.force_login(division_user)

    def run() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{url}?agency=MOH")
            if response.streaming:
                b"".join(response.streaming_content)
        return len(context.captured_queries)

    few = run()
    add_people(60, agency_tree, ref)
    assert run() == few
    assert few <= LIST_MAX_QUERIES


def give_history(person, agency_tree, ref, actor, size: int) -> None:
    """`size` earlier placements, grade changes, qualifications, edits and a leave and return."""
    start = dt.date(2000, 1, 1)
    for number in range(size):
        PlacementFactory(
            professional=person,
            agency=agency_tree["MOF"],
            start_date=start.replace(year=2000 + number),
            end_date=start.replace(year=2001 + number),
        )
        GradeChange.objects.create(
            professional=person, grade=ref.grades["P5"], effective_date=start.replace(year=2000 + number)
        )
        Qualification.objects.create(professional=person, level="bachelor", field=f"Field {number}")
        professional_update(professional_id=person.pk, actor=actor, phone=f"17{number:06d}")
    status_event_record(
        professional_id=person.pk,
        kind="eol",
        effective_date=dt.date(2021, 1, 1),
        expected_end=dt.date(2022, 1, 1),
        actor=actor,
    )
    status_event_record(professional_id=person.pk, kind="return", effective_date=dt.date(2022, 1, 1), actor=actor)


@pytest.mark.parametrize("role", ["division", "hr", "head", "professional"])
def test_the_profile_runs_at_most_20_queries_however_long_the_history(
    client, agency_tree, ref, roster, division_user, hr_user, role
):
    user = {"division": division_user, "hr": hr_user, "head": roster.head, "professional": roster.professional_user}
    client.force_login(user[role])
    url = reverse("professionals:detail", args=[roster.karma.pk])
    short = count_queries(client, url)
    give_history(roster.karma, agency_tree, ref, division_user, size=15)
    assert count_queries(client, url) == short
    assert short <= PROFILE_MAX_QUERIES
