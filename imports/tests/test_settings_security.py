"""The import settings: only those whose role may change settings add the one row, and a national-id
pattern that backtracks without end is refused when saved and cannot hang an import."""

import pytest
from django.core.exceptions import ValidationError

from imports.models import ImportSettings

from .helpers import PROFESSIONAL_HEADERS, csv_bytes, professional_row

pytestmark = pytest.mark.django_db

SLOW = r"(\d|\d)+"  # each digit matched two ways: 2**20 tries on a 20-digit value


def test_hr_cannot_add_the_import_settings_on_a_fresh_install(client, hr_user, division_user):
    ImportSettings.objects.all().delete()
    client.force_login(hr_user)
    assert client.get("/admin/imports/importsettings/add/").status_code == 403
    response = client.post("/admin/imports/importsettings/add/", {"national_id_pattern": ".*"})
    assert response.status_code == 403 and not ImportSettings.objects.exists()
    client.force_login(division_user)
    assert client.get("/admin/imports/importsettings/add/").status_code == 200


def test_a_pattern_that_backtracks_without_end_is_refused_with_a_way_out():
    settings = ImportSettings(national_id_pattern=SLOW, national_id_description="digits")
    with pytest.raises(ValidationError, match="takes too long") as refused:
        settings.full_clean()
    assert r"\d{11}" in str(refused.value)
    ImportSettings(national_id_pattern=r"\d{11}", national_id_description="11 digits").full_clean()
    ImportSettings(national_id_pattern=r"[A-Z]{2}\d{6}", national_id_description="NIC").full_clean()


def test_an_import_under_a_slow_pattern_saved_before_reports_the_row_instead_of_hanging(agency_tree, ref):
    from imports.services import import_file

    ImportSettings.objects.update_or_create(pk=1, defaults={"national_id_pattern": SLOW})
    row = professional_row(1, **{"National id": "1" * 19 + "x"})
    report = import_file(
        kind="professionals", data=csv_bytes([PROFESSIONAL_HEADERS, row]), filename="staff.csv", actor=None
    )
    messages = [message for row in report.rows for column, message in row.errors if column == "National id"]
    assert messages and "takes too long" in messages[0]
