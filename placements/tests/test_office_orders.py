"""The office order: a real PDF (read back with pypdf) with the number, the people and the letterhead."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from agencies.models import SiteSettings
from placements.models import OfficeOrder, OfficeOrderKind
from placements.office_orders import OrderLine, office_order_file, office_order_issue

from .transfer_helpers import approved

pytestmark = pytest.mark.django_db


def pdf_text(order: OfficeOrder) -> str:
    with order.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_approval_renders_the_office_order_pdf_with_number_names_and_letterhead(transfer_world):
    w = transfer_world
    site = SiteSettings.load()
    site.parent_agency_name = "GovTech Agency, ICT Management Division"
    site.save()
    request = approved(w, effective_date=w.today + dt.timedelta(days=14))
    order = OfficeOrder.objects.get(pk=request.office_order_id)
    assert order.rendered_at is not None and order.render_error == ""
    text = pdf_text(order)
    assert f"ICT/{w.today.year}/001" in text
    assert "GovTech Agency, ICT Management Division" in text
    assert "Karma Wangchuk" in text and w.person.employee_id in text
    assert "Ministry of Finance" in text and "Ministry of Health" in text
    assert "ICT Officer" in text
    assert request.reference in text  # the order's text cites the request


def test_an_order_without_a_file_is_rendered_when_first_downloaded(transfer_world):
    w = transfer_world
    order = office_order_issue(
        kind=OfficeOrderKind.RESTRUCTURING,
        subject="Restructuring",
        body="Staff move.",
        lines=[OrderLine(w.person.pk, w.mof.pk, w.moh.pk, w.officer.pk, w.today)],
        actor=w.users.division,
    )
    assert not order.file
    order = office_order_file(order)
    assert order.file and "Karma Wangchuk" in pdf_text(order)
