"""Search at scale: bounded counting and ranking, the same rows from every statement, few queries."""

import inspect
import re
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from members.models import Organisation, PartnershipRole
from partnerships.models import Partnership
from search import engine as site_search
from search.engine import KINDS, Query, highlight
from tests import factories
from tests.search.test_search import group_heading, group_titles, only_on_postgresql, search, text
from tests.utils import assert_flat_query_count, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """A little of every kind, with names that share letters, LIKE wildcards and Polish letters."""
    oficerski = factories.partnership(
        name="Żoliborz Oficerski", districts=["zoliborz"], description="Sąsiedzi z Żoliborza, 100% sąsiedzko."
    )
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"], area="Stegny_Sadyba")
    factories.partnership(name="Szkic partnerstwa", districts=["wola"], is_published=False)
    library = factories.organisation(name="Biblioteka na Sadach", district_slug="zoliborz", sector="public")
    factories.organisation(name="Klub Łódź", district_slug="wola", description="Ul. Wolska 1, back\\slash")
    factories.membership(organisation_obj=library, partnership_obj=oficerski)
    place = factories.place(name="Dom Sąsiedzki Kaskada", district_slug="zoliborz", street_address="ul. Kaskadowa 10")
    factories.event(title="Piknik na Sadach", organisers=[oficerski], place=place)
    factories.event(title="Piknik na Sadach", start=timezone.now() - timedelta(days=30), organisers=[stegny])
    factories.event(title="Piknik w ogrodzie", start=timezone.now() + timedelta(days=40), place=place)
    factories.team_role(
        person_obj=factories.person(first_name="Ola", last_name="Sadowska", public_contact=True),
        partnership_obj=oficerski,
        role=PartnershipRole.Role.COORDINATOR,
    )
    factories.working_group(name="Zespół do spraw domów sąsiedzkich")
    factories.position(title="Stanowisko w sprawie domów sąsiedzkich")
    factories.working_group(name="Zespół Praga Południe")
    factories.position(title="Stanowisko w sprawie Polski lokalnej")


def shown(groups):
    return [
        (group.kind.key, group.total, [(hit.title, hit.snippet, hit.url, hit.labels) for hit in group.hits])
        for group in groups
    ]


QUERIES = [
    "a",
    "sad",
    "piknik na sadach",
    "zoliborz",
    "Żoliborz biblioteka",
    "sasiedzk dom",
    "100%",
    "stegny_sadyba",
    "_",
    "%",
    "\\",
    "back\\slash",
    "' OR 1=1 --",
    "„Nasze Stegny”",
    "ul",
    "mokotow",
    "nic-takiego-nie-ma",
    "bibloteka",  # a typo: found on PostgreSQL
    "Mokotóww sadach",
    "dom sasiedzki kaskada ul kaskadowa 10 zoliborz piknik sad",  # more words than are searched for
    "Praga-Połud",  # names districts; found by full text only in rows of kinds without districts
    "a-pol",
    "zoliborzz sasiedzi",  # a typo of a district with close words, and a word found as it is
    "wola zoliborz",  # every word names a district: one is read as ids, the other checked on those rows
    "sad kaskad",  # a word that names no district is read through its index, the other words checked
]


@pytest.mark.parametrize("q", QUERIES)
def test_overview_one_kind_pages_and_counts_agree(city, plain_user, q):
    # The overview's first rows and totals, a kind's own pages and the counts of the tabs are three
    # statements each: they must find the same rows, in the same order, for any visitor who sees the same.
    query = Query.parse(q)
    now = timezone.now()

    overview = site_search.search_overview(query, user=None, now=now)
    counts = site_search.count_matches(query, user=None)

    assert shown(overview) == shown(site_search.search_overview(query, user=plain_user, now=now))
    assert counts == site_search.count_matches(query, user=plain_user)
    for group in overview:
        pages = site_search.search_kind(query, group.kind, user=None, now=now)
        assert [obj.pk for obj in pages[0:5]] == [hit.object.pk for hit in group.hits], group.kind.key
        assert counts[group.kind.key] == group.total
        assert pages.count() == group.total.count


