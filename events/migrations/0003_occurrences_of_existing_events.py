"""Every event that existed before series gets its one date as an Occurrence row."""

from django.db import migrations


def add_occurrences(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Occurrence = apps.get_model("events", "Occurrence")
    have = set(Occurrence.objects.values_list("event_id", flat=True))
    rows = [
        Occurrence(
            event_id=event.pk,
            start=event.start,
            end=event.end,
            original_start=event.start,
            status=event.status,
            cancellation_reason=event.cancellation_reason,
        )
        for event in Event.objects.exclude(pk__in=have).only("pk", "start", "end", "status", "cancellation_reason")
    ]
    Occurrence.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_occurrences_and_recurrence")]

    operations = [migrations.RunPython(add_occurrences, migrations.RunPython.noop)]
