from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from competencies.frameworks import framework_load_file


class Command(BaseCommand):
    help = "Load (or update) a competency framework from a JSON file: its levels and competencies."

    def add_arguments(self, parser):
        parser.add_argument("path", help="e.g. competencies/frameworks/ecf-like.json")

    def handle(self, *args, path, **options):
        try:
            framework = framework_load_file(path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{framework.name}: {framework.levels.count()} levels, {framework.competencies.count()} competencies."
        )
