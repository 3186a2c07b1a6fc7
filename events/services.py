"""Writes to events: a whole event (save, cancel, duplicate) and single dates of a series.

A change of one date (cancel, skip, move, restore) touches only that date (the rest of the
series stays as it was), raises the event's SEQUENCE so calendar clients take the change,
and survives a later rebuild of the series' dates. A whole event is saved with its
organisers in one transaction, with `by` kept as the author in its history.

Co-organisers: a partnership becomes an organiser of another one's event only when it agrees. Naming one the saving
coordinator does not edit creates a CoOrganiserInvitation and e-mails its coordinators; it joins the organisers
when one of them (or staff) accepts. `Event.organisers` thus holds accepted organisers only, which every public
page, feed, widget and data set reads.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.history import authored, known_user
from common.images import replacing_images
from common.mail import queue_email
from common.validators import check_years
from partnerships.models import CoordinatorAccess, Partnership, unique_slug

from .models import CoOrganiserInvitation, Event, Occurrence


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


def site_url(path):
    """An absolute link for an e-mail written without a visitor's request."""
    return settings.SITE_URL + path


def save_event(*, event, partnership, co_organisers, by, image=None, url_for=site_url):
    """Create or change an event of `partnership`, with its co-organisers, in one transaction.

    `co_organisers` are the other partnerships the coordinator wants: see `set_co_organisers()`. `url_for(path)`
    makes the link of the invitations' e-mail absolute.
    """
    _check_dates(event.start, event.end)
    with replacing_images(event, {"image": image}), transaction.atomic():
        if event.pk is None:
            event.slug = _event_slug(event.title, event.start)
        # Event.save() grows `sequence` (iCalendar SEQUENCE) by one on every change.
        authored(event, by).save()
        set_co_organisers(event=event, partnership=partnership, wanted=co_organisers, by=by, url_for=url_for)
    return event


def joins_directly(*, event, partnerships, by):
    """Those of `partnerships` that need no invitation to organise `event`: its accepted organisers, and the
    partnerships `by` edits (a coordinator of both, or staff: their choice is the acceptance)."""
    ids = {p.pk for p in partnerships}
    direct = set(Partnership.objects.editable_by(by).filter(pk__in=ids).values_list("pk", flat=True))
    if event.pk is not None:
        direct |= set(event.organisers.filter(pk__in=ids).values_list("pk", flat=True))
    return direct


def set_co_organisers(*, event, partnership, wanted, by, url_for=site_url):
    """Make the event's other organisers what the coordinator of `partnership` chose.

    Accepted organisers and partnerships `by` edits are organisers at once; any other is invited (a pending
    invitation, one e-mail to each of its coordinators) and does not organise the event until it accepts. A
    partnership left out loses its place among the organisers, and its pending invitation is withdrawn; a declined
    invitation stays on record and is not sent again (the form says so).
    """
    wanted = {p for p in wanted if p.pk != partnership.pk}
    direct_ids = joins_directly(event=event, partnerships=wanted, by=by)
    invited = {p for p in wanted if p.pk not in direct_ids}
    event.organisers.set({partnership.pk, *direct_ids})
    invitations = event.co_organiser_invitations.all()
    # A partnership that now organises the event, and had an invitation not accepted, joined by `by`'s choice.
    _accept_joined(invitations, direct_ids, by)
    invitations.pending().exclude(partnership__in=[p.pk for p in invited]).delete()
    asked = invitations.select_for_update().filter(partnership__in=invited)
    known = {invitation.partnership_id: invitation for invitation in asked}
    for guest in sorted(invited, key=lambda p: p.pk):
        invitation = known.get(guest.pk)
        if invitation is not None and invitation.status == CoOrganiserInvitation.Status.PENDING:
            continue  # already asked: no second e-mail
        if invitation is not None and invitation.status == CoOrganiserInvitation.Status.DECLINED:
            raise ValidationError(declined_message(guest))
        invitation = invitation or CoOrganiserInvitation(event=event, partnership=guest)
        invitation.inviter, invitation.invited_by = partnership, known_user(by)
        invitation.invited_at = timezone.now()
        invitation.status, invitation.decided_by, invitation.decided_at = (
            CoOrganiserInvitation.Status.PENDING,
            None,
            None,
        )
        invitation.save()
        _queue_invitation_email(invitation, url_for)


def declined_message(partnership):
    return _(
        "Partnerstwo „%(name)s” odrzuciło zaproszenie do współorganizacji tego wydarzenia. Jego koordynatorzy "
        "mogą je jeszcze przyjąć, ale ponownie zaprosić go nie można."
    ) % {"name": partnership.name}


def _decide(invitations, status, by):
    invitations.update(status=status, decided_by=known_user(by), decided_at=timezone.now())


def _accept_joined(invitations, organiser_ids, by):
    """The invitations of partnerships that organise the event now (set by `by`) count as accepted by `by`."""
    joined = invitations.exclude(status=CoOrganiserInvitation.Status.ACCEPTED).filter(partnership__in=organiser_ids)
    _decide(joined, CoOrganiserInvitation.Status.ACCEPTED, by)


def _queue_invitation_email(invitation, url_for):
    """One e-mail to each active coordinator of the invited partnership: they do not see one another's addresses."""
    guest = invitation.partnership
    recipients = sorted(
        set(
            CoordinatorAccess.objects.filter(partnership=guest, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return  # staff see invitations nobody answers on their dashboard
    path = reverse("coordinator:partnership", kwargs={"slug": guest.slug})
    context = {
        "event": invitation.event,
        "partnership": guest,
        "inviter": invitation.inviter,
        "link": url_for(path) + "#wspolorganizacja",
    }
    # Coordinators read the site in Polish; the e-mail is not written in a visitor's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("events/email/co_organiser_invitation_subject.txt", context).strip()
        body = render_to_string("events/email/co_organiser_invitation.txt", context)
    for email in recipients:
        queue_email(subject, body, [email])


def accept_co_organiser_invitation(*, invitation, by):
    """The invited partnership agrees: it organises the event from now on, everywhere the event is shown.

    The event's history names `by`, and its SEQUENCE grows so calendars take the change. An invitation declined
    earlier may still be accepted.
    """
    with transaction.atomic():
        locked = CoOrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status == CoOrganiserInvitation.Status.ACCEPTED:
            raise ValidationError(_("To zaproszenie zostało już zaakceptowane."))
        _decide(CoOrganiserInvitation.objects.filter(pk=locked.pk), CoOrganiserInvitation.Status.ACCEPTED, by)
        event = Event.objects.select_for_update().get(pk=locked.event_id)
        authored(event, by)
        event.save(update_fields=["sequence", "updated_at"])
        event.organisers.add(locked.partnership_id)
    locked.refresh_from_db()
    return locked


def decline_co_organiser_invitation(*, invitation, by):
    """The invited partnership does not co-organise the event; the inviting side sees the answer."""
    with transaction.atomic():
        locked = CoOrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != CoOrganiserInvitation.Status.PENDING:
            raise ValidationError(
                _("To zaproszenie zostało już odrzucone.")
                if locked.is_declined
                else _("To zaproszenie zostało już zaakceptowane.")
            )
        _decide(CoOrganiserInvitation.objects.filter(pk=locked.pk), CoOrganiserInvitation.Status.DECLINED, by)
    locked.refresh_from_db()
    return locked


def settle_co_organiser_invitations(*, event, by):
    """After staff set the organisers in the admin: the invitation of a partnership that now organises the event
    is accepted, by them (staff acting is the acceptance)."""
    _accept_joined(event.co_organiser_invitations.all(), event.organisers.values("pk"), by)


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
