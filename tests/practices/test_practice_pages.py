"""The public pages of good practices: the list with its filters and counts, one practice in its fixed shape, drafts
seen only by staff and their partnership's coordinators, the feeds, the sitemap, the search and the open data."""

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from practices import services
from practices.models import Photo
from practices.views import PracticeListView
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

LIST = "/dobre-praktyki/"


def text(response):
    return response.content.decode()


def titles(response):
    return re.findall(r'<h3 class="card-title h5"[^>]*><a href="[^"]+">([^<]+)</a>', text(response))


@pytest.fixture
def stegny():
    return factories.partnership(name="Nasze Stegny", districts=["mokotow"])


@pytest.fixture
def rudawka():
    return factories.partnership(name="Dla Rudawki", districts=["zoliborz"])


@pytest.fixture
def house(rudawka):
    """A published practice with everything its page shows."""
    person = factories.person(first_name="Joanna", last_name="Rudnicka", public_contact=True, email="j@example.org")
    practice = factories.practice(
        title="Dom sąsiedzki z urzędem dzielnicy",
        partnership_obj=rudawka,
        topics=["dom-sasiedzki", "wspolpraca-z-urzedem"],
        summary="Pusty lokal stał się domem sąsiedzkim.",
        easy_read="Zrobiliśmy dom sąsiedzki. Każdy może przyjść.",
        problem="Sąsiedzi nie mieli **gdzie** się spotkać.",
        steps="1. Rozmowy z mieszkańcami.\n2. Umowa z wydziałem spraw społecznych.",
        worked="Stały grafik.",
        did_not_work="Za mało wolontariuszy wieczorem.",
        results="Czternaście grup.",
        time_needed="half_year",
        money_needed="medium",
        space_needed="house",
        people_needed="many",
        needs_note="Zgoda spółdzielni.",
        contact_person=person,
        started_on=date(2019, 3, 1),
    )
    practice.organisations.add(factories.organisation(name="Sąsiedzi z Rudawki"))
    practice.organisations.add(factories.organisation(name="Organizacja ukryta", is_published=False))
    practice.partner_partnerships.add(factories.partnership(name="Marymont-Kaskada", districts=["zoliborz"]))
    Photo.objects.create(practice=practice, image="practices/dom.jpg", alt="Sąsiedzi malują ściany", caption="Remont")
    return practice


# --- the list ---------------------------------------------------------------------------------------------------


def test_list_shows_published_practices_as_cards_newest_first(client, house, stegny):
    older = factories.practice(
        title="Klub seniora wychodzi na osiedle",
        partnership_obj=stegny,
        topics=["seniorzy"],
        published_at=timezone.now() - timedelta(days=30),
    )
    factories.practice(title="Szkic gazetki", partnership_obj=stegny, published=False)

    response = client.get(LIST)

    assert response.status_code == 200
    assert titles(response) == [house.title, older.title]
    page = text(response)
    assert "Pusty lokal stał się domem sąsiedzkim." in page and "Dla Rudawki" in page
    assert '<span class="badge-soft">dom sąsiedzki</span>' in page
    assert "Szkic gazetki" not in page
    assert page.count("<h1") == 1
    assert f'type="application/rss+xml" title="Dobre praktyki WSPL (RSS)" href="{LIST}rss/"' in page
    assert f'type="application/atom+xml" title="Dobre praktyki WSPL (Atom)" href="{LIST}atom/"' in page


def test_list_filters_by_topic_district_partnership_and_words_with_counts(client, house, stegny, rudawka):
    factories.practice(title="Klub seniora na Stegnach", partnership_obj=stegny, topics=["seniorzy"])
    factories.practice(title="Szkic o seniorach", partnership_obj=stegny, topics=["seniorzy"], published=False)

    assert titles(client.get(LIST, {"temat": "dom-sasiedzki"})) == [house.title]
    assert titles(client.get(LIST, {"temat": "seniorzy"})) == ["Klub seniora na Stegnach"]
    assert titles(client.get(LIST, {"dzielnica": "zoliborz"})) == [house.title]
    assert titles(client.get(LIST, {"partnerstwo": stegny.slug})) == ["Klub seniora na Stegnach"]
    # Words without Polish letters find the text with them (search_text), in the steps too.
    assert titles(client.get(LIST, {"q": "wydzialem spraw"})) == [house.title]

    page = text(client.get(LIST))
    assert re.search(r'<option value="seniorzy">seniorzy \(1\)</option>', page)  # the draft is not counted
    assert re.search(r'<option value="dom-sasiedzki">dom sąsiedzki \(1\)</option>', page)
    assert re.search(r'<option value="zoliborz">Żoliborz \(1\)</option>', page)
    assert re.search(rf'<option value="{stegny.slug}">Nasze Stegny \(1\)</option>', page)
    assert "Filtry (1)" in text(client.get(LIST, {"temat": "seniorzy"}))


