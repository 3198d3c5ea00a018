"""A professional's page (/professionals/<id>/): what each role sees and is refused."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.models import GradeChange, Qualification, StatusEvent
from professionals.services import professional_update, status_event_record

from .view_fixtures import make_roster

pytestmark = pytest.mark.django_db


def url(professional) -> str:
    return reverse("professionals:detail", args=[professional.pk])


@pytest.fixture
def roster(agency_tree, ref):
    return make_roster(agency_tree, ref)


@pytest.fixture
def history(roster, agency_tree, ref, division_user):
    """Karma: an earlier placement at MOF, a promotion, a qualification, leave and a return."""
    karma = roster.karma
    Placement.objects.filter(professional=karma).update(start_date=dt.date(2019, 7, 1))
    PlacementFactory(
        professional=karma,
        agency=agency_tree["MOF"],
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 7, 1),
        office_order_number="OO/2015/7",
    )
    GradeChange.objects.create(professional=karma, grade=ref.grades["P5"], effective_date=dt.date(2014, 1, 1))
    GradeChange.objects.create(professional=karma, grade=ref.grades["P4"], effective_date=dt.date(2019, 1, 1))
    Qualification.objects.create(
        professional=karma, level="master", field="Information Security", institution="University of Canberra"
    )
    status_event_record(
        professional_id=karma.pk,
        kind="eol",
        effective_date=dt.date(2021, 1, 1),
        expected_end=dt.date(2022, 1, 1),
        actor=division_user,
        reference="RCSC/EOL/1",
    )
    status_event_record(
        professional_id=karma.pk, kind="return", effective_date=dt.date(2022, 1, 1), actor=division_user
    )
    professional_update(professional_id=karma.pk, actor=division_user, reason="Office order 12", phone="17123456")
    return karma


def test_it_sends_anonymous_visitors_to_the_login_page(client, roster):
    response = client.get(url(roster.karma))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_division_staff_see_the_whole_record(division_client, history):
    response = division_client.get(url(history))
    assert response.status_code == 200
    content = response.content.decode()
    profile = response.context["profile"]
    assert profile.current_placement.agency.code == "MOH"
    assert [p.agency.code for p in profile.placements] == ["MOH", "MOF"]
    assert [c.grade.code for c in profile.grade_changes] == ["P4", "P5"]
    assert [e.kind for e in profile.status_events] == ["return", "eol"]
    assert [q.field for q in profile.qualifications] == ["Information Security"]
    for text in (
        "Karma Wangchuk",
        "10000000001",
        "Ministry of Health",
        "Ministry of Finance",
        "OO/2015/7",
        "Extraordinary leave",
        "Expected back 01 Jan 2022",
        "Information Security",
        history.superannuation_date.strftime("%d %b %Y"),
        "months left",
        "Edit details",
        "Record a status change",
    ):
        assert text in content, text


def test_division_staff_see_who_changed_what_and_when(division_client, history, division_user):
    response = division_client.get(url(history))
    trail = response.context["profile"].audit_trail
    phone_change = next(entry for entry in trail if entry.record == "Record" and entry.action == "Changed")
    assert phone_change.who == "Deki"
    assert phone_change.reason == "Office order 12"
    assert [(c.label, c.old, c.new) for c in phone_change.changes] == [("phone", "–", "17123456")]
    status_change = next(entry for entry in trail if entry.changes and entry.changes[0].label == "status")
    assert (status_change.changes[0].old, status_change.changes[0].new) == ("On extraordinary leave", "In service")
    assert any(entry.record == "Status: Extraordinary leave" and entry.action == "Created" for entry in trail)
    assert any(entry.record == "Placement at MOH" for entry in trail)
    assert [entry.when for entry in trail] == sorted((entry.when for entry in trail), reverse=True)
    content = response.content.decode()
    assert 'data-testid="audit-trail"' in content
    assert "Office order 12" in content


def test_the_change_history_shows_the_latest_fifty_changes(division_client, roster, division_user):
    for number in range(60):
        professional_update(professional_id=roster.karma.pk, actor=division_user, phone=f"17{number:06d}")
    trail = division_client.get(url(roster.karma)).context["profile"].audit_trail
    assert len(trail) == 50
    assert trail[0].changes[0].new == "17000059"


def test_hr_officers_see_the_record_without_national_id_history_or_buttons(client, hr_user, history):
    client.force_login(hr_user)
    response = client.get(url(history))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Karma Wangchuk" in content
    assert "10000000001" not in content
    assert "Hidden for your role" in content
    assert response.context["profile"].audit_trail is None
    assert 'data-testid="audit-trail"' not in content
    assert "Edit details" not in content
    assert "Record a status change" not in content


def test_hr_officers_granted_national_ids_see_them(client, roster):
    client.force_login(UserFactory(role=Role.HR_OFFICER, can_view_national_ids=True))
    assert "10000000001" in client.get(url(roster.karma)).content.decode()


def test_an_agency_head_sees_a_professional_in_their_subtree(client, roster):
    client.force_login(roster.head)
    response = client.get(url(roster.sonam))
    assert response.status_code == 200
    assert "National Referral Hospital" in response.content.decode()
    assert "10000000003" not in response.content.decode()


@pytest.mark.parametrize("who", ["dorji", "kinley", "tshering"])
def test_an_agency_head_gets_404_for_anyone_outside_their_subtree(client, roster, who):
    client.force_login(roster.head)
    assert client.get(url(getattr(roster, who))).status_code == 404


def test_an_agency_head_sees_the_earlier_placements_of_someone_now_in_their_subtree(client, history, roster):
    client.force_login(roster.head)
    profile = client.get(url(history)).context["profile"]
    assert [p.agency.code for p in profile.placements] == ["MOH", "MOF"]


def test_a_professional_sees_their_own_record_with_their_national_id(client, roster):
    client.force_login(roster.professional_user)
    response = client.get(url(roster.karma))
    assert response.status_code == 200
    assert "10000000001" in response.content.decode()
    assert response.context["profile"].audit_trail is None


@pytest.mark.parametrize("who", ["pema", "dorji", "tshering"])
def test_a_professional_gets_404_for_anyone_else(client, roster, who):
    client.force_login(roster.professional_user)
    assert client.get(url(getattr(roster, who))).status_code == 404


def test_an_unknown_id_is_404(division_client, db):
    assert division_client.get(reverse("professionals:detail", args=[999999])).status_code == 404


def test_someone_who_left_has_no_status_change_button(division_client, roster):
    content = division_client.get(url(roster.tshering)).content.decode()
    assert "Resigned" in content
    assert "No current placement." in content
    assert "Record a status change" not in content


def test_a_pending_superannuation_is_shown_with_a_link_to_record_it(division_client, roster):
    from professionals.models import PendingStatusChange

    PendingStatusChange.objects.create(professional=roster.karma, kind="superannuation", due_date=dt.date(2025, 1, 1))
    content = division_client.get(url(roster.karma)).content.decode()
    assert "Waiting for confirmation:" in content
    assert f"{reverse('professionals:status_event', args=[roster.karma.pk])}?kind=retirement" in content


def test_status_events_recorded_appear_in_the_status_history(division_client, roster, division_user):
    status_event_record(
        professional_id=roster.kinley.pk,
        kind="study_leave",
        effective_date=dt.date(2024, 8, 1),
        expected_end=dt.date(2026, 8, 1),
        actor=division_user,
    )
    response = division_client.get(url(roster.kinley))
    assert [e.kind for e in response.context["profile"].status_events] == ["study_leave"]
    assert StatusEvent.objects.filter(professional=roster.kinley).count() == 1
    assert "On study leave" in response.content.decode()
