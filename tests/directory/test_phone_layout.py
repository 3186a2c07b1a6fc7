"""What a resident on a phone gets first, as the markup carries it (the browser tests measure the positions).

The main menu behind a "Menu" button, a directory's filters folded under "Filtry (n)" after the number of results,
and a partnership's page in the order a resident reads it: facts, contact, places, events; the calendar and the
widget's code last, folded.
"""

import re

import pytest
from django.urls import reverse

from .. import factories

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def filters_button(page):
    """The text of the button the filter form folds under."""
    found = re.search(r'<details class="filters-panel[^"]*"[^>]*>\s*<summary[^>]*>(.*?)</summary>', page, re.S)
    return found.group(1).strip()


def test_the_main_menu_folds_under_a_menu_button_that_keeps_the_current_page_marked(client):
    page = html(client.get(reverse("partnerships:list")))

    folded = r'<details class="site-menu">\s*<summary>Menu</summary>\s*(<nav .*?</nav>)\s*</details>'
    menu = re.search(folded, page, re.S)
    assert menu, "the main menu is not inside <details> with a Menu button"
    assert 'aria-label="Menu główne"' in menu.group(1)
    assert ">Partnerstwa</a>" in menu.group(1) and 'aria-current="page">Partnerstwa</a>' in menu.group(1)
    # The search box stays outside the folded menu: one tap from every page.
    assert page.index('class="site-search') > page.index("</details>")


def test_filters_fold_under_a_button_that_counts_the_filters_in_use(client):
    factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    factories.partnership(name="Moje Wierzbno", districts=["mokotow"])
    url = reverse("partnerships:list")

    none = html(client.get(url))
    two = html(client.get(url, {"dzielnica": "zoliborz", "rodzaj": "local", "stan": ""}))

    assert filters_button(none) == "Filtry"
    assert filters_button(two) == "Filtry (2)"
    # Folded by default; the number of results comes before it, so it stays above the results on a phone.
    assert re.search(r'<details class="filters-panel[^"]*">', two)
    assert two.index('class="result-count') < two.index('class="filters-panel') < two.index("Sady Żoliborskie")
    assert "Moje Wierzbno" not in two


def test_the_month_calendar_counts_the_filters_in_use(client):
    march = reverse("events:month", kwargs={"year": 2026, "month": 3})

    assert filters_button(html(client.get(march))) == "Filtry"
    assert filters_button(html(client.get(march, {"rodzaj": "training", "dzielnica": "zoliborz"}))) == "Filtry (2)"


def test_a_wrong_filter_value_unfolds_the_filters_to_show_its_message(client):
    page = html(client.get(reverse("members:organisation_list"), {"sektor": "nieznany"}))

    assert re.search(r'<details class="filters-panel[^"]*" open>', page)
    assert "invalid-feedback" in page.split('class="filters-panel', 1)[1].split("</details>", 1)[0]


def test_the_agenda_puts_its_subscribe_box_after_the_events(client):
    factories.event(title="Spacer po Sadach", kind="local")

    page = html(client.get(reverse("events:list"), {"rodzaj": "local"}))

    assert page.index("Spacer po Sadach") < page.index('class="subscribe-box')
    assert page.index('class="filters-panel') < page.index("Spacer po Sadach")


def test_partnership_page_reads_facts_contact_places_events_then_members_and_folded_tools(client):
    partnership = factories.partnership(
        name="Sady Żoliborskie", districts=["zoliborz"], contact_email="sady@example.org", description="Opis."
    )
    factories.event(organisers=[partnership], title="Piknik sąsiedzki")

    page = html(client.get(partnership.get_absolute_url()))

    order = ["fakty", "kontakt", "miejsca", "wydarzenia", "o-partnerstwie", "warunki", "czlonkowie", "zespol"]
    positions = [page.index(f'<h2 id="{ident}"') for ident in order]
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    assert page.index("sady@example.org") < page.index("Piknik sąsiedzki")
    tools = page[page.index('id="kalendarz-i-widzet"') :]
    assert page.index('id="kalendarz-i-widzet"') > positions[-1]
    # Subscribe and embed: each folded under its own button, not open.
    assert len(re.findall(r'<details class="tool-panel[^"]*">\s*<summary>', tools)) == 2
    assert tools.index("<details") < tools.index('class="subscribe-box') < tools.index('id="kod-widzetu"')
    assert page.count("<h1") == 1
