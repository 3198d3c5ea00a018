"""On PostgreSQL, refuse overlapping placement periods for one professional in the database.

An exclusion constraint over daterange(start_date, end_date, '[)') needs btree_gist for the
equality on professional_id. SQLite has no exclusion constraints: there the partial unique index
(one open placement) and Placement.clean() hold the line.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "placement_periods_do_not_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE placements_placement ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(professional_id WITH =, daterange(start_date, end_date, '[)') WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE placements_placement DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint, elidable=False),
    ]
