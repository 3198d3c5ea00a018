from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Role, User


def when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "never"


class Command(BaseCommand):
    help = "List the API clients, their scope and their tokens (prefixes only: the keys are not kept)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        clients = (
            User.objects.filter(role=Role.API_CLIENT)
            .select_related("agency")
            .prefetch_related("api_tokens")
            .order_by("username")
        )
        if not clients:
            self.stdout.write("No API clients yet. Create one with: manage.py create_api_client NAME")
            return
        for client in clients:
            scope = client.agency.code if client.agency_id else "everything"
            flags = ["read-only" if client.read_only else "read-write"]
            if client.can_view_national_ids:
                flags.append("national ids")
            if not client.is_active:
                flags.append("disabled")
            self.stdout.write(f"{client.username}  scope: {scope}  ({', '.join(flags)})")
            tokens = sorted(client.api_tokens.all(), key=lambda token: token.created_at)
            if not tokens:
                self.stdout.write("    no tokens")
            for token in tokens:
                expires = f"{token.expires_on:%Y-%m-%d}" if token.expires_on else "no expiry"
                self.stdout.write(
                    f"    {token.prefix}…  {token.state(today):8}  created {when(token.created_at)}  "
                    f"expires {expires}  last used {when(token.last_used_at)}"
                )
