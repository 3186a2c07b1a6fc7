"""Site-wide search (search/engine.py) and the directory filters: what a resident finds and sees."""

import os
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from members.models import PartnershipRole
from partnerships.models import Partnership, Place
from search import engine as site_search
from search.engine import KINDS_BY_KEY, Query, highlight, snippet
from tests import factories
from tests.utils import assert_flat_query_count, count_queries, log_in

pytestmark = pytest.mark.django_db

# Typo tolerance needs PostgreSQL's pg_trgm. CI's PostgreSQL run sets WSPL_EXPECT_DB=postgresql, so
# there these tests cannot be skipped by mistake: on another database they would run and fail.
only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql" and os.environ.get("WSPL_EXPECT_DB") != "postgresql",
    reason="trigram similarity (typo tolerance) exists only on PostgreSQL",
)


def search(client, q, **params):
    return client.get(reverse("search"), {"q": q, **params})


def text(response):
    return response.content.decode()


def group_titles(response, kind):
    """The titles listed in one group of results, in order, without the <mark> tags."""
    page = text(response)
    section = re.search(rf'<section aria-labelledby="wyniki-{kind}".*?</section>', page, re.S)
    if not section:
        return []
    titles = re.findall(r'<h3 class="h5 mb-1">(.*?)</h3>', section.group(0), re.S)
    return [
        re.sub(r"<[^>]+>", "", re.sub(r'<span class="badge-warn">.*?</span>', "", title)).strip() for title in titles
    ]


def group_heading(response, kind):
    heading = re.search(rf'<h2 id="wyniki-{kind}">(.*?)</h2>', text(response), re.S)
    return re.sub(r"<[^>]+>|\s+", " ", heading.group(1)).split() if heading else None


@pytest.fixture
def network():
    oficerski = factories.partnership(
        name="Żoliborz Oficerski", districts=["zoliborz"], description="Sąsiedzi z Żoliborza Oficerskiego."
    )
    stegny = factories.partnership(
        name="Nasze Stegny", districts=["mokotow"], area="Stegny", description="Działamy na Stegnach."
    )
    factories.partnership(
        name="Razem dla Grochowa", districts=["praga-poludnie"], area="Grochów", summary="Partnerstwo z Grochowa."
    )
    library = factories.organisation(name="Biblioteka na Sadach", district_slug="zoliborz", sector="public")
    factories.organisation(name="Klub Łódź", district_slug="wola")
    factories.membership(organisation_obj=library, partnership_obj=oficerski)
    place = factories.place(name="Dom Sąsiedzki Kaskada", district_slug="zoliborz", street_address="ul. Kaskadowa 10")
    factories.event(title="Piknik na Sadach", organisers=[oficerski], place=place)
    group = factories.working_group(name="Zespół do spraw domów sąsiedzkich", purpose="Domy sąsiedzkie w sieci.")
    factories.position(title="Stanowisko w sprawie domów sąsiedzkich", summary="Każda dzielnica potrzebuje domu.")
    return {"oficerski": oficerski, "stegny": stegny, "library": library, "group": group}


# --- diacritics, case and prefixes: on every database ------------------------------------------------------------


@pytest.mark.parametrize("q", ["zoliborz", "ŻOLIBORZ", "Żoliborz", "żOLIBORZ"])
def test_case_and_polish_letters_do_not_matter(client, network, q):
    response = search(client, q)

    assert response.status_code == 200
    assert "Żoliborz Oficerski" in group_titles(response, "partnerstwa")
    assert group_titles(response, "dzielnice") == ["Żoliborz"]
    assert "Biblioteka na Sadach" in group_titles(response, "organizacje")


def test_ascii_typing_finds_names_with_polish_letters(client, network):
    assert group_titles(search(client, "praga poludnie"), "dzielnice") == ["Praga-Południe"]
    assert group_titles(search(client, "lodz"), "organizacje") == ["Klub Łódź"]


def test_polish_letters_typed_find_ascii_text_too(client, network):
    factories.organisation(name="Fundacja Zolibórz Plus")

    assert "Fundacja Zolibórz Plus" in group_titles(search(client, "żoliborz"), "organizacje")


