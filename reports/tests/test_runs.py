"""Report runs end to end in-process (tasks run eagerly): the PDF's text and the Excel cells,
reuse of identical requests, refusals before anything is queued, failures a person understands,
retries, and the sweep of runs whose worker died."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.factories import UserFactory
from accounts.models import Role
from reports import services
from reports.models import ReportRun, RunStatus, WorkforceSnapshot

pytestmark = pytest.mark.django_db
ATTRITION = {"start_year": 2021, "end_year": 2023}


def _run(user, kind, fmt, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, created = services.report_run_request(user=user, kind=kind, format=fmt, data=data)
    run.refresh_from_db()
    return run, created


def pdf_text(run) -> str:
    with run.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_an_attrition_pdf_states_the_figures_summary_and_definitions(
    h, division_user, django_capture_on_commit_callbacks
):
    run, created = _run(division_user, "attrition", "pdf", ATTRITION, django_capture_on_commit_callbacks)
    assert created and run.status == RunStatus.SUCCEEDED and run.progress == 100
    assert run.file.name.startswith("reports/") and run.file.name.endswith(".pdf")
    text = pdf_text(run)
    # 2023: 1 exit over an average headcount of (4 + 3) / 2 = 3.5: 28.6%, down from 44.4% (2 / 4.5) in 2022.
    assert "In 2023, 1 of 3.5 ICT professionals (average headcount) left: 28.6%, down from 44.4% in 2022" in text
    assert "most exits were left the cadre" not in text and "most left the cadre" in text
    assert "ICT Management Division" in text  # the parent agency's name on the cover
    assert "Attrition rate The exits of the year" not in text
    assert "Exits of the year divided by the average of the headcounts at its start and end." in text
    assert "Contents" in text and "Page 1 of" not in text  # the cover carries no page number
    # The page header prints the period as it is written, not escaped for JavaScript ("2021u002D2023").
    header = PdfReader(io.BytesIO(run.file.open("rb").read())).pages[1].extract_text()
    assert "2021–2023" in header or "2021-2023" in header, header[:300]
    assert "u002D" not in text and "u2013" not in text
    assert "Attrition rate by agency (%)" in text and "Ministry of Health (MOH)" in text
    # The chart's bars keep their colours in print (resignations #1f5fa8), not the default black:
    # the legend's swatch is one fill of that colour, the bars of the years with resignations more.
    assert pdf_drawing_operators(run).count("0.121569 0.372549 0.658824 rg") > 1


def pdf_drawing_operators(run) -> str:
    """Every compressed stream of the PDF, inflated: among them the operators that draw and colour."""
    import re
    import zlib

    with run.file.open("rb") as handle:
        data = handle.read()
    inflated = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:  # fonts and images that are not deflated
            continue
    return "".join(inflated)


def test_an_attrition_workbook_holds_real_numbers_one_sheet_per_table(
    h, division_user, django_capture_on_commit_callbacks
):
    run, _ = _run(division_user, "attrition", "xlsx", ATTRITION, django_capture_on_commit_callbacks)
    with run.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames[:3] == ["About", "Attrition by year", "By agency kind"]
    sheet = book["Attrition by year"]
    header = [c.value for c in sheet[1]]
    row_2022 = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert row_2022["Year"] == 2022
    assert row_2022["Headcount at start"] == 5 and row_2022["Headcount at end"] == 4
    assert row_2022["Resignation"] == 1 and row_2022["Retirement"] == 1 and row_2022["Exits"] == 2
    assert row_2022["Attrition rate (%)"] == 0.444  # 2 / 4.5 = 44.4%, stored as a fraction
    assert sheet.cell(row=3, column=header.index("Attrition rate (%)") + 1).number_format == "0.0%"
    groups = book["Groups by year"]
    assert groups.max_row > 10


def test_a_csv_holds_the_main_table(h, division_user, django_capture_on_commit_callbacks):
    run, _ = _run(division_user, "attrition", "csv", ATTRITION, django_capture_on_commit_callbacks)
    with run.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Year", "Headcount at start", "Headcount at end"]
    assert rows[1][:3] == ["2021", "6", "5"]


def test_a_roster_lists_people_with_their_placements_and_escapes_formulas(
    h, division_user, django_capture_on_commit_callbacks
):
    h.people.d.first_name = "=HYPERLINK(1)"
    h.people.d.save()
    run, _ = _run(division_user, "roster", "xlsx", {}, django_capture_on_commit_callbacks)
    with run.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    roster = {row[0]: row for row in book["Roster"].iter_rows(min_row=2, values_only=True)}
    assert len(roster) == 3  # A, D, E are in service
    d = roster[h.people.d.employee_id]
    assert d[1].startswith("'=HYPERLINK")
    assert d[5] == "Ministry of Finance" and d[8] == dt.datetime(2022, 7, 1)
    assert d[10] == "MOH 2019-05–2022-07"  # the earlier placement
    placements = [row for row in book["Placements"].iter_rows(min_row=2, values_only=True) if row[0] == d[0]]
    assert [(p[2], p[6].date()) for p in placements] == [("MOH", dt.date(2019, 5, 1)), ("MOF", dt.date(2022, 7, 1))]


def test_a_roster_pdf_names_the_people(h, division_user, django_capture_on_commit_callbacks):
    run, _ = _run(division_user, "roster", "pdf", {"agencies": ["MOF"]}, django_capture_on_commit_callbacks)
    text = pdf_text(run)
    assert "D History" in text and "A History" not in text  # A is placed in MOH


def test_headcount_report_counts_sanctioned_filled_vacant_and_over(
    agency_tree, ref, division_user, django_capture_on_commit_callbacks
):
    from tests.workforce_data import build_workforce

    build_workforce(agency_tree, ref)
    run, _ = _run(division_user, "headcount", "xlsx", {}, django_capture_on_commit_callbacks)
    with run.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    by_agency = {row[1]: row[4:] for row in book["By agency"].iter_rows(min_row=2, values_only=True)}
    # tests/workforce_data.py (no approved moves): MOH 4 sanctioned, 4 filled, 0 incoming, 0 outgoing,
    # 1 vacant, 1 over; MOF 4, 1, 0, 0, 3, 0.
    assert by_agency["MOH"] == (4, 4, 0, 0, 1, 1) and by_agency["MOF"] == (4, 1, 0, 0, 3, 0)
    kinds = {row[0]: row[1:] for row in book["By agency kind"].iter_rows(min_row=2, values_only=True)}
    assert kinds["Ministries"] == (8, 5, 0, 0, 4, 1)  # MOH + MOF


def test_identical_requests_within_minutes_reuse_the_run(h, division_user, django_capture_on_commit_callbacks):
    first, created = _run(division_user, "attrition", "pdf", ATTRITION, django_capture_on_commit_callbacks)
    again, created_again = _run(division_user, "attrition", "pdf", dict(ATTRITION), django_capture_on_commit_callbacks)
    assert created and not created_again and again.pk == first.pk
    other, created_other = _run(division_user, "attrition", "xlsx", ATTRITION, django_capture_on_commit_callbacks)
    assert created_other and other.pk != first.pk
    ReportRun.objects.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=11))
    later, created_later = _run(division_user, "attrition", "pdf", ATTRITION, django_capture_on_commit_callbacks)
    assert created_later and later.pk != first.pk


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("attrition", {"start_year": 2020, "end_year": 2099}, "end_year", "in the future"),
        ("attrition", {"start_year": 1980, "end_year": 2023}, "start_year", "at most 30"),
        ("attrition", {"start_year": 2024, "end_year": 2023}, "start_year", "after its end"),
        ("attrition", {"agencies": ["NOPE"]}, "agencies", "Unknown agency: NOPE"),
        ("attrition", {"tracks": ["astrology"]}, "tracks", "Unknown track: astrology"),
        ("projection", {"years": 31}, "years", "1 to 30 years"),
        ("projection", {"start_year": 2001}, "start_year", "this year"),
        ("roster", {"grades": ["EX1"]}, "__all__", "Nobody in service matches"),
        ("attrition", {"start_year": 1990, "end_year": 1995}, "__all__", "Nobody in this selection was placed"),
    ],
)
def test_bad_parameters_are_refused_before_anything_is_queued(h, division_user, kind, data, field, message):
    with pytest.raises(ValidationError) as refused:
        services.report_run_request(user=division_user, kind=kind, format="pdf", data=data)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not ReportRun.objects.exists()


def test_an_agency_head_is_limited_to_their_subtree(h, head, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        services.report_run_request(user=head, kind="attrition", format="csv", data={"agencies": ["MOF"]})
    assert refused.value.message_dict["agencies"] == ["Unknown agency: MOF. Use the codes shown in the list."]
    run, _ = _run(head, "attrition", "csv", ATTRITION, django_capture_on_commit_callbacks)
    with run.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    # MOH + DMS only (test_attrition: 5, 4 / 4, 2 / 2, 2)
    assert [r[:3] for r in rows[1:]] == [["2021", "5", "4"], ["2022", "4", "2"], ["2023", "2", "2"]]


def test_professionals_may_not_run_reports(h):
    someone = UserFactory(role=Role.PROFESSIONAL, professional=h.people.a)
    with pytest.raises(PermissionDenied):
        services.report_run_request(user=someone, kind="roster", format="csv", data={})


def test_a_failure_while_rendering_fails_the_run_with_a_readable_message(
    h, division_user, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_pdf(document):
        raise OSError("no usable font")

    monkeypatch.setattr("reports.rendering.pdf_bytes", broken_pdf)
    run, _ = _run(division_user, "attrition", "pdf", ATTRITION, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED and not run.file
    assert run.error.startswith("The figures were computed but the PDF file could not be written (OSError: no usable")
    assert "Try another format" in run.error


def test_a_transient_database_error_is_retried(h, division_user, monkeypatch, django_capture_on_commit_callbacks):
    from reports import documents

    real, calls = documents.build_document, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "build_document", flaky)
    run, _ = _run(division_user, "attrition", "csv", ATTRITION, django_capture_on_commit_callbacks)
    assert len(calls) == 2
    assert run.status == RunStatus.SUCCEEDED and run.attempts == 2


def test_the_sweep_fails_runs_whose_worker_died_and_spares_live_ones(h, division_user):
    now = timezone.now()
    dead = ReportRun.objects.create(
        kind="attrition", requested_by=division_user, status=RunStatus.RUNNING, progress=35,
        started_at=now - dt.timedelta(minutes=40), heartbeat_at=now - dt.timedelta(minutes=21),
    )  # fmt: skip
    alive = ReportRun.objects.create(
        kind="attrition", requested_by=division_user, status=RunStatus.RUNNING, progress=35,
        started_at=now - dt.timedelta(minutes=40), heartbeat_at=now - dt.timedelta(minutes=2),
    )  # fmt: skip
    forgotten = ReportRun.objects.create(kind="roster", requested_by=division_user)
    ReportRun.objects.filter(pk=forgotten.pk).update(requested_at=now - dt.timedelta(hours=7))

    assert services.report_runs_sweep_stale(now=now) == {"worker_gone": 0, "stale_running": 1, "stale_queued": 1}
    dead.refresh_from_db()
    alive.refresh_from_db()
    forgotten.refresh_from_db()
    assert dead.status == RunStatus.FAILED and "stopped without finishing" in dead.error
    assert alive.status == RunStatus.RUNNING
    assert forgotten.status == RunStatus.FAILED and "No worker started this report" in forgotten.error
    # A redelivered task finds the run failed and leaves it so.
    assert services.report_run_execute(run_id=dead.pk) is None
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED


def test_a_run_whose_worker_no_longer_answers_fails_within_minutes(h, division_user):
    now = timezone.now()

    def running(worker, silent_minutes):
        return ReportRun.objects.create(
            kind="roster", requested_by=division_user, status=RunStatus.RUNNING, progress=80, worker=worker,
            started_at=now - dt.timedelta(minutes=5), heartbeat_at=now - dt.timedelta(minutes=silent_minutes),
        )  # fmt: skip

    killed = running("celery@web-2", 3)
    just_started = running("celery@web-2", 1)  # silent for less than the grace: not judged yet
    busy = running("celery@web-1", 9)  # rendering a long PDF, but its worker answers
    assert services.report_runs_sweep_stale(now=now, live_workers={"celery@web-1"})["worker_gone"] == 1
    statuses = dict(ReportRun.objects.values_list("pk", "status"))
    assert statuses[killed.pk] == RunStatus.FAILED and statuses[busy.pk] == statuses[just_started.pk] == "running"
    assert "no longer answers" in ReportRun.objects.get(pk=killed.pk).error
    # When the workers cannot be pinged, only the heartbeat counts: nine silent minutes are not enough.
    assert services.report_runs_sweep_stale(now=now, live_workers=None) == {
        "worker_gone": 0, "stale_running": 0, "stale_queued": 0
    }  # fmt: skip


def test_a_run_records_the_worker_that_runs_it(h, division_user):
    import socket

    from reports import tasks

    run, _ = services.report_run_request(user=division_user, kind="attrition", format="csv", data=ATTRITION)
    tasks.run_report.apply(args=(run.pk,))  # in-process, as the worker on this machine would run it
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.worker == socket.gethostname()


def test_the_broker_hands_a_dead_workers_task_on_only_after_the_longest_task_may_run():
    from django.conf import settings

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def test_the_monthly_snapshot_records_headcount_and_twelve_month_attrition(h):
    from reports.tasks import record_workforce_snapshot

    record_workforce_snapshot.delay("2023-12-31")
    snapshot = WorkforceSnapshot.objects.get(month=dt.date(2023, 12, 31))
    # Placed on 2023-12-31: A D E = 3; on 2022-12-31 (365 days before): A D E F = 4; exits after
    # 2022-12-31 up to 2023-12-31: F only (C left on 2022-12-31 itself). 1 / 3.5 = 28.57%.
    assert (snapshot.in_service, snapshot.exits_12_months) == (3, 1)
    assert float(snapshot.attrition_rate_12_months) == 28.57
    record_workforce_snapshot.delay("2023-12-31")  # again: replaced, not doubled
    assert WorkforceSnapshot.objects.count() == 1


def test_an_error_that_escapes_the_task_fails_the_run_instead_of_leaving_it_running(
    h, division_user, monkeypatch, django_capture_on_commit_callbacks
):
    def full_disk(run, content):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "_store", full_disk)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):  # eager: raised here
        run, _ = services.report_run_request(user=division_user, kind="attrition", format="csv", data=ATTRITION)
    run = ReportRun.objects.get()
    assert run.status == RunStatus.FAILED and run.finished_at is not None and not run.file
    assert run.error == (
        "The report could not be produced (OSError: No space left on device). Tell the system administrator, "
        f"quoting report number {run.pk}."
    )
