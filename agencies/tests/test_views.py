"""The agency pages per role: the tree, one agency, and division staff's edits of the ICT unit and
the establishment. Outside a user's scope everything answers 404; inside it, editing is for
division staff only (403)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.models import Agency, ICTUnit, SanctionedPost
from tests.workforce_data import add_staff, build_workforce

pytestmark = pytest.mark.django_db

AGENCY_PAGE_MAX_QUERIES = 20


@pytest.fixture
def w(agency_tree, ref):
    return build_workforce(agency_tree, ref, with_moh_unit=True)


@pytest.fixture
def head(w):
    return UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=w.MOH)


@pytest.fixture
def professional_user(w):
    return UserFactory(username="pro-pema", role=Role.PROFESSIONAL, professional=w.people.moh_officer)


def login(client, user):
    client.force_login(user)
    return client


# --- the tree -------------------------------------------------------------------------------


def test_the_tree_needs_a_login(client):
    response = client.get("/agencies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_division_staff_see_every_agency_with_headcount_and_vacancies_per_node(client, division_user, w):
    response = login(client, division_user).get("/agencies/")
    assert response.status_code == 200
    roots = {node.agency.code: node for node in response.context["roots"]}
    assert set(roots) == {"MOH", "MOF", "DZ-PARO"}
    moh = roots["MOH"]
    assert (moh.headcount, moh.sanctioned, moh.vacant, moh.own_headcount, moh.size) == (5, 8, 4, 4, 3)
    dms = moh.children[0]
    assert (dms.agency.code, dms.headcount, dms.vacant) == ("DMS", 1, 3)
    assert [c.agency.code for c in dms.children] == ["JDWNRH"]
    assert response.context["totals"] == {"agencies": 5, "headcount": 7, "sanctioned": 12, "vacant": 7}
    html = response.content.decode()
    assert 'href="/agencies/JDWNRH/"' in html
    assert "<details" in html


def test_an_agency_head_sees_only_their_subtree_in_the_tree(client, head, w):
    response = login(client, head).get("/agencies/")
    assert [node.agency.code for node in response.context["roots"]] == ["MOH"]
    html = response.content.decode()
    assert "Ministry of Finance" not in html
    assert "Paro" not in html
    assert "<details open" in html  # their own agency opens at once


def test_dissolved_agencies_are_listed_apart_with_their_successor(client, division_user, w, ref):
    Agency.objects.create(
        code="MOIC",
        name="Ministry of Information and Communications",
        kind=ref.kinds["ministry"],
        dissolved_on=dt.date(2022, 12, 1),
        successor=w.MOF,
    )
    response = login(client, division_user).get("/agencies/")
    assert "MOIC" not in {node.agency.code for node in response.context["roots"]}
    assert [a.code for a in response.context["dissolved"]] == ["MOIC"]
    assert "Succeeded by" in response.content.decode()


def test_a_professional_has_no_agency_pages(client, professional_user, w):
    login(client, professional_user)
    assert client.get("/agencies/").status_code == 404
    assert client.get("/agencies/MOH/").status_code == 404


def test_the_tree_runs_a_fixed_number_of_queries(client, division_user, w, ref):
    login(client, division_user)
    with CaptureQueriesContext(connection) as small:
        client.get("/agencies/")
    add_staff(w.MOF, ref, 10)
    Agency.objects.create(code="DZ-HAA", name="Haa Dzongkhag Administration", kind=ref.kinds["dzongkhag"])
    with CaptureQueriesContext(connection) as large:
        client.get("/agencies/")
    assert len(large.captured_queries) == len(small.captured_queries) <= 8


# --- one agency -----------------------------------------------------------------------------


def test_the_agency_page_shows_unit_terms_head_staff_establishment_and_sub_agencies(client, division_user, w):
    response = login(client, division_user).get("/agencies/MOH/")
    assert response.status_code == 200
    ctx = response.context
    assert ctx["unit"].name == "ICT Division, Ministry of Health"
    rows = {r.title: (r.sanctioned, r.filled, r.vacant, r.over) for r in ctx["establishment"]}
    assert rows == {"ICT Officer": (3, 2, 1, 0), "Senior ICT Officer": (1, 2, 0, 1)}
    assert ctx["own"] == {"sanctioned": 4, "filled": 4, "incoming": 0, "outgoing": 0, "vacant": 1, "over": 1}
    assert ctx["totals"] == {"sanctioned": 8, "filled": 5, "incoming": 0, "outgoing": 0, "vacant": 4, "over": 1}
    assert [c.code for c in ctx["children"]] == ["DMS"]
    staff = {p.professional.first_name for p in ctx["staff_page"].object_list}
    assert staff == {"Pema", "Sonam", "Karma", "Dorji", "Kinley"}  # Kinley is in DMS, below MOH
    html = response.content.decode()
    assert "<p>Plans the ministry&#x27;s ICT.</p>" in html and "<p>Runs the patient information system.</p>" in html
    assert f'href="/professionals/{w.people.moh_senior.pk}/">Karma Test</a>' in html
    assert "1 over" in html and "1 vacant" in html
    assert 'href="/agencies/MOH/unit/"' in html and 'href="/agencies/MOH/establishment/"' in html


def test_a_dissolved_agency_names_its_successor(client, division_user, w, ref):
    Agency.objects.create(
        code="MOIC",
        name="Ministry of Information and Communications",
        kind=ref.kinds["ministry"],
        dissolved_on=dt.date(2022, 12, 1),
        successor=w.MOF,
    )
    html = login(client, division_user).get("/agencies/MOIC/").content.decode()
    assert "was dissolved on 1 December 2022" in html
    assert 'href="/agencies/MOF/" data-testid="successor">Ministry of Finance</a>' in html


def test_an_agency_head_sees_their_subtree_and_nothing_else(client, head, w):
    login(client, head)
    assert client.get("/agencies/MOH/").status_code == 200
    assert client.get("/agencies/JDWNRH/").status_code == 200
    assert client.get("/agencies/MOF/").status_code == 404
    assert client.get("/agencies/DZ-PARO/").status_code == 404
    assert client.get("/agencies/NOPE/").status_code == 404


def test_an_agency_head_may_not_see_the_edit_buttons(client, head, w):
    html = login(client, head).get("/agencies/MOH/").content.decode()
    assert "/agencies/MOH/unit/" not in html
    assert "Edit establishment" not in html


def test_breadcrumbs_show_only_the_ancestors_the_user_may_see(client, w):
    dms_head = UserFactory(username="head-dms", role=Role.AGENCY_HEAD, agency=w.agencies["DMS"])
    response = login(client, dms_head).get("/agencies/JDWNRH/")
    assert [a.code for a in response.context["ancestors"]] == ["DMS"]
    assert "Ministry of Health" not in response.content.decode()


def test_a_parent_outside_the_scope_is_named_but_not_linked(client, w):
    dms_head = UserFactory(username="head-dms", role=Role.AGENCY_HEAD, agency=w.agencies["DMS"])
    response = login(client, dms_head).get("/agencies/DMS/")
    html = response.content.decode()
    assert response.context["ancestors"] == []
    assert "Ministry of Health" in html
    assert 'href="/agencies/MOH/"' not in html


def test_hr_officers_see_the_agency_page_without_edit_buttons(client, hr_user, w):
    response = login(client, hr_user).get("/agencies/MOF/")
    assert response.status_code == 200
    assert response.context["may_edit"] is False
    assert "Edit establishment" not in response.content.decode()


def test_paging_the_staff_list_with_htmx_returns_only_the_staff_card(client, division_user, w, ref):
    add_staff(w.MOF, ref, 55)
    login(client, division_user)
    page = client.get("/agencies/MOF/?page=2", headers={"HX-Request": "true"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="staff"')
    assert "<html" not in html
    assert len(page.context["staff_page"].object_list) == 6
    full = client.get("/agencies/MOF/?page=2")
    assert "<html" in full.content.decode()


@pytest.mark.parametrize("who", ["division", "head"])
def test_the_agency_page_query_count_is_pinned_and_independent_of_data_size(client, division_user, head, w, ref, who):
    login(client, {"division": division_user, "head": head}[who])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/agencies/MOH/").status_code == 200
    add_staff(w.MOH, ref, 20)
    add_staff(w.agencies["DMS"], ref, 8)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/agencies/MOH/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= AGENCY_PAGE_MAX_QUERIES


# --- editing the ICT unit -------------------------------------------------------------------


def unit_data(w, **overrides):
    data = {
        "name": "ICT Division, Ministry of Health",
        "kind": str(w.unit_kind.pk),
        "head": str(w.people.moh_officer.pk),
        "email": "ict@moh.gov.bt",
        "terms_of_reference": "Plans.\n\nRuns.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def wu(w, ref):
    w.unit_kind = ref.unit_kinds["ict-division"]
    return w


def test_division_staff_edit_the_ict_unit_with_an_audit_entry(client, division_user, wu):
    response = login(client, division_user).post("/agencies/MOH/unit/", unit_data(wu))
    assert response.status_code == 302
    assert response["Location"] == "/agencies/MOH/"
    unit = ICTUnit.objects.get(agency=wu.MOH)
    assert (unit.head, unit.email) == (wu.people.moh_officer, "ict@moh.gov.bt")
    latest = unit.history.first()
    assert latest.history_user == division_user
    assert latest.history_change_reason == "ICT unit edited"
    assert "is saved" in client.get("/agencies/MOH/").content.decode()


def test_division_staff_set_up_a_unit_for_an_agency_without_one(client, division_user, wu):
    data = unit_data(wu, name="ICT Section, Ministry of Finance", head=str(wu.people.mof_officer.pk))
    assert login(client, division_user).post("/agencies/MOF/unit/", data).status_code == 302
    unit = ICTUnit.objects.get(agency=wu.MOF)
    assert unit.head == wu.people.mof_officer
    assert unit.history.first().history_change_reason == "ICT unit created"


def test_the_unit_form_offers_only_people_placed_in_the_agency_as_head(client, division_user, wu):
    response = login(client, division_user).get("/agencies/MOH/unit/")
    choices = {p.first_name for p in response.context["form"].fields["head"].queryset}
    assert choices == {"Pema", "Sonam", "Karma", "Dorji"}  # not Kinley (DMS) nor anyone in MOF


def test_bad_unit_input_shows_errors_on_the_fields_and_keeps_what_was_typed(client, division_user, wu):
    data = unit_data(wu, name="", email="not-an-email", head=str(wu.people.mof_officer.pk))
    response = login(client, division_user).post("/agencies/MOH/unit/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "head"}
    html = response.content.decode()
    assert 'value="not-an-email"' in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    assert "Plans.\n\nRuns." in html


def test_htmx_unit_edits_swap_the_form_or_redirect_the_page(client, division_user, wu):
    login(client, division_user)
    invalid = client.post("/agencies/MOH/unit/", unit_data(wu, name=""), headers={"HX-Request": "true"})
    assert invalid.status_code == 200
    assert "<html" not in invalid.content.decode()
    assert invalid.content.decode().lstrip().startswith("<form")
    valid = client.post("/agencies/MOH/unit/", unit_data(wu), headers={"HX-Request": "true"})
    assert valid["HX-Redirect"] == "/agencies/MOH/"


@pytest.mark.parametrize("path", ["/agencies/MOH/unit/", "/agencies/MOH/establishment/"])
def test_agency_heads_and_hr_officers_may_not_edit(client, head, hr_user, wu, path):
    assert login(client, head).get(path).status_code == 403
    assert client.post(path, unit_data(wu)).status_code == 403
    assert login(client, hr_user).get(path).status_code == 403
    assert ICTUnit.objects.get(agency=wu.MOH).head == wu.people.moh_senior


def test_edit_pages_outside_the_scope_answer_404(client, head, professional_user, w):
    assert login(client, head).get("/agencies/MOF/unit/").status_code == 404
    assert client.get("/agencies/MOF/establishment/").status_code == 404
    assert login(client, professional_user).get("/agencies/MOH/unit/").status_code == 404


# --- editing the establishment --------------------------------------------------------------


def establishment_data(client, path, changes: dict[str, str]):
    """The establishment form as the page renders it, with some numbers changed by title name."""
    response = client.get(path)
    formset = response.context["formset"]
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    for i, (form, title) in enumerate(response.context["rows"]):
        data[f"posts-{i}-title"] = str(title.pk)
        data[f"posts-{i}-number"] = changes.get(title.name, str(form.initial["number"]))
        data[f"posts-{i}-notes"] = form.initial["notes"]
    return data


def test_division_staff_change_the_establishment(client, division_user, w):
    login(client, division_user)
    data = establishment_data(client, "/agencies/MOH/establishment/", {"ICT Officer": "5", "ICT Specialist": "1"})
    response = client.post("/agencies/MOH/establishment/", data)
    assert response.status_code == 302
    posts = dict(SanctionedPost.objects.filter(agency=w.MOH).values_list("position_title__name", "number"))
    assert posts == {"ICT Officer": 5, "Senior ICT Officer": 1, "ICT Specialist": 1}
    changed = SanctionedPost.objects.get(agency=w.MOH, position_title__name="ICT Officer")
    assert changed.history.first().history_user == division_user
    assert "2 titles changed" in client.get("/agencies/MOH/").content.decode()


def test_the_establishment_form_lists_every_title_with_the_current_numbers(client, division_user, w):
    response = login(client, division_user).get("/agencies/MOH/establishment/")
    numbers = {title.name: form.initial["number"] for form, title in response.context["rows"]}
    assert numbers["ICT Officer"] == 3
    assert numbers["Senior ICT Officer"] == 1
    assert numbers["Chief ICT Officer"] == 0


def test_bad_establishment_input_shows_the_error_on_the_row_and_keeps_it(client, division_user, w):
    login(client, division_user)
    data = establishment_data(client, "/agencies/MOH/establishment/", {"ICT Officer": "-3", "Senior ICT Officer": "x"})
    response = client.post("/agencies/MOH/establishment/", data)
    assert response.status_code == 200
    errors = [form.errors for form in response.context["formset"].forms if form.errors]
    assert len(errors) == 2 and all(set(e) == {"number"} for e in errors)
    html = response.content.decode()
    assert 'value="-3"' in html and 'value="x"' in html
    assert SanctionedPost.objects.get(agency=w.MOH, position_title__name="ICT Officer").number == 3


def test_an_unchanged_establishment_writes_nothing(client, division_user, w):
    login(client, division_user)
    data = establishment_data(client, "/agencies/MOH/establishment/", {})
    before = SanctionedPost.history.count()
    assert client.post("/agencies/MOH/establishment/", data).status_code == 302
    assert SanctionedPost.history.count() == before
    assert not SanctionedPost.objects.filter(agency=w.MOH, number=0).exists()


@pytest.mark.parametrize("path", ["/agencies/MOH/unit/", "/agencies/MOH/establishment/"])
def test_a_read_only_division_account_reads_but_may_not_edit(client, wu, path):
    from agencies.models import SanctionedPost

    reader = UserFactory(username="division-reader", role=Role.DIVISION, is_staff=True, read_only=True)
    page = login(client, reader).get("/agencies/MOH/")
    assert page.status_code == 200 and f'href="{path}"' not in page.content.decode()
    before = list(SanctionedPost.objects.values_list("position_title_id", "number"))
    response = client.post(path, unit_data(wu))
    assert response.status_code == 403 and "read-only" in response.content.decode()
    assert ICTUnit.objects.get(agency=wu.MOH).head == wu.people.moh_senior
    assert list(SanctionedPost.objects.values_list("position_title_id", "number")) == before


def test_the_services_refuse_a_read_only_division_account_whoever_calls_them(wu):
    from django.core.exceptions import PermissionDenied

    from agencies.services import establishment_set, ict_unit_save

    reader = UserFactory(username="division-reader", role=Role.DIVISION, read_only=True)
    with pytest.raises(PermissionDenied, match="read-only"):
        ict_unit_save(agency=wu.MOH, actor=reader, name="Another name")
    with pytest.raises(PermissionDenied, match="read-only"):
        establishment_set(agency=wu.MOH, rows=[], actor=reader)