@pytest.mark.parametrize(
    "params",
    [
        {"temat": "nie-ma-takiego"},
        {"temat": "dom-sasiedzki\x00"},
        {"dzielnica": "atlantyda"},
        {"partnerstwo": "<script>alert(1)</script>"},
        {"q": "x" * 10_000},
        {"q": "dom\x00"},
        {"temat": "żółć-ąę"},
    ],
)
def test_bad_filter_values_give_the_page_with_a_polish_message(client, house, params):
    response = client.get(LIST, params)

    assert response.status_code == 200
    page = text(response)
    assert "<script>alert(1)</script>" not in page
    assert house.title not in page
    assert "is-invalid" in page


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1\x00", "ż", "9" * 400])
def test_bad_page_numbers_give_404(client, house, page):
    assert client.get(LIST, {"page": page}).status_code in (302, 404)
    assert client.get(LIST, {"po": page}).status_code == 404


def test_a_page_after_the_end_goes_to_the_last_page(client, house):
    response = client.get(LIST, {"page": "99999"})
    assert response.status_code == 302 and response["Location"] == LIST


def test_list_pages_through_many_practices(client, monkeypatch, stegny):
    monkeypatch.setattr(PracticeListView, "paginate_by", 2)
    for number in range(5):
        factories.practice(
            title=f"Praktyka {number}", partnership_obj=stegny, published_at=timezone.now() - timedelta(days=number)
        )

    first = client.get(LIST)
    assert titles(first) == ["Praktyka 0", "Praktyka 1"]
    cursor = re.search(r'href="\?po=([^"]+)" rel="next"', text(first)).group(1)
    assert titles(client.get(LIST, {"po": cursor})) == ["Praktyka 2", "Praktyka 3"]
    assert titles(client.get(LIST, {"page": "3"})) == ["Praktyka 4"]


# --- one practice -----------------------------------------------------------------------------------------------

SECTIONS = [
    "Problem lub potrzeba",
    "Co zrobiliśmy",
    "Kto wziął udział",
    "Czego było trzeba",
    "Co się udało",
    "Co się nie udało",
    "Rezultaty",
    "Kontakt",
    "Zdjęcia",
]


def test_detail_shows_the_fixed_shape_in_order(client, house):
    response = client.get(house.get_absolute_url())

    assert response.status_code == 200
    page = text(response)
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", page)
    assert headings == SECTIONS
    assert page.count("<h1") == 1
    assert "Sąsiedzi nie mieli <strong>gdzie</strong> się spotkać." in page  # Markdown
    assert "<details" in page and "W prostych słowach" in page and "Każdy może przyjść." in page
    needs = re.search(r"<dl.*?</dl>", page, re.S).group(0)
    assert "od 3 do 12 miesięcy" in needs and "od 1 000 do 10 000 zł" in needs
    assert "stałe miejsce, np. dom sąsiedzki" in needs and "11–30 osób" in needs
    assert "Zgoda spółdzielni." in page
    assert "Sąsiedzi z Rudawki" in page and "Organizacja ukryta" not in page
    assert 'href="/partnerstwa/marymont-kaskada/"' in page
    assert 'href="mailto:j@example.org"' in page and "Joanna Rudnicka" in page
    assert 'alt="Sąsiedzi malują ściany"' in page and "<figcaption" in page and "Remont" in page
    assert "ostatnia zmiana" in page and "opublikowano" in page
    assert 'href="/dobre-praktyki/?temat=dom-sasiedzki"' in page
    assert "noindex" not in page and "szkic" not in page


def test_contact_without_consent_points_to_the_partnerships_form(client, rudawka):
    practice = factories.practice(partnership_obj=rudawka, contact_person=factories.person(email="ukryty@example.org"))

    page = text(client.get(practice.get_absolute_url()))

    assert "ukryty@example.org" not in page
    assert f'href="/partnerstwa/{rudawka.slug}/napisz/"' in page


def json_ld(response):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text(response), re.S)
    return json.loads(found.group(1))


def test_json_ld_is_an_article_by_the_partnership(client, house):
    data = json_ld(client.get(house.get_absolute_url()))

    assert data["@type"] == "Article"
    assert data["headline"] == house.title
    assert data["description"] == house.summary
    assert data["datePublished"].startswith(str(timezone.localdate(house.published_at))[:4])
    assert "dateModified" in data
    assert data["author"] == {
        "@type": "Organization",
        "name": "Dla Rudawki",
        "url": f"http://testserver{house.partnership.get_absolute_url()}",
    }
    assert {"@type": "Thing", "name": "dom sąsiedzki"} in data["about"]
    assert data["image"] == ["http://testserver/media/practices/dom.jpg"]


