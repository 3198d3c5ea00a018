"""python manage.py import_data KIND FILE [--commit] [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from imports.registry import IMPORTERS
from imports.services import import_file


class Command(BaseCommand):
    help = (
        "Check a spreadsheet (.xlsx or .csv) of one kind and report row by row what it would create, update or "
        "leave unchanged and what is wrong; with --commit, import it (all or nothing, only if the file is clean)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the data if the whole file is clean.")
        parser.add_argument("--user", help="Username recorded in the audit history (default: none).")

    def handle(self, *args, kind, file, commit, user, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user}.")
        report = import_file(kind=kind, data=file.read_bytes(), filename=file.name, actor=actor, commit=commit)
        for line in report.lines():
            self.stdout.write(line)
        if report.committed:
            self.stdout.write(self.style.SUCCESS(f"Imported {file.name}."))
        elif not report.ok:
            raise CommandError("Nothing was written: correct the errors above and run the import again.")
        else:
            self.stdout.write("Dry run: nothing was written. Add --commit to import the file.")
