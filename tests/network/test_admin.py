"""Staff change the network's pages and facts in the admin: with history, drafts, clear errors, one facts row."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from network.models import Facts, Page

pytestmark = pytest.mark.django_db

PAGE_FORM = {
    "key": "join",
    "language": "pl",
    "title": "Jak dołączyć do sieci",
    "summary": "Kroki dla partnerstw i mieszkańców.",
    "body": "# Partnerstwo\n\n1. Przeczytajcie kartę.",
    "easy_read": "",
    "sign_language_video_url": "",
    "is_published": "on",
}


def test_staff_add_a_page_that_the_site_shows_and_its_history_names_them(staff_client, staff_user):
    response = staff_client.post(reverse("admin:network_page_add"), PAGE_FORM)

    assert response.status_code == 302
    saved = Page.objects.get(key="join", language="pl")
    assert saved.history.get().history_user == staff_user
    assert "Jak dołączyć do sieci" in staff_client.get(reverse("join")).content.decode()


def test_a_page_with_a_nul_in_its_title_or_a_second_copy_is_refused_with_nothing_saved(staff_client):
    Page.objects.create(key="join", language="pl", title="Jest już", is_published=True)

    bad_title = staff_client.post(reverse("admin:network_page_add"), {**PAGE_FORM, "key": "boris", "title": "A\x00B"})
    duplicate = staff_client.post(reverse("admin:network_page_add"), PAGE_FORM)

    assert bad_title.status_code == duplicate.status_code == 200
    assert "jeden wiersz" in bad_title.content.decode()
    assert "Ta strona ma już wersję w tym języku" in duplicate.content.decode()
    assert Page.objects.count() == 1


def test_facts_are_one_row_that_cannot_be_added_twice(staff_client):
    add = reverse("admin:network_facts_add")
    form = {"operator_name": "Stowarzyszenie BORIS", "contact_email": "siec@wspl.test", "a11y_status": "partial"}
    form |= {"a11y_assessment": "self", "a11y_published_on": "2026-11-26"}
    form |= {
        "history_retention_years": "5",
        "invitation_retention_days": "90",
        "contact_message_retention_months": "12",
    }

    assert staff_client.post(add, form).status_code == 302
    facts = Facts.objects.get()
    assert staff_client.get(add).status_code == 403
    assert staff_client.post(add, {**form, "operator_name": "Drugi"}).status_code == 403
    assert list(Facts.objects.values_list("pk", "operator_name")) == [(facts.pk, "Stowarzyszenie BORIS")]


def test_a_statement_date_outside_the_years_is_refused(staff_client):
    form = {"a11y_status": "partial", "a11y_assessment": "self", "a11y_published_on": "1999-12-31"}
    form |= {
        "history_retention_years": "5",
        "invitation_retention_days": "90",
        "contact_message_retention_months": "12",
    }

    response = staff_client.post(reverse("admin:network_facts_add"), form)

    assert response.status_code == 200
    assert "Podaj datę z lat 2000–2100." in response.content.decode()
    assert not Facts.objects.exists()


@pytest.mark.parametrize("name", ["admin:network_page_changelist", "admin:network_facts_changelist"])
def test_only_staff_reach_the_pages_admin(client, name):
    coordinator = get_user_model().objects.create_user(username="koordynatorka", password="haslo-testowe-123")

    anonymous = client.get(reverse(name))
    client.force_login(coordinator)
    not_staff = client.get(reverse(name))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert not_staff.status_code == 403
