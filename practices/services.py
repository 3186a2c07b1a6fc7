"""Writes to good practices: a practice with its topics and participants, sending it for publication, publishing and
hiding it, deleting a draft, and its photos. `by` is kept as the author in the practice's history."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.history import authored
from common.images import replacing_images
from common.mail import queue_email
from network.models import Facts
from partnerships.models import unique_slug

from .models import Photo, Practice

MAX_PHOTOS = 8
PUBLISHED_NOT_DELETED = _("Opublikowanej praktyki nie usuwa się: najpierw ją ukryj.")


@transaction.atomic
def save_practice(*, practice, by, topics, organisations=(), partner_partnerships=()):
    """Create or change a practice (a new one is a draft) and its lists, in one transaction."""
    if practice.pk is None:
        practice.slug = unique_slug(Practice, practice.title)
    authored(practice, by).save()
    practice.topics.set(topics)
    practice.organisations.set(organisations)
    practice.partner_partnerships.set([p for p in partner_partnerships if p.pk != practice.partnership_id])
    return practice


def admin_path(practice):
    """The practice's page in the admin."""
    return reverse("admin:practices_practice_change", args=[practice.pk])


def submit_practice(*, practice, by, url_for=None):
    """Ask staff to publish a draft; the staff dashboard lists it until someone does.

    The network's address (Facts.contact_email) gets an e-mail with the link to the practice in the admin, once
    committed; `url_for(path)` makes that link absolute. Without that address nothing is sent.
    """
    practice.submitted_at = timezone.now()
    authored(practice, by).save(update_fields=["submitted_at", "updated_at"])
    to = Facts.current().contact_email
    if to:
        path = admin_path(practice)
        context = {"practice": practice, "link": url_for(path) if url_for else path}
        # Staff read the admin in Polish, whatever the language of the coordinator's page.
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("practices/email/submitted_subject.txt", context).strip()
            body = render_to_string("practices/email/submitted.txt", context)
        queue_email(subject, body, [to])
    return practice


def publish_practice(*, practice, by, reason=""):
    """Publish a practice (`reason`: the history's change reason, e.g. a bulk action in the admin)."""
    if not practice.may_publish(by):
        raise PermissionDenied
    practice.is_published = True
    practice.published_at = practice.published_at or timezone.now()
    practice._change_reason = reason or None  # simple-history's documented change reason
    authored(practice, by).save(update_fields=["is_published", "published_at", "updated_at"])
    return practice


def unpublish_practice(*, practice, by, reason=""):
    """Back to the drafts (nobody has to ask again: it is no longer waiting)."""
    practice.is_published = False
    practice.submitted_at = None
    practice._change_reason = reason or None
    authored(practice, by).save(update_fields=["is_published", "submitted_at", "updated_at"])
    return practice


def delete_draft(*, practice, by):
    """Delete a practice that was never published, with its photos (their files go once committed)."""
    if practice.is_published:
        raise ValidationError(PUBLISHED_NOT_DELETED)
    with transaction.atomic():
        for photo in practice.photos.all():
            remove_photo(photo=photo, by=by)
        authored(practice, by).delete()


def check_room_for_photo(practice):
    """A ValidationError when the practice has MAX_PHOTOS photos already."""
    if practice.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("Praktyka ma już %(limit)d zdjęć – usuń jedno, żeby dodać nowe."), params={"limit": MAX_PHOTOS}
        )


def add_photo(*, practice, image, alt, caption="", by=None):
    """Add a photo at the end (at most MAX_PHOTOS: lock the practice's row first to count them safely)."""
    check_room_for_photo(practice)
    photo = Photo(practice=practice, alt=alt, caption=caption, order=practice.photos.count())
    with replacing_images(photo, {"image": image}), transaction.atomic():
        authored(photo, by).save()
    return photo


def remove_photo(*, photo, by=None):
    """Delete a photo with its history record; its files go once committed (practices/apps.py)."""
    with transaction.atomic():
        authored(photo, by).delete()