def test_detail_has_opengraph_with_the_first_photo(client, house):
    page = text(client.get(house.get_absolute_url()))
    assert '<meta property="og:title" content="Dom sąsiedzki z urzędem dzielnicy">' in page
    assert '<meta property="og:image" content="http://testserver/media/practices/dom.jpg">' in page


@pytest.mark.parametrize("slug", ["nie-ma-takiej", "a" * 100, "%00", "żółw"])
def test_unknown_practice_is_404(client, slug):
    assert client.get(f"{LIST}{slug}/").status_code == 404


# --- drafts -----------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(stegny):
    return factories.practice(title="Gazetka sąsiedzka", partnership_obj=stegny, published=False)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("anonymous", False), ("resident", False), ("coordinator", True), ("other_coordinator", False), ("staff", True)],
)
def test_draft_is_seen_only_by_staff_and_its_partnerships_coordinators(
    client, django_user_model, draft, rudawka, who, sees
):
    if who != "anonymous":
        user = django_user_model.objects.create_user(
            username=who, password="haslo-testowe-123", is_staff=who == "staff"
        )
        if who == "coordinator":
            factories.coordinator_access(user=user, partnership_obj=draft.partnership)
        if who == "other_coordinator":
            factories.coordinator_access(user=user, partnership_obj=rudawka)
        log_in(client, user)

    response = client.get(draft.get_absolute_url())

    if not sees:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = text(response)
    assert "szkic – nie jest jeszcze opublikowana" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Gazetka sąsiedzka" not in text(client.get(LIST))


def test_practice_of_an_unpublished_partnership_is_a_draft_to_the_public(client):
    hidden = factories.partnership(name="Ukryte", is_published=False)
    practice = factories.practice(partnership_obj=hidden)

    assert client.get(practice.get_absolute_url()).status_code == 404
    assert practice.title not in text(client.get(LIST))


# --- query counts ------------------------------------------------------------------------------------------------


def many_practices(size):
    partnership = factories.partnership(districts=["zoliborz", "mokotow"])
    made = []
    for number in range(size):
        practice = factories.practice(
            partnership_obj=partnership,
            topics=["dom-sasiedzki", "seniorzy"],
            contact_person=factories.person(public_contact=True),
        )
        practice.organisations.add(factories.organisation())
        practice.partner_partnerships.add(factories.partnership())
        Photo.objects.create(practice=practice, image=f"practices/{number}.jpg", alt="Zdjęcie")
        made.append(practice)
    return made


@pytest.mark.parametrize(
    "url_for",
    [
        lambda practices: LIST,
        lambda practices: LIST + "?temat=seniorzy&dzielnica=zoliborz&q=praktyka",
        lambda practices: practices[0].get_absolute_url(),
        lambda practices: LIST + "rss/",
    ],
    ids=["list", "list-filtered", "detail", "rss"],
)
def test_query_count_is_flat(client, url_for):
    practices = many_practices(2)
    response, small = count_queries(client, url_for(practices))
    assert response.status_code == 200
    practices += many_practices(10)
    for practice in practices[2:]:
        Photo.objects.create(practice=practices[0], image="practices/more.jpg", alt="Więcej")
        practice.organisations.add(factories.organisation())
    response, large = count_queries(client, url_for(practices))
    assert response.status_code == 200
    assert len(small) <= 10, small
    assert len(large) == len(small), (small, large)
    assert not any("django_session" in sql or "auth_user" in sql for sql in large)


# --- feeds, sitemap, search, open data ---------------------------------------------------------------------------


def test_feeds_list_new_practices_newest_first(client, house, stegny, draft):
    older = factories.practice(
        title="Wcześniejsza praktyka", partnership_obj=stegny, published_at=timezone.now() - timedelta(days=3)
    )

    rss = text(client.get(LIST + "rss/"))
    atom = text(client.get(LIST + "atom/"))

    assert rss.index(house.title) < rss.index(older.title)
    assert draft.title not in rss and draft.title not in atom
    assert "<category>dom sąsiedzki</category>" in rss
    assert house.title in atom and "<feed" in atom


