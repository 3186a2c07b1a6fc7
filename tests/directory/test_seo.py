"""What search engines and sharing sites get: sitemap.xml, robots.txt, canonical and language links,
OpenGraph and Twitter cards, JSON-LD Organization (escaped safely), a title and description on every page.
"""

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from PIL import Image

from partnerships.models import CoordinatorAccess
from tests import factories
from tests.browser.pages import public_pages
from tests.utils import assert_flat_query_count

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
TEMPLATES = Path(settings.BASE_DIR) / "templates"
HOST = "http://testserver"


def head_of(response):
    page = response.content.decode()
    return page[: page.index("</head>")]


def meta(head, attribute, name):
    """The content of <meta {attribute}="{name}" content="…"> (one), or None."""
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', head)
    assert len(found) <= 1, (name, found)
    return found[0] if found else None


def links(head, rel):
    return re.findall(rf'<link rel="{rel}"(?: hreflang="([\w-]+)")? href="([^"]+)">', head)


def json_ld(response):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(script) for script in scripts]


def xml(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def sitemap_urls(client):
    """{address: {hreflang: alternate address}} of every sitemap the index at /sitemap.xml names."""
    urls = {}
    for location in xml(client, "/sitemap.xml").findall("s:sitemap/s:loc", SITEMAP_NS):
        assert location.text.startswith(HOST + "/sitemap-"), location.text
        for url in xml(client, location.text.removeprefix(HOST)).findall("s:url", SITEMAP_NS):
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)}
            urls[url.find("s:loc", SITEMAP_NS).text] = alternates
    return urls


# --- sitemap.xml and robots.txt ----------------------------------------------------------------------------------


def test_sitemap_lists_published_objects_in_both_languages_with_alternates(client):
    shown = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    hidden = factories.partnership(name="Partnerstwo w przygotowaniu", is_published=False)
    organisation = factories.organisation(name="Fundacja Jawna")
    secret_organisation = factories.organisation(name="Fundacja Ukryta", is_published=False)
    event = factories.event(title="Piknik sąsiedzki", organisers=[shown])
    draft_event = factories.event(title="Szkic wydarzenia", is_published=False)
    group = factories.working_group(name="Zespół ds. komunikacji")
    draft_group = factories.working_group(name="Zespół w planach", is_published=False)
    position = factories.position(title="Stanowisko o budżetach")
    place = factories.place(name="Dom sąsiedzki Rudawka")

    urls = sitemap_urls(client)

    for obj, english in [
        (shown, f"/en/partnerships/{shown.slug}/"),
        (organisation, f"/en/organisations/{organisation.slug}/"),
        (event, f"/en/events/{event.slug}/"),
        (group, f"/en/network/working-groups/{group.slug}/"),
        (position, f"/en/network/positions/{position.slug}/"),
        (place, f"/en/places/{place.slug}/"),
    ]:
        polish = HOST + obj.get_absolute_url()
        assert urls[polish] == {"pl": polish, "en": HOST + english, "x-default": polish}
        assert urls[HOST + english] == urls[polish]
    assert HOST + "/dzielnice/zoliborz/" in urls and HOST + "/en/districts/zoliborz/" in urls
    assert HOST + "/" in urls and HOST + "/en/" in urls
    listed = " ".join(urls)
    for obj in (hidden, secret_organisation, draft_event, draft_group):
        assert obj.slug not in listed, obj


def test_sitemap_keeps_last_years_events_and_leaves_older_ones_to_the_archive(client):
    from datetime import timedelta

    from django.utils import timezone

    recent = factories.event(title="Zebranie sprzed miesiąca", start=timezone.now() - timedelta(days=30))
    old = factories.event(title="Zebranie sprzed dwóch lat", start=timezone.now() - timedelta(days=730))

    urls = sitemap_urls(client)

    assert HOST + recent.get_absolute_url() in urls
    assert HOST + old.get_absolute_url() not in urls
    assert client.get(old.get_absolute_url()).status_code == 200


def test_sitemap_lists_the_coming_dates_of_a_series(client):
    from datetime import timedelta

    from django.utils import timezone

    series = factories.event(
        title="Klub sąsiedzki", start=timezone.now() + timedelta(days=1), recurrence="FREQ=WEEKLY;COUNT=4"
    )

    urls = sitemap_urls(client)

    dated = [url for url in urls if f"/wydarzenia/{series.slug}/" in url and url != HOST + series.get_absolute_url()]
    assert len(dated) == 4


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-partnerstwa.xml", "/sitemap-wydarzenia.xml"])
def test_sitemap_query_count_stays_flat(client, path):
    assert_flat_query_count(client, lambda partnerships: path)


