"""The admin of good practices: photos uploaded in the practice's form go through the site's image checks, the
"waiting for publication" filter, and publishing through the services."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from practices.models import Practice
from tests import factories

pytestmark = pytest.mark.django_db


def image(kind="PNG", width=300, height=200):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 140)).save(buffer, kind)
    return SimpleUploadedFile(f"zdjecie.{kind.lower()}", buffer.getvalue(), content_type=f"image/{kind.lower()}")


def form_data(practice, photo):
    return {
        "partnership": practice.partnership_id,
        "title": practice.title,
        "slug": practice.slug,
        "summary": practice.summary,
        "problem": practice.problem,
        "steps": practice.steps,
        "topics": [factories.topic().pk],
        "is_published": "on",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-image": photo,
        "photos-0-alt": "Sąsiedzi przy stole",
        "photos-0-caption": "",
        "photos-0-order": "0",
    }


def test_a_photo_uploaded_in_the_admin_is_checked_and_stored_through_the_pipeline(staff_client):
    practice = factories.practice(published=False)
    url = reverse("admin:practices_practice_change", args=[practice.pk])

    # A GIF is an image Django's own field takes; the site's pipeline does not.
    refused = staff_client.post(url, form_data(practice, image("GIF")))
    assert refused.status_code == 200
    assert "Obsługujemy tylko obrazy JPEG, PNG i WebP (ten plik to GIF)." in refused.content.decode()
    assert not practice.photos.exists()

    saved = staff_client.post(url, form_data(practice, image()))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    photo = practice.photos.get()
    assert photo.image_width == 300 and photo.image.name.startswith("practices/")
    practice.refresh_from_db()
    assert practice.is_published and practice.published_at is not None  # published in the form: dated


def test_waiting_filter_lists_the_drafts_sent_for_publication(staff_client):
    factories.practice(title="Gazetka zgłoszona", published=False, submitted_at="2026-01-05T10:00Z")
    factories.practice(title="Szkic roboczy", published=False)

    page = staff_client.get(reverse("admin:practices_practice_changelist"), {"czeka": "tak"}).content.decode()

    assert "Gazetka zgłoszona" in page and "Szkic roboczy" not in page


def test_publish_action_dates_the_practice_and_names_the_staff_member(staff_client, staff_user):
    practice = factories.practice(published=False)

    staff_client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish_selected", "_selected_action": [practice.pk]},
    )

    practice = Practice.objects.get(pk=practice.pk)
    assert practice.is_published and practice.published_at is not None
    assert practice.history.latest("history_date").history_user == staff_user


def test_unticking_published_in_the_form_takes_a_practice_back_to_the_drafts(staff_client):
    practice = factories.practice(title="Do ukrycia", published=True, submitted_at=timezone.now())
    data = form_data(practice, "")
    del data["is_published"]
    data["photos-TOTAL_FORMS"] = "0"

    response = staff_client.post(reverse("admin:practices_practice_change", args=[practice.pk]), data)

    assert response.status_code == 302
    practice.refresh_from_db()
    assert not practice.is_published and practice.submitted_at is None
    assert not Practice.objects.waiting().filter(pk=practice.pk).exists()