def test_sitemap_lists_the_list_and_published_practices(client, house, draft):
    section = text(client.get("/sitemap-dobre-praktyki.xml"))
    pages = text(client.get("/sitemap-strony.xml"))

    assert f"http://testserver{house.get_absolute_url()}" in section
    assert f"<lastmod>{timezone.localtime(house.updated_at):%Y-%m-%d}" in section or "<lastmod>" in section
    assert draft.slug not in section
    assert "http://testserver/dobre-praktyki/</loc>" in pages
    assert "sitemap-dobre-praktyki.xml" in text(client.get("/sitemap.xml"))


def search_titles(client, q):
    page = text(client.get(reverse("search"), {"q": q, "typ": "dobre-praktyki"}))
    return re.findall(r'<h3 class="h5 mb-1"><a href="[^"]+"[^>]*>(.*?)</a>', page)


def test_search_finds_a_published_practice_by_a_word_of_its_steps_without_polish_letters(client, house, stegny):
    draft = factories.practice(
        title="Szkic z wydziałem", partnership_obj=stegny, steps="Umowa z wydziałem spraw.", published=False
    )

    found = search_titles(client, "wydzialem")

    assert [re.sub("<[^>]+>", "", title) for title in found] == [house.title]
    assert draft.title not in text(client.get(reverse("search"), {"q": "wydzialem"}))
    assert "dobra praktyka partnerstwa Dla Rudawki" in text(client.get(reverse("search"), {"q": "wydzialem"}))


def test_search_never_finds_a_draft_even_for_staff(client, staff_user, draft):
    log_in(client, staff_user)
    assert search_titles(client, "gazetka") == []


def test_open_data_has_published_practices_with_contact_only_by_consent(client, house, stegny, draft):
    factories.practice(
        title="Bez zgody", partnership_obj=stegny, contact_person=factories.person(email="nie@example.org")
    )

    body = json.loads(client.get("/dane/dobre-praktyki.json").content)
    rows = {row["title"]: row for row in body["results"]}
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/dane/dobre-praktyki.csv").content.decode("utf-8-sig"))))

    assert set(rows) == {house.title, "Bez zgody"}
    row = rows[house.title]
    assert row["contact_email"] == "j@example.org" and row["contact_name"] == "Joanna Rudnicka"
    assert rows["Bez zgody"]["contact_email"] == "" and rows["Bez zgody"]["contact_name"] == ""
    assert row["topics"] == ["dom-sasiedzki", "wspolpraca-z-urzedem"]
    assert row["organisations"] == ["sasiedzi-z-rudawki"]
    assert row["time_needed"] == "half_year" and row["time_needed_label"] == "od 3 do 12 miesięcy"
    assert row["url"] == f"http://testserver{house.get_absolute_url()}"
    assert {r["title"] for r in csv_rows} == {house.title, "Bez zgody"}
    assert "nie@example.org" not in client.get("/dane/dobre-praktyki.csv").content.decode("utf-8-sig")
    assert "/dane/dobre-praktyki.json" in text(client.get(reverse("open_data")))


# --- the partnership's page and the menu -------------------------------------------------------------------------


def test_partnership_page_lists_its_published_practices(client, house, rudawka, stegny, draft):
    page = text(client.get(rudawka.get_absolute_url()))
    assert house.title in page and f'href="{LIST}?partnerstwo={rudawka.slug}"' in page
    assert "Wszystkie dobre praktyki tego partnerstwa (1)" in page

    assert "Dobre praktyki</h2>" not in text(client.get(stegny.get_absolute_url()))  # only a draft


def test_menu_and_support_page_link_to_the_practices(client):
    header = re.search(r"<header.*?</header>", text(client.get(LIST)), re.S).group(0)
    assert f'<a href="{LIST}" aria-current="page">Dobre praktyki</a>' in header
    assert f'href="{LIST}"' in text(client.get(reverse("support")))


def test_publishing_and_hiding_keep_the_author_in_the_history(staff_user, draft):
    services.publish_practice(practice=draft, by=staff_user)
    services.unpublish_practice(practice=draft, by=staff_user)

    assert [record.history_user for record in draft.history.order_by("-history_id")[:2]] == [staff_user] * 2


@pytest.mark.parametrize(
    ("ended_on", "polish", "english"),
    [
        (None, "od maja 2022, trwa nadal", "from may 2022, still going on"),
        (date(2023, 6, 30), "od maja 2022 do czerwca 2023", "from may 2022 to june 2023"),
    ],
)
def test_the_dates_read_as_a_sentence_in_both_languages(client, stegny, ended_on, polish, english):
    practice = factories.practice(partnership_obj=stegny, started_on=date(2022, 5, 1), ended_on=ended_on)

    for url in (practice.get_absolute_url(), LIST):
        assert polish in text(client.get(url)).lower()
    with translation.override("en"):
        english_url = practice.get_absolute_url()
    assert english in text(client.get(english_url)).lower()
