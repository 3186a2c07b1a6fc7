"""A path that begins with `//` (a "network-path reference") never turns into a link or a redirect to
another host: not in the canonical link or the hreflang alternates, not in the language switcher, not
in the 404 page's links, and not in a redirect after logging in.

The test client would read `//evil.example/` as a host, so the raw path is given as PATH_INFO.
"""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

PATHS = [
    "//evil.example/",
    "//evil.example/partnerstwa/",
    "//evil.example/partnerstwa/?q=x",
    "/en//evil.example/",
    "/en//evil.example/partnerships/",
    "///evil.example/",
    "//evil.example/en/",
    "//evil.example/partnerstwa",  # CommonMiddleware's redirect to the address with a slash
    "/en//evil.example",
    "/\\evil.example/partnerstwa/",
]
LINK = re.compile(r"""(?:href|content|action|src)\s*=\s*["']([^"']*)["']""")


def _offending(response):
    """Every address in the page or its Location header that names evil.example or starts with `//`."""
    found = [response.get("Location", "")] + LINK.findall(response.content.decode())
    return [url for url in found if url and ("evil.example" in url.split("?")[0] or url.startswith("//"))]


@pytest.mark.parametrize("path", PATHS)
def test_double_slash_path_links_nowhere_else(client, path):
    response = client.get("/", PATH_INFO=path.split("?")[0], QUERY_STRING=path.partition("?")[2])
    assert response.status_code in (200, 301, 302, 404)
    assert _offending(response) == []


@pytest.mark.parametrize("path", ["//evil.example/", "/en//evil.example/partnerships/"])
def test_double_slash_404_offers_only_the_home_pages(client, path):
    response = client.get("/", PATH_INFO=path)
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    assert response.status_code == 404
    hrefs = set(LINK.findall(response.content.decode()))
    assert not any("evil.example" in href for href in hrefs)


def test_partnership_page_with_double_slash_prefix_is_not_linked_abroad(client):
    item = factories.partnership(name="Partnerstwo Żoliborz")
    path = "/" + item.get_absolute_url()  # "//partnerstwa/…"
    response = client.get("/", PATH_INFO=path)
    assert _offending(response) == []


@pytest.mark.parametrize("target", ["//evil.example/", "///evil.example/", "https://evil.example/", "/\\evil.example/"])
def test_login_never_redirects_to_another_host(client, django_user_model, target):
    django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    response = client.post(
        f"/konto/logowanie/?next={target}",
        {"username": "koordynatorka", "password": "haslo-testowe-123", "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not response["Location"].startswith("//")
