from django.core.management.base import BaseCommand
from django.db import transaction

import agencies.reference_data
import competencies.reference_data
import meetings.reference_data
import placements.reference_data
import professionals.reference_data
from professionals.services import superannuation_dates_recompute


class Command(BaseCommand):
    help = (
        "Load the default reference data (Bhutan: agency kinds, dzongkhags, ICT unit kinds, grades, "
        "retirement ages, ICT position titles, career tracks, transfer rules, kinds of meeting). Safe to run again: "
        "it updates rows in place."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            agencies.reference_data.load()
            professionals.reference_data.load()
            competencies.reference_data.load()
            placements.reference_data.load()
            meetings.reference_data.load()
        moved = superannuation_dates_recompute()
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded; {moved} superannuation dates updated."))
