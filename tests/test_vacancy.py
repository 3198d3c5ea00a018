"""One vacancy number everywhere: the dashboard, the agency pages, the headcount-and-vacancies
report (Excel, CSV, PDF), the transfer rule's check and the API that returns it all show
sanctioned - filled - approved incoming + approved outgoing (placements.establishment).

Hand-made, on the `agency_tree` fixture, for ICT Officer posts only:

| agency | sanctioned | filled     | approved incoming           | approved outgoing            | vacant |
|--------|------------|------------|-----------------------------|------------------------------|--------|
| MOH    | 6          | 4 (P1..P4) | 2: D from MOF (in 30 days), | 1: P1 to MOF (due today, not | 1      |
|        |            |            | E first posting (in 60)     | effected yet); P2 to DMS in  |        |
|        |            |            |                             | 90 days is not due yet       |        |
| MOF    | 2          | 1 (D)      | 1: P1                       | 0 (D leaves in 30 days)      | 0      |
| DMS    | 1          | 0          | 1: P2                       | 0                            | 0      |
| PARO   | 0          | 1 (a candidate for MOH: 1 over)                                            | 0      |

Whole government: 9 sanctioned, 6 filled, 4 incoming, 1 outgoing, 1 vacant, 1 over.
MOH subtree (MOH, DMS, JDWNRH): 7, 4, 3, 1, 1 vacant.
"""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import SanctionedPostFactory
from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import TransferKind, TransferState
from placements.selectors import rules_preview
from placements.transfer_services import transfer_request_cancel
from professionals.factories import ProfessionalFactory
from reports import services

pytestmark = pytest.mark.django_db

WHOLE_GOVERNMENT = {"sanctioned": 9, "filled": 6, "incoming": 4, "outgoing": 1, "vacant": 1, "over": 1}
MOH_SUBTREE = {"sanctioned": 7, "filled": 4, "incoming": 3, "outgoing": 1, "vacant": 1, "over": 0}
MOH_OWN = {"sanctioned": 6, "filled": 4, "incoming": 2, "outgoing": 1, "vacant": 1, "over": 0}


def placed(agency, title, name):
    person = ProfessionalFactory(first_name=name, last_name="Vacancy", position_title=title)
    return PlacementFactory(professional=person, agency=agency, position_title=title, start_date=dt.date(2016, 1, 1))


def approved(*, placement=None, to, title, on):
    return TransferRequestFactory(
        kind=TransferKind.TRANSFER if placement else TransferKind.PLACEMENT,
        professional=placement.professional if placement else ProfessionalFactory(first_name="E", position_title=title),
        releasing_agency=placement.agency if placement else None,
        receiving_agency=to,
        position_title=title,
        state=TransferState.APPROVED,
        effective_date=on,
    )


@pytest.fixture
def v(agency_tree, ref):
    today = timezone.localdate()
    officer = ref.titles["ict-officer"]
    moh, mof, dms, paro = (agency_tree[code] for code in ("MOH", "MOF", "DMS", "DZ-PARO"))
    for agency, number in ((moh, 6), (mof, 2), (dms, 1)):
        SanctionedPostFactory(agency=agency, position_title=officer, number=number)
    p1, p2, _p3, _p4 = (placed(moh, officer, f"P{n}") for n in range(1, 5))
    d = placed(mof, officer, "D")
    moves = SimpleNamespace(
        d_to_moh=approved(placement=d, to=moh, title=officer, on=today + dt.timedelta(days=30)),
        e_to_moh=approved(to=moh, title=officer, on=today + dt.timedelta(days=60)),
        p1_to_mof=approved(placement=p1, to=mof, title=officer, on=today),
        p2_to_dms=approved(placement=p2, to=dms, title=officer, on=today + dt.timedelta(days=90)),
    )
    # Someone who could be moved to MOH, placed at Paro (no establishment there, so "over").
    candidate = ProfessionalFactory(first_name="Candidate", last_name="Vacancy", position_title=officer)
    PlacementFactory(professional=candidate, agency=paro, position_title=officer, start_date=dt.date(2016, 1, 1))
    return SimpleNamespace(
        today=today, officer=officer, moh=moh, mof=mof, dms=dms, moves=moves, candidate=candidate, paro=paro
    )


VACANCY_MESSAGE = (
    "Ministry of Health has 6 sanctioned ICT Officer posts, 4 filled, 2 approved incoming and 1 approved "
    "outgoing by {day:%d %b %Y}: 1 vacant."
)


