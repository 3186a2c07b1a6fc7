"""The home page, the network's own pages and the error pages."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from demo.loader import load_pages
from events.models import Event
from members.models import Organisation

from .. import factories
from ..utils import A11Y_IDS, assert_flat_query_count, count_queries

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def text_of(fragment):
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def figures(response):
    """The figures of the home page as {label: number}, read from its <dl class="figures"> lists."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html(response), flags=re.S)
    return {text_of(label): int(text_of(value)) for label, value in pairs}


def event_cards(response):
    """The text of each event card on the home page, by event title."""
    section = html(response).split('id="wydarzenia-naglowek"')[1].split("</section>")[0]
    cards = re.findall(r"<article.*?</article>", section, flags=re.S)
    return {text_of(re.search(r"<h3[^>]*>(.*?)</h3>", card, flags=re.S).group(1)): text_of(card) for card in cards}


def heading_levels(response):
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html(response))]


def assert_one_h1_and_headings_in_order(response):
    levels = heading_levels(response)
    assert levels.count(1) == 1, levels
    assert levels[0] == 1, levels
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading skips a level: {levels}"


def h1_text(response):
    return text_of(re.search(r"<h1[^>]*>(.*?)</h1>", html(response), flags=re.S).group(1))


# --- home page -------------------------------------------------------------------------------


def test_home_figures_count_only_what_the_public_sees(client):
    published = factories.partnership(name="Nasze Stegny", districts=["mokotow", "zoliborz"])
    factories.partnership(name="Młyn na Woli", districts=["wola", "mokotow"])
    hidden = factories.partnership(name="Szkic partnerstwa", districts=["bemowo"], is_published=False)

    ngo_a = factories.organisation(name="Stowarzyszenie Sąsiedzi", sector=Organisation.Sector.NGO)
    ngo_b = factories.organisation(name="Fundacja Podwórko", sector=Organisation.Sector.NGO)
    library = factories.organisation(name="Biblioteka na Stegnach", sector=Organisation.Sector.PUBLIC)
    draft_ngo = factories.organisation(name="Fundacja w szkicu", sector=Organisation.Sector.NGO, is_published=False)
    shop = factories.organisation(name="Sklep Pod Lipą", sector=Organisation.Sector.BUSINESS)
    former = factories.organisation(name="Klub, który odszedł", sector=Organisation.Sector.INFORMAL)
    factories.organisation(name="Parafia bez partnerstwa", sector=Organisation.Sector.RELIGIOUS)

    for org in (ngo_a, ngo_b, library, draft_ngo):
        factories.membership(organisation_obj=org, partnership_obj=published)
    factories.membership(organisation_obj=ngo_a, partnership_obj=hidden)  # counted once, not twice
    factories.membership(organisation_obj=shop, partnership_obj=hidden)  # only in an unpublished partnership
    factories.membership(
        organisation_obj=former,
        partnership_obj=published,
        since=timezone.localdate() - timedelta(days=400),
        until=timezone.localdate() - timedelta(days=30),
    )

    factories.event(title="Piknik sąsiedzki")
    factories.event(title="Spotkanie partnerstwa", organisers=[published])
    factories.event(title="Odwołany spacer", status=Event.Status.CANCELLED, cancellation_reason="Ulewa w prognozie.")
    factories.event(title="Szkic wydarzenia", is_published=False)
    factories.event(title="Zeszłoroczny festyn", start=timezone.now() - timedelta(days=300))

    response = client.get(reverse("home"))

    assert figures(response) == {
        "Partnerstwa w katalogu": 2,
        "Dzielnice, w których działają": 3,
        "Organizacje członkowskie": 3,
        "Nadchodzące terminy wydarzeń": 3,  # the cancelled walk too: the agenda lists it, marked
        "Organizacje pozarządowe": 2,
        "Instytucje publiczne": 1,
    }


def test_home_lists_the_next_six_events_soonest_first_and_no_past_or_hidden_ones(client):
    now = timezone.now()
    for day in (7, 3, 1, 5, 2, 6, 4):
        factories.event(title=f"Spotkanie dnia {day}", start=now + timedelta(days=day))
    factories.event(title="Spotkanie, które już było", start=now - timedelta(days=2))
    factories.event(title="Spotkanie w szkicu", start=now + timedelta(hours=5), is_published=False)

    page = html(client.get(reverse("home")))

    listed = re.findall(r"Spotkanie dnia (\d)", page)
    assert listed == ["1", "2", "3", "4", "5", "6"]
    assert "Spotkanie, które już było" not in page
    assert "Spotkanie w szkicu" not in page
    assert reverse("events:list") in page