def test_start_of_a_word_finds_the_whole_word(client, network):
    response = search(client, "moko")

    assert group_titles(response, "dzielnice") == ["Mokotów"]
    assert "Nasze Stegny" in group_titles(response, "partnerstwa")  # works in Mokotów


def test_district_name_finds_what_is_there(client, network):
    response = search(client, "praga poludnie")

    assert group_titles(response, "partnerstwa") == ["Razem dla Grochowa"]


def test_words_combine_own_text_and_district(client, network):
    factories.organisation(name="Biblioteka na Woli", district_slug="wola", sector="public")

    assert group_titles(search(client, "biblioteka zoliborz"), "organizacje") == ["Biblioteka na Sadach"]


def test_name_matches_rank_above_description_matches(client):
    factories.partnership(name="Aktywne Sąsiedztwo", description="Osiedle Wierzbno to nasze miejsce.")
    factories.partnership(name="Wierzbno Razem")
    factories.partnership(name="Moje Wierzbno")

    titles = group_titles(search(client, "wierzbno"), "partnerstwa")

    assert titles == ["Wierzbno Razem", "Moje Wierzbno", "Aktywne Sąsiedztwo"]


def test_results_are_grouped_by_kind_with_counts(client, network):
    response = search(client, "sasiedzk")

    assert response.status_code == 200
    assert group_heading(response, "miejsca") == ["Miejsca", "1"]
    assert group_heading(response, "zespoly") == ["Zespoły", "robocze", "1"]
    assert group_heading(response, "stanowiska") == ["Stanowiska", "sieci", "1"]
    assert group_heading(response, "osoby") is None  # no empty groups
    counts = [int(words[-1]) for kind in KINDS_BY_KEY if (words := group_heading(response, kind))]
    assert f"Znaleziono {sum(counts)} wyn" in text(response)
    tabs = re.search(r'<nav aria-label="Rodzaje wyników".*?</nav>', text(response), re.S).group(0)
    assert "typ=miejsca" in tabs and "typ=zespoly" in tabs and "typ=osoby" not in tabs


def test_matching_words_are_highlighted_with_their_polish_letters(client, network):
    factories.partnership(name="Kaskada", summary="", description="Sąsiedzi z Żoliborza i Bielan.")

    page = text(search(client, "zoliborz"))

    assert "<mark>Żoliborz</mark> Oficerski" in page
    assert "Sąsiedzi z <mark>Żoliborz</mark>a i Bielan." in page


def test_highlighting_escapes_the_text_before_marking_it():
    assert highlight("<b>Żoliborz</b> & Wola", ("zoliborz",)) == "&lt;b&gt;<mark>Żoliborz</mark>&lt;/b&gt; &amp; Wola"
    assert highlight("a < b", ("<",)) == "a <mark>&lt;</mark> b"


def test_snippet_is_cut_around_the_first_match():
    long_text = "Początek opisu. " * 20 + "Tu jest Żoliborz i jego sąsiedzi. " + "Dalszy ciąg. " * 20

    fragment = snippet(long_text, ("zoliborz",))

    assert "<mark>Żoliborz</mark>" in fragment
    assert fragment.startswith("… ") and fragment.endswith(" …")
    assert len(fragment) < 260


def test_query_words_are_folded_and_trimmed_of_quotes():
    query = Query.parse("  „Moje  WIERZBNO”, Żoliborz  ")

    assert query.words == ("moje", "wierzbno", "zoliborz")
    assert query.tokens == ("moje", "wierzbno", "żoliborz")


# --- who and what may be found ----------------------------------------------------------------------------------


def test_unpublished_objects_are_found_by_staff_only(client, staff_user):
    staff_client = Client()
    log_in(staff_client, staff_user)
    factories.partnership(name="Ukryte Partnerstwo Wola", is_published=False)
    factories.organisation(name="Ukryta Fundacja Wola", is_published=False)
    factories.event(title="Ukryte spotkanie Wola", is_published=False)

    public = search(client, "ukryt")
    staff = search(staff_client, "ukryt")

    for kind, name in [
        ("partnerstwa", "Ukryte Partnerstwo Wola"),
        ("organizacje", "Ukryta Fundacja Wola"),
        ("wydarzenia", "Ukryte spotkanie Wola"),
    ]:
        assert name not in group_titles(public, kind)
        assert name in group_titles(staff, kind)
    assert "Znaleziono 0 wyników" in text(public)
    assert "nieopublikowane" in text(staff)


