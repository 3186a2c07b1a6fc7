"""The security headers every response carries: a strict Content-Security-Policy (django-csp), Permissions-Policy,
no server banner; and templates with nothing that policy would block (inline scripts, event handler attributes,
inline styles).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from common.headers import csp_source
from tests import factories
from tests.browser.pages import coordinator_pages, public_pages

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TILE_HOST = "https://tile.openstreetmap.org"
STRICT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", TILE_HOST],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
WIDGET_POLICY = {**STRICT_POLICY, "frame-ancestors": ["*"]}
# Data blocks: the browser never runs them and CSP does not apply to them.
DATA_TYPES = {"application/json", "application/ld+json"}


def policy_of(response):
    """The Content-Security-Policy header as {directive: [sources, in order]}; every directive once."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name not in policy, f"{name} twice in {response['Content-Security-Policy']}"
        policy[name] = sources
    return policy


@pytest.fixture
def coordinator(django_user_model):
    """A network of two partnerships and a logged-in-able coordinator of the first."""
    partnership = factories.network(2)[0]
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    factories.coordinator_access(user=user, partnership_obj=partnership)
    return user, partnership


def test_the_tile_server_in_the_policy_is_the_one_in_settings():
    # The tests run with the default MAP_TILE_URL; the policy takes its host, not a hard-coded one.
    assert csp_source(settings.MAP_TILE_URL) == TILE_HOST
    assert TILE_HOST in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tiles-{s}.Example.org:8443/{z}/{x}/{y}.png?key=1", "https://*.example.org:8443"),
        ("http://localhost:8080/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("/kafle/{z}/{x}/{y}.png", None),  # on the site itself: 'self' already covers it
    ],
)
def test_tile_host_becomes_a_csp_source_with_placeholders_as_a_wildcard(url, source):
    assert csp_source(url) == source


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_public_page_type_has_the_strict_policy_and_the_widget_may_be_framed(client, language):
    factories.network(2)
    pages = public_pages(language)
    assert any("widżet" in label for label, _path in pages)
    for label, path in pages:
        response = client.get(path)
        assert response.status_code == (404 if label == "404" else 200), (label, path)
        if "widżet" in label:
            assert policy_of(response) == WIDGET_POLICY, (label, path)
            assert "X-Frame-Options" not in response, label
        else:
            assert policy_of(response) == STRICT_POLICY, (label, path)
            assert response["X-Frame-Options"] == "DENY", label
        assert "geolocation=(self)" in response["Permissions-Policy"], label
        assert "Server" not in response, label


def test_district_widget_and_feeds_carry_their_policies(client):
    partnership = factories.network(2)[0]
    district = partnership.districts.order_by("pk").first()
    widget = client.get(reverse("events:widget_district", kwargs={"slug": district.slug}))
    assert widget.status_code == 200
    assert policy_of(widget) == WIDGET_POLICY
    for path in (
        reverse("events:ical"),
        reverse("events:ical_partnership", kwargs={"slug": partnership.slug}),
        reverse("events:rss"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == STRICT_POLICY, path
        assert "camera=()" in response["Permissions-Policy"], path


def test_coordinator_area_and_account_pages_have_the_strict_policy(client, coordinator):
    user, partnership = coordinator
    client.force_login(user)
    pages = coordinator_pages(partnership)
    assert len(pages) >= 10
    for label, path in pages:
        response = client.get(path)
        assert response.status_code == 200, (label, path)
        assert policy_of(response) == STRICT_POLICY, (label, path)
        assert "microphone=()" in response["Permissions-Policy"], label


def test_admin_pages_have_the_strict_policy(staff_client, coordinator):
    login = Client().get(reverse("admin:login"))
    assert login.status_code == 200
    assert policy_of(login) == STRICT_POLICY
    _user, partnership = coordinator
    for path in (
        reverse("admin:index"),
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        reverse("admin:partnerships_partnership_history", args=[partnership.pk]),
    ):
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == STRICT_POLICY, path
        assert "payment=()" in response["Permissions-Policy"], path


def test_permissions_policy_denies_what_the_site_does_not_use(client):
    response = client.get(reverse("home"))
    features = dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))
    assert features["geolocation"] == "(self)"
    for feature in ("camera", "microphone", "payment", "usb", "serial", "hid", "midi", "display-capture"):
        assert features[feature] == "()", feature


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_widget_from_the_page_cache_keeps_its_own_policy(client, cache_on):
    partnership = factories.network(1)[0]
    path = reverse("events:widget_partnership", kwargs={"slug": partnership.slug})
    first, second = client.get(path), client.get(path)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert policy_of(second) == WIDGET_POLICY
    assert "X-Frame-Options" not in second
    home = client.get(reverse("home"))
    home = client.get(reverse("home"))
    assert home["X-Page-Cache"] == "hit"
    assert policy_of(home) == STRICT_POLICY
    assert "Permissions-Policy" in home


# --- templates -------------------------------------------------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
TAG = re.compile(r"<[a-zA-Z][\w-]*\b[^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def template_files():
    files = sorted(path for path in TEMPLATES.rglob("*") if path.is_file())
    assert len(files) > 50
    return files


def blocked_by_the_policy(text):
    """What the strict policy would refuse in a template's text: executable inline scripts, on…= handlers,
    javascript: links, <style> elements and style attributes (tags only: escaped markup shown as text, such as the
    widget's embed code, is not a tag)."""
    found = []
    for attributes, body in SCRIPT.findall(text):
        kind = TYPE.search(attributes)
        if body.strip() and not (kind and kind.group(1).lower() in DATA_TYPES):
            found.append(f"inline <script{attributes}>")
    for tag in TAG.findall(text):
        if HANDLER.search(tag):
            found.append(f"event handler attribute in {tag[:80]}")
        if STYLE_ATTRIBUTE.search(tag):
            found.append(f"style attribute in {tag[:80]}")
        if tag.lower().startswith("<style"):
            found.append("<style> element")
    if re.search(r"""["']\s*javascript:""", text, re.I):
        found.append("javascript: URL")
    return found


def test_the_template_check_finds_what_the_policy_would_block():
    assert blocked_by_the_policy('<script>alert(1)</script><script type="module">x()</script>') == [
        "inline <script>",
        'inline <script type="module">',
    ]
    assert blocked_by_the_policy('<button type="button" onclick="go()">x</button>') == [
        'event handler attribute in <button type="button" onclick="go()">'
    ]
    assert blocked_by_the_policy('<p style="color: red">x</p><style>p{}</style><a href="javascript:go()">') == [
        'style attribute in <p style="color: red">',
        "<style> element",
        "javascript: URL",
    ]
    # Allowed: scripts from files, data blocks, escaped markup shown as text.
    assert not blocked_by_the_policy(
        '<script src="/static/js/map.js" defer></script>'
        '<script type="application/ld+json">{"@type": "Event"}</script>'
        "<script id=\"d\" type='application/json'>{}</script>"
        '<textarea readonly>&lt;iframe style="border:0" onload="x()"&gt;&lt;/iframe&gt;</textarea>'
    )


def test_no_template_has_inline_script_event_handlers_or_inline_styles():
    found = {}
    for path in template_files():
        blocked = blocked_by_the_policy(path.read_text(encoding="utf-8"))
        if blocked:
            found[str(path.relative_to(TEMPLATES))] = blocked
    assert not found, found
