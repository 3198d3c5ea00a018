"""ict_unit_save: creates or edits an agency's ICT unit, with its head placed there and an audit entry."""

import pytest
from django.core.exceptions import ValidationError

from agencies.models import ICTUnit
from agencies.services import ict_unit_save
from professionals.models import Professional, Status
from tests.workforce_data import build_workforce

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(agency_tree, ref):
    workforce = build_workforce(agency_tree, ref)
    workforce.kind = ref.unit_kinds["ict-unit"]
    return workforce


def test_it_creates_the_unit_with_an_audit_entry(w, division_user):
    unit = ict_unit_save(
        agency=w.MOF, actor=division_user, kind=w.kind, name="ICT Unit, MoF", head=w.people.mof_officer
    )
    assert ICTUnit.objects.get(agency=w.MOF) == unit
    entry = unit.history.get()
    assert (entry.history_user, entry.history_change_reason) == (division_user, "ICT unit created")


def test_it_edits_the_existing_unit_in_place(w, division_user):
    first = ict_unit_save(agency=w.MOF, actor=division_user, kind=w.kind, name="ICT Unit")
    second = ict_unit_save(agency=w.MOF, actor=division_user, kind=w.kind, name="ICT Division", email="ict@mof.gov.bt")
    assert first.pk == second.pk
    assert ICTUnit.objects.get(agency=w.MOF).name == "ICT Division"
    assert second.history.first().history_change_reason == "ICT unit edited"


def test_it_refuses_a_head_placed_in_another_agency(w, division_user):
    with pytest.raises(ValidationError) as exc:
        ict_unit_save(agency=w.MOF, actor=division_user, kind=w.kind, name="ICT Unit", head=w.people.moh_officer)
    assert "head" in exc.value.error_dict
    assert not ICTUnit.objects.filter(agency=w.MOF).exists()


def test_it_refuses_a_head_who_has_left_the_service(w, division_user):
    Professional.objects.filter(pk=w.people.mof_officer.pk).update(status=Status.RESIGNED)
    w.people.mof_officer.refresh_from_db()
    with pytest.raises(ValidationError):
        ict_unit_save(agency=w.MOF, actor=division_user, kind=w.kind, name="ICT Unit", head=w.people.mof_officer)


def test_it_validates_the_fields(w, division_user):
    with pytest.raises(ValidationError) as exc:
        ict_unit_save(agency=w.MOF, actor=division_user, kind=w.kind, name="", email="nope")
    assert set(exc.value.error_dict) == {"name", "email"}


def test_it_rejects_unknown_fields(w, division_user):
    with pytest.raises(TypeError):
        ict_unit_save(agency=w.MOF, actor=division_user, kind=w.kind, name="x", agency_id=3)


def test_establishment_set_writes_all_rows_or_none(w, division_user, ref):
    from agencies.models import SanctionedPost
    from agencies.services import establishment_set

    rows = [
        {"position_title": ref.titles["ict-officer"], "number": 9},
        {"position_title": ref.titles["chief-ict-officer"], "number": -1},
    ]
    with pytest.raises(ValidationError):
        establishment_set(agency=w.MOF, rows=rows, actor=division_user)
    assert SanctionedPost.objects.get(agency=w.MOF, position_title=ref.titles["ict-officer"]).number == 4

    rows[1]["number"] = 1
    establishment_set(agency=w.MOF, rows=rows, actor=division_user)
    numbers = dict(SanctionedPost.objects.filter(agency=w.MOF).values_list("position_title__code", "number"))
    assert numbers == {"ict-officer": 9, "chief-ict-officer": 1}