def test_people_are_found_only_with_a_current_role_in_a_published_partnership(client, network):
    hidden_partnership = factories.partnership(name="Szkic", is_published=False)
    active = factories.person(first_name="Halina", last_name="Obecna")
    factories.team_role(person_obj=active, partnership_obj=network["oficerski"])
    former = factories.person(first_name="Halina", last_name="Dawna")
    factories.team_role(person_obj=former, partnership_obj=network["oficerski"], until="2020-01-01")
    draft = factories.person(first_name="Halina", last_name="Szkicowa")
    factories.team_role(person_obj=draft, partnership_obj=hidden_partnership)
    factories.person(first_name="Halina", last_name="Bezroli")

    response = search(client, "halina")

    assert group_titles(response, "osoby") == ["Halina Obecna"]
    assert "animator/animatorka – " in text(response)
    assert network["oficerski"].get_absolute_url() in text(response)


def test_person_with_several_roles_shows_the_first_and_how_many(client, network):
    person = factories.person(first_name="Irena", last_name="Wielorola")
    factories.team_role(person_obj=person, partnership_obj=network["oficerski"])
    factories.team_role(person_obj=person, partnership_obj=network["stegny"], role=PartnershipRole.Role.COORDINATOR)

    page = text(search(client, "wielorola"))

    stegny = network["stegny"]
    assert f'koordynator/koordynatorka – <a href="{stegny.get_absolute_url()}">Nasze Stegny</a>' in page
    assert "ról w partnerstwach: 2" in page


def test_person_contact_is_shown_only_with_consent(client, network):
    agreed = factories.person(
        first_name="Zofia", last_name="Zgoda", email="zofia@example.org", phone="600 100 200", public_contact=True
    )
    refused = factories.person(first_name="Zofia", last_name="Bezzgody", email="tajny@example.org", phone="600 999 999")
    for person in (agreed, refused):
        factories.team_role(person_obj=person, partnership_obj=network["stegny"], role=PartnershipRole.Role.CONTACT)

    page = text(search(client, "zofia"))

    assert "zofia@example.org" in page and "600 100 200" in page
    assert "tajny@example.org" not in page and "600 999 999" not in page
    assert group_titles(search(client, "zofia"), "osoby") == ["Zofia Bezzgody", "Zofia Zgoda"]


def test_working_groups_and_positions_are_found(client, network):
    response = search(client, "domow sasiedzkich")

    assert group_titles(response, "zespoly") == ["Zespół do spraw domów sąsiedzkich"]
    assert group_titles(response, "stanowiska") == ["Stanowisko w sprawie domów sąsiedzkich"]
    assert network["group"].get_absolute_url() in text(response)


def test_events_show_their_date_and_place(client, network):
    response = search(client, "piknik")

    assert group_titles(response, "wydarzenia") == ["Piknik na Sadach"]
    assert "Dom Sąsiedzki Kaskada" in text(response)


# --- one kind, paging -----------------------------------------------------------------------------------------


