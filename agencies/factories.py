import factory

from .models import Agency, AgencyKind, ICTUnit, ICTUnitKind, SanctionedPost


class AgencyKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyKind
        django_get_or_create = ("code",)

    code = "ministry"
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").capitalize())
    plural_name = factory.LazyAttribute(lambda o: o.name + "s")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.code}")
    kind = factory.SubFactory(AgencyKindFactory)
    parent = None


class ICTUnitKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ICTUnitKind
        django_get_or_create = ("code",)

    code = "ict-unit"
    name = "ICT unit"


class ICTUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ICTUnit

    agency = factory.SubFactory(AgencyFactory)
    kind = factory.SubFactory(ICTUnitKindFactory)
    name = factory.LazyAttribute(lambda o: f"ICT unit, {o.agency.name}")
    terms_of_reference = "Plan, run and secure the agency's ICT services."


class SanctionedPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SanctionedPost

    agency = factory.SubFactory(AgencyFactory)
    position_title = factory.SubFactory("professionals.factories.PositionTitleFactory")
    number = 2
