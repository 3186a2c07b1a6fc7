"""Writes of the coordinator area: invitations, rights, and every save a coordinator or staff makes.

Verb-first functions with keyword-only arguments (HackSoft services, zulip `do_*`). Each one
that touches several rows runs in one transaction, records `by` as the author of the change
in the history, and removes uploaded files again when the save fails, so nothing stays
half-saved. Views call these; they never save models themselves.

`members` must not import `events`: events reach us as instances, and the Event model,
when needed, through `permissions.event_model()`.
"""

import hashlib
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.images import delete_image, store_image
from members.models import CoordinatorAccess, Invitation, Organisation, Person
from partnerships.models import unique_slug

from .permissions import event_model

INVITATION_VALID_FOR = timedelta(days=7)


class InvitationError(Exception):
    """An invitation that cannot be used (any more); the message says why, in Polish."""


# --- history and files --------------------------------------------------------------------


def _by(instance, by):
    """Record `by` as the author of the change in the instance's history."""
    if by is not None and by.is_authenticated:
        instance._history_user = by
    return instance


@contextmanager
def replacing_images(instance, uploads):
    """Store new uploads on image fields of `instance`; undo on failure, clean up on success.

    `uploads` maps a field name to an uploaded file (store it), False (remove the image)
    or None (leave it). New files are deleted again if anything inside the block fails;
    the replaced files (and their resized copies) are deleted once the change is committed.
    """
    created, replaced = [], []
    try:
        for field_name, upload in uploads.items():
            if upload is None:
                continue
            old_name = getattr(instance, field_name).name
            new_name = ""
            if upload is not False:
                directory = instance._meta.get_field(field_name).upload_to
                new_name = store_image(upload, directory)
                created.append(new_name)
            setattr(instance, field_name, new_name)
            if old_name:
                replaced.append(old_name)
        yield
    except BaseException:
        for name in created:
            delete_image(name)
        raise
    transaction.on_commit(lambda: [delete_image(name) for name in replaced])


# --- invitations and rights ---------------------------------------------------------------


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite_coordinator(*, email, partnership, by, url_for):
    """Create a one-time invitation and e-mail its link; `url_for(path)` makes the link absolute.

    If the e-mail cannot be sent, the invitation is not kept.
    """
    email = email.strip()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            partnership=partnership,
            token_hash=_token_hash(token),
            invited_by=by if by is not None and by.is_authenticated else None,
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
        context = {
            "invitation": invitation,
            "partnership": partnership,
            "link": url_for(reverse("account:invitation", kwargs={"token": token})),
            "valid_days": INVITATION_VALID_FOR.days,
        }
        subject = render_to_string("registration/invitation_subject.txt", context).strip()
        body = render_to_string("registration/invitation_email.txt", context)
        send_mail(subject, body, None, [email])
    return invitation


def find_invitation(*, token):
    """The invitation of a token from a link, whatever its state, or None."""
    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("partnership").filter(token_hash=_token_hash(token)).first()


def invitation_problem(invitation):
    """Why the invitation cannot be used, in Polish, or "" when it can."""
    if invitation is None:
        return _("Ten link zaproszenia jest nieprawidłowy. Sprawdź, czy skopiowano go w całości.")
    if invitation.accepted_at is not None:
        return _("To zaproszenie zostało już wykorzystane. Zaloguj się na swoje konto.")
    if invitation.revoked_at is not None:
        return _("To zaproszenie zostało wycofane. Jeśli to pomyłka, napisz do BORIS.")
    if invitation.expires_at <= timezone.now():
        return _("To zaproszenie wygasło. Poproś BORIS o nowe.")
    return ""


def account_for_email(email):
    return get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()