def test_one_kind_of_results_is_paginated(client, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        factories.organisation(name=f"Stowarzyszenie Powiśle {n}")
    factories.partnership(name="Powiśle Razem")

    first = search(client, "powisle", typ="organizacje")
    third = search(client, "powisle", typ="organizacje", page=3)

    assert group_titles(first, "organizacje") == ["Stowarzyszenie Powiśle 0", "Stowarzyszenie Powiśle 1"]
    assert group_titles(third, "organizacje") == ["Stowarzyszenie Powiśle 4"]
    assert "Znaleziono 5 wyników" in text(first)
    assert "Powiśle Razem" not in text(first)
    assert 'aria-label="Strony wyników"' in text(first)
    assert "typ=partnerstwa" in text(first)  # the other kinds stay one click away


@pytest.mark.parametrize("page", ["abc", "99", "0"])
def test_page_that_does_not_exist_is_404(client, network, page):
    assert search(client, "zoliborz", typ="organizacje", page=page).status_code == 404


def test_overview_shows_the_first_results_and_links_to_the_rest(client):
    for n in range(7):
        factories.organisation(name=f"Fundacja Ursynów {n}")

    response = search(client, "ursynow")

    assert len(group_titles(response, "organizacje")) == 5
    assert "Wszystkie wyniki w grupie „Organizacje” (7)" in text(response)


# --- bad input never breaks the page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "%",
        "_",
        "\\",
        "'",
        '"',
        "' OR 1=1 --",
        "'; DROP TABLE partnerships_partnership; --",
        '"unmatched',
        "a%b_c",
        "::*& | ! ( ) <->",
    ],
)
def test_garbage_queries_give_a_normal_page_with_nothing_found(client, network, q):
    response = search(client, q)

    assert response.status_code == 200
    assert "Znaleziono 0 wyników" in text(response) or "Znaleziono" not in text(response)
    assert Partnership.objects.count() == 3


# --- streets and KRS numbers ---------------------------------------------------------------------------------


def test_a_street_finds_its_meeting_places_and_who_meets_there(client, network):
    network["oficerski"].places.add(Place.objects.get(name="Dom Sąsiedzki Kaskada"))
    network["stegny"].places.add(Place.objects.get(name="Dom Sąsiedzki Kaskada"))
    square = factories.place(name="Klub na placu", district_slug="ochota", street_address="pl. Narutowicza 1")
    factories.partnership(name="Partnerstwo przy placu", districts=["ochota"]).places.add(square)

    kaskadowa = search(client, "Kaskadowa")
    spelled_out = search(client, "plac Narutowicza")
    street_word = search(client, "ulica Kaskadowa")

    assert group_titles(kaskadowa, "miejsca") == ["Dom Sąsiedzki Kaskada"]
    hit = " ".join(re.sub(r"<[^>]+>", " ", text(kaskadowa).split('id="wyniki-miejsca"')[1]).split())
    assert "ul. Kaskadowa 10, Żoliborz · spotyka się tu: Nasze Stegny i 1 inne partnerstwo" in hit
    assert group_titles(spelled_out, "miejsca") == ["Klub na placu"]
    assert "spotyka się tu: Partnerstwo przy placu" in " ".join(re.sub(r"<[^>]+>", " ", text(spelled_out)).split())
    assert group_titles(street_word, "miejsca") == ["Dom Sąsiedzki Kaskada"]


def test_a_krs_number_finds_its_organisation(client, network):
    factories.organisation(name="Fundacja Sąsiedzka", krs="0000123456")

    assert group_titles(search(client, "0000123456"), "organizacje") == ["Fundacja Sąsiedzka"]


def test_nothing_found_suggests_the_districts_and_whats_near(client, network):
    page = text(search(client, "Mickiewicza"))

    assert "Nic nie znaleźliśmy" in page
    assert f'<a href="{reverse("partnerships:district_list")}">listę dzielnic</a>' in page
    assert f'<a href="{reverse("nearby")}">co jest blisko Ciebie</a>' in page


def test_wildcards_in_a_word_match_only_themselves(client, network):
    factories.organisation(name="Zniżka 50%-owa dla seniorów")

    # Four characters: below the length for typo matching, so only the literal text can match.
    assert group_titles(search(client, "0%-o"), "organizacje") == ["Zniżka 50%-owa dla seniorów"]
    assert group_titles(search(client, "5%-o"), "organizacje") == []  # "%" is no wildcard
    assert group_titles(search(client, "0_-o"), "organizacje") == []  # nor is "_"


def test_words_too_short_to_search_for_are_left_out_and_named(client, network):
    factories.organisation(name="Biblioteka na Woli", district_slug="wola")

    with_short = search(client, "biblioteka w a")
    only_short = search(client, "w a")

    assert "Biblioteka na Woli" in group_titles(with_short, "organizacje")
    assert "Pominęliśmy słowa krótsze niż 3 znaki: w, a." in text(with_short)
    assert "Wpisz słowo z co najmniej 3 znaków" in text(only_short)
    assert "Znaleziono" not in text(only_short)


