"""What the exchange keeps private stays private: an entry its partnership did not make public, and a public
recommended contact whose consent staff have not checked, appear on no page an anonymous visitor can reach — the
sitemap's pages, the feeds the home page and the agenda link, the open-data files, the site search — and not on the
exchange's own list; a public entry does appear there."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from network.models import ExchangeEntry
from tests import factories
from tests.directory.test_seo import HOST, sitemap_urls

pytestmark = pytest.mark.django_db

PRIVATE = "Kwadrofoniczny Hulajnogozaur"
UNVERIFIED = "Fosforyzujący Tamburynolog"
PUBLIC = "Ksylofonowy Parasolnik"
WORD = "Zakurzony bębnoklarnet"  # in the private entries' texts: what is searched for, so the page echoes only it


@pytest.fixture
def entries():
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    factories.event(title="Piknik na Stegnach", organisers=[stegny])
    factories.exchange_entry(partnership_obj=stegny, title=PRIVATE, description=WORD, is_public=False)
    factories.exchange_entry(
        partnership_obj=stegny,
        title=UNVERIFIED,
        kind=ExchangeEntry.Kind.CONTACT,
        contact_name=UNVERIFIED,
        contact_does=WORD,
        consent_note="Zgoda ustna",
    )
    factories.exchange_entry(partnership_obj=stegny, title=PUBLIC)
    return stegny


def links(html, pattern):
    return {
        urlsplit(href).path + (f"?{urlsplit(href).query}" if urlsplit(href).query else "")
        for href in re.findall(pattern, html)
    }


def assert_private(response, where):
    assert response.status_code in (200, 301, 302), (where, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    assert PRIVATE not in text and UNVERIFIED not in text, where


def test_private_entries_are_on_no_page_an_anonymous_visitor_reaches(client, entries):
    pages = [url.removeprefix(HOST) for url in sitemap_urls(client)]
    assert reverse("exchange") not in pages  # the exchange is left out of the sitemap
    assert len(pages) > 5
    for page in pages:
        assert_private(client.get(page), page)

    feeds = set()
    for page in ("/", reverse("events:list")):
        html = client.get(page).content.decode()
        feeds |= links(html, r'<link rel="alternate"[^>]*href="([^"]+)"')
        feeds |= links(html, r'href="([^"]+\.(?:ics|xml|rss|atom))"')
    assert feeds
    for feed in feeds:
        assert_private(client.get(feed), feed)

    data_page = client.get(reverse("open_data")).content.decode()
    files = links(data_page, r'href="(/dane/[^"]+)"')
    assert files
    for data_file in files:
        assert_private(client.get(data_file), data_file)

    for words in (WORD, "bebnoklarnet", "zakurzony"):
        assert_private(client.get(reverse("search"), {"q": words}), f"search {words}")

    exchange = client.get(reverse("exchange"))
    assert_private(exchange, "exchange")
    assert PUBLIC in exchange.content.decode()
    assert_private(client.get(reverse("exchange"), {"q": "bebnoklarnet"}), "exchange q=bebnoklarnet")
