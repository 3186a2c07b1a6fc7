"""Writes to events: a whole event (save, cancel, duplicate) and single dates of a series.

A change of one date (cancel, skip, move, restore) touches only that date (the rest of the
series stays as it was), raises the event's SEQUENCE so calendar clients take the change,
and survives a later rebuild of the series' dates. A whole event is saved with its
organisers in one transaction, with `by` kept as the author in its history.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import authored
from common.images import replacing_images
from common.validators import check_years
from partnerships.models import unique_slug

from .models import Event, Occurrence


def _check_dates(start, end):
    """Both ends in the years 2000–2100 (common/validators.py); `end` is the moment after the last one, so an
    all-day date on 31 December 2100 (ending at 2101-01-01 00:00) is allowed."""
    check_years(start, end - timedelta(microseconds=1))


def _touch(event, by=None):
    """Count a change of one date as a change of the event (SEQUENCE, updated_at, history by `by`)."""
    authored(event, by).save(update_fields=["sequence", "updated_at"])


def _locked(occurrence):
    return Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence.pk)


@transaction.atomic
def cancel_occurrence(*, occurrence, reason="", by=None):
    """Cancel one date; it stays listed (and in the feeds) as cancelled, with the reason.

    The only date of a single event is cancelled by cancelling the event itself.
    """
    occurrence = _locked(occurrence)
    event = occurrence.event
    if not event.recurrence:
        event.status, event.cancellation_reason = Event.Status.CANCELLED, reason.strip()
        authored(event, by).save()
        return event.occurrences.get()
    occurrence.status = Occurrence.Status.CANCELLED
    occurrence.cancellation_reason = reason.strip()
    occurrence.save()
    _touch(occurrence.event, by)
    return occurrence


@transaction.atomic
def skip_occurrence(*, occurrence, reason="", by=None):
    """Take one date out of a series without announcing a cancellation (e.g. a holiday).

    The public lists leave it out (calendars get an EXDATE); the reason is for the editors only.
    """
    occurrence = _locked(occurrence)
    if not occurrence.event.recurrence:
        raise ValidationError(_("Pominąć można tylko termin cyklu – pojedyncze wydarzenie się odwołuje."))
    occurrence.status = Occurrence.Status.SKIPPED
    occurrence.cancellation_reason = reason.strip()
    occurrence.save()
    _touch(occurrence.event, by)
    return occurrence


@transaction.atomic
def move_occurrence(*, occurrence, start, end=None, by=None):
    """Move one date of a series to another time; by default it keeps its length."""
    occurrence = _locked(occurrence)
    if not occurrence.event.recurrence:
        raise ValidationError(_("Pojedyncze wydarzenie przenosi się, zmieniając jego początek i koniec."))
    end = end or start + (occurrence.end - occurrence.start)
    if end <= start:
        raise ValidationError(_("Termin musi skończyć się później, niż się zaczyna."))
    _check_dates(start, end)
    occurrence.start, occurrence.end = start, end
    occurrence.save()
    _touch(occurrence.event, by)
    return occurrence


@transaction.atomic
def restore_occurrence(*, occurrence, by=None):
    """Undo a cancellation, skip or move: the date is again as the rule says."""
    occurrence = _locked(occurrence)
    event = occurrence.event
    occurrence.status = Occurrence.Status.SCHEDULED
    occurrence.cancellation_reason = ""
    occurrence.start = occurrence.original_start
    occurrence.end = occurrence.original_start + (event.end - event.start)
    occurrence.save()
    _touch(event, by)
    event.rebuild_occurrences()
    return occurrence


def rebuild_all(events=None):
    """Work out the dates of many events again, e.g. after bulk_create() or update(); returns how many."""
    count = 0
    for event in (events if events is not None else Event.objects.all()).iterator(chunk_size=500):
        event.rebuild_occurrences()
        count += 1
    return count


# --- an event as a whole (the coordinator area) ----------------------------------------------


def _event_slug(title, start):
    return unique_slug(Event, f"{title} {timezone.localtime(start):%Y-%m-%d}")


def save_event(*, event, partnership, co_organisers, by, image=None):
    """Create or change an event of `partnership`, with its co-organisers, in one transaction."""
    _check_dates(event.start, event.end)
    with replacing_images(event, {"image": image}), transaction.atomic():
        if event.pk is None:
            event.slug = _event_slug(event.title, event.start)
        # Event.save() grows `sequence` (iCalendar SEQUENCE) by one on every change.
        authored(event, by).save()
        event.organisers.set({partnership, *co_organisers})
    return event


def cancel_event(*, event, reason, by):
    with transaction.atomic():
        event.status = Event.Status.CANCELLED
        event.cancellation_reason = reason
        event.full_clean()
        authored(event, by).save()
    return event


def duplicate_event(*, event, start, by):
    """A copy of the event on a new date (same length, organisers and place; no photo, scheduled)."""
    length = event.end - event.start
    organisers = list(event.organisers.all())
    with transaction.atomic():
        original = Event.objects.get(pk=event.pk)
        fields = [field.attname for field in Event._meta.concrete_fields if not field.primary_key]
        copy = Event(**{name: getattr(original, name) for name in fields})
        copy.start, copy.end = start, start + length
        _check_dates(copy.start, copy.end)
        copy.status = Event.Status.SCHEDULED
        copy.cancellation_reason = ""
        copy.image, copy.image_alt = "", ""
        copy.sequence = 0
        copy.slug = _event_slug(copy.title, start)
        copy.full_clean()
        authored(copy, by).save()
        copy.organisers.set(organisers)
    return copy
