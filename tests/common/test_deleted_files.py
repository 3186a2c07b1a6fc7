"""A deleted row's files leave the storage once the deletion is committed (common.images.delete_files_with_rows):
however the row went, its photo, logo or PDF is no longer served at its address."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from common import images
from events.models import Event
from members.services import merge_organisations
from practices.models import Photo
from tests import factories
from tests.wspl_site.test_admin import admin_url

pytestmark = pytest.mark.django_db


def stored_image(directory, width=1600):
    """A JPEG stored through the pipeline, wide enough for every resized copy: (name, width)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, width // 2), "teal").save(buffer, "JPEG")
    stored = images.store_image(SimpleUploadedFile("zdjecie.jpg", buffer.getvalue(), "image/jpeg"), directory)
    return stored.name, stored.width


def files_of(name):
    return [name, *(images.variant_name(name, width) for width in images.WIDTHS)]


def kept(name):
    return [path for path in files_of(name) if default_storage.exists(path)]


def test_events_deleted_in_the_admins_bulk_action_take_their_photos_and_copies(
    staff_client, django_capture_on_commit_callbacks
):
    name, width = stored_image("events")
    event = factories.event(image=name, image_width=width, image_alt="Piknik")
    assert kept(name) == files_of(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            admin_url(Event, "changelist"),
            {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert kept(name) == []


def test_a_deleted_partnership_takes_its_logo_and_its_practices_photos(django_capture_on_commit_callbacks):
    logo, logo_width = stored_image("partnerships/logos", width=400)
    photo_name, photo_width = stored_image("practices")
    partnership = factories.partnership(logo=logo, logo_width=logo_width, logo_alt="Logo")
    practice = factories.practice(partnership_obj=partnership)
    Photo.objects.create(practice=practice, image=photo_name, image_width=photo_width, alt="Sąsiedzi przy stole")

    with django_capture_on_commit_callbacks(execute=True):
        partnership.delete()

    assert not Photo.objects.exists()
    assert kept(logo) == []
    assert kept(photo_name) == []


def test_deleted_minutes_take_their_pdf_attachments(django_capture_on_commit_callbacks):
    attachment = factories.minutes_attachment()
    pdf = attachment.file.name
    assert default_storage.exists(pdf)

    with django_capture_on_commit_callbacks(execute=True):
        attachment.minutes.event.delete()

    assert not default_storage.exists(pdf)


def test_files_stay_when_the_deletion_is_rolled_back():
    name, width = stored_image("events")
    event = factories.event(image=name, image_width=width, image_alt="Piknik")
    pk = event.pk

    with transaction.atomic():
        event.delete()
        transaction.set_rollback(True)

    assert Event.objects.filter(pk=pk).exists()
    assert kept(name) == files_of(name)


def test_a_merge_keeps_the_logo_the_remaining_organisation_took_over(staff_user, django_capture_on_commit_callbacks):
    logo, width = stored_image("organisations/logos", width=400)
    keep = factories.organisation(name="Fundacja Sady")
    remove = factories.organisation(name="Fundacja Sady (duplikat)", logo=logo, logo_width=width, logo_alt="Logo")
    stored = kept(logo)
    assert stored == [logo, images.variant_name(logo, 160)]

    with django_capture_on_commit_callbacks(execute=True):
        kept_organisation = merge_organisations(keep=keep, remove=remove, by=staff_user)

    assert kept_organisation.logo.name == logo
    assert kept(logo) == stored
