"""Minutes of the network's meetings: shown on the meeting's page once published, PDF attachments only, and the
working-group meetings that belong to their group."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from common import documents
from events.models import Event, Minutes, MinutesAttachment
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:events_minutes_add")


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def stored_pdfs():
    root = Path(settings.MEDIA_ROOT) / "minutes"
    return sorted(root.glob("*")) if root.exists() else []


@pytest.fixture
def meeting():
    return factories.general_meeting(title="Spotkanie ogólne WSPL: przegląd roku", days=-20)


# --- the meeting's page ----------------------------------------------------------------------------------------


def test_published_minutes_show_on_the_meeting_page_with_groups_and_attachments(client, meeting):
    group = factories.working_group(name="Zespół ds. komunikacji")
    hidden_group = factories.working_group(name="Zespół w planach", is_published=False)
    minutes = factories.minutes(
        event_obj=meeting, body="# Ustalenia\n\n- **Zespół** działa dalej.", working_groups=[group, hidden_group]
    )
    attachment = factories.minutes_attachment(minutes_obj=minutes, title="Lista obecności")

    response = client.get(meeting.get_absolute_url())
    page = response.content.decode()

    assert 'id="protokol"' in page and "Protokół" in page
    assert "<h3>Ustalenia</h3>" in page and "<strong>Zespół</strong>" in page
    assert f'href="{group.get_absolute_url()}"' in page
    assert "Zespół w planach" not in page
    assert f'href="{attachment.file.url}"' in page
    assert "Lista obecności (PDF, 1 kB)" in text(response)


def test_draft_minutes_are_not_shown_to_the_public_but_to_staff_as_a_draft(client, staff_user, meeting):
    factories.minutes(event_obj=meeting, body="Szkic ustaleń zarządu.", is_published=False)

    page = text(client.get(meeting.get_absolute_url()))
    assert "Szkic ustaleń zarządu." not in page and "Protokół" not in page

    log_in(client, staff_user)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Szkic ustaleń zarządu." in page and "szkic – widzą go tylko pracownicy" in page


def test_minutes_of_an_unpublished_meeting_are_not_public(client, meeting):
    factories.minutes(event_obj=meeting, body="Ustalenia tajne.")
    Event.objects.filter(pk=meeting.pk).update(is_published=False)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert not Minutes.objects.public().exists()


def test_publishing_dates_the_minutes_once(meeting):
    minutes = factories.minutes(event_obj=meeting, is_published=False)
    assert minutes.published_at is None
    minutes.is_published = True
    minutes.save()
    first = minutes.published_at
    assert first is not None
    minutes.is_published = False
    minutes.save()
    minutes.is_published = True
    minutes.save()
    assert minutes.published_at == first


def test_other_events_pages_ask_nothing_about_minutes(client):
    local = factories.event(title="Piknik sąsiedzki", kind=Event.Kind.LOCAL)

    response, queries = count_queries(client, local.get_absolute_url())

    assert response.status_code == 200
    assert not [sql for sql in queries if "events_minutes" in sql]


# --- which events have minutes and belong to a group -------------------------------------------------------------


def test_minutes_only_for_general_and_working_group_meetings():
    picnic = factories.event(title="Piknik", kind=Event.Kind.LOCAL)

    with pytest.raises(ValidationError) as error:
        Minutes(event=picnic, body="Tekst").full_clean()

    assert error.value.message_dict["event"] == [
        "Protokół ma tylko spotkanie ogólne WSPL albo spotkanie zespołu roboczego."
    ]
    Minutes(event=factories.event(kind=Event.Kind.WORKING_GROUP), body="Tekst").full_clean()


def test_a_meeting_with_minutes_keeps_its_kind(meeting):
    factories.minutes(event_obj=meeting)
    meeting.kind = Event.Kind.LOCAL

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert "ma protokół" in error.value.message_dict["kind"][0]


def test_only_a_working_group_meeting_belongs_to_a_group():
    group = factories.working_group()
    training = factories.event(kind=Event.Kind.TRAINING)
    training.working_group = group

    with pytest.raises(ValidationError) as error:
        training.full_clean()
    assert error.value.message_dict["kind"] == [
        "Do zespołu roboczego należą tylko spotkania zespołu roboczego: wybierz ten rodzaj albo usuń zespół."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        training.save()

    meeting = factories.event(kind=Event.Kind.WORKING_GROUP, working_group=group)
    meeting.full_clean()
    group.delete()
    meeting.refresh_from_db()
    assert meeting.working_group is None  # the meeting stays in the agenda


def test_staff_set_the_group_of_a_meeting_in_the_event_admin(staff_client):
    group = factories.working_group(name="Zespół ds. dostępności")
    data = {
        "title": "Zespół ds. dostępności: lista kontrolna",
        "slug": "zespol-lista-kontrolna",
        "start_0": "2030-05-10",
        "start_1": "17:00",
        "end_0": "2030-05-10",
        "end_1": "19:00",
        "status": Event.Status.SCHEDULED,
        "is_published": "on",
        "working_group": group.pk,
    }

    refused = staff_client.post(reverse("admin:events_event_add"), {**data, "kind": Event.Kind.LOCAL})
    assert refused.status_code == 200
    assert "Do zespołu roboczego należą tylko spotkania zespołu roboczego" in text(refused)

    saved = staff_client.post(reverse("admin:events_event_add"), {**data, "kind": Event.Kind.WORKING_GROUP})
    assert saved.status_code == 302
    assert Event.objects.get(slug="zespol-lista-kontrolna").working_group == group


# --- attachments: PDF only -------------------------------------------------------------------------------------


def minutes_form(meeting, *uploads, **fields):
    data = {
        "event": meeting.pk,
        "body": "Ustalenia spotkania.",
        "is_published": "on",
        "attachments-TOTAL_FORMS": str(len(uploads)),
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, upload in enumerate(uploads):
        data[f"attachments-{index}-title"] = f"Załącznik {index + 1}"
        data[f"attachments-{index}-file"] = upload
    return data


def test_staff_add_minutes_with_a_pdf_stored_under_a_new_name(staff_client, meeting):
    upload = SimpleUploadedFile("Protokół <script>.pdf", factories.PDF, content_type="application/pdf")

    response = staff_client.post(ADD_URL, minutes_form(meeting, upload))

    assert response.status_code == 302, text(response)
    attachment = MinutesAttachment.objects.get()
    assert re.fullmatch(r"minutes/[0-9a-f]{16}\.pdf", attachment.file.name)
    assert attachment.size == len(factories.PDF)
    assert attachment.minutes.published_at is not None
    assert [path.read_bytes() for path in stored_pdfs()] == [factories.PDF]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lista.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Ten plik nie jest dokumentem PDF, choć ma taką nazwę."),
        ("lista.pdf", b"<script>alert(1)</script>", "Ten plik nie jest dokumentem PDF, choć ma taką nazwę."),
        ("lista.pdf.html", factories.PDF, "Można wgrać tylko plik PDF (z rozszerzeniem .pdf)."),
        ("lista.exe", factories.PDF, "Można wgrać tylko plik PDF (z rozszerzeniem .pdf)."),
        ("lista", factories.PDF, "Można wgrać tylko plik PDF (z rozszerzeniem .pdf)."),
        ("duzy.pdf", factories.PDF + b"0" * documents.MAX_BYTES, "Plik jest za duży: można wgrać najwyżej 10 MB."),
    ],
    ids=["png-named-pdf", "script-named-pdf", "double-extension", "exe", "no-extension", "too-large"],
)
def test_attachments_that_are_not_pdf_or_too_large_are_refused_in_polish(staff_client, meeting, name, content, message):
    response = staff_client.post(ADD_URL, minutes_form(meeting, SimpleUploadedFile(name, content)))

    assert response.status_code == 200
    assert message in text(response)
    assert not Minutes.objects.exists() and not MinutesAttachment.objects.exists()
    assert stored_pdfs() == []


def test_an_empty_file_is_refused(staff_client, meeting):
    response = staff_client.post(ADD_URL, minutes_form(meeting, SimpleUploadedFile("pusty.pdf", b"")))

    assert response.status_code == 200
    assert "Plik jest pusty." in text(response)
    assert not MinutesAttachment.objects.exists()


def test_minutes_of_another_kind_of_event_are_refused_in_the_admin(staff_client):
    picnic = factories.event(title="Piknik", kind=Event.Kind.LOCAL)

    response = staff_client.post(ADD_URL, minutes_form(picnic))

    assert response.status_code == 200
    assert "Protokół ma tylko spotkanie ogólne WSPL albo spotkanie zespołu roboczego." in text(response)


def test_a_replaced_or_removed_pdf_leaves_the_storage(staff_client, meeting, django_capture_on_commit_callbacks):
    minutes = factories.minutes(event_obj=meeting)
    attachment = factories.minutes_attachment(minutes_obj=minutes)
    old = Path(settings.MEDIA_ROOT) / attachment.file.name
    change_url = reverse("admin:events_minutes_change", args=[minutes.pk])
    data = minutes_form(meeting, **{"attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "1"})
    data.update({"attachments-0-id": attachment.pk, "attachments-0-minutes": minutes.pk, "attachments-0-title": "Nowa"})
    new_pdf = factories.PDF + b"% druga wersja\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url, {**data, "attachments-0-file": SimpleUploadedFile("n.pdf", new_pdf)})

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert not old.exists()
    assert [path.read_bytes() for path in stored_pdfs()] == [new_pdf]
    assert attachment.size == len(new_pdf)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url, {**data, "attachments-0-DELETE": "on"})

    assert response.status_code == 302
    assert not MinutesAttachment.objects.exists()
    assert stored_pdfs() == []


def test_bulk_publishing_dates_the_minutes(staff_client, meeting):
    minutes = factories.minutes(event_obj=meeting, is_published=False)

    staff_client.post(
        reverse("admin:events_minutes_changelist"), {"action": "publish_selected", "_selected_action": [minutes.pk]}
    )

    minutes.refresh_from_db()
    assert minutes.is_published and minutes.published_at is not None
    assert minutes.history.count() == 2


@pytest.mark.parametrize(
    ("size", "polish", "english"),
    [(300, "1 kB", "1 kB"), (120 * 1024, "120 kB", "120 kB"), (int(2.4 * 1024 * 1024), "2,4 MB", "2.4 MB")],
)
def test_sizes_read_as_people_write_them(size, polish, english):
    with translation.override("pl"):
        assert documents.size_label(size) == polish
    with translation.override("en"):
        assert documents.size_label(size) == english


def test_minutes_page_address_points_at_the_minutes(meeting):
    minutes = factories.minutes(event_obj=meeting)
    assert minutes.get_absolute_url() == f"{meeting.get_absolute_url()}#protokol"
    assert meeting.start < timezone.now() - timedelta(days=1)
