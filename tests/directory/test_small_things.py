"""Small things users expect: the KRS number links to the court register's search, pages print cleanly, and a
`?page=` after the end of a list leads to its last page instead of a bare 404."""

import re
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

KRS_SEARCH = "https://wyszukiwarka-krs.ms.gov.pl/"


# --- the KRS number -------------------------------------------------------------------------------


def test_an_organisations_krs_number_links_to_the_court_register_search(client):
    organisation = factories.organisation(name="Fundacja Rejestrowa", krs="0000123456")

    html = client.get(organisation.get_absolute_url()).content.decode()

    links = re.findall(r'<a href="([^"]*)"([^>]*)>(0000123456)<span class="visually-hidden">([^<]*)</span></a>', html)
    assert len(links) == 1
    href, attributes, number, note = links[0]
    assert href == KRS_SEARCH
    assert 'rel="noopener"' in attributes and "target=" not in attributes  # the same tab
    assert number == "0000123456"  # the number itself is the link's text: it can be read and copied
    assert "KRS" in note and "Ministerstwa Sprawiedliwości" in note


def test_an_organisation_without_a_krs_number_has_no_register_link(client):
    organisation = factories.organisation(name="Klub Bez Rejestru")

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert KRS_SEARCH not in html and "Numer KRS" not in html


# --- printing -------------------------------------------------------------------------------------


def print_rules():
    """{selector: declarations} of static/css/print.css, comments left out."""
    with open(finders.find("css/print.css"), encoding="utf-8") as css:
        text = re.sub(r"/\*.*?\*/", "", css.read(), flags=re.S)
    rules = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
        for selector in selectors.split(","):
            rules[" ".join(selector.split())] = " ".join(body.split())
    return rules


def test_every_page_links_the_print_stylesheet_for_print_only(client):
    html = client.get(reverse("home")).content.decode()

    tags = [tag for tag in re.findall(r"<link [^>]*>", html) if "css/print" in tag]
    assert len(tags) == 1
    assert 'rel="stylesheet"' in tags[0] and 'media="print"' in tags[0]


@pytest.mark.parametrize(
    "selector",
    [
        ".site-menu",  # the header's menu with its Menu button
        ".main-nav",  # the header's menu
        ".site-search",  # the search box
        ".lang-switch",  # the language switcher
        ".map-wrap",  # maps (their list of places stays)
        ".subscribe-box",  # subscribe to the calendar
        'section[aria-labelledby="widzet-naglowek"]',  # the events' embed code
        ".calendar-tools",  # a partnership's subscribe and embed, folded at the end of its page
        ".filters-panel",  # the button the filter forms fold under
        "form.filters",  # filter forms
        ".pagination",  # page links
    ],
)
def test_print_hides_what_only_works_on_a_screen(selector):
    assert "display: none !important" in print_rules()[selector]


def test_print_writes_out_external_link_addresses_in_black_on_white():
    rules = print_rules()

    assert 'content: " (" attr(href) ")"' in rules['main a[href^="http"]::after']
    assert not any("#" in selector and "::after" in selector for selector in rules)  # no in-page anchors
    assert "color: #000 !important" in rules["*"]
    assert "background: #fff !important" in rules["body"]


def test_the_hidden_blocks_are_the_ones_the_pages_have(client):
    """The print selectors name classes the templates really use: the header's, a directory's and a map's."""
    for index in range(settings.PAGE_SIZE + 1):
        factories.organisation(name=f"Fundacja Druku {index:02d}")
    header = client.get(reverse("home")).content.decode()
    directory = client.get(reverse("members:organisation_list")).content.decode()

    assert 'class="main-nav' in header and 'class="site-search' in header and 'class="lang-switch' in header
    assert '<details class="site-menu">' in header
    assert '<form method="get" class="filters' in directory and '<ul class="pagination' in directory
    assert '<details class="filters-panel' in directory


# --- ?page= after the end of a list ---------------------------------------------------------------


def location_parts(response):
    location = urlsplit(response["Location"])
    return location.path, parse_qsl(location.query, keep_blank_values=True)


def two_pages_of_partnerships():
    for index in range(settings.PAGE_SIZE + 5):
        factories.partnership(name=f"Partnerstwo Spacerowe {index:02d}", districts=["zoliborz"])


def two_pages_of_organisations():
    for index in range(settings.PAGE_SIZE + 5):
        factories.organisation(name=f"Fundacja Spacerowa {index:02d}", district_slug="zoliborz")


def two_pages_of_events():
    soon = timezone.now() + timedelta(days=2)
    for index in range(settings.PAGE_SIZE + 5):
        factories.event(title=f"Spacer sąsiedzki {index:02d}", start=soon + timedelta(hours=index))


LISTS = [
    ("partnerships:list", two_pages_of_partnerships, {"q": "spacerowe", "dzielnica": "zoliborz"}),
    ("members:organisation_list", two_pages_of_organisations, {"q": "spacerowa", "dzielnica": "zoliborz"}),
    ("events:list", two_pages_of_events, {"od": timezone.localdate().isoformat(), "utm_source": "ulotka"}),
]


@pytest.mark.parametrize(("name", "make_rows", "filters"), LISTS, ids=[name for name, _m, _f in LISTS])
def test_a_page_after_the_end_redirects_to_the_last_page_with_the_filters_kept(client, name, make_rows, filters):
    make_rows()
    url = reverse(name)

    response = client.get(url, {**filters, "page": 9999})

    assert response.status_code == 302
    path, query = location_parts(response)
    assert path == url
    assert query == [*filters.items(), ("page", "2")]  # the other parameters kept, in their order
    last = client.get(response["Location"])
    assert last.status_code == 200
    assert last.context["page_obj"].number == 2 and len(last.context["page_obj"].object_list) == 5


def test_a_page_after_the_end_of_a_one_page_list_redirects_to_the_list_itself(client):
    factories.organisation(name="Fundacja Jedyna", district_slug="zoliborz")
    url = reverse("members:organisation_list")

    response = client.get(url, {"dzielnica": "zoliborz", "page": "2"})

    assert response.status_code == 302
    assert location_parts(response) == (url, [("dzielnica", "zoliborz")])


def test_a_page_after_the_end_of_an_empty_unfiltered_list_redirects_to_its_address(client):
    url = reverse("partnerships:list")

    response = client.get(url, {"page": "3"})

    assert response.status_code == 302 and response["Location"] == url


def test_the_last_page_itself_is_still_shown(client):
    two_pages_of_organisations()

    response = client.get(reverse("members:organisation_list"), {"page": "2"})

    assert response.status_code == 200 and response.context["page_obj"].number == 2


@pytest.mark.parametrize("name", [name for name, _m, _f in LISTS])
@pytest.mark.parametrize("page", ["abc", "-1", "0", "\x00", "2\x00", "1.5", "last", "９９x", "1" * 5000])
def test_a_page_that_is_not_a_number_of_a_page_is_a_404(client, name, page):
    """Garbage is not "after the end": it stays a 404 (with the message "Nie ma takiej strony wyników.")."""
    response = client.get(reverse(name), {"q": "spacer", "page": page})

    assert response.status_code == 404


def test_a_page_after_the_end_costs_no_rows(client, django_assert_max_num_queries):
    two_pages_of_partnerships()

    with django_assert_max_num_queries(3):  # the list's count (and the data version): no rows, no facets
        response = client.get(reverse("partnerships:list"), {"page": 50})

    assert response.status_code == 302
