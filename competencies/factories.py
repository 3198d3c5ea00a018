import datetime as dt

import factory

from .models import Competency, ExpertPool, Framework, ProficiencyLevel, Track, TrainingProgramme


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("code",)

    code = "application-development"
    name = "Application Development"


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        """`levels=5` gives levels 1..5 (three by default)."""
        for number in range(1, (extracted or 3) + 1):
            ProficiencyLevel.objects.get_or_create(
                framework=self, number=number, defaults={"code": str(number), "name": f"Level {number}"}
            )


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("framework", "code")

    framework = factory.LazyFunction(Framework.default)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    category = "Testing"


class TrainingProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProgramme

    title = factory.Sequence(lambda n: f"Training programme {n}")
    provider = "Royal Institute of Management"
    start_date = dt.date(2026, 3, 2)
    end_date = dt.date(2026, 3, 6)
    seats = 20


class ExpertPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertPool
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Expert pool {n}")
    purpose = "Advice to agencies."
