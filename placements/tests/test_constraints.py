import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_open_placement(agency_tree):
    person = ProfessionalFactory()
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(professional=person, agency=agency_tree["MOF"], start_date=dt.date(2022, 1, 1))
    assert Placement.objects.filter(professional=person).count() == 1


def test_two_people_may_each_have_an_open_placement(agency_tree):
    PlacementFactory(agency=agency_tree["MOH"])
    PlacementFactory(agency=agency_tree["MOH"])
    assert Placement.objects.current().count() == 2


def test_the_database_refuses_a_placement_ending_before_it_starts(agency_tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(agency=agency_tree["MOH"], start_date=dt.date(2020, 5, 1), end_date=dt.date(2020, 4, 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only")
def test_postgresql_refuses_overlapping_closed_placements(agency_tree):
    person = ProfessionalFactory()
    PlacementFactory(
        professional=person, agency=agency_tree["MOH"], start_date=dt.date(2018, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(
            professional=person, agency=agency_tree["MOF"], start_date=dt.date(2019, 6, 1), end_date=dt.date(2021, 1, 1)
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only")
def test_postgresql_refuses_a_closed_placement_inside_the_open_one(agency_tree):
    person = ProfessionalFactory()
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2018, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(
            professional=person, agency=agency_tree["MOF"], start_date=dt.date(2019, 6, 1), end_date=dt.date(2020, 1, 1)
        )


def test_back_to_back_placements_do_not_overlap(agency_tree):
    person = ProfessionalFactory()
    PlacementFactory(
        professional=person, agency=agency_tree["MOH"], start_date=dt.date(2018, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    PlacementFactory(professional=person, agency=agency_tree["MOF"], start_date=dt.date(2020, 1, 1))
    assert Placement.objects.filter(professional=person).count() == 2


def test_clean_names_the_overlapping_placement(agency_tree):
    person = ProfessionalFactory()
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2018, 1, 1))
    clash = Placement(
        professional=person, agency=agency_tree["MOF"], start_date=dt.date(2017, 1, 1), end_date=dt.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "Ministry of Health" in str(excinfo.value.message_dict["start_date"])
