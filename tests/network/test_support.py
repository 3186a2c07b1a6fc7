"""BORIS's support offer (/siec/wsparcie/): the kinds of support staff describe, the next dates of each from the
agenda, and the request form, whose requests staff see in the admin and on the dashboard."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from common.cache.version import writes_public_table
from directory import support
from network.models import Facts, SupportKind, SupportRequest
from tests import factories
from tests.network.conftest import WHO
from tests.utils import MAX_PUBLIC_QUERIES, count_queries

pytestmark = pytest.mark.django_db

THANKS = "Dziękujemy! Prośba trafiła do zespołu BORIS – odpowiemy na podany e-mail."


def url(language="pl"):
    with translation.override(language):
        return reverse("support")


def html(response):
    return response.content.decode()


def text_of(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def section_of(response, slug):
    match = re.search(rf'<section[^>]*aria-labelledby="wsparcie-{slug}".*?</section>', html(response), flags=re.S)
    return match.group(0) if match else ""


def error_summary(response):
    match = re.search(r"<div[^>]*data-error-summary.*?</div>", html(response), flags=re.S)
    return text_of(match.group(0)) if match else ""


@pytest.fixture(autouse=True)
def empty_cache():
    """The limit's counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def training():
    return factories.support_kind(
        name="Szkolenia",
        slug="szkolenia",
        event_kind="training",
        description="Krótkie **szkolenia** praktyczne.",
        audience="Koordynatorzy partnerstw.",
        how_to_ask="Zapisz się na termin z kalendarza.",
    )


