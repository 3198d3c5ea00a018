"""python manage.py export_data KIND FILE: every record of a kind, in the columns its import reads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.exports import export_file
from imports.registry import IMPORTERS


class Command(BaseCommand):
    help = "Write every record of a kind to FILE (.xlsx or .csv) in the columns its import accepts unchanged."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(IMPORTERS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind, file, **options):
        suffix = file.suffix.lower().lstrip(".")
        if suffix not in ("csv", "xlsx"):
            raise CommandError("The file name must end in .csv or .xlsx.")
        file.write_bytes(export_file(kind, suffix))
        self.stdout.write(f"Wrote {file}.")
