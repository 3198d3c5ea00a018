"""Professional.current_agency: the stored agency of the open placement, kept by Placement itself."""

import datetime as dt

import pytest

from placements.models import Placement, current_agency_sync
from placements.services import placement_end_current, placement_start
from professionals.factories import ProfessionalFactory
from professionals.models import Professional

pytestmark = pytest.mark.django_db


def current_agency_code(person) -> str | None:
    return Professional.objects.filter(pk=person.pk).values_list("current_agency__code", flat=True).get()


def transfer_to_mof(person, agency_tree, actor):
    placement_start(
        professional_id=person.pk,
        agency=agency_tree["MOF"],
        start_date=dt.date(2024, 7, 1),
        kind="transfer",
        actor=actor,
    )


def test_a_posting_a_transfer_and_an_exit_move_the_current_agency(person, agency_tree, division_user):
    assert current_agency_code(person) == "MOH"
    transfer_to_mof(person, agency_tree, division_user)
    assert current_agency_code(person) == "MOF"
    placement_end_current(professional_id=person.pk, end_date=dt.date(2025, 1, 1), actor=division_user)
    assert current_agency_code(person) is None


def test_deleting_or_reassigning_a_placement_resyncs_everyone_it_touched(person, agency_tree):
    other = ProfessionalFactory()
    placement = Placement.objects.get(professional=person)
    placement.professional = other  # e.g. corrected in the admin: it was the other person's posting
    placement.save()
    assert current_agency_code(person) is None
    assert current_agency_code(other) == "MOH"
    placement.delete()
    assert current_agency_code(other) is None


def test_saving_a_professional_read_before_a_move_does_not_undo_it(person, agency_tree, division_user):
    stale = Professional.objects.get(pk=person.pk)  # read while still at MOH
    transfer_to_mof(person, agency_tree, division_user)
    stale.phone = "+975 17 000 000"
    stale.save()
    assert current_agency_code(person) == "MOF"
    assert Professional.objects.get(pk=person.pk).phone == "+975 17 000 000"


def test_bulk_written_placements_are_synced_in_one_update(agency_tree, django_assert_num_queries):
    people = [ProfessionalFactory() for _ in range(3)]
    Placement.objects.bulk_create(
        Placement(professional=p, agency=agency_tree["DMS"], start_date=dt.date(2020, 1, 1)) for p in people
    )
    assert [current_agency_code(p) for p in people] == [None, None, None]  # bulk_create skips save()
    everyone = Professional.objects.count()
    with django_assert_num_queries(1):
        assert current_agency_sync() == everyone
    assert [current_agency_code(p) for p in people] == ["DMS", "DMS", "DMS"]


def test_an_agency_head_sees_people_by_their_current_agency(person, agency_tree, division_user):
    from accounts.factories import UserFactory
    from accounts.models import Role

    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOF"])
    assert not Professional.objects.visible_to(head).filter(pk=person.pk).exists()
    transfer_to_mof(person, agency_tree, division_user)
    head = type(head).objects.get(pk=head.pk)  # a new request: a fresh account object
    assert Professional.objects.visible_to(head).filter(pk=person.pk).exists()
