import datetime as dt

import factory
from django.utils import timezone

from .models import ActionItem, Event, EventKind, Invitation, InvitationSource


class EventKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventKind
        django_get_or_create = ("code",)

    code = "ict-heads-meeting"
    name = "ICT Heads' meeting"


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    """An aware datetime at this wall-clock time in settings.TIME_ZONE."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = factory.SubFactory(EventKindFactory)
    title = factory.Sequence(lambda n: f"ICT Heads' meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    venue = "GovTech conference hall, Thimphu"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(EventFactory)
    professional = factory.SubFactory("professionals.factories.ProfessionalFactory")
    source = InvitationSource.BY_HAND


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Follow-up {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