def test_search_statements_use_no_private_parts_of_django():
    # Built with the ORM's public API for every search: nothing compiled once and kept, no reading of
    # the compiler's internals or of several result sets from one cursor.
    source = inspect.getsource(site_search)

    for name in ("get_related_populators", "klass_info", "nextset", "_iterable_class", "_prefetch_related_lookups"):
        assert name not in source


def test_upcoming_date_comes_first_for_anonymous_visitors(client, city):
    # The time is a parameter of the compiled SQL, not a constant frozen into it.
    response = search(client, "piknik", typ="wydarzenia")
    page = text(response)

    dates = re.findall(r'<time datetime="([^"]+)"', page)
    assert group_titles(response, "wydarzenia") == ["Piknik na Sadach", "Piknik w ogrodzie", "Piknik na Sadach"]
    assert dates[0] < dates[1] and dates[2] < dates[0]


def test_unpublished_results_stay_hidden_from_anonymous_visitors_only(staff_client, city):
    assert group_titles(search(Client(), "szkic"), "partnerstwa") == []
    assert group_titles(search(staff_client, "szkic"), "partnerstwa") == ["Szkic partnerstwa"]


def test_results_show_the_choice_labels_in_the_visitors_language(client, city):
    oficerski = Partnership.objects.get(name="Żoliborz Oficerski")
    library = Organisation.objects.get(name="Biblioteka na Sadach")
    picnic = Event.objects.filter(title="Piknik w ogrodzie").get()

    page = text(search(client, "zoliborz")) + text(search(client, "ogrodzie"))
    with translation.override("en"):
        english = text(client.get(reverse("search"), {"q": "zoliborz"}))
        english_sector = library.get_sector_display()

    assert f"partnerstwo {oficerski.get_kind_display()} · {oficerski.get_status_display()}" in page
    assert "instytucja publiczna · Żoliborz" in page
    assert f"· {picnic.get_kind_display()} · Dom Sąsiedzki Kaskada" in page
    assert english_sector != "instytucja publiczna"
    assert f"{english_sector} · Żoliborz" in english


def test_highlight_keeps_its_place_when_a_character_folds_to_several_or_none():
    # "ﬁ" folds to two letters and a combining accent to none: the <mark> still covers the right text.
    assert highlight("ﬁlia Wola", ["wola"]) == "ﬁlia <mark>Wola</mark>"
    assert highlight("Zo\u0301liborz i Wola", ["zoliborz"]) == "<mark>Zo\u0301liborz</mark> i Wola"
    assert highlight("ﬁlia", ["fil"]) == "<mark>ﬁl</mark>ia"


def test_common_letters_show_at_most_five_results_a_group_and_one_page_a_kind(client, settings):
    settings.PAGE_SIZE = 4
    factories.network(7)

    # "nie": in every event's title ("Spotkanie …", "Wydarzenie …"); a single letter is not searched for.
    overview = search(client, "nie")
    one_kind = search(client, "nie", typ="wydarzenia")

    for kind in KINDS:
        assert len(group_titles(overview, kind.key)) <= 5
    assert len(group_titles(overview, "wydarzenia")) == 5
    assert "Wszystkie wyniki w grupie „Wydarzenia” (21)" in text(overview)
    assert len(group_titles(one_kind, "wydarzenia")) == 4
    assert "Znaleziono 21 wyników" in text(one_kind)


def test_common_letters_query_count_is_flat_and_bounded(client, settings):
    settings.PAGE_SIZE = 2
    # The overview: one query per kind, one for the words' districts and (PostgreSQL) one for the search's settings.
    overview_most = len(KINDS) + 2
    assert_flat_query_count(client, lambda partnerships: reverse("search") + "?q=nie", most=overview_most)
    assert_flat_query_count(client, lambda partnerships: reverse("search") + "?q=nie&typ=wydarzenia&page=2")


