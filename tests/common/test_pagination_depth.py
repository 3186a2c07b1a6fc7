"""Deep pages: every row on exactly one page, and the last page read from the end, not after an OFFSET."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.paging import DeepPaginator
from members.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    # Names repeat, so the order of equal names must come from the primary key.
    return [factories.organisation(name=f"Fundacja {i % 7:02d}", slug=f"fundacja-{i}") for i in range(47)]


def test_pages_hold_every_row_once_in_order_from_both_ends(organisations):
    ordered = list(Organisation.objects.order_by("sort_name", "pk").values_list("pk", flat=True))
    paginator = DeepPaginator(Organisation.objects.all(), 10)

    pages = [[o.pk for o in paginator.page(n).object_list] for n in paginator.page_range]

    assert [pk for page in pages for pk in page] == ordered
    assert [len(page) for page in pages] == [10, 10, 10, 10, 7]


def test_the_last_page_of_the_directory_lists_the_last_organisations(client, organisations):
    last = list(Organisation.objects.order_by("-sort_name", "-pk")[:7])[::-1]

    response = client.get(reverse("members:organisation_list"), {"page": 3})
    html = response.content.decode()

    assert response.status_code == 200
    positions = [html.index(f'href="{o.get_absolute_url()}"') for o in last]
    assert positions == sorted(positions)


def test_the_last_page_is_read_backwards_without_skipping_the_whole_list(client, organisations):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("members:organisation_list"), {"page": 3})

    assert response.status_code == 200
    page_query = next(q["sql"] for q in captured.captured_queries if '"members_organisation"."id" IN (' in q["sql"])
    assert "OFFSET 40" not in page_query and "DESC" in page_query


def test_a_page_past_the_end_leads_to_the_last_page(client, organisations):
    response = client.get(reverse("members:organisation_list"), {"page": 4})
    assert response.status_code == 302
    last = client.get(response["Location"])
    assert last.status_code == 200 and 'aria-current="page"' in last.content.decode()


def page_links(client, **params):
    """(the current page's number, [(number, href)] of the other pages) in the page's pagination."""
    html = client.get(reverse("members:organisation_list"), params).content.decode()
    nav = html[html.index('<ul class="pagination') :]
    nav = nav[: nav.index("</ul>")]
    current = re.search(r'aria-current="page"><span class="visually-hidden">[^<]*</span>(\d+)</a>', nav).group(1)
    others = re.findall(r'<a class="page-link" href="([^"]*)"><span class="visually-hidden">[^<]*</span>(\d+)</a>', nav)
    return int(current), [(int(number), href) for href, number in others]


def test_each_page_and_filter_gets_its_own_page_links(client, organisations):
    """The pagination is kept per process by the address and the number of pages: never another page's links."""
    assert len(organisations) // settings.PAGE_SIZE == 2  # three pages
    assert page_links(client) == (1, [(2, "?page=2"), (3, "?page=3")])
    assert page_links(client, page=3) == (3, [(1, "?page=1"), (2, "?page=2")])
    assert page_links(client, q="fundacja", page=2) == (
        2,
        [(1, "?q=fundacja&amp;page=1"), (3, "?q=fundacja&amp;page=3")],
    )

    for i in range(len(organisations), 3 * settings.PAGE_SIZE + 1):  # a fourth page, at the same address
        factories.organisation(name=f"Fundacja {i}", slug=f"fundacja-{i}")
    assert page_links(client) == (1, [(2, "?page=2"), (3, "?page=3"), (4, "?page=4")])
