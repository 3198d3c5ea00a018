"""visible_to(user) for every role: agency subtrees, one's own record, nothing for the rest."""

import datetime as dt

import pytest

from accounts.access import scope_for
from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import ICTUnitFactory, SanctionedPostFactory
from agencies.models import Agency, ICTUnit, SanctionedPost
from agencies.querysets import subtree_ids
from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory
from professionals.models import Professional, StatusEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(agency_tree):
    """One professional currently placed in each agency, and one who moved MOF -> JDWNRH."""
    people = {}
    for code, agency in agency_tree.items():
        person = ProfessionalFactory(first_name=f"Staff-{code}")
        PlacementFactory(professional=person, agency=agency, start_date=dt.date(2021, 1, 1))
        people[code] = person
    mover = ProfessionalFactory(first_name="Mover")
    PlacementFactory(
        professional=mover, agency=agency_tree["MOF"], start_date=dt.date(2015, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    PlacementFactory(professional=mover, agency=agency_tree["JDWNRH"], start_date=dt.date(2020, 1, 1))
    people["mover"] = mover
    return people


def names(queryset):
    return sorted(p.first_name for p in queryset)


def test_the_subtree_of_an_agency_comes_from_one_read_of_the_hierarchy(agency_tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        ids = subtree_ids([agency_tree["MOH"].id])
    assert sorted(Agency.objects.filter(id__in=ids).values_list("code", flat=True)) == ["DMS", "JDWNRH", "MOH"]
    assert subtree_ids([]) == []
    assert subtree_ids([10**9]) == []  # an unknown agency has no subtree


def test_a_cycle_in_the_hierarchy_does_not_hang_the_subtree(agency_tree):
    moh, dms = agency_tree["MOH"], agency_tree["DMS"]
    Agency.objects.filter(pk=moh.pk).update(parent=dms)  # bad data: MOH under its own department
    assert sorted(Agency.objects.filter(id__in=subtree_ids([moh.pk])).values_list("code", flat=True)) == [
        "DMS",
        "JDWNRH",
        "MOH",
    ]


def test_division_staff_see_everyone(staff, division_user):
    assert Professional.objects.visible_to(division_user).count() == 6
    assert Agency.objects.visible_to(division_user).count() == 5


def test_hr_officers_see_everyone_but_not_national_ids_unless_granted(staff, hr_user):
    assert Professional.objects.visible_to(hr_user).count() == 6
    assert scope_for(hr_user).sees_national_ids is False
    assert scope_for(hr_user).may_write is False
    hr_user.can_view_national_ids = True
    assert scope_for(hr_user).sees_national_ids is True


def test_an_agency_head_sees_the_whole_subtree_of_their_agency(staff, agency_tree):
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    assert names(Professional.objects.visible_to(head)) == ["Mover", "Staff-DMS", "Staff-JDWNRH", "Staff-MOH"]
    assert sorted(Agency.objects.visible_to(head).values_list("code", flat=True)) == ["DMS", "JDWNRH", "MOH"]


def test_a_head_lower_in_the_tree_does_not_see_upwards(staff, agency_tree):
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["DMS"])
    assert names(Professional.objects.visible_to(head)) == ["Mover", "Staff-DMS", "Staff-JDWNRH"]


def test_an_agency_head_does_not_see_people_who_left_their_agency(staff, agency_tree):
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOF"])
    assert names(Professional.objects.visible_to(head)) == ["Staff-MOF"]


def test_an_agency_head_sees_placements_in_their_subtree_and_the_history_of_their_people(staff, agency_tree):
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    visible = Placement.objects.visible_to(head)
    # The mover's earlier posting to MOF is part of their history, visible to their new head.
    assert set(visible.values_list("agency__code", flat=True)) == {"MOH", "DMS", "JDWNRH", "MOF"}
    assert not visible.filter(professional=staff["MOF"]).exists()
    assert not visible.filter(professional=staff["DZ-PARO"]).exists()


def test_history_rows_follow_their_professional(staff, agency_tree, division_user):
    from professionals.services import status_event_record

    status_event_record(
        professional_id=staff["MOF"].id,
        kind="eol",
        effective_date=dt.date(2025, 1, 1),
        expected_end=dt.date(2026, 1, 1),
        actor=division_user,
    )
    head_moh = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    head_mof = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOF"])
    assert StatusEvent.objects.visible_to(head_moh).count() == 0
    assert StatusEvent.objects.visible_to(head_mof).count() == 1


def test_units_and_establishment_follow_their_agency(staff, agency_tree, ref):
    ICTUnitFactory(agency=agency_tree["DMS"], kind=ref.unit_kinds["ict-section"])
    ICTUnitFactory(agency=agency_tree["MOF"], kind=ref.unit_kinds["ict-division"])
    SanctionedPostFactory(agency=agency_tree["JDWNRH"], position_title=ref.titles["ict-officer"])
    SanctionedPostFactory(agency=agency_tree["DZ-PARO"], position_title=ref.titles["ict-officer"])
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    assert list(ICTUnit.objects.visible_to(head).values_list("agency__code", flat=True)) == ["DMS"]
    assert list(SanctionedPost.objects.visible_to(head).values_list("agency__code", flat=True)) == ["JDWNRH"]


def test_a_professional_sees_only_themselves(staff, agency_tree):
    user = UserFactory(role=Role.PROFESSIONAL, professional=staff["mover"])
    assert names(Professional.objects.visible_to(user)) == ["Mover"]
    assert Placement.objects.visible_to(user).count() == 2
    assert list(Agency.objects.visible_to(user).values_list("code", flat=True)) == ["JDWNRH"]


def test_an_api_client_for_an_agency_sees_what_its_head_sees(staff, agency_tree):
    client = UserFactory(role=Role.API_CLIENT, agency=agency_tree["DMS"], read_only=True)
    assert names(Professional.objects.visible_to(client)) == ["Mover", "Staff-DMS", "Staff-JDWNRH"]
    assert scope_for(client).may_write is False


def test_a_government_wide_api_client_sees_everyone(staff):
    client = UserFactory(role=Role.API_CLIENT)
    assert Professional.objects.visible_to(client).count() == 6
    assert scope_for(client).may_write is True


def test_inactive_and_anonymous_users_see_nothing(staff, division_user):
    from django.contrib.auth.models import AnonymousUser

    division_user.is_active = False
    assert Professional.objects.visible_to(division_user).count() == 0
    assert Professional.objects.visible_to(AnonymousUser()).count() == 0
    assert Agency.objects.visible_to(AnonymousUser()).count() == 0


def test_an_agency_head_without_an_agency_is_refused_by_the_database(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        UserFactory(role=Role.AGENCY_HEAD, agency=None)
