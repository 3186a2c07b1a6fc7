"""A submitted form with errors says so where a person looks first, and every error leads to its field.

The summary (templates/includes/form_errors.html) is at the top of the form with role="alert", one link per field
error to an element that exists, the form's own errors first; each invalid field is aria-invalid and described by
its error message; the page's <title> starts with "Błąd: ". A form shown for the first time has none of it.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from common.forms import STALE_MESSAGE, version_of
from members.models import Membership, Organisation
from partnerships.models import CoordinatorAccess, Partnership
from tests import factories

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """The elements of a page: tag, attributes, text inside, and the tags around it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self._open = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        forms = [e for e in self._open if e["tag"] == "form"]
        element = {
            "tag": tag,
            "attrs": dict(attrs),
            "text": "",
            "inside": [e["tag"] for e in self._open],
            "form": forms[-1] if forms else None,
            "ancestors": list(self._open),
        }
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def ids(self):
        return {e["attrs"]["id"] for e in self.elements if e["attrs"].get("id")}

    def by_id(self, element_id):
        return next(e for e in self.elements if e["attrs"].get("id") == element_id)

    def title(self):
        return next(e["text"] for e in self.elements if e["tag"] == "title")

    def summaries(self):
        return [e for e in self.elements if "data-error-summary" in e["attrs"]]

    def summary_items(self):
        """(href or None, text) for each item of the summary's list, in order."""
        [summary] = self.summaries()
        items = []
        for index, element in enumerate(self.elements):
            if element["tag"] == "li" and any(up is summary for up in element["ancestors"]):
                link = self.elements[index + 1] if self.elements[index + 1]["tag"] == "a" else None
                items.append((link["attrs"]["href"] if link else None, " ".join(element["text"].split())))
        return items

    def invalid_fields(self):
        return [e for e in self.elements if e["attrs"].get("aria-invalid") == "true"]


def assert_errors_reachable(response, *, expected):
    """The summary, its links, the fields and the title, for a page that should show `expected` errors."""
    assert response.status_code == 200
    page = Page(response.content.decode())
    [summary] = page.summaries()
    assert summary["attrs"]["role"] == "alert"
    assert summary["attrs"]["tabindex"] == "-1"
    heading = " ".join(page.by_id(summary["attrs"]["aria-labelledby"])["text"].split())
    assert heading == (
        f"Formularz zawiera błąd ({expected})" if expected == 1 else f"Formularz zawiera błędy ({expected})"
    )
    items = page.summary_items()
    assert len(items) == expected
    ids = page.ids()
    for href, _text in items:
        assert href is None or href.removeprefix("#") in ids, f"{href} leads nowhere"
    # The summary is in the form, before its first field.
    fields = [e for e in page.elements if e["form"] is summary["form"] and e["tag"] in ("input", "select", "textarea")]
    first_field = next(e for e in fields if e["attrs"].get("type") != "hidden")
    assert summary["form"] is not None
    assert page.elements.index(summary) < page.elements.index(first_field)
    # Every linked field is invalid and described by its error message, whose id follows "<field id>_error".
    invalid = {e["attrs"]["id"]: e for e in page.invalid_fields()}
    for href, text in items:
        if href is None or text == str(STALE_MESSAGE):  # the form's own errors: tested on their own
            continue
        field = invalid[href.removeprefix("#")]
        auto_id = href.removeprefix("#").removesuffix("_0")
        error_id = f"{auto_id}_error"
        # A group of checkboxes is described as a whole: its <fieldset> carries aria-describedby.
        described = [field, *(up for up in field["ancestors"] if up["tag"] == "fieldset")]
        assert any(error_id in e["attrs"].get("aria-describedby", "").split() for e in described)
        messages = " ".join(page.by_id(error_id)["text"].split())
        label, _colon, message = text.partition(": ")
        assert label and message and message in messages
    assert page.title().startswith("Błąd: ")
    return page, items


def assert_no_errors_shown(response):
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.summaries() == []
    assert page.invalid_fields() == []
    assert not page.title().startswith("Błąd")


# --- data -----------------------------------------------------------------------------------


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"], contact_email="sady@example.org")


@pytest.fixture
def coordinator(django_user_model, partnership):
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def place(partnership):
    obj = factories.place(name="Dom Sąsiedzki Sady", district_slug="zoliborz")
    partnership.places.add(obj)
    return obj


def url(name, partnership, **kwargs):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs})


def profile_data(partnership, **changes):
    partnership = Partnership.objects.get(pk=partnership.pk)
    data = {
        "version": version_of(partnership),
        "summary": partnership.summary,
        "description": partnership.description,
        "goals": partnership.goals,
        "status": partnership.status,
        "formal_status": partnership.formal_status,
        "districts": [d.pk for d in partnership.districts.all()],
        "area": partnership.area,
        "contact_name": partnership.contact_name,
        "contact_email": partnership.contact_email,
        "contact_phone": partnership.contact_phone,
        "website": partnership.website,
    }
    data.update(changes)
    return data


def event_data(place, **changes):
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "title": "Piknik sąsiedzki",
        "kind": "local",
        "start_date": day.isoformat(),
        "start_time": "16:00",
        "end_date": day.isoformat(),
        "end_time": "19:00",
        "place": place.pk,
        "audience": "mieszkańcy",
        "publication": "publish",
    }
    data.update(changes)
    return data


# --- the forms ------------------------------------------------------------------------------


