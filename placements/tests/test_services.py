import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from placements.models import Placement
from placements.services import placement_start
from professionals.services import status_event_record

pytestmark = pytest.mark.django_db


def test_a_transfer_ends_the_current_placement_the_day_the_new_one_starts(person, agency_tree, division_user):
    new = placement_start(
        professional_id=person.id,
        agency=agency_tree["MOF"],
        start_date=dt.date(2024, 7, 1),
        kind="transfer",
        office_order_number="ICT/2024/007",
        actor=division_user,
    )
    old = Placement.objects.get(professional=person, agency=agency_tree["MOH"])
    assert old.end_date == dt.date(2024, 7, 1)
    assert new.is_current and new.office_order_number == "ICT/2024/007"
    assert new.history.get().history_user == division_user
    assert old.history.first().history_change_reason == "Ended by transfer to MOF"


def test_a_new_placement_cannot_start_before_the_current_one(person, agency_tree, division_user):
    with pytest.raises(ValidationError) as excinfo:
        placement_start(
            professional_id=person.id, agency=agency_tree["MOF"], start_date=dt.date(2017, 1, 1), actor=division_user
        )
    assert "start_date" in excinfo.value.message_dict
    assert Placement.objects.filter(professional=person).count() == 1


def test_someone_who_left_cannot_be_placed(person, agency_tree, division_user):
    status_event_record(
        professional_id=person.id, kind="resignation", effective_date=dt.date(2023, 1, 1), actor=division_user
    )
    with pytest.raises(ValidationError, match="has left the service"):
        placement_start(
            professional_id=person.id, agency=agency_tree["MOF"], start_date=dt.date(2024, 1, 1), actor=division_user
        )


def test_nobody_is_placed_in_a_dissolved_agency(person, agency_tree, division_user):
    mof = agency_tree["MOF"]
    mof.dissolved_on = dt.date(2022, 12, 1)
    mof.save()
    with pytest.raises(ValidationError) as excinfo:
        placement_start(professional_id=person.id, agency=mof, start_date=dt.date(2024, 1, 1), actor=division_user)
    assert "dissolved" in str(excinfo.value.message_dict["agency"])
