import datetime as dt

import factory

from .models import Placement


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    professional = factory.SubFactory("professionals.factories.ProfessionalFactory")
    agency = factory.SubFactory("agencies.factories.AgencyFactory")
    start_date = dt.date(2020, 1, 1)
    end_date = None
