"""Markdown from coordinators renders to harmless HTML (nh3 allow-list)."""

import pytest
from django.urls import reverse

from common.markdown import render_markdown
from tests import factories


def html(text):
    return str(render_markdown(text))


def test_basic_markdown_becomes_html():
    assert html("**Ważne** i *mniej ważne*") == "<p><strong>Ważne</strong> i <em>mniej ważne</em></p>"
    assert html("- sąsiedzi\n- biblioteka") == "<ul>\n<li>sąsiedzi</li>\n<li>biblioteka</li>\n</ul>"


def test_headings_move_below_the_page_headings():
    assert html("# Kim jesteśmy\n\n## Historia") == "<h3>Kim jesteśmy</h3>\n<h4>Historia</h4>"


def test_script_tags_are_removed_with_their_content():
    result = html("Dzień dobry <script>alert('x')</script> sąsiedzi")

    assert result == "<p>Dzień dobry  sąsiedzi</p>"


def test_javascript_links_lose_their_address():
    result = html('[kliknij](javascript:alert(1)) i <a href="JaVaScRiPt:alert(2)">tu</a>')

    assert "javascript" not in result.lower()
    assert result == (
        '<p><a rel="noopener noreferrer nofollow">kliknij</a> i <a rel="noopener noreferrer nofollow">tu</a></p>'
    )


def test_event_handler_attributes_are_removed():
    result = html('<img src="x" onerror="alert(1)"> <p onclick="alert(2)">Tekst</p>')

    assert "onerror" not in result and "onclick" not in result and "<img" not in result
    assert "Tekst" in result


@pytest.mark.parametrize(
    "raw",
    [
        '<iframe src="https://example.org"></iframe>',
        "<style>body{display:none}</style>",
        '<div style="position:fixed">x</div>',
        '<form action="https://example.org"><input name="haslo"></form>',
        "<object data='x.swf'></object>",
    ],
)
def test_raw_html_is_reduced_to_harmless_text(raw):
    result = html(raw)

    for tag in ("<iframe", "<style", "style=", "<form", "<input", "<object", "<div"):
        assert tag not in result


def test_safe_links_keep_their_address_and_get_rel():
    result = html("[Strona](https://example.org/a?b=1) [pisz](mailto:biuro@example.org)")

    assert '<a href="https://example.org/a?b=1" rel="noopener noreferrer nofollow">Strona</a>' in result
    assert '<a href="mailto:biuro@example.org" rel="noopener noreferrer nofollow">pisz</a>' in result


def test_empty_text_gives_empty_html():
    assert html("") == ""
    assert html(None) == ""


@pytest.mark.django_db
def test_partnership_page_shows_sanitised_markdown(client):
    partnership = factories.partnership(
        description="## Kim jesteśmy\n\nSąsiedzi z **Woli**. <script>alert('x')</script>",
        goals="- zieleń\n- [mapa](javascript:alert(1))",
    )

    page = client.get(reverse("partnerships:detail", kwargs={"slug": partnership.slug})).content.decode()

    assert "<h4>Kim jesteśmy</h4>" in page
    assert "Sąsiedzi z <strong>Woli</strong>." in page
    assert "<li>zieleń</li>" in page
    assert "alert(" not in page and "javascript:" not in page
