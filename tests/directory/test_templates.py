"""The templates' shape: every page extends its section's layout, and the shared parts are written once."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from demo.loader import load_pages
from tests import factories

TEMPLATES = Path(settings.BASE_DIR) / "templates"
LAYOUTS = {"pages/base.html", "directory/base.html", "coordinator/base.html"}
# Whole documents without base.html: the server error page (rendered without a request or the database) and the
# widget other websites put in an iframe (no header, menu or footer).
STANDALONE_DOCUMENTS = {"500.html", "events/widget.html"}
FIRST_TAG = re.compile(r"{%\s*(\w+)(.*?)%}", re.S)


# The back office's overrides of the admin's and django-simple-history's templates.
BACK_OFFICE = ("admin/", "simple_history/")


def section_layout(name):
    """The layout a page template belongs to, by the folder it is in."""
    if name.startswith("pages/"):
        return "pages/base.html"
    if name.startswith(("coordinator/", "registration/")):
        return "coordinator/base.html"
    return "directory/base.html"


def html_templates():
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))


def text(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_every_page_template_extends_its_section_layout():
    wrong = []
    for name in html_templates():
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        first = FIRST_TAG.search(source)
        extends = re.fullmatch(r'\s*"([^"]+)"\s*', first.group(2)).group(1) if first.group(1) == "extends" else None
        if name == "base.html" or name in STANDALONE_DOCUMENTS:
            assert extends is None and "<!DOCTYPE html>" in source, name
        elif name in LAYOUTS:
            assert extends == "base.html", name
        elif name.startswith(BACK_OFFICE) and (extends is None or extends.startswith(BACK_OFFICE)):
            pass  # an override of the library's template, or a page of the back office: extends the admin's templates
        elif extends is not None:
            if extends != section_layout(name):
                wrong.append(f"{name} extends {extends}, not {section_layout(name)}")
        else:  # a partial: no blocks, no document of its own
            if "{% block " in source or "<!DOCTYPE" in source or "<html" in source:
                wrong.append(f"{name} is a page that extends nothing")
    assert not wrong, wrong


def test_every_include_that_passes_arguments_passes_only_them():
    loose = []
    for name in html_templates():
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        source = re.sub(r"{% comment %}.*?{% endcomment %}", "", source, flags=re.S)
        for tag in re.findall(r"{% include .*?%}", source, re.S):
            if not tag.endswith(" only %}"):
                loose.append(f"{name}: {tag}")
    assert not loose, loose


def breadcrumbs(response):
    """(the breadcrumb trail's markup with its texts and links taken out, [its texts]) and checks of its place."""
    page = response.content.decode()
    assert response.status_code == 200
    trails = re.findall(r'<nav aria-label="Ścieżka nawigacji">.*?</nav>', page, re.S)
    assert len(trails) == 1, trails
    [trail] = trails
    head = re.search(r'<div class="page-head[^"]*"><div class="container">(.*?)</div></div>', page, re.S).group(1)
    assert head.index(trail) < head.index("<h1")  # at the top of the page head, before the heading
    texts = [text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", trail, re.S)]
    h1 = text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
    assert texts[-1] == h1  # the last crumb is this page
    shape = re.sub(r'href="[^"]*"', 'href=""', trail)
    shape = re.sub(r">[^<]*<", "><", shape)  # texts (and the spaces between tags) out
    return shape, texts


@pytest.mark.django_db
def test_breadcrumbs_have_the_same_structure_in_every_section(client, django_user_model):
    load_pages()
    event = factories.event(title="Piknik na Sadach")
    partnership = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    factories.coordinator_access(user=user, partnership_obj=partnership)

    directory_shape, directory_texts = breadcrumbs(client.get(event.get_absolute_url()))
    network_shape, network_texts = breadcrumbs(client.get(reverse("boris")))
    client.force_login(user)
    edit_url = reverse("coordinator:partnership_edit", kwargs={"slug": partnership.slug})
    coordinator_shape, coordinator_texts = breadcrumbs(client.get(edit_url))

    assert directory_texts == ["Strona główna", "Wydarzenia", "Piknik na Sadach"]
    assert network_texts == ["Strona główna", "O sieci", "Rola stowarzyszenia BORIS"]
    assert coordinator_texts == ["Moje partnerstwa", "Sady Żoliborskie", "Profil partnerstwa"]
    assert directory_shape == network_shape == coordinator_shape
    assert directory_shape == (
        '<nav aria-label="Ścieżka nawigacji"><ol class="breadcrumb">'
        '<li class="breadcrumb-item"><a href=""></a></li>'
        '<li class="breadcrumb-item"><a href=""></a></li>'
        '<li class="breadcrumb-item active" aria-current="page"></li></ol></nav>'
    )


@pytest.mark.django_db
def test_breadcrumbs_link_each_level_and_only_where_a_page_has_a_parent(client, django_user_model):
    partnership = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("home")}">Strona główna</a>' in page
    assert f'<a href="{reverse("partnerships:list")}">Partnerstwa</a>' in page

    for name in ("home", "partnerships:list", "about", "privacy", "search"):
        assert "breadcrumb" not in client.get(reverse(name)).content.decode(), name

    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    factories.coordinator_access(user=user, partnership_obj=partnership)
    client.force_login(user)
    assert "breadcrumb" not in client.get(reverse("coordinator:dashboard")).content.decode()
    own = client.get(reverse("coordinator:partnership", kwargs={"slug": partnership.slug}))
    _, texts = breadcrumbs(own)
    assert texts == ["Moje partnerstwa", "Sady Żoliborskie"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "action", "field_id"),
    [
        ("/", "partnerships:list", "home-szukaj"),
        ("/nie-ma-takiej-strony/", "partnerships:list", "szukaj-404-pole"),
        ("/szukaj/", "search", "id_q"),
    ],
)
def test_the_search_box_is_one_labelled_form_in_the_header_and_on_the_page(client, path, action, field_id):
    page = client.get(path).content.decode()

    forms = re.findall(r'<form[^>]* role="search">.*?</form>', page, re.S)
    assert len(forms) == 2  # the header's and the page's own
    header, own = forms
    assert f'action="{reverse("search")}"' in header and 'for="szukaj-w-serwisie"' in header
    assert f'action="{reverse(action)}"' in own
    for form in forms:
        [field] = re.findall(r'<input type="search" id="([^"]+)" name="q"', form)
        assert f'<label class="visually-hidden" for="{field}">' in form or f'<label for="{field}"' in form
        assert form.count('<button type="submit"') == 1
    assert f'id="{field_id}"' in own
