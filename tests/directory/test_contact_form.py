""" "Dołącz / Skontaktuj się": a visitor writes to a partnership from its page; its coordinators get the message."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from common.cache.version import writes_public_table
from directory.contact import CONTACT_LIMIT
from network.models import Facts
from partnerships.models import ContactMessage, CoordinatorAccess
from tests import factories

pytestmark = pytest.mark.django_db

COORDINATOR_EMAILS = ("ola.koordynatorka@example.org", "piotr.animator@example.org")


@pytest.fixture(autouse=True)
def _empty_counters():
    """The rate limit counts in the default cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partnership():
    partnership = factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])
    users = get_user_model().objects
    for n, email in enumerate(COORDINATOR_EMAILS):
        user = users.create_user(username=f"koordynator-{n}", email=email, password="haslo-testowe-123")
        CoordinatorAccess.objects.create(user=user, partnership=partnership)
    gone = users.create_user(username="dawna", email="dawna@example.org", is_active=False)
    CoordinatorAccess.objects.create(user=gone, partnership=partnership)
    return partnership


def form_url(partnership):
    return reverse("partnerships:contact", kwargs={"slug": partnership.slug})


def valid(**changes):
    data = {
        "name": "Zofia Mieszkańska",
        "email": "zofia@example.org",
        "reason": "resident",
        "message": "Dzień dobry,\nchcę pomagać przy pikniku sąsiedzkim. Jak mogę dołączyć?",
        "consent": "on",
        "strona_www": "",
    }
    return {**data, **changes}


def send(client, partnership, capture, **changes):
    with capture(execute=True):
        return client.post(form_url(partnership), valid(**changes))


def test_the_partnership_page_leads_to_the_form_near_the_contact(client, partnership):
    page = client.get(partnership.get_absolute_url()).content.decode()

    contact = page.index('id="kontakt"')
    link = page.index(f'href="{form_url(partnership)}"')
    assert contact < link < page.index('id="miejsca"')
    assert "Dołącz / Skontaktuj się" in page[link : link + 200]


def test_the_form_has_every_field_labelled_the_consent_with_the_privacy_link_and_a_hidden_trap(client, partnership):
    page = client.get(form_url(partnership)).content.decode()

    assert page.count("<h1") == 1
    for label in ("Twój e-mail", "W jakiej sprawie piszesz?", "Wiadomość", "Nie wypełniaj tego pola"):
        assert label in page
    for reason in ("chcę dołączyć jako mieszkaniec/ka", "chcę dołączyć jako organizacja", "mam pytanie"):
        assert reason in page
    assert "Zgadzam się na przekazanie moich danych koordynatorom partnerstwa w celu odpowiedzi" in page
    assert f'href="{reverse("privacy")}"' in page
    trap = page[page.index('class="form-trap"') :]
    assert 'name="strona_www"' in trap[:1500]
    assert 'tabindex="-1"' in trap[:1500] and 'autocomplete="off"' in trap[:1500]
    assert 'maxlength="3000"' in page


