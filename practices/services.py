"""Writes to good practices: a practice with its topics and participants, sending it for publication, publishing and
hiding it, and its photos. `by` is kept as the author in the practice's history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from common.history import authored
from common.images import replacing_images
from partnerships.models import unique_slug

from .models import Photo, Practice


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


def submit_practice(*, practice, by):
    """Ask staff to publish a draft; the staff dashboard lists it until someone does."""
    practice.submitted_at = timezone.now()
    authored(practice, by).save(update_fields=["submitted_at", "updated_at"])
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


def add_photo(*, practice, image, alt, caption="", by=None):
    photo = Photo(practice=practice, alt=alt, caption=caption, order=practice.photos.count())
    with replacing_images(photo, {"image": image}), transaction.atomic():
        authored(photo, by).save()
    return photo


def remove_photo(*, photo, by=None):
    with replacing_images(photo, {"image": False}), transaction.atomic():
        authored(photo, by).delete()