def test_home_event_shows_place_organisers_and_cancellation(client):
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    hall = factories.place(name="Dom Sąsiedzki Stegny", street_address="ul. Przykładowa 12", district_slug="mokotow")
    factories.event(title="Warsztaty ogrodnicze", place=hall, organisers=[stegny])
    factories.event(title="Spacer badawczy", status=Event.Status.CANCELLED, cancellation_reason="Choroba prowadzącej.")
    factories.event(title="Seminarium sieci", start=timezone.now() + timedelta(days=10))

    cards = event_cards(client.get(reverse("home")))

    assert "Dom Sąsiedzki Stegny" in cards["Warsztaty ogrodnicze"]
    assert "Nasze Stegny" in cards["Warsztaty ogrodnicze"]
    assert "odwołane" in cards["Spacer badawczy"]
    assert "odwołane" not in cards["Warsztaty ogrodnicze"]
    assert "Wydarzenie całej sieci" in cards["Seminarium sieci"]


def test_home_says_so_when_nothing_is_planned(client):
    factories.event(title="Dawne spotkanie", start=timezone.now() - timedelta(days=3))

    response = client.get(reverse("home"))

    assert "Na razie nie ma zaplanowanych wydarzeń." in html(response)
    assert "Dawne spotkanie" not in html(response)
    assert figures(response)["Nadchodzące terminy wydarzeń"] == 0
    assert "Nie ma jeszcze organizacji członkowskich w katalogu." in html(response)


def test_home_search_box_sends_q_to_the_partnership_list(client):
    page = html(client.get(reverse("home")))

    form = re.search(r'<form method="get" action="([^"]+)" role="search"', page)
    assert form and form.group(1) == reverse("partnerships:list")
    assert '<label for="home-szukaj"' in page
    assert re.search(r'<input type="search" id="home-szukaj" name="q"', page)


def test_home_links_to_every_entry_point(client):
    page = html(client.get(reverse("home")))

    for name in (
        "partnerships:list",
        "partnerships:district_list",
        "members:organisation_list",
        "events:list",
        "join",
        "about",
    ):
        assert f'href="{reverse(name)}"' in page, name


def test_home_has_one_h1_and_headings_in_order(client):
    factories.network(2)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert h1_text(response) == "Warszawska Sieć Partnerstw Lokalnych"
    assert_one_h1_and_headings_in_order(response)


def test_home_query_count_is_flat_and_touches_no_session(client):
    response = assert_flat_query_count(client, lambda partnerships: reverse("home"))

    assert figures(response)["Partnerstwa w katalogu"] == 12
    assert "sessionid" not in response.cookies


def test_anonymous_home_makes_no_session_or_user_query(client):
    factories.network(2)

    response, queries = count_queries(client, reverse("home"))

    assert response.status_code == 200
    assert not [sql for sql in queries if "django_session" in sql or "auth_user" in sql]
    assert "sessionid" not in response.cookies


def test_home_ignores_odd_query_strings(client):
    factories.partnership(name="Moje Wierzbno", districts=["mokotow"])

    long_response = client.get(reverse("home"), {"q": "x" * 10_000})
    nul_response = client.get(reverse("home") + "?q=%00abc&page=abc")

    for response in (long_response, nul_response):
        assert response.status_code == 200
        assert figures(response)["Partnerstwa w katalogu"] == 1


# --- the network's pages ---------------------------------------------------------------------

NETWORK_PAGES = [
    (
        "about",
        "O Warszawskiej Sieci Partnerstw Lokalnych",
        ["w 2008 roku", "2017 roku szesnaście lokalnych sieci", "Sześć warunków dobrego rozwoju partnerstwa"],
    ),
    ("boris", "Rola stowarzyszenia BORIS", ["„Warszawa Lokalnie”", "Konstytucji 4", "superwizję"]),
    ("join", "Jak dołączyć do sieci", ["Mieszkanka lub mieszkaniec", "siec@example.org"]),
    ("accessibility", "Deklaracja dostępności", ["częściowo zgodna", "Rzecznika Praw Obywatelskich"]),
    ("privacy", "Prywatność i dane osobowe", ["BORIS", "sessionid", "csrftoken", "tylko wtedy, gdy wyraziła"]),
]


@pytest.fixture
def demo_pages(db):
    """The network's pages and facts as the demo fills them (demo/data/pages.toml)."""
    load_pages()


@pytest.mark.parametrize(("name", "title", "key_texts"), NETWORK_PAGES, ids=[row[0] for row in NETWORK_PAGES])
def test_network_page_shows_its_title_and_key_text_in_two_queries(client, demo_pages, name, title, key_texts):
    response, queries = count_queries(client, reverse(name))

    assert response.status_code == 200
    assert h1_text(response) == title
    assert re.search(r"<title>[^<]+ · WSPL</title>", html(response))
    page = text_of(html(response))
    for text in key_texts:
        assert text in page, text
    assert_one_h1_and_headings_in_order(response)
    assert len(queries) == 2  # the page and the network's facts