def test_more_matches_than_are_counted_show_as_more_than_the_limit(client, monkeypatch, settings):
    monkeypatch.setattr(site_search, "COUNT_LIMIT", 3)
    settings.PAGE_SIZE = 2
    for n in range(5):
        factories.organisation(name=f"Fundacja {n}", description="Działamy pod kasztanowcami.")
    factories.organisation(name="Kasztanowce Razem")
    factories.organisation(name="Klub Seniora", description="Spotkania pod kasztanowcami.")

    overview = search(client, "kasztanowc")
    one_kind = search(client, "kasztanowc", typ="organizacje")
    last_page = search(client, "kasztanowc", typ="organizacje", page=2)

    # Seven match, three are counted (and one more, to know there are more): the name that holds the
    # word still comes first, though the database read only the first few matches.
    assert group_heading(overview, "organizacje") == ["Organizacje", "ponad", "3"]
    assert group_titles(overview, "organizacje")[0] == "Kasztanowce Razem"
    assert "Wszystkie wyniki w grupie „Organizacje” (ponad 3)" in text(overview)
    assert "Znaleziono ponad 3 wyniki dla „kasztanowc”" in text(overview)
    assert "Znaleziono ponad 3 wyniki" in text(one_kind)
    assert group_titles(one_kind, "organizacje")[0] == "Kasztanowce Razem"
    assert len(group_titles(one_kind, "organizacje") + group_titles(last_page, "organizacje")) == 3
    assert search(client, "kasztanowc", typ="organizacje", page=3).status_code == 404


def test_a_count_up_to_the_limit_is_exact(client, monkeypatch):
    monkeypatch.setattr(site_search, "COUNT_LIMIT", 3)
    for n in range(3):
        factories.organisation(name=f"Fundacja Kasztan {n}")

    response = search(client, "kasztan")

    assert group_heading(response, "organizacje") == ["Organizacje", "3"]
    assert "Znaleziono 3 wyniki dla „kasztan”" in text(response)


def test_html_in_the_query_is_shown_escaped(client, network):
    page = text(search(client, "<script>alert(1)</script>"))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_very_long_query_gives_a_polish_message(client, network):
    response = search(client, "żoliborz " * 1200)

    assert response.status_code == 200
    assert "Wpisz krócej – najwyżej 200 znaków." in text(response)
    assert "Znaleziono" not in text(response)


def test_unknown_kind_gives_a_polish_message(client, network):
    response = search(client, "zoliborz", typ="smoki")

    assert response.status_code == 200
    assert "Nie ma takiego rodzaju wyników – wybierz go z listy." in text(response)


def test_nul_byte_is_dropped_and_the_rest_searched(client, network):
    response = search(client, "Żolibo\x00rz")

    assert response.status_code == 200
    assert "Żoliborz Oficerski" in group_titles(response, "partnerstwa")


def test_empty_search_page_shows_the_form_and_examples(client):
    response = client.get(reverse("search"))
    page = text(response)

    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert '<label for="id_q"' in page
    assert "Na przykład" in page
    assert 'name="robots" content="noindex, follow"' in page


# --- everywhere, and cheap ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "partnerships:list", "about", "search"])
def test_every_page_has_the_search_box_in_its_header(client, name):
    page = text(client.get(reverse(name)))

    header = re.search(r"<header.*?</header>", page, re.S).group(0)
    assert f'action="{reverse("search")}"' in header
    assert '<label class="visually-hidden" for="szukaj-w-serwisie">Szukaj w serwisie</label>' in header
    assert 'name="q"' in header


def test_search_query_count_is_flat_and_bounded(client):
    response = assert_flat_query_count(client, lambda partnerships: reverse("search") + "?q=testow")

    assert group_heading(response, "osoby")  # people (with their roles prefetched) are part of the count


def test_one_kind_query_count_is_flat_and_bounded(client):
    assert_flat_query_count(client, lambda partnerships: reverse("search") + "?q=testow&typ=osoby")


def test_search_with_many_words_still_runs_a_bounded_number_of_queries(client, network):
    response, queries = count_queries(client, reverse("search") + "?q=" + "+".join(["sasiedzki"] * 30))

    assert response.status_code == 200
    assert len(queries) <= 10


