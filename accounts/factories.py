import factory

from .models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.DIVISION
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_api_client(name: str, *, agency=None, read_only=False, sees_national_ids=False, expires_on=None):
    """An API client and the key of its first token, made the way `create_api_client` makes them."""
    from .services import api_client_create

    client, _token, key = api_client_create(
        name=name, agency=agency, read_only=read_only, sees_national_ids=sees_national_ids, expires_on=expires_on
    )
    return client, key
