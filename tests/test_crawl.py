"""Every page, every role, every state: the demo data set crawled as each kind of user.

The portal is seeded with `seed_demo` (small, so the crawl stays quick), report and import runs
are made through the pages as people make them, and then each role starts at its dashboard and
follows every link it is offered (tests/crawl.py). No answer may be a server error. A second test
renders the page of one object in each state of each state machine, as the division and as a
role of the object's own side, for an object changed by a person and one changed by the system.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from accounts.models import Role, User
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

DEMO = {"professionals": 80, "years": 4, "seed": 3}

# URL patterns no crawl reaches by following links, each with its reason. Every other GET page
# must be visited by at least one role (test_the_crawl_reaches_every_page_of_the_portal).
NOT_LINKED = {
    "healthz": "for load balancers, not people",
    "accounts:logout": "ends the session (POST)",
    "accounts:password_reset_confirm": "reached from the reset email's one-time link",
    "accounts:password_reset_done": "shown after the reset form is posted",
    "accounts:password_reset_complete": "shown after a new password is set",
    "accounts:password_change_done": "shown after a password change is posted",
    "meetings:rsvp_link": "reached from the invitation email's one-time link",
    "imports:commit": "an action (POST)",
    "transfers:action": "an action (POST)",
    "competencies:request_action": "an action (POST)",
    "competencies:membership_action": "an action (POST)",
    "competencies:deployment_outcome": "an action (POST)",
    "competencies:assessment_confirm": "an action (POST)",
    "meetings:event_status": "an action (POST)",
    "meetings:agenda_move": "an action (POST)",
    "meetings:agenda_remove": "an action (POST)",
    "meetings:invitation_remove": "an action (POST)",
    "meetings:attendance_mark": "an action (POST)",
    "meetings:minutes_approve": "an action (POST)",
    "meetings:rsvp": "an action (POST)",
    "meetings:action_item_status": "an action (POST)",
    "meetings:action_item_note": "an action (POST)",
    "transfers:check": "the new-request form's live rule check (htmx POST)",
    "meetings:agenda_add": "an action (POST)",
    "api-schema": "read by the API documentation's script, not linked",
}


def seed_portal(after_commit) -> dict[str, User]:
    """The demo data, plus report and import runs made through the pages; the crawl's users."""
    call_command("seed_demo", stdout=StringIO(), **DEMO)
    division, hr = User.objects.get(username="division"), User.objects.get(username="hr")
    _make_runs(division, hr, after_commit)
    heads = (
        User.objects.filter(role=Role.AGENCY_HEAD, agency__isnull=False)
        .annotate(children=Count("agency__children"))
        .order_by("-children", "username")
    )
    ministry = heads.first()  # a head whose scope has sub-agencies
    dzongkhag = heads.filter(agency__kind__code="dzongkhag").first()
    professional = (
        User.objects.filter(role=Role.PROFESSIONAL)
        .annotate(requests=Count("professional__training_requests"))
        .order_by("-requests", "username")
        .first()
    )
    return {
        "division": division,
        "hr": hr,
        "ministry head": ministry,
        "dzongkhag head": dzongkhag,
        "professional": professional,
        "signed out": None,
    }


def _make_runs(division: User, hr: User, after_commit) -> None:
    """Report and import runs in every state, made through the pages; each page queues its task
    after commit, which in a test's transaction is at the end of `after_commit`."""
    from imports.models import ImportRun, ImportState
    from imports.services import import_run_check
    from reports.models import ReportRun
    from reports.services import report_run_fail

    client = Client()
    client.force_login(hr)
    for kind, format in (("roster", "csv"), ("headcount", "xlsx"), ("attrition", "csv")):
        with after_commit(execute=True):
            response = client.post("/reports/", {"kind": kind, "format": format})
        assert response.status_code in (200, 302), response.content[:2000]
    failed = ReportRun.objects.create(kind="projection", format="csv", parameters={}, requested_by=hr)
    report_run_fail(run_id=failed.pk, reason="The worker stopped (demo failure).")
    ReportRun.objects.create(kind="roster", format="pdf", parameters={}, requested_by=hr)  # still queued

    client.force_login(division)
    export = client.get("/imports/export/agencies.csv")
    assert export.status_code == 200
    runs = []
    for name, data in (("agencies.csv", export.content), ("broken.csv", b"not,a,known\nheader,row,here\n")):
        upload = SimpleUploadedFile(name, data, "text/csv")
        with after_commit(execute=True):
            assert client.post("/imports/", {"kind": "agencies", "file": upload}).status_code in (200, 302)
        runs.append(ImportRun.objects.latest("pk"))
    clean = ImportRun.objects.create(
        kind=runs[0].kind, file=runs[0].file.name, filename="again.csv", created_by=division
    )
    import_run_check(run_id=clean.pk)
    with after_commit(execute=True):
        assert client.post(f"/imports/{runs[0].pk}/commit/").status_code in (200, 302)
    assert ImportRun.objects.get(pk=runs[0].pk).state == ImportState.COMMITTED
    ImportRun.objects.filter(pk=runs[1].pk).update(state=ImportState.FAILED, error="OSError: the file was gone")


@pytest.fixture
def portal(django_capture_on_commit_callbacks):
    return seed_portal(django_capture_on_commit_callbacks)