def accept_invitation(*, invitation, user):
    """Give `user` the edit rights of an invitation; the invitation can never be used again."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        problem = invitation_problem(locked)
        if problem:
            raise InvitationError(problem)
        CoordinatorAccess.objects.get_or_create(user=user, partnership_id=locked.partnership_id)
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return locked


def register_coordinator(*, invitation, password, first_name="", last_name=""):
    """Create the account of an invited person (login = their e-mail) and accept the invitation."""
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username__iexact=invitation.email).exists() or account_for_email(invitation.email):
            raise InvitationError(_("Konto z tym adresem e-mail już istnieje. Zaloguj się, aby przyjąć zaproszenie."))
        user = user_model(
            username=invitation.email.lower(),
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
        )
        user.set_password(password)
        user.save()
        accept_invitation(invitation=invitation, user=user)
    return user


def revoke_invitation(*, invitation, by):
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def revoke_access(*, access, by):
    """Withdraw a user's edit rights to one partnership (and the pending invitations for it)."""
    with transaction.atomic():
        Invitation.objects.filter(
            partnership_id=access.partnership_id,
            email__iexact=access.user.email or "-",
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        access.delete()


# --- the partnership ----------------------------------------------------------------------


def update_partnership(*, form, by):
    """Save the profile form of a partnership (fields and districts) in one transaction."""
    with transaction.atomic():
        partnership = _by(form.save(commit=False), by)
        partnership.save()
        form.save_m2m()
    return partnership


def update_partnership_images(*, partnership, uploads, by):
    with replacing_images(partnership, uploads), transaction.atomic():
        _by(partnership, by).save()
    return partnership


def confirm_partnership_data(*, partnership, by):
    """ "Potwierdzam aktualność danych": stamp today's date."""
    partnership.last_verified_on = timezone.localdate()
    _by(partnership, by).save()
    return partnership


# --- members ------------------------------------------------------------------------------


def add_member(*, membership, partnership, by):
    """Add an organisation (already in the directory) to a partnership."""
    membership.partnership = partnership
    membership.full_clean()
    _by(membership, by).save()
    return membership


def add_new_member(*, organisation, membership, partnership, by, logo=None):
    """Create an organisation on the spot and make it a member, both or neither."""
    with replacing_images(organisation, {"logo": logo}), transaction.atomic():
        organisation.slug = unique_slug(Organisation, organisation.name)
        _by(organisation, by).save()
        membership.organisation = organisation
        membership.partnership = partnership
        membership.full_clean()
        _by(membership, by).save()
    return membership


def save_record(*, record, by):
    """Save a membership or a team role edited by `by` (who is kept in its history)."""
    _by(record, by).save()
    return record


def end_period(*, record, until, by):
    """End a membership or a team role on a day; the row stays as history (a former member)."""
    record.until = until
    record.full_clean()
    _by(record, by).save()
    return record


def save_organisation(*, organisation, logo=None, by):
    with replacing_images(organisation, {"logo": logo}), transaction.atomic():
        _by(organisation, by).save()
    return organisation


# --- team ---------------------------------------------------------------------------------


def add_team_member(*, partnership, role, person, by, photo=None):
    """Add a role in the team; `person` is new (unsaved) or already in the team."""
    with replacing_images(person, {"photo": photo}), transaction.atomic():
        if person.pk is None:
            person.slug = unique_slug(Person, f"{person.first_name} {person.last_name}")
            _by(person, by).save()
        role.person = person
        role.partnership = partnership
        role.full_clean()
        _by(role, by).save()
    return role


def save_person(*, person, photo=None, by):
    with replacing_images(person, {"photo": photo}), transaction.atomic():
        _by(person, by).save()
    return person


# --- places -------------------------------------------------------------------------------


def save_place(*, place, partnership, by):
    """Save a place; a new one becomes a meeting place of the partnership."""
    with transaction.atomic():
        if place.pk is None:
            place.slug = unique_slug(type(place), place.name)
        _by(place, by).save()
        partnership.places.add(place)
    return place


def unlink_place(*, place, partnership, by):
    """The partnership no longer meets there; the place itself stays (events may use it)."""
    partnership.places.remove(place)


# --- events -------------------------------------------------------------------------------


def _event_slug(title, start):
    return unique_slug(event_model(), f"{title} {timezone.localtime(start):%Y-%m-%d}")


def save_event(*, event, partnership, co_organisers, by, image=None):
    """Create or change an event of `partnership`, with its co-organisers, in one transaction."""
    with replacing_images(event, {"image": image}), transaction.atomic():
        if event.pk is None:
            event.slug = _event_slug(event.title, event.start)
        # Event.save() grows `sequence` (iCalendar SEQUENCE) by one on every change.
        _by(event, by).save()
        event.organisers.set({partnership, *co_organisers})
    return event


def cancel_event(*, event, reason, by):
    with transaction.atomic():
        event.status = type(event).Status.CANCELLED
        event.cancellation_reason = reason
        event.full_clean()
        _by(event, by).save()
    return event


def duplicate_event(*, event, start, by):
    """A copy of the event on a new date (same length, organisers and place; no photo, scheduled)."""
    length = event.end - event.start
    organisers = list(event.organisers.all())
    with transaction.atomic():
        copy = type(event).objects.get(pk=event.pk)
        copy.pk = copy.id = None
        copy._state.adding = True
        copy.start, copy.end = start, start + length
        copy.status = type(event).Status.SCHEDULED
        copy.cancellation_reason = ""
        copy.image, copy.image_alt = "", ""
        copy.sequence = 0
        copy.slug = _event_slug(copy.title, start)
        copy.full_clean()
        _by(copy, by).save()
        copy.organisers.set(organisers)
    return copy