@only_on_postgresql
def test_overview_on_postgresql_takes_one_query_per_kind_and_two_more(client, city):
    # One for the districts the words name and the words of the site close to the typed ones, one for
    # the search's settings, one per kind for its best results with its bounded total: none for the
    # districts when no district is named by every word.
    response, queries = count_queries(client, reverse("search") + "?q=piknik+sadach")
    named, named_queries = count_queries(client, reverse("search") + "?q=zoliborz")
    statements = queries  # inside the test's transaction: no BEGIN or COMMIT of its own

    assert group_titles(response, "wydarzenia")
    assert len(statements) == len(KINDS) + 1
    assert "partnerships_district" in statements[0] and "search_searchword" in statements[0]
    assert statements[1] == site_search.SEARCH_SETTINGS
    assert not any(statement.startswith('SELECT "partnerships_district"') for statement in statements)
    assert group_titles(named, "dzielnice") == ["Żoliborz"]
    assert len(named_queries) == len(KINDS) + 2
    assert connection.vendor == "postgresql"


@only_on_postgresql
@pytest.mark.parametrize("q", QUERIES)
def test_ids_per_index_find_what_one_condition_finds(city, q):
    # When every word names a district, one word's condition is a UNION of ids from the indexes and the
    # others are checked on those rows; otherwise one condition with the districts ORed in. Both must
    # find the same rows.
    query = Query.parse(q).resolve()

    for kind in KINDS:
        found = set(kind.matching(query, None).values_list("pk", flat=True))
        assert found == set(kind.matching(query, None, as_ids=False).values_list("pk", flat=True)), kind.key


@only_on_postgresql
def test_every_word_naming_a_district_finds_rows_in_it_and_rows_that_name_it(client, city):
    oficerski = Partnership.objects.get(name="Żoliborz Oficerski")
    factories.event(title="Spacer po Mokotowie i Żoliborzu", organisers=[Partnership.objects.get(name="Nasze Stegny")])
    factories.event(title="Koncert bez miejsca", organisers=[oficerski])

    page = search(client, "zoliborz", typ="wydarzenia")

    # On Żoliborz (the place), organised by a partnership working there, or naming it.
    assert sorted(group_titles(page, "wydarzenia")) == [
        "Koncert bez miejsca",
        "Piknik na Sadach",
        "Piknik w ogrodzie",
        "Spacer po Mokotowie i Żoliborzu",
    ]


def words_of_the_site():
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM search_searchword")
        return {row[0] for row in cursor.fetchall()}


@only_on_postgresql
def test_the_word_table_follows_saves_bulk_writes_and_updates():
    library = factories.organisation(name="Wypożyczalnia Żaglówek 2024")
    Event.objects.bulk_create(
        [Event(title="x", slug="x", start=timezone.now(), end=timezone.now(), search_text="kajakarze regaty")]
    )
    Organisation.objects.filter(pk=library.pk).update(search_text="wypozyczalnia zaglowek przystan")

    words = words_of_the_site()

    assert {"wypozyczalnia", "zaglowek", "kajakarze", "regaty", "przystan"} <= words
    assert "2024" not in words  # no letter: never a typo of a word


@only_on_postgresql
def test_a_typo_finds_a_word_written_only_by_a_bulk_update(client):
    library = factories.organisation(name="Przystań")
    Organisation.objects.filter(pk=library.pk).update(search_text="przystan kajakowa nad wisla")

    # "kajakowaa" shares no word with the text: only the word table's close word "kajakowa" finds it.
    assert group_titles(search(client, "kajakowaa"), "organizacje") == ["Przystań"]


