import factory

from .models import Track


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("code",)

    code = "application-development"
    name = "Application Development"
