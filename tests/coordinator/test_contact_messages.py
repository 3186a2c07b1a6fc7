"""Messages from residents: coordinators read what visitors wrote from the partnership page and mark it handled."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ContactMessage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])


def write(partnership, n, *, days_ago=0, **fields):
    message = ContactMessage.objects.create(
        partnership=partnership,
        name=fields.pop("name", f"Mieszkanka {n}"),
        email=f"mieszkanka{n}@example.org",
        reason=fields.pop("reason", "resident"),
        message=fields.pop("message", f"Treść wiadomości {n}"),
        **fields,
    )
    ContactMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return message


def home_url(partnership):
    return reverse("coordinator:partnership", kwargs={"slug": partnership.slug})


def list_url(partnership):
    return reverse("coordinator:contact_messages", kwargs={"slug": partnership.slug})


def handle_url(message):
    return reverse("coordinator:contact_message_handle", kwargs={"slug": message.partnership.slug, "pk": message.pk})


def test_the_partnership_page_shows_the_newest_messages_and_how_many_wait(coordinator_client, partnership):
    for n in range(5):
        write(partnership, n, days_ago=10 - n)
    write(factories.partnership(name="Inne partnerstwo"), 99)

    page = coordinator_client.get(home_url(partnership)).content.decode()

    section = page[page.index('id="wiadomosci"') : page.index('id="profil"')]
    assert "Wiadomości od mieszkańców" in section
    assert "Czeka na załatwienie: 5." in section
    assert [n for n in range(5) if f"Mieszkanka {n} –" in section] == [2, 3, 4]  # the newest three
    assert "Mieszkanka 99" not in page
    assert f'href="{list_url(partnership)}"' in section


def test_the_list_shows_every_message_with_its_sender_reason_and_text_escaped(coordinator_client, partnership):
    write(partnership, 1, reason="organisation", message="<script>alert(1)</script>\nDruga linia")
    write(partnership, 2, days_ago=3, reason="question")

    page = coordinator_client.get(list_url(partnership)).content.decode()

    assert page.count("<h1") == 1
    assert "chcę dołączyć jako organizacja" in page and "mam pytanie" in page
    assert '<a href="mailto:mieszkanka1@example.org">mieszkanka1@example.org</a>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Druga linia" in page
    assert page.index("Mieszkanka 1 –") < page.index("Mieszkanka 2 –")


def test_marking_a_message_handled_records_who_and_when_and_removes_the_button(
    coordinator_client, partnership, django_user_model
):
    message = write(partnership, 1)
    other = write(partnership, 2)

    response = coordinator_client.post(handle_url(message), follow=True)

    message.refresh_from_db()
    page = response.content.decode()
    assert message.handled_at is not None
    assert message.handled_by == django_user_model.objects.get(username="koordynatorka")
    assert "Oznaczono wiadomość jako załatwioną." in page
    assert "Załatwiona" in page and "Czeka na załatwienie: 1." in page
    assert handle_url(message) not in page and handle_url(other) in page


def test_marking_it_again_keeps_the_first_answer(coordinator_client, partnership, staff_user):
    message = write(partnership, 1)
    coordinator_client.post(handle_url(message))
    first = ContactMessage.objects.get(pk=message.pk)

    coordinator_client.force_login(staff_user)
    coordinator_client.post(handle_url(message))

    again = ContactMessage.objects.get(pk=message.pk)
    assert (again.handled_at, again.handled_by_id) == (first.handled_at, first.handled_by_id)


def test_without_messages_the_section_says_so(coordinator_client, partnership):
    page = coordinator_client.get(home_url(partnership)).content.decode()

    assert "Nikt jeszcze nie napisał przez formularz na stronie partnerstwa." in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_message_pages_run_a_fixed_number_of_queries(
    coordinator_client, partnership, count, django_assert_num_queries
):
    newest = write(partnership, "nowa")
    for n in range(count):
        message = write(partnership, n, days_ago=n + 1)
        if n % 2:
            message.handled_at = timezone.now()
            message.save()

    coordinator_client.get(list_url(partnership))  # the session and the user, loaded once
    with django_assert_num_queries(6):  # with whether the account has an authenticator app (common/otp.py)
        assert coordinator_client.get(list_url(partnership)).status_code == 200
    with django_assert_num_queries(9):  # with the row locked, in a transaction, and the account's app asked about
        assert coordinator_client.post(handle_url(newest)).status_code == 302
