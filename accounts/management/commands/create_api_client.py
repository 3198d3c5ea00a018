import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from accounts.services import api_client_create, api_token_issue
from agencies.models import Agency


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--expires takes a date as YYYY-MM-DD, not {value!r}.") from error


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create an API client for another government system and print its token (once: only a hash is kept). "
        "With --agency it sees what that agency's ICT head sees; without, everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, e.g. the system it serves: zest-hr, moh-portal.")
        parser.add_argument("--agency", metavar="CODE", help="Scope the client to this agency and those below it.")
        parser.add_argument("--read-only", action="store_true", help="Refuse every write by this client (403).")
        parser.add_argument("--expires", metavar="YYYY-MM-DD", help="The token stops working on this day.")
        parser.add_argument(
            "--national-ids", action="store_true", help="Let the client see (and set) national id numbers."
        )
        parser.add_argument(
            "--new-token",
            action="store_true",
            help="The client exists already: issue it another token (its scope stays as it is).",
        )

    def handle(self, *args, name, agency, read_only, expires, national_ids, new_token, **options):
        expires_on = parse_date(expires) if expires else None
        try:
            if new_token:
                client = User.objects.filter(username=name, role=Role.API_CLIENT).first()
                if client is None:
                    raise CommandError(f"There is no API client named {name!r}; leave out --new-token to create it.")
                _token, key = api_token_issue(client=client, name="issued with --new-token", expires_on=expires_on)
            else:
                scope = None
                if agency:
                    scope = Agency.objects.filter(code=agency).first()
                    if scope is None:
                        raise CommandError(f"There is no agency with the code {agency!r} (codes are exact, e.g. MOH).")
                client, _token, key = api_client_create(
                    name=name,
                    agency=scope,
                    read_only=read_only,
                    sees_national_ids=national_ids,
                    expires_on=expires_on,
                )
        except ValidationError as error:
            raise CommandError(error_text(error)) from error

        scope_text = f"agency {client.agency.code} and the agencies below it" if client.agency_id else "everything"
        access = "read-only" if client.read_only else "read and write"
        self.stdout.write(f"API client {client.username!r}: sees {scope_text}, {access}.")
        if expires_on:
            self.stdout.write(f"The token stops working on {expires_on:%d %b %Y}.")
        self.stdout.write("")
        self.stdout.write(key)
        self.stdout.write("")
        self.stdout.write(
            "This token is shown once and cannot be recovered: store it in the client system's secrets now.\n"
            "Send it with every request, e.g.:\n"
            f"  curl -H 'Authorization: Token {key}' https://<this server>/api/v1/me/\n"
            f"Revoke it with: manage.py revoke_api_client {client.username}"
        )
