"""Work out the dates of every event again (after bulk inserts or updates that bypass save())."""

from django.core.management.base import BaseCommand

from events.services import rebuild_all


class Command(BaseCommand):
    help = "Rebuilds the Occurrence rows of every event from its start, end and recurrence rule."

    def handle(self, *args, **options):
        count = rebuild_all()
        self.stdout.write(f"Rebuilt the dates of {count} events.")
