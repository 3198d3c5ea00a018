"""Indexes for the professionals list (issue 3): its default order, the employment-type filter and,
on PostgreSQL, name search.

Name search is a case-insensitive "contains" (Django's icontains: UPPER(column) LIKE UPPER('%x%')),
which a B-tree cannot serve; trigram GIN indexes over the same UPPER() expressions can. SQLite has
no trigram indexes, and its databases are small, so they exist on PostgreSQL only. Employee id
search is a prefix match served by the `_like` index Django adds to the unique column.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

NAME_COLUMNS = ("first_name", "middle_name", "last_name")


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAME_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS professional_{column}_trgm ON professionals_professional "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAME_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS professional_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("competencies", "0001_initial"),
        ("professionals", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="professional",
            index=models.Index(
                fields=["first_name", "last_name", "employee_id"], name="professiona_first_n_e325b8_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="professional",
            index=models.Index(fields=["employment_type"], name="professiona_employm_7c4d1b_idx"),
        ),
        TrigramExtension(),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