@pytest.fixture
def partnership():
    return factories.partnership(name="Nasze Stegny")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Post the form from an address (its e-mail sent once the request's work is committed)."""

    def send(data, *, ip="192.0.2.1", follow=False):
        with django_capture_on_commit_callbacks(execute=True):
            return Client(REMOTE_ADDR=ip).post(url(), data, follow=follow)

    return send


def valid(kind, partnership=None, **overrides):
    data = {
        "partnership": partnership.slug if partnership else "",
        "kind": kind.slug,
        "name": "Ola Nowak",
        "email": "ola@example.org",
        "message": "Potrzebujemy szkolenia z prowadzenia spotkań.",
        "consent": "on",
        "website": "",
    }
    return {**data, **overrides}


# --- the offer -------------------------------------------------------------------------------------------------


def test_each_published_kind_shows_what_it_is_for_whom_how_to_ask_and_its_next_dates(client, training):
    now = timezone.now()
    soon = [factories.event(title=f"Szkolenie {n}", kind="training", start=now + timedelta(days=n)) for n in (3, 1, 2)]
    factories.event(title="Szkolenie czwarte", kind="training", start=now + timedelta(days=9))
    factories.event(title="Szkolenie minione", kind="training", start=now - timedelta(days=5))
    factories.event(title="Szkolenie szkic", kind="training", is_published=False)
    factories.event(title="Seminarium", kind="seminar")
    factories.support_kind(name="Wsparcie ukryte", slug="ukryte", is_published=False)

    response = client.get(url())

    assert response.status_code == 200
    section = section_of(response, "szkolenia")
    assert "<strong>szkolenia</strong>" in section  # the description's Markdown
    assert "Koordynatorzy partnerstw." in text_of(section)
    assert "Zapisz się na termin z kalendarza." in text_of(section)
    titles = re.findall(r"Szkolenie [\w ]+?(?=<)", section)
    assert titles == ["Szkolenie 1", "Szkolenie 2", "Szkolenie 3"]  # the soonest three, in order
    assert "Seminarium" not in section
    assert f'href="{reverse("events:list")}?rodzaj=training"' in section
    assert f'href="{reverse("events:ical_kind", kwargs={"kind": "training"})}"' in section
    assert "Wsparcie ukryte" not in html(response)
    assert [event.title for event in soon]  # made


def test_a_kind_without_a_kind_of_event_lists_no_dates_and_a_kind_without_dates_says_so(client):
    factories.support_kind(name="Wsparcie animatorów", slug="animatorzy")
    factories.support_kind(name="Wizyty studyjne", slug="wizyty", event_kind="study_visit")

    response = client.get(url())

    animators = text_of(section_of(response, "animatorzy"))
    assert "Najbliższe terminy" not in animators and "kalendarzu" not in animators
    visits = text_of(section_of(response, "wizyty"))
    assert "Na razie nie ma zaplanowanych terminów – poproś o wsparcie formularzem poniżej." in visits


def test_without_kinds_the_page_says_it_is_being_prepared_and_shows_no_form(client):
    Facts.objects.create(contact_email="siec@example.org")

    response = client.get(url())

    assert response.status_code == 200
    assert "Opis wsparcia jest jeszcze w przygotowaniu. Zajrzyj tu wkrótce." in text_of(html(response))
    assert '<form method="post"' not in html(response)
    assert "siec@example.org" in html(response)  # the network's contact instead


def create_offer(size):
    """`size` kinds of support over the kinds of event, each kind of event with `size` dates to come."""
    kinds = ["training", "seminar", "consultation", "study_visit", "supervision"]
    partnership = factories.partnership()
    place = factories.place()
    for n in range(size):
        kind = kinds[n % len(kinds)]
        factories.support_kind(event_kind=kind)
        for day in range(size):
            factories.event(
                kind=kind, organisers=[partnership], place=place, start=timezone.now() + timedelta(days=day)
            )


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_offer(client):
    create_offer(2)
    response, small = count_queries(client, url())
    assert response.status_code == 200
    create_offer(8)
    response, large = count_queries(client, url())

    assert response.status_code == 200
    assert len(large) == len(small), (small, large)
    assert len(small) <= MAX_PUBLIC_QUERIES, small
    assert html(response).count("event-card") >= 5 * support.DATES_PER_KIND


@pytest.mark.parametrize("who", WHO)
def test_everyone_sees_the_offer_and_may_ask_for_support(who, training, partnership, client_as):
    client = client_as(who, partnership)

    response = client.get(url())

    assert response.status_code == 200
    assert "Szkolenia" in text_of(section_of(response, "szkolenia"))
    assert 'name="consent"' in html(response)
    assert client.post(url(), valid(training, partnership)).status_code == 302
    assert SupportRequest.objects.count() == 1


def test_the_page_in_english_marks_the_polish_texts_staff_wrote(client, training):
    response = client.get(url("en"))

    assert response.status_code == 200
    assert url("en").startswith("/en/")
    assert '<html lang="en">' in html(response)
    assert '<h2 id="wsparcie-szkolenia" lang="pl">Szkolenia</h2>' in html(response)


def test_the_offer_and_the_logo_kit_are_in_the_sitemap(client):
    sitemap = html(client.get(reverse("sitemap_section", kwargs={"section": "strony"})))

    for name in ("support", "logo"):
        for language in ("pl", "en"):
            assert f"{url_of(name, language)}</loc>" in sitemap, (name, language)


def url_of(name, language):
    with translation.override(language):
        return reverse(name)


def test_the_footer_links_to_the_offer_and_the_logo_kit(client):
    page = html(client.get(reverse("home")))

    footer = re.search(r"<footer.*?</footer>", page, flags=re.S).group(0)
    assert f'href="{url()}"' in footer and f'href="{reverse("logo")}"' in footer


# --- asking for support ------------------------------------------------------------------------------------------


def test_a_request_is_kept_and_mailed_to_the_networks_address(training, partnership, send):
    Facts.objects.create(contact_email="siec@example.org")

    response = send(valid(training, partnership), follow=True)

    assert THANKS in text_of(html(response))
    request = SupportRequest.objects.get()
    assert (request.kind, request.partnership, request.name) == (training, partnership, "Ola Nowak")
    assert (request.email, request.language, request.handled_at) == ("ola@example.org", "pl", None)
    assert request.message == "Potrzebujemy szkolenia z prowadzenia spotkań."
    [message] = mail.outbox
    assert message.to == ["siec@example.org"]
    assert message.subject == "Prośba o wsparcie: Szkolenia – Ola Nowak"
    assert "Partnerstwo: Nasze Stegny" in message.body and "E-mail: ola@example.org" in message.body
    assert f"http://testserver/admin/network/supportrequest/{request.pk}/change/" in message.body


def test_another_group_needs_no_partnership_and_without_a_network_address_nothing_is_mailed(training, send):
    response = send(valid(training, name="Jan Kowalski"))

    assert response.status_code == 302
    assert SupportRequest.objects.get().partnership is None
    assert mail.outbox == []


def test_a_request_from_the_english_page_is_kept_with_its_language(training, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url("en"), valid(training))

    assert response.status_code == 302
    assert SupportRequest.objects.get().language == "en"


BAD_INPUT = [
    ("partnership", "nie-ma-takiego", "Nie ma takiego partnerstwa – wybierz je z listy."),
    ("partnership", "stegny\x00", "Znaki null są niedozwolone."),
    ("kind", "", "Wybierz rodzaj wsparcia."),
    ("kind", "<script>", "Nie ma takiego rodzaju wsparcia – wybierz go z listy."),
    ("name", "", "Podaj imię i nazwisko, żebyśmy wiedzieli, do kogo piszemy."),
    ("name", "Ola\r\nBcc: wszyscy@example.org", "To pole może mieć tylko jeden wiersz zwykłego tekstu"),
    ("name", "Ola\x00", "To pole może mieć tylko jeden wiersz zwykłego tekstu"),
    ("name", "O" * 121, "co najwyżej 120"),
    ("email", "", "Podaj adres e-mail – na niego odpowiemy."),
    ("email", "ola@", "Podaj poprawny adres e-mail, np. kontakt@example.org."),
    ("email", "ola@example.org\r\nBcc: x@example.org", "Podaj poprawny adres e-mail, np. kontakt@example.org."),
    ("message", "", "Napisz, czego potrzebujecie."),
    ("message", "x" * 3001, "co najwyżej 3000"),
    ("message", "Pomocy\x00", "Ten tekst zawiera niewidoczne znaki sterujące"),
    ("consent", "", "Zaznacz zgodę – bez niej nie możemy odpowiedzieć na prośbę."),
]


@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_INPUT, ids=[f"{f}-{i}" for i, (f, _v, _m) in enumerate(BAD_INPUT)]
)
def test_bad_input_gets_a_polish_message_and_keeps_nothing(training, partnership, send, field, value, message):
    data = valid(training, partnership)
    if field == "consent" and not value:
        del data["consent"]
    else:
        data[field] = value

    response = send(data)

    assert response.status_code == 200
    assert message in error_summary(response), error_summary(response)
    assert SupportRequest.objects.count() == 0
    assert mail.outbox == []