@pytest.mark.parametrize("path", ["/sitemap-nieznane.xml", "/sitemap-partnerstwa.xml?p=abc", "/sitemap-strony.xml?p=9"])
def test_unknown_sitemap_or_page_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_robots_txt_names_the_sitemap_and_keeps_robots_out_of_private_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for private in ("/admin/", "/moje/", "/konto/", "/en/admin/", "/en/my/", "/en/account/"):
        assert f"Disallow: {private}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines


# --- canonical address, languages, sharing -----------------------------------------------------------------------


def test_canonical_address_is_absolute_and_leaves_out_filters_and_paging(client):
    factories.partnership(districts=["zoliborz"])

    head = head_of(client.get("/partnerstwa/", {"dzielnica": "zoliborz", "page": "1"}))

    assert links(head, "canonical") == [("", "http://testserver/partnerstwa/")]
    assert links(head, "alternate")[:3] == [
        ("pl", "http://testserver/partnerstwa/"),
        ("en", "http://testserver/en/partnerships/"),
        ("x-default", "http://testserver/partnerstwa/"),
    ]
    assert meta(head, "property", "og:url") == "http://testserver/partnerstwa/"


def test_share_tags_use_the_default_image_of_the_network(client):
    head = head_of(client.get("/en/"))

    image = meta(head, "property", "og:image")
    assert image == "http://testserver/static/img/wspl-share.png"
    assert meta(head, "name", "twitter:image") == image
    assert meta(head, "name", "twitter:card") == "summary_large_image"
    assert meta(head, "property", "og:locale") == "en_GB"
    assert meta(head, "property", "og:locale:alternate") == "pl_PL"
    assert meta(head, "property", "og:site_name") == "Warsaw Network of Local Partnerships"
    assert meta(head, "property", "og:image:alt") == "The mark and name of the Warsaw Network of Local Partnerships"
    with Image.open(Path(settings.BASE_DIR) / "static" / "img" / "wspl-share.png") as picture:
        assert (picture.format, picture.size) == ("PNG", (1200, 630))


def test_partnership_shares_its_cover_photo_or_else_its_logo(client):
    with_cover = factories.partnership(
        cover="partnerships/covers/sady.jpg", cover_alt="Sąsiedzi sadzą kwiaty", logo="partnerships/logos/sady.png"
    )
    with_logo = factories.partnership(logo="partnerships/logos/rudawka.png", logo_alt="Zielony dom")

    cover_head = head_of(client.get(with_cover.get_absolute_url()))
    logo_head = head_of(client.get(with_logo.get_absolute_url()))

    assert meta(cover_head, "property", "og:image") == "http://testserver/media/partnerships/covers/sady.jpg"
    assert meta(cover_head, "property", "og:image:alt") == "Sąsiedzi sadzą kwiaty"
    assert meta(logo_head, "property", "og:image") == "http://testserver/media/partnerships/logos/rudawka.png"
    assert meta(logo_head, "name", "twitter:image:alt") == "Zielony dom"


