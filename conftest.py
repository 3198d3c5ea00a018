"""Fixtures shared by every app's tests, and `--clock`: the whole suite as if today were another day."""

import datetime as dt
from types import SimpleNamespace

import pytest

_traveller = None


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="YYYY-MM-DD",
        help="Run the whole suite as if today were this date (10:00 in Thimphu, the clock running), "
        "e.g. --clock 2028-02-29: the suite must pass on any date.",
    )


def pytest_configure(config):
    # Started before collection, so that a test module's own "today" is the moved one too.
    global _traveller
    day = config.getoption("--clock")
    if day:
        import time_machine

        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(4, 0), tzinfo=dt.UTC)
        _traveller = time_machine.travel(moment, tick=True)
        _traveller.start()


def pytest_collection_modifyitems(config, items):
    # A real Celery worker is another process, on the machine's clock: its tests run on today only.
    if config.getoption("--clock"):
        skip = pytest.mark.skip(reason="--clock moves this process's clock, not the live worker's")
        for item in items:
            if item.get_closest_marker("live_celery"):
                item.add_marker(skip)


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()


def pytest_report_header(config):
    day = config.getoption("--clock")
    return f"clock moved to {day}" if day else None


def _load_reference_data():
    import agencies.reference_data
    import competencies.reference_data
    import meetings.reference_data
    import placements.reference_data
    import professionals.reference_data

    agencies.reference_data.load()
    professionals.reference_data.load()
    competencies.reference_data.load()
    placements.reference_data.load()
    meetings.reference_data.load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The default reference data (grades, retirement ages, kinds, tracks) once per test run.
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures must not outlive the test (and its rolled-back rows) that computed them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ref(db):
    """The default reference data by code: ref.grades["P4"], ref.kinds["ministry"], ..."""
    from agencies.models import AgencyKind, ICTUnitKind, Region
    from competencies.models import Track
    from professionals.models import Grade, GradeCategory, PositionTitle

    if not GradeCategory.objects.exists():  # a transactional test flushed the database
        _load_reference_data()
    return SimpleNamespace(
        categories={c.code: c for c in GradeCategory.objects.all()},
        grades={g.code: g for g in Grade.objects.select_related("category")},
        titles={t.code: t for t in PositionTitle.objects.all()},
        kinds={k.code: k for k in AgencyKind.objects.all()},
        unit_kinds={k.code: k for k in ICTUnitKind.objects.all()},
        regions={r.code: r for r in Region.objects.all()},
        tracks={t.code: t for t in Track.objects.all()},
    )


@pytest.fixture
def division_user(db):
    from accounts.factories import UserFactory
    from accounts.models import Role

    return UserFactory(username="division-staff", role=Role.DIVISION, is_staff=True, first_name="Deki")


@pytest.fixture
def hr_user(db):
    from accounts.factories import UserFactory
    from accounts.models import Role

    return UserFactory(username="hr-officer", role=Role.HR_OFFICER, is_staff=True)


@pytest.fixture
def agency_tree(ref):
    """A small hierarchy: MOH > (DMS > JDWNRH), MOF, and PARO dzongkhag.

    Returns the agencies by code.
    """
    from agencies.factories import AgencyFactory

    moh = AgencyFactory(code="MOH", name="Ministry of Health", kind=ref.kinds["ministry"])
    dms = AgencyFactory(code="DMS", name="Department of Medical Services", kind=ref.kinds["department"], parent=moh)
    hospital = AgencyFactory(code="JDWNRH", name="National Referral Hospital", kind=ref.kinds["autonomous"], parent=dms)
    mof = AgencyFactory(code="MOF", name="Ministry of Finance", kind=ref.kinds["ministry"])
    paro = AgencyFactory(code="DZ-PARO", name="Paro Dzongkhag Administration", kind=ref.kinds["dzongkhag"])
    return {a.code: a for a in (moh, dms, hospital, mof, paro)}


@pytest.fixture
def division_client(client, division_user):
    client.force_login(division_user)
    return client
