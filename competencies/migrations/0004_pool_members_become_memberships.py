"""The expert pools' plain member lists become accepted memberships (role member, since the day of
the migration), then the old many-to-many table goes: meetings invite a pool's current members."""

from django.db import migrations
from django.utils import timezone


def members_to_memberships(apps, schema_editor):
    ExpertPool = apps.get_model("competencies", "ExpertPool")
    Membership = apps.get_model("competencies", "ExpertPoolMembership")
    today = timezone.localdate()
    rows = [
        Membership(pool_id=row.expertpool_id, professional_id=row.professional_id, state="accepted", since=today)
        for row in ExpertPool.members.through.objects.all().iterator()
    ]
    Membership.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("competencies", "0003_frameworks_assessments_training_pools")]

    operations = [
        migrations.RunPython(members_to_memberships, migrations.RunPython.noop),
        migrations.RemoveField(model_name="expertpool", name="members"),
    ]