# --- PostgreSQL: typos ----------------------------------------------------------------------------------------


@only_on_postgresql
@pytest.mark.parametrize(
    ("q", "kind", "expected"),
    [
        ("Mokotow", "dzielnice", "Mokotów"),
        ("Mokotóww", "dzielnice", "Mokotów"),
        ("Żoliboż", "dzielnice", "Żoliborz"),
        ("zoliborzz", "partnerstwa", "Żoliborz Oficerski"),
        ("praga poludnei", "dzielnice", "Praga-Południe"),
        ("bibloteka", "organizacje", "Biblioteka na Sadach"),
    ],
)
def test_small_typos_still_find_on_postgresql(client, network, q, kind, expected):
    assert expected in group_titles(search(client, q), kind)


@only_on_postgresql
def test_postgresql_has_the_search_extensions_and_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
        extensions = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["search%"])
        indexes = {row[0] for row in cursor.fetchall()}

    assert extensions == {"unaccent", "pg_trgm"}
    for table in ("partnerships_partnership", "members_organisation", "events_event", "members_person"):
        assert f"search_{table}_trgm" in indexes
        assert f"search_{table}_fts" in indexes
        assert f"search_{table}_name_trgm" in indexes


# --- directory filters: formal status, conditions, counts ---------------------------------------------------------


@pytest.fixture
def directory():
    factories.partnership(
        name="Z deklaracją",
        formal_status=Partnership.FormalStatus.DECLARATION,
        condition_space=True,
        districts=["wola"],
    )
    factories.partnership(name="Nieformalne", formal_status=Partnership.FormalStatus.INFORMAL, districts=["wola"])
    factories.partnership(
        name="Stowarzyszenie", formal_status=Partnership.FormalStatus.REGISTERED, condition_space=True
    )


def listed(response):
    return re.findall(r'<h3 class="card-title h5"><a href="[^"]+">([^<]+)</a>', text(response))


def test_partnerships_filter_by_formal_status_and_met_condition(client, directory):
    url = reverse("partnerships:list")

    assert listed(client.get(url, {"forma": "declaration"})) == ["Z deklaracją"]
    assert listed(client.get(url, {"warunek": "space"})) == ["Stowarzyszenie", "Z deklaracją"]
    assert listed(client.get(url, {"warunek": "space", "forma": "registered"})) == ["Stowarzyszenie"]


def test_partnership_filter_choices_show_counts_and_a_clear_link(client, directory):
    page = text(client.get(reverse("partnerships:list"), {"forma": "informal"}))

    assert ">podpisana deklaracja partnerska (1)</option>" in page
    assert ">Miejsce do działania (2)</option>" in page
    assert ">Wola (2)</option>" in page
    assert ">Bemowo (0)</option>" in page
    assert f'<a href="{reverse("partnerships:list")}">Wyczyść filtry</a>' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"forma": "cesarstwo"}, "Nie ma takiej formy współpracy – wybierz ją z listy."),
        ({"warunek": "<script>"}, "Nie ma takiego warunku – wybierz go z listy."),
    ],
)
def test_unknown_filter_value_shows_a_polish_message_and_no_rows(client, directory, params, message):
    response = client.get(reverse("partnerships:list"), params)

    assert response.status_code == 200
    assert message in text(response)
    assert listed(response) == []


def test_organisation_filter_choices_show_counts(client):
    partnership = factories.partnership(name="Nasze Bielany")
    for n in range(3):
        organisation = factories.organisation(name=f"Fundacja Bielańska {n}", district_slug="bielany")
        factories.membership(organisation_obj=organisation, partnership_obj=partnership)
    factories.organisation(name="Firma", sector="business")

    page = text(client.get(reverse("members:organisation_list")))

    assert ">organizacja pozarządowa (3)</option>" in page
    assert ">firma (1)</option>" in page
    assert ">Bielany (3)</option>" in page
    assert ">Nasze Bielany (3)</option>" in page


def test_filtered_partnership_list_query_count_is_flat(client):
    assert_flat_query_count(
        client, lambda partnerships: reverse("partnerships:list") + "?forma=informal&warunek=space&dzielnica=zoliborz"
    )
