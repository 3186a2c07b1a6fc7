"""A proposed change of a shared organisation in a real browser, as BORIS staff decide it: from the dashboard's list to
the decision page (axe-core finds no WCAG 2.1 AA violation in it, also with a field changed since and an error)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from common.history import authored
from members.models import Organisation
from members.services import propose_organisation_change
from tests import factories

from .conftest import browser_test, describe, log_in_to_admin, run_axe

pytestmark = browser_test

PASSWORD = "haslo-testowe-123"


def test_staff_decide_a_proposal_from_the_dashboard(axe_page, live_server):
    staff = get_user_model().objects.create_user(username="boris", password=PASSWORD, is_staff=True, is_superuser=True)
    shared = factories.organisation(name="Fundacja Wspólna", email="kontakt@wspolna.example.org")
    stegny = factories.partnership(name="Nasze Stegny")
    for partnership in (stegny, factories.partnership(name="Forum Bielan")):
        factories.membership(organisation_obj=shared, partnership_obj=partnership)
    propose_organisation_change(
        organisation=shared, partnership=stegny, values={"email": "nowy@example.org", "kind": "fundacja"}, by=None
    )
    organisation = Organisation.objects.get(pk=shared.pk)
    organisation.email = "biuro@example.org"
    authored(organisation, staff).save()
    page = axe_page
    found = {}
    log_in_to_admin(page, live_server, "boris", PASSWORD)

    page.get_by_role("link", name="Fundacja Wspólna").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=2, name="Propozycja zmiany: Fundacja Wspólna").is_visible()
    assert page.get_by_text("Zmienione po złożeniu propozycji", exact=True).is_visible()
    if violations := run_axe(page):
        found["propozycja zmiany"] = violations

    page.get_by_label("Uzasadnienie (nieobowiązkowe)").fill("x" * 10)
    page.evaluate("document.querySelector('input[name=note]').value = 'a\\u0007b'")
    page.get_by_role("button", name="Przyjmij").click()
    page.wait_for_load_state()
    assert page.get_by_text("To pole może mieć tylko jeden wiersz zwykłego tekstu", exact=False).first.is_visible()
    if violations := run_axe(page):
        found["propozycja zmiany z błędem"] = violations

    page.get_by_label("Uzasadnienie (nieobowiązkowe)").fill("Zgoda.")
    page.get_by_label("E-mail").check()
    page.get_by_role("button", name="Przyjmij").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("admin:members_organisationchangeproposal_changelist")
    assert Organisation.objects.get(pk=shared.pk).email == "nowy@example.org"
    assert not found, describe(found)
