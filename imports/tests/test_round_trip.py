"""Export -> import unchanged, for every kind, in both formats; and the professionals list's own
exports from the portal."""

import datetime as dt

import pytest

from agencies.services import ict_unit_save, sanctioned_posts_set
from imports.exports import export_file, template_file
from imports.registry import IMPORTERS
from imports.services import import_file
from professionals.services import status_event_record
from professionals.tests.view_fixtures import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(agency_tree, ref, division_user):
    roster = make_roster(agency_tree, ref)
    ict_unit_save(agency=agency_tree["MOH"], actor=division_user, kind=ref.unit_kinds["ict-division"], name="ICT, MoH")
    sanctioned_posts_set(
        agency=agency_tree["MOH"], position_title=ref.titles["ict-officer"], number=3, actor=division_user
    )
    status_event_record(
        professional_id=roster.dorji.pk,
        kind="study_leave",
        effective_date=dt.date(2025, 1, 1),
        expected_end=dt.date(2027, 1, 1),
        actor=division_user,
        reference="L/2025/1",
    )
    return roster


def check_unchanged(kind, data, filename):
    report = import_file(kind=kind, data=data, filename=filename, actor=None, commit=True)
    assert report.ok, report.to_dict()
    assert report.counts["create"] == report.counts["update"] == 0
    assert report.counts["unchanged"] > 0
    return report


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(IMPORTERS))
def test_each_kind_exported_imports_back_unchanged(records, kind, file_format):
    check_unchanged(kind, export_file(kind, file_format), f"{kind}.{file_format}")


@pytest.mark.parametrize("path", ["/professionals/export.csv?status=all", "/professionals/export.xlsx?status=all"])
def test_the_professionals_list_exports_import_back_unchanged(records, division_client, path):
    response = division_client.get(path)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    report = check_unchanged("professionals", data, path.split("?")[0].rsplit("/", 1)[1])
    assert report.counts["unchanged"] == 6  # all, with the one who left


@pytest.mark.parametrize("kind", list(IMPORTERS))
def test_each_template_has_the_headers_and_an_example_row_the_import_reads(kind, ref):
    report = import_file(kind=kind, data=template_file(kind), filename="template.xlsx", actor=None)
    assert not report.file_errors
    assert len(report.rows) == 1