def test_the_dashboard_shows_the_one_vacancy_number(client, division_user, hr_user, v):
    client.force_login(division_user)
    response = client.get("/")
    assert response.context["vacancies"] == WHOLE_GOVERNMENT
    assert [(a.code, a.vacant) for a in response.context["short_staffed"]] == [("MOH", 1)]
    html = response.content.decode()
    assert '<div class="kpi-value" data-testid="vacant-posts">1</div>' in html

    head = UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=v.moh)
    client.force_login(head)
    response = client.get("/")
    assert response.context["vacancies"] == MOH_SUBTREE
    html = response.content.decode()
    assert (
        '<div class="kpi-note" data-testid="vacancy-note">of 7 sanctioned · 3 approved in, 1 out · 0 over '
        "establishment</div>" in html
    )

    client.force_login(hr_user)  # HR officers see the establishment card, with the same figures
    html = client.get("/").content.decode()
    assert 'data-testid="approved-incoming">4</dd>' in html and 'data-testid="approved-outgoing">1</dd>' in html


def test_the_agency_pages_show_the_one_vacancy_number(client, division_user, v):
    client.force_login(division_user)
    response = client.get("/agencies/MOH/")
    ctx = response.context
    [row] = ctx["establishment"]
    assert (row.title, *row.figures().values()) == ("ICT Officer", *MOH_OWN.values())
    assert ctx["own"] == MOH_OWN
    assert ctx["totals"] == MOH_SUBTREE
    html = response.content.decode()
    assert '<div class="kpi-value" data-testid="agency-vacant">1</div>' in html
    assert '<span class="badge badge-vacant">1 vacant</span>' in html.split('data-testid="establishment"')[1]

    roots = {node.agency.code: node for node in client.get("/agencies/").context["roots"]}
    assert (roots["MOH"].own_vacant, roots["MOH"].vacant, roots["MOF"].vacant) == (1, 1, 0)


def _report(user, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = services.report_run_request(user=user, kind="headcount", format=fmt, data={})
    run.refresh_from_db()
    with run.file.open("rb") as handle:
        return handle.read()


def test_the_headcount_and_vacancies_report_shows_the_one_vacancy_number(
    division_user, v, django_capture_on_commit_callbacks
):
    columns = ("Sanctioned", "Filled", "Approved incoming", "Approved outgoing", "Vacant", "Over")
    book = load_workbook(io.BytesIO(_report(division_user, "xlsx", django_capture_on_commit_callbacks)))
    sheet = list(book["By agency"].iter_rows(values_only=True))
    assert sheet[0][4:] == columns
    by_agency = {row[1]: row[4:] for row in sheet[1:]}
    assert by_agency["MOH"] == tuple(MOH_OWN.values())
    assert by_agency["MOF"] == (2, 1, 1, 0, 0, 0)
    by_title = {row[0]: row[1:] for row in book["By position title"].iter_rows(min_row=2, values_only=True)}
    assert by_title["ICT Officer"] == tuple(WHOLE_GOVERNMENT.values())

    rows = list(csv.reader(io.StringIO(_report(division_user, "csv", django_capture_on_commit_callbacks).decode())))
    moh = next(row for row in rows if row[1] == "MOH")
    assert moh[4:] == [str(n) for n in MOH_OWN.values()]

    pdf = PdfReader(io.BytesIO(_report(division_user, "pdf", django_capture_on_commit_callbacks)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert (
        "9 posts sanctioned, 6 filled, 4 promised to approved incoming moves and 1 freed by approved outgoing "
        "moves due by then: 1 vacant and 1 over the establishment of their title" in text
    )


def test_the_transfer_rule_and_the_api_show_the_one_vacancy_number(division_user, v):
    preview = rules_preview(
        kind="transfer",
        professional=v.candidate,
        receiving_agency=v.moh,
        position_title=v.officer,
        effective_date=v.today,
    )
    rule = next(result for result in preview.results if result.code == "vacancy")
    assert (rule.passed, rule.message) == (True, VACANCY_MESSAGE.format(day=v.today))

    api = APIClient()
    api.force_login(division_user)
    response = api.post(
        "/api/v1/transfer-requests/",
        {
            "professional": v.candidate.pk,
            "receiving_agency": "MOH",
            "position_title": "ict-officer",
            "reason": "MOH has one ICT Officer post free.",
            "proposed_effective_date": v.today.isoformat(),
            "submit": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [vacancy] = [result for result in response.json()["rule_results"] if result["code"] == "vacancy"]
    assert vacancy["message"] == VACANCY_MESSAGE.format(day=v.today)


def test_a_cancelled_move_changes_every_figure_at_once(client, division_user, v):
    client.force_login(division_user)
    assert client.get("/").context["vacancies"]["vacant"] == 1  # now cached
    transfer_request_cancel(request_id=v.moves.p1_to_mof.pk, actor=division_user, reason="Not needed any more.")
    # P1 stays at MOH: one post fewer free there, one more free at MOF.
    assert client.get("/").context["vacancies"] == {
        **WHOLE_GOVERNMENT,
        "incoming": 3,
        "outgoing": 0,
        "vacant": 1,
    }
    figures = {a.code: a.vacant for a in client.get("/").context["short_staffed"]}
    assert figures == {"MOF": 1}
    assert client.get("/agencies/MOH/").context["own"]["vacant"] == 0
