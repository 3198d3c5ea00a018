import datetime as dt

import factory

from .models import Gender, Grade, GradeCategory, PositionTitle, Professional


class GradeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeCategory
        django_get_or_create = ("code",)

    code = "P"
    name = "Professional and Management"


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade
        django_get_or_create = ("code",)

    code = "P4"
    category = factory.SubFactory(GradeCategoryFactory)
    rank = factory.Sequence(lambda n: 500 + n)


class PositionTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionTitle
        django_get_or_create = ("code",)

    code = "ict-officer"
    name = "ICT Officer"


class ProfessionalFactory(factory.django.DjangoModelFactory):
    """A professional row as the database holds it. Tests of the write rules call the services."""

    class Meta:
        model = Professional

    employee_id = factory.Sequence(lambda n: f"E{200000 + n}")
    national_id = factory.Sequence(lambda n: f"{11000000000 + n}")
    first_name = factory.Iterator(["Karma", "Pema", "Sonam", "Tshering", "Dorji", "Kinley"])
    last_name = factory.Iterator(["Wangchuk", "Dema", "Tobgay", "Lhamo", "Penjor"])
    gender = Gender.FEMALE
    date_of_birth = dt.date(1990, 6, 15)
    first_appointment_date = dt.date(2014, 1, 1)
    grade = factory.SubFactory(GradeFactory)
    position_title = factory.SubFactory(PositionTitleFactory)