def test_unpublished_partnerships_and_kinds_cannot_be_chosen(training, send):
    hidden = factories.partnership(name="Szkic", is_published=False)
    hidden_kind = factories.support_kind(name="Ukryte", slug="ukryte", is_published=False)

    response = send(valid(hidden_kind, hidden))

    summary = error_summary(response)
    assert "Nie ma takiego partnerstwa – wybierz je z listy." in summary
    assert "Nie ma takiego rodzaju wsparcia – wybierz go z listy." in summary
    assert "Szkic" not in html(response) and "Ukryte" not in html(response)
    assert SupportRequest.objects.count() == 0


def test_unicode_text_is_kept_as_written_and_shown_inert(training, staff_client, send):
    name = "Zofia Żółć-Gęślą 山田 🌱"
    message = "<script>alert(1)</script>\nDruga linia – „cytat”."

    assert send(valid(training, name=name, message=message)).status_code == 302

    request = SupportRequest.objects.get()
    assert (request.name, request.message) == (name, message)
    page = html(staff_client.get(reverse("admin:network_supportrequest_change", args=[request.pk])))
    assert escape("<script>alert(1)</script>") in page and "<script>alert(1)</script>" not in page


def test_a_robot_filling_the_hidden_field_is_thanked_but_nothing_is_kept_or_sent(training, send):
    Facts.objects.create(contact_email="siec@example.org")

    response = send(valid(training, website="https://spam.example.com"), follow=True)

    assert THANKS in text_of(html(response))
    assert SupportRequest.objects.count() == 0
    assert mail.outbox == []


def test_the_hidden_field_is_hidden_from_people_and_screen_readers(client, training):
    page = html(client.get(url()))

    hidden = re.search(r'<div class="d-none">(.*?)</div>\s*</div>', page, flags=re.S)
    assert hidden and 'name="website"' in hidden.group(1)
    assert 'tabindex="-1"' in hidden.group(1) and 'autocomplete="off"' in hidden.group(1)


def test_one_address_may_send_only_a_few_requests_an_hour(training, send):
    Facts.objects.create(contact_email="siec@example.org")
    statuses = [send(valid(training)).status_code for _ in range(support.REQUEST_LIMIT)]
    assert statuses == [302] * support.REQUEST_LIMIT

    response = send(valid(training))

    assert response.status_code == 429
    assert "Z tego adresu wysłano już kilka próśb. Spróbuj ponownie za 60 minut" in text_of(html(response))
    assert SupportRequest.objects.count() == support.REQUEST_LIMIT
    assert len(mail.outbox) == support.REQUEST_LIMIT
    assert send(valid(training), ip="198.51.100.4").status_code == 302  # another address still may
    assert SupportRequest.objects.count() == support.REQUEST_LIMIT + 1