def test_a_message_is_stored_and_e_mailed_to_each_active_coordinator_with_reply_to_the_sender(
    client, partnership, django_capture_on_commit_callbacks
):
    response = send(client, partnership, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:contact_sent", kwargs={"slug": partnership.slug})
    stored = ContactMessage.objects.get()
    assert (stored.partnership, stored.name, stored.email, stored.reason) == (
        partnership,
        "Zofia Mieszkańska",
        "zofia@example.org",
        "resident",
    )
    assert stored.handled_at is None
    assert sorted(message.to[0] for message in mail.outbox) == sorted(COORDINATOR_EMAILS)
    for message in mail.outbox:
        assert len(message.to) == 1  # no coordinator sees another's address
        assert message.reply_to == ["zofia@example.org"]
        assert "Partnerstwo Sady" in message.subject
        assert "chcę pomagać przy pikniku sąsiedzkim" in message.body
        assert "Zofia Mieszkańska <zofia@example.org>" in message.body
        assert reverse("coordinator:contact_messages", kwargs={"slug": partnership.slug}) in message.body


def test_the_sender_sees_it_was_sent_and_what_happens_next_but_no_address(
    client, partnership, django_capture_on_commit_callbacks
):
    page = client.get(send(client, partnership, django_capture_on_commit_callbacks)["Location"]).content.decode()

    assert "Wiadomość wysłana" in page
    assert "trafiła do koordynatorów partnerstwa „Partnerstwo Sady”" in page
    assert "Co dalej?" in page
    for address in (*COORDINATOR_EMAILS, "dawna@example.org"):
        assert address not in page
    form = client.get(form_url(partnership)).content.decode()
    assert not any(address in form for address in COORDINATOR_EMAILS)


def test_without_coordinators_the_message_goes_to_the_networks_e_mail(client, django_capture_on_commit_callbacks):
    partnership = factories.partnership(name="Partnerstwo Bez Konta")
    Facts.objects.create(contact_email="siec@example.org")

    response = send(client, partnership, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["siec@example.org"]]
    assert mail.outbox[0].reply_to == ["zofia@example.org"]
    assert "nie ma jeszcze konta koordynatora" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "trafiła do zespołu BORIS" in page
    assert "siec@example.org" not in page


def test_without_the_networks_e_mail_it_goes_to_the_active_staff_accounts(
    client, django_user_model, django_capture_on_commit_callbacks
):
    partnership = factories.partnership(name="Partnerstwo Bez Konta")
    django_user_model.objects.create_user(username="boris", email="boris@example.org", is_staff=True)
    django_user_model.objects.create_user(username="byly", email="byly@example.org", is_staff=True, is_active=False)

    send(client, partnership, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["boris@example.org"]]
    assert ContactMessage.objects.count() == 1


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(
    client, partnership, django_capture_on_commit_callbacks
):
    response = send(client, partnership, django_capture_on_commit_callbacks, strona_www="http://spam.example")

    assert response.status_code == 302
    assert "Wiadomość wysłana" in client.get(response["Location"]).content.decode()
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_past_the_limit_for_one_address_the_form_says_when_to_try_again_and_keeps_the_text(
    client, partnership, django_capture_on_commit_callbacks
):
    for n in range(CONTACT_LIMIT):
        assert (
            send(client, partnership, django_capture_on_commit_callbacks, email=f"osoba{n}@example.org").status_code
            == 302
        )

    response = send(client, partnership, django_capture_on_commit_callbacks, email="kolejna@example.org")

    page = response.content.decode()
    assert response.status_code == 429
    assert "Spróbuj ponownie za godzinę" in page
    assert "chcę pomagać przy pikniku sąsiedzkim" in page
    assert ContactMessage.objects.count() == CONTACT_LIMIT
    assert len(mail.outbox) == CONTACT_LIMIT * len(COORDINATOR_EMAILS)


def test_past_the_limit_for_one_e_mail_address_another_ip_is_refused_too(
    client, partnership, django_capture_on_commit_callbacks
):
    for n in range(CONTACT_LIMIT):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(form_url(partnership), valid(), REMOTE_ADDR=f"203.0.113.{n + 1}")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(partnership), valid(email="ZOFIA@example.org"), REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 429
    assert ContactMessage.objects.count() == CONTACT_LIMIT


BAD_INPUT = [
    ({"name": ""}, "name", "Podaj, jak mamy się do Ciebie zwracać."),
    ({"email": ""}, "email", "Podaj adres e-mail, na który mamy odpowiedzieć."),
    ({"email": "to nie jest adres"}, "email", "Podaj poprawny adres e-mail"),
    ({"email": "zofia@example.org\r\nBcc: wszyscy@example.org"}, "email", "Podaj poprawny adres e-mail"),
    ({"name": "Zofia\r\nBcc: wszyscy@example.org"}, "name", "tylko jeden wiersz"),
    ({"name": "Zofia\x00"}, "name", "tylko jeden wiersz"),
    ({"name": "Zofia\x1b[31m"}, "name", "tylko jeden wiersz"),
    ({"message": "Dzień\x00dobry"}, "message", "znaki sterujące"),
    ({"message": "x" * 3001}, "message", "najwyżej 3000 znaków (teraz ma 3001)"),
    ({"message": "   "}, "message", "Napisz wiadomość."),
    ({"reason": "vip"}, "reason", "jedną z trzech możliwości"),
    ({"reason": ""}, "reason", "Wybierz, w jakiej sprawie piszesz."),
    ({"consent": ""}, "consent", "Zaznacz zgodę"),
    ({"name": "x" * 201}, "name", "201"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"), BAD_INPUT, ids=[f"{c[1]}-{i}" for i, c in enumerate(BAD_INPUT)]
)
def test_bad_input_gets_a_polish_message_at_the_field_and_stores_nothing(
    client, partnership, django_capture_on_commit_callbacks, changes, field, message
):
    data = valid(**changes)
    data = {key: value for key, value in data.items() if value != "" or key == "strona_www"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(partnership), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page and page.count("<title>Błąd:") == 1
    assert f'href="#id_{field}' in page
    assert message in page
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_unicode_is_kept_as_written(client, partnership, django_capture_on_commit_callbacks):
    send(
        client,
        partnership,
        django_capture_on_commit_callbacks,
        name="Zażółć Gęślą 🐝 Ñandú",
        message="Cześć! 👋 Mam pytanie o „Sąsiedzkie śniadanie” – 日本語 też?",
        reason="question",
    )

    stored = ContactMessage.objects.get()
    assert stored.name == "Zażółć Gęślą 🐝 Ñandú"
    assert "日本語" in stored.message
    assert "Zażółć Gęślą 🐝 Ñandú" in mail.outbox[0].body


def test_an_unpublished_or_unknown_partnership_has_no_form(client, staff_client, partnership):
    hidden = factories.partnership(name="Partnerstwo Ukryte", is_published=False)

    for url in (
        form_url(hidden),
        reverse("partnerships:contact_sent", kwargs={"slug": hidden.slug}),
        reverse("partnerships:contact", kwargs={"slug": "nie-ma-takiego"}),
    ):
        assert client.get(url).status_code == 404
        assert staff_client.get(url).status_code == 404
    assert client.post(form_url(hidden), valid()).status_code == 404
    assert not ContactMessage.objects.exists()


def test_the_form_has_an_english_address_too(client, partnership):
    with translation.override("en"):
        url = form_url(partnership)

    assert url.startswith("/en/")
    assert client.get(url).status_code == 200


def test_a_message_does_not_move_the_data_version_of_the_public_pages():
    assert not writes_public_table('INSERT INTO "partnerships_contactmessage" ("name") VALUES (%s)')
    assert not writes_public_table('UPDATE "partnerships_contactmessage" SET "handled_at" = %s')
    assert writes_public_table('UPDATE "partnerships_partnership" SET "name" = %s')


@pytest.mark.parametrize("earlier", [0, 5])
def test_the_form_pages_run_a_fixed_number_of_queries(
    client, partnership, django_assert_max_num_queries, earlier, django_capture_on_commit_callbacks
):
    for n in range(earlier):
        factories.partnership(name=f"Inne partnerstwo {n}")
        ContactMessage.objects.create(
            partnership=partnership, name=f"Osoba {n}", email=f"o{n}@example.org", reason="question", message="?"
        )

    with django_assert_max_num_queries(3):
        assert client.get(form_url(partnership)).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("partnerships:contact_sent", kwargs={"slug": partnership.slug})).status_code == 200
    with django_assert_max_num_queries(12), django_capture_on_commit_callbacks(execute=True):
        assert client.post(form_url(partnership), valid()).status_code == 302
