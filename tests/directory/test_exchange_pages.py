""" "Giełda zasobów" (/siec/gielda/): the list with its filters and the entry's page with the form that writes to the
partnership's coordinators, for each kind of visitor, with bad input and at two data sizes."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from directory.contact import CONTACT_LIMIT
from network.models import ExchangeEntry
from partnerships.models import ContactMessage, CoordinatorAccess
from tests import factories
from tests.utils import MAX_PUBLIC_QUERIES, assert_flat_query_count, count_queries, log_in

pytestmark = pytest.mark.django_db

LIST = reverse("exchange")
WHO = ["anonymous", "plain", "coordinator", "other_coordinator", "staff"]
SEES_ALL = {"coordinator", "other_coordinator", "staff"}


@pytest.fixture(autouse=True)
def _empty_counters():
    cache.clear()
    yield
    cache.clear()


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def world():
    muranow = factories.partnership(name="Przepis na Muranów", districts=["srodmiescie"])
    wola = factories.partnership(name="Młyn na Woli", districts=["wola"])
    users = get_user_model().objects
    coordinator = users.create_user(username="ola", email="ola@muranow.example.org")
    CoordinatorAccess.objects.create(user=coordinator, partnership=muranow)
    other = users.create_user(username="jan", email="jan@wola.example.org")
    CoordinatorAccess.objects.create(user=other, partnership=wola)
    entries = {
        "tent": factories.exchange_entry(
            partnership_obj=muranow,
            title="Pożyczymy namiot i 40 krzeseł",
            district=factories.district("srodmiescie"),
        ),
        "room": factories.exchange_entry(
            partnership_obj=wola,
            title="Szukamy sali dla 30 osób na soboty",
            kind=ExchangeEntry.Kind.REQUEST,
            district=factories.district("wola"),
            description="Najlepiej na Żoliborzu albo Woli.",
        ),
        "printer": factories.exchange_entry(
            partnership_obj=wola,
            title="Polecamy drukarnię",
            kind=ExchangeEntry.Kind.CONTACT,
            contact_name="Drukarnia Sąsiedzka",
            consent_verified=True,
        ),
        "private": factories.exchange_entry(partnership_obj=muranow, title="Nagłośnienie dla swoich", is_public=False),
        "unverified": factories.exchange_entry(
            partnership_obj=wola, title="Akustyk bez zgody", kind=ExchangeEntry.Kind.CONTACT
        ),
        "expired": factories.exchange_entry(
            partnership_obj=wola, title="Stary projektor", expires_on=timezone.localdate() - timedelta(days=1)
        ),
    }
    clients_users = {
        "plain": users.create_user(username="mieszkanka"),
        "coordinator": coordinator,
        "other_coordinator": other,
        "staff": users.create_user(username="boris", is_staff=True, is_superuser=True),
    }
    return {"muranow": muranow, "wola": wola, "entries": entries, "users": clients_users}


def client_as(client, world, who):
    if who != "anonymous":
        log_in(client, world["users"][who])
    return client


@pytest.mark.parametrize("who", WHO)
def test_the_list_shows_public_entries_to_everyone_and_all_current_ones_to_coordinators_and_staff(client, world, who):
    page = text(client_as(client, world, who).get(LIST))

    for key in ("tent", "room", "printer"):
        assert world["entries"][key].title in page
    for key in ("private", "unverified"):
        assert (world["entries"][key].title in page) == (who in SEES_ALL)
    assert "Stary projektor" not in page
    assert ("Koordynatorzy partnerstw po zalogowaniu widzą też pozostałe." in page) == (who not in SEES_ALL)
    if who in SEES_ALL:
        assert "tylko dla koordynatorów" in page


@pytest.mark.parametrize("who", WHO)
def test_an_entrys_page_is_there_for_whoever_may_see_it_and_a_404_for_anyone_else(client, world, who):
    client = client_as(client, world, who)

    for key, entry in world["entries"].items():
        response = client.get(entry.get_absolute_url())
        visible = key in ("tent", "room", "printer") or (key in ("private", "unverified") and who in SEES_ALL)
        assert response.status_code == (200 if visible else 404), (key, who)


def test_an_entrys_page_shows_what_and_who_but_no_address(client, world):
    response = client.get(world["entries"]["printer"].get_absolute_url())
    page = text(response)

    assert "Polecamy drukarnię" in page and "Drukarnia Sąsiedzka" in page and "Młyn na Woli" in page
    assert "@" not in page
    assert "mailto:" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?rodzaj=request", ["Szukamy sali dla 30 osób"], ["Pożyczymy namiot"]),
        ("?dzielnica=wola", ["Szukamy sali dla 30 osób"], ["Pożyczymy namiot", "Polecamy drukarnię"]),
        ("?partnerstwo=przepis-na-muranow", ["Pożyczymy namiot"], ["Szukamy sali"]),
        ("?q=ZOLIBORZU", ["Szukamy sali dla 30 osób"], ["Pożyczymy namiot"]),
        ("?q=krzesel", ["Pożyczymy namiot"], ["Szukamy sali"]),
        ("?q=sasiedzka", ["Polecamy drukarnię"], ["Pożyczymy namiot"]),
    ],
)
def test_the_filters_and_the_diacritic_insensitive_search_narrow_the_list(client, world, query, shown, hidden):
    page = text(client.get(LIST + query))

    for title in shown:
        assert title in page
    for title in hidden:
        assert title not in page


def test_each_filter_choice_says_how_many_entries_it_has(client, world):
    html = client.get(LIST).content.decode()

    assert re.search(r'<option value="request">szukamy \(1\)</option>', html)
    assert re.search(r'<option value="offer">oferujemy \(1\)</option>', html)
    assert re.search(r'<option value="wola">Wola \(1\)</option>', html)
    assert re.search(r'<option value="mlyn-na-woli">Młyn na Woli \(2\)</option>', html)


@pytest.mark.parametrize(
    ("query", "status", "shown"),
    [
        ("?rodzaj=bogus", 200, "Nie ma takiego rodzaju wpisu – wybierz z listy."),
        ("?rodzaj=%00", 200, "Nie ma takiego rodzaju wpisu – wybierz z listy."),
        ("?dzielnica=atlantyda", 200, "Nie znamy takiej dzielnicy – wybierz ją z listy."),
        ("?partnerstwo=" + "x" * 5000, 200, "Nie znamy takiego partnerstwa"),
        ("?q=" + "a" * 10_000, 200, "Wpisz krócej – najwyżej 200 znaków."),
        ("?q=%00namiot", 200, "Znaki null są niedozwolone."),
        ("?q=%F0%9F%8E%AA%E2%80%AE", 200, "Znaleziono"),
        ("?page=99999999999999999999", 302, ""),
        ("?page=abc", 404, "Nie znaleziono strony"),
        ("?page=%00", 404, "Nie znaleziono strony"),
        ("?po=garbage", 404, "Nie znaleziono strony"),
    ],
)
def test_bad_query_parameters_get_a_polish_message_or_a_404(client, world, query, status, shown):
    response = client.get(LIST + query)

    assert response.status_code == status
    assert shown in text(response)


@pytest.mark.parametrize("path", ["999999999999999999999/", "0/", "abc/", "%00/", "ż/"])
def test_an_address_that_is_no_entry_is_a_404(client, path):
    assert client.get(LIST + path).status_code == 404


def entries_for(partnerships):
    for partnership in partnerships:
        if not partnership.exchange_entries.exists():
            factories.exchange_entry(partnership_obj=partnership, district=factories.district("wola"))
            factories.exchange_entry(partnership_obj=partnership, is_public=False)
    return ExchangeEntry.objects.order_by("pk").first()


def test_the_lists_query_count_does_not_grow_with_entries(client):
    assert_flat_query_count(client, lambda partnerships: entries_for(partnerships) and LIST + "?rodzaj=offer")


def test_an_entrys_query_count_does_not_grow_with_entries(client):
    assert_flat_query_count(client, lambda partnerships: entries_for(partnerships).get_absolute_url())


@pytest.mark.parametrize("page", ["list", "detail"])
def test_a_coordinators_query_count_does_not_grow_with_entries(client, page):
    user = get_user_model().objects.create_user(username="ola")
    partnerships = factories.network(2)
    CoordinatorAccess.objects.create(user=user, partnership=partnerships[0])
    log_in(client, user)

    def url():
        entry = entries_for(partnerships)
        return LIST if page == "list" else entry.get_absolute_url()

    response, small = count_queries(client, url())
    partnerships += factories.network(10)
    response, large = count_queries(client, url())

    assert response.status_code == 200
    assert len(large) == len(small) <= MAX_PUBLIC_QUERIES + 4, large


# --- writing to the partnership about an entry ---------------------------------------------------------------------


def valid(**changes):
    data = {
        "name": "Zofia z Ochoty",
        "email": "zofia@example.org",
        "message": "Dzień dobry,\nczy namiot jest wolny 14 czerwca?",
        "consent": "on",
        "strona_www": "",
    }
    return {**data, **changes}


def send(client, entry, capture, **changes):
    with capture(execute=True):
        return client.post(entry.get_absolute_url(), valid(**changes))


def test_a_message_about_an_entry_reaches_the_coordinators_and_their_inbox(
    client, world, django_capture_on_commit_callbacks
):
    entry = world["entries"]["tent"]

    response = send(client, entry, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert "Dziękujemy! Wiadomość trafiła do koordynatorów partnerstwa „Przepis na Muranów”" in text(
        client.get(response["Location"])
    )
    stored = ContactMessage.objects.get()
    assert stored.partnership == world["muranow"] and stored.reason == ContactMessage.Reason.QUESTION
    assert stored.message.startswith(
        "Dotyczy wpisu w giełdzie zasobów (oferujemy): „Pożyczymy namiot i 40 krzeseł” – http://testserver"
        + entry.get_absolute_url()
    )
    assert "czy namiot jest wolny 14 czerwca?" in stored.message
    assert [message.to for message in mail.outbox] == [["ola@muranow.example.org"]]
    assert mail.outbox[0].reply_to == ["zofia@example.org"]
    assert "Pożyczymy namiot i 40 krzeseł" in mail.outbox[0].body
    # The coordinators read it in their panel as any other message.
    log_in(client, world["users"]["coordinator"])
    inbox = text(client.get(reverse("coordinator:contact_messages", kwargs={"slug": world["muranow"].slug})))
    assert "Dotyczy wpisu w giełdzie zasobów" in inbox


def test_a_filled_honeypot_looks_sent_and_keeps_nothing(client, world, django_capture_on_commit_callbacks):
    response = send(client, world["entries"]["tent"], django_capture_on_commit_callbacks, strona_www="http://spam")

    assert response.status_code == 302
    assert not ContactMessage.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"message": ""}, "Napisz wiadomość."),
        ({"message": "x" * 100_000}, "najwyżej 2500 znaków"),
        ({"message": "a\x00b"}, "znaki sterujące"),
        ({"name": "Zofia\x00"}, "jeden wiersz zwykłego tekstu"),
        ({"email": "nie-adres"}, "Podaj poprawny adres e-mail"),
        ({"consent": ""}, "Zaznacz zgodę"),
    ],
)
def test_bad_input_in_the_form_gets_a_polish_message(
    client, world, django_capture_on_commit_callbacks, changes, message
):
    response = send(client, world["entries"]["tent"], django_capture_on_commit_callbacks, **changes)

    assert response.status_code == 200
    assert message in text(response)
    assert text(response).startswith("Błąd:") or "Błąd:" in response.content.decode().split("</title>")[0]
    assert not ContactMessage.objects.exists()


def test_the_contact_forms_limit_counts_messages_about_entries_too(client, world, django_capture_on_commit_callbacks):
    entry = world["entries"]["room"]
    for _n in range(CONTACT_LIMIT):
        assert send(client, entry, django_capture_on_commit_callbacks).status_code == 302

    response = send(client, entry, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert "Spróbuj ponownie za godzinę" in text(response)
    assert ContactMessage.objects.count() == CONTACT_LIMIT


def test_no_one_writes_about_an_entry_they_may_not_see(client, world, django_capture_on_commit_callbacks):
    response = send(client, world["entries"]["private"], django_capture_on_commit_callbacks)

    assert response.status_code == 404
    assert not ContactMessage.objects.exists()


def test_the_support_page_and_the_footer_link_to_the_exchange(client):
    html = client.get(reverse("support")).content.decode()

    assert html.count(f'href="{LIST}"') == 2