def test_forms_with_errors_do_not_use_up_the_limit(training, send):
    for _ in range(support.REQUEST_LIMIT + 2):
        assert send(valid(training, email="zły")).status_code == 200

    assert send(valid(training)).status_code == 302


# --- staff ---------------------------------------------------------------------------------------------------------


def test_staff_see_requests_filter_them_and_mark_them_handled(staff_client, staff_user, training, partnership):
    other = factories.support_kind(name="Superwizja", slug="superwizja")
    first = factories.support_request(kind=training, partnership=partnership, name="Ola Pierwsza")
    second = factories.support_request(kind=other, name="Jan Drugi")
    changelist = reverse("admin:network_supportrequest_changelist")

    by_kind = html(staff_client.get(f"{changelist}?kind__id__exact={training.pk}"))
    assert "Ola Pierwsza" in by_kind and "Jan Drugi" not in by_kind
    by_partnership = html(staff_client.get(f"{changelist}?partnership__id__exact={partnership.pk}"))
    assert "Ola Pierwsza" in by_partnership and "Jan Drugi" not in by_partnership

    response = staff_client.post(changelist, {"action": "mark_handled", "_selected_action": [first.pk]}, follow=True)

    assert "Oznaczono jako załatwione. Liczba zmienionych próśb: 1." in html(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.handled_at is not None and first.handled_by == staff_user
    assert second.handled_at is None
    waiting = html(staff_client.get(f"{changelist}?handled=no"))
    assert "Jan Drugi" in waiting and "Ola Pierwsza" not in waiting


def test_requests_are_read_only_in_the_admin(staff_client, training):
    request = factories.support_request(kind=training)

    assert staff_client.get(reverse("admin:network_supportrequest_add")).status_code == 403
    page = html(staff_client.get(reverse("admin:network_supportrequest_change", args=[request.pk])))
    assert 'name="message"' not in page and 'name="_save"' not in page


def test_the_dashboard_counts_requests_waiting_for_an_answer(staff_client, training):
    factories.support_request(kind=training, name="Ola Czekająca")
    factories.support_request(kind=training, name="Jan Załatwiony", handled_at=timezone.now())

    page = html(staff_client.get(reverse("admin:index")))

    block = re.search(r'id="attention-support-requests".*?</div>', page, flags=re.S).group(0)
    assert "1 prośba o wsparcie" in text_of(block)
    assert "Ola Czekająca" in block and "Jan Załatwiony" not in block
    assert escape(reverse("admin:network_supportrequest_changelist") + "?handled=no") in block


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("plain user", 403), ("coordinator", 403)])
def test_only_staff_reach_the_requests_in_the_admin(status, who, training, partnership, client_as):
    request = factories.support_request(kind=training)
    client = client_as(who, partnership)

    for address in (
        reverse("admin:network_supportrequest_changelist"),
        reverse("admin:network_supportrequest_change", args=[request.pk]),
        reverse("admin:network_supportkind_changelist"),
    ):
        response = client.get(address)
        assert response.status_code == status, (who, address)
        assert "Ola Prosząca" not in html(response)


def test_staff_edit_the_kinds_with_history(staff_client, training):
    response = staff_client.post(
        reverse("admin:network_supportkind_change", args=[training.pk]),
        {
            "name": "Szkolenia praktyczne",
            "slug": "szkolenia",
            "event_kind": "training",
            "description": "Nowy opis.",
            "audience": "",
            "how_to_ask": "",
            "order": "5",
            "is_published": "on",
            "_save": "Zapisz",
        },
    )

    assert response.status_code == 302
    training.refresh_from_db()
    assert training.name == "Szkolenia praktyczne"
    assert training.history.count() == 2
    assert SupportKind.objects.public().count() == 1


def test_a_request_does_not_move_the_data_version_of_the_public_pages():
    assert not writes_public_table('INSERT INTO "network_supportrequest" ("name") VALUES (%s)')
    assert not writes_public_table('UPDATE "network_supportrequest" SET "handled_at" = %s')
    assert writes_public_table('UPDATE "network_supportkind" SET "name" = %s')
