"""Keyset links: "next" and "previous" carry the row next to the page, so a page deep in a long list costs
what the first page does; every row still comes once, in order, and a forged link is a 404, never a 500."""

import base64
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Occurrence
from members.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

ORGANISATIONS = reverse("members:organisation_list")
AGENDA = reverse("events:list")


@pytest.fixture
def organisations():
    # Names repeat, so the order of equal names must come from the primary key.
    return [factories.organisation(name=f"Fundacja {i % 7:02d}", slug=f"fundacja-{i}") for i in range(47)]


def link(html, rel):
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return unescape(found.group(1)) if found else None


def walk(client, address, rel, start=None):
    """Follow the `rel` links from `start` to the end: [(the page's HTML, its address)]."""
    pages, url = [], start or address
    while url:
        response = client.get(address + url if url.startswith("?") else url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages.append((html, url))
        url = link(html, rel)
    return pages


def listed_organisations(html):
    return re.findall(r'href="/organizacje/(fundacja-\d+)/"', html)


def test_next_links_walk_every_row_once_in_order(client, organisations):
    ordered = [o.slug for o in Organisation.objects.order_by("sort_name", "pk")]

    pages = walk(client, ORGANISATIONS, "next")

    assert [slug for html, _url in pages for slug in listed_organisations(html)] == ordered
    assert [len(listed_organisations(html)) for html, _url in pages] == [20, 20, 7]
    assert all("po=" in url for _html, url in pages[1:])  # no OFFSET: each page comes after the row before it


def test_previous_links_walk_back_the_same_pages(client, organisations):
    forward = walk(client, ORGANISATIONS, "next")

    backward = walk(client, ORGANISATIONS, "prev", start=link(forward[-1][0], "prev"))

    assert [listed_organisations(html) for html, _url in backward] == [
        listed_organisations(html) for html, _url in forward[-2::-1]
    ]
    assert "Strona</span>1<" in backward[-1][0].replace(" ", "")  # the first page knows it is the first


def test_agenda_next_links_walk_every_date_once_in_order(client):
    start = timezone.now() + timedelta(days=1)
    for i in range(45):  # several dates at the same moment: the order of equal starts comes from the keys
        factories.event(title=f"Dyżur {i:02d}", start=start + timedelta(hours=i // 3))
    ordered = [o.event.title for o in Occurrence.objects.public().upcoming().select_related("event")]

    pages = walk(client, AGENDA, "next")

    titles = [title for html, _url in pages for title in re.findall(r"Dyżur \d\d", html)]
    assert titles == ordered and len(titles) == 45


def test_a_page_deep_in_the_list_costs_what_the_first_does(client, organisations):
    pages = walk(client, ORGANISATIONS, "next")

    with CaptureQueriesContext(connection) as first:
        client.get(ORGANISATIONS)
    with CaptureQueriesContext(connection) as deep:
        client.get(ORGANISATIONS + pages[-1][1])

    assert len(deep) <= len(first)
    assert not [q["sql"] for q in deep.captured_queries if "OFFSET" in q["sql"]]


def test_numbered_links_go_only_to_pages_near_either_end(client):
    for i in range(20 * 14):
        factories.organisation(name=f"Organizacja {i:03d}", slug=f"organizacja-{i}")
    pages = walk(client, ORGANISATIONS, "next")
    middle_html = pages[7][0]  # page 8 of 14

    numbers = [int(n) for n in re.findall(r"[?&]page=(\d+)", middle_html)]

    assert 'aria-current="page"' in middle_html and "Strona</span>8<" in middle_html.replace(" ", "")
    assert numbers and all(n <= 5 or n >= 14 - 4 for n in numbers if n != 8)


def forged(number, *values):
    text = json.dumps([number, *values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "%%%",
        "x" * 5000,
        forged(2, "fundacja 01"),  # too few values for the ordering
        forged(0, "fundacja 01", 5),  # no page 0
        forged(10**12, "fundacja 01", 5),
        forged(2, "fundacja\x0001", 5),  # a NUL byte never reaches the database
        forged(2, "fundacja 01", "abc"),  # not a key
        forged(2, None, 5),
        forged(2, {"a": 1}, 5),
    ],
)
def test_a_forged_link_is_a_404_page(client, organisations, token):
    for parameter in ("po", "przed"):
        response = client.get(ORGANISATIONS, {parameter: token})
        assert response.status_code == 404
        assert "Nie znaleziono strony" in response.content.decode()


def test_a_forged_date_without_a_time_zone_is_a_404(client):
    factories.event(title="Dyżur", start=timezone.now() + timedelta(days=1))

    response = client.get(AGENDA, {"po": forged(2, "2026-12-02T10:00:00", 1, 1)})

    assert response.status_code == 404