def test_about_lists_the_six_conditions_and_links_to_groups_and_positions(client, demo_pages):
    page = html(client.get(reverse("about")))

    conditions = re.search(r"<h2>Sześć warunków dobrego rozwoju partnerstwa</h2>.*?<ol>(.*?)</ol>", page, re.S).group(1)
    assert conditions.count("<li>") == 6
    for condition in ("Animator", "lokalnych potrzebach", "komunikacja", "samorządu", "Miejsce", "sektorów"):
        assert condition in conditions
    assert f'href="{reverse("partnerships:working_group_list")}"' in page
    assert f'href="{reverse("partnerships:position_list")}"' in page


def test_join_gives_steps_for_partnerships_organisations_and_residents(client, demo_pages):
    page = html(client.get(reverse("join")))

    step_lists = re.findall(r"<ol>(.*?)</ol>", page, flags=re.S)
    assert len(step_lists) == 3
    assert all(steps.count("<li>") >= 4 for steps in step_lists)
    assert 'href="mailto:siec@example.org"' in page


def test_accessibility_statement_has_each_standard_id_once_and_iso_dates(client, demo_pages):
    page = html(client.get(reverse("accessibility")))

    for element_id in A11Y_IDS:
        assert page.count(f'id="{element_id}"') == 1, element_id
    for element_id in ("a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie"):
        match = re.search(rf'<time id="{element_id}" datetime="([^"]+)">([^<]+)</time>', page)
        assert match, element_id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", match.group(1))
        assert match.group(1) == match.group(2)
    status = re.search(r'<p id="a11y-status">(.*?)</p>', page, flags=re.S).group(1)
    assert "częściowo zgodna" in text_of(status)
    assert "@example.org" in re.search(r'id="a11y-email"[^>]*>([^<]+)<', page).group(1)


# --- error pages -----------------------------------------------------------------------------


def test_unknown_address_gives_the_polish_404_page(client, settings):
    assert settings.DEBUG is False

    response = client.get("/nie-ma-takiej-strony/")

    assert response.status_code == 404
    assert h1_text(response) == "Nie znaleziono strony"
    assert_one_h1_and_headings_in_order(response)
    page = html(response)
    assert '<html lang="pl">' in page
    assert f'href="{reverse("home")}"' in page
    assert f'action="{reverse("partnerships:list")}"' in page
    assert 'name="q"' in page and '<label for="szukaj-404-pole"' in page


def test_server_error_page_is_polish_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="pl">' in page
    assert "Coś poszło nie tak" in page
    assert page.count("<h1") == 1
    assert 'href="/"' in page


def menu_links(response):
    """[(label, aria-current or None)] of the main menu's links."""
    nav = re.search(r'<nav class="main-nav[^>]*>(.*?)</nav>', html(response), re.S).group(1)
    return [
        (label, current or None)
        for current, label in re.findall(r'<a href="[^"]*"(?: aria-current="([^"]*)")?>([^<]*)</a>', nav)
    ]


def test_main_menu_marks_the_section_the_visitor_is_in(client):
    partnership = factories.partnership()

    assert dict(menu_links(client.get(reverse("home")))) == dict.fromkeys(
        ["Partnerstwa", "Dzielnice", "Organizacje", "Wydarzenia", "Dobre praktyki", "O sieci"]
    )
    assert ("Partnerstwa", "page") in menu_links(client.get(reverse("partnerships:list")))
    assert ("Partnerstwa", "true") in menu_links(client.get(partnership.get_absolute_url()))
    assert ("O sieci", "true") in menu_links(client.get(reverse("join")))
    events = menu_links(client.get(reverse("events:list")))
    assert [(label, current) for label, current in events if current] == [("Wydarzenia", "page")]


def test_the_kept_header_and_footer_follow_the_language_and_the_section(client):
    """The header and footer are rendered once per process and language; every page still gets its own."""
    events, partnerships = reverse("events:list"), reverse("partnerships:list")
    polish = client.get(events)
    english = client.get("/en/events/")
    polish_again = client.get(partnerships)

    assert ("Events", "page") in menu_links(english)
    assert "Accessibility statement" in html(english) and "Deklaracja dostępności" not in html(english)
    assert ("Wydarzenia", "page") in menu_links(polish)
    assert [label for label, current in menu_links(polish_again) if current] == ["Partnerstwa"]
    assert "Deklaracja dostępności" in html(polish_again)
