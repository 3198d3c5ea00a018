from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import api_client_revoke


class Command(BaseCommand):
    help = "Revoke every token of an API client: its requests answer 401 from now on."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, as list_api_clients shows it.")

    def handle(self, *args, name, **options):
        try:
            revoked = api_client_revoke(name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if revoked:
            self.stdout.write(f"Revoked {revoked} token(s) of {name}.")
        else:
            self.stdout.write(f"{name} had no active token; nothing to revoke.")