def test_every_role_crawls_the_portal_without_a_server_error_and_reaches_every_page(portal):
    errors, summary, reached = [], {}, set()
    for role, user in portal.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        result = crawl(client)
        errors += [f"[{role}] {error}" for error in result.errors]
        summary[role] = (len(result.visits), dict(result.by_status()))
        reached |= result.routes
        assert len(result.visits) > (3 if user is None else 30), (role, summary[role])
    print("Pages visited per role:", summary)
    assert not errors, "\n".join(errors)
    missing = _get_patterns() - reached - set(NOT_LINKED)
    assert not missing, f"no role reached these pages by following links: {sorted(missing)}"


def _get_patterns() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in ("admin/", "api/v1/"):
                    continue  # the administration and the API are covered by their own tests
                walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return names


# Each state machine: the model, its state field, its page, the fields that name who acted, and
# a related set of rows with the person who acted on each (a request's timeline, an item's notes).
# Each record is shown once as a person's doing and once as the system's (no one, or an account
# since deleted).
STATE_PAGES = [
    ("placements.TransferRequest", "state", "/transfers/{pk}/", ["requested_by"], ("events", "actor")),
    ("competencies.TrainingRequest", "state", "/training/{pk}/", ["requested_by", "decided_by"], None),
    ("meetings.Event", "status", "/events/{pk}/", ["organiser"], None),
    ("meetings.ActionItem", "status", "/action-items/{pk}/", ["created_by"], ("notes", "author")),
    ("meetings.Minutes", "status", "/events/{event_id}/", ["approved_by"], None),
    ("reports.ReportRun", "status", "/reports/{pk}/", ["requested_by"], None),
    ("imports.ImportRun", "state", "/imports/{pk}/", ["created_by", "committed_by"], None),
    ("competencies.ExpertPoolMembership", "state", "/expert-pools/{pool_id}/", ["nominated_by", "decided_by"], None),
    ("professionals.Professional", "status", "/professionals/{pk}/", [], None),
]
# States that no record of the demo stays in for long (a task holds them for seconds): made here.
TRANSIENT = {"reports.ReportRun": ["running"], "imports.ImportRun": ["checking", "committing"]}


def _viewers(portal, obj) -> list[User]:
    """Division staff, HR, and the agency head or professional whose record it is, where there is one."""
    from accounts.access import scope_for

    model = type(obj)
    if model._meta.label == "imports.ImportRun":
        return [portal["division"]]  # imports are the division's alone
    if not hasattr(model.objects, "visible_to"):
        return [portal["division"], portal["hr"]]
    # HR officers read everything but others' drafts.
    hr = [portal["hr"]] if model.objects.visible_to(portal["hr"]).filter(pk=obj.pk).exists() else []
    viewers = [portal["division"], *hr]
    for user in User.objects.filter(role__in=(Role.AGENCY_HEAD, Role.PROFESSIONAL)).order_by("pk"):
        if not scope_for(user).everything and model.objects.visible_to(user).filter(pk=obj.pk).exists():
            return [*viewers, user]
    return viewers


def _record_missing_statuses(division: User) -> None:
    """A small demo may have no one who died or was terminated in its years: record it as the
    division would, for someone active."""
    from django.utils import timezone

    from professionals.models import LEAVE_EVENTS, STATUS_AFTER_EVENT, Professional, Status
    from professionals.services import status_event_record

    present = set(Professional.objects.values_list("status", flat=True))
    active = Professional.objects.filter(status=Status.ACTIVE).order_by("pk")
    for kind, status in STATUS_AFTER_EVENT.items():
        if status not in present:
            person = active.first()  # read again each time: the last one recorded is no longer active
            today = timezone.localdate()
            expected_end = today + dt.timedelta(days=180) if kind in LEAVE_EVENTS else None
            status_event_record(
                professional_id=person.pk, kind=kind, effective_date=today, expected_end=expected_end, actor=division
            )
            present.add(status)


def test_every_state_of_every_record_renders_for_its_viewers_made_by_a_person_and_by_the_system(portal):
    from django.apps import apps

    fields = {label: field for label, field, *_ in STATE_PAGES}
    for label, states in TRANSIENT.items():
        model = apps.get_model(label)
        for state in states:
            copy = model.objects.order_by("pk").first()
            copy.pk = None
            setattr(copy, fields[label], state)
            copy.save()
    _record_missing_statuses(portal["division"])
    failures, rendered = [], 0
    for label, field, url, actors, related in STATE_PAGES:
        model = apps.get_model(label)
        for state, _ in model._meta.get_field(field).choices:
            obj = model.objects.filter(**{field: state}).order_by("pk").first()
            if obj is None:
                failures.append(f"{label}: the demo has none {state}")
                continue
            for made_by, actor in (("a person", portal["division"]), ("the system", None)):
                model.objects.filter(pk=obj.pk).update(**dict.fromkeys(actors, actor))
                if related:
                    getattr(obj, related[0]).update(**{related[1]: actor})
                keys = ("pk", "event_id", "pool_id")
                path = url.format(**{name: getattr(obj, name) for name in keys if hasattr(obj, name)})
                for viewer in _viewers(portal, obj):
                    client = Client()
                    client.force_login(viewer)
                    try:
                        status = client.get(path).status_code
                    except Exception as error:
                        status = f"{type(error).__name__}: {error}"
                    rendered += 1
                    if status != 200:
                        failures.append(f"{label} {state} made by {made_by}: {path} as {viewer.username}: {status}")
    print(f"{rendered} pages rendered, one per state, maker and viewer")
    assert not failures, "\n".join(failures)
