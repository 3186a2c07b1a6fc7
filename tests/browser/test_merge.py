"""Merging two organisations in a real browser, as BORIS staff do it: from the dashboard's pair of duplicates to the
merge page (axe-core finds no WCAG 2.1 AA violation in it, also when it shows an error) and on to the kept one."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from members.models import Organisation
from tests import factories

from .conftest import browser_test, describe, log_in_to_admin, run_axe, visit

pytestmark = browser_test

PASSWORD = "haslo-testowe-123"


def test_staff_merge_a_pair_of_duplicates_from_the_dashboard(axe_page, live_server):
    get_user_model().objects.create_user(username="boris", password=PASSWORD, is_staff=True, is_superuser=True)
    stegny = factories.partnership(name="Nasze Stegny")
    keep = factories.organisation(name="Fundacja Sąsiedzi", krs="0000123456")
    remove = factories.organisation(name="Sąsiedzi", description="Działamy na Stegnach od 2010 roku.")
    factories.membership(organisation_obj=remove, partnership_obj=stegny)
    page = axe_page
    found = {}
    log_in_to_admin(page, live_server, "boris", PASSWORD)

    page.get_by_role("link", name="połącz „Fundacja Sąsiedzi” i „Sąsiedzi”").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Połącz organizacje"
    assert page.get_by_role("columnheader", name="Sąsiedzi", exact=True).is_visible()
    if violations := run_axe(page):
        found["połącz organizacje"] = violations

    page.get_by_role("button", name="Połącz organizacje").click()
    page.wait_for_load_state()
    assert page.get_by_text("Wybierz organizację, która zostaje.").is_visible()
    if violations := run_axe(page):
        found["połącz organizacje bez wyboru"] = violations

    page.get_by_role("group", name="Która organizacja zostaje?").get_by_label("Fundacja Sąsiedzi").check()
    page.get_by_role("button", name="Połącz organizacje").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("admin:members_organisation_change", args=[keep.pk])
    assert "jest teraz częścią „Fundacja Sąsiedzi”" in page.locator(".messagelist .success").inner_text()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Fundacja Sąsiedzi"]
    assert page.get_by_role("link", name="historia połączonej organizacji").is_visible()

    visit(page, live_server, reverse("admin:members_organisation_merge") + f"?a={keep.pk}&b={keep.pk}")
    assert page.get_by_text("Ta sama organizacja została podana dwa razy").is_visible()
    if violations := run_axe(page):
        found["ta sama organizacja dwa razy"] = violations

    assert not found, describe(found)
    visit(page, live_server, remove.get_absolute_url())
    assert page.url == live_server.url + keep.get_absolute_url()
    assert page.get_by_text("Działamy na Stegnach od 2010 roku.").is_visible()