def test_profile_with_a_bad_email_and_website_lists_both_at_the_top(coordinator_client, partnership):
    address = url("partnership_edit", partnership)
    assert_no_errors_shown(coordinator_client.get(address))

    response = coordinator_client.post(
        address, profile_data(partnership, contact_email="sady(at)example", website="http://")
    )

    _page, items = assert_errors_reachable(response, expected=2)
    assert items == [
        ("#id_contact_email", "E-mail kontaktowy: Podaj poprawny adres e-mail, np. kontakt@example.org."),
        ("#id_website", "Strona internetowa: Podaj poprawny adres strony, np. https://example.org."),
    ]


def test_error_in_a_group_of_checkboxes_links_to_the_first_one(coordinator_client, partnership):
    response = coordinator_client.post(url("partnership_edit", partnership), profile_data(partnership, districts=[0]))

    page, items = assert_errors_reachable(response, expected=1)
    [(href, _text)] = items
    assert page.by_id(href.removeprefix("#"))["attrs"]["type"] == "checkbox"


def test_new_member_organisation_lists_the_errors_of_both_its_forms(coordinator_client, partnership):
    address = url("membership_add_new", partnership)
    assert_no_errors_shown(coordinator_client.get(address))

    response = coordinator_client.post(
        address,
        {
            "org-name": "",
            "org-sector": Organisation.Sector.NGO,
            "org-email": "biuro(at)example.org",
            "membership-role": Membership.Role.MEMBER,
            "membership-since": "1 marca",
        },
    )

    _page, items = assert_errors_reachable(response, expected=3)
    assert [href for href, _text in items] == ["#id_org-name", "#id_org-email", "#id_membership-since"]


def test_member_organisation_edit(coordinator_client, partnership):
    organisation = factories.membership(partnership_obj=partnership).organisation
    address = url("organisation_edit", partnership, pk=organisation.pk)
    assert_no_errors_shown(coordinator_client.get(address))

    response = coordinator_client.post(
        address, {"version": version_of(organisation), "name": organisation.name, "sector": "", "krs": "12345"}
    )

    _page, items = assert_errors_reachable(response, expected=2)
    assert [href for href, _text in items] == ["#id_sector", "#id_krs"]


def test_place_form(coordinator_client, partnership):
    address = url("place_add", partnership)
    assert_no_errors_shown(coordinator_client.get(address))

    response = coordinator_client.post(
        address, {"name": "", "postal_code": "03123", "district": factories.district("zoliborz").pk}
    )

    _page, items = assert_errors_reachable(response, expected=len(Page(response.content.decode()).invalid_fields()))
    assert items[0][0] == "#id_name"


def test_event_form(coordinator_client, partnership, place):
    address = url("event_add", partnership)
    assert_no_errors_shown(coordinator_client.get(address))

    response = coordinator_client.post(address, event_data(place, title="", start_date="jutro"))

    _page, items = assert_errors_reachable(response, expected=2)
    assert [href for href, _text in items] == ["#id_title", "#id_start_date"]


def test_login_form(client):
    address = reverse("account:login")
    assert_no_errors_shown(client.get(address))

    response = client.post(address, {"username": "koordynatorka", "password": ""})

    _page, items = assert_errors_reachable(response, expected=1)
    assert items[0][0] == "#id_password"


def test_wrong_password_is_a_form_error_without_a_link(client, coordinator):
    response = client.post(reverse("account:login"), {"username": "koordynatorka", "password": "nie-to-haslo"})

    _page, items = assert_errors_reachable(response, expected=1)
    assert items[0][0] is None


def test_password_change_lists_every_message_of_one_field(coordinator_client):
    response = coordinator_client.post(
        reverse("account:password_change"),
        {"old_password": "haslo-testowe-123", "new_password1": "123", "new_password2": "123"},
    )

    _page, items = assert_errors_reachable(response, expected=len(Page(response.content.decode()).summary_items()))
    assert len(items) > 1 and {href for href, _text in items} == {"#id_new_password2"}


def test_conflict_leads_to_the_first_field_that_changed(coordinator_client, partnership):
    stale = profile_data(partnership, contact_name="Moja zmiana")
    Partnership.objects.filter(pk=partnership.pk).update(contact_name="Zmiana BORIS")

    response = coordinator_client.post(url("partnership_edit", partnership), stale)

    page, items = assert_errors_reachable(response, expected=1)
    [(href, text)] = items
    assert href == "#id_contact_name"
    assert text.startswith("Ktoś zmienił te dane w międzyczasie. Poniżej są aktualne wartości z bazy")
    # "Poniżej": the current values follow the summary.
    summary = page.summaries()[0]
    assert page.elements.index(summary) < page.elements.index(page.by_id("aktualne-wartosci"))


def test_conflict_in_fields_the_form_lacks_leads_to_the_current_values(coordinator_client, partnership):
    stale = profile_data(partnership)
    Partnership.objects.filter(pk=partnership.pk).update(name="Partnerstwo Sady Żoliborskie")

    response = coordinator_client.post(url("partnership_edit", partnership), stale)

    page, items = assert_errors_reachable(response, expected=1)
    assert items == [("#aktualne-wartosci", str(STALE_MESSAGE))]
    assert page.by_id("aktualne-wartosci")["text"] == "Aktualne wartości w bazie"
    assert "Zmiana dotyczyła pól, których nie ma w tym formularzu." in response.content.decode()
