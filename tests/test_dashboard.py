"""The dashboard per role: what each sees, what each is spared, and its fixed query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from accounts.models import Role
from core.cache import figures_version
from professionals.models import Professional, StatusEventKind
from professionals.services import status_event_record, superannuation_dates_recompute
from tests.workforce_data import add_staff, build_workforce

pytestmark = pytest.mark.django_db

DASHBOARD_MAX_QUERIES = 25


@pytest.fixture
def w(agency_tree, ref):
    return build_workforce(agency_tree, ref)


@pytest.fixture
def head(w):
    return UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=w.MOH, first_name="Choki")


def nav(response) -> list:
    """The main navigation read from the page: (href, label) for a link, (label, [(href, label),
    ...]) for a menu of sections."""
    html = response.content.decode()
    block = html.split('data-testid="main-nav"', 1)[1].split('class="dropdown user-menu"', 1)[0]
    entries = []
    for item in block.split('<li class="nav-item')[1:]:  # each top-level item, with its menu if any
        if item.startswith(" dropdown"):
            label = re.search(r"dropdown-toggle[^>]*>([^<]+)</button>", item).group(1)
            entries.append((label, re.findall(r'<a class="dropdown-item[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', item)))
        else:
            entries.append(re.search(r'<a class="nav-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', item).groups())
    return entries


def test_division_staff_see_the_whole_government(client, division_user, w):
    client.force_login(division_user)
    response = client.get("/")
    ctx = response.context
    assert ctx["professionals_in_service"] == 7
    assert ctx["vacancies"] == {"sanctioned": 12, "filled": 7, "incoming": 0, "outgoing": 0, "vacant": 7, "over": 2}
    assert [a.code for a in ctx["short_staffed"]][:2] == ["MOF", "JDWNRH"]
    assert {b.label: b.count for b in ctx["by_agency_kind"]} == {
        "Ministries": 5,
        "Departments": 1,
        "Dzongkhag administrations": 1,
    }
    assert [p.first_name for p in ctx["returning"]] == ["Sonam"]
    assert ctx["superannuating_count"] == 1
    assert ctx["exits_total"] == 2
    html = response.content.decode()
    assert 'data-testid="exits-chart"' in html
    assert "Welcome, Deki" in html


def test_division_staff_see_the_status_changes_waiting_for_them(client, division_user, w):
    client.force_login(division_user)
    response = client.get("/")
    assert response.context["pending_changes"] == 2
    assert [c.professional.first_name for c in response.context["pending_list"]] == ["Tshering", "Sonam"]
    assert "/admin/professionals/pendingstatuschange/?state__exact=open" in response.content.decode()


def test_hr_officers_see_the_figures_read_only_without_pending_items(client, hr_user, w):
    client.force_login(hr_user)
    response = client.get("/")
    assert response.context["professionals_in_service"] == 7
    assert response.context["pending_changes"] is None
    assert "pending_list" not in response.context
    html = response.content.decode()
    assert "read-only" in html
    assert "pendingstatuschange" not in html


def test_an_agency_head_sees_only_their_subtree(client, head, w):
    client.force_login(head)
    response = client.get("/")
    ctx = response.context
    assert ctx["professionals_in_service"] == 5
    assert ctx["agencies_visible"] == 3
    assert ctx["vacancies"] == {"sanctioned": 8, "filled": 5, "incoming": 0, "outgoing": 0, "vacant": 4, "over": 1}
    assert {a.code for a in ctx["short_staffed"]} == {"JDWNRH", "DMS", "MOH"}
    assert ctx["superannuating_count"] == 0  # MOF's officer is not theirs
    assert ctx["exits_total"] == 1  # the resignation from MOH, not the retirement from MOF
    assert ctx["pending_changes"] is None
    assert ctx["staff_changes_due"] == 1
    assert [c.professional.first_name for c in ctx["pending_list"]] == ["Sonam"]
    html = response.content.decode()
    assert "Ministry of Finance" not in html
    assert "Tshering" not in html
    assert "pendingstatuschange" not in html


def test_a_professional_sees_their_own_summary_only(client, w):
    me = w.people.mof_officer
    user = UserFactory(username="pro-tshering", role=Role.PROFESSIONAL, professional=me)
    client.force_login(user)
    response = client.get("/")
    ctx = response.context
    assert ctx["me"] == me
    assert ctx["placement"].agency == w.MOF
    assert "professionals_in_service" not in ctx
    html = response.content.decode()
    assert f'href="/professionals/{me.pk}/"' in html
    assert ctx["me"].superannuation_date.strftime("%-d %b %Y") in html
    assert "Pema" not in html  # nobody else's name


DASHBOARD = ("/", "Dashboard")
PROFESSIONALS = ("/professionals/", "Professionals")
AGENCIES = ("/agencies/", "Agencies")
TRANSFERS = ("/transfers/", "Transfers")
REPORTS = ("/reports/", "Reports")
SKILLS = (
    "Skills",
    [("/competencies/", "Competencies"), ("/training/", "Training"), ("/expert-pools/", "Expert pools")],
)
MEETINGS = ("Meetings", [("/events/", "Events"), ("/action-items/", "Action items")])
DATA = ("Data", [("/imports/", "Import"), ("/admin/", "Administration"), ("/api/docs/", "API documentation")])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("division", [DASHBOARD, PROFESSIONALS, AGENCIES, TRANSFERS, SKILLS, MEETINGS, REPORTS, DATA]),
        ("hr", [DASHBOARD, PROFESSIONALS, AGENCIES, TRANSFERS, SKILLS, MEETINGS, REPORTS]),
        ("head", [DASHBOARD, ("/agencies/MOH/", "My agency"), PROFESSIONALS, TRANSFERS, SKILLS, MEETINGS, REPORTS]),
    ],
)
def test_the_navigation_shows_each_role_what_it_may_use(client, division_user, hr_user, head, role, expected):
    client.force_login({"division": division_user, "hr": hr_user, "head": head}[role])
    assert nav(client.get("/")) == expected


def test_a_professional_navigates_to_their_dashboard_and_record(client, w):
    me = w.people.moh_officer
    client.force_login(UserFactory(username="pro-pema", role=Role.PROFESSIONAL, professional=me))
    assert nav(client.get("/")) == [
        ("/", "Dashboard"),
        (f"/professionals/{me.pk}/", "My record"),
        ("Skills", [("/training/", "Training"), ("/expert-pools/", "Expert pools")]),
        MEETINGS,
    ]


def test_a_menu_is_marked_current_with_the_section_inside_it(client, division_user, w):
    client.force_login(division_user)
    html = client.get("/events/").content.decode()
    assert '<button class="nav-link dropdown-toggle active" type="button"' in html
    assert '<a class="dropdown-item active" href="/events/" aria-current="page">Events</a>' in html


def test_the_current_section_is_marked_in_the_navigation(client, division_user, w):
    client.force_login(division_user)
    html = client.get("/agencies/").content.decode()
    assert '<a class="nav-link active" href="/agencies/" aria-current="page">Agencies</a>' in html
    assert 'href="/" aria-current' not in html


def test_the_layout_has_a_skip_link_a_menu_toggle_and_the_user_menu(client, division_user):
    client.force_login(division_user)
    html = client.get("/").content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert 'class="navbar-toggler"' in html and 'aria-controls="portal-nav"' in html
    assert "/accounts/password/change/" in html
    assert "Sign out" in html
    assert "cdn" not in html.lower()


def _queries_for(client, path="/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["division", "head"])
def test_the_dashboard_query_count_is_pinned_and_independent_of_data_size(client, division_user, head, ref, w, who):
    client.force_login({"division": division_user, "head": head}[who])
    before = _queries_for(client)
    assert before <= DASHBOARD_MAX_QUERIES
    add_staff(w.MOH, ref, 12)
    add_staff(w.agencies["DMS"], ref, 5)
    assert _queries_for(client) == before


def test_the_figures_are_cached_until_a_record_changes(client, division_user, w):
    client.force_login(division_user)
    first = _queries_for(client)
    cached = _queries_for(client)
    # Served from the cache: only the session, the account and the items waiting for the user
    # (transfer requests to decide, status changes to confirm).
    assert cached <= 7 < first
    assert client.get("/").context["professionals_in_service"] == 7

    status_event_record(
        professional_id=w.people.moh_senior2.pk,
        kind=StatusEventKind.RESIGNATION,
        effective_date=w.today,
        actor=division_user,
    )
    response = client.get("/")
    assert response.context["professionals_in_service"] == 6
    assert response.context["exits_total"] == 3
    assert 'data-testid="figures-as-of"' in response.content.decode()


def test_bulk_changes_that_send_no_signals_drop_the_cached_figures(w):
    before = figures_version()
    assert figures_version() == before
    Professional.objects.filter(pk=w.people.moh_officer.pk).update(superannuation_date=None)
    assert superannuation_dates_recompute() >= 1
    assert figures_version() != before
