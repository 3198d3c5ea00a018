"""The demo data on any date: seeded with the clock moved to a year's end, a leap day and the day
Bhutan's retirement ages changed, it holds no fact dated after "today" except what is a plan.

The whole suite runs on another date with `pytest --clock YYYY-MM-DD` (conftest.py); CI does so
once for a leap day (.ci/run).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

pytestmark = pytest.mark.django_db

# Dates that lie ahead by nature: plans, expectations and computed dates. Everything else the
# demo writes (answers, decisions, records, history) has happened, so it is dated today at the latest.
PLANS = {
    "professionals.Professional.superannuation_date": "computed from the date of birth",
    "professionals.StatusEvent.expected_end": "when a leave is expected to end",
    "placements.TransferRequest.proposed_effective_date": "the date a request asks for",
    "placements.TransferRequest.effective_date": "the date an approved move takes effect",
    "placements.OfficeOrderEntry.effective_date": "the approved move's date, on its office order",
    "competencies.TrainingProgramme.start_date": "programmes planned for the coming months",
    "competencies.TrainingProgramme.end_date": "programmes planned for the coming months",
    "competencies.Certification.expires_on": "a certificate's expiry",
    "meetings.Event.starts_at": "meetings planned",
    "meetings.Event.ends_at": "meetings planned",
    "meetings.ActionItem.due_date": "action items due",
}
DAYS = [
    dt.date(2026, 12, 31),  # the last day of a year: this year's figures are a full year
    dt.date(2027, 1, 1),  # the first: this year has no history yet
    dt.date(2028, 2, 29),  # a leap day: a year later has no 29 February
    dt.date(2023, 4, 22),  # the day the new retirement ages took effect
]


def future_facts() -> dict[str, int]:
    """Model field -> how many rows hold a date after today, for every date field of every model."""
    now, today = timezone.now(), timezone.localdate()
    found = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical") or model._meta.app_label in ("sessions", "django_celery_beat"):
            continue  # history rows copy their record's dates; sessions expire ahead by design
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                limit = now
            elif isinstance(field, models.DateField):
                limit = today
            else:
                continue
            count = model._default_manager.filter(**{f"{field.name}__gt": limit}).count()
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_states_no_fact_after_today_on_any_date(day):
    moment = dt.datetime.combine(day, dt.time(4, 0), tzinfo=dt.UTC)  # 10:00 in Thimphu
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", professionals=80, years=4, seed=5, stdout=StringIO())
        assert timezone.localdate() == day
        unexpected = {name: count for name, count in future_facts().items() if name not in PLANS}
        assert not unexpected, unexpected
        from meetings.models import Event, EventStatus
        from placements.models import TransferRequest, TransferState

        # What lies ahead is still a plan: no meeting ahead is held, no move ahead is effected.
        assert not Event.objects.filter(starts_at__gt=timezone.now(), status=EventStatus.HELD).exists()
        assert not TransferRequest.objects.filter(effective_date__gt=day, state=TransferState.EFFECTED).exists()
        # And there is something ahead to show on every date.
        assert Event.objects.filter(starts_at__gt=timezone.now(), status=EventStatus.PLANNED).exists()