@only_on_postgresql
def test_a_typo_finds_every_ending_of_a_word_however_many_there_are(client, settings):
    settings.PAGE_SIZE = 20
    endings = ["a", "e", "y", "ej", "ym", "ka", "ki", "ego", "emu", "ych", "ymi", "kom", "kami"]
    for ending in endings:
        factories.organisation(name=f"Klub ogrodnicz{ending}")

    # "ogrodniczz" is close to all thirteen words, each as close as the others: none may be cut off.
    found = group_titles(search(client, "ogrodniczz", typ="organizacje"), "organizacje")

    assert sorted(found) == sorted(f"Klub ogrodnicz{ending}" for ending in endings)


@only_on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_adding_the_same_new_word_never_wait_for_each_other():
    first, second = factories.organisation(name="Pierwsza"), factories.organisation(name="Druga")
    params = connection.get_connection_params()
    with psycopg.connect(**params) as one, psycopg.connect(**params) as two:
        one.execute("UPDATE members_organisation SET search_text = 'wiklinowy' WHERE id = %s", [first.pk])
        # The first transaction is still open; with a unique word column this would wait for it.
        two.execute("SET lock_timeout = '2s'")
        two.execute("UPDATE members_organisation SET search_text = 'wiklinowy' WHERE id = %s", [second.pk])
        two.commit()
        one.commit()

    assert "wiklinowy" in words_of_the_site()


def test_a_kind_ranking_every_match_counts_like_the_tabs_beyond_the_limit(client, monkeypatch):
    # Partnerships are few enough to rank every match; their total still stops at the limit, the same
    # in the group's heading, the overview's sum and the tab of the kind.
    monkeypatch.setattr(site_search, "COUNT_LIMIT", 3)
    for n in range(5):
        factories.partnership(name=f"Kępa Potocka {n}")
    factories.partnership(name="Kępa", description="Działamy na Kępie.")

    overview = search(client, "kepa")
    one_kind = search(client, "kepa", typ="partnerstwa")

    assert group_heading(overview, "partnerstwa") == ["Partnerstwa", "ponad", "3"]
    assert group_titles(overview, "partnerstwa")[0] == "Kępa"  # the name that is the query first
    assert "Znaleziono ponad 3 wyniki" in text(one_kind)
    assert site_search.count_matches(Query.parse("kepa"), user=None)["partnerstwa"] == site_search.Total(3, more=True)


@only_on_postgresql
def test_a_typo_ranks_the_names_holding_a_close_word_first(client):
    factories.organisation(name="Klub Sportowy", description="Spotkania w Ursusie.", district_slug="ursus")
    factories.organisation(name="Klub Ursus", district_slug="wola")

    # "ursuss" names the district Ursus (its close word "ursus") and holds no name as it is typed.
    titles = group_titles(search(client, "ursuss"), "organizacje")

    assert titles == ["Klub Ursus", "Klub Sportowy"]


@only_on_postgresql
def test_each_kind_reads_its_matches_once_and_words_need_no_text_vectors(client, city):
    # The total comes from the statement that ranks (a window count), not from a second reading of the
    # matches; a typed word that is a plain word needs no full-text vector worked out row by row.
    _, plain = count_queries(client, reverse("search") + "?q=zoliborz+biblioteka")
    _, punctuated = count_queries(client, reverse("search") + "?q=praga-po%C5%82ud")

    for statement in plain[2:]:
        assert 'COUNT(*) OVER () AS "search_total"' in statement
        assert "SELECT COUNT(" not in statement
        assert "to_tsvector" not in statement
    assert any("to_tsvector" in statement for statement in punctuated[2:])


@only_on_postgresql
def test_postgresql_has_the_indexes_holding_the_ids_of_a_district():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["search%"])
        indexes = dict(cursor.fetchall())

    assert "(place_id, id)" in indexes["search_events_event_place"]
    assert "(partnership_id, event_id)" in indexes["search_events_event_organisers_partnership"]
    assert "(district_id, id)" in indexes["search_members_organisation_district"]