def test_partnership_page_describes_the_partnership_as_a_schema_org_organization(client):
    partnership = factories.partnership(
        name="Sady Żoliborskie",
        districts=["zoliborz"],
        contact_email="sady@example.org",
        website="https://sady.example.org/",
        founded_year=2014,
    )

    [data] = json_ld(client.get(partnership.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Sady Żoliborskie"
    assert data["url"] == f"http://testserver/partnerstwa/{partnership.slug}/"
    assert data["email"] == "sady@example.org"
    assert data["sameAs"] == ["https://sady.example.org/"]
    assert data["foundingDate"] == "2014"
    assert data["areaServed"] == [{"@type": "AdministrativeArea", "name": "Żoliborz"}]
    assert data["memberOf"]["name"] == "Warszawska Sieć Partnerstw Lokalnych"


def test_organisation_page_describes_the_organisation_with_its_partnerships(client):
    partnership = factories.partnership(name="Sady Żoliborskie")
    hidden = factories.partnership(name="Partnerstwo ukryte", is_published=False)
    organisation = factories.organisation(
        name="Fundacja Sąsiedzka", street_address="ul. Przykładowa 5", postal_code="01-234", krs="0000123456"
    )
    factories.membership(organisation_obj=organisation, partnership_obj=partnership)
    factories.membership(organisation_obj=organisation, partnership_obj=hidden)

    [data] = json_ld(client.get(organisation.get_absolute_url()))

    assert data["name"] == "Fundacja Sąsiedzka"
    assert data["address"]["streetAddress"] == "ul. Przykładowa 5"
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "KRS", "value": "0000123456"}
    assert [member["name"] for member in data["memberOf"]] == ["Sady Żoliborskie"]


@pytest.mark.parametrize("kind", ["partnership", "organisation"])
def test_a_name_with_a_closing_script_tag_cannot_break_out_of_the_json_ld(client, kind):
    name = 'Sąsiedzi </script><script>alert("x")</script> & <!-- spółka'
    obj = factories.partnership(name=name) if kind == "partnership" else factories.organisation(name=name)

    response = client.get(obj.get_absolute_url())

    page = response.content.decode()
    assert '<script>alert("x")' not in page
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["name"] == name


# --- every page: title, description, language links --------------------------------------------------------------


# Overrides of the admin's and django-simple-history's templates: they extend the library's own templates of the
# same name, not base.html, and carry the admin's titles.
BACK_OFFICE_TEMPLATES = {"admin", "simple_history"}


def test_every_template_of_a_page_sets_its_own_title_and_description():
    """A page's title and description are its own or its section layout's, never base.html's defaults."""
    missing = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        if not text.startswith("{% extends ") or template.name == "base.html":  # a partial, or a layout
            continue
        if template.relative_to(TEMPLATES).parts[0] in BACK_OFFICE_TEMPLATES:  # the admin's pages, with its titles
            continue
        chain = [text]  # the page and its layouts, up to base.html
        while (parent := re.match(r'{% extends "([^"]+)" %}', chain[-1]).group(1)) != "base.html":
            chain.append((TEMPLATES / parent).read_text(encoding="utf-8"))
        for block in ("title", "meta_description"):
            found = [re.search(rf"{{% block {block} %}}(.*?){{% endblock {block} %}}", t, re.S) for t in chain]
            if not any(match and match.group(1).strip() for match in found):
                missing.append(f"{template.relative_to(TEMPLATES)}: {block}")
    assert not missing, missing


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_public_page_has_title_description_canonical_and_language_links(client, language):
    factories.network(2)
    other = "en" if language == "pl" else "pl"
    pages = dict(public_pages(language))
    counterparts = dict(public_pages(other))
    titles = {}
    for label, path in pages.items():
        response = client.get(path)
        head = head_of(response)
        title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
        description = meta(head, "name", "description")
        assert title.endswith(" · WSPL") and len(title) > len(" · WSPL") + 3, (label, title)
        assert description and len(description) >= 15, (label, description)
        assert f'<html lang="{language}">' in response.content.decode()[:200], label
        if label == "404":
            assert response.status_code == 404
            assert meta(head, "name", "robots") == "noindex"
            assert not links(head, "canonical"), label
            continue
        if meta(head, "name", "robots") == "noindex":  # the widget, a page for other sites' iframes
            assert "widżet" in label, label
            continue
        assert response.status_code == 200, label
        titles[label] = title
        bare = path.split("?")[0]
        assert links(head, "canonical") == [("", HOST + bare)], label
        alternates = dict(links(head, "alternate"))
        assert alternates[language] == HOST + bare, label
        assert alternates[other] == HOST + counterparts[label].split("?")[0], label
        assert alternates["x-default"] == alternates["pl"], label
        assert meta(head, "property", "og:title") == title.removesuffix(" · WSPL"), label
        assert meta(head, "property", "og:description") == description, label
        assert meta(head, "property", "og:image").startswith("http://testserver/"), label
    # Pages of different kinds have different titles (filtered lists share their list's title).
    assert len(set(titles.values())) >= len(titles) - 8


def test_coordinator_and_account_pages_ask_search_engines_to_stay_away(client, django_user_model):
    partnership = factories.partnership()
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)

    login = head_of(client.get("/konto/logowanie/"))
    client.force_login(user)
    dashboard = head_of(client.get("/moje/"))
    public = head_of(client.get(partnership.get_absolute_url()))

    assert meta(login, "name", "robots") == "noindex, nofollow"
    assert meta(dashboard, "name", "robots") == "noindex, nofollow"
    assert meta(public, "name", "robots") is None
