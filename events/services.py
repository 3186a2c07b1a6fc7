"""Changes to single dates of a series: cancel, skip, move, restore.

Each touches only the one date (the rest of the series stays as it was), raises
the event's SEQUENCE so calendar clients take the change, and survives a later
rebuild of the series' dates.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Event, Occurrence


def _touch(event):
    """Count a change of one date as a change of the event (SEQUENCE, updated_at, history)."""
    event.save(update_fields=["sequence", "updated_at"])


def _locked(occurrence):
    return Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence.pk)


@transaction.atomic
def cancel_occurrence(*, occurrence, reason=""):
    """Cancel one date; it stays listed (and in the feeds) as cancelled, with the reason.

    The only date of a single event is cancelled by cancelling the event itself.
    """
    occurrence = _locked(occurrence)
    event = occurrence.event
    if not event.recurrence:
        event.status, event.cancellation_reason = Event.Status.CANCELLED, reason.strip()
        event.save()
        return event.occurrences.get()
    occurrence.status = Occurrence.Status.CANCELLED
    occurrence.cancellation_reason = reason.strip()
    occurrence.save()
    _touch(occurrence.event)
    return occurrence


@transaction.atomic
def skip_occurrence(*, occurrence):
    """Take one date out of a series without announcing a cancellation (e.g. a holiday)."""
    occurrence = _locked(occurrence)
    if not occurrence.event.recurrence:
        raise ValidationError(_("Pominąć można tylko termin cyklu – pojedyncze wydarzenie się odwołuje."))
    occurrence.status = Occurrence.Status.SKIPPED
    occurrence.cancellation_reason = ""
    occurrence.save()
    _touch(occurrence.event)
    return occurrence


@transaction.atomic
def move_occurrence(*, occurrence, start, end=None):
    """Move one date of a series to another time; by default it keeps its length."""
    occurrence = _locked(occurrence)
    if not occurrence.event.recurrence:
        raise ValidationError(_("Pojedyncze wydarzenie przenosi się, zmieniając jego początek i koniec."))
    end = end or start + (occurrence.end - occurrence.start)
    if end <= start:
        raise ValidationError(_("Termin musi skończyć się później, niż się zaczyna."))
    occurrence.start, occurrence.end = start, end
    occurrence.save()
    _touch(occurrence.event)
    return occurrence


@transaction.atomic
def restore_occurrence(*, occurrence):
    """Undo a cancellation, skip or move: the date is again as the rule says."""
    occurrence = _locked(occurrence)
    event = occurrence.event
    occurrence.status = Occurrence.Status.SCHEDULED
    occurrence.cancellation_reason = ""
    occurrence.start = occurrence.original_start
    occurrence.end = occurrence.original_start + (event.end - event.start)
    occurrence.save()
    _touch(event)
    event.rebuild_occurrences()
    return occurrence


def rebuild_all(events=None):
    """Work out the dates of many events again, e.g. after bulk_create() or update(); returns how many."""
    count = 0
    for event in (events if events is not None else Event.objects.all()).iterator(chunk_size=500):
        event.rebuild_occurrences()
        count += 1
    return count
