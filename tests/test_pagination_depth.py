"""Deep pages: every row on exactly one page, and the last page read from the end, not after an OFFSET."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation
from partnerships.paging import DeepPaginator
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


def test_a_page_past_the_end_is_still_a_404(client, organisations):
    assert client.get(reverse("members:organisation_list"), {"page": 4}).status_code == 404
