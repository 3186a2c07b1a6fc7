"""The network's own pages and facts: staff write them in the admin, the site shows them; an empty database
shows empty states, never demo text."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from demo.loader import load_pages
from network.models import Facts, Page
from tests import factories
from tests.utils import A11Y_IDS, count_queries

pytestmark = pytest.mark.django_db

KEYS = [key for key, _label in Page.Key.choices]
DEMO_WORDS = ("example.org", "demonstrac", "przykładow", "Przykładowa", "+48 22 000")


def html(response):
    return response.content.decode()


def text_of(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def main_of(response):
    return re.search(r"<main.*?</main>", html(response), flags=re.S).group(0)


def h1_of(response):
    match = re.search(r"<h1([^>]*)>(.*?)</h1>", html(response), flags=re.S)
    return match.group(1), text_of(match.group(2))


def url(key, language="pl"):
    with translation.override(language):
        return reverse(key)


def page(key="about", language="pl", **fields):
    values = {"title": "Tytuł strony", "summary": "Streszczenie.", "body": "Treść.", "is_published": True, **fields}
    return Page.objects.create(key=key, language=language, **values)


@pytest.mark.parametrize("key", KEYS)
def test_a_fresh_database_shows_every_network_page_empty_without_demo_text(client, key):
    factories.network(2)  # a directory with data, but no demo pages and no facts

    response = client.get(url(key))

    assert response.status_code == 200
    assert h1_of(response)[1] == str(Page.Key(key).label)
    page_text = html(response)
    for word in DEMO_WORDS:
        assert word not in page_text, word
    if key == Page.Key.ACCESSIBILITY:
        for element_id in A11Y_IDS:
            assert page_text.count(f'id="{element_id}"') == 1, element_id
        assert text_of(re.search(r'id="a11y-osoba">(.*?)</span>', page_text).group(1)) == "nie podano"
    else:
        assert "Ta strona jest jeszcze w przygotowaniu." in text_of(main_of(response))
        assert 'id="kontakt"' not in page_text


def test_every_public_page_of_a_fresh_database_is_free_of_demo_text(client):
    """No template holds an address, phone or demo note: with staff's data missing, nothing invented shows."""
    partnership = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    event = factories.event(title="Spacer", organisers=[partnership])
    addresses = [
        reverse("home"),
        reverse("partnerships:list"),
        partnership.get_absolute_url(),
        reverse("partnerships:district_list"),
        reverse("members:organisation_list"),
        reverse("events:list"),
        event.get_absolute_url(),
        reverse("search") + "?q=stegny",
        *(url(key, language) for key in KEYS for language in ("pl", "en")),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        for word in DEMO_WORDS:
            assert word not in html(response), (address, word)


def test_a_published_page_shows_the_staff_text_with_sections_as_h2(client):
    page(
        key="boris",
        title="Rola stowarzyszenia BORIS",
        summary="BORIS towarzyszy partnerstwom.",
        body="# Jak wspieramy\n\nSpotkania **co miesiąc**.\n\n## Dyżury\n\n- wtorki\n- czwartki",
    )

    response = client.get(url("boris"))

    assert h1_of(response) == ("", "Rola stowarzyszenia BORIS")
    main = main_of(response)
    assert re.search(r"<h2>Jak wspieramy</h2>", main)
    assert re.search(r"<h3>Dyżury</h3>", main)
    assert "<strong>co miesiąc</strong>" in main
    assert '<p class="lead prose">BORIS towarzyszy partnerstwom.</p>' in main
    assert '<meta name="description" content="BORIS towarzyszy partnerstwom.">' in html(response)
    assert re.search(r"<title>Rola stowarzyszenia BORIS · WSPL</title>", html(response))


def test_raw_html_and_scripts_in_a_page_body_are_not_shown(client):
    page(body='<h1>Drugi nagłówek</h1><script>alert(1)</script>\n\n[link](javascript:alert(1)) <b onclick="x()">b</b>')

    main = main_of(client.get(url("about")))

    assert "<script>" not in main and "javascript:" not in main and "onclick" not in main
    assert main.count("<h1") == 1  # the page's own


def test_a_draft_is_not_shown_until_published(client):
    draft = page(key="join", title="Jak dołączyć – szkic", is_published=False)

    assert "szkic" not in html(client.get(url("join")))

    draft.is_published = True
    draft.save()
    assert h1_of(client.get(url("join")))[1] == "Jak dołączyć – szkic"


def test_english_visitors_get_the_english_page(client):
    page(key="about", language="pl", title="O sieci")
    page(key="about", language="en", title="About the network", body="# Who we are")

    response = client.get(url("about", "en"))

    assert h1_of(response) == ("", "About the network")
    assert "<h2>Who we are</h2>" in main_of(response)
    assert 'lang="pl"' not in main_of(response)


def test_without_an_english_page_the_polish_one_is_shown_marked_as_polish(client):
    page(key="privacy", language="pl", title="Prywatność i dane osobowe", body="Nie śledzimy odwiedzających.")

    response = client.get(url("privacy", "en"))

    attributes, title = h1_of(response)
    assert title == "Prywatność i dane osobowe" and 'lang="pl"' in attributes
    main = main_of(response)
    assert re.search(r'<div lang="pl">\s*<p>Nie śledzimy odwiedzających.</p>', main)
    assert "is not available in your language yet" in text_of(main)


def test_the_facts_give_the_contact_section_and_the_privacy_email(client):
    Facts.objects.create(
        operator_name="Stowarzyszenie Centrum",
        contact_email="siec@wspl.test",
        contact_phone="+48 22 111 22 33",
        postal_address="ul. Próbna 1, Warszawa",
        privacy_email="dane@wspl.test",
    )

    join = main_of(client.get(url("join")))
    privacy = main_of(client.get(url("privacy")))

    contact = re.search(r'<section aria-labelledby="kontakt">.*?</section>', join, flags=re.S).group(0)
    assert 'href="mailto:siec@wspl.test"' in contact
    assert 'href="tel:+48221112233"' in contact
    assert "ul. Próbna 1, Warszawa" in contact and "Stowarzyszenie Centrum" in contact
    assert 'href="mailto:dane@wspl.test"' in privacy and "siec@wspl.test" not in privacy


def test_the_accessibility_statement_is_filled_from_the_facts(client):
    Facts.objects.create(
        operator_name="Stowarzyszenie Centrum",
        a11y_person="Anna Testowa",
        a11y_email="dostepnosc@wspl.test",
        a11y_phone="+48 22 333 44 55",
        a11y_published_on=date(2026, 5, 4),
        a11y_updated_on=date(2026, 6, 7),
        a11y_prepared_on=date(2026, 6, 8),
        a11y_status=Facts.Status.FULL,
        a11y_assessment=Facts.Assessment.EXTERNAL,
        a11y_architecture="Wejście **bez progów**.",
    )
    page(key="accessibility", title="Deklaracja dostępności", body="## Niezgodności\n\n- mapa")

    statement = html(client.get(url("accessibility")))

    for element_id in A11Y_IDS:
        assert statement.count(f'id="{element_id}"') == 1, element_id
    assert '<span id="a11y-podmiot">Stowarzyszenie Centrum</span>' in statement
    assert '<time id="a11y-data-publikacja" datetime="2026-05-04">2026-05-04</time>' in statement
    assert '<time id="a11y-data-aktualizacja" datetime="2026-06-07">2026-06-07</time>' in statement
    assert '<time id="a11y-data-sporzadzenie" datetime="2026-06-08">2026-06-08</time>' in statement
    assert "w pełni zgodna" in text_of(re.search(r'<p id="a11y-status">(.*?)</p>', statement, re.S).group(1))
    assert "podmiot zewnętrzny" in statement
    assert '<span id="a11y-osoba">Anna Testowa</span>' in statement
    assert '<a id="a11y-email" href="mailto:dostepnosc@wspl.test">' in statement
    assert '<a id="a11y-telefon" href="tel:+48223334455">' in statement
    assert "<h3>Niezgodności</h3>" in statement and "<strong>bez progów</strong>" in statement


@pytest.mark.parametrize("key", KEYS)
def test_a_network_page_runs_two_queries_and_none_for_sessions(client, key):
    load_pages()

    response, queries = count_queries(client, url(key))

    assert response.status_code == 200
    assert len(queries) == 2, queries
    assert not [sql for sql in queries if "django_session" in sql or "auth_user" in sql]


# --- the demo's pages ---------------------------------------------------------------------------------------


def test_the_demo_fills_every_page_in_both_languages_and_twice_changes_nothing():
    load_pages()
    history = Page.history.count() + Facts.history.count()
    load_pages()

    assert sorted(Page.objects.values_list("key", "language")) == sorted(
        (key, language) for key in KEYS for language in ("en", "pl")
    )
    assert Facts.objects.count() == 1
    assert Page.history.count() + Facts.history.count() == history
